import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { inProcessIo, spawnBin } from '../cli/run.js';

export type ServeSignal = 'SIGHUP' | 'SIGTERM' | 'SIGINT';

/** A running `rca serve`, in-process or in its own process. */
export interface RunningServe {
  /** http://127.0.0.1:PORT, as its "serving" line says. */
  base: string;
  /** Its own process, when spawned: for what only a process shows (SIGSTOP, SIGKILL, the bin's exit path). */
  child?: ChildProcessWithoutNullStreams;
  /** Its log (stdout) and messages (stderr) as they come. */
  stdout: Readable;
  stderr: () => string;
  /** Sends the signal: to the process, or on io.signals in-process, where serve listens instead of on process. */
  signal: (name: ServeSignal) => void;
  /** Its exit code: the process's, or main()'s answer in-process. */
  exited: Promise<number | null>;
}

const STALL_MS = 60_000;

/**
 * Starts `rca serve ARGS` and resolves once it says it serves; rejects with its exit code and
 * stderr when it exits first. In-process by default, through main(argv, io) as bin.ts runs it
 * (the cheap way: no node start-up, no second import of the server); `spawned` starts
 * bin/rca.cjs instead. ENV is added to the process's environment when spawned, and is the whole
 * environment (with PATH) in-process.
 */
export function startServe(args: string[], { env = {}, spawned = false }: { env?: Record<string, string>; spawned?: boolean } = {}): Promise<RunningServe> {
  let running: Omit<RunningServe, 'base' | 'stderr'> & { errors: Readable };
  if (spawned) {
    const child = spawnBin(['serve', ...args], env);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    running = { child, stdout: child.stdout, errors: child.stderr, signal: (name) => child.kill(name), exited };
  } else {
    const run = inProcessIo({ env });
    const stdout = Object.assign(new PassThrough(), { isTTY: false as const });
    const errors = Object.assign(new PassThrough(), { isTTY: false as const });
    const exited = main(['serve', ...args], { ...run.io, stdout, stderr: errors });
    running = { stdout, errors, signal: (name) => run.io.signals.emit(name), exited };
  }
  let stderr = '';
  const { errors, ...server } = running;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rca serve did not start within ${STALL_MS / 1000} s: ${stderr}`)), STALL_MS);
    errors.on('data', (d: Buffer) => {
      stderr += d.toString();
      const base = /^rca: serving .* on (http:\/\/127\.0\.0\.1:\d+)/m.exec(stderr)?.[1];
      if (base) {
        clearTimeout(timer);
        resolve({ ...server, base, stderr: () => stderr });
      }
    });
    void server.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`rca serve exited ${code}: ${stderr}`));
    });
  });
}

/** Stops and forgets every server in RUNNING (for afterEach): a spawned one is killed, an in-process one stops on SIGINT (which does not drain, as SIGTERM does). */
export async function stopServes(running: RunningServe[]): Promise<void> {
  for (const server of running.splice(0)) {
    if (server.child) server.child.kill('SIGKILL');
    else {
      server.signal('SIGINT');
      await server.exited;
    }
  }
}
