/**
 * Secrets in pasted tool output. A case keeps its artifacts' text (it reads them again when the
 * ticket is updated), so what a command line, a header or a config carried would be stored and
 * served back: the common ways of passing a secret are cut from the text first. No list catches
 * every way (a key named by no secret word: `CLIENT_KEY=k`), which is why facts name a process by its program only.
 */

/** `scheme://user:password@`: the credentials go, the scheme and the host stay. Up to the last `@` before the path, as clients read it: a password may hold one (`https://u:p@ss@host`). */
export const URL_CREDENTIALS = /([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/]*@/gi;

export const REDACTED = '<redacted>';

/**
 * Secret-named variables and members the suffixes below miss, their secret word run into another (libpq's `PGPASSWORD`,
 * sqlcmd's `SQLCMDPASSWORD`, the one `sshpass -e` reads, `SSHPASS`, docker's config.json's `identitytoken` and `registrytoken`)
 * or cut short (an Azure SAS's signature, `&sig=`). mysql's `MYSQL_PWD`, smbclient's `PASSWD` and redis-cli's `REDISCLI_AUTH`
 * end in a secret word, so the suffixes find them.
 */
const SECRET_NAMES = new Set(['pgpassword', 'sqlcmdpassword', 'sshpass', 'identitytoken', 'registrytoken', 'sig']);

/** redis's directives of a password, whose value follows a space: at a line's start as redis.conf has them (`requirepass k`), or after `CONFIG SET`. */
const PASSWORD_DIRECTIVES = new Set(['requirepass', 'masterauth']);
/** The index redis-cli numbers a reply's elements with (`1)`, `98)`). */
const REPLY_INDEX = /^\d{1,9}\)$/;
/** PHP var_dump's type of a string, before the string as it is, which ends its line (`string(7) "hunter2"`). */
const VAR_DUMP_STRING = /^string\(\d{1,10}\)$/;
/**
 * A key that `=>` follows, in quotes or brackets, as bareName leaves it: print_r's `password]`, var_dump's `password"]`, var_export's and
 * Ruby's `password'`, an object's visibility after it in brackets (`password:protected]`, `password":"App\Db":private]`). Its name is the first group.
 */
