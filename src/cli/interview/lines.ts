import { TextDecoder } from 'node:util';
import { InputError } from '../../core/errors.js';
import { utf16Encoding } from '../../core/utf8.js';

/** Lines read one at a time from a stream, as readline gives them (CR LF, LF or a lone CR ends one). */
export interface LineReader {
  /** The next line, undefined at the end of input or after close(); rejects with the InputError of a line past the limit. */
  next(): Promise<string | undefined>;
  /** Stops reading: a pending next() resolves with undefined. */
  close(): void;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Reads INPUT line by line, each line at most MAX_CHARS long. readline keeps a line until it
 * ends, however long: 400 MB without a newline took 1.27 GB. Here a line past the limit is
 * refused as soon as it passes it, naming its number, and reading stops, so at most MAX_CHARS
 * and one chunk of the stream are held; the lines before it are still given first. Invalid UTF-8
 * becomes U+FFFD, as with readline: answers and pastes are checked after, as text.
 */
export function lineReader(input: NodeJS.ReadableStream, maxChars: number, source: string): LineReader {
  // UTF-8, or UTF-16 when the input opens with its byte order mark, as a --facts document may:
  // Windows PowerShell 5.1's `>` and Out-File write a script's answers so. Decided on the first
  // two bytes (kept until both have come); the decoder drops the mark.
  let decoder: TextDecoder | undefined;
  let opening: Buffer | undefined;
  const decode = (chunk: Buffer, stream: boolean): string => {
    if (decoder) return decoder.decode(chunk, { stream });
    const bytes = opening ? Buffer.concat([opening, chunk]) : chunk;
    if (bytes.length < 2 && stream) {
      opening = bytes;
      return '';
    }
    opening = undefined;
    decoder = new TextDecoder(utf16Encoding(bytes) ?? 'utf-8');
    return decoder.decode(bytes, { stream });
  };
  // Lines read and not yet taken: lines[head] is the next; a chunk may carry thousands.
  let lines: string[] = [];
  let head = 0;
  let partial: string[] = [];
  let partialLength = 0;
  let lineNumber = 0;
  // A chunk that ends in CR: a LF starting the next one ends no second line.
  let afterCr = false;
  let ended = false;
  let failure: unknown;
  let waiting: (() => void) | undefined;

  const wake = () => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.();
  };
  const stop = () => {
    input.removeListener('data', onData);
    input.removeListener('end', onEnd);
    input.removeListener('error', onError);
    input.pause();
    ended = true;
    wake();
  };
  const append = (piece: string): boolean => {
    partialLength += piece.length;
    if (partialLength > maxChars) {
      failure = new InputError([{ field: `${source} line ${lineNumber + 1}`, expected: `a line of at most ${maxChars} characters`, got: 'a longer one' }]);
      stop();
      return false;
    }
    if (piece !== '') partial.push(piece);
    return true;
  };
  const endLine = () => {
    lines.push(partial.join(''));
    partial = [];
    partialLength = 0;
    lineNumber++;
  };
  const take = (text: string) => {
    let start = afterCr && text.startsWith('\n') ? 1 : 0;
    afterCr = false;
    LINE_END.lastIndex = start;
    for (let match = LINE_END.exec(text); match; match = LINE_END.exec(text)) {
      if (!append(text.slice(start, match.index))) return;
      endLine();
      start = LINE_END.lastIndex;
    }
    afterCr = text.endsWith('\r');
    append(text.slice(start));
  };
  function onData(chunk: Buffer | string) {
    take(typeof chunk === 'string' ? chunk : decode(chunk, true));
    // Nobody is asking: hold the stream until the lines read are taken.
    if (!failure && head < lines.length && !waiting) input.pause();
    wake();
  }
  function onEnd() {
    take(decode(Buffer.alloc(0), false));
    // As readline: the last line needs no line end.
    if (!failure && partialLength > 0) endLine();
    stop();
  }
  function onError(error: unknown) {
    failure = error;
    stop();
  }
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('error', onError);

  return {
    async next() {
      for (;;) {
        if (head < lines.length) {
          const line = lines[head++] as string;
          if (head === lines.length) {
            lines = [];
            head = 0;
          }
          return line;
        }
        if (failure) throw failure;
        if (ended) return undefined;
        await new Promise<void>((resolve) => {
          waiting = resolve;
          input.resume();
        });
      }
    },
    close() {
      lines = [];
      head = 0;
      stop();
    },
  };
}
