import { close as closeCallback, createReadStream, fstat as fstatCallback, open as openCallback, readdirSync, readFile as readFileCallback, stat as statCallback, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { InputError, UsageError } from '../core/errors.js';
import { visible } from '../core/escape.js';
import { decodeText, utf16Encoding } from '../core/utf8.js';
import { fileErrorText } from '../core/files.js';

/**
 * Everything a command may touch of its process, passed in (runProcess in run-process.ts gives the real ones), so
 * that main() runs in-process as well: no command reads process.env, writes process.stdout
 * or listens on process for signals.
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where output goes: Node's stream, or for a file the descriptor itself (run-process.ts); commands only write text to it. */
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Where SIGINT, SIGTERM and SIGHUP arrive: the process itself, or an emitter of a test's own. */
  signals: Pick<NodeJS.EventEmitter, 'on' | 'once' | 'removeListener'>;
}

/**
 * node:fs's own functions, promised: node:fs/promises (with the readline it loads) is compiled
 * on every run that imports it, a millisecond or two of a CLI command's start.
 */
const stat = promisify(statCallback);
const readFile = promisify(readFileCallback);
const open = promisify(openCallback);
const fstat = promisify(fstatCallback);
const close = promisify(closeCallback);

/** A file opened for reading, what is asked of it taken from the open file itself. */
export interface OpenFile {
  stat(): Promise<Stats>;
  readText(): Promise<string>;
  close(): Promise<void>;
}

export async function openFile(file: string): Promise<OpenFile> {
  const fd = await open(file, 'r');
  return { stat: () => fstat(fd), readText: () => readFile(fd, 'utf8'), close: () => close(fd) };
}

/** yargs-parser reads a lone "-" as an empty flag, so main() passes it on as this token. */
export const STDIN_ARG = '<stdin>';

/** Input documents larger than this are refused before they are read or parsed. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Logs and captures (rca parse, --artifact) run larger than fact documents; still bounded, and refused unread. */
export const MAX_ARTIFACT_BYTES = 16 * 1024 * 1024;

/** Reads a stream to its end, refusing it once it passes LIMIT bytes (a pipe says its size only by ending). */
async function readBounded(stream: NodeJS.ReadableStream, limit: number, field: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      throw new InputError([{ field, expected: `at most ${limit} bytes`, got: `more than ${limit} bytes` }]);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** What a path that is no regular file is, for the error that refuses it. */
export function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a pipe';
  return 'a socket';
}

/** Reads FILE, or stdin for '-' / no file when stdin is piped, as bytes; refuses oversize input unread. */
async function readInputBytes(file: string | undefined, io: CliIo, limit: number): Promise<{ bytes: Buffer; source: string }> {
  if (file === undefined || file === STDIN_ARG) {
    if (file === undefined && io.stdin.isTTY) throw new UsageError('no input: give a FILE of facts (JSON or YAML) or pipe them to stdin');
    return { bytes: await readBounded(io.stdin, limit, 'stdin'), source: 'stdin' };
  }
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    throw new InputError([{ field: file, expected: 'a readable file', got: fileErrorText(error) }]);
  }
  // A pipe is read as stdin is, to its end within the limit: a named one, or the shell's process
  // substitution (`--artifact top=<(top -b -n 1)` passes /dev/fd/63). A device (/dev/zero has no
  // end) or a directory is refused unread.
  if (info.isFIFO()) return { bytes: await readBounded(createReadStream(file), limit, file), source: file };
  if (!info.isFile()) throw new InputError([{ field: file, expected: 'a regular file or a pipe', got: kindOf(info) }]);
  if (info.size > limit) throw new InputError([{ field: file, expected: `at most ${limit} bytes`, got: `${info.size} bytes` }]);
  return { bytes: await readFile(file), source: file };
}

/**
 * BYTES as text. A facts document must be UTF-8 (or UTF-16 that says so with its byte order mark,
 * as Windows PowerShell writes files): a stray byte would become U+FFFD inside a fact
 * value ("\ufffd(" for a process name) and be diagnosed as if someone had typed it, so it is refused,
 * naming the byte offset. Tool output (LENIENT) is read whatever its bytes: strace prints the
 * raw bytes of the buffers it traces, a log may mix encodings, and the facts a parser takes from it
 * are numbers and names that the stray bytes seldom touch; a warning says where they were.
 */
