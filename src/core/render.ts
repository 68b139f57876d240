import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import type { Diagnosis } from '../generated/diagnosis.js';
import { localize } from './localize.js';
import { precompiledReports } from './precompiled-reports.js';
import { operatorSymbol } from './operators.js';
import { reportsDir } from './paths.js';
import { escapeMarkdown, markdownCode, markdownFence } from './escape.js';
import { createTemplateEnvironment, escapeFor, safe, SafeString, type EscapeMode, type Helpers, type Render, type TemplateData, type TemplateEnvironment } from './templates.js';

export const REPORT_FORMATS = ['text', 'markdown', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour in the text report; the CLI decides (TTY and no NO_COLOR). */
  color?: boolean;
}

type Strings = Record<string, { en: string; [lang: string]: string }>;
let strings: Strings | undefined;
/** The fixed words of the shipped reports, per language (reports/strings.yaml). */
export function reportStrings(): Strings {
  strings ??= parseYaml(readFileSync(join(reportsDir, 'strings.yaml'), 'utf8')) as Strings;
  return strings;
}

/**
 * The few SGR codes the text report uses, kept by hand: util.styleText decides colour from
 * process.stdout by default on newer Node (22.13+), overriding the caller's choice (FORCE_COLOR
 * on a pipe, an in-process io), and a colour library would add only another reset code.
 */
const ANSI: Record<string, string> = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
};

interface HelperOptions {
  data: TemplateData & { root: { lang: string }; color?: boolean };
  /** A block helper's content ({{#aside}}...{{/aside}}), rendered for a context. */
  fn?: (context: unknown) => string;
  hash?: Record<string, unknown>;
}
const last = (args: unknown[]) => args[args.length - 1] as HelperOptions;

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (value === undefined) return '?';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A fixed word of the reports or the interview, in the given language. */
export function uiText(key: string, lang: string): string {
  const entry = reportStrings()[key];
  if (!entry) throw new Error(`unknown report string "${key}"`);
  return localize(entry, lang);
}

/**
 * What follows a label in a language (reports/strings.yaml's label_colon): English a colon and a
 * space, "run on: any host"; Chinese a full-width colon and nothing after it, Latin text included,
 * "执行位置：任意主机" (clreq, GB/T 15834: the mark is a character wide and carries its own space).
 * `atLineEnd`: a label its line ends with ("Evidence for:"), without the space.
 */
export function labelColon(lang: string, { atLineEnd = false } = {}): string {
  const colon = uiText('label_colon', lang);
  return atLineEnd ? colon.trimEnd() : colon;
}

/**
 * An aside after the text before it, bracketed as the language brackets one (reports/strings.yaml's
 * aside_open, aside_close): English " (no known cause: 3%)", a space before the parenthesis;
 * Chinese "（知识库之外的原因：3%）", full-width and no space before it, after a full-width mark
 * ("。") or not. `atLineStart`: an aside that opens its line, without the space.
 */
export function asideText(text: string, lang: string, { atLineStart = false } = {}): string {
  const open = uiText('aside_open', lang);
  return `${atLineStart ? open.trimStart() : open}${text}${uiText('aside_close', lang)}`;
}

/**
 * A fact's unit as the interview and the docs show it in a language: its word there where the
 * unit is one (days: 天, a `unit_` entry of reports/strings.yaml), a symbol (ms, s, %) or a unit a
 * pack declares as it is written.
 */
export function unitText(unit: string, lang: string): string {
  const entry = reportStrings()[`unit_${unit}`];
  return entry ? localize(entry, lang) : unit;
}

/** The table factors on one side of 1: `likelier` (ratio above 1) or `less` (below). */
export function factorsOn<F extends { ratio: number }>(factors: readonly F[], side: 'likelier' | 'less'): F[] {
  return factors.filter((f) => (side === 'likelier' ? f.ratio > 1 : f.ratio < 1));
}

/** A likelihood ratio as a reader takes it in: ×2.7, ×12, ×0.33 (two significant digits below 10). */
export function formatRatio(ratio: number): string {
  return `×${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(1) : ratio.toFixed(2)}`;
}

/**
 * The markdown helpers (code, fence, cell) build markdown. In a markdown template, or one
 * that escapes nothing, that is markup; in any other its text is escaped like a value.
 */
function markdownMarkup(markup: string, options: HelperOptions): unknown {
  const mode = options.data.escape;
  return mode === 'markdown' || mode === 'none' ? safe(markup) : markup;
}

/**
 * The helpers of the reports: the shipped ones, a user's `--template` and the knowledge-base
 * docs call them by name. A plain object: whoever compiles with them builds an environment.
 */
/** A certainty factor with its sign, as the reports and the kb tools write it: +0.60, -0.30. */
export function cfText(cf: number): string {
  return `${cf > 0 ? '+' : ''}${cf.toFixed(2)}`;
}

