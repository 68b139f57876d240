import { InputError, pointerToken } from './errors.js';
import { isSurrogate, loneSurrogate, UNICODE_TEXT } from './utf8.js';

/**
 * JSON documents as both edges read them (the CLI's files and stdin, the API's bodies): a
 * leading UTF-8 byte order mark is accepted and dropped, and a key given twice in one object
 * is refused. JSON.parse keeps the last of two equal keys without a word, so a reviewer who
 * reads the first would see another ticket than the one diagnosed. So is a string (a key too)
 * holding a lone surrogate, which a \u escape can say (`"x \udfff"`, what a connector makes
 * when it cuts an emoji in half): JSON.parse takes it, and no database stores it as text
 * (PostgreSQL refuses it in json, and UTF-8 has no encoding for it).
 */

/** What a UTF-8 byte order mark decodes to; Windows editors start files with one. */
const BYTE_ORDER_MARK = '\uFEFF';

export function stripByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

/**
 * Parses a JSON document read from `source` (a file name or "stdin"). Malformed JSON, a key
 * given twice, a lone surrogate and a number beyond the largest one (1e400, which JSON.parse
 * makes Infinity) are refused at `source:line:column`, found by one linear pass of scanJson; JSON.parse's own
 * messages say "position 31", or quote the whole input, and differ between Node releases.
 */
export function parseJson(text: string, source: string): unknown {
  const json = stripByteOrderMark(text);
  const problem = documentProblem(json);
  if (problem) throw new InputError([{ field: problem.offset === undefined ? source : `${source}:${lineColumn(json, problem.offset)}`, expected: problem.expected, got: problem.got }]);
  // scanJson accepts what RFC 8259 accepts, as JSON.parse does: a throw here is a bug, not input.
  return JSON.parse(json) as unknown;
}

/**
 * What is wrong with TEXT as a JSON document (RFC 8259; a key given twice in one object, a lone
 * surrogate, a number JSON.parse would make infinite), at its line and column (an empty one at 1:1); undefined for a
 * valid one. For readers that report in their own shape (a knowledge-base file's problem), where
 * parseJson throws.
 */
export function jsonProblem(text: string, maxDepth = Infinity): { line: number; column: number; expected: string; got: string; tooDeep: boolean } | undefined {
  const json = stripByteOrderMark(text);
  const problem = documentProblem(json, maxDepth);
  if (!problem) return undefined;
  const [line, column] = problem.offset === undefined ? [1, 1] : lineAndColumn(json, problem.offset);
  return { line, column, expected: problem.expected, got: problem.got, tooDeep: problem.tooDeep === true };
}

/** The first problem of JSON (its byte order mark dropped) as a whole document: empty (no offset), or what scanJson finds. */
function documentProblem(json: string, maxDepth = Infinity): { offset: number | undefined; expected: string; got: string; tooDeep?: boolean } | undefined {
  if (json.trim() === '') return { offset: undefined, expected: 'valid JSON', got: 'empty input' };
  return scanJson(json, true, maxDepth);
}

/**
 * The error for what rca refuses in valid JSON `text` (parsedJsonProblem), if anything: the API's,
 * located by a JSON pointer (the whole document as "/", as schema errors name it).
 */
export function parsedJsonError(text: string): InputError | undefined {
  const problem = parsedJsonProblem(text);
  return problem && new InputError([{ field: problem.pointer || '/', expected: problem.expected, got: problem.got }]);
}

/**
 * The first thing rca refuses in valid JSON `text`, which JSON.parse takes: a key given twice in
 * one object (keys compare decoded: "a" and "\u0061" are one key), or a string holding a lone
 * surrogate; with its JSON pointer (RFC 6901): the key's, or the string value's.
 */
export function parsedJsonProblem(text: string): { pointer: string; expected: string; got: string } | undefined {
  const problem = scanJson(text, false);
  return problem?.pointer === undefined ? undefined : { pointer: problem.pointer, expected: problem.expected, got: problem.got };
}

/** The line and column of OFFSET in TEXT, both from 1; CR LF, LF and a lone CR each end a line (as in YAML). */
function lineAndColumn(text: string, offset: number): [line: number, column: number] {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) {
      line++;
      lineStart = i + 1;
    }
  }
  return [line, offset - lineStart + 1];
}

/** "line:column" of OFFSET in TEXT (lineAndColumn). */
export function lineColumn(text: string, offset: number): string {
  return lineAndColumn(text, offset).join(':');
}

/** The first thing wrong in a JSON text, at its offset; one in valid JSON (a duplicate key, a lone surrogate) also with its pointer. */
interface JsonProblem {
  offset: number;
  expected: string;
  got: string;
  pointer?: string;
  /** Valid JSON nested deeper than the reader's limit, rather than a syntax error. */
  tooDeep?: boolean;
}

type Frame = { keys: Set<string>; key: string } | { index: number };

