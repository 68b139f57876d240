import Handlebars from 'handlebars';
import { TemplateError } from './errors.js';
import { escapeHtml, escapeMarkdown, visible } from './escape.js';
import { shellQuote } from './shell.js';
import { vocabulary, type FactMap } from './vocabulary.js';

/**
 * The one handlebars instance rca uses: private, so nothing registered by other code
 * leaks in, and compiled in strict mode with only the helpers named here.
 */
const hbs = Handlebars.create();

/** Markup a helper built: templates output it as it is, escaping nothing. */
export const SafeString = hbs.SafeString;

export type HelperFn = (...args: unknown[]) => unknown;
const helperNames: string[] = [];

export function registerHelper(name: string, fn: HelperFn): void {
  hbs.registerHelper(name, fn as Handlebars.HelperDelegate);
  helperNames.push(name);
}

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
hbs.registerHelper(ESCAPE_HELPER, (value: unknown, options: { data: TemplateData }) => escapeFor(options.data.escape, value));
hbs.registerHelper(ESCAPE_AT_LINE_START_HELPER, (value: unknown, options: { data: TemplateData }) => escapeFor(options.data.escape, value, true));

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
function escapeMustaches(program: hbs.AST.Program): void {
  program.body.forEach((node, index) => {
    if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement;
      if (block.program) escapeMustaches(block.program);
      if (block.inverse) escapeMustaches(block.inverse);
      return;
    }
    if (node.type !== 'MustacheStatement') return;
    const mustache = node as hbs.AST.MustacheStatement;
    if (!mustache.escaped) return;
    const { path, params, hash, loc } = mustache;
    let value: hbs.AST.Expression;
    const isHelperCall = path.type === 'PathExpression' && helperNames.includes((path as hbs.AST.PathExpression).original);
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

/**
 * Compiles a template whose `{{values}}` are escaped for `options.escape`. A syntax error
 * throws here; handlebars compiles the rest on first render, so other compile errors and
 * render errors surface from the returned function; all as TemplateError naming the source.
 */
export function compileTemplate<T>(text: string, options: CompileOptions): Render<T> {
  const knownHelpers = Object.fromEntries([...helperNames, ESCAPE_HELPER, ESCAPE_AT_LINE_START_HELPER].map((n) => [n, true]));
  let input: string | hbs.AST.Program = text;
  if (options.escape !== 'none') {
    try {
      input = hbs.parse(text);
    } catch (error) {
      throw new TemplateError(`${options.source}: ${firstLine(error)}`);
    }
    escapeMustaches(input);
  }
  const template = hbs.compile<T>(input, { strict: true, knownHelpersOnly: true, knownHelpers, noEscape: true });
  return (context, data) => {
    try {
      return template(context, { data: { ...data, escape: options.escape } });
    } catch (error) {
      throw new TemplateError(`${options.source}: ${firstLine(error)}`);
    }
  };
}

const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

/**
 * Reads a template without compiling it and lists the data paths it uses, so a
 * knowledge base can be checked at load time ("unknown fact target.hots").
 * Throws TemplateError on a syntax error.
 */
export function templatePaths(text: string, source: string): string[] {
  let ast: ReturnType<typeof hbs.parse>;
  try {
    ast = hbs.parse(text);
  } catch (error) {
    throw new TemplateError(`${source}: ${firstLine(error)}`);
  }
  const paths = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const n = node as { type?: string; original?: string; data?: boolean };
    if (n.type === 'PathExpression' && typeof n.original === 'string') {
      if (!n.data && n.original !== 'this' && !BUILTIN_HELPERS.has(n.original) && !helperNames.includes(n.original)) {
        paths.add(n.original);
      }
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visit(value);
  };
  visit(ast);
  return [...paths];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'template error';
}

export function safe(text: string): Handlebars.SafeString {
  return new SafeString(text);
}

type CommandContext = Record<string, Record<string, Handlebars.SafeString>>;

/**
 * How a command shows a fact: one shell-quoted word, or a visible placeholder: `<name>`
 * while it is unknown, `<refused:name>` for a value that starts with `-`, which the
 * command's program would parse as an option (`dig -f/etc/secret` reads a file), however
 * it is quoted.
 */
function commandWord(facts: FactMap, name: string): string {
  const value = facts[name];
  if (value === undefined) return `<${name}>`;
  return String(value).startsWith('-') ? `<refused:${name}>` : shellQuote(value);
}

/**
 * The context a command template sees: every fact of the vocabulary, nested by its
 * dotted name, as already shell-quoted text; an unknown fact is a visible `<name>`.
 * Pre-quoting every leaf means no template can forget to quote a value.
 */
export function commandContext(facts: FactMap): CommandContext {
  const context: CommandContext = {};
  for (const name of vocabulary().names) {
    const dot = name.indexOf('.');
    (context[name.slice(0, dot)] ??= {})[name.slice(dot + 1)] = safe(commandWord(facts, name));
  }
  return context;
}

/** A command rendered from the facts it reads. */
export type CommandRender = (facts: FactMap) => string;

type Piece = { text: string } | { fact: string };

/**
 * The pieces of a command that is only text, comments and `{{group.fact}}` placeholders
 * (every command of the shipped knowledge base), or undefined for anything else. Taken
 * from handlebars' own parse, whitespace control applied, so joining them gives what
 * handlebars renders.
 */
function placeholderPieces(text: string): Piece[] | undefined {
  let ast: ReturnType<typeof hbs.parse>;
  try {
    ast = hbs.parse(text);
  } catch {
    return undefined;
  }
  const pieces: Piece[] = [];
  const known = vocabulary().facts;
  for (const node of ast.body) {
    if (node.type === 'ContentStatement') pieces.push({ text: (node as hbs.AST.ContentStatement).value });
    else if (node.type === 'MustacheStatement') {
      const { path, params, hash } = node as hbs.AST.MustacheStatement;
      if (path.type !== 'PathExpression' || params.length > 0 || hash) return undefined;
      const { data, depth, parts } = path as hbs.AST.PathExpression;
      const fact = parts.join('.');
      if (data || depth > 0 || parts.length !== 2 || !known.has(fact)) return undefined;
      pieces.push({ fact });
    } else if (node.type !== 'CommentStatement') return undefined;
  }
  return pieces;
}

const commandCache = new Map<string, CommandRender>();

/**
 * One renderer per command text; command output is never HTML-escaped. A command of
 * only text and placeholders is rendered by joining its pieces: through handlebars, each
 * call would quote every fact of the vocabulary into a context and merge every helper,
 * for the same string. Anything else (blocks, helpers) goes through handlebars.
 */
export function commandTemplate(text: string, source: string): CommandRender {
  let render = commandCache.get(text);
  if (!render) {
    const pieces = placeholderPieces(text);
    if (pieces) {
      render = (facts) => {
        let out = '';
        for (const piece of pieces) out += 'text' in piece ? piece.text : commandWord(facts, piece.fact);
        return out;
      };
    } else {
      const template = compileTemplate<CommandContext>(text, { escape: 'none', source });
      render = (facts) => template(commandContext(facts));
    }
    commandCache.set(text, render);
  }
  return render;
}
