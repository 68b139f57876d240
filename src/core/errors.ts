/**
 * The small, closed set of errors rca reports. Each has a stable code that callers
 * (CLI exit codes, HTTP problem types, tests) can rely on; messages say what, where,
 * what was expected and what came.
 */
export type ErrorCode = 'E_USAGE' | 'E_INPUT' | 'E_KB' | 'E_TEMPLATE';

export class RcaError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The command line was wrong: unknown option, missing argument, bad flag value. */
export class UsageError extends RcaError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** One problem in submitted input, located by a field (fact name or JSON pointer). */
export interface InputProblem {
  field: string;
  expected: string;
  got: string;
}

/** Submitted facts or documents are malformed, unknown, of the wrong type or too large. */
export class InputError extends RcaError {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[], message?: string) {
    super('E_INPUT', message ?? problems.map(formatProblem).join('; '));
    this.problems = problems;
  }
}

/** One problem in a knowledge base, located by file and path inside it. */
export interface KbProblem {
  file: string;
  path: string;
  message: string;
}

/** The knowledge base does not load: schema violations or broken cross-references. */
export class KbError extends RcaError {
  readonly problems: KbProblem[];
  constructor(problems: KbProblem[]) {
    super('E_KB', problems.map(formatKbProblem).join('\n'));
    this.problems = problems;
  }
}

/** A report template (shipped or --template) does not compile or reads unknown data. */
export class TemplateError extends RcaError {
  constructor(message: string) {
    super('E_TEMPLATE', message);
  }
}

export function formatProblem(p: InputProblem): string {
  return `${p.field}: expected ${p.expected}, got ${p.got}`;
}

export function formatKbProblem(p: KbProblem): string {
  return `${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`;
}

/** Renders a value the user sent, short enough for a one-line error. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  // String(-0) is "0": an integer fact refuses -0, and the message must show what came.
  return Object.is(value, -0) ? 'number -0' : `${typeof value} ${String(value)}`;
}