/** What the scanner expects next: a value (or the end of an empty array), a key (or the end of an empty object), ':', or what follows a value. */
type Next = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'afterValue';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const EIGHT = 0x38;
const NINE = 0x39;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;
const LOWER_A = 0x61;
const LOWER_D = 0x64;
const LOWER_F = 0x66;
/** Set in an ASCII letter, it makes the letter lower case (and leaves a digit as it is). */
const LOWERCASE_BIT = 0x20;
/** The characters after a backslash that make one of JSON's short escapes: " \ / b f n r t. */
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const LITERALS = ['true', 'false', 'null'];
/** A number of fewer digits and no exponent is below 10^308, so finite: only longer ones are converted to check. */
const FINITE_DIGITS = 308;

const isWhitespace = (c: number) => c === SPACE || c === LF || c === CR || c === TAB;
const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** What stands at OFFSET, for an error: a word or number whole (up to 20 characters), else one character. */
function tokenAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the input';
  const word = /^[\w.+-]{1,20}/.exec(text.slice(offset, offset + 20))?.[0];
  return `'${word ?? String.fromCodePoint(text.codePointAt(offset) as number)}'`;
}

/**
 * A long literal shown in an error: its start and end, and its length.
 */
function shortened(literal: string): string {
  return literal.length <= 40 ? literal : `${literal.slice(0, 20)}...${literal.slice(-10)} (${literal.length} characters)`;
}

/**
 * The first syntax error of TEXT (RFC 8259, as JSON.parse reads it), key given twice in one
 * object, or (with CHECK_NUMBERS) number that JSON.parse would make infinite, by its offset.
 * One pass with an explicit stack and one set of keys per open object: linear in the text at any
 * nesting depth, and a pointer is only built for the answer.
 */
function scanJson(text: string, checkNumbers: boolean, maxDepth = Infinity): JsonProblem | undefined {
  const n = text.length;
  const stack: Frame[] = [];
  const at = (offset: number, expected: string): JsonProblem => ({ offset, expected, got: tokenAt(text, offset) });
  let next: Next = 'value';
  let i = 0;
  for (;;) {
    while (isWhitespace(text.charCodeAt(i))) i++;
    const c = i < n ? text.charCodeAt(i) : -1;
    const top = stack.at(-1);
    switch (next) {
      case 'afterValue':
        if (!top) return i < n ? at(i, 'the end of the input after the document') : undefined;
        if ('index' in top) {
          if (c === COMMA) {
            top.index++;
            next = 'value';
          } else if (c === CLOSE_BRACKET) stack.pop();
          else return at(i, "',' or ']' after an item of an array");
        } else if (c === COMMA) next = 'key';
        else if (c === CLOSE_BRACE) stack.pop();
        else return at(i, "',' or '}' after a value in an object");
        i++;
        continue;
      case 'colon':
        if (c !== COLON) return at(i, "':' after a key");
        i++;
        next = 'value';
        continue;
      case 'key':
      case 'keyOrEnd': {
        if (next === 'keyOrEnd' && c === CLOSE_BRACE) {
          stack.pop();
          i++;
          next = 'afterValue';
          continue;
        }
        if (c !== QUOTE) return at(i, next === 'keyOrEnd' ? "a double-quoted key or '}'" : 'a double-quoted key');
        const end = stringEnd(text, i, at);
        if ('offset' in end) return end;
        const object = top as { keys: Set<string>; key: string };
        const key = stringValue(text, i, end);
        const lone = end.surrogate ? loneSurrogate(key) : undefined;
        if (lone) return { offset: i, expected: UNICODE_TEXT, got: lone, pointer: pointerTo(stack, key) };
        if (object.keys.has(key)) return { offset: i, expected: 'each key at most once in an object', got: `the key ${JSON.stringify(key)} twice`, pointer: pointerTo(stack, key) };
        object.keys.add(key);
        object.key = key;
        i = end.end;
        next = 'colon';
        continue;
      }
      case 'value':
      case 'valueOrEnd':
        if (next === 'valueOrEnd' && c === CLOSE_BRACKET) {
          stack.pop();
          i++;
          next = 'afterValue';
          continue;
        }
        // An object or array opened one level past MAXDEPTH (the outermost is level 1, as countValues counts).
        if ((c === OPEN_BRACE || c === OPEN_BRACKET) && stack.length >= maxDepth) return { offset: i, expected: `values nested at most ${maxDepth} deep`, got: 'deeper', tooDeep: true };
        if (c === OPEN_BRACE) {
          stack.push({ keys: new Set(), key: '' });
          i++;
          next = 'keyOrEnd';
          continue;
        }
        if (c === OPEN_BRACKET) {
          stack.push({ index: 0 });
          i++;
          next = 'valueOrEnd';
          continue;
        }
        if (c === QUOTE) {
          const end = stringEnd(text, i, at);
          if ('offset' in end) return end;
          const lone = end.surrogate ? loneSurrogate(stringValue(text, i, end)) : undefined;
          if (lone) return { offset: i, expected: UNICODE_TEXT, got: lone, pointer: pointerTo(stack) };
          i = end.end;
        } else if (c === MINUS || isDigit(c)) {
          const end = numberEnd(text, i, checkNumbers, at);
          if (typeof end !== 'number') return end;
          i = end;
        } else {
          const literal = LITERALS.find((word) => text.startsWith(word, i));
          if (!literal) return at(i, next === 'valueOrEnd' ? "a value or ']'" : 'a value');
          i += literal.length;
        }
        next = 'afterValue';
        continue;
    }
  }
}

