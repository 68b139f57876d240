import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { runCli } from './run.js';

/** yargs' platform shim, shared with the yargs main.ts imports: its `cliui` lays out every help text yargs renders. */
const require = createRequire(import.meta.url);
const shimUrl = pathToFileURL(join(dirname(require.resolve('yargs/package.json')), 'lib', 'platform-shims', 'esm.mjs')).href;
const yargsShim = ((await import(shimUrl)) as { default: { cliui: (...args: unknown[]) => unknown } }).default;

// What a run does once per process is start-up time: a command does only the work its answer needs.
describe('start-up: a command does no work its answer does not need', () => {
  let layouts = 0;
  const cliui = yargsShim.cliui;
  beforeEach(() => {
    layouts = 0;
    yargsShim.cliui = (...args: unknown[]) => {
      layouts++;
      return cliui(...args);
    };
  });
  afterEach(() => {
    yargsShim.cliui = cliui;
  });

  it('rca diagnose renders no help text (yargs cached one for a handler that might show it; none does)', async () => {
    const run = await runCli(['diagnose', 'examples/01-apm-agent-cpu.json', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(layouts).toBe(0);
  });

  it('rca diagnose --help still renders it', async () => {
    const run = await runCli(['diagnose', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rca diagnose');
    expect(layouts).toBeGreaterThan(0);
  });
});

describe('start-up: rca --version', () => {
  it('prints the version of rca\'s package.json, read with the package root (yargs would look for one up from the main module, reading directories on every run)', async () => {
    const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
