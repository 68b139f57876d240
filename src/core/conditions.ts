import type { Condition, LeafCondition } from '../generated/kb-file.js';
import { KNOWN_OPERATOR, OPERATORS, type Tri } from './operators.js';
import type { FactMap } from './vocabulary.js';

export type { Tri } from './operators.js';

function isFactRef(value: LeafCondition['value']): value is { fact: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type NamedConditions = ReadonlyMap<string, Condition>;

/** Calls `visit` on every leaf, following condition references (callers guarantee no cycles). */
export function forEachLeaf(condition: Condition, named: NamedConditions, visit: (leaf: LeafCondition) => void): void {
  if ('all' in condition) for (const c of condition.all) forEachLeaf(c, named, visit);
  else if ('any' in condition) for (const c of condition.any) forEachLeaf(c, named, visit);
  else if ('not' in condition) forEachLeaf(condition.not, named, visit);
  else if ('condition' in condition) {
    const target = named.get(condition.condition);
    if (target) forEachLeaf(target, named, visit);
  } else visit(condition);
}

/** Facts a leaf reads: its own and the one its value names, if any. */
export function leafFacts(leaf: LeafCondition): string[] {
  return isFactRef(leaf.value) ? [leaf.fact, leaf.value.fact] : [leaf.fact];
}

export function factsOf(condition: Condition, named: NamedConditions): Set<string> {
  const facts = new Set<string>();
  forEachLeaf(condition, named, (leaf) => leafFacts(leaf).forEach((f) => facts.add(f)));
  return facts;
}

/** Names of conditions referenced, transitively. */
export function referencesOf(condition: Condition, named: NamedConditions, into = new Set<string>()): Set<string> {
  if ('all' in condition) for (const c of condition.all) referencesOf(c, named, into);
  else if ('any' in condition) for (const c of condition.any) referencesOf(c, named, into);
  else if ('not' in condition) referencesOf(condition.not, named, into);
  else if ('condition' in condition && !into.has(condition.condition)) {
    into.add(condition.condition);
    const target = named.get(condition.condition);
    if (target) referencesOf(target, named, into);
  }
  return into;
}

/**
 * Facts that must all be known for the condition to possibly hold, or undefined when
 * no single set is required (an `any` whose branches need different facts). Used to
 * index rules so a diagnosis only evaluates rules whose facts are present.
 */
export function requiredFacts(condition: Condition, named: NamedConditions): Set<string> {
  if ('all' in condition) {
    const out = new Set<string>();
    for (const c of condition.all) requiredFacts(c, named).forEach((f) => out.add(f));
    return out;
  }
  if ('any' in condition) {
    const sets = condition.any.map((c) => requiredFacts(c, named));
    const first = sets[0] ?? new Set<string>();
    return new Set([...first].filter((f) => sets.every((s) => s.has(f))));
  }
  if ('not' in condition) return factsOf(condition.not, named);
  if ('condition' in condition) {
    const target = named.get(condition.condition);
    return target ? requiredFacts(target, named) : new Set();
  }
  return new Set(leafFacts(condition));
}

function leafValue(leaf: LeafCondition, facts: FactMap): Tri {
  const actual = facts[leaf.fact];
  const expected = isFactRef(leaf.value) ? facts[leaf.value.fact] : leaf.value;
  return OPERATORS[leaf.operator].evaluate(actual, expected);
}

/**
 * Three-valued (Kleene) evaluation over the facts known so far: 'unknown' when the
 * answer depends on facts not yet given. Drives `missing` and the interview.
 */
export function evaluate3(condition: Condition, named: NamedConditions, facts: FactMap): Tri {
  if ('all' in condition) {
    let result: Tri = 'true';
    for (const c of condition.all) {
      const v = evaluate3(c, named, facts);
      if (v === 'false') return 'false';
      if (v === 'unknown') result = 'unknown';
    }
    return result;
  }
  if ('any' in condition) {
    let result: Tri = 'false';
    for (const c of condition.any) {
      const v = evaluate3(c, named, facts);
      if (v === 'true') return 'true';
      if (v === 'unknown') result = 'unknown';
    }
    return result;
  }
  if ('not' in condition) {
    // Like the engine's isKnown guards: a negation is decided only once every fact under it is known.
    if (![...factsOf(condition.not, named)].every((f) => f in facts)) return 'unknown';
    return evaluate3(condition.not, named, facts) === 'true' ? 'false' : 'true';
  }
  if ('condition' in condition) {
    const target = named.get(condition.condition);
    return target ? evaluate3(target, named, facts) : 'false';
  }
  return leafValue(condition, facts);
}

/** A condition in the form handed to json-rules-engine (may hold internal `isKnown` leaves). */
export type EngineCondition = Condition | { fact: string; operator: typeof KNOWN_OPERATOR; value: true };

/**
 * Rewrites a condition for json-rules-engine: each `not` is preceded by `isKnown` guards
 * for every fact beneath it, so `not` can hold only when all those facts are known.
 */
export function toEngineCondition(condition: Condition, named: NamedConditions): EngineCondition {
  if ('all' in condition) return { all: condition.all.map((c) => toEngineCondition(c, named)) } as Condition;
  if ('any' in condition) return { any: condition.any.map((c) => toEngineCondition(c, named)) } as Condition;
  if ('not' in condition) {
    const guards = [...factsOf(condition.not, named)].map((fact) => ({ fact, operator: KNOWN_OPERATOR, value: true }) as const);
    return { all: [...guards, { not: toEngineCondition(condition.not, named) }] } as unknown as Condition;
  }
  return condition;
}