/** A string of a JSON text: where it ends (past its closing quote), whether it holds escapes, and whether a surrogate, written or escaped. */
interface StringEnd {
  end: number;
  escaped: boolean;
  surrogate: boolean;
}

/** Where the string at START (its opening quote) ends, and what it holds (StringEnd). */
function stringEnd(text: string, start: number, at: (offset: number, expected: string) => JsonProblem): StringEnd | JsonProblem {
  let escaped = false;
  let surrogate = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { end: i + 1, escaped, surrogate };
    if (c === BACKSLASH) {
      escaped = true;
      const e = text.charCodeAt(i + 1);
      if (e === LOWER_U) {
        for (let h = i + 2; h < i + 6; h++) if (!isHex(text.charCodeAt(h))) return at(h, 'four hex digits after \\u');
        surrogate ||= isSurrogateEscape(text, i + 2);
        i += 5;
      } else if (SHORT_ESCAPES.has(e)) i++;
      else return at(i + 1, 'an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX');
    } else if (c < SPACE) return at(i, 'an escape (\\n, \\t, \\u0000) in place of a control character in a string');
    else if (isSurrogate(c)) surrogate = true;
  }
  return at(text.length, 'the closing quote of a string');
}

/** Whether the four hex digits at AT (after a \u) name a surrogate, D800 to DFFF. */
function isSurrogateEscape(text: string, at: number): boolean {
  const first = text.charCodeAt(at) | LOWERCASE_BIT;
  const second = text.charCodeAt(at + 1) | LOWERCASE_BIT;
  return first === LOWER_D && (second === EIGHT || second === NINE || (second >= LOWER_A && second <= LOWER_F));
}

/** The string at START as JSON.parse reads it: decoded only when it holds escapes. */
function stringValue(text: string, start: number, { end, escaped }: StringEnd): string {
  return escaped ? (JSON.parse(text.slice(start, end)) as string) : text.slice(start + 1, end - 1);
}

/** What a number LITERAL that reads as the infinite VALUE is refused with, in a JSON or a YAML document. */
export function infiniteNumber(literal: string, value: number): { expected: string; got: string } {
  const beyond = value > 0 ? `beyond the largest number (${Number.MAX_VALUE})` : `below the smallest number (${-Number.MAX_VALUE})`;
  return { expected: 'a finite number', got: `${shortened(literal)}, which is ${beyond}` };
}

/** Where the number at START ends; with CHECK_FINITE, one JSON.parse would make infinite is refused. */
function numberEnd(text: string, start: number, checkFinite: boolean, at: (offset: number, expected: string) => JsonProblem): number | JsonProblem {
  let i = start;
  if (text.charCodeAt(i) === MINUS) i++;
  if (text.charCodeAt(i) === ZERO) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return at(i, 'a digit');
  if (text.charCodeAt(i) === DOT) {
    if (!isDigit(text.charCodeAt(++i))) return at(i, 'a digit after the decimal point');
    while (isDigit(text.charCodeAt(i))) i++;
  }
  let exponent = false;
  if (text.charCodeAt(i) === LOWER_E || text.charCodeAt(i) === UPPER_E) {
    exponent = true;
    i++;
    if (text.charCodeAt(i) === PLUS || text.charCodeAt(i) === MINUS) i++;
    if (!isDigit(text.charCodeAt(i))) return at(i, 'a digit in the exponent');
    while (isDigit(text.charCodeAt(i))) i++;
  }
  if (checkFinite && (exponent || i - start > FINITE_DIGITS)) {
    const literal = text.slice(start, i);
    const value = Number(literal);
    if (!Number.isFinite(value)) return { offset: start, ...infiniteNumber(literal, value) };
  }
  return i;
}

/** The JSON pointer of the value the scan is at (KEY given: of that key, the top frame's next), from the frames it is in. */
function pointerTo(stack: readonly Frame[], key?: string): string {
  const frames = key === undefined ? stack : stack.slice(0, -1);
  const path = frames.map((frame) => ('index' in frame ? String(frame.index) : pointerToken(frame.key)));
  return [...path, ...(key === undefined ? [] : [pointerToken(key)])].map((token) => `/${token}`).join('');
}
