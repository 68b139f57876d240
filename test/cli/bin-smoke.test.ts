import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { runBin, runCli } from './run.js';

// The CLI tests call main() in-process; these spawn the built bin/rca.cjs to check what only a
// process shows: that bin.ts hands main()'s answer and exit code to the shell unchanged.
describe('smoke: bin/rca.cjs in its own process', () => {
  const facts = JSON.stringify({ 'ping.result': 'fail', 'tcp.connect': 'ok' });

  it('exits 0 with the same report main() writes', async () => {
    const args = ['diagnose', '-', '--format', 'json'];
    const [spawned, inProcess] = await Promise.all([runBin(args, { input: facts }), runCli(args, { input: facts })]);
    expect(spawned).toEqual({ code: 0, stdout: inProcess.stdout, stderr: '' });
    expect(JSON.parse(spawned.stdout).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
  });

  it('exits 2 on a usage error, one line and the hint on stderr', async () => {
    expect(await runBin(['diagnose', '-', '--top', '0'], { input: facts })).toEqual({
      code: 2,
      stdout: '',
      stderr: "rca: usage error: --top: expected a whole number >= 1, got 0\nRun 'rca diagnose --help' for usage.\n",
    });
  });

  it('exits 3 on an invalid knowledge base', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-smoke-kb-'));
    writeFileSync(join(dir, 'rules.yaml'), 'rules: 7\n');
    const run = await runBin(['diagnose', '-', '--kb', dir], { input: facts });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^rca: knowledge-base error: .*rules\.yaml/);
  });

  // The installed command is the CommonJS launcher (no ES module loader set up per run); bin/rca.js stays for `node bin/rca.js`.
  it('is what package.json installs as rca, and bin/rca.js answers as it does', async () => {
    expect(JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).bin).toEqual({ rca: 'bin/rca.cjs' });
    const args = ['diagnose', '-', '--format', 'json'];
    const [launcher, wrapper] = await Promise.all([runBin(args, { input: facts }), runBin(args, { input: facts, script: join(packageRoot, 'bin', 'rca.js') })]);
    expect(wrapper).toEqual(launcher);
    expect(launcher.code).toBe(0);
  });
});
