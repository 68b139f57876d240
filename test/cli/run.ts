import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { packageRoot } from '../../src/core/paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** What stdin carries (a pipe, not a terminal); empty when not given. */
  input?: string;
  /** Variables on top of PATH and NO_COLOR="". */
  env?: Record<string, string>;
  /** runBin only: the script node runs instead of bin/rca.cjs (the unbundled dist/src/cli/bin.js). */
  script?: string;
}

/** A stream that keeps what is written to it, synchronously, as a piped stdout would. */
function collector(): { stream: Writable & { isTTY: false }; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream: Object.assign(stream, { isTTY: false as const }), text: () => text };
}

/**
 * The io bin.ts would pass, for a run in-process: stdin is the given input (not a terminal),
 * stdout and stderr are collected, the environment is only PATH, NO_COLOR="" and options.env
 * (never the test runner's), and signals go to an emitter of this run's own.
 */
export function inProcessIo(options: CliOptions = {}): { io: CliIo & { signals: EventEmitter }; stdout: () => string; stderr: () => string } {
  const stdout = collector();
  const stderr = collector();
  const stdin = Object.assign(Readable.from(options.input ? [Buffer.from(options.input)] : []), { isTTY: false as const });
  const env = { PATH: process.env.PATH ?? '', NO_COLOR: '', ...options.env };
  return { io: { stdin, stdout: stdout.stream, stderr: stderr.stream, env, signals: new EventEmitter() }, stdout: stdout.text, stderr: stderr.text };
}

/** Waits for TEXT to match what a run has written, bounded so that a stall fails instead of hanging. */
export async function written(text: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  for (let tries = 0; tries < 200; tries++) {
    const match = pattern.exec(text());
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${pattern} never written; got:\n${text()}`);
}

/**
 * Runs `rca ARGS` in-process through main(), as bin.ts does, with inProcessIo. Relative paths
 * in ARGS resolve against the package root, where the tests run.
 */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  if (process.cwd() !== packageRoot) throw new Error(`runCli: run the tests from ${packageRoot}, not ${process.cwd()}`);
  const run = inProcessIo(options);
  const code = await main(args, run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * Smoke tests only: starts the built bin/rca.cjs as a user would, a separate process with no
 * TTY, for what needs one: the bin's own exit path, signals, process-wide settings such as
 * NODE_EXTRA_CA_CERTS. Everything else goes through runCli.
 */
export function spawnBin(args: string[], env: Record<string, string> = {}, script = join(packageRoot, 'bin', 'rca.cjs')): ChildProcessWithoutNullStreams {
  // FORCE_COLOR or NO_COLOR from the runner's shell would colour the reports the tests read, or
  // keep them plain. Removed rather than set empty: Node 22 warns on stderr when NO_COLOR is
  // there at all beside a FORCE_COLOR a test sets (node:internal/tty, reached by an ES module's
  // import of node:util), as the unbundled build does and the bundle does not.
  const inherited = { ...process.env };
  delete inherited.FORCE_COLOR;
  delete inherited.NO_COLOR;
  return spawn(process.execPath, [script, ...args], { cwd: packageRoot, env: { ...inherited, ...env } });
}

/** Smoke tests only: runs the bin to its end (see spawnBin) with the given stdin. */
export function runBin(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnBin(args, options.env, options.script);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
