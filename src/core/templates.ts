import Handlebars from 'handlebars';
import { TemplateError } from './errors.js';
import { escapeHtml, escapeMarkdown, visible } from './escape.js';
import { SCHEME_PORTS } from './facts.js';
import { shellQuote } from './shell.js';
import { assignmentAfter, programReader, type Assignment, type CommandWord } from './command-program.js';
import { shellEvents } from './shell-words.js';
import type { FactMap, FactValue } from './vocabulary.js';

/** Markup a helper built: templates output it as it is, escaping nothing. */
export const SafeString = Handlebars.SafeString;

export type HelperFn = (...args: unknown[]) => unknown;
/** The helpers a template environment offers by name, besides handlebars' built-in blocks. */
export type Helpers = Readonly<Record<string, HelperFn>>;

/**
 * How `{{value}}` output is escaped: for the format it lands in (html, markdown, text), or
 * not at all (commands, whose values are already shell-quoted; the knowledge-base docs).
 * `{{{value}}}` is never escaped, and helpers that build markup return SafeStrings.
 */
export type EscapeMode = 'html' | 'markdown' | 'text' | 'none';

export interface CompileOptions {
  escape: EscapeMode;
  /** Where the template came from, for error messages. */
  source: string;
}

export type Render<T> = (context: T, data?: Record<string, unknown>) => string;

/** What every helper finds in `options.data`: the escape mode of the template it runs in. */
export interface TemplateData {
  escape: EscapeMode;
}

/** A value escaped for the mode; SafeStrings pass as they are, null and undefined are empty (as in handlebars). */
export function escapeFor(mode: EscapeMode, value: unknown, atLineStart = false): string {
  if (value instanceof SafeString) return value.toString();
  if (value === null || value === undefined) return '';
  const text = String(value);
  switch (mode) {
    case 'html':
      return escapeHtml(text);
    case 'markdown':
      return escapeMarkdown(text, atLineStart);
    case 'text':
      return visible(text);
    case 'none':
      return text;
  }
}

// Every escaped mustache is rewritten to call one of these with its value (see escapeMustaches).
const ESCAPE_HELPER = 'escape value';
const ESCAPE_AT_LINE_START_HELPER = 'escape value at line start';
const ESCAPE_HELPERS: Helpers = {
  [ESCAPE_HELPER]: (value, options) => escapeFor((options as { data: TemplateData }).data.escape, value),
  [ESCAPE_AT_LINE_START_HELPER]: (value, options) => escapeFor((options as { data: TemplateData }).data.escape, value, true),
};

type Node = hbs.AST.Node;

/**
 * True unless the text before a statement surely ends inside a line. Only a preceding
 * text node tells; after a block or another value, or first in a block, it may open a line.
 */
function mayOpenLine(previous: Node | undefined): boolean {
  if (previous?.type !== 'ContentStatement') return true;
  return /(^|\n)[ \t]*$/.test((previous as hbs.AST.ContentStatement).value);
}

/**
 * Rewrites every `{{expression}}` of a parsed template into `{{escape (expression)}}`, so
 * that its output is escaped for the format like handlebars escapes HTML. Lookups keep the
 * strict mode of a mustache ("x" not defined), helpers without arguments stay calls.
 */
function escapeMustaches(program: hbs.AST.Program, isHelper: (name: string) => boolean): void {
  program.body.forEach((node, index) => {
    if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement;
      if (block.program) escapeMustaches(block.program, isHelper);
      if (block.inverse) escapeMustaches(block.inverse, isHelper);
      return;
    }
    if (node.type !== 'MustacheStatement') return;
    const mustache = node as hbs.AST.MustacheStatement;
    if (!mustache.escaped) return;
    const { path, params, hash, loc } = mustache;
    let value: hbs.AST.Expression;
    const isHelperCall = path.type === 'PathExpression' && isHelper((path as hbs.AST.PathExpression).original);
    if (params.length > 0 || hash || isHelperCall) {
      value = { type: 'SubExpression', path, params, hash, loc } as hbs.AST.SubExpression;
    } else {
      value = path;
      // Read by handlebars' compiler: a missing value still throws as it would in `{{value}}`.
      if (path.type === 'PathExpression') (path as hbs.AST.PathExpression & { strict?: boolean }).strict = true;
    }
    const helper = mayOpenLine(program.body[index - 1]) ? ESCAPE_AT_LINE_START_HELPER : ESCAPE_HELPER;
    const escapePath = { type: 'PathExpression', data: false, depth: 0, parts: [helper], original: helper, loc } as hbs.AST.PathExpression;
    program.body[index] = { ...mustache, path: escapePath, params: [value], hash: undefined as unknown as hbs.AST.Hash, escaped: false } as hbs.AST.MustacheStatement;
  });
}

/** Handlebars' parse, its syntax error a TemplateError naming the source. */
function parseTemplate(text: string, source: string): hbs.AST.Program {
  try {
    return Handlebars.parse(text);
  } catch (error) {
    throw new TemplateError(`${source}: ${templateErrorText(error)}`);
  }
}

