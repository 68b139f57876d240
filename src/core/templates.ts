import Handlebars from 'handlebars';
import { TemplateError } from './errors.js';
import { shellQuote } from './shell.js';
import { vocabulary, type FactMap } from './vocabulary.js';

/**
 * The one handlebars instance rca uses: private, so nothing registered by other code
 * leaks in, and compiled in strict mode with only the helpers named here.
 */
const hbs = Handlebars.create();

export type HelperFn = (...args: unknown[]) => unknown;
const helperNames: string[] = [];

export function registerHelper(name: string, fn: HelperFn): void {
  hbs.registerHelper(name, fn as Handlebars.HelperDelegate);
  helperNames.push(name);
}

export interface CompileOptions {
  /** HTML-escape `{{value}}` output (html reports); text, markdown and commands do not. */
  htmlEscape: boolean;
  /** Where the template came from, for error messages. */
  source: string;
}

export type Render<T> = (context: T, data?: Record<string, unknown>) => string;

/**
 * Compiles a template. Handlebars compiles on first render, so compile and render
 * errors both surface from the returned function, as TemplateError naming the source.
 */
export function compileTemplate<T>(text: string, options: CompileOptions): Render<T> {
  const knownHelpers = Object.fromEntries(helperNames.map((n) => [n, true]));
  const template = hbs.compile<T>(text, { strict: true, knownHelpersOnly: true, knownHelpers, noEscape: !options.htmlEscape });
  return (context, data) => {
    try {
      return template(context, data ? { data } : undefined);
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
  return new hbs.SafeString(text);
}

type CommandContext = Record<string, Record<string, Handlebars.SafeString>>;

/** How a command shows a fact: shell-quoted, or a visible `<name>` while it is unknown. */
function commandWord(facts: FactMap, name: string): string {
  const value = facts[name];
  return value === undefined ? `<${name}>` : shellQuote(value);
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
      const template = compileTemplate<CommandContext>(text, { htmlEscape: false, source });
      render = (facts) => template(commandContext(facts));
    }
    commandCache.set(text, render);
  }
  return render;
}
