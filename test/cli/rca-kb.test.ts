import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKbDir } from '../../src/core/paths.js';
import { pack } from '../fixtures.js';
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
      expect(run, args.join(' ')).toEqual({ code: 2, stdout: '', stderr: `rca: usage error: RCA_KB: expected a knowledge-base directory, got ${MISSING} (not found)\nRun 'rca ${args[0]} --help' for usage.\n` });
    }
    const overridden = await runCli(['kb', 'validate', '--kb', FIXTURE_KB], { env: { RCA_KB: MISSING } });
    expect([overridden.code, overridden.stdout.startsWith('valid: interview-fixture')]).toEqual([0, true]);
  });
});

describe('kb seal reads RCA_KB as --kb: DIR is sealed over the layers it names, and without DIR nothing is sealed while they name one', () => {
  const shippedLock = join(defaultKbDir, 'kb.lock.json');
  /** A pack that needs the shipped rules below it: it disables one of them. */
  const company = () => pack({ disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP always filtered here' }] });
  const sealedLine = (dir: string) => `sealed: wrote ${dir}/kb.lock.json (1 file, 0 hypotheses, 0 rules, 0 questions, 0 shared conditions, 1 disabled rule)\n`;

  it('RCA_KB=rules: DIR is sealed over the shipped rules, as with --kb rules', async () => {
    const dir = company();
    expect(await runCli(['kb', 'seal', dir], { env: { RCA_KB: 'rules' } })).toEqual({ code: 0, stdout: sealedLine(dir), stderr: '' });
  });

  it('RCA_KB=rules:DIR: DIR is sealed over the layers before it, and rules/ is left as it was', async () => {
    const dir = company();
    const before = { text: readFileSync(shippedLock, 'utf8'), modified: statSync(shippedLock).mtimeMs };
    expect(await runCli(['kb', 'seal', dir], { env: { RCA_KB: `rules:${dir}` } })).toEqual({ code: 0, stdout: sealedLine(dir), stderr: '' });
    expect({ text: readFileSync(shippedLock, 'utf8'), modified: statSync(shippedLock).mtimeMs }).toEqual(before);
  });

  it('no DIR while RCA_KB or --kb names layers: a usage error naming the command that seals the top one, and nothing written', async () => {
    const dir = company();
    const before = statSync(shippedLock).mtimeMs;
    const usage = (named: string, command: string) => ({ code: 2, stdout: '', stderr: `rca: usage error: kb seal: expected DIR, the directory to seal (${named} names the layers it sits on), got none: to seal the top layer, run ${command}\nRun 'rca kb --help' for usage.\n` });
    expect(await runCli(['kb', 'seal'], { env: { RCA_KB: `rules:${dir}` } })).toEqual(usage(`RCA_KB=rules:${dir}`, `rca kb seal ${dir} --kb rules`));
    expect(await runCli(['kb', 'seal', '--kb', 'rules', '--kb', dir], { env: { RCA_KB: MISSING } })).toEqual(usage(`--kb rules --kb ${dir}`, `rca kb seal ${dir} --kb rules`));
    expect(await runCli(['kb', 'seal'], { env: { RCA_KB: 'rules' } })).toEqual(usage('RCA_KB=rules', 'rca kb seal rules'));
    expect([existsSync(join(dir, 'kb.lock.json')), statSync(shippedLock).mtimeMs]).toEqual([false, before]);
  });
});

describe('which kb actions take directories, as the help says', () => {
  const collapsed = (text: string) => text.replace(/\s+/g, ' ');

  it('rca --help and rca kb --help say which actions take operands after the action, and which read the knowledge base --kb names', async () => {
    expect(collapsed((await runCli(['--help'])).stdout)).toContain(
      'rca kb <action> [dirs..] Curate the knowledge base: validate, lint, test, coverage, doc (the one --kb names; no dirs); seal [DIR], eval [CORPUS..], suggest [INCIDENTS..], show ID, diff OLD NEW',
    );
    const kbHelp = collapsed((await runCli(['kb', '--help'])).stdout);
    expect(kbHelp).toContain('dirs Only for seal, eval, suggest, show and diff (the others read the knowledge base --kb names). diff: the OLD and NEW knowledge bases');
    // As docs/knowledge-base.md has it: --corpus alone replaces the case database, a store option beside it adds it.
    expect(kbHelp).toContain('--corpus suggest: learn from the incidents under DIR (facts: intake and findings; confirmed cause: cause) instead of the case database; with --data-dir or --database-url, from both');
    // kb suggest prints rca kb eval without and with its pack, from the --evidence given (docs/knowledge-base.md: `--evidence intake|all`).
    expect(kbHelp).toContain('--evidence eval, and the eval suggest prints: diagnose from the intake only');
  });

  it('a usage error of a kb action points at rca kb --help, where its operands are; one naming no command at rca --help', async () => {
    const usage = (line: string, help: string) => ({ code: 2, stdout: '', stderr: `rca: usage error: ${line}\nRun '${help}' for usage.\n` });
    expect(await runCli(['kb', 'show'])).toEqual(usage('kb show: expected one hypothesis id or named command, got 0', 'rca kb --help'));
    expect(await runCli(['kb', 'diff', 'rules'])).toEqual(usage('kb diff: expected two knowledge bases OLD NEW (each DIR or DIR:DIR...), got 1', 'rca kb --help'));
    expect(await runCli(['--kb', 'rules'])).toEqual(usage('COMMAND: expected one of diagnose, interview, serve, kb, cases, db, facts, parse, collect, completion, got nothing; --kb is no option of rca itself (a command\'s options follow the command)', 'rca --help'));
  });

  it('validate, lint, test, coverage and doc refuse a directory (exit 2), saying the knowledge base is --kb DIR and which actions take operands', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rca-kb-doc-')), 'site');
    for (const action of [['validate'], ['lint'], ['test'], ['coverage'], ['doc', '--out', out]]) {
      const run = await runCli(['kb', ...action, FIXTURE_KB]);
      expect(run, action[0]).toEqual({
        code: 2,
        stdout: '',
        stderr: `rca: usage error: kb ${action[0]}: expected no directories (it reads the knowledge base --kb DIR names; only seal, eval, suggest, show, diff take operands), got ${FIXTURE_KB}\nRun 'rca kb --help' for usage.\n`,
      });
    }
  });
});
