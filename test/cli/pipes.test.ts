import { spawn, spawnSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';

/** Runs the real bin with its stdout closed after the first chunk, as `| head -1` does. */
function closedEarly(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packageRoot, 'bin', 'rca.cjs'), ...args], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader that closes the pipe early (smoke tests of the bin)', () => {
  // Commands that write line by line, so writes remain after the reader has gone.
  it.each([[['facts']], [['parse', '--list']]])('rca %j ends quietly with exit 0', async (args) => {
    expect(await closedEarly(args)).toEqual({ code: 0, stderr: '' });
  });

  it('ends with the command\'s own exit code, not 0: kb eval under --min-top1 is still 1 under `set -o pipefail`', () => {
    // 150 KB of JSON, past what a pipe holds, to a reader that takes 10 bytes: the write meets the closed pipe.
    const line = `set -o pipefail; "${process.execPath}" bin/rca.cjs kb eval ${join('test', 'incidents', 'holdout')} -f json --min-top1 99 | head -c 10 >/dev/null`;
    const run = spawnSync('bash', ['-c', line], { cwd: packageRoot, encoding: 'utf8', timeout: 30_000 });
    expect([run.status, run.stderr]).toEqual([1, '']);
  }, 30_000);
});

describe('an output rca cannot write (a smoke test of the bin)', () => {
  it('is one line on stderr and exit 1, never a stack trace (/dev/full)', async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(packageRoot, 'bin', 'rca.cjs'), 'diagnose', join('examples', '01-apm-agent-cpu.json')], { cwd: packageRoot, stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(run).toEqual({ code: 1, stderr: 'rca: error: could not write standard output: ENOSPC\n' });
  });
});
