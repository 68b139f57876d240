import type { LeafCondition } from '../generated/kb-file.js';
import { localize } from './localize.js';

export type OperatorName = LeafCondition['operator'];

/** Three-valued truth: 'unknown' when the answer depends on a fact not given yet. */
export type Tri = 'true' | 'false' | 'unknown';

/** What an operator reads on its value side, for validation: a scalar, a number, a list, or a text (substring) test. */
export type OperatorKind = 'scalar' | 'numeric' | 'list' | 'text';

export interface Operator {
  /** Three-valued test of a fact's value (undefined when unknown) against the expected value. */
  evaluate: (actual: unknown, expected: unknown) => Tri;
  kind: OperatorKind;
  /** True when the operator holds on what was not seen (notEqual, notIn, ...): lint warns it reads as firing on absence. */
  negating: boolean;
  /** How reports show it between a fact and a value: a sign, or words in each language (operatorSymbol). */
  symbol: string | { en: string; 'zh-CN': string };
  /** How a condition reads in a sentence (kbtools/readable). */
  words: { en: string; 'zh-CN': string };
}

/**
 * A two-valued test made three-valued: unknown while either side is unknown, so a missing
 * fact is never evidence, whatever the operator (json-rules-engine's own `notEqual` is
 * true for a missing fact under allowUndefinedFacts).
 */
function whenKnown(test: (actual: unknown, expected: unknown) => boolean): Operator['evaluate'] {
  return (actual, expected) => (actual === undefined || expected === undefined ? 'unknown' : test(actual, expected) ? 'true' : 'false');
}

/** Substring or element test; undefined when the fact is neither a string nor a list. */
function contains(haystack: unknown, needle: unknown): boolean | undefined {
  if (Array.isArray(haystack)) return haystack.includes(needle);
  if (typeof haystack === 'string' && typeof needle === 'string') return haystack.includes(needle);
  return undefined;
}

const numbers = (test: (a: number, b: number) => boolean) => whenKnown((a, b) => typeof a === 'number' && typeof b === 'number' && test(a, b));

/**
 * Every operator a KB condition may use, and all rca knows about it. Adding an operator is
 * one entry here (and its name in kb-file.schema.json's enum, which a test holds equal).
 */
export const OPERATORS: Readonly<Record<OperatorName, Operator>> = {
  equal: { evaluate: whenKnown((a, b) => a === b), kind: 'scalar', negating: false, symbol: '=', words: { en: 'is', 'zh-CN': '是' } },
  notEqual: { evaluate: whenKnown((a, b) => a !== b), kind: 'scalar', negating: true, symbol: '≠', words: { en: 'is not', 'zh-CN': '不是' } },
  lessThan: { evaluate: numbers((a, b) => a < b), kind: 'numeric', negating: false, symbol: '<', words: { en: '<', 'zh-CN': '<' } },
  lessThanInclusive: { evaluate: numbers((a, b) => a <= b), kind: 'numeric', negating: false, symbol: '≤', words: { en: '<=', 'zh-CN': '<=' } },
  greaterThan: { evaluate: numbers((a, b) => a > b), kind: 'numeric', negating: false, symbol: '>', words: { en: '>', 'zh-CN': '>' } },
  greaterThanInclusive: { evaluate: numbers((a, b) => a >= b), kind: 'numeric', negating: false, symbol: '≥', words: { en: '>=', 'zh-CN': '>=' } },
  in: { evaluate: whenKnown((a, b) => Array.isArray(b) && b.includes(a)), kind: 'list', negating: false, symbol: { en: 'in', 'zh-CN': '是以下之一' }, words: { en: 'is one of', 'zh-CN': '是以下之一' } },
  notIn: { evaluate: whenKnown((a, b) => Array.isArray(b) && !b.includes(a)), kind: 'list', negating: true, symbol: { en: 'not in', 'zh-CN': '不是以下之一' }, words: { en: 'is not one of', 'zh-CN': '不是以下之一' } },
  contains: { evaluate: whenKnown((a, b) => contains(a, b) === true), kind: 'text', negating: false, symbol: { en: 'contains', 'zh-CN': '包含' }, words: { en: 'contains', 'zh-CN': '包含' } },
  doesNotContain: { evaluate: whenKnown((a, b) => contains(a, b) === false), kind: 'text', negating: true, symbol: { en: 'does not contain', 'zh-CN': '不包含' }, words: { en: 'does not contain', 'zh-CN': '不包含' } },
};

export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

export function operatorOf(name: string): Operator | undefined {
  return Object.hasOwn(OPERATORS, name) ? OPERATORS[name as OperatorName] : undefined;
}

/**
 * How a report or the interview shows an operator between a fact and a value, in a language: its
 * sign (=, ≥), or, where it is a word (in, contains), that word in the language, so a Chinese
 * report reads no English between a fact and its value. An unknown name is shown as it is.
 */
export function operatorSymbol(name: string, lang: string): string {
  const symbol = operatorOf(name)?.symbol;
  return symbol === undefined ? name : localize(symbol, lang);
}

/**
 * Internal operator the compiler inserts before every `not` for json-rules-engine: it holds
 * only when the fact is known, so negation never turns an absent fact into evidence.
 */
export const KNOWN_OPERATOR = 'isKnown';

/** The operators handed to json-rules-engine: each holds exactly when its three-valued test is true. */
export const ENGINE_OPERATORS: ReadonlyArray<readonly [string, (actual: unknown, expected: unknown) => boolean]> = [
  ...OPERATOR_NAMES.map((name) => [name, (a: unknown, b: unknown) => OPERATORS[name].evaluate(a, b) === 'true'] as const),
  [KNOWN_OPERATOR, (a: unknown) => a !== undefined] as const,
];
