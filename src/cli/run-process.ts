import { fstatSync, statSync, writeSync } from 'node:fs';
import type { CliIo } from './io.js';
import { main } from './main.js';

/**
 * Runs rca as this process: argv, the standard streams and the environment, and sets the exit
 * code (the only place that does; the commands return it). bin.ts and the bundle start here.
 */
export async function runProcess(): Promise<void> {
  let stderr: NodeJS.WriteStream | undefined;
  process.exitCode = await main(process.argv.slice(2), {
    // Opened when a command reads it: Node makes a stream of stdin when first asked for it, and
    // for a file (or /dev/null) that loads its file streams and node:fs/promises.
    get stdin() {
      return process.stdin;
    },
    stdout: stdoutOf(),
    // Likewise made when first written: on a pipe, Node's stderr stream loads node:net, which a
    // diagnosis that writes nothing to stderr never needs.
    get stderr() {
      return (stderr ??= endsQuietlyOnClosedPipe(process.stderr));
    },
    env: process.env,
    signals: process,
  });
}

/**
 * A reader that stops early (`rca facts | head -3`) closes the pipe: nobody is left to read what
 * the command still has to say, so it ends quietly instead of dying on an unhandled EPIPE.
 */
function endsQuietlyOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/**
 * Standard output as its plain descriptor when it is a regular file or the null device (`> out.json`,
 * a script's /dev/null): Node's stream for either writes synchronously too (SyncWriteStream), but
 * loads node:stream and its fifteen modules on every run. A terminal or a pipe gets Node's stream.
 */
function stdoutOf(): CliIo['stdout'] {
  try {
    const out = fstatSync(1);
    if (out.isFile() || (out.isCharacterDevice() && out.rdev === statSync('/dev/null').rdev)) {
      return { isTTY: false, write: (text: string) => writeSync(1, text) };
    }
  } catch {
    // No descriptor 1, or no /dev/null to compare with: Node's stream decides what it is.
  }
  return endsQuietlyOnClosedPipe(process.stdout);
}
