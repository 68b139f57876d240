import { spawn } from 'node:child_process';
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
});
