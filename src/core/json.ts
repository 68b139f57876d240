import { InputError } from './errors.js';

/**
 * JSON documents as both edges read them (the CLI's files and stdin, the API's bodies): a
 * leading UTF-8 byte order mark is accepted and dropped, and a key given twice in one object
 * is refused. JSON.parse keeps the last of two equal keys without a word, so a reviewer who
 * reads the first would see another ticket than the one diagnosed.
 */

/** What a UTF-8 byte order mark decodes to; Windows editors start files with one. */
const BYTE_ORDER_MARK = '\uFEFF';

export function stripByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

/** Parses a JSON document read from `source` (a file name or "stdin"). */
export function parseJson(text: string, source: string): unknown {
  const json = stripByteOrderMark(text);
  let document: unknown;
  try {
    document = JSON.parse(json) as unknown;
  } catch (error) {
    const reason = (error as Error).message.replace(/^JSON\.parse: /, '');
    throw new InputError([{ field: source, expected: 'valid JSON', got: json.trim() === '' ? 'empty input' : reason }]);
  }
  const duplicate = duplicateKeyError(json);
  if (duplicate) throw duplicate;
  return document;
}

/** The error for the first key given twice in one object of valid JSON `text`, if any. */
export function duplicateKeyError(text: string): InputError | undefined {
  const duplicate = findDuplicateKey(text);
  return duplicate && new InputError([{ field: duplicate.pointer, expected: 'each key at most once in an object', got: `the key ${JSON.stringify(duplicate.key)} twice` }]);
}

type Frame = { keys: Set<string>; key: string } | { index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first key that appears twice in one object of valid JSON `text`, with its JSON pointer
 * (RFC 6901). Keys compare decoded ("a" and "\u0061" are one key). One pass with an explicit
 * stack and one set of keys per open object: linear in the text at any nesting depth, and a
 * pointer is only built for the answer.
 */
export function findDuplicateKey(text: string): { pointer: string; key: string } | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    switch (text[i]) {
      case '{':
        stack.push({ keys: new Set(), key: '' });
        expectKey = true;
        break;
      case '[':
        stack.push({ index: 0 });
        expectKey = false;
        break;
      case '}':
      case ']':
        stack.pop();
        expectKey = false;
        break;
      case ',': {
        const top = stack.at(-1);
        if (top && 'index' in top) top.index++;
        else expectKey = true;
        break;
      }
      case '"': {
        const start = i;
        let escaped = false;
        for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) {
          if (text.charCodeAt(i) === BACKSLASH) {
            escaped = true;
            i++;
          }
        }
        const top = stack.at(-1);
        if (!expectKey || !top || !('keys' in top)) break;
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        if (top.keys.has(key)) return { pointer: pointerTo(stack, key), key };
        top.keys.add(key);
        top.key = key;
        expectKey = false;
        break;
      }
    }
  }
  return undefined;
}

function pointerTo(stack: readonly Frame[], key: string): string {
  const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
  const path = stack.slice(0, -1).map((frame) => ('index' in frame ? String(frame.index) : escape(frame.key)));
  return [...path, escape(key)].map((token) => `/${token}`).join('');
}
