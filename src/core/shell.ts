const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes a value for POSIX shells so it stays one inert word: `x; rm -rf /` becomes
 * 'x; rm -rf /'. Safe words stay bare so commands read naturally (like Python's shlex.quote).
 */
export function shellQuote(value: string | number | boolean): string {
  const text = String(value);
  if (text !== '' && SAFE_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
