import type { Condition, LeafCondition, Scalar } from '../generated/kb-file.js';
import type { NamedConditions } from '../core/conditions.js';
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
  const body = new Reader(named, lang, options.expandNamed !== false).read(condition, true, []);
  return options.prefix === false ? body : `${localize(WORDS.if, lang)} ${body}`;
}

class Reader {
  constructor(
    private readonly named: NamedConditions,
    private readonly lang: string,
    private readonly expand: boolean,
  ) {}

  /** `top` is true where the text is grouped already: the whole sentence, or inside NOT (...) and name (...). */
  read(condition: Condition, top: boolean, trail: readonly string[]): string {
    if ('all' in condition) return this.join(condition.all, WORDS.and, top, trail);
    if ('any' in condition) return this.join(condition.any, WORDS.or, top, trail);
    if ('not' in condition) return `${this.word(WORDS.not)} (${this.read(condition.not, true, trail)})`;
    if ('condition' in condition) return this.reference(condition.condition, trail);
    return this.leaf(condition);
  }

  private join(children: readonly Condition[], word: Words, bare: boolean, trail: readonly string[]): string {
    // A single child needs no grouping of its own, whatever its parent is.
    if (children.length === 1 && children[0]) return this.read(children[0], bare, trail);
    const text = children.map((c) => this.read(c, false, trail)).join(` ${this.word(word)} `);
    return bare ? text : `(${text})`;
  }

  private reference(name: string, trail: readonly string[]): string {
    const target = this.named.get(name);
    // The loader rejects unknown names and cycles; the guard only keeps a hand-built KB from recursing forever.
    if (!this.expand || !target || trail.includes(name)) return name;
    return `${name} (${this.read(target, true, [...trail, name])})`;
  }

  private leaf(leaf: LeafCondition): string {
    const op = localize(OPERATORS[leaf.operator].words, this.lang);
    const value = leaf.value;
    if (Array.isArray(value)) return `${leaf.fact} ${op} [${value.map(formatScalar).join(', ')}]`;
    if (typeof value === 'object') return `${leaf.fact} ${op} ${value.fact}`;
    return `${leaf.fact} ${op} ${formatScalar(value)}`;
  }

  private word(word: Words): string {
    return localize(word, this.lang);
  }
}

/** Plain words stay bare (`all_unhealthy`, `503`, `true`); anything that could blur the sentence is quoted. */
function formatScalar(value: Scalar): string {
  if (typeof value !== 'string') return String(value);
  return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
}
