import { visible, visibleKeepingLines } from './escape.js';
import type { KbPlace, KbProblem } from '../generated/kb-validate.js';
/**
 * The small, closed set of errors rca reports. Each has a stable code that callers
 * (CLI exit codes, HTTP problem types, tests) can rely on; messages say what, where,
 * what was expected and what came.
 */

/**
 * Documented exit codes (README "Exit codes", `rca --help`): the CLI entry returns them, nothing
 * else sets one. 1 is a bug, and also, as linters and test runners have it, `rca kb`'s findings
 * (lint errors, test failures, eval under its thresholds, diff differences): a result the
 * command reports, not an error of its own. Scripts tell them apart by the output.
 */
export const EXIT = { ok: 0, unexpected: 1, findings: 1, usage: 2, kb: 3, store: 4, interrupted: 130 } as const;

/**
 * What each error means to a caller, in one table: the exit code the CLI returns for it, and
 * the HTTP status and problem type (RFC 9457: `https://rca.local/problems/<slug>` and its
 * title) the API answers it with. The first five are raised by the core (E_STORE by the case
 * database: unreachable, or its schema newer than this rca); the others only by
 * the HTTP edge, for requests that go wrong before the core sees them. A knowledge base or a
 * template that fails while serving is the server's own fault, hence `internal`.
 */
export const ERRORS = {
  E_USAGE: { exit: EXIT.usage, status: 400, slug: 'bad-request', title: 'Bad request' },
  E_INPUT: { exit: EXIT.usage, status: 400, slug: 'invalid-input', title: 'The request does not validate' },
  E_KB: { exit: EXIT.kb, status: 500, slug: 'internal', title: 'Internal error' },
  E_TEMPLATE: { exit: EXIT.usage, status: 500, slug: 'internal', title: 'Internal error' },
  E_STORE: { exit: EXIT.store, status: 503, slug: 'store-unavailable', title: 'The case database cannot be used' },
  E_CONFLICT: { exit: EXIT.usage, status: 409, slug: 'conflict', title: 'The request conflicts with an earlier one' },
  E_PRECONDITION: { exit: EXIT.usage, status: 412, slug: 'precondition-failed', title: 'The resource changed since the version the request names' },
  E_QUERY: { exit: EXIT.usage, status: 400, slug: 'invalid-query', title: 'The query string does not validate' },
  E_URL: { exit: EXIT.usage, status: 400, slug: 'malformed-url', title: 'The request path is malformed' },
  E_JSON: { exit: EXIT.usage, status: 400, slug: 'malformed-json', title: 'The body is not valid JSON' },
  E_TOO_LARGE: { exit: EXIT.usage, status: 413, slug: 'payload-too-large', title: 'The body is larger than the limit' },
  E_MEDIA_TYPE: { exit: EXIT.usage, status: 415, slug: 'unsupported-media-type', title: 'The route does not read a body of this Content-Type or Content-Encoding' },
  E_UNAUTHORIZED: { exit: EXIT.usage, status: 401, slug: 'unauthorized', title: 'A valid bearer token is required' },
  E_HOST: { exit: EXIT.usage, status: 403, slug: 'forbidden-host', title: 'A server without tokens answers only requests addressed to the loopback' },
  E_NOT_FOUND: { exit: EXIT.usage, status: 404, slug: 'not-found', title: 'No such resource' },
  E_CASES_OFF: { exit: EXIT.usage, status: 404, slug: 'cases-off', title: 'This server keeps no cases' },
  E_METHOD_NOT_ALLOWED: { exit: EXIT.usage, status: 405, slug: 'method-not-allowed', title: 'The path does not take this method' },
  E_NOT_ACCEPTABLE: { exit: EXIT.usage, status: 406, slug: 'not-acceptable', title: 'The route has no representation the Accept header accepts' },
  E_EXPECTATION: { exit: EXIT.usage, status: 417, slug: 'expectation-failed', title: 'The server cannot meet the Expect header' },
  E_RATE_LIMITED: { exit: EXIT.usage, status: 429, slug: 'rate-limited', title: 'Too many requests for this token' },
  E_TIMEOUT: { exit: EXIT.usage, status: 408, slug: 'request-timeout', title: 'The request was not received in time' },
  E_HEADERS_TOO_LARGE: { exit: EXIT.usage, status: 431, slug: 'headers-too-large', title: 'The request headers are larger than the limit' },
  E_SHUTTING_DOWN: { exit: EXIT.usage, status: 503, slug: 'shutting-down', title: 'The server is shutting down' },
  E_INTERNAL: { exit: EXIT.unexpected, status: 500, slug: 'internal', title: 'Internal error' },
} as const satisfies Record<string, { exit: number; status: number; slug: string; title: string }>;

