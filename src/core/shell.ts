import { escapeSequence, hasInvisible, INVISIBLE } from './escape.js';

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes a value for POSIX shells so it stays one inert word: `x; rm -rf /` becomes
 * 'x; rm -rf /'. Safe words stay bare so commands read naturally (like Python's shlex.quote).
 * A value holding control or bidi characters is written in ANSI-C quotes, `$'\x1b]52...'`,
 * so the command shows them instead of sending them to the terminal that displays it.
 * (Leading dashes are not this function's business: see commandWord in templates.ts.)
 */
export function shellQuote(value: string | number | boolean): string {
  const text = String(value);
  if (text !== '' && SAFE_WORD.test(text)) return text;
  if (hasInvisible(text)) return `$'${text.replace(/[\\']/g, '\\$&').replace(INVISIBLE, ansiCEscape)}'`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** In `$'...'`, `\x` takes at most two hex digits, `\u` four and `\U` eight, so no following character joins them. */
function ansiCEscape(char: string): string {
  const code = char.codePointAt(0) as number;
  // Above 0x7f a character is written by code point: `\x9b` would be the byte, not U+009B.
  if (code > 0xffff) return `\\U${code.toString(16).padStart(8, '0')}`;
  return code < 0x80 ? escapeSequence(char) : `\\u${code.toString(16).padStart(4, '0')}`;
}
