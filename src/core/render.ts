import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import type { Diagnosis } from '../generated/diagnosis.js';
import { localize } from './localize.js';
import { reportsDir } from './paths.js';
import { compileTemplate, registerHelper, safe, type Render } from './templates.js';

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

const ANSI: Record<string, string> = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
};
const OPERATOR_SYMBOLS: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

interface HelperOptions {
  data: { root: { lang: string }; color?: boolean };
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

registerHelper('t', (key, ...rest) => uiText(String(key), last(rest).data.root.lang));
registerHelper('pct', (value) => `${Math.round(Number(value) * 100)}%`);
registerHelper('cf', (value) => {
  const n = Number(value);
  return `${n > 0 ? '+' : ''}${n.toFixed(2)}`;
});
registerHelper('value', (value) => formatValue(value));
registerHelper('op', (name) => OPERATOR_SYMBOLS[String(name)] ?? String(name));
registerHelper('inc', (value) => Number(value) + 1);
registerHelper('eq', (a, b) => a === b);
registerHelper('json', (value) => JSON.stringify(value, null, 2));
registerHelper('bar', (value, width) => {
  const cells = Number(width);
  const filled = Math.round(Number(value) * cells);
  return '█'.repeat(filled) + '░'.repeat(cells - filled);
});
registerHelper('style', (name, text, ...rest) => {
  const code = ANSI[String(name)];
  return last(rest).data.color && code ? `${code}${String(text)}\u001b[0m` : String(text);
});
// A markdown code block that stays closed whatever backticks the text holds.
const longestBacktickRun = (text: string) => Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
registerHelper('fence', (text, lang) => {
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(String(text))) + 1);
  return `${fence}${typeof lang === 'string' ? lang : ''}\n${String(text)}\n${fence}`;
});
// Inline code in markdown, with the same guarantee.
registerHelper('code', (text) => {
  const s = String(text);
  const longest = longestBacktickRun(s);
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${s} ${ticks}` : `${ticks}${s}${ticks}`;
});
// Markdown table cells: pipes and newlines would break the row.
registerHelper('cell', (text) => String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' '));
registerHelper('raw', (text) => safe(String(text)));

const compiled = new Map<string, Render<Diagnosis>>();

function shippedTemplate(format: Exclude<ReportFormat, 'json'>): Render<Diagnosis> {
  let render = compiled.get(format);
  if (!render) {
    const file = join(reportsDir, `${format}.hbs`);
    render = compileTemplate<Diagnosis>(readFileSync(file, 'utf8'), { htmlEscape: format === 'html', source: `reports/${format}.hbs` });
    compiled.set(format, render);
  }
  return render;
}

export function renderReport(diagnosis: Diagnosis, format: ReportFormat, options: RenderOptions = {}): string {
  if (format === 'json') return `${JSON.stringify(diagnosis, null, 2)}\n`;
  return shippedTemplate(format)(diagnosis, { color: options.color === true });
}

/**
 * Compiles a user's template with the same data and helpers as the shipped ones.
 * HTML escaping follows the file name: `.html`/`.htm`/`.html.hbs` escape, others do not.
 */
export function customReport(text: string, source: string): (diagnosis: Diagnosis, options?: RenderOptions) => string {
  const render = compileTemplate<Diagnosis>(text, { htmlEscape: /\.html?(\.hbs)?$/i.test(source), source });
  return (diagnosis, options = {}) => render(diagnosis, { color: options.color === true });
}
