import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { runBin } from './run.js';

const recorder = pathToFileURL(join(packageRoot, 'test', 'fixtures', 'startup', 'record-modules.mjs')).href;
const dist = `${pathToFileURL(join(packageRoot, 'dist', 'src')).href}/`;

/** Runs the built bin with ARGS and returns the exit code and the rca modules it loaded (paths under dist/src). */
async function modulesLoaded(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const log = join(mkdtempSync(join(tmpdir(), 'rca-startup-')), 'modules.log');
  const run = await runBin(args, { env: { NODE_OPTIONS: `--import ${recorder}`, RCA_TEST_MODULE_LOG: log } });
  const urls = readFileSync(log, 'utf8').split('\n');
  return { code: run.code, modules: urls.filter((url) => url.startsWith(dist)).map((url) => url.slice(dist.length)) };
}

// Start-up is most of a diagnosis's time: a command imports what it runs, not every command's code.
describe('start-up: a command loads only its own modules', () => {
  it('rca diagnose of a document without artifacts loads neither the other commands nor collectors, parsers, the server, the KB tools or the interview', async () => {
    const { code, modules } = await modulesLoaded(['diagnose', 'examples/01-apm-agent-cpu.json', '--format', 'json']);
    expect(code).toBe(0);
    expect(modules).toContain('cli/commands/diagnose.js');
    expect(modules.filter((m) => /^(cli\/commands\/(?!diagnose\.js|index\.js)|cli\/interview\/|collect\/|server\/|kbtools\/)/.test(m))).toEqual([]);
  });

  it('rca --help loads no command module', async () => {
    const { code, modules } = await modulesLoaded(['--help']);
    expect(code).toBe(0);
    expect(modules.filter((m) => m.startsWith('cli/commands/') && m !== 'cli/commands/index.js')).toEqual([]);
  });
});
