/**
 * Secrets in pasted tool output. A case keeps its artifacts' text (it reads them again when the
 * ticket is updated), so what a command line, a header or a config carried would be stored and
 * served back: the common ways of passing a secret are cut from the text first. No list catches
 * every way (`mysql -pSECRET`), which is why facts name a process by its program only.
 */

/** `scheme://user:password@`: the credentials go, the scheme and the host stay. */
export const URL_CREDENTIALS = /([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/@]*@/gi;

export const REDACTED = '<redacted>';

/**
 * Words in a name that say its value is a secret (`--db-password`, `API_KEY=`, `?access_token=`,
 * openssl's `Master-Key:` and `Resumption PSK:`).
 */
const SECRET_NAME = /pass(?:word|wd)|(?<![a-z])pass(?![a-z])|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|master[-_]?key|credential|psk/i;

/** A name: an option, a variable, a header, a key (at most 64 characters, so the test stays cheap). */
const NAME = /^(?:--?)?[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Headers whose whole value is a credential: the rest of their line goes. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Options whose value is `user:password` (curl -u, --user, --proxy-user): the part after the colon goes. */
const USER_PASSWORD_OPTIONS = new Set(['-u', '--user', '-U', '--proxy-user']);

const QUOTES = new Set(['"', "'"]);

/** What may open a word before a name: quotes, and the brackets and commas of JSON. */
const OPENERS = new Set(['"', "'", '{', '[', '(', ',']);

/** WORD without the quotes, brackets and option prefixes around a name it may carry (`'X-Api-Key:`, `--header="Authorization:`, `{"password":`). */
function bareName(word: string): string {
  let start = word.startsWith('--header=') ? 9 : word.startsWith('-H') && word.length > 2 ? 2 : 0;
  while (start < word.length && OPENERS.has(word[start] as string)) start++;
  return word.slice(start);
}

/** Whether NAME (an option, a variable, a header or JSON key, without quotes) says its value is a secret. */
function isSecretName(name: string): boolean {
  const plain = name.endsWith('"') || name.endsWith("'") ? name.slice(0, -1) : name;
  return NAME.test(plain) && SECRET_NAME.test(plain);
}

/**
 * A value redacted where it stands: a quoted value keeps its quotes and what follows them
 * (`"k"},` -> `"<redacted>"},`); OPEN says whether a quote it opens is left open, so the words
 * after it up to the closing quote go too (`'x y'`).
 */
function redactValue(value: string): { text: string; open: string | undefined } {
  const quote = value[0];
  // A bare value keeps the quotes and brackets that close around it (`k'`, `k"},`).
  if (quote === undefined || !QUOTES.has(quote)) return { text: `${REDACTED}${/["'}\])\],;]*$/.exec(value)?.[0] ?? ''}`, open: undefined };
  const close = value.indexOf(quote, 1);
  if (close < 0) return { text: `${quote}${REDACTED}`, open: quote };
  return { text: `${quote}${REDACTED}${value.slice(close)}`, open: undefined };
}

/** `NAME=VALUE` / `NAME:VALUE` in one word (`--db-password=x`, `API_KEY=x`, `"password":"x"`), its value redacted; undefined for any other word. */
function redactAssignment(word: string): { text: string; open: string | undefined } | undefined {
  const at = word.search(/[=:]/);
  if (at <= 0 || at > 70 || at === word.length - 1) return undefined;
  const prefix = word.slice(0, at);
  if (!isSecretName(bareName(prefix))) return undefined;
  const value = redactValue(word.slice(at + 1));
  return { text: `${prefix}${word[at]}${value.text}`, open: value.open };
}

/** Parameters whose name says secret, in a query string or form body anywhere in WORD (`/x?token=k&page=2`, `user=bob&password=k`). */
function redactParameters(word: string): string {
  if (!word.includes('=')) return word;
  const query = word.indexOf('?');
  const head = query < 0 ? '' : word.slice(0, query + 1);
  const params = (query < 0 ? word : word.slice(query + 1)).split('&');
  if (query < 0 && params.length < 2) return word;
  return head + params.map((param) => {
    const at = param.indexOf('=');
    return at > 0 && isSecretName(param.slice(0, at)) ? `${param.slice(0, at)}=${REDACTED}` : param;
  }).join('&');
}

/** Marks that open a line without being its first word: curl -v's `>`, `<`, `*`, a YAML list's `-`. */
const LINE_MARKERS = new Set(['>', '<', '*', '-']);
/** A `name: value` is a header, YAML or a label (openssl's `Resumption PSK:`) among a line's first two words; later, it is a sentence of a log. */
const LABEL_WORDS = 2;

/**
 * TEXT with the values of secret-named options, variables, JSON keys and query or form
 * parameters, credential headers (Authorization, Cookie), `user:password` options, URL
 * credentials and PEM private keys replaced by `<redacted>`. Read word by word in time linear in
 * the text; whitespace is kept as it was. A `name: value` pair is read as one only at the start
 * of a line or in quotes (a header, YAML, JSON, a label), so a log's "refresh token: ETIMEDOUT" keeps the
 * error a parser reads.
 */
export function redactSecrets(text: string): string {
  const parts = text.split(/(\s+)/);
  // What the next words are: a value to redact, the rest of a credential header's line, or the inside of a private key.
  let pending: 'value' | 'user_password' | 'line' | undefined;
  let openQuote: string | undefined;
  let inPrivateKey = false;
  let wordInLine = 0;
  let previousLabel = false;
  for (let i = 0; i < parts.length; i += 2) {
    const separator = parts[i - 1];
    if (separator?.includes('\n')) {
      wordInLine = 0;
      // A value's next line is not its value; a quoted one may go on (a PEM in quotes, a multi-line string).
      if (openQuote === undefined) pending = undefined;
    }
    const word = parts[i] as string;
    if (word === '') continue;
    if (!LINE_MARKERS.has(word)) wordInLine++;
    // Among the label words: the first, or the second after a first that was not itself a `name:`.
    const lineStart = wordInLine <= 1 || (wordInLine <= LABEL_WORDS && previousLabel);
    previousLabel = wordInLine <= 1 && !/[:=]$/.test(word);
    if (inPrivateKey) {
      // The key's lines go; the armour's words (-----END, RSA, PRIVATE, KEY-----) stay.
      if (word.startsWith('-----END')) inPrivateKey = false;
      else if (!/^[A-Z]+(?:-----)?$/.test(word)) parts[i] = REDACTED;
      continue;
    }
    if (word === '-----BEGIN' && parts[i + 2] !== undefined) {
      const rest = parts.slice(i + 2, i + 8).join('');
      if (/^(?:[A-Z]+\s+){0,2}PRIVATE\s+KEY-----/.test(rest)) inPrivateKey = true;
      continue;
    }
    if (openQuote !== undefined) {
      // Inside a quoted secret that spans words: up to the word holding its closing quote.
      const close = word.indexOf(openQuote);
      parts[i] = close < 0 ? REDACTED : `${REDACTED}${word.slice(close)}`;
      if (close >= 0) openQuote = undefined;
      continue;
    }
    if (pending === 'line') {
      parts[i] = REDACTED;
      continue;
    }
    if (pending === 'value' || pending === 'user_password') {
      const kind = pending;
      pending = undefined;
      if (kind === 'user_password') {
        const colon = word.indexOf(':');
        if (colon >= 0) parts[i] = `${word.slice(0, colon + 1)}${REDACTED}`;
        continue;
      }
      const value = redactValue(word);
      parts[i] = value.text;
      openQuote = value.open;
      continue;
    }
    const bare = bareName(word);
    const lower = bare.toLowerCase();
    const headerAt = lower.indexOf(':');
    // `Authorization: Bearer k`, `Cookie: a=1; b=2` (and `Authorization:Bearer k`, `"Authorization": "Bearer k"`): the rest of the line.
    if (headerAt > 0 && CREDENTIAL_HEADERS.has(lower.slice(0, headerAt).replace(/["']$/, '')) && (lineStart || bare !== word)) {
      const attached = bare.slice(headerAt + 1);
      if (attached !== '') parts[i] = `${word.slice(0, word.length - attached.length)}${REDACTED}`;
      // In quotes (`-H 'Cookie: a=1'`), up to the closing quote; else the rest of the line.
      const quote = word.slice(0, word.length - bare.length).match(/["']/)?.[0];
      if (quote !== undefined) openQuote = quote;
      else pending = 'line';
      continue;
    }
    if (USER_PASSWORD_OPTIONS.has(word)) {
      pending = 'user_password';
      continue;
    }
    // `--token X`; `name: X` as a header or YAML line, or in quotes (`-H 'X-Api-Key: k'`, JSON); `password = X`.
    const spaced = parts[i + 2];
    const named =
      (word.startsWith('-') && isSecretName(word)) ||
      ((word.endsWith(':') || word.endsWith('=')) && isSecretName(bare.slice(0, -1)) && (lineStart || bare !== word)) ||
      ((spaced === '=' || spaced === ':') && isSecretName(bare) && (lineStart || bare !== word));
    if (named) {
      if (spaced === '=' || spaced === ':') i += 2;
      pending = 'value';
      continue;
    }
    const withoutUrlSecrets = word.includes('://') ? word.replace(URL_CREDENTIALS, `$1${REDACTED}@`) : word;
    const assigned = redactAssignment(withoutUrlSecrets);
    if (assigned) {
      parts[i] = assigned.text;
      openQuote = assigned.open;
      continue;
    }
    parts[i] = redactParameters(withoutUrlSecrets);
  }
  return parts.join('');
}