export type ErrorCode = keyof typeof ERRORS;
/** The codes the core raises as an RcaError. */
export type CoreErrorCode = 'E_USAGE' | 'E_INPUT' | 'E_KB' | 'E_TEMPLATE' | 'E_STORE';

/**
 * Each class names itself in a literal (override name), not by new.target.name: the CLI bundle
 * is minified without esbuild's keepNames (which wraps every named closure in a naming call on
 * each call), so its class names are not the source's.
 */
export class RcaError extends Error {
  override name = 'RcaError';
  readonly code: CoreErrorCode;
  constructor(code: CoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** The command line was wrong: unknown option, missing argument, bad flag value. */
export class UsageError extends RcaError {
  override name = 'UsageError';
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** One problem in submitted input, located by a field (fact name or JSON pointer). */
/** KEY as one token of a JSON pointer (RFC 6901 section 3: `~` as `~0`, `/` as `~1`). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export interface InputProblem {
  field: string;
  expected: string;
  got: string;
  /** Where the value stands in the facts sent (RFC 6901), when not at its field's name: a fact sent nested ({"http": {"status": 999}}: /http/status). */
  pointer?: string;
}

/** Submitted facts or documents are malformed, unknown, of the wrong type or too large. */
export class InputError extends RcaError {
  override name = 'InputError';
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[], message?: string) {
    const { listed, more } = listedProblems(problems);
    super('E_INPUT', message ?? [...listed.map(formatProblem), ...(more > 0 ? [moreProblems(more)] : [])].join('; '));
    this.problems = problems;
  }
}

/**
 * How many problems one message lists, on every edge (the CLI's lines, the API's `errors` and
 * `detail`); the rest are counted (moreProblems). A real request has a few; a made-up one can
 * have thousands, which would only bury the first.
 */
export const MAX_LISTED_PROBLEMS = 50;

/** The problems a message lists, and how many it leaves out. */
export function listedProblems<T>(problems: readonly T[]): { listed: T[]; more: number } {
  return { listed: problems.slice(0, MAX_LISTED_PROBLEMS), more: Math.max(0, problems.length - MAX_LISTED_PROBLEMS) };
}

/** What a message says of the problems it leaves out. */
export const moreProblems = (more: number) => `and ${more} more problem${more === 1 ? '' : 's'} (the first ${MAX_LISTED_PROBLEMS} are listed)`;

/** The case database cannot be opened or used: unreachable, locked by another process, or migrated by a newer rca. */
export class StoreError extends RcaError {
  override name = 'StoreError';
  constructor(message: string, options?: ErrorOptions) {
    super('E_STORE', message, options);
  }
}

/**
 * The case database cannot be reached or take a statement for now (its connection refused, reset
 * or timed out; the server shutting down, starting or out of connections): the store's error
 * (exit 4, 503), not a bug. `reason` says which in words naming no host, user or database, for
 * an answer to a client without a token; the message says where, for the log and the CLI.
 */
export class StoreUnavailable extends StoreError {
  override name = 'StoreUnavailable';
  constructor(
    message: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A place in a knowledge-base file, and one problem in a knowledge base at its place (kb-validate.schema.json's KbPlace, KbProblem: what `rca kb validate -f json` prints). */
export type { KbPlace, KbProblem };

/** The knowledge base does not load: schema violations or broken cross-references. */
export class KbError extends RcaError {
  override name = 'KbError';
  readonly problems: KbProblem[];
  /** What the person likely meant, when the edge can tell (a pack loaded on its own). */
  readonly hint: string | undefined;
  constructor(problems: KbProblem[], hint?: string) {
    super('E_KB', problems.map(formatKbProblem).join('\n'));
    this.problems = problems;
    this.hint = hint;
  }
}

/** A report template (shipped or --template) does not compile or reads unknown data. */
export class TemplateError extends RcaError {
  override name = 'TemplateError';
  constructor(message: string) {
    super('E_TEMPLATE', message);
  }
}

/** What was expected and what came, as every message says it: "expected X, got Y". */
export function expectedGot(p: Pick<InputProblem, 'expected' | 'got'>): string {
  return `expected ${p.expected}, got ${p.got}`;
}

export function formatProblem(p: InputProblem): string {
  return `${p.field}: ${expectedGot(p)}`;
}

/** Where something sits in a file: "file at /json/pointer", or the file alone when the whole file is meant. */
export function locate(file: string, path: string): string {
  return path ? `${file} at ${path}` : file;
}

/**
 * ERROR's problems located in SOURCE, the input they came from ("incident.json at http.status"):
 * a command reading several inputs names each one's. WHOLE is a field that means the whole input
 * (a parser's "artifact KIND"): SOURCE takes its place.
 */
export function inputErrorIn(source: string, error: InputError, whole?: string): InputError {
  return new InputError(error.problems.map((p) => ({ ...p, field: p.field === whole ? source : locate(source, p.field) })));
}

/**
 * What READ gives, its input errors located in SOURCE: with several inputs, "http.status" alone
 * would not say which file to mend (WHOLE: see inputErrorIn).
 */
export function inInput<T>(source: string, read: () => T, whole?: string): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof InputError ? inputErrorIn(source, error, whole) : error;
  }
}

/** What an input error says is wrong with what `read` reads, or undefined when it reads it: a prompt's validation asks again instead of failing. */
export function inputProblemOf(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

/** A place in a file as compilers and ESLint write it, which editors jump to: file:line:column, file:line, or the file alone. */
export function filePosition(p: { file: string; line?: number; column?: number }): string {
  if (p.line === undefined) return p.file;
  return p.column === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`;
}

/** Where a problem or finding is: "file:line:column at /json/pointer", or without the position where no line is known. */
export function locatePosition(p: { file: string; path: string; line?: number; column?: number }): string {
  return locate(filePosition(p), p.path);
}

/** "file:line:column at path: message", the one form every located problem is written in (CLI, logs, lint). */
export function formatKbProblem(p: KbProblem): string {
  return `${locatePosition(p)}: ${p.message}`;
}

/**
 * A problem as a terminal shows it: its file and path on one line whatever their characters (a
 * pack's file may be named with a line feed, which would forge a line of output), its message's
 * own lines kept (a YAML error's excerpt).
 */
export function shownKbProblem(p: KbProblem): string {
  return formatKbProblem({ ...p, file: visible(p.file), path: visible(p.path), message: visibleKeepingLines(p.message) });
}

/** The exit code the CLI returns for an error (ERRORS); anything not an RcaError is a bug. */
export function exitCodeFor(error: unknown): number {
  return error instanceof RcaError ? ERRORS[error.code].exit : EXIT.unexpected;
}

/**
 * A value that is a URL with a password (scheme://user:password@host), its password masked: the
 * authority runs to the first / ? or # after the //, its userinfo to the last @ in it (an @ in a
 * password is one more character of it), the password from the userinfo's first colon. Found by
 * index, in linear time (a regex tried at every word boundary took quadratic time on "a.a.a...").
 */
function maskUrlPassword(value: string): string {
  const scheme = /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value);
  if (!scheme) return value;
  const start = scheme[0].length;
  const end = value.slice(start).search(/[/?#]/);
  const authorityEnd = end < 0 ? value.length : start + end;
  const at = value.lastIndexOf('@', authorityEnd - 1);
  const colon = value.indexOf(':', start);
  if (at < start || colon < 0 || colon > at) return value;
  return `${value.slice(0, colon + 1)}***${value.slice(at)}`;
}

/** Renders a value the user sent, short enough for a one-line error. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') {
    // A refused URL's password goes no further than the refusal: error bodies end up in tickets.
    const masked = maskUrlPassword(value);
    const shown = masked.length > 60 ? `${masked.slice(0, 57)}...` : masked;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN (not a number)' : value > 0 ? 'infinity' : 'minus infinity';
  // String(-0) is "0": an integer fact refuses -0, and the message must show what came.
  return Object.is(value, -0) ? 'number -0' : `${typeof value} ${String(value)}`;
}