const ARROW_KEY = /^([A-Za-z_][\w.-]{0,63})(?:["']|["']?(?::[^\s\]]{1,128})?\])$/;

/**
 * The words that, ending a name, say its value is a secret: `--db-password`, `DB_PASS`,
 * `clientSecret`, openssl's `PSK`, redis's `requirepass` and `masterauth` (`--requirepass`,
 * `REDIS_REQUIREPASS`), `auth` as a word of its own (docker's `"auth"`, npm's `_auth`, `X-Auth`,
 * `REDISCLI_AUTH`; not `oauth`, `OAuth` or `author`). At the end only: a logger named `secretsmanager:` or a `password_file`
 * names no secret. A key is one by the word before it, which says that it is kept secret
 * (`SECRET_KEY`, `PRIVATE_KEY`, openssl's `Master-Key`, WireGuard's `PresharedKey`), what it signs or
 * encrypts with (`SIGNING_KEY`, `ENCRYPTION_KEY`, `HMAC_KEY`, Laravel's `APP_KEY`) or what it opens (`X-Api-Key`, Cloudflare's `X-Auth-Key`,
 * `AWS_SECRET_ACCESS_KEY`, Azure's `AccountKey` and `Ocp-Apim-Subscription-Key`), Rails's `SECRET_KEY_BASE` its root; any other key
 * is as often one that finds a record (`primary_key`, `cache_key`, `sort_key`) or one shown to
 * all (`PUBLIC_KEY`), and a key's identifier (`KEY_ID`) names one without holding it.
 */
const SECRET_SUFFIX =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|bearer|credentials?|psk|signature|cookie|requirepass|masterauth|auth|(?:secret|private|master|(?:pre)?shared|sign(?:ing)?|encrypt(?:ion)?|hmac|app|api|access|account|subscription|auth)[-_.]?key(?:[-_.]?base)?)$/i;

/** A name: an option, a variable, a header, a key (at most 64 characters, so the tests stay cheap). */
const NAME = /^(?:--?)?[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/**
 * Headers whose whole value is a credential: wherever they stand in a line, the rest of it goes (or of their quotes). A proxy's
 * too: the caller's own credential it passes on (`X-Forwarded-Authorization`), or the identity it signs (Google IAP's and
 * Cloudflare Access's JWT assertions).
 */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-forwarded-authorization', 'x-goog-iap-jwt-assertion', 'cf-access-jwt-assertion']);
/** A header as CGI names it in a server's environment (Django's `request.META`, PHP's `$_SERVER`, Apache's after a rewrite): `HTTP_AUTHORIZATION`, `REDIRECT_HTTP_AUTHORIZATION`. */
const CGI_HEADER = /^(?:redirect_)?http_/;

/** A quote, then a credential header's name and its separator (a pair's is the comma after its quote): where a header opens a string value. */
const HEADER_IN_STRING = new RegExp(`["'](?=(?:${[...CREDENTIAL_HEADERS].join('|')})(?:[:=]|["'],))`, 'gi');

/**
 * BARE from the credential header that opens a string value glued to a member's name in it
 * (`msg":"Authorization:` -> `Authorization:`, logfmt's `msg="Cookie:`), or a bytes literal's prefix (`b'authorization',`), the last such; BARE itself
 * when there is none, or when BARE is a member named for the header (`authorization":"Bearer`).
 */
function credentialHeaderInString(bare: string): string {
  let from = -1;
  for (const match of bare.matchAll(HEADER_IN_STRING)) if (match.index > 0) from = match.index + 1;
  return from < 0 ? bare : bare.slice(from);
}

/**
 * What glued before a header's quoted name opens a pair of it and its value, the comma after its closing quote their separator: a
 * bracket, then the quote, after a bytes literal's prefix too (Python's header pairs, `('Authorization', 'Bearer k')`, ASGI's
 * `(b'cookie', b'a=1')`, and a call's arguments, `setRequestHeader("Authorization", v)`).
 */
const PAIR_OPENING = /\(b?["']$/;

/** Whether NAME (without quotes, in any case) is a credential header's, or CGI's name of one. */
function isCredentialHeader(name: string): boolean {
  if (!NAME.test(name)) return false;
  const lower = name.toLowerCase();
  const cgi = CGI_HEADER.exec(lower);
  return CREDENTIAL_HEADERS.has(cgi === null ? lower : lower.slice(cgi[0].length).replaceAll('_', '-'));
}

/** Options whose value is `user:password` (curl -u, --user, --proxy-user): the part after the colon goes. */
const USER_PASSWORD_OPTIONS = new Set(['-u', '--user', '-U', '--proxy-user']);

/** Where the password starts in VALUE, a `user:password`: after its first colon; -1 if it holds none. */
function afterColon(value: string): number {
  const colon = value.indexOf(':');
  return colon < 0 ? -1 : colon + 1;
}

/** Where the password starts in VALUE, Samba's `[DOMAIN\]user[%password]`: after its first `%`; -1 if it holds none. */
function afterPercent(value: string): number {
  const percent = value.indexOf('%');
  return percent < 0 ? -1 : percent + 1;
}

/** mount.cifs's options whose value is Samba's `[workgroup/]user[%password]` (`-o username=u%PASS,vers=3.0`). */
const SAMBA_USER_OPTIONS = new Set(['user', 'username']);

/** A file's path, from the root, the home or here (`/root/.smbcred`, `~/.smb/cred`, `./cred`). */
const FILE_PATH = /^(?:~|\.{1,2})?\/[\w./-]*$/;
/**
 * Whether VALUE, given to the secret's NAME, is the path of a file holding credentials, and no secret: what a name ending in
 * `credentials` gives as a path, in an option list up to its next option (mount.cifs's `credentials=/root/.smbcred,vers=3.0`,
 * `GOOGLE_APPLICATION_CREDENTIALS=/run/sa.json`).
 */
function namesCredentialsFile(name: string, value: string): boolean {
  const comma = value.indexOf(',');
  return /credentials?$/i.test(name) && FILE_PATH.test(comma < 0 ? value : value.slice(0, comma));
}

/** A Windows drive opening a path, after a quote if any (`C:\certs\client.pem`, `"C:/x.pem`), whose colon comes before no passphrase. */
const WINDOWS_DRIVE = /^["']?[A-Za-z]:[\\/]/;

/**
 * Where the passphrase starts in VALUE, curl's `certificate[:passphrase]` (`--cert client.pem:PASS`), as curl reads it: after its
 * first colon that a backslash does not escape (`a\:b.pem`) and no Windows drive's; -1 if it holds none. Each run of backslashes is read once.
 */
function certificatePassphraseAt(value: string): number {
  const from = WINDOWS_DRIVE.test(value) ? value.indexOf(':') + 1 : 0;
  for (let at = value.indexOf(':', from); at >= 0; at = value.indexOf(':', at + 1)) {
    let backslashes = 0;
    while (at - backslashes > from && value[at - backslashes - 1] === '\\') backslashes++;
    if (backslashes % 2 === 0) return at + 1;
  }
  return -1;
}

/** WORD, an option's value, with its password from AT on redacted (none if AT is -1), the closers after it staying; OPEN, a quote it leaves open, the password going on in it (`'DOM\user%a b'`). */
function redactPasswordFrom(word: string, at: number): { text: string; open: string | undefined } {
  if (at < 0 || at === word.length) return { text: word, open: undefined };
  const rest = word.slice(at);
  return { text: `${word.slice(0, at)}${REDACTED}${closingRun(rest)}`, open: openQuoteOf(word) };
}

const QUOTES = new Set(['"', "'"]);
/** A double quote escaped in a C string: strace shows a JSON body it wrote as `"{\"password\":\"k\"}"`. */
const ESCAPED_QUOTE = '\\"';
/** What may open a word before a name: quotes, and the brackets and commas of JSON. */
const OPENERS = new Set(['"', "'", '{', '[', '(', ',']);
/** What may close around a bare value and stays: quotes, brackets, separators. */
const CLOSERS = new Set(['"', "'", '}', ']', ')', ',', ';']);

/** The quote opening TEXT, if any: `"`, `'` or an escaped `\"`. */
function openingQuote(text: string): string | undefined {
  if (text.startsWith(ESCAPED_QUOTE)) return ESCAPED_QUOTE;
  return QUOTES.has(text[0] as string) ? text[0] : undefined;
}

/** What ends a connection string's segment (`Password=a b;`), standing for the quote of a value that runs on to it. */
const SEGMENT_END = ';';
/** A segment ends at the next `;`, or at the quote closing the string the connection string is in (`value="...;Password=a b"`). */
const SEGMENT_ENDS = /[;"']/g;
/** What closes a segment's quoted or braced value, by what opens it: the quote or brace, which the value holds doubled (ADO.NET's `Password="a""b"`, ODBC's `PWD={a}}b}`). */
const SEGMENT_QUOTES: Readonly<Record<string, string>> = { '"': '""', "'": "''", '{': '}}' };
const DOUBLED_CLOSERS = new Set(Object.values(SEGMENT_QUOTES));

/**
 * Where a string opened by QUOTE ends in TEXT, from FROM: at its closing quote (a segment's value, at SEGMENT_ENDS; a quoted or
 * braced one, at the first of its closer's character that is not doubled, a pair read as one). A double quote after
 * an odd run of backslashes is escaped (`"a\"b c"`); in a C string (an escaped quote opened it) one
 * after a run of 4n+3 is JSON's own escaped quote (`\\\"`), and an unescaped one ends the C string
 * around it (strace cuts long ones: `\"k"...`). Each run of backslashes is read once.
 */
function closingQuoteAt(text: string, quote: string, from = 0): number {
  if (quote === SEGMENT_END) {
    SEGMENT_ENDS.lastIndex = from;
    return SEGMENT_ENDS.exec(text)?.index ?? -1;
  }
  if (DOUBLED_CLOSERS.has(quote)) {
    const closer = quote[0] as string;
    for (let at = text.indexOf(closer, from); at >= 0; at = text.indexOf(closer, at + 2)) if (text[at + 1] !== closer) return at;
    return -1;
  }
  if (quote !== '"' && quote !== ESCAPED_QUOTE) return text.indexOf(quote, from);
  for (let at = text.indexOf('"', from); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (at - backslashes > from && text[at - backslashes - 1] === '\\') backslashes++;
    if (backslashes % 2 === 0) return at;
    if (quote === ESCAPED_QUOTE && backslashes % 4 === 1) return at - 1;
  }
  return -1;
}

/** NAME without the quote that closes it (`password"`, `password\"`). */
function unquoted(name: string): string {
  if (!QUOTES.has(name[name.length - 1] as string)) return name;
  return name.slice(0, name.endsWith(ESCAPED_QUOTE) ? -2 : -1);
}

/** Whether NAME (without quotes) says its value is a secret: a secret word at its end, after a separator, at its start, or as a camelCase word. */
export function isSecretName(name: string): boolean {
  const plain = unquoted(name);
  if (!NAME.test(plain)) return false;
  if (SECRET_NAMES.has(plain.toLowerCase())) return true;
  const match = SECRET_SUFFIX.exec(plain);
  if (!match) return false;
  const before = plain[match.index - 1];
  if (before === undefined || !/[A-Za-z]/.test(before)) return true;
  return /[a-z]/.test(before) && /[A-Z]/.test(plain[match.index] as string);
}

/** Words joined into one identifier: by `_` or `.`, by `-` between two, or by camelCase (`aws_secret_access_key`, npm's `_auth`, `db.password`, `X-Api-Key`, `npmAuthToken`). */
const COMPOUND_NAME = /[_.]|[A-Za-z0-9]-[A-Za-z]|[a-z][A-Z]/;

/** Whether NAME is a secret's identifier that no sentence has for a word: a compound one, or a variable named by its tool (`PGPASSWORD`); not `password` or `Token`. */
function isSecretIdentifier(name: string): boolean {
  return isSecretName(name) && (COMPOUND_NAME.test(name) || SECRET_NAMES.has(name.toLowerCase()));
}

/** Whether NAME names a secret, or a credential header, whose whole value is one (`"Authorization"` of a HAR's `{"name":"Authorization","value":"Bearer k"}`). */
function isCredentialName(name: string): boolean {
  return isSecretName(name) || isCredentialHeader(unquoted(name));
}

/** PowerShell's environment drive before a variable's name (`$env:DB_PASSWORD = "k"`). */
const ENV_DRIVE = /^\$env:/i;
/** The registry an npm setting is scoped to, before its name (`//registry.npmjs.org/:_authToken=k`, `//localhost:4873/:_auth=k`). */
const NPM_REGISTRY_SCOPE = /^\/\/[^\s=]*\/:/;

/**
 * What a runtime's dump glues before a member's name: a pointer's `&`, a type's or a map's name and its bracket (Go's `&{`, `map[`,
 * Java's `Config{`, Lombok's and Python's `Config(`), a member holding it (Go's `Header:map[`, `headers={`). NAME is that member's
 * name: a secret's (`password=(a b)`) is the name itself, whose value opens with the bracket.
 */
const DUMP_PREFIX = /[&*]?(?:([A-Za-z_][\w.$-]{0,63})[:=])?(?:[A-Za-z_][\w.$]{0,63})?[{[(]/y;

/** The length of the dump's prefix glued at FROM in WORD (DUMP_PREFIX), 0 if none. */
function dumpPrefixAt(word: string, from: number): number {
  DUMP_PREFIX.lastIndex = from;
  const prefix = DUMP_PREFIX.exec(word);
  return prefix === null || (prefix[1] !== undefined && isCredentialName(prefix[1])) ? 0 : prefix[0].length;
}

/**
 * WORD without the quotes, brackets and option prefixes around a name it may carry (`'X-Api-Key:`, `--header="Authorization:`, `{"password":`,
 * `"{\"password\":`, `$env:DB_PASSWORD`, npm's `//registry.npmjs.org/:_authToken`), and without what a runtime's dump glues before one (`&{Password:`, `map[Authorization:`, `Header:map[Cookie:`).
 */
function bareName(word: string): string {
  let start = word.startsWith('--header=') ? 9 : word.startsWith('-H') && word.length > 2 ? 2 : (ENV_DRIVE.exec(word) ?? NPM_REGISTRY_SCOPE.exec(word))?.[0].length ?? 0;
  for (;;) {
    if (OPENERS.has(word[start] as string)) start++;
    else if (word.startsWith(ESCAPED_QUOTE, start)) start += ESCAPED_QUOTE.length;
    else {
      const prefix = dumpPrefixAt(word, start);
      if (prefix === 0) return word.slice(start);
      start += prefix;
    }
  }
}

/** WORD without the quotes, brackets and separators around it (`"-a",` -> `-a`). */
function stripped(word: string): string {
  const bare = bareName(word);
  return bare.slice(0, bare.length - closingRun(bare).length);
}

/** The quote WORD leaves open (an odd number of it), if any: a name inside a string (`"Password: "`, `'X-Api-Key:`). */
function openQuoteOf(word: string): string | undefined {
  for (const quote of QUOTES) {
    let count = 0;
    for (let i = word.indexOf(quote); i >= 0; i = word.indexOf(quote, i + 1)) count++;
    if (count % 2 === 1) return quote;
  }
  return undefined;
}

/** The closers at the end of WORD (`k"},` -> `"},`), found from the end in one pass; a tag's end after a quote closing an attribute among them (`k"/>`). */
function closingRun(word: string): string {
  let at = word.length;
  const tagEnd = word.endsWith('/>') ? 2 : word.endsWith('>') ? 1 : 0;
  if (tagEnd > 0 && QUOTES.has(word[at - tagEnd - 1] as string)) at -= tagEnd;
  while (at > 0 && CLOSERS.has(word[at - 1] as string)) at--;
  return word.slice(at);
}

/** A redacted value: OPEN, a quote it leaves open, so the words after it on its line go up to the closing one (`'x y'`); REST, what follows its closing quote in its word, not yet read. */
type Redacted = { text: string; open: string | undefined; rest: string };

/** TEXT inside a secret opened by QUOTE (or an XML element's text, `<`), from FROM: redacted up to its closing quote, which stays (no secret if the quote comes first); an end tag is left in REST, read again. */
function redactQuoted(text: string, quote: string, from = 0): Redacted {
  const close = closingQuoteAt(text, quote, from);
  if (close < 0) return { text: from < text.length ? REDACTED : '', open: quote, rest: '' };
  const closer = text.startsWith(ESCAPED_QUOTE, close) ? ESCAPED_QUOTE : DOUBLED_CLOSERS.has(quote) ? quote.slice(1) : quote;
  const end = quote === '<' ? close : close + closer.length;
  return { text: `${close > from ? REDACTED : ''}${text.slice(close, end)}`, open: undefined, rest: text.slice(end) };
}

/**
 * A value redacted where it stands: a quoted value keeps its quotes, what follows them left in REST
 * (`"k"},` -> `"<redacted>"` and `},`); a bare one keeps the closers after it (`k'` -> `<redacted>'`).
 */
function redactValue(value: string): Redacted {
  const quote = openingQuote(value);
  if (quote === undefined) return { text: `${REDACTED}${closingRun(value)}`, open: undefined, rest: '' };
  const body = redactQuoted(value, quote, quote.length);
  return { ...body, text: `${quote}${body.text}` };
}

/** `NAME=VALUE` / `NAME:VALUE` in one word (`--db-password=x`, `API_KEY=x`), its value redacted; undefined for any other word. */
function redactAssignment(word: string): { text: string; open: string | undefined } | undefined {
  // Past what comes before the name: PowerShell's env drive, whose colon is no assignment's (`$env:DB_PASSWORD="k"`), a dump's type and bracket (`&{Password:k`).
  let start = word.length - bareName(word).length;
  const separator = word.slice(start).search(/[=:]/);
  let at = separator < 0 ? -1 : start + separator;
  // An option's value may be an assignment of its own, named by what it holds: kubectl's `--from-literal=password=k`, docker's `--env=DB_PASSWORD=k`.
  if (word.startsWith('-', start) && word[at] === '=' && !isSecretName(word.slice(start, at))) {
    start = at + 1;
    at = word.indexOf('=', start);
  }
  if (at <= start || at - start > 70 || at === word.length - 1) return undefined;
  // A quoted key's `=>` is PHP's or Ruby's member, which redactMembers reads (`'password'=>'k'`).
  if (QUOTES.has(word[at - 1] as string) && word[at + 1] === '>') return undefined;
  const name = bareName(word.slice(start, at));
  if (!isSecretName(name) || namesCredentialsFile(name, word.slice(at + 1))) return undefined;
  // What follows a quoted value is left to redactWord's members, read after it.
  const value = redactValue(word.slice(at + 1));
  return { text: `${word.slice(0, at + 1)}${value.text}${value.rest}`, open: value.open };
}

/**
 * Members in one word whose names and strings are in QUOTE (JSON's `{"user":"bob","password":"k"}`, a
 * Python dict's or a JavaScript object's `{'user':'bob','password':'k'}`, PHP's and Ruby's `['password'=>'k']`): a name, then a string's opening
 * quote and body with its closing quote if the word holds it (the string may go on past the word), or a bare scalar.
 */
function quotedMember(quote: '"' | "'"): RegExp {
  return new RegExp(`${quote}([A-Za-z_][\\w.-]{0,63})${quote}(\\s*(?::|=>)\\s*)(?:(${quote}(?:[^${quote}\\\\]|\\\\.)*)(${quote}?)|([^,}\\]\\s"']+))`, 'g');
}
const JSON_MEMBER = quotedMember('"');
const SINGLE_QUOTED_MEMBER = quotedMember("'");
/** The same in a C string (strace's write of a JSON body), where every quote is escaped and a JSON escape doubles its backslash (`\\\"`, `\\n`). */
const ESCAPED_JSON_MEMBER = /\\"([A-Za-z_][\w.-]{0,63})\\"(\s*:\s*)(?:(\\"(?:[^"\\]|\\\\(?:\\.|[^\\])|\\[^"\\])*)(\\"|"?)|([^,}\]\s"\\]+))/g;
/** Entries of an env array in compact JSON (docker inspect's `"Env":["DB_PASSWORD=k","PATH=/bin"]`): a `NAME=value` string after `[` or `,`, which may go on past the word. */
const ENV_ARRAY_ENTRY = /([[,])"([A-Za-z_][\w.-]{0,63})=((?:[^"\\]|\\.)*)("?)/g;
/**
 * XML elements (`<password>k</password>`, SOAP's `<wsse:Password>`): the tag, its name, then its text up to the next tag, or a CDATA
 * section's up to its end (`<![CDATA[k]]>`, a `<` in it); either may be past the word, on the lines after it too.
 */
const XML_ELEMENT = /<((?:[A-Za-z_][\w.-]{0,63}:)?([A-Za-z_][\w.-]{0,63}))>(?:<!\[CDATA\[((?:[^\]]|\](?!\]>))*)(\]\]>)?|([^<]*))/g;
/** What opens a CDATA section, and what ends it. */
const CDATA_START = '<![CDATA[';
const CDATA_END = ']]>';
/** What ends an element's text, which may go on over lines (`<password>` ending its line, the text on the next). */
const ELEMENT_TEXT_ENDS = new Set(['<', CDATA_END]);
/**
 * Query and form parameters (`?token=k&page=2`, `user=bob&password=k`), an OAuth implicit grant's in a URL's fragment
 * (`#access_token=k&token_type=bearer`) and the options of a comma-separated list (mount's `-o username=u,password=k,vers=3.0`),
 * first in a string too (`-o 'username=u%k'`); a value ends at the next separator, quote or escape (strace's `?token=k\r\n`).
 */
const PARAMETER = /(^|[?&#,"'])([A-Za-z_][\w.-]{0,63})=([^&;"'\s,}#)<>\]\\]*)/g;
/** What opens a parameter in a query or a fragment, where a value is percent-encoded. */
const URL_LEADS = new Set(['?', '&', '#']);
/** What opens a query's parameter, whose name `key` is an API's key (Google's `?key=k`); in a list, a key is as often a record's (`{id=1,key=a}`). */
const QUERY_LEADS = new Set(['', '?', '&']);
/**
 * A connection string's segments after a `;`, or first in a string (ADO.NET's and JDBC's `Server=h;Password=x;`, `;Pwd=x`,
 * `connectionString="Password=x;Server=h"`): a value quoted or braced (`Password="a;b"`, ODBC's `PWD={a;b}`) up to its closing
 * quote or brace, doubled ones in it (`Password='a''b'`), or bare up to the next `;`, a quote or an escape; either may go on past the word (`Password=a b;`).
 */
const CONNECTION_SEGMENT = /([;"'])([A-Za-z_][\w.-]{0,63})=(\{(?:[^}]|\}\})*\}?|"(?:[^"]|"")*"?|'(?:[^']|'')*'?|[^;"'\\]*)/g;
/** A segment's name ending a word, its `=` glued to it or in the next word (ADO.NET allows spaces around it: `;Password = x`). */
const TRAILING_SEGMENT = /[;"']([A-Za-z_][\w.-]{0,63})=?$/;
/** The longest TRAILING_SEGMENT, so only a word's last characters are read for it. */
const TRAILING_SEGMENT_LENGTH = 66;

/** Elements that name an entry whose value a `<value>` element gives (Hadoop's `<name>fs.s3a.secret.key</name>`, then `<value>k</value>`). */
const ENTRY_ELEMENTS = new Set(['name', 'key']);

/** A word read for its secrets: its text; OPEN, a quote a secret leaves open past it; NAMED, whether its last entry element named a secret (undefined if it held none). */
type ReadWord = { text: string; open: string | undefined; named?: boolean };

/**
 * WORD with the values of its secret-named JSON members (credential headers among them), XML
 * elements and parameters redacted; OPEN, the quote or `<` that ends a secret going on past the
 * word (`"Bearer` of "Bearer k", `<password>a` of `<password>a b</password>`). VALUE_NAMED: an entry
 * before the word named a secret, so its `<value>` elements hold one.
 */
function redactMembers(word: string, valueNamed = false): ReadWord {
  let open: string | undefined;
  let named: boolean | undefined;
  const members = (quote: string) => {
    // Whether the member before was an env entry's secret `name`, so its `value` is one (`{"name":"DB_PASSWORD","value":"k"}`).
    let secretEnv = false;
    return (all: string, name: string, colon: string, body: string | undefined, close: string | undefined) => {
      const lower = name.toLowerCase();
      const secret = isCredentialName(name) || (lower === 'value' && secretEnv);
      secretEnv = lower === 'name' && body !== undefined && isCredentialName(body.slice(quote.length));
      if (!secret) return all;
      if (body === undefined) return `${quote}${name}${quote}${colon}${REDACTED}`;
      if (close === '') open = quote;
      return `${quote}${name}${quote}${colon}${quote}${REDACTED}${close}`;
    };
  };
  let out = word;
  if (out.includes(ESCAPED_QUOTE)) out = out.replace(ESCAPED_JSON_MEMBER, members(ESCAPED_QUOTE));
  if (out.includes('"')) out = out.replace(JSON_MEMBER, members('"'));
  if (out.includes("'")) out = out.replace(SINGLE_QUOTED_MEMBER, members("'"));
  if (out.includes('=')) {
    out = out.replace(ENV_ARRAY_ENTRY, (all: string, lead: string, name: string, value: string, close: string) => {
      if (value === '' || !isSecretName(name)) return all;
      if (close === '') open = '"';
      return `${lead}"${name}=${REDACTED}${close}`;
    });
  }
  if (out.includes('<')) {
    out = out.replace(XML_ELEMENT, (all: string, tag: string, name: string, cdata: string | undefined, cdataEnd: string | undefined, text: string | undefined, at: number, whole: string) => {
      const body = cdata ?? (text as string);
      const lower = name.toLowerCase();
      const secret = isSecretName(name) || (lower === 'value' && (named ?? valueNamed));
      if (ENTRY_ELEMENTS.has(lower)) named = isCredentialName(body);
      if (!secret) return all;
      const endsWord = at + all.length === whole.length;
      // An element's text not ended in the word goes on past it (`<password>` then `a b</password>`, or the text on the next line).
      if (cdata !== undefined && cdataEnd === undefined) open = CDATA_END;
      else if (cdata === undefined && endsWord) open = '<';
      if (body === '') return all;
      return cdata === undefined ? `<${tag}>${REDACTED}` : `<${tag}><![CDATA[${REDACTED}${cdataEnd ?? ''}`;
    });
  }
  if (out.includes('=')) {
    out = out.replace(CONNECTION_SEGMENT, (all: string, lead: string, name: string, value: string, at: number, whole: string) => {
      const quote = SEGMENT_QUOTES[value[0] as string];
      const close = quote === undefined ? -1 : closingQuoteAt(value, quote, 1);
      if (value === '' || close === 1 || !isSecretName(name)) return all;
      if (quote === undefined) {
        if (at + all.length === whole.length) open = SEGMENT_END;
        return `${lead}${name}=${REDACTED}`;
      }
      if (close < 0) open = quote;
      return `${lead}${name}=${value[0]}${REDACTED}${close < 0 ? '' : value.slice(close)}`;
    });
  }
  if (out.includes('=')) {
    out = out.replace(PARAMETER, (all: string, lead: string, name: string, value: string, at: number, whole: string) => {
      if (value === '') return all;
      const lower = name.toLowerCase();
      if ((isSecretName(name) && !namesCredentialsFile(name, value)) || (QUERY_LEADS.has(lead) && lower === 'key')) return `${lead}${name}=${REDACTED}`;
      // A Samba user in an option list, not a query's or a form's percent-encoded one (`?user=bob%40example.com`), nor a template's (`user=%u`).
      const query = URL_LEADS.has(lead) || whole[at + all.length] === '&';
      const password = query || !SAMBA_USER_OPTIONS.has(lower) ? -1 : afterPercent(value);
      return password > 1 && password < value.length ? `${lead}${name}=${value.slice(0, password)}${REDACTED}` : all;
    });
  }
  return { text: out, open, named };
}

/** A connection string segment's VALUE redacted up to the `;` or quote ending it, or its own closing quote or brace (`{a;b}`, `"a""b"`). */
function redactSegmentValue(value: string): Redacted {
  const quote = SEGMENT_QUOTES[value[0] as string];
  if (quote !== undefined) {
    const body = redactQuoted(value, quote, 1);
    return { ...body, text: `${value[0]}${body.text}` };
  }
  return openingQuote(value) === undefined ? redactQuoted(value, SEGMENT_END) : redactValue(value);
}

/** WORD with the secrets it holds by their shape, as an assignment or as members redacted (VALUE_NAMED as redactMembers takes it). */
function redactWord(word: string, valueNamed = false): ReadWord {
  const shaped = redactShapes(word);
  const assigned = redactAssignment(shaped);
  // An assignment's value gone, the members after it are read too: compact JSON whose first member is secret (`{"password":"k","token":"t"}`).
  const members = redactMembers(assigned?.text ?? shaped, valueNamed);
  return { text: members.text, open: assigned?.open ?? members.open, named: members.named };
}

/**
 * A redacted VALUE with the rest of its word read as a word of its own: a secret with a space
 * closes in a later word, which may hold more (`b","token":"t"}` of `{"password":"a b","token":"t"}`).
 * Still linear: the rest is read once, and redactWord leaves no rest of its own (an assignment's goes to its members).
 */
function withRest(value: Redacted, valueNamed = false): ReadWord {
  if (value.rest === '') return value;
  const rest = redactWord(value.rest, valueNamed);
  return { ...rest, text: `${value.text}${rest.text}` };
}

/**
 * Clients that take a secret as a short option, which a generic name cannot tell (`-p` is a port to
 * ssh and docker run): mysql's and mariadb's `-pSECRET`, redis-cli's `-a SECRET`, sshpass's
 * `-p SECRET`, `docker login -p SECRET` (`docker` itself takes none), curl's `-b COOKIE`, the mongo
 * shells' and tools' `-p SECRET`, the OpenLDAP clients' `-w SECRET` and ldappasswd's old and new
 * passwords besides (`-a OLD`, `-s NEW`), SQL Server's sqlcmd, bcp and osql `-P SECRET` (their
 * `-p` prints statistics: options are case-sensitive); Oracle's clients take it in their logon operand instead
 * (`sqlplus scott/tiger@db`, ORACLE_LOGON). Any word of a line may name one (`sudo`, `docker exec`, a
 * ps listing, strace's execve), and it holds to the end of its command.
 */
type PasswordClient = 'mysql' | 'redis' | 'sshpass' | 'curl' | 'docker' | 'login' | 'mongo' | 'ldap' | 'ldappasswd' | 'sqlserver' | 'oracle' | 'samba';

/**
 * Options whose value holds a password after a part that is none, by client, in the next word or attached after ATTACHED: curl's client
 * certificate and its passphrase (`--cert client.pem:PASS`, `-E client.pem:PASS`, `--proxy-cert`), the Samba clients' user
 * and its password (`smbclient -U 'DOM\user%PASS'`, `-Uuser%PASS`, `--user=user%PASS`). PASSWORD_AT: where it starts in the value.
 */
type PairedOptions = { options: ReadonlySet<string>; attached: readonly string[]; passwordAt: (value: string) => number };
const PAIRED_OPTIONS: Partial<Record<PasswordClient, PairedOptions>> = {
  curl: { options: new Set(['-E', '--cert', '--proxy-cert']), attached: ['-E'], passwordAt: certificatePassphraseAt },
  samba: { options: new Set(['-U', '--user']), attached: ['-U', '--user='], passwordAt: afterPercent },
};

/**
 * Each client's secret options, their value attached (`-pSECRET`), the next word (`-a SECRET`) or
 * either. mysql's is attached only: `mysql -p shop` asks for the password and opens database shop.
 * FLAGS: the client's options that take no value, which getopt lets stand before a secret one in its
 * word (`ldapsearch -xw SECRET`, `-xwSECRET`); only those common to all the OpenLDAP clients (`-S`
 * is ldapsearch's sort key, `-t` ldappasswd's file).
 * PROMPTS: alone, before another option or ending its line, the option asks for the password
 * (`mongosh -p --host db`). RUNS: the client runs the command its first operand names, whose options
 * are that command's own (`sshpass -p k ssh -p 2222 host`: ssh's port); the set holds the client's
 * options that take a value, which is no operand (`sshpass -f /run/pw ssh`).
 */
type SecretOptions = { options: ReadonlySet<string>; attached: boolean; spaced: boolean; flags?: string; prompts?: true; runs?: ReadonlySet<string> };
const LDAP_FLAGS = 'IMNQWZcnvx';
const SECRET_OPTIONS: Partial<Record<PasswordClient, SecretOptions>> = {
  mysql: { options: new Set(['-p']), attached: true, spaced: false },
  redis: { options: new Set(['-a']), attached: false, spaced: true },
  sshpass: { options: new Set(['-p']), attached: true, spaced: true, runs: new Set(['-f', '-d', '-P']) },
  login: { options: new Set(['-p']), attached: true, spaced: true },
  curl: { options: new Set(['-b']), attached: true, spaced: true },
  mongo: { options: new Set(['-p']), attached: true, spaced: true, prompts: true },
  ldap: { options: new Set(['-w']), attached: true, spaced: true, flags: LDAP_FLAGS },
  ldappasswd: { options: new Set(['-w', '-a', '-s']), attached: true, spaced: true, flags: LDAP_FLAGS },
  sqlserver: { options: new Set(['-P']), attached: true, spaced: true },
};

/** Where the value of one of SPEC's secret options starts in ARGUMENT (after `-w`, or after the flags clustered before it: `-xw`), if it is one. */
function secretValueAt(argument: string, spec: SecretOptions): number | undefined {
  if (argument[0] !== '-') return undefined;
  let at = 1;
  while (at < argument.length && spec.flags?.includes(argument[at] as string)) at++;
  return at < argument.length && spec.options.has(`-${argument[at]}`) ? at + 1 : undefined;
}

/** SQL*Plus's prompt, before its `connect` command (`SQL> connect scott/tiger@db`). */
const SQLPLUS_PROMPT = 'SQL>';

/**
 * The client PROGRAM (a path or a name, Windows's too: `C:\\...\\mysql.exe`) is, if it is one; `login` is one after docker (CURRENT), a registry's
 * login, and `conn[ect]` after SQL*Plus's prompt (PREVIOUS) its logon.
 */
function passwordClientOf(program: string, current: PasswordClient | undefined, previous: string | undefined): PasswordClient | undefined {
  const file = program.slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
  const name = /\.exe$/i.test(file) ? file.slice(0, -'.exe'.length).toLowerCase() : file;
  if (/^(?:mysql|mariadb)[\w-]*$/.test(name)) return 'mysql';
  if (/^(?:redis|valkey|keydb)-(?:cli|benchmark)$/.test(name)) return 'redis';
  if (name === 'sshpass' || name === 'curl') return name;
  if (/^(?:docker|podman|nerdctl)$/.test(name)) return 'docker';
  // The legacy shell, mongosh and the database tools share -p (mongodump -u app -p k).
  if (/^mongo(?:sh|dump|restore|export|import|files|stat|top)?$/.test(name)) return 'mongo';
  if (name === 'ldappasswd') return 'ldappasswd';
  if (/^ldap(?:search|modify|add|delete|modrdn|compare|whoami|exop)$/.test(name)) return 'ldap';
  if (/^(?:sqlcmd|bcp|osql)$/i.test(name)) return 'sqlserver';
  if (/^(?:sqlplus|sqlldr|expdp|impdp|rman|dgmgrl)$/i.test(name) || (/^conn(?:ect)?$/i.test(name) && previous === SQLPLUS_PROMPT)) return 'oracle';
  if (/^(?:smbclient|rpcclient|smbcacls|smbcquotas|smbget|smbtree|net)$/.test(name)) return 'samba';
  return name === 'login' && current === 'docker' ? 'login' : undefined;
}

/** A quoted member's name ending a word, its value the next word, the member glued to what comes before it (`headers={"Authorization":`, `{"user":"bob","password":`). */
const TRAILING_MEMBER = /(\\?["'])([A-Za-z_][\w.-]{0,63})\1:$/;
/** The longest TRAILING_MEMBER, so only a word's last characters are read for it. */
const TRAILING_MEMBER_LENGTH = 2 * ESCAPED_QUOTE.length + 64 + 1;

/** The value of a connection string's segment NAME (its `=` glued to it or not), ending the word of PARTS at AT, if it names a secret and its value follows on the line. */
function segmentValueNext(name: string, parts: readonly string[], at: number): Pending {
  if ((parts[at + 1] ?? '\n').includes('\n') || !isSecretName(name.endsWith('=') ? name.slice(0, -1) : name)) return undefined;
  if (name.endsWith('=')) return { kind: 'segment', equals: false };
  return (parts[at + 2] ?? '').startsWith('=') ? { kind: 'segment', equals: true } : undefined;
}

/** A word that opens an element whose attributes follow it (`<property`, .NET's `<add`), at its end (`.../><property`). */
const TAG_START = /<[A-Za-z_][\w.:-]{0,63}$/;
/** An attribute naming the entry an element holds (`name="db.password"`, .NET's `key="ApiKey"`), whose value is the element's `value` attribute or its text. */
const ENTRY_NAME = /^(?:name|key)=(["'])([^"'<>]{1,64})\1/i;
/** An element's `value` attribute. */
const ENTRY_VALUE = 'value=';
/** An attribute's name and `=` with spaces around it, which the next word completes (`name`, `=`, `"password"`; `name`, `="password"`). */
const SPACED_ATTRIBUTE = /^(?:name|key|value)=?$/i;

/**
 * Where the attributes of the element opened by the word of PARTS at FROM end, if one names a secret's
 * entry (`<property name="password" value="k"/>`, `<add value="k" key="ApiKey"/>`, on one line or
 * more); else -1. Read up to the word that closes the tag, or before one that opens another (holds a
 * `<`), where the next element is read from: each word is read here once.
 */
function secretEntryEnd(parts: readonly string[], from: number): number {
  let secret = false;
  let attribute = '';
  let at = from + 2;
  for (; at < parts.length; at += 2) {
    const word = parts[at] as string;
    const close = word.indexOf('>');
    if ((close < 0 ? word : word.slice(0, close)).includes('<')) break;
    const joined = `${attribute}${word}`;
    const name = ENTRY_NAME.exec(joined);
    if (name && isCredentialName(name[2] as string)) secret = true;
    attribute = SPACED_ATTRIBUTE.test(joined) ? joined : '';
    if (close >= 0) return secret ? at : -1;
  }
  return secret ? at - 2 : -1;
}

/** Whether the word of PARTS at AT is the whole of the line after the one before it (a line break, then it, then the line's end). */
function isLoneWord(parts: readonly string[], at: number): boolean {
  const before = parts[at - 1] ?? '';
  return (parts[at] ?? '') !== '' && before.indexOf('\n') === before.lastIndexOf('\n') && (parts[at + 1] ?? '\n').includes('\n');
}

/** redis-cli's prompt: the server's host and port, the database selected, a transaction open (`127.0.0.1:6379>`, `[::1]:6379[2]>`, `cache:6379(TX)>`). */
const REDIS_PROMPT = /^(?:\[[\da-f:]{2,39}\]|[\w.-]{1,253}):\d{1,5}(?:\[\d{1,5}\])?(?:\(TX\))?>$/i;

/** Whether the word of PARTS at AT ends its line. */
function endsLine(parts: readonly string[], at: number): boolean {
  return (parts[at + 1] ?? '\n').includes('\n');
}

/** Where a line stands among redis's commands: its word's place, the password client whose command line it is, the argument before it. */
type RedisLine = { wordInLine: number; client: PasswordClient | undefined; previous: string | undefined };

/**
 * The redis command the word of PARTS at AT gives, lower-cased, if it stands where one does: at a line's start in capitals (as redis's
 * documents write them), after redis-cli's prompt, on its command line, or as MONITOR shows it (`"AUTH" "k"`, in any case).
 */
function redisCommandAt(parts: readonly string[], at: number, line: RedisLine): string | undefined {
  const word = parts[at] as string;
  const monitor = word.length > 2 && word.startsWith('"') && word.endsWith('"') && (parts[at + 2] ?? '').startsWith('"');
  const command = monitor || line.client === 'redis' || (line.wordInLine === 1 && !/[a-z]/.test(word)) || (line.wordInLine === 2 && REDIS_PROMPT.test(parts[at - 2] as string));
  return command ? (monitor ? word.slice(1, -1) : word).toLowerCase() : undefined;
}

/** What redis answers a command with, opening the line after it: `OK`, or an error (`(error) WRONGPASS ...`). */
const REDIS_REPLIES = new Set(['OK', '(error)']);
/** A log's own word after `AUTH` at a line's start, saying how it went (`AUTH failed`, `AUTH failed: WRONGPASS`), which no password is. */
const AUTH_OUTCOME = /^(?:failed|failure|error|ok|succeeded|successful|success|denied|rejected|refused|required|expired|invalid|timeout)[.,:;!]?$/i;

/**
 * Where the password a redis command gives stands in PARTS, if the word at AT opens one: `AUTH [username] password` where a command
 * stands (COMMAND, as redisCommandAt reads it), its last argument, ending the line or the command (or opening a quoted one); sentinel's `auth-pass <master> password` (sentinel.conf,
 * `SENTINEL SET <master> auth-pass password`) and `sentinel-pass password`. At a line's start with no prompt, AUTH in capitals is a log's
 * word when an outcome follows it (`AUTH failed`), and `auth` in small letters a command when redis's reply comes on the next line (`OK`).
 */
function redisPasswordAt(parts: readonly string[], at: number, line: RedisLine, command: string | undefined): number | undefined {
  const word = parts[at] as string;
  const lower = word.toLowerCase();
  const first = at + 2;
  if (endsLine(parts, at)) return undefined;
  // Bare at a line's start, with no prompt before it nor MONITOR's quotes around it.
  const lineStart = lower === 'auth' && line.wordInLine === 1;
  if (command === 'auth' || lineStart) {
    const lastArgument = (argument: number) =>
      endsLine(parts, argument) || (parts[argument] as string).endsWith(';') || CONTROL_OPERATOR.test(parts[argument + 2] as string) || openQuoteOf(parts[argument] as string) !== undefined;
    const password = lastArgument(first) ? first : !endsLine(parts, first) && lastArgument(first + 2) ? first + 2 : undefined;
    if (password === undefined || !lineStart) return password;
    if (endsLine(parts, password) && REDIS_REPLIES.has(parts[password + 2] ?? '')) return password;
    return word === 'AUTH' && !AUTH_OUTCOME.test(parts[first] as string) ? password : undefined;
  }
  const sentinel = line.previous?.toLowerCase() === 'sentinel';
  if (lower === 'sentinel-pass' && sentinel) return first;
  if (lower !== 'auth-pass') return undefined;
  if (stripped(parts[at - 4] ?? '').toLowerCase() === 'set') return first;
  return sentinel && !endsLine(parts, first) ? first + 2 : undefined;
}

/**
 * redis commands whose options give a password after the words before it, by each option the count of those: HELLO's
 * `AUTH username password`, MIGRATE's `AUTH password` and `AUTH2 username password`.
 */
const REDIS_AUTH_OPTIONS: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map([
  ['hello', new Map([['auth', 1]])],
  [
    'migrate',
    new Map([
      ['auth', 0],
      ['auth2', 1],
    ]),
  ],
]);
/** ACL rules that carry a password or its SHA-256 hash: `>password` and `<password` add and remove one, `#hash` and `!hash` its hash. */
const ACL_PASSWORD_RULES = new Set(['>', '<', '#', '!']);
/** What a redis command on a line gives passwords by: its ACL rules, or its AUTH options. */
type RedisArguments = 'rules' | ReadonlyMap<string, number>;

/** The ACL rule WORD with the password or hash it carries redacted (`>k`, `">a b"`), the rule's mark and quotes staying; undefined for any other word. */
function redactAclRule(word: string): ReadWord | undefined {
  const quote = openingQuote(word) ?? '';
  const body = quote.length + 1;
  if (!ACL_PASSWORD_RULES.has(word[quote.length] as string) || word.length === body) return undefined;
  const value = withRest(quote === '' ? redactValue(word.slice(body)) : redactQuoted(word, quote, body));
  return { ...value, text: `${word.slice(0, body)}${value.text}` };
}

/** A word that ends a command on its line, so the next command's options are its own (`redis-cli ping; ls -a /tmp`). */
const COMMAND_END = /(?:^(?:\|\|?|&&?)|;)$/;
/** A word of its own that ends a command (`&&`, `|`, `;`). */
const CONTROL_OPERATOR = /^(?:\|\|?|&&?|;)$/;

/** The armour after `-----BEGIN` that opens a private key (`RSA PRIVATE KEY-----`, `OPENSSH PRIVATE KEY-----`, PGP's `PGP PRIVATE KEY BLOCK-----`), not a certificate. */
const PRIVATE_KEY_ARMOUR = /^(?:[A-Z]+\s+){0,2}PRIVATE\s+KEY(?:\s+BLOCK)?-----/;
/** The most words PRIVATE_KEY_ARMOUR spans. */
const ARMOUR_WORDS = 5;
/**
 * `PRIVATE KEY` of a PEM's armour encoded again in base64, as a Kubernetes Secret's data holds it:
 * at each of the three offsets in base64's 3-byte groups, the part it wholly encodes (`PRIVATE K`,
 * `IVATE KEY`, `RIVATE KE`), so the key is found wherever it stands in the blob, after a certificate
 * (`cat cert.pem key.pem | base64 -w0`, a haproxy.pem bundle) or a newline. A certificate has none.
 */
const BASE64_PRIVATE_KEY = ['UFJJVkFURSBL', 'SVZBVEUgS0VZ', 'UklWQVRFIEtF'];
/** A run of base64: one holding a private key goes whole, as where the key starts in it is not known to the character. */
const BASE64_RUN = /[A-Za-z0-9+/]+=*/g;

function holdsBase64PrivateKey(text: string): boolean {
  return BASE64_PRIVATE_KEY.some((armour) => text.includes(armour));
}

/** A line of a PEM body or of base64's wrapped output: one word of base64. */
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;
/** The fewest lines of a wrapped run read as a key by what it opens with or by the armour before it; fewer, or narrower (PEM wraps at 64, base64 at 76, ssh-keygen at 70), and any few words would be one. */
const KEY_RUN_LINES = 3;
const KEY_RUN_WIDTH = 40;
/** base64 of OpenSSH's private key format's magic, `openssh-key-v1`. */
const OPENSSH_PRIVATE_KEY = 'b3BlbnNzaC1rZXktdjE';
/** A character of base64 that no hex digit is: a run of hex digests (git's object names) is no key. */
const NOT_HEX = /[G-Zg-z+/]/;
/** The object identifiers' start of the password-based encryption schemes an encrypted PKCS#8 key names: PKCS#5's (1.2.840.113549.1.5) and PKCS#12's (1.2.840.113549.1.12.1). */
const PBE_SCHEMES = [
  [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05],
  [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01],
];

/** Where the contents of the DER element at AT of BYTES start, if it is one with TAG (a short or long length of up to 3 bytes). */
function derContents(bytes: Uint8Array, at: number, tag: number): number | undefined {
  const length = bytes[at + 1];
  if (bytes[at] !== tag || length === undefined) return undefined;
  if (length < 0x80) return at + 2;
  const octets = length & 0x7f;
  return octets >= 1 && octets <= 3 ? at + 2 + octets : undefined;
}

/**
 * What the base64 LINE (a run's first) opens with: a private key's DER (PKCS#1, PKCS#8, SEC1 or DSA's: a
 * SEQUENCE opening with version 0 or 1, then an INTEGER, an OCTET STRING or an algorithm's SEQUENCE; an
 * encrypted PKCS#8 key's: an algorithm of password-based encryption) or OpenSSH's; another structure (a
 * certificate's, a request's, a public key's: a SEQUENCE in a SEQUENCE; an RSA public key's: its modulus;
 * a PEM text, base64 again); or neither, as the middle of a key does.
 */
function runOpening(line: string): 'private' | 'other' | undefined {
  if (line.startsWith(OPENSSH_PRIVATE_KEY)) return 'private';
  if (line.startsWith('LS0tLS')) return 'other';
  const bytes = Buffer.from(line.slice(0, 32), 'base64');
  const contents = derContents(bytes, 0, 0x30);
  if (contents === undefined) return undefined;
  if (bytes[contents] === 0x02 && bytes[contents + 1] === 0x01 && (bytes[contents + 2] as number) <= 1) return [0x02, 0x04, 0x30].includes(bytes[contents + 3] as number) ? 'private' : undefined;
  // A long INTEGER first: an RSA public key's modulus, DH parameters' prime.
  if (bytes[contents] === 0x02 && (bytes[contents + 1] as number) > 0x80) return 'other';
  const algorithm = derContents(bytes, contents, 0x30);
  if (algorithm === undefined) return undefined;
  const scheme = algorithm + 2;
  const encrypted = bytes[algorithm] === 0x06 && PBE_SCHEMES.some((oid) => oid.every((byte, at) => bytes[scheme + at] === byte));
  return encrypted ? 'private' : 'other';
}

/**
 * TEXT without the private keys in base64 wrapped over lines with no armour of their own around them:
 * a PEM body pasted alone, base64's output of a PEM file. A run of lines of one base64 word each, as
 * wide as the first but the last, goes whole when it holds a PEM private key's armour in base64 (two
 * lines or more: the line holding it goes in any case, as words do); or, of KEY_RUN_LINES or more, when
 * it opens with a private key, or comes after a private key's armour (the last armour before it) and
 * opens with nothing else. A certificate's body, after its own armour or alone, stays.
 */
function redactWrappedKeys(text: string): string {
  if (!text.includes('\n')) return text;
  const lines = text.split('\n');
  const words = lines.map((line) => line.trim());
  let afterPrivateKey = false;
  let start = 0;
  let width = 0;
  const endRun = (end: number) => {
    const run = words.slice(start, end);
    const joined = run.join('');
    const opening = runOpening(run[0] as string);
    const key =
      (run.length >= 2 && holdsBase64PrivateKey(joined)) ||
      (run.length >= KEY_RUN_LINES && (opening === 'private' || (afterPrivateKey && opening === undefined && NOT_HEX.test(joined))));
    if (!key) return;
    for (let at = start; at < end; at++) {
      const line = lines[at] as string;
      const from = line.indexOf(words[at] as string);
      lines[at] = `${line.slice(0, from)}${REDACTED}${line.slice(from + (words[at] as string).length)}`;
    }
  };
  for (let at = 0; at <= lines.length; at++) {
    const word = words[at] ?? '';
    const base64 = BASE64_LINE.test(word);
    // Only a run's last line may be narrower than its first.
    if (width > 0 && base64 && word.length <= width && (words[at - 1] as string).length === width) continue;
    if (width > 0) endRun(at);
    width = base64 && word.length >= KEY_RUN_WIDTH ? word.length : 0;
    start = at;
    const armour = base64 ? -1 : word.lastIndexOf('-----BEGIN');
    if (armour >= 0) afterPrivateKey = PRIVATE_KEY_ARMOUR.test(word.slice(armour + '-----BEGIN'.length).trimStart());
  }
  return lines.join('\n');
}

/**
 * Oracle's logon, `user/password@database`: a user, a `/`, its password (quoted if it holds an `@`: `sys/"p@ss"@db`), then what follows
 * (`@db`, `@//host:1521/svc`) stays. `/ as sysdba`, `/nolog` and `/@wallet` give no password, and `scott@db` asks for it. An Oracle
 * client's operand (`sqlplus scott/tiger@db`, in quotes, `expdp userid=scott/tiger`), or a JDBC thin or OCI URL's (`jdbc:oracle:thin:scott/tiger@db:1521/svc`).
 */
const LOGON = String.raw`[^\s/@"'=]{1,128}/)("[^"]*"?|[^\s@"']+)`;
const ORACLE_LOGON = new RegExp(String.raw`^((?:userid=)?["']?${LOGON}`, 'i');
const JDBC_ORACLE = 'jdbc:oracle:';
const JDBC_ORACLE_LOGON = new RegExp(String.raw`(${JDBC_ORACLE}\w{1,16}:${LOGON}`, 'g');

/** A logon's match with its PASSWORD redacted, after HEAD (the user and its `/`); the quotes around a quoted one stay. */
function redactLogon(_all: string, head: string, password: string): string {
  if (!password.startsWith('"')) return `${head}${REDACTED}`;
  return `${head}"${REDACTED}${password.length > 1 && password.endsWith('"') ? '"' : ''}`;
}

/** WORD without the secrets known by their own shape wherever they stand: URL credentials and JDBC's Oracle logons, base64 runs holding a private key (a certificate stays). */
function redactShapes(word: string): string {
  let out = word.includes('://') ? word.replace(URL_CREDENTIALS, `$1${REDACTED}@`) : word;
  if (out.includes(JDBC_ORACLE)) out = out.replace(JDBC_ORACLE_LOGON, redactLogon);
  if (holdsBase64PrivateKey(out)) out = out.replace(BASE64_RUN, (run: string) => (holdsBase64PrivateKey(run) ? REDACTED : run));
  return out;
}

/**
 * A private key's text in TEXT: it goes, up to the armour that ends it (`-----END`) or, on one
 * line, up to a quote ending the string it is in (strace cuts long ones: `\nMIIE"...`); ENDED
 * says whether either came.
 */
function redactKeyText(text: string, inLine: boolean): { text: string; ended: boolean } {
  const end = inLine ? text.search(/-----END|\\?["']/) : text.indexOf('-----END');
  if (end < 0) return { text: REDACTED, ended: false };
  return { text: end === 0 ? text : `${REDACTED}${text.slice(end)}`, ended: true };
}

/** A cookie list of a HAR (or of a browser's saved state): `"cookies": [`, each cookie's value in it a session's credential, whatever its name. */
const COOKIE_LIST = /"cookies"\s*:\s*\[/gi;
/** In a cookie list: a string, up to its closing quote if it has one, or the `]` that ends the list. */
const COOKIE_LIST_TOKEN = /"((?:[^"\\]|\\.)*)("?)|\]/g;
/** After a `"value"` string: the colon that makes it a member's name, up to its value's opening quote. */
const MEMBER_COLON = /\s*:\s*"/y;

/**
 * TEXT with the values of its HAR cookie lists redacted (`"cookies": [{"name": "sid", "value": "k"}]`),
 * read as JSON: strings whole, so a `]` in one ends no list. Each character is read once, the lists
 * in order; one left open runs to the end of the text.
 */
function redactCookieLists(text: string): string {
  let out = '';
  let copied = 0;
  COOKIE_LIST.lastIndex = 0;
  while (COOKIE_LIST.exec(text) !== null) {
    COOKIE_LIST_TOKEN.lastIndex = COOKIE_LIST.lastIndex;
    let value = false;
    let token: RegExpExecArray | null;
    while ((token = COOKIE_LIST_TOKEN.exec(text)) !== null && token[0] !== ']') {
      const body = token[1] as string;
      if (value && body !== '') {
        out += `${text.slice(copied, token.index + 1)}${REDACTED}`;
        copied = token.index + 1 + body.length;
      }
      MEMBER_COLON.lastIndex = COOKIE_LIST_TOKEN.lastIndex;
      value = body.toLowerCase() === 'value' && token[2] === '"' && MEMBER_COLON.test(text);
    }
    if (token === null) break;
    COOKIE_LIST.lastIndex = COOKIE_LIST_TOKEN.lastIndex;
  }
  return `${out}${text.slice(copied)}`;
}

/** An errno name (ETIMEDOUT, ECONNREFUSED, EAI_AGAIN), perhaps closing a clause. */
const ERRNO_NAME = /^E[A-Z][A-Z0-9_]{2,}[,.;]?$/;

/** YAML's block scalar indicator: literal or folded, with a chomping or indentation indicator or both (`|`, `>-`, `|2+`). */
const BLOCK_SCALAR = /^[|>](?:[-+]?[1-9]?|[1-9][-+])$/;

/** Marks that open a line without being its first word: curl -v's `>`, `<`, `*`, a YAML list's `-`. */
const LINE_MARKERS = new Set(['>', '<', '*', '-']);
/**
 * Words that set a variable, a setting or a header named next to the value after it: `aws configure set`, `npm config set`, Windows's `setx`,
 * csh's `setenv`, Apache's `SetEnv` and `RequestHeader set`, Dockerfile's `ENV`; nginx's header directives and the parameters it passes an
 * application (`proxy_set_header`, `fastcgi_param`), HAProxy's `http-request set-header`.
 */
const SETTERS = new Set(['set', 'setx', 'setenv', 'env', 'proxy_set_header', 'grpc_set_header', 'add_header', 'add_trailer', 'fastcgi_param', 'uwsgi_param', 'scgi_param', 'set-header', 'add-header']);
/** A value that is one of nginx's variables, quoted or not (`$http_authorization;`): a header set from it names what is passed on, and holds no secret. */
const NGINX_VARIABLE = /^("?)\$[A-Za-z_]\w{0,63}\1;?$/;

/** .netrc's tokens after a machine's name (`machine h login u password k`), on its line or the lines after it. */
const NETRC_TOKENS = new Set(['login', 'password', 'account', 'macdef']);
/** .netrc's tokens whose value is a secret: the password, and the account's additional one. */
const NETRC_SECRETS = new Set(['password', 'account']);

/**
 * Whether the word of PARTS at AT, a line's first, opens a .netrc entry: `machine NAME` ending the line or before a token, `default`
 * before its login (`default login anonymous password ...`; "default password is admin" is a sentence).
 */
function opensNetrcEntry(parts: readonly string[], at: number): boolean {
  const word = parts[at];
  if (word === 'default') return !endsLine(parts, at) && parts[at + 2] === 'login';
  if (word !== 'machine' || endsLine(parts, at)) return false;
  return endsLine(parts, at + 2) || NETRC_TOKENS.has(parts[at + 4] ?? '');
}

/** A `name: value` is a header, YAML or a label (openssl's `Resumption PSK:`) among a line's first two words; later, it is a sentence of a log. */
const LABEL_WORDS = 2;

/**
 * What the text is read in words by: whitespace, and the `\n` and `\r\n` escapes of a C string or
 * JSON (strace's `write(3, "GET / HTTP/1.1\r\nAuthorization: ...`), which stand for a line break in
 * the text the string holds; not `\\n`, an escaped backslash before an n. The lookahead first,
 * so only a backslash before an `n` looks back over the backslashes before it, once.
 */
const SEPARATORS = /(\s+|(?=(?:\\r)?\\n)(?<=(?:^|[^\\])(?:\\\\)*)(?:\\r)?\\n)/;

/** Brackets a runtime's dump nests values in; a closing one of any kind ends a value that did not open it. */
const OPENING_BRACKETS = new Set(['{', '[', '(']);
const CLOSING_BRACKETS = new Set(['}', ']', ')']);
/** What a credential header's name follows in a dump: a bracket, or the comma after the member before it. */
const DUMP_OPENERS = new Set([...OPENING_BRACKETS, ',']);
/** The next member of a dump after a comma: its name, quoted or not, and its `:` or `=` (`Accept=*\/*`, `"Accept": "*\/*"`). */
const NEXT_MEMBER = /["']?[A-Za-z_][\w.-]{0,63}["']?([:=])/y;
/** What follows an `=` in an auth-param or a cookie's pair (`realm="r"`, `nc=00000001`, `a=1`), and not in token68's padding (`dXNl==`, `dXNl=,`). */
const PARAM_VALUE_START = /[\w"']/;

/**
 * A credential header's value in a runtime's dump (`{Authorization: Bearer k}`, Go's `map[Cookie:[a=1; b=2]]`, Java's
 * `{Authorization=Bearer k, Accept=*\/*}`), read word by word: DEPTH, the brackets opened in it still open; PARAMS, whether it
 * held an auth-param or a cookie's pair (`Digest username="bob", realm="r", response="h"`), whose list a `, name=` goes on;
 * FIRST, whether none of it was read yet.
 */
type DumpValue = { kind: 'dump'; depth: number; params: boolean; first: boolean };

/** Whether a member's name and its `:` or `=` open TEXT at FROM, one VALUE's comma before it ends (a `, name=` ends no list of PARAMS). */
function nextMemberAt(text: string, from: number, value: DumpValue): boolean {
  NEXT_MEMBER.lastIndex = from;
  const member = NEXT_MEMBER.exec(text);
  return member !== null && (member[1] === ':' || !value.params);
}

/** Python's prefix of a bytes literal (`b'Bearer k'`). */
const BYTES_PREFIX = /^b["']/;

/**
 * TEXT, the next of VALUE's words (NEXT, the word after it on its line), redacted up to where the value ends: at a closing bracket it
 * did not open, or at a comma before the next member (in TEXT, or before NEXT). A value opening with a quote is that string
 * (`{Authorization: "Bearer k"}`, a bytes literal's `b'Bearer k'`); one opening with a bracket is what it holds (Go's `[Bearer k]`), the bracket staying. ENDED:
 * whether the value ended in TEXT, what follows it read as a word of its own (`]]`, `, Accept=*\/*}`). Each character is read once.
 */
function redactDumpWord(text: string, value: DumpValue, next: string): { text: string; open: string | undefined; ended: boolean } {
  const first = value.first;
  value.first = false;
  const bytes = BYTES_PREFIX.test(text) ? 1 : 0;
  if (first && openingQuote(text.slice(bytes)) !== undefined) {
    const quoted = withRest(redactValue(text.slice(bytes)));
    return { text: `${text.slice(0, bytes)}${quoted.text}`, open: quoted.open, ended: true };
  }
  const group = first && OPENING_BRACKETS.has(text[0] as string) ? (text[0] as string) : '';
  let at = group.length;
  for (; at < text.length; at++) {
    const char = text[at] as string;
    if (OPENING_BRACKETS.has(char)) value.depth++;
    else if (CLOSING_BRACKETS.has(char) && value.depth-- === 0) break;
    else if (char === '=' && PARAM_VALUE_START.test(text[at + 1] ?? '')) value.params = true;
    else if (char === ',' && value.depth === 0 && (at + 1 < text.length ? nextMemberAt(text, at + 1, value) : nextMemberAt(next, 0, value))) break;
  }
  const kept = `${group}${at > group.length ? REDACTED : ''}`;
  if (at === text.length) return { text: kept, open: undefined, ended: false };
  const rest = redactWord(text.slice(at));
  return { text: `${kept}${rest.text}`, open: rest.open, ended: true };
}

/** Whether SEPARATOR, between two words, breaks a line: a line break, or a string's escaped one (`\n`). */
function breaksLine(separator: string): boolean {
  return separator.includes('\n') || separator.startsWith('\\');
}

/**
 * A PuTTY private key file's (.ppk) label of its private key's lines and their count (`Private-Lines: 14`), opening a line: the lines
 * after it, each one word of base64, are the key, as a PEM body is (its public lines and `Private-MAC:` stay).
 */
const PPK_PRIVATE_LINES = 'Private-Lines:';
const PPK_LINE_COUNT = /^\d{1,4}$/;

/** What the next words are: a value, a `user:password`, or the rest of the line (a header's value), in a string's text up to the QUOTE that ends it. */
type Pending =
  | { kind: 'value'; inside: string | undefined }
  /** A credential option's value: the password in it starts where PASSWORD_AT says (`user:password`, Samba's `user%password`). */
  | { kind: 'user_password'; passwordAt: (value: string) => number }
  | { kind: 'line'; quote: string | undefined }
  | DumpValue
  /** A connection string segment's value, EQUALS its `=` still to come (`Password`, `=`, `x;`). */
  | { kind: 'segment'; equals: boolean }
  | undefined;

/**
 * TEXT with the values of secret-named options, variables (a secret's identifier and its value after a space too: `AWS_SECRET_ACCESS_KEY k`,
 * `aws configure set aws_secret_access_key k`), .netrc's passwords, JSON and Python members (in C strings too),
 * XML elements and entries, env entries and query, form or connection-string parameters, YAML block
 * scalars under them, HAR cookie lists, credential headers (Authorization, Cookie; in a runtime's dump, up to the bracket closing
 * the value or the next member), members glued to a dump's type or map (`&{Password:k`), `user:password` options, curl's
 * certificate passphrases and Samba's `user%password`, clients' password options and Oracle logons, redis's password directives, AUTH, HELLO's and MIGRATE's AUTH options, ACL
 * rules and sentinel passwords, URL credentials, a .ppk file's private lines and PEM private
 * keys (in base64 too, or wrapped over lines with no armour) replaced by `<redacted>`. Read word by
 * word in time linear in the text, after its cookie lists and its runs of base64 lines; whitespace is
 * kept as it was, and nothing spans a line but a PEM key's text, a .ppk's private lines, an entry's name and value (env's, XML's), an
 * element's attributes and text, a YAML block's lines, a redis reply's value and AUTH's reply (a quote left open ends with
 * its line). A string's `\n` escapes break its text into lines as well (its headers, strace's
 * `"...\r\nCookie: k\r\n"`). A `name: value` pair is read as one only among the first words of a
 * line or in quotes (a header, YAML, JSON, a label), so a log's "refresh token: ETIMEDOUT" keeps the
 * error a parser reads.
 */
export function redactSecrets(text: string): string {
  const parts = redactWrappedKeys(redactCookieLists(text)).split(SEPARATORS);
  let pending: Pending;
  let openQuote: string | undefined;
  /**
   * A secret element's tag ended its word with no text yet (`<password>` ending its line, the text
   * on the next): only then does its text go on over a line break, to a next line of one word.
   * Text after the tag on its own line (`ERR AUTH <password> called without ...`) ends with that
   * line, and a placeholder ending a usage line leaves the next sentence, or one placeholder would
   * take every later line of the paste.
   */
  let elementTextWaits = false;
  /** Inside a private key's text: over the lines after an armour that ends its line, as in a file; else to the end of the armour's line or of the string there (`"...KEY-----\nMIIE...`). */
  let privateKey: 'lines' | 'line' | undefined;
  let wordInLine = 0;
  let previousLabel = false;
  let lineClient: PasswordClient | undefined;
  /** The line's last word read as an argument, which may make this one an option's value (`-f FILE`, `CONFIG SET requirepass k`). */
  let previousArgument: string | undefined;
  /** What the redis command on the line gives passwords by, up to the command's end. */
  let redisArguments: RedisArguments | undefined;
  let line = 0;
  /** The first quote on the line, which opens the string its escaped line breaks stand in (`"` in strace, `'` in Python's `send: b'...'`). */
  let lineQuote: string | undefined;
  /** The quote of the string the line's words stand in after an escaped line break, which ends a header's value there. */
  let stringQuote: string | undefined;
  /**
   * The line of the last entry that named a secret, an env entry of Kubernetes or ECS or an XML one: an entry
   * gives the value apart from the name, on its line or the next (`- name: DB_PASSWORD` then
   * `value: k`, kubectl writing `name` first; Hadoop's `<name>fs.s3a.secret.key</name>` then `<value>k</value>`;
   * Spring's `<property name="password">` then `<value>k</value>`). `valueFrom:` is no value, and `DB_PASSWORD_FILE`
   * names a file, as `password_file:` does.
   */
  let secretEntryLine = -Infinity;
  /**
   * The line of a secret's name that ended it, its value the next line's: a password directive as redis-cli's reply to CONFIG GET lists one
   * (`1) "requirepass"`, then `2) "k"`), a key as PHP's var_dump prints one (`["password"]=>`, then `string(1) "k"`).
   */
  let valueLine = -Infinity;
  /** The last line of a .netrc entry: one that opened it, or one of its tokens after it (`machine h`, then `login u`, then `password k`). */
  let netrcLine = -Infinity;
  /** The last word of the attributes of an element naming a secret's entry, whose `value` attribute or text is it. */
  let entryEnd = -1;
  /** How far the line is indented: the spaces before its first word. */
  let lineIndent = parts[0] === '' ? (parts[1] ?? '').length : 0;
  /** How many lines of a .ppk file's private key are still to come after its `Private-Lines: N`. */
  let privateLines = 0;
  /** The line whose secret's key opened a YAML block scalar (`password: |`), and its indentation: the lines after it indented deeper are its text. */
  let block: { line: number; indent: number } | undefined;
  for (let i = 0; i < parts.length; i += 2) {
    const separator = parts[i - 1] ?? '';
    if (separator.includes('\n')) {
      line++;
      lineIndent = separator.length - separator.lastIndexOf('\n') - 1;
      lineClient = undefined;
      previousArgument = undefined;
      redisArguments = undefined;
      lineQuote = undefined;
      stringQuote = undefined;
      if (privateKey === 'line') privateKey = undefined;
      // A quote left open ends with its line; a CDATA section goes on to its end, and an element's
      // text to its end tag only from a line its tag ended, to a line of one word or one opening a CDATA section.
      const elementText = elementTextWaits && (endsLine(parts, i) || (parts[i] as string).startsWith(CDATA_START));
      if (!ELEMENT_TEXT_ENDS.has(openQuote ?? '') || (openQuote === '<' && !elementText)) openQuote = undefined;
      elementTextWaits = false;
    } else if (separator.startsWith('\\')) {
      // An escaped line break: the next line of the string's text, whose first words may be a header or a label. A secret's string, or a
      // private key's text, goes on past it.
      stringQuote = lineQuote;
    }
    if (breaksLine(separator)) {
      wordInLine = 0;
      pending = undefined;
    }
    const word = parts[i] as string;
    if (word === '') continue;
    if (block !== undefined && line > block.line) {
      if (lineIndent > block.indent) {
        parts[i] = REDACTED;
        continue;
      }
      block = undefined;
    }
    lineQuote ??= /["']/.exec(word)?.[0];
    if (!LINE_MARKERS.has(word)) wordInLine++;
    // Among the label words: the first, or the second after a first that was not itself a `name:`.
    const lineStart = wordInLine <= 1 || (wordInLine <= LABEL_WORDS && previousLabel);
    previousLabel = wordInLine <= 1 && !/[:=]$/.test(word);
    if (privateLines > 0 && wordInLine === 1) {
      if (BASE64_LINE.test(word) && breaksLine(parts[i + 1] ?? '\n')) {
        parts[i] = REDACTED;
        privateLines--;
        continue;
      }
      privateLines = 0;
    }
    if (word === PPK_PRIVATE_LINES && wordInLine === 1 && PPK_LINE_COUNT.test(parts[i + 2] ?? '') && breaksLine(parts[i + 3] ?? '\n')) {
      privateLines = Number(parts[i + 2]);
      i += 2;
      continue;
    }
    if (privateKey !== undefined) {
      const key = redactKeyText(word, privateKey === 'line');
      parts[i] = key.text;
      if (key.ended) privateKey = undefined;
      continue;
    }
    const armour = word.endsWith('-----BEGIN') ? PRIVATE_KEY_ARMOUR.exec(parts.slice(i + 2, i + 2 * ARMOUR_WORDS + 1).join('')) : null;
    if (armour) {
      // What stands before the armour is read as any word is (`{"password":"k","key":"-----BEGIN`); the armour's words stay, up to the
      // one holding `KEY-----` (`BLOCK-----`), after which the key's text comes: on the next lines, or on the same one (in a string after a `\n` escape).
      parts[i] = `${redactMembers(word.slice(0, -'-----BEGIN'.length)).text}-----BEGIN`;
      const words = armour[0].split(/\s+/);
      const last = words[words.length - 1] as string;
      i += 2 * words.length;
      const text = (parts[i] as string).slice(last.length);
      privateKey = text === '' && (parts[i + 1] ?? '\n').includes('\n') ? 'lines' : 'line';
      if (text !== '') {
        const key = redactKeyText(text, true);
        parts[i] = `${last}${key.text}`;
        if (key.ended) privateKey = undefined;
      }
      continue;
    }
    if (openQuote !== undefined) {
      // Inside a quoted secret that spans words, up to the word holding its closing quote (or an XML element's end tag); a CDATA
      // section opening an element's text after its tag's word, up to the section's end (`<password>`, then `<![CDATA[k]]>`).
      const cdata = openQuote === '<' && word.startsWith(CDATA_START);
      const value = withRest(cdata ? redactQuoted(word, CDATA_END, CDATA_START.length) : redactQuoted(word, openQuote));
      parts[i] = `${cdata ? CDATA_START : ''}${value.text}`;
      openQuote = value.open;
      elementTextWaits = false;
      continue;
    }
    if (pending?.kind === 'segment') {
      const equals = pending.equals;
      pending = equals && word === '=' ? { kind: 'segment', equals: false } : undefined;
      if (pending !== undefined) continue;
      const value = withRest(redactSegmentValue(equals ? word.slice(1) : word));
      parts[i] = `${equals ? '=' : ''}${value.text}`;
      openQuote = value.open;
      continue;
    }
    if (pending?.kind === 'dump') {
      const value = redactDumpWord(word, pending, endsLine(parts, i) ? '' : (parts[i + 2] ?? ''));
      parts[i] = value.text;
      openQuote = value.open;
      if (value.ended) pending = undefined;
      continue;
    }
    if (pending?.kind === 'line') {
      const quoted = pending.quote === undefined ? undefined : redactQuoted(word, pending.quote);
      if (quoted?.open !== undefined || quoted === undefined) {
        parts[i] = REDACTED;
        continue;
      }
      // In a string's text, the header's value ends with the string: what follows its quote is read as any word is.
      pending = undefined;
      const value = withRest(quoted);
      parts[i] = value.text;
      openQuote = value.open;
      continue;
    }
    if (pending !== undefined) {
      const was = pending;
      pending = undefined;
      if (was.kind === 'value') {
        // A value may close one element and open the next (`value = "k"/><property`), whose attributes are read from here.
        if (TAG_START.test(word)) entryEnd = secretEntryEnd(parts, i);
        // A block scalar's indicator ending its line, or before a comment (`password: |`, `value: >- # rotated`): its text is the lines indented under it.
        if (BLOCK_SCALAR.test(word) && ((parts[i + 1] ?? '\n').includes('\n') || parts[i + 2]?.startsWith('#'))) {
          block = { line, indent: lineIndent };
          continue;
        }
        const quote = openingQuote(word);
        // The name stands in a string (`"Password: "`): its value runs to that string's closing quote, and may be none; or it is a string of its own (strace's `"{\"password\": \"k\"}"`).
        if (was.inside !== undefined && quote === was.inside) continue;
        // An errno name is what a program printed after its own words, not a value given ("refresh token: ETIMEDOUT"): the error a parser reads stays.
        if (was.inside === undefined && ERRNO_NAME.test(word)) continue;
        const value = withRest(was.inside !== undefined && quote === undefined ? redactQuoted(word, was.inside) : redactValue(word));
        parts[i] = value.text;
        openQuote = value.open;
        continue;
      }
      // `user:password` (curl -u); redis-cli's -u takes a URL instead, read below as any word is (its credentials go, its host stays).
      if (!word.includes('://')) {
        const value = redactPasswordFrom(word, was.passwordAt(word));
        parts[i] = value.text;
        openQuote = value.open;
        continue;
      }
    }
    const bare = bareName(word);
    const argument = stripped(word);
    const previous = previousArgument;
    previousArgument = argument;
    if (line === valueLine + 1 && !REPLY_INDEX.test(word)) {
      valueLine = -Infinity;
      // var_dump prints a string as it is, quotes in it too, to its line's end.
      if (VAR_DUMP_STRING.test(word)) {
        pending = { kind: 'line', quote: stringQuote };
        continue;
      }
      const value = withRest(redactValue(word));
      parts[i] = value.text;
      openQuote = value.open;
      continue;
    }
    // A directive ending its line is CONFIG GET's reply: numbered, or raw (`| cat`), its value then the whole next line; redis.conf's `requirepass` alone is no
    // setting, and the next line's directive (`port 6379`) is no value of it.
    const reply = wordInLine === 2 ? REPLY_INDEX.test(parts[i - 2] as string) : wordInLine === 1 && isLoneWord(parts, i + 2);
    if (PASSWORD_DIRECTIVES.has(argument.toLowerCase()) && (parts[i + 1] ?? '').includes('\n') && reply) {
      valueLine = line;
      continue;
    }
    // A word may close one element and open the next (`value="k"/><property`): it is read in the first.
    const inEntry = i <= entryEnd;
    const entryLast = i === entryEnd;
    if (TAG_START.test(word)) {
      entryEnd = secretEntryEnd(parts, i);
      // An element naming no secret's entry: the `<value>` after it is its own.
      if (entryEnd < 0) secretEntryLine = -Infinity;
    }
    // The entry's `value` attribute, spaces around its `=` or not (`value="k"`, `value = "k"`, `value ="k"`, `value= "k"`).
    const valueName = inEntry ? `${SPACED_ATTRIBUTE.test(parts[i - 2] ?? '') ? (parts[i - 2] as string) : ''}${word}` : '';
    const valueAt = valueName.slice(0, ENTRY_VALUE.length).toLowerCase() === ENTRY_VALUE ? word.length - (valueName.length - ENTRY_VALUE.length) : -1;
    if (valueAt >= 0 && valueAt === word.length) {
      pending = { kind: 'value', inside: undefined };
      continue;
    }
    if (valueAt >= 0) {
      const value = withRest(redactValue(word.slice(valueAt)));
      parts[i] = `${word.slice(0, valueAt)}${value.text}`;
      openQuote = value.open;
      continue;
    }
    const tagClose = entryLast ? word.indexOf('>') : -1;
    // The entry's value as the element's text (`<property name="password">k</property>`), up to the next tag, or as the text of a
    // `<value>` element in it (Spring's `<property name="password"><value>k</value>`), on this line or the next.
    if (tagClose > 0 && word[tagClose - 1] !== '/') secretEntryLine = line;
    if (tagClose > 0 && word[tagClose - 1] !== '/' && tagClose < word.length - 1) {
      const text = withRest(redactQuoted(word, '<', tagClose + 1), true);
      parts[i] = `${word.slice(0, tagClose + 1)}${text.text}`;
      openQuote = text.open;
      continue;
    }
    const client = lineClient;
    const secretOption = client === undefined ? undefined : SECRET_OPTIONS[client];
    // The first operand of a client that runs a command (not an option, nor the value of one) is that command: the client's options end there.
    const command = secretOption?.runs !== undefined && !argument.startsWith('-') && !secretOption.runs.has(previous ?? '');
    lineClient = COMMAND_END.test(word) ? undefined : (passwordClientOf(argument, client, previous) ?? (command ? undefined : lineClient));
    const optionValueAt = secretOption === undefined ? undefined : secretValueAt(argument, secretOption);
    if (secretOption?.spaced && optionValueAt === argument.length) {
      if (!secretOption.prompts || !stripped(parts[i + 2] ?? '-').startsWith('-')) pending = { kind: 'value', inside: undefined };
      continue;
    }
    if (secretOption?.attached && optionValueAt !== undefined && optionValueAt < argument.length) {
      const value = withRest(redactValue(bare.slice(optionValueAt)));
      parts[i] = `${word.slice(0, word.length - bare.length + optionValueAt)}${value.text}`;
      openQuote = value.open;
      continue;
    }
    const paired = client === undefined ? undefined : PAIRED_OPTIONS[client];
    if (paired?.options.has(argument)) {
      pending = { kind: 'user_password', passwordAt: paired.passwordAt };
      continue;
    }
    const pairedPrefix = paired?.attached.find((prefix) => argument.startsWith(prefix) && argument.length > prefix.length);
    if (paired !== undefined && pairedPrefix !== undefined) {
      // A value attached to its option (`-Uuser%PASS`, `"-Eclient.pem:PASS",` in strace's execve).
      const valueAt = word.length - bare.length + pairedPrefix.length;
      const passwordAt = paired.passwordAt(word.slice(valueAt));
      const value = redactPasswordFrom(word, passwordAt < 0 ? -1 : valueAt + passwordAt);
      parts[i] = value.text;
      openQuote = value.open;
      continue;
    }
    if (client === 'oracle' && !argument.startsWith('-') && ORACLE_LOGON.test(word)) {
      parts[i] = word.replace(ORACLE_LOGON, redactLogon);
      continue;
    }
    const redisLine = { wordInLine, client, previous };
    if (redisArguments === 'rules') {
      const rule = redactAclRule(word);
      if (rule !== undefined) {
        parts[i] = rule.text;
        openQuote = rule.open;
        continue;
      }
    }
    // An option of HELLO's or MIGRATE's that gives a password, after the words it skips (a username), on its line.
    const skipped = redisArguments === 'rules' ? undefined : redisArguments?.get(argument.toLowerCase());
    const optionPassword = skipped === undefined || endsLine(parts, i) || (skipped > 0 && endsLine(parts, i + 2)) ? undefined : i + 2 + 2 * skipped;
    const redisCommand = redisCommandAt(parts, i, redisLine);
    // ACL SETUSER's rules, wherever the two words stand; redis.conf's and an ACL file's `user` lines, and ACL LIST's reply of them.
    const aclUser = argument === 'user' && (wordInLine === 1 || (wordInLine === 2 && REPLY_INDEX.test(parts[i - 2] as string)));
    if (COMMAND_END.test(word)) redisArguments = undefined;
    else if (aclUser || (/^setuser$/i.test(argument) && /^acl$/i.test(previous ?? ''))) redisArguments = 'rules';
    else if (redisCommand !== undefined && REDIS_AUTH_OPTIONS.has(redisCommand)) redisArguments = REDIS_AUTH_OPTIONS.get(redisCommand);
    const password = optionPassword ?? redisPasswordAt(parts, i, redisLine, redisCommand);
    if (password !== undefined) {
      // The words before the password (AUTH's username, sentinel's master name) name no secret: read from the password on.
      i = password - 2;
      pending = { kind: 'value', inside: undefined };
      continue;
    }
    // `Authorization: Bearer k`, `Cookie: a=1; b=2`, `Authorization:Bearer k`, `"Authorization": "Bearer k"`: the rest of the line, or of the quotes around it;
    // also when it opens a string value glued to its member's name (a JSON log's `"msg":"Authorization: Bearer k"`, logfmt's `msg="Cookie: a=1"`).
    const header = credentialHeaderInString(bare);
    const lower = header.toLowerCase();
    const glued = word.slice(0, word.length - header.length);
    const pairAt = PAIR_OPENING.test(glued) ? header.indexOf(glued[glued.length - 1] as string) + 1 : -1;
    const pair = pairAt > 0 && header[pairAt] === ',';
    const headerAt = pair ? pairAt : lower.search(/[:=]/);
    if (headerAt > 0 && isCredentialHeader(lower.slice(0, headerAt).replace(/["']$/, '')) && !/^["']?[:=]["']\S/.test(header.slice(headerAt - 1))) {
      const attached = header.slice(headerAt + 1);
      const head = word.slice(0, word.length - attached.length);
      const inside = openQuoteOf(word);
      // In a runtime's dump, after a bracket or a comma in its word or ending the word before (`{Authorization: Bearer k}`, Node's `{ authorization: 'Bearer k' }`,
      // Java's `{Accept=*\/*, Authorization=Bearer k}`), or opening a bracket of its own (Go's `Cookie:[a=1; b=2]`), or as a pair's first member (`('Cookie', 'a=1')`):
      // up to the bracket closing it, or the next member.
      const before = header === word ? (endsLine(parts, i - 2) ? '' : (parts[i - 2] ?? '')) : glued;
      const dump = pair || DUMP_OPENERS.has(before[before.length - 1] ?? '') || OPENING_BRACKETS.has(attached[0] ?? '');
      if (dump && (inside === undefined || QUOTES.has(attached[0] ?? ''))) {
        const value: DumpValue = { kind: 'dump', depth: 0, params: false, first: true };
        pending = value;
        if (attached === '') continue;
        const read = redactDumpWord(attached, value, endsLine(parts, i) ? '' : (parts[i + 2] ?? ''));
        parts[i] = `${head}${read.text}`;
        openQuote = read.open;
        if (read.ended) pending = undefined;
        continue;
      }
      if (attached !== '') parts[i] = `${head}${REDACTED}${closingRun(attached)}`;
      // In quotes (`-H 'Cookie: a=1; b=2'`), up to the closing one; a JSON member ("Authorization": "Bearer k"), its string; else the rest of the line, in a string up to its end.
      if (inside !== undefined) openQuote = inside;
      else if (bare !== word && attached === '') pending = { kind: 'value', inside: undefined };
      else pending = { kind: 'line', quote: stringQuote };
      continue;
    }
    if (USER_PASSWORD_OPTIONS.has(word)) {
      pending = { kind: 'user_password', passwordAt: afterColon };
      continue;
    }
    const userOption = /^(?:--user=|--proxy-user=|-u)([^:\s]+:)(.+)$/.exec(word);
    if (userOption) {
      parts[i] = `${word.slice(0, word.length - (userOption[2] as string).length)}${REDACTED}`;
      continue;
    }
    // A segment's name as a word of its own after one ending a segment (`Server=h; Password = x`).
    const segment = (parts[i - 2] ?? '').endsWith(';') && NAME.test(word.endsWith('=') ? word.slice(0, -1) : word) ? segmentValueNext(word, parts, i) : undefined;
    if (segment !== undefined) {
      pending = segment;
      continue;
    }
    const spaced = parts[i + 2];
    // A key that `=>` follows naming a secret or a credential header: print_r's `[password] => k`, its value the rest of the line as printed;
    // var_export's and Ruby's `'password' => 'k'`, the value after it; var_dump's `["password"]=>` ending its line, the next line's.
    const arrowed = spaced === '=>' ? bare : bare.endsWith(']=>') && endsLine(parts, i) ? bare.slice(0, -2) : undefined;
    const arrowKey = arrowed === undefined ? null : ARROW_KEY.exec(arrowed);
    if (arrowKey !== null && isCredentialName(arrowKey[1] as string)) {
      if (spaced === '=>') {
        i += 2;
        pending = bare.endsWith(']') ? { kind: 'line', quote: stringQuote } : { kind: 'value', inside: undefined };
      } else valueLine = line;
      continue;
    }
    const key = word.endsWith(':') ? unquoted(bare.slice(0, -1)).toLowerCase() : undefined;
    if (key === 'name' && (lineStart || bare !== word)) secretEntryLine = isCredentialName(stripped(spaced ?? '')) ? line : -Infinity;
    // An option before another long option is a switch, or one that prompts (mongod's `--auth --port 27017`): that option is no value of it.
    const beforeOption = !endsLine(parts, i) && (spaced ?? '').startsWith('--');
    // `--token X`; `name: X` as a header, YAML or label, or in quotes (`-H 'X-Api-Key: k'`, JSON); `password = X`; the `value:` of a secret env entry; `requirepass X`.
    if (wordInLine === 1 && (opensNetrcEntry(parts, i) || (NETRC_TOKENS.has(word) && netrcLine === line - 1))) netrcLine = line;
    // A secret's identifier, then its value after a space: alone after it on a line it opens (`AWS_SECRET_ACCESS_KEY k`, a .properties
    // file's `db.password k`), or after a setter (`aws configure set aws_secret_access_key k`), as a credential header is (`proxy_set_header
    // Authorization "Bearer k";`) unless an nginx variable gives it; .netrc's password in an entry.
    const setValue = SETTERS.has(previous?.toLowerCase() ?? '') && (isCredentialHeader(bare) ? !NGINX_VARIABLE.test(spaced ?? '') : isSecretIdentifier(bare));
    const spacedValue =
      !endsLine(parts, i) && ((isSecretIdentifier(bare) && wordInLine === 1 && endsLine(parts, i + 2)) || setValue || (NETRC_SECRETS.has(word) && netrcLine === line));
    const named =
      spacedValue ||
      (word.startsWith('-') && isSecretName(word) && !beforeOption) ||
      ((word.endsWith(':') || word.endsWith('=')) && isSecretName(bare.slice(0, -1)) && (lineStart || bare !== word)) ||
      ((spaced === '=' || spaced === ':') && isSecretName(bare) && (lineStart || bare !== word)) ||
      (key === 'value' && line - secretEntryLine <= 1) ||
      (PASSWORD_DIRECTIVES.has(argument.toLowerCase()) && (wordInLine === 1 || previous?.toLowerCase() === 'set'));
    if (named) {
      if (spaced === '=' || spaced === ':') i += 2;
      pending = { kind: 'value', inside: openQuoteOf(word) };
      continue;
    }
    const read = redactWord(word, line - secretEntryLine <= 1);
    parts[i] = read.text;
    openQuote = read.open;
    if (read.named !== undefined) secretEntryLine = read.named ? line : -Infinity;
    elementTextWaits = openQuote === '<' && word.endsWith('>');
    const member = openQuote === undefined && word.endsWith(':') ? TRAILING_MEMBER.exec(word.slice(-TRAILING_MEMBER_LENGTH)) : null;
    if (member && isCredentialName(member[2] as string)) pending = { kind: 'value', inside: undefined };
    // A connection string's secret segment ending the word, its value in a later one (`Server=h;Password = x;`).
    const tail = openQuote === undefined ? TRAILING_SEGMENT.exec(word.slice(-TRAILING_SEGMENT_LENGTH)) : null;
    if (tail) pending = segmentValueNext(tail[0].slice(1), parts, i) ?? pending;
  }
  return parts.join('');
}
