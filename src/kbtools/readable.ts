import type { Condition, LeafCondition, Scalar } from '../generated/kb-file.js';
import { foldCondition, type NamedConditions } from '../core/conditions.js';
import { OPERATORS } from '../core/operators.js';
import { localize } from '../core/localize.js';

/**
 * The words a condition reads with, per language. Kept here rather than in a strings file:
 * they are part of a sentence grammar (operator order, spacing), not free-standing labels.
 */
type Words = { en: string; 'zh-CN': string };

const WORDS = {
  if: { en: 'IF', 'zh-CN': '如果' },
  and: { en: 'AND', 'zh-CN': '并且' },
  or: { en: 'OR', 'zh-CN': '或者' },
  not: { en: 'NOT', 'zh-CN': '并非' },
} satisfies Record<string, Words>;

export interface ReadableOptions {
  /** Show what a named condition stands for after its name (default true); false keeps just the name. */
  expandNamed?: boolean;
  /** Start with IF / 如果 (default true); false gives the bare expression. */
  prefix?: boolean;
}

/**
 * A condition tree as a sentence for people:
 * `IF http.status is 503 AND (ping.result is ok OR tcp.connect is ok)`.
 * Every nested `any` or `all` of more than one branch is parenthesised, so the sentence
 * never depends on AND/OR precedence; the outermost one needs no parentheses.
 */
export function readableCondition(condition: Condition, named: NamedConditions, lang: string, options: ReadableOptions = {}): string {
  const expand = options.expandNamed !== false;
  const word = (w: Words) => localize(w, lang);
  // Each node reads as a function of `top`: true where the text is grouped already (the
  // whole sentence, or inside NOT (...) and name (...)).
  const join = (children: Array<(top: boolean) => string>, w: Words) => (top: boolean) => {
    // A single child needs no grouping of its own, whatever its parent is.
    if (children.length === 1 && children[0]) return children[0](top);
    const text = children.map((read) => read(false)).join(` ${word(w)} `);
    return top ? text : `(${text})`;
  };
  const read = foldCondition<(top: boolean) => string>(
    condition,
    {
      all: (children) => join(children, WORDS.and),
      any: (children) => join(children, WORDS.or),
      not: (child) => () => `${word(WORDS.not)} (${child(true)})`,
      leaf: (leaf) => () => leafText(leaf, lang),
      // The loader rejects unknown names and cycles; the fold cuts them for a hand-built KB.
      reference: (name, target) => () => (expand && target ? `${name} (${target(true)})` : name),
    },
    named,
  );
  const body = read(true);
  return options.prefix === false ? body : `${word(WORDS.if)} ${body}`;
}

function leafText(leaf: LeafCondition, lang: string): string {
  const op = localize(OPERATORS[leaf.operator].words, lang);
  const value = leaf.value;
  if (Array.isArray(value)) return `${leaf.fact} ${op} [${value.map(formatScalar).join(', ')}]`;
  if (typeof value === 'object') return `${leaf.fact} ${op} ${value.fact}`;
  return `${leaf.fact} ${op} ${formatScalar(value)}`;
}

/** Plain words stay bare (`all_unhealthy`, `503`, `true`); anything that could blur the sentence is quoted. */
function formatScalar(value: Scalar): string {
  if (typeof value !== 'string') return String(value);
  return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
}
