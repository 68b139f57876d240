import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('which kb actions take directories, as the help says', () => {
  const collapsed = (text: string) => text.replace(/\s+/g, ' ');

  it('rca --help and rca kb --help say which actions take operands after the action, and which read the knowledge base --kb names', async () => {
    expect(collapsed((await runCli(['--help'])).stdout)).toContain(
      'rca kb <action> [dirs..] Curate the knowledge base: validate, lint, test, coverage, doc (the one --kb names; no dirs); seal [DIR], eval [CORPUS..], suggest [INCIDENTS..], show ID, diff OLD NEW',
    );
    expect(collapsed((await runCli(['kb', '--help'])).stdout)).toContain('dirs Only for seal, eval, suggest, show and diff (the others read the knowledge base --kb names). diff: the OLD and NEW knowledge bases');
  });

  it('validate, lint, test, coverage and doc refuse a directory (exit 2), saying the knowledge base is --kb DIR and which actions take operands', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rca-kb-doc-')), 'site');
    for (const action of [['validate'], ['lint'], ['test'], ['coverage'], ['doc', '--out', out]]) {
      const run = await runCli(['kb', ...action, FIXTURE_KB]);
      expect(run, action[0]).toEqual({
        code: 2,
        stdout: '',
        stderr: `rca: usage error: kb ${action[0]}: expected no directories (it reads the knowledge base --kb DIR names; only seal, eval, suggest, show, diff take operands), got ${FIXTURE_KB}\nRun 'rca --help' for usage.\n`,
      });
    }
  });
});