/**
 * Compiles a template whose `{{values}}` are escaped for `options.escape`, in a handlebars
 * instance that knows exactly `helperNames` (and the escape helpers). A syntax error
 * throws here; handlebars compiles the rest on first render, so other compile errors and
 * render errors surface from the returned function; all as TemplateError naming the source.
 */
function compileIn<T>(instance: typeof Handlebars, helperNames: ReadonlySet<string>, text: string, options: CompileOptions): Render<T> {
  return renderer(instance.compile<T>(handlebarsInput(helperNames, text, options), handlebarsOptions(helperNames)), options, helperNames);
}

/** What handlebars compiles: the text, or its parse with every value escaped (escapeMustaches). */
function handlebarsInput(helperNames: ReadonlySet<string>, text: string, options: CompileOptions): string | hbs.AST.Program {
  if (options.escape === 'none') return text;
  const program = parseTemplate(text, options.source);
  escapeMustaches(program, (name) => helperNames.has(name));
  return program;
}

/** How handlebars compiles (and precompiles) every template: strict, only the environment's helpers, no HTML escaping of its own. */
function handlebarsOptions(helperNames: ReadonlySet<string>): PrecompileOptions {
  const knownHelpers = Object.fromEntries([...helperNames, ...Object.keys(ESCAPE_HELPERS)].map((n) => [n, true]));
  return { strict: true, knownHelpersOnly: true, knownHelpers, noEscape: true };
}

/** A handlebars template as a Render: the escape mode in its data, its errors TemplateErrors naming the source. */
function renderer<T>(template: HandlebarsTemplateDelegate<T>, options: CompileOptions, helperNames: ReadonlySet<string>): Render<T> {
  return (context, data) => {
    try {
      return template(context, { data: { ...data, escape: options.escape } });
    } catch (error) {
      throw located(error, options.source, helperNames) ?? new TemplateError(`${options.source}: ${templateErrorText(error)}`);
    }
  };
}

/**
 * Handlebars compiles a template on its first render, and says there what it does not know in
 * its own terms ("You specified knownHelpersOnly, but used the unknown helper x - 1:19", '"x"
 * not defined in [object Object] - 1:2', the column counted from 0): this says it as
 * SOURCE:LINE:COLUMN, what was expected (the helpers HELPERNAMES and the built-in blocks) and
 * what came. Undefined for any other error.
 */
function located(error: unknown, source: string, helperNames: ReadonlySet<string>): TemplateError | undefined {
  const { message, lineNumber, column } = error as { message?: unknown; lineNumber?: unknown; column?: unknown };
  if (typeof message !== 'string' || typeof lineNumber !== 'number' || typeof column !== 'number') return undefined;
  const helper = /^You specified knownHelpersOnly, but used the unknown helper (.*) - \d+:\d+$/s.exec(message)?.[1];
  const name = helper ?? /^"(.*)" not defined in .* - \d+:\d+$/s.exec(message)?.[1];
  if (name === undefined) return undefined;
  const known = [...[...helperNames].sort(), ...BUILTIN_HELPERS].join(', ');
  const expected = helper === undefined ? `a value of the data here or a known helper (${known})` : `a known helper (${known})`;
  return new TemplateError(`${source}:${lineNumber}:${column + 1}: expected ${expected}, got ${JSON.stringify(name)}`);
}

const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

/**
 * The data paths a template reads, without compiling it: every path that names neither a
 * built-in block nor one of `helperNames`. Throws TemplateError on a syntax error.
 */
