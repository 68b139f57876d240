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
      return (stderr ??= endsQuietlyOnClosedPipe(process.stderr, 'standard error').stream);
    },
    env: process.env,
    signals: process,
  });
}

/** A write error that only says nobody reads any more: a reader that stopped early (`| head -1`). */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * An output rca cannot write (a full disk, /dev/full, an I/O error) ends the run: said in one
 * line on stderr, as rca's other errors are, never as a stack trace, with exit code 1.
 */
function outputFailed(error: NodeJS.ErrnoException, output: string): never {
  try {
    writeSync(2, `rca: error: could not write ${output}: ${error.code ?? error.message}\n`);
  } catch {
    // stderr fails too: the exit code alone says it.
  }
  process.exit(1);
}

/**
 * A reader that stops early (`rca kb lint | head -1`) closes the pipe: nobody is left to read
 * what the command still has to say, so the rest is dropped and the command ends as it would
 * have, with its own exit code (an invalid knowledge base is still 3 under `set -o pipefail`).
 */
function endsQuietlyOnClosedPipe(stream: NodeJS.WriteStream, output: string): { stream: NodeJS.WriteStream; gone: () => boolean } {
  let gone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== undefined && READER_GONE.has(error.code)) gone = true;
    else outputFailed(error, output);
  });
  return { stream, gone: () => gone };
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
      return {
        isTTY: false,
        write: (text: string) => {
          try {
            return writeSync(1, text);
          } catch (error) {
            return outputFailed(error as NodeJS.ErrnoException, 'standard output');
          }
        },
      };
    }
  } catch {
    // No descriptor 1, or no /dev/null to compare with: Node's stream decides what it is.
  }
  const { stream, gone } = endsQuietlyOnClosedPipe(process.stdout, 'standard output');
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write: (text: string) => gone() || stream.write(text),
  };
}
