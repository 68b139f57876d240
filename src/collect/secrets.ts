/**
 * Secrets in pasted tool output. A case keeps its artifacts' text (it reads them again when the
 * ticket is updated), so what a command line or a header carried would be stored and served
 * back: the common ways of passing a secret are cut from the text first. No list catches every
 * way (`mysql -pSECRET`), which is why facts name a process by its program only.
 */

/** `scheme://user:password@`: the credentials go, the scheme and the host stay. */
export const URL_CREDENTIALS = /([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/@]*@/gi;

export const REDACTED = '<redacted>';

/** Words in an option or variable name that say its value is a secret (`--db-password`, `API_KEY=`, `?access_token=`). */
const SECRET_NAME = /pass(?:word|wd)|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential/i;

/** An option or variable name: `--x`, `-x`, `X` (at most 64 characters, so the test stays cheap). */
const NAME = /^(?:--?)?[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** A word of the form NAME=VALUE or NAME:VALUE whose name says secret keeps its name. */
function redactAssignment(word: string): string | undefined {
  const at = word.search(/[=:]/);
  if (at <= 0 || at > 66 || at === word.length - 1) return undefined;
  const name = word.slice(0, at);
  if (!NAME.test(name) || !SECRET_NAME.test(name)) return undefined;
  return `${name}${word[at]}${REDACTED}`;
}

/** Query parameters whose name says secret, in a URL word: `?token=abc&x=1` keeps `x=1`. */
function redactQuery(word: string): string {
  const query = word.indexOf('?');
  if (query < 0) return word;
  const params = word
    .slice(query + 1)
    .split('&')
    .map((param) => redactAssignment(param) ?? param);
  return `${word.slice(0, query + 1)}${params.join('&')}`;
}

/**
 * TEXT with the values of secret-named options (`--db-password=x`, `--token x`), variables
 * (`DB_PASSWORD=x`), query parameters, `Authorization:` headers and URL credentials replaced by
 * `<redacted>`. Read word by word, in time linear in the text; whitespace is kept as it was.
 */
export function redactSecrets(text: string): string {
  const parts = text.split(/(\s+)/);
  let redactNext = false;
  let afterAuthorization = false;
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i] as string;
    // An option's value is on its own line: a line's end ends what its last word started.
    if (parts[i - 1]?.includes('\n')) redactNext = afterAuthorization = false;
    if (word === '') continue;
    if (redactNext) {
      parts[i] = REDACTED;
      redactNext = false;
      continue;
    }
    const lower = word.toLowerCase();
    if (afterAuthorization) {
      // `Authorization: Bearer X`, `Basic X`: the scheme stays, the credentials go.
      afterAuthorization = false;
      if (lower === 'bearer' || lower === 'basic' || lower === 'token') redactNext = true;
      else parts[i] = REDACTED;
      continue;
    }
    if (lower === 'authorization:' || lower === '"authorization:' || lower === "'authorization:") {
      afterAuthorization = true;
      continue;
    }
    // `--token X`, and `client_secret: X` as YAML or a header writes it: the value is the next word.
    const name = word.endsWith(':') || word.endsWith('=') ? word.slice(0, -1) : word.startsWith('-') ? word : undefined;
    if (name !== undefined && NAME.test(name) && SECRET_NAME.test(name)) {
      redactNext = true;
      continue;
    }
    const withoutUrlSecrets = word.includes('://') ? redactQuery(word.replace(URL_CREDENTIALS, `$1${REDACTED}@`)) : word;
    parts[i] = withoutUrlSecrets === word ? (redactAssignment(word) ?? word) : withoutUrlSecrets;
  }
  return parts.join('');
}
