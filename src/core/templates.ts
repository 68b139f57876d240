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

/**
 * The context a command template sees: every fact of the vocabulary, nested by its
 * dotted name, as already shell-quoted text; an unknown fact is a visible `<name>`.
 * Pre-quoting every leaf means no template can forget to quote a value.
 */
export function commandContext(facts: FactMap): CommandContext {
  const context: CommandContext = {};
  for (const name of vocabulary().names) {
    const dot = name.indexOf('.');
    const group = name.slice(0, dot);
    const key = name.slice(dot + 1);
    const value = facts[name];
    (context[group] ??= {})[key] = safe(value === undefined ? `<${name}>` : shellQuote(value));
  }
  return context;
}

const commandCache = new Map<string, Render<CommandContext>>();
/** One compiled function per command text; command output is never HTML-escaped. */
export function commandTemplate(text: string, source: string): Render<CommandContext> {
  let render = commandCache.get(text);
  if (!render) {
    render = compileTemplate<CommandContext>(text, { htmlEscape: false, source });
    commandCache.set(text, render);
  }
  return render;
}
