import { describe, expect, it } from 'vitest';
import { FIXTURE_KB } from '../server/helpers.js';
import { runCli } from './run.js';

const MISSING = '/nonexistent/rca-kb-from-env';

describe('RCA_KB picks the knowledge base of every command that loads one (--kb wins)', () => {
  it('kb validate, diagnose and interview use the knowledge base RCA_KB names', async () => {
    const validate = await runCli(['kb', 'validate'], { env: { RCA_KB: FIXTURE_KB } });
    expect(validate.stdout).toMatch(/^valid: interview-fixture 1\.0\.0 /);
    expect(validate.code).toBe(0);
    const diagnose = await runCli(['diagnose', '-f', 'json', '-'], { env: { RCA_KB: FIXTURE_KB }, input: JSON.stringify({ 'ping.result': 'fail', 'tcp.connect': 'ok' }) });
    expect(diagnose.code).toBe(0);
    expect(JSON.parse(diagnose.stdout).hypotheses[0].id).toBe('network.icmp_filtered');
  });

  it('every command that loads a knowledge base refuses a directory RCA_KB names that does not exist (exit 2), and --kb overrides it', async () => {
    const commands = [
      ['kb', 'validate'],
      ['kb', 'lint'],
      ['diagnose', '-'],
      ['interview'],
      ['collect', '--diagnose', '--host', '127.0.0.1'],
    ];
    for (const args of commands) {
      const run = await runCli(args, { env: { RCA_KB: `${MISSING}:` }, input: '{}' });
      expect(run, args.join(' ')).toEqual({ code: 2, stdout: '', stderr: `rca: usage error: RCA_KB: expected a knowledge-base directory, got ${MISSING} (not found)\nRun 'rca --help' for usage.\n` });
    }
    const overridden = await runCli(['kb', 'validate', '--kb', FIXTURE_KB], { env: { RCA_KB: MISSING } });
    expect([overridden.code, overridden.stdout.startsWith('valid: interview-fixture')]).toEqual([0, true]);
  });
});
