import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { runBin, type CliRun } from './run.js';

const recorder = pathToFileURL(join(packageRoot, 'test', 'fixtures', 'startup', 'record-modules.mjs')).href;
/** The build before bundling, where each module is a file of its own. */
const UNBUNDLED = join(packageRoot, 'dist', 'src', 'cli', 'bin.js');
const distUrl = (dir: string) => `${pathToFileURL(join(packageRoot, 'dist', dir)).href}/`;

/** Runs rca with ARGS (bundled: bin/rca.cjs, or the unbundled build) and returns its run and the files it loaded under dist/DIR. */
async function modulesLoaded(args: string[], { bundled, dir }: { bundled: boolean; dir: string }): Promise<CliRun & { modules: string[] }> {
  const log = join(mkdtempSync(join(tmpdir(), 'rca-startup-')), 'modules.log');
  const env = { NODE_OPTIONS: `--import ${recorder}`, RCA_TEST_MODULE_LOG: log };
  const run = await runBin(args, { env, ...(!bundled && { script: UNBUNDLED }) });
  const urls = readFileSync(log, 'utf8').split('\n');
  const prefix = distUrl(dir);
  return { ...run, modules: urls.filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length)) };
}

const DIAGNOSE = ['diagnose', 'examples/01-apm-agent-cpu.json', '--format', 'json'];

// Start-up is most of a diagnosis's time: a command imports what it runs, not every command's code.
describe('start-up: a command loads only its own modules', () => {
  it('rca diagnose of a document without artifacts loads neither the other commands nor collectors, parsers, the server, the KB tools or the interview', async () => {
    const { code, modules } = await modulesLoaded(DIAGNOSE, { bundled: false, dir: 'src' });
    expect(code).toBe(0);
    expect(modules).toContain('cli/commands/diagnose.js');
    expect(modules.filter((m) => /^(cli\/commands\/(?!diagnose\.js|index\.js)|cli\/interview\/|collect\/|server\/|kbtools\/)/.test(m))).toEqual([]);
  });

  it('rca --help loads no command module', async () => {
    const { code, modules } = await modulesLoaded(['--help'], { bundled: false, dir: 'src' });
    expect(code).toBe(0);
    expect(modules.filter((m) => m.startsWith('cli/commands/') && m !== 'cli/commands/index.js')).toEqual([]);
  });
});

/**
 * Node's built-in modules a run of bin/rca.cjs with ARGS loads (test/fixtures/startup/record-builtins.cjs),
 * its stdin /dev/null as `npm run bench:cli` runs it.
 */