function decodeInput(bytes: Buffer, source: string, io: CliIo, lenient: boolean): string {
  const decoded = decodeText(bytes);
  if ('text' in decoded) return decoded.text;
  const got = decoded.invalid;
  if (!lenient) throw new InputError([{ field: source, expected: 'UTF-8 text (or UTF-16 with its byte order mark)', got }]);
  io.stderr.write(`rca: warning: ${visible(source)}: expected UTF-8 text (or UTF-16 with its byte order mark), got ${got}; such bytes are read as U+FFFD\n`);
  return new TextDecoder(utf16Encoding(bytes) ?? 'utf-8').decode(bytes);
}

/**
 * Reads a document (facts in JSON or YAML, a saved run) from FILE, or stdin for '-' / no file when
 * stdin is piped; refuses oversize input unread, and input that is not UTF-8.
 */
export async function readDocumentText(file: string | undefined, io: CliIo, limit = MAX_INPUT_BYTES): Promise<{ text: string; source: string }> {
  const { bytes, source } = await readInputBytes(file, io, limit);
  return { text: decodeInput(bytes, source, io, false), source };
}

/**
 * Reads a tool's saved output (rca parse, --artifact) from FILE, or stdin for '-'; refuses
 * oversize input unread. Bytes that are not UTF-8 are read as U+FFFD, with a warning on stderr.
 */
export async function readInputText(file: string, io: CliIo, limit: number): Promise<{ text: string; source: string }> {
  const { bytes, source } = await readInputBytes(file, io, limit);
  return { text: decodeInput(bytes, source, io, true), source };
}

/** The commands read JSON documents as the API does (src/core/json.ts). */
export { parseJson } from '../core/json.js';

function statOrMissing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`${path}: expected a path rca may read, got ${fileErrorText(error)}`);
  }
}

/**
 * Checks an output FILE (--save) before any work: it must be a file or new, in a directory that
 * exists, so that no answer is lost to a path that could never be written.
 */
export function checkOutputFile(flag: string, file: string): void {
  const refuse = (got: string) => new UsageError(`${flag}: expected a file in an existing directory, got ${file} (${got})`);
  const target = statOrMissing(file);
  // The file is written by renaming a new one over it (writeFileAtomic): a device, a pipe or a
  // socket would be replaced, not written to (--save /dev/null, as root, replaced the system's).
  if (target && !target.isFile()) throw refuse(kindOf(target));
  if (target) return;
  const dir = dirname(resolve(file));
  const parent = statOrMissing(dir);
  if (!parent) throw refuse(`${dirname(file)} does not exist`);
  if (!parent.isDirectory()) throw refuse(`${dirname(file)} is not a directory`);
}

/** Checks an output DIRECTORY (--out) before any work: an existing directory, or a path free to create one. */
export function checkOutputDir(flag: string, dir: string): void {
  const target = statOrMissing(dir);
  if (target && !target.isDirectory()) throw new UsageError(`${flag}: expected a directory (new or existing), got ${dir} (a file)`);
}

/**
 * Checks an output DIRECTORY that must not mix with other files (a rule pack, a doc site): new,
 * or existing and empty, or one the command itself wrote before (`earlier`: which it replaces).
 */
export function checkEmptyOutputDir(flag: string, dir: string, earlier?: { by: string; wrote: (dir: string) => boolean }): void {
  const target = statOrMissing(dir);
  if (!target) return;
  const expected = `a new or empty directory${earlier ? `, or one ${earlier.by} wrote` : ''}`;
  if (!target.isDirectory()) throw new UsageError(`${flag}: expected ${expected}, got ${dir} (a file)`);
  if (readdirSync(dir).length > 0 && !earlier?.wrote(dir)) throw new UsageError(`${flag}: expected ${expected}, got ${dir} (not empty)`);
}