/**
 * A probability as a reader should see it: a whole percent, but never 100% or 0%. The model is
 * never certain (every class keeps some probability; a diagnosis rounds to four decimals, so a
 * 0.00004 arrives as 0), and a rounded 100% or 0% reads as proof and as ruled out: ">99%", "<1%".
 */
export function percentText(probability: number): string {
  if (probability < 0.005) return '<1%';
  if (probability >= 0.995) return '>99%';
  return `${Math.round(probability * 100)}%`;
}

const reportKeys = new WeakMap<object, string>();
/** A short digest of a report's data, computed once per rendering's data. */
function reportKey(root: object): string {
  let key = reportKeys.get(root);
  if (key === undefined) {
    key = createHash('sha256').update(JSON.stringify(root)).digest('hex').slice(0, 10);
    reportKeys.set(root, key);
  }
  return key;
}

export const REPORT_HELPERS: Helpers = Object.freeze({
  t: (key, ...rest) => uiText(String(key), last(rest).data.root.lang),
  pct: (value) => `${Math.round(Number(value) * 100)}%`,
  // A probability (a cause's confidence, "no known cause"): never shown as 100% or 0%.
  probability: (value) => percentText(Number(value)),
  // A bare whole number, for what takes one (aria-valuenow, a bar's CSS width).
  percent: (value) => Math.round(Number(value) * 100),
  cf: (value) => cfText(Number(value)),
  value: (value) => formatValue(value),
  times: (value) => formatRatio(Number(value)),
  ratios: (list, side) => (Array.isArray(list) ? factorsOn(list as Array<{ ratio: number }>, side === 'likelier' ? 'likelier' : 'less') : []),
  and: (...args) => args.slice(0, -1).every(Boolean),
  // An operator sits between a fact and a value, never at the start of a line, so a bare
  // `=` needs no escape against a setext underline.
  op: (name, options) => safe(escapeFor((options as HelperOptions).data.escape, operatorSymbol(String(name), (options as HelperOptions).data.root.lang))),
  inc: (value) => Number(value) + 1,
  // The leading known cause's confidence (0 with none), to set "no known cause" against it.
  leaderConfidence: (hypotheses) => (Array.isArray(hypotheses) && hypotheses.length > 0 ? Number((hypotheses[0] as { confidence: number }).confidence) : 0),
  eq: (a, b) => a === b,
  lt: (a, b) => Number(a) < Number(b),
  // True when any argument is (the last one is handlebars' options).
  or: (...args) => args.slice(0, -1).some(Boolean),
  // Joins its arguments into one string, for keys built from a value: {{t (concat "verdict_" verdict)}}.
  concat: (...args) => args.slice(0, -1).join(''),
  json: (value) => JSON.stringify(value, null, 2),
  bar: (value, width) => {
    const cells = Number(width);
    const filled = Math.round(Number(value) * cells);
    return '█'.repeat(filled) + '░'.repeat(cells - filled);
  },
  style: (name, text, ...rest) => {
    const options = last(rest);
    const code = ANSI[String(name)];
    const shown = escapeFor(options.data.escape, text);
    return safe(options.data.color && code ? `${code}${shown}\u001b[0m` : shown);
  },
  fence: (text, ...rest) => {
    const lang = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : '';
    return markdownMarkup(markdownFence(String(text), lang), last(rest));
  },
  // Inline code in markdown, one line, closed whatever backticks the text holds.
  code: (text, ...rest) => markdownMarkup(markdownCode(String(text)), last(rest)),
  // Markdown table cells: a value is escaped (no pipe, newline or markup of its own); markup
  // from another helper, such as inline code, keeps its form with its pipes escaped.
  cell: (text, ...rest) => {
    const options = last(rest);
    if (text instanceof SafeString || options.data.escape !== 'markdown') {
      return markdownMarkup(String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' '), options);
    }
    return safe(escapeMarkdown(String(text)));
  },
  raw: (text) => safe(String(text)),
  // The typography of the report's language (labelColon, asideText): reports/strings.yaml's
  // punctuation, written as it is (a colon, a parenthesis: no markup in any format).
  // {{t "run_on"}}{{colon}}: the colon after a label, and in English the space after it; {{colon "end"}} ends its line.
  colon: (...args) => safe(labelColon(last(args).data.root.lang, { atLineEnd: args[0] === 'end' })),
  // {{elementId "cmd" @../index @index}}: an HTML element id unique to this report's content,
  // so that two reports put into one page (a ticket viewer's) do not name each other's elements
  // (a copy button is named by its command's id); the same report always gets the same ids.
  elementId: (...args) => safe(escapeFor('html', ['rca', reportKey(last(args).data.root), ...args.slice(0, -1).map(String)].join('-'))),
  // {{#unless @last}}{{between}}{{/unless}}: between the items of a list, as the language separates
  // them ("a, b", "a、b"), as the interview does.
  between: (...args) => safe(uiText('list_between', last(args).data.root.lang)),
  // A label in bold (markdown **, HTML <strong>; text as it is) and its colon: inside the bold with
  // the space after it (English "**Summary:** "), after the bold where no space follows
  // ("**问题概述**："): CommonMark closes no "**" between a full-width mark and the text after it.
  strongLabel: (text, ...rest) => {
    const options = last(rest);
    const mode = options.data.escape;
    const colon = labelColon(options.data.root.lang);
    const mark = colon.trimEnd();
    const strong = (inner: string) => (mode === 'markdown' ? `**${inner}**` : mode === 'html' ? `<strong>${inner}</strong>` : inner);
    const label = escapeFor(mode, text);
    return safe(mark === colon ? `${strong(label)}${mark}` : `${strong(`${label}${mark}`)}${colon.slice(mark.length)}`);
  },
  // {{#aside}}...{{/aside}} or {{aside TEXT}}: bracketed as the language brackets an aside after the
  // text before it, "text (aside)", "正文（说明）"; class="NAME": in HTML, the brackets and what they
  // hold in a span of that class, any space before them outside it.
  aside: function (this: unknown, ...args: unknown[]) {
    const options = last(args);
    const inner = options.fn ? options.fn(this) : escapeFor(options.data.escape, args[0]);
    const lang = options.data.root.lang;
    const aside = asideText(inner, lang);
    const cls = options.hash?.class;
    if (options.data.escape !== 'html' || cls === undefined) return safe(aside);
    const bracketed = asideText(inner, lang, { atLineStart: true });
    return safe(`${aside.slice(0, aside.length - bracketed.length)}<span class="${escapeFor('html', cls)}">${bracketed}</span>`);
  },
});