function dataPaths(helperNames: ReadonlySet<string>, text: string, source: string): hbs.AST.PathExpression[] {
  const ast = parseTemplate(text, source);
  const paths: hbs.AST.PathExpression[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const n = node as { type?: string; original?: string; data?: boolean };
    if (n.type === 'PathExpression' && typeof n.original === 'string') {
      if (!n.data && n.original !== 'this' && !BUILTIN_HELPERS.has(n.original) && !helperNames.has(n.original)) {
        paths.push(node as hbs.AST.PathExpression);
      }
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visit(value);
  };
  visit(ast);
  return paths;
}

function pathsIn(helperNames: ReadonlySet<string>, text: string, source: string): string[] {
  return [...new Set(dataPaths(helperNames, text, source).map((p) => p.original))];
}

/** The `group.fact` a path names (`{{target.host}}`, `{{this.target.host}}`), or undefined. */
function factOf({ depth, parts }: hbs.AST.PathExpression): string | undefined {
  return depth === 0 && parts.length === 2 ? parts.join('.') : undefined;
}

/** Handlebars' grammar tokens, as a template writer would name them. */
const TOKEN_WORDS: Record<string, string> = {
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true or false',
  DATA: 'an @variable',
  UNDEFINED: 'undefined',
  NULL: 'null',
  SEP: '"."',
  CLOSE: '"}}"',
  CLOSE_UNESCAPED: '"}}}"',
  CLOSE_RAW_BLOCK: '"}}}}"',
  OPEN_SEXPR: '"("',
  CLOSE_SEXPR: '")"',
  OPEN_BLOCK_PARAMS: '"as |...|"',
  OPEN_ENDBLOCK: 'a closing "{{/...}}"',
  INVERSE: '"{{else}}"',
  OPEN_INVERSE_CHAIN: '"{{else ...}}"',
  EOF: 'the end of the template',
  INVALID: 'a character that cannot stand there',
};

/**
 * A template error on one line. Handlebars' parse errors span four lines (where, the text, a
 * caret, the grammar's token names): they become where, the text up to the caret, what was
 * expected and what came, in words. Other errors keep their first line.
 */
function templateErrorText(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  const where = /^Parse error on line (\d+):$/.exec(lines[0] ?? '');
  const tokens = /^Expecting (.*), got '([^']*)'$/.exec(lines[3] ?? '');
  const caret = (lines[2] ?? '').indexOf('^');
  if (!where || !tokens || caret < 0) return lines[0] || 'template error';
  const words = (token: string) => TOKEN_WORDS[token] ?? token;
  const expected = [...new Set(tokens[1]?.split(', ').map((t) => words(t.replace(/'/g, ''))))].join(', ');
  return `parse error on line ${where[1]} at ${JSON.stringify((lines[1] ?? '').slice(0, caret + 1))}: expected ${expected}, got ${words(tokens[2] ?? '')}`;
}

export function safe(text: string): Handlebars.SafeString {
  return new SafeString(text);
}

/**
 * How a command shows a fact: one shell-quoted word, or a visible placeholder: `'<name>'`
 * while it is unknown, `'<refused:name>'` for a value that starts with `-`, which the
 * command's program would parse as an option (`dig -f/etc/secret` reads a file), however
 * it is quoted, and for an empty value that would let the template's `-` start the word
 * (`startsDash`, emptyValueStartsDash). A placeholder is in single quotes because a command
 * is copied and pasted: a bare `<target.host>` is a shell redirection that reads a file of
 * that name, and `>` in one would write it; quoted, the program gets the placeholder itself
 * and says so.
 */
function commandWord(facts: FactMap, name: string, { beforePort = false, startsDash = false } = {}, unfilled?: string[]): string {
  const value = facts[name];
  // Each placeholder left in the command (the URL's `<path>` among them) is one the engineer fills in before running it.
  if (value === undefined || String(value).startsWith('-') || startsDash) unfilled?.push(name);
  if (value === undefined) return name === 'target.url' ? (urlWithoutPath(facts) ?? `'<${name}>'`) : `'<${name}>'`;
  if (String(value).startsWith('-') || startsDash) return `'<refused:${name}>'`;
  // host:port (openssl -connect, curl) needs an IPv6 literal in brackets, as in a URL (RFC 3986 3.2.2).
  return shellQuote(beforePort && isIPv6Literal(value) ? `[${value}]` : value);
}

/**
 * An unknown target.url as far as the other target facts spell it: scheme, host and port known,
 * its path a visible placeholder (`'http://10.0.0.2:8080/<path>'`). The failing URL's path is
 * what the engineer knows and rca does not (lab 200: a slow download, not the site's root); the
 * rest they should not have to type into every curl rca prints.
 */
function urlWithoutPath(facts: FactMap): string | undefined {
  const { 'target.protocol': protocol, 'target.host': host, 'target.port': port } = facts;
  const schemePort = typeof protocol === 'string' ? SCHEME_PORTS[`${protocol}:`] : undefined;
  if (schemePort === undefined || typeof host !== 'string') return undefined;
  const authority = isIPv6Literal(host) ? `[${host.replace('%', '%25')}]` : host;
  const portPart = port === undefined || Number(port) === schemePort ? '' : `:${String(port)}`;
  return shellQuote(`${protocol}://${authority}${portPart}/<path>`);
}

/**
 * An IPv6 address as written in a URL's brackets (the URL parser decides; node:net stays
 * unloaded on the CLI's start-up path), with or without a zone (`fe80::1%eth0`, RFC 4007
 * section 11): a link-local address names its interface, which URLs cannot carry but
 * getaddrinfo, and so openssl's and ping's host arguments, can.
 */
export function isIPv6Literal(value: FactValue | undefined): boolean {
  return typeof value === 'string' && value.includes(':') && !value.includes(']') && URL.canParse(`http://[${withoutZone(value)}]/`);
}

/** An address without its zone: what a certificate's IP SAN holds (RFC 5280 4.2.1.6: the bare 16 octets). */
const withoutZone = (address: string) => address.split('%', 1)[0] as string;

const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isIPLiteral(value: FactValue | undefined): boolean {
  return (typeof value === 'string' && DOTTED_QUAD.test(value)) || isIPv6Literal(value);
}

/**
 * openssl options that take a host name, and what an address needs instead. SNI carries names
 * only (RFC 6066 section 3: "Literal IPv4 and IPv6 addresses are not permitted"), so s_client's
 * `-servername <address>` becomes `-noservername`; `-verify_hostname <address>` checks the
 * certificate's DNS names and fails (error 62, hostname mismatch) on a certificate that lists
 * the address as an IP SAN, which `-verify_ip` checks; x509's `-checkhost` likewise, `-checkip`.
 */
const NAME_OPTIONS_FOR_ADDRESSES: ReadonlyMap<string, (address: string) => string> = new Map<string, (address: string) => string>([
  ['-servername ', () => '-noservername'],
  ['-verify_hostname ', (address) => `-verify_ip ${shellQuote(withoutZone(address))}`],
  ['-checkhost ', (address) => `-checkip ${shellQuote(withoutZone(address))}`],
]);

/**
 * Packet filters that take an IPv6 address their own way: tcpdump's `host` the address alone (a
 * zone is a syntax error there; the capture's interface is -i's), ss's `dst` and `src` one in
 * brackets (bare, `::1` reads as a port: "an inet prefix is expected"), and neither a zone.
 */
const IPV6_FILTER_WORDS: ReadonlyMap<string, (address: string) => string> = new Map<string, (address: string) => string>([
  ['host ', (address) => `host ${shellQuote(withoutZone(address))}`],
  ['dst ', (address) => `dst ${shellQuote(`[${withoutZone(address)}]`)}`],
  ['src ', (address) => `src ${shellQuote(`[${withoutZone(address)}]`)}`],
]);

/** The words before an address that a command writes another way, and what it writes instead of them and the address: for any IP address, then for an IPv6 one. */
const ADDRESS_WORDS: ReadonlyArray<[ReadonlyMap<string, (address: string) => string>, (value: FactValue | undefined) => boolean]> = [
  [NAME_OPTIONS_FOR_ADDRESSES, isIPLiteral],
  [IPV6_FILTER_WORDS, isIPv6Literal],
];

/** Where a word ends: white space, or an operator of the shell (a placeholder stands outside quotes, readCommand). */
const WORD_END = /[\s|&;()<>]$/;

/**
 * Whether the fact at `pieces[at]`, empty and at the start of a word (after `out`), leaves the
 * word to what follows, and that starts with `-` (past other empty values): `{{x}}-v` with x
 * empty is `''-v`, which the shell reads as the option `-v`. A value in the middle of a word
 * (`--host={{x}}`) is not its start. Only a word's first placeholder reads on, so each piece
 * is read at most twice.
 */
function emptyValueStartsDash(pieces: readonly Piece[], at: number, facts: FactMap, out: string): boolean {
  if (out !== '' && !WORD_END.test(out)) return false;
  for (let i = at; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    if ('text' in piece) {
      if (piece.text !== '') return piece.text.startsWith('-');
    } else if (String(facts[piece.fact]) !== '') return false;
  }
  return false;
}

/** A command's text with `{{group.fact}}` pieces filled in by commandWord, adapting openssl's host-name options and packet filters to an IP address. */
function renderPieces(pieces: readonly Piece[], facts: FactMap, unfilled?: string[]): string {
  let out = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    if ('text' in piece) {
      out += piece.text;
      continue;
    }
    const next = pieces[i + 1];
    const value = facts[piece.fact];
    let word = commandWord(facts, piece.fact, { beforePort: next !== undefined && 'text' in next && next.text.startsWith(':'), startsDash: emptyValueStartsDash(pieces, i, facts, out) }, unfilled);
    for (const [words, applies] of ADDRESS_WORDS) {
      const before = applies(value) ? [...words.keys()].find((w) => out.endsWith(` ${w}`)) : undefined;
      if (before === undefined) continue;
      out = out.slice(0, -before.length);
      word = (words.get(before) as (address: string) => string)(String(value));
      break;
    }
    out += word;
  }
  return out;
}

/**
 * A command rendered from the facts it reads; `unfilled` names the facts it would show as
 * placeholders (unknown, or refused as an option), each once, in the command's order.
 */
export type CommandRender = ((facts: FactMap) => string) & { unfilled(facts: FactMap): string[] };

/** A rendered command's `fillIn` (diagnosis.schema.json): the facts it shows as placeholders, absent when it is ready to run. */
export function fillInOf(command: CommandRender, facts: FactMap): { fillIn?: string[] } {
  const unfilled = command.unfilled(facts);
  return unfilled.length > 0 ? { fillIn: unfilled } : {};
}

/** A command template's text, or a fact whose quoted value goes in its place. */
export type Piece = { text: string } | { fact: string };

/**
 * The pieces of a command that is only text, comments and `{{group.fact}}` placeholders
 * (every command of the shipped knowledge base), or undefined for anything else: plainPieces
 * when it can tell, else parsedPieces.
 */
function placeholderPieces(text: string): Piece[] | undefined {
  return plainPieces(text) ?? parsedPieces(text);
}

/**
 * A placeholder plainPieces reads: two names of letters, digits and `_`, none of the words
 * handlebars reads as its own there: `this`, a first `else`, a last literal (`true`, `null`...).
 */
const PLAIN_PLACEHOLDER = /^(?!(?:this|else)\.)[A-Za-z_]\w*\.(?!(?:this|true|false|null|undefined)$)[A-Za-z_]\w*$/;

/**
 * The pieces of text that holds only `{{group.fact}}` placeholders, without a backslash before
 * one (an escape), a NUL or a third brace, read in one pass; undefined for anything else, which
 * parsedPieces reads. Handlebars' parser compiles dozens of lexer patterns on first use,
 * several milliseconds of every diagnosis; on such text it gives these same pieces (joined
 * text aside), which test/core/template-environment.test.ts checks on arbitrary text.
 */
export function plainPieces(text: string): Piece[] | undefined {
  // Handlebars reads a backslash only right before `{{` (an escape, or an escaped backslash): elsewhere (curl -w '...\n') it is text.
  if (text.includes('\\{{') || text.includes('\0')) return undefined;
  const pieces: Piece[] = [];
  let at = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', at)) {
    const close = text.indexOf('}}', open + 2);
    if (close < 0 || text[close + 2] === '}') return undefined;
    const fact = text.slice(open + 2, close);
    if (!PLAIN_PLACEHOLDER.test(fact)) return undefined;
    if (open > at) pieces.push({ text: text.slice(at, open) });
    pieces.push({ fact });
    at = close + 2;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}

/**
 * The pieces of a command as handlebars' own parse gives them, whitespace control applied,
 * so joining them gives what handlebars renders; undefined when it holds anything but text,
 * comments and `{{group.fact}}` placeholders.
 */
export function parsedPieces(text: string): Piece[] | undefined {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch {
    return undefined;
  }
  const pieces: Piece[] = [];
  for (const node of ast.body) {
    if (node.type === 'ContentStatement') pieces.push({ text: (node as hbs.AST.ContentStatement).value });
    else if (node.type === 'MustacheStatement') {
      const { path, params, hash } = node as hbs.AST.MustacheStatement;
      if (path.type !== 'PathExpression' || params.length > 0 || hash) return undefined;
      const fact = (path as hbs.AST.PathExpression).data ? undefined : factOf(path as hbs.AST.PathExpression);
      if (fact === undefined) return undefined;
      pieces.push({ fact });
    } else if (node.type !== 'CommentStatement') return undefined;
  }
  return pieces;
}

const NOT_PLAIN = 'expected text, comments and {{group.fact}} placeholders only (a command is text an engineer pastes into a shell, each fact one quoted word in it), got a block, a helper or an @data path';

/** The facts a command reads, or the reason it is refused (readCommand). */
export type CommandReading = { facts: string[] } | { problem: string };

/**
 * What a command template reads, or why loading a knowledge base refuses it: it must be plain
 * (placeholderPieces), and every placeholder must stand where one quoted word is an argument
 * (placeholderContext), since rca quotes each value as one shell word and that quoting is what
 * keeps a value from ticket text a value.
 */
export function readCommand(text: string): CommandReading {
  const pieces = placeholderPieces(text);
  if (!pieces) {
    try {
      Handlebars.parse(text);
    } catch (error) {
      return { problem: templateErrorText(error) };
    }
    return { problem: NOT_PLAIN };
  }
  const problem = placeholderContext(pieces);
  return problem === undefined ? { facts: [...new Set(pieces.flatMap((p) => ('fact' in p ? [p.fact] : [])))] } : { problem };
}

/**
 * The wrappers a placeholder may follow (the shipped `timeout 10 strace -c -f -p {{proc.top_pid}}`,
 * `/usr/bin/time -f %e getent ahosts {{target.host}}`): their options are few and known. Any
 * other wrapper's options (`sudo -nu root`, `--user root`, `env --chdir /tmp`) are too many to
 * follow, so no placeholder may stand in its command.
 */
const FOLLOWED_WRAPPERS = new Set(['timeout', 'time']);

/**
 * Programs whose arguments are code or a command line parsed again, so no value may stand in
 * their command: eval and the shells, interpreters given a program, and the tools that run one
 * (xargs, watch, find -exec, git -c, tar --to-command, su -c, env -S). ssh is apart: its
 * destination may be a value, nothing else (its options and the remote command are parsed again).
 */
const CODE_RUNNERS = new Set([
  'eval', 'source', '.', 'sh', 'bash', 'rbash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'csh', 'tcsh', 'busybox', 'su', 'runuser', 'flock',
  'sqlite3', 'vi', 'vim', 'nvim', 'ex', 'emacs', 'nodejs', 'osascript',
  // Builtins that run or evaluate what they are given, or store it for later: trap, mapfile -C,
  // compgen, read into an array subscript, alias, hash -p, set and shopt, a for loop's list.
  'trap', 'mapfile', 'readarray', 'compgen', 'complete', 'read', 'alias', 'hash', 'bind', 'fc', 'enable', 'shopt', 'set', 'for',
  'awk', 'gawk', 'mawk', 'nawk', 'sed', 'perl', 'python', 'python2', 'python3', 'ruby', 'node', 'php', 'lua', 'tclsh', 'Rscript',
  'xargs', 'watch', 'find', 'git', 'tar', 'parallel', 'script', 'expect',
  // Builtins that evaluate their arguments as arithmetic or variable names (an array subscript in
  // either runs $(...)): let, declare and kin, printf -v, test -v.
  // (the test builtin first on its line: core-inputs.test.ts reads ", 'test'" as a path to test/)
  'let', 'declare', 'typeset', 'local', 'readonly', 'export', 'printf', '[',
  'test',
]);
/** Interpreters under a versioned name (python3.11, perl5.36.0): as code runners. */
const VERSIONED_INTERPRETER = /^(?:python|pypy|perl|ruby|node|php|lua)[\d.]*$/;

/** Programs that read what is piped into them as code: a value echoed into one is run, wherever it stands. */
const SHELLS = new Set(['eval', 'source', '.', 'sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'csh', 'tcsh']);
/** ssh's options that take a value. */
const SSH_OPTIONS_WITH_VALUE = new Set(['-B', '-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-P', '-p', '-Q', '-R', '-S', '-W', '-w']);
/** Options whose value names a file of settings or commands to read: curl -K, --config. */
const CONFIG_OPTIONS = new Set(['-K', '--config']);

/**
 * The word a placeholder stands in, up to it: what placeholderContext asks of it, kept part by part
 * as shellEvents gives them (asking the word itself at each placeholder would read it again each
 * time: quadratic in the placeholders of a word). Whether its start makes a value after it (part
 * of) an option is read as the shell reads the word: quotes removed and escapes undone, so
 * `"-"{{x}}`, `'-'{{x}}` and `\-{{x}}` are `-{{x}}`. The word may start with `-` where it starts,
 * after earlier values at its start (a value may be empty), and once a `{` has come, after `{`, `,`
 * or `}` (brace expansion may cut the word there: `{a,-}{{x}}` is `a'v' -'v'`). An `=` before any
 * `{` makes that option's `=value` of every word it expands to (`--host={{x}}`), which names a file
 * of settings after curl's -K and --config.
 */
class PlaceholderWord {
  /** Nothing of the word has come yet. */
  empty = true;
  /** The word as the shell reads it, values as their placeholders: for a message. */
  value = '';
  /** The word's start as an assignment (`X=`), as written. */
  private assignment: Assignment = 'start';
  /** A `<` or `>` written in the word: a redirection's target. */
  redirection = false;
  /** The part of the word written since its previous placeholder ends in a backslash that escapes what follows, or in `$`. */
  afterEscape = false;
  afterDollar = false;
  /** A `-` here would start a word. */
  private atStart = true;
  private braced = false;
  /** A `-` has come where a word may start. */
  dash = false;
  /** An `=` came before any `{`. */
  private equalsFirst = false;
  /** What came before the first `=` (values aside), while it is at most as long as --config and one more. */
  private key = '';
  private equals = false;

  /** Reads the part of the word up to the next placeholder, as written and as read. */
  readPart(written: string, value: string): void {
    if (written !== '') this.empty = false;
    this.value += value;
    this.assignment = assignmentAfter(this.assignment, written);
    this.redirection ||= /[<>]/.test(written);
    this.afterEscape = endsInEscape(written);
    this.afterDollar = written.endsWith('$');
    for (let i = 0; i < value.length; i++) this.readCharacter(value[i] as string);
  }

  /** Reads a placeholder: its value changes nothing of the start, as it may be empty and is never an option. */
  readPlaceholder(placeholder: string): void {
    this.empty = false;
    this.value += placeholder;
    this.assignment = assignmentAfter(this.assignment, placeholder);
  }

  private readCharacter(c: string): void {
    if (c === '{' || (this.braced && (c === ',' || c === '}'))) {
      this.braced = true;
      this.atStart = true;
      return;
    }
    if (c === '-' && this.atStart) this.dash = true;
    this.atStart = false;
    if (c === '=' && !this.equals) {
      this.equals = true;
      this.equalsFirst = !this.braced;
    } else if (!this.equals && this.key.length <= '--config'.length) this.key += c;
  }

  /** The word so far is an assignment's start (`X=`, `a[i]+=`). */
  get inAssignment(): boolean {
    return this.assignment === 'yes';
  }

  /** A value here is (part of) an option. */
  get option(): boolean {
    return this.dash && !this.equalsFirst;
  }

  /** The option (-K, --config) whose `=value` names a file of settings that a value here is part of, if any. */
  get configOption(): string | undefined {
    return this.equals && CONFIG_OPTIONS.has(this.key) ? this.key : undefined;
  }
}

/** No word: before the first of a command. */
const NO_WORD: CommandWord = { written: '', value: '' };

/** TEXT ends in a backslash that escapes what comes next (an odd run of them). */
function endsInEscape(text: string): boolean {
  let run = 0;
  while (text[text.length - 1 - run] === '\\') run++;
  return run % 2 === 1;
}

/**
 * Anywhere in a command with a placeholder, what makes bash read a value again: a heredoc's body
 * (expanded), ANSI-C quoting, arithmetic (an array subscript in it runs $(...)), [[ ]] (its
 * comparisons are arithmetic), and the keywords whose bodies this reading does not follow.
 */
const REREAD = /(?<!<)<<(?!<)|\$'|\$\(\(|\$\[|\(\(|\[\[|(?:^|[\s;&|(])(?:case|select|function|coproc)(?=$|[\s;&|)])/;

/**
 * Where each placeholder of a command stands, read as the shell will: undefined when every one is
 * an argument in a word of its own (or after a prefix that starts no option and is no redirection)
 * of a program that takes its arguments as data; else why not. Inside quotes rca's own quoting
 * would be undone (`'{{x}}'` gives `''value''`); where a command goes, after a wrapper or in the
 * command of a program that runs code, the value is run; after `-` or `--`, however quoted
 * (PlaceholderWord), it is an option; after `>` it names the file written. The words are shellEvents': a `$(...)` substitution is a command
 * of its own, read the same way; quotes, `${...}` and backticks nest. It catches a careless
 * command; a hostile pack can write any command it likes.
 */
function placeholderContext(pieces: readonly Piece[]): string | undefined {
  if (!pieces.some((piece) => 'fact' in piece)) return undefined;
  const text = pieces.map((piece) => ('text' in piece ? piece.text : ' x ')).join('');
  // A report shows a tab as \t (visible), which pasted is the letter t inside a word: no tab.
  if (text.includes('\t')) return 'expected spaces between the words of a command with a placeholder, got a tab (a report shows it as \\t, which pasted is the letter t)';
  const reread = REREAD.exec(text);
  if (reread) return `expected no heredoc, $'...', arithmetic, [[ ]], case, select, function or coproc in a command with a placeholder (bash reads a value again there, or this reading does not follow it), got ${JSON.stringify(reread[0].trim())}`;

  // The current command: whether a word now is its program, which word is (programReader), its
  // program (or wrapper, while one is followed), whether ssh's next word is an option's value,
  // whether ssh's destination has gone by.
  let commandPosition = true;
  let readProgram = programReader();
  let program = '';
  // A wrapper other than timeout or time in this command (FOLLOWED_WRAPPERS): no placeholder in it.
  let wrapped = '';
  let sshValuePending = false;
  let sshDestinationSeen = false;
  // The word before the current one, and the one a placeholder stands in.
  let previous: CommandWord = NO_WORD;
  let word = new PlaceholderWord();
  // A shell anywhere in the text runs what is piped or assigned to it: no placeholder may stand anywhere then.
  let shellSeen = '';
  const startCommand = () => {
    commandPosition = true;
    readProgram = programReader();
    program = wrapped = '';
    sshValuePending = sshDestinationSeen = false;
    previous = NO_WORD;
  };
  // The command around each open $( ): its state comes back when the substitution closes.
  const outer: Array<() => void> = [];
  const openSubstitution = () => {
    const saved = { commandPosition, readProgram, program, wrapped, sshValuePending, sshDestinationSeen, previous, word };
    outer.push(() => {
      ({ commandPosition, readProgram, program, wrapped, sshValuePending, sshDestinationSeen, previous, word } = saved);
    });
    word = new PlaceholderWord();
    startCommand();
  };
  const endWord = (ended: CommandWord) => {
    if (commandPosition) {
      const read = readProgram(ended);
      if (read.role === 'wrapper') {
        program = read.name;
        if (!FOLLOWED_WRAPPERS.has(read.name)) wrapped = read.name;
      } else if (read.role === 'program') {
        // A program named through quotes, an escape or an expansion ("bash", b\ash, $SHELL) is
        // not known for what it is: taken as one that runs code.
        program = /["'\\$`]/.test(ended.written) ? 'eval' : read.name;
        commandPosition = false;
        if (SHELLS.has(program)) shellSeen = program;
      }
    } else if (program === 'ssh') {
      if (sshValuePending) sshValuePending = false;
      else if (ended.value.startsWith('-')) sshValuePending = SSH_OPTIONS_WITH_VALUE.has(ended.value);
      else sshDestinationSeen = true;
    }
    previous = ended;
    word = new PlaceholderWord();
  };
  // Why a placeholder, WHERE, cannot stand where it is in its word (none if it can).
  const problemAt = (where: string): string | undefined => {
    if (word.afterEscape) return `expected each placeholder to be an argument, got ${where} right after a backslash, which escapes the quote rca opens the value with`;
    if (word.afterDollar) return `expected each placeholder to be an argument, got ${where} right after "$", which makes the value's quotes $'...' and reads its escapes`;
    if (word.inAssignment) return `expected each placeholder to be an argument, got ${where} in an assignment: a variable holds the value for later words to use anywhere`;
    if (commandPosition) return `expected each placeholder to be an argument, got ${where} where the shell reads the program to run (the start of a command or of a substitution, or after a wrapper such as sudo)`;
    if (wrapped) return `expected each placeholder to be an argument of a program rca can tell, got ${where} in a command run through ${wrapped}, whose options decide which word is the program`;
    if (word.option) return `expected each placeholder to be an argument, got ${where} right after ${JSON.stringify(word.value)}, which makes the value (part of) an option`;
    const configOption = word.configOption;
    if (configOption) return `expected each placeholder to be an argument, got ${where} after ${configOption}, which names a file of settings to read`;
    if (word.redirection || (word.empty && /^\d*(?:>>?|<|&>)&?$/.test(previous.written))) return `expected each placeholder to be an argument, got ${where} as a redirection's target, which names the file written or read`;
    if (word.empty && CONFIG_OPTIONS.has(previous.value)) return `expected each placeholder to be an argument, got ${where} after ${previous.value}, which names a file of settings to read`;
    if (CODE_RUNNERS.has(program) || VERSIONED_INTERPRETER.test(program) || (program === 'ssh' && (sshDestinationSeen || sshValuePending || word.dash))) {
      return `expected each placeholder to be an argument of a program that takes it as data, got ${where} in a command of ${program}, which parses or runs what it is given (${program === 'ssh' ? 'only the destination may be a value' : 'a program, a script or a command line'})`;
    }
    return undefined;
  };

  for (const event of shellEvents(pieces.map((piece) => ('text' in piece ? piece : { placeholder: `{{${piece.fact}}}` })))) {
    if (event.type === 'word') endWord(event);
    else if (event.type === 'command') startCommand();
    else if (event.type === 'substitution') openSubstitution();
    else if (event.type === 'substitution end') outer.pop()?.();
    else if (event.where !== 'comment') {
      if (event.where === 'quotes') return `expected each placeholder outside quotes, \${...} and backticks (rca quotes the value itself; there its quoting is undone or read again), got ${event.placeholder} inside them`;
      word.readPart(event.written, event.value);
      const problem = problemAt(event.placeholder);
      if (problem) return problem;
      word.readPlaceholder(event.placeholder);
    }
  }
  if (shellSeen) return `expected no shell or eval in a command with a placeholder (what is piped or passed to ${shellSeen} is run as code, a value with it), got ${shellSeen}`;
  return undefined;
}

/**
 * Templates compiled against one fixed set of helpers, in a handlebars instance of their
 * own: what a template means (which names are helpers, which are data) depends on the
 * helpers passed in, never on which other module was imported first.
 */
export interface TemplateEnvironment {
  /** The helper names this environment knows, besides the built-in blocks. */
  readonly helpers: ReadonlySet<string>;
  /** A template whose `{{values}}` are escaped for `options.escape`; a helper unknown here is a TemplateError. */
  compile<T>(text: string, options: CompileOptions): Render<T>;
  /**
   * Reads a template without compiling it and lists the data paths it uses, so a
   * knowledge base can be checked at load time ("unknown fact target.hots").
   * Throws TemplateError on a syntax error.
   */
  templatePaths(text: string, source: string): string[];
  /**
   * One renderer per command text, rendered by joining its pieces (placeholderPieces), each
   * fact one shell word; never HTML-escaped. A text that is not only text, comments and
   * `{{group.fact}}` placeholders is a TemplateError (readCommand says why, at load).
   */
  commandTemplate(text: string, source: string): CommandRender;
  /**
   * The template compiled to code ahead of time (handlebars' precompile: the JavaScript of
   * an object), for a build to put in the CLI bundle, where its compiled code is cached.
   */
  precompile(text: string, options: CompileOptions): string;
  /** A template from precompile's code, evaluated: it renders as compile(text) does. */
  fromPrecompiled<T>(spec: TemplateSpecification, options: CompileOptions): Render<T>;
}

/**
 * An environment offering `helpers` and the escape helpers every template is rewritten to
 * call. A helper may not take the name of a built-in block or an escape helper: replacing
 * `each` or the escaping would change what every template of the environment means.
 */
export function createTemplateEnvironment(helpers: Helpers): TemplateEnvironment {
  for (const name of Object.keys(helpers)) {
    if (BUILTIN_HELPERS.has(name) || name in ESCAPE_HELPERS) throw new Error(`template helper "${name}" would replace a built-in one`);
  }
  const instance = Handlebars.create();
  for (const [name, fn] of Object.entries({ ...helpers, ...ESCAPE_HELPERS })) instance.registerHelper(name, fn as Handlebars.HelperDelegate);
  const helperNames: ReadonlySet<string> = new Set(Object.keys(helpers));
  const compile = <T>(text: string, options: CompileOptions) => compileIn<T>(instance, helperNames, text, options);
  const commandCache = new Map<string, CommandRender>();
  return {
    helpers: helperNames,
    compile,
    templatePaths: (text, source) => pathsIn(helperNames, text, source),
    precompile: (text, options) => instance.precompile(handlebarsInput(helperNames, text, options), handlebarsOptions(helperNames)) as unknown as string,
    fromPrecompiled: <T>(spec: TemplateSpecification, options: CompileOptions) => renderer(instance.template<T>(spec), options, helperNames),
    commandTemplate(text, source) {
      let render = commandCache.get(text);
      if (!render) {
        const pieces = placeholderPieces(text);
        // Loading a knowledge base refuses any other command (readCommand).
        if (!pieces) throw new TemplateError(`${source}: ${NOT_PLAIN}`);
        const read = pieces;
        render = Object.assign((facts: FactMap) => renderPieces(read, facts), {
          unfilled(facts: FactMap) {
            const names: string[] = [];
            renderPieces(read, facts, names);
            return [...new Set(names)];
          },
        });
        commandCache.set(text, render);
      }
      return render;
    },
  };
}

/**
 * The helpers a command template (a check's `command`, a question's `how`) may call: none
 * besides the built-in blocks. A command is run in a shell with every fact already quoted;
 * the report helpers format for a report (inline code, percentages), not for a shell.
 */
export const COMMAND_HELPERS: Helpers = Object.freeze({});

let commands: TemplateEnvironment | undefined;

/** The environment commands are rendered in, and so the one a knowledge base's commands are validated against. */
export function commandEnvironment(): TemplateEnvironment {
  commands ??= createTemplateEnvironment(COMMAND_HELPERS);
  return commands;
}