function builtinsLoaded(args: string[], { stdoutToFile = false } = {}): CliRun & { builtins: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'rca-startup-'));
  const log = join(dir, 'builtins.log');
  const env = { ...process.env, NODE_OPTIONS: `--require ${join(packageRoot, 'test', 'fixtures', 'startup', 'record-builtins.cjs')}`, RCA_TEST_BUILTIN_LOG: log };
  const out = join(dir, 'stdout');
  const fd = stdoutToFile ? openSync(out, 'w') : undefined;
  try {
    const run = spawnSync(process.execPath, [join(packageRoot, 'bin', 'rca.cjs'), ...args], { cwd: packageRoot, env, stdio: ['ignore', fd ?? 'pipe', 'pipe'], encoding: 'utf8' });
    return { code: run.status, stdout: fd === undefined ? run.stdout : readFileSync(out, 'utf8'), stderr: run.stderr, builtins: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// Each of Node's own modules a command loads is compiled on every run (those outside Node's
// start-up snapshot): a command loads those it uses.
describe('start-up: rca diagnose loads only the Node modules it uses', () => {
  // One run with its output on a pipe, read by each test below (a spawn each was the same run three times).
  let toPipeRun: ReturnType<typeof builtinsLoaded> | undefined;
  const toPipe = () => (toPipeRun ??= builtinsLoaded(DIAGNOSE));

  it('loads no assert: yargs checks its invariants with it on every run, and they hold', () => {
    const { code, builtins } = toPipe();
    expect(code).toBe(0);
    expect(builtins).toContain('vm');
    expect(builtins.filter((m) => m === 'assert')).toEqual([]);
  });

  it('loads no fs/promises, nor the readline it brings: its files are read through node:fs, and stdin is opened only to be read', () => {
    const { code, builtins } = toPipe();
    expect(code).toBe(0);
    expect(builtins.filter((m) => /^(fs\/promises|internal\/fs\/promises|internal\/fs\/streams|readline|internal\/readline\/interface)$/.test(m))).toEqual([]);
  });

  it('with its output in a file, writes it through the descriptor (no SyncWriteStream) and makes no stderr stream (no node:net on a pipe), and the file holds what a pipe gets', () => {
    const toFile = builtinsLoaded(DIAGNOSE, { stdoutToFile: true });
    expect(toFile.code).toBe(0);
    expect(toFile.builtins.filter((m) => m === 'internal/fs/sync_write_stream' || m === 'net')).toEqual([]);
    const piped = toPipe();
    expect(piped.code).toBe(0);
    expect(piped.builtins).toContain('net');
    expect(toFile.stdout).toBe(piped.stdout);
    expect(JSON.parse(toFile.stdout).hypotheses[0].id).toBe('system.agent_cpu_overhead');
  });
});

// bin/rca.cjs runs the bundle of dist/src (scripts/bundle.mjs): one script, compiled with the code
// cache its build trained, giving the same answers.
describe('start-up: bin/rca.cjs runs the bundle', () => {
  it('rca diagnose loads no module of dist/src, only the bundle\'s loader, and prints what the unbundled build prints', async () => {
    const bundled = await modulesLoaded(DIAGNOSE, { bundled: true, dir: '' });
    expect(bundled.code).toBe(0);
    expect(bundled.stderr).toBe('');
    expect(bundled.modules).toEqual(['bundle/loader.cjs']);
    const unbundled = await runBin(DIAGNOSE, { script: UNBUNDLED });
    expect(bundled.stdout).toBe(unbundled.stdout);
  });

  // yargs is bundled too: its help in the user's language (y18n's files, found from the bundle) and its errors stay its own;
  // so are the shipped reports, precompiled.
  it.each([
    [['--help'], { LANG: 'de_DE.UTF-8' }],
    [['diagnose', '--help'], { LANG: 'C' }],
    [['--version'], { LANG: 'C' }],
    [['diagnose', '--top'], { LANG: 'fr_FR.UTF-8' }],
    [['nope'], { LANG: 'C' }],
    // The shipped reports, precompiled into the bundle (render.ts, scripts/bundle.mjs).
    [['diagnose', 'examples/01-apm-agent-cpu.json'], { FORCE_COLOR: '1' }],
    [['diagnose', 'examples/01-apm-agent-cpu.json', '--format', 'markdown', '--lang', 'zh-CN'], { LANG: 'C' }],
    [['diagnose', 'examples/01-apm-agent-cpu.json', '--format', 'html'], { LANG: 'C' }],
  ])('rca %j (env %j) prints and exits as the unbundled build does', async (args, env) => {
    const bundled = await runBin(args, { env });
    expect(bundled).toEqual(await runBin(args, { env, script: UNBUNDLED }));
    expect(bundled.stdout + bundled.stderr).not.toBe('');
  });

  it('rca diagnose, a usage error and --version lay out no text, and build no string-width (its Intl.Segmenter, about 20 ms at start); --help does', () => {
    const segmentersBuilt = (args: string[]) => {
      const log = join(mkdtempSync(join(tmpdir(), 'rca-startup-')), 'segmenters.log');
      const env = { ...process.env, NODE_OPTIONS: `--require ${join(packageRoot, 'test', 'fixtures', 'startup', 'record-segmenters.cjs')}`, RCA_TEST_SEGMENTER_LOG: log };
      const run = spawnSync(process.execPath, [join(packageRoot, 'bin', 'rca.cjs'), ...args], { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      return [run.status, Number(readFileSync(log, 'utf8')) > 0];
    };
    expect([DIAGNOSE, ['diagnose', '--top'], ['--version'], ['--help']].map(segmentersBuilt)).toEqual([
      [0, false],
      [2, false],
      [0, false],
      [0, true],
    ]);
  });

  it('the code cache the build trained is taken by the Node that built it; compiled from its text instead, the bundle answers the same', async () => {
    const loader = pathToFileURL(join(packageRoot, 'dist', 'bundle', 'loader.cjs')).href;
    const bundleDir = join(packageRoot, 'dist', 'bundle');
    const load = (useCodeCache: boolean) => `const { loadBundle } = await import(${JSON.stringify(loader)}); const bundle = loadBundle(${JSON.stringify(bundleDir)}, { useCodeCache: ${useCodeCache} });`;
    const viaNode = (input: string) => runBin(['-'], { script: '--input-type=module', input });
    expect(await viaNode(`${load(true)} process.stdout.write(bundle.codeCache);`)).toEqual({ code: 0, stdout: 'accepted', stderr: '' });
    const uncached = await viaNode(`${load(false)} process.stderr.write(bundle.codeCache); process.exitCode = await bundle.exports.main(${JSON.stringify(DIAGNOSE)}, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signals: process });`);
    expect(uncached).toEqual({ ...(await runBin(DIAGNOSE, { script: UNBUNDLED })), stderr: 'none' });
  });
});