let reports: TemplateEnvironment | undefined;
/** The template environment of the reports, built on first use. */
function reportEnvironment(): TemplateEnvironment {
  reports ??= createTemplateEnvironment(REPORT_HELPERS);
  return reports;
}

const compiled = new Map<string, Render<Diagnosis>>();

type ShippedFormat = Exclude<ReportFormat, 'json'>;

/** A shipped template's text and how it compiles. */
function shippedSource(format: ShippedFormat) {
  return { text: readFileSync(join(reportsDir, `${format}.hbs`), 'utf8'), options: { escape: format, source: `reports/${format}.hbs` } as const };
}

/** A shipped template: precompiled when the build put it in (the CLI bundle) and its file is unchanged, else compiled now. */
function shippedTemplate(format: ShippedFormat): Render<Diagnosis> {
  let render = compiled.get(format);
  if (!render) {
    const { text, options } = shippedSource(format);
    const precompiled = precompiledReports[format];
    render = precompiled?.text === text ? reportEnvironment().fromPrecompiled<Diagnosis>(precompiled.spec, options) : reportEnvironment().compile<Diagnosis>(text, options);
    compiled.set(format, render);
  }
  return render;
}

/** A shipped template compiled ahead of time (scripts/bundle.mjs builds precompiled-reports.ts from these). */
export function precompileReport(format: ShippedFormat): { text: string; spec: string } {
  const { text, options } = shippedSource(format);
  return { text, spec: reportEnvironment().precompile(text, options) };
}

export function renderReport(diagnosis: Diagnosis, format: ReportFormat, options: RenderOptions = {}): string {
  if (format === 'json') return `${JSON.stringify(diagnosis, null, 2)}\n`;
  return shippedTemplate(format)(diagnosis, { color: options.color === true });
}

/**
 * How a user's template escapes values: by its file name, `.html`/`.htm` or `.md`/`.markdown`
 * (optionally + `.hbs`), the shipped templates' own names too (a copy of reports/html.hbs kept
 * under its name); a template whose name says neither but that writes HTML markup (an html,
 * body, head, table, div or p tag) is HTML, since values a text template shows as they are
 * would be markup there; else text.
 */
export function templateEscapeMode(source: string, text: string): EscapeMode {
  const name = source.split(/[\\/]/).at(-1) ?? source;
  if (/(?:^|\.)html?(?:\.hbs)?$/i.test(name)) return 'html';
  if (/(?:^|\.)(?:md|markdown)(?:\.hbs)?$/i.test(name)) return 'markdown';
  if (/<(?:!doctype\s+html|html|head|body|table|div|p)[\s>]/i.test(text)) return 'html';
  return 'text';
}

/**
 * Compiles a user's template with the same data and helpers as the shipped ones, and
 * values escaped for the format its file name or its markup says (templateEscapeMode).
 */
export function customReport(text: string, source: string): (diagnosis: Diagnosis, options?: RenderOptions) => string {
  const render = reportEnvironment().compile<Diagnosis>(text, { escape: templateEscapeMode(source, text), source });
  return (diagnosis, options = {}) => render(diagnosis, { color: options.color === true });
}
