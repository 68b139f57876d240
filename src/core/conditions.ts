import type { Condition, LeafCondition } from '../generated/kb-file.js';
import { KNOWN_OPERATOR, OPERATORS, type Operator, type Tri } from './operators.js';
import type { FactMap } from './vocabulary.js';

export type { Tri } from './operators.js';

export type NamedConditions = ReadonlyMap<string, Condition>;

/**
 * What to make of each kind of node, given what was made of its children: the one walk of
 * the condition tree. `reference` gets the named condition's result, or undefined when the
 * name is unknown, when no names are followed, or where following it would close a cycle.
 */
export interface ConditionFold<T> {
  all: (children: T[]) => T;
  any: (children: T[]) => T;
  not: (child: T) => T;
  leaf: (leaf: LeafCondition) => T;
  reference: (name: string, target: T | undefined) => T;
}

/**
 * Folds a condition tree bottom-up. Named conditions in `named` are followed, each folded
 * once (results kept in `memo`, which callers may share between folds over the same names),
 * so a condition naming another many times costs its size, not its expansion. Without
 * `named`, references are left for `reference` to note. The loader refuses reference chains
 * over KB_LIMITS.references deep, so following them recurses that deep at most.
 */
export function foldCondition<T>(condition: Condition, fold: ConditionFold<T>, named: NamedConditions = new Map(), memo: Map<string, T> = new Map()): T {
  const following = new Set<string>();
  const target = (name: string): T | undefined => {
    if (memo.has(name)) return memo.get(name);
    const body = named.get(name);
    if (body === undefined || following.has(name)) return undefined;
    following.add(name);
    const result = visit(body);
    following.delete(name);
    memo.set(name, result);
    return result;
  };
  const visit = (c: Condition): T => {
    if ('all' in c) return fold.all(c.all.map(visit));
    if ('any' in c) return fold.any(c.any.map(visit));
    if ('not' in c) return fold.not(visit(c.not));
    if ('condition' in c) return fold.reference(c.condition, target(c.condition));
    return fold.leaf(c);
  };
  return visit(condition);
}

function isFactRef(value: LeafCondition['value']): value is { fact: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Facts a leaf reads: its own and the one its value names, if any. */
export function leafFacts(leaf: LeafCondition): string[] {
  return isFactRef(leaf.value) ? [leaf.fact, leaf.value.fact] : [leaf.fact];
}

/** A condition in the form handed to json-rules-engine (may hold internal `isKnown` leaves). */
export type EngineCondition = Condition | { fact: string; operator: typeof KNOWN_OPERATOR; value: true };

/** All rca needs of a condition, computed once per condition object (see compiledCondition). */
export interface CompiledCondition {
  /** Three-valued (Kleene) truth over the facts known so far: 'unknown' when it depends on facts not yet given. */
  test: (facts: FactMap) => Tri;
  /** Every fact it reads, through references. */
  facts: ReadonlySet<string>;
  /**
   * Facts that must all be known for it to hold (empty when no single set is: an `any`
   * whose branches need different facts). Indexes rules, so a diagnosis only evaluates
   * rules whose facts are present.
   */
  required: ReadonlySet<string>;
  /** Names of the conditions it references, transitively. */
  references: ReadonlySet<string>;
  /** The form handed to json-rules-engine. */
  engine: EngineCondition;
  /** For a leaf comparing a fact with a constant: its parts, so a junction of such leaves tests them in one loop. */
  constant?: { fact: string; evaluate: (actual: unknown, expected: unknown) => Tri; value: unknown };
}

const union = <T>(sets: ReadonlyArray<ReadonlySet<T>>): Set<T> => {
  const out = new Set<T>();
  for (const set of sets) for (const x of set) out.add(x);
  return out;
};

const NOTHING: ReadonlySet<string> = new Set();

/**
 * Kleene `all` (one false decides, else unknown if any is) or `any` (one true decides): the
 * same loop with the deciding value swapped.
 */
function junction(children: CompiledCondition[], key: 'all' | 'any', required: ReadonlySet<string>): CompiledCondition {
  const [decides, otherwise]: [Tri, Tri] = key === 'all' ? ['false', 'true'] : ['true', 'false'];
  const constants = children.map((c) => c.constant);
  let test: CompiledCondition['test'];
  if (constants.every((c) => c !== undefined)) {
    // Leaves on constants (most rules): tested in one loop, one call per leaf fewer.
    const facts = constants.map((c) => c.fact);
    const evaluates = constants.map((c) => c.evaluate);
    const values = constants.map((c) => c.value);
    test = (known) => {
      let result: Tri = otherwise;
      for (let j = 0; j < facts.length; j++) {
        const v = (evaluates[j] as Operator['evaluate'])(known[facts[j] as string], values[j]);
        if (v === decides) return decides;
        if (v === 'unknown') result = 'unknown';
      }
      return result;
    };
  } else {
    const tests = children.map((c) => c.test);
    test = (facts) => {
      let result: Tri = otherwise;
      for (const childTest of tests) {
        const v = childTest(facts);
        if (v === decides) return decides;
        if (v === 'unknown') result = 'unknown';
      }
      return result;
    };
  }
  return {
    test,
    facts: union(children.map((c) => c.facts)),
    required,
    references: union(children.map((c) => c.references)),
    engine: { [key]: children.map((c) => c.engine) } as unknown as Condition,
  };
}

const COMPILE: ConditionFold<CompiledCondition> = {
  all: (children) => junction(children, 'all', union(children.map((c) => c.required))),
  // An `any` needs only the facts every branch needs.
  any: (children) => junction(children, 'any', new Set([...(children[0]?.required ?? NOTHING)].filter((f) => children.every((c) => c.required.has(f))))),
  // Absence is never evidence: a negation is decided only once every fact beneath it is
  // known, and json-rules-engine gets the same rule as `isKnown` guards before the `not`.
  not: (child) => {
    const guards = [...child.facts];
    return {
      test: (facts) => {
        for (const fact of guards) if (facts[fact] === undefined) return 'unknown';
        return child.test(facts) === 'true' ? 'false' : 'true';
      },
      facts: child.facts,
      required: child.facts,
      references: child.references,
      engine: { all: [...guards.map((fact) => ({ fact, operator: KNOWN_OPERATOR, value: true })), { not: child.engine }] } as unknown as Condition,
    };
  },
  leaf: (leaf) => {
    const facts = new Set(leafFacts(leaf));
    const { fact, value } = leaf;
    const { evaluate } = OPERATORS[leaf.operator];
    if (isFactRef(value)) return { test: (known) => evaluate(known[fact], known[value.fact]), facts, required: facts, references: NOTHING, engine: leaf };
    return { test: (known) => evaluate(known[fact], value), facts, required: facts, references: NOTHING, engine: leaf, constant: { fact, evaluate, value } };
  },
  reference: (name, target) => ({
    test: target?.test ?? (() => 'false'),
    facts: target?.facts ?? NOTHING,
    required: target?.required ?? NOTHING,
    references: new Set([name, ...(target?.references ?? NOTHING)]),
    engine: { condition: name },
  }),
};

/** Compiled conditions per set of named conditions, per condition object: a KB's conditions compile once. */
const compiled = new WeakMap<NamedConditions, { byCondition: WeakMap<Condition, CompiledCondition>; byName: Map<string, CompiledCondition> }>();

export function compiledCondition(condition: Condition, named: NamedConditions): CompiledCondition {
  let cache = compiled.get(named);
  if (!cache) compiled.set(named, (cache = { byCondition: new WeakMap(), byName: new Map() }));
  let result = cache.byCondition.get(condition);
  if (!result) cache.byCondition.set(condition, (result = foldCondition(condition, COMPILE, named, cache.byName)));
  return result;
}

/** Three-valued evaluation over the facts known so far. Drives `missing`, the interview and askIf. */
export function evaluate3(condition: Condition, named: NamedConditions, facts: FactMap): Tri {
  return compiledCondition(condition, named).test(facts);
}

export function factsOf(condition: Condition, named: NamedConditions): ReadonlySet<string> {
  return compiledCondition(condition, named).facts;
}

/** Every leaf, through references (a leaf of a condition named twice comes once per naming). */
export function leavesOf(condition: Condition, named: NamedConditions): LeafCondition[] {
  return foldCondition<LeafCondition[]>(
    condition,
    { all: (cs) => cs.flat(), any: (cs) => cs.flat(), not: (c) => c, leaf: (leaf) => [leaf], reference: (_, target) => target ?? [] },
    named,
  );
}

/** The names a condition references itself, without following them. */
export function directReferences(condition: Condition): string[] {
  return foldCondition<string[]>(condition, { all: (cs) => cs.flat(), any: (cs) => cs.flat(), not: (c) => c, leaf: () => [], reference: (name) => [name] });
}

/**
 * A fold that hands every leaf and reference its JSON pointer: each node's result is a
 * function of its path; call the fold's result with the root's path. `target` of a
 * reference is the named condition's function, to call with the path it should report.
 * A `not` is looked into, unless `not` says what it is instead.
 */
export function locatedFold<T>(cases: {
  leaf: (leaf: LeafCondition, path: string) => T;
  reference: (name: string, path: string, target: ((path: string) => T) | undefined) => T;
  combine: (results: T[]) => T;
  not?: (path: string) => T;
}): ConditionFold<(path: string) => T> {
  const each = (key: string) => (children: Array<(path: string) => T>) => (path: string) => cases.combine(children.map((c, i) => c(`${path}/${key}/${i}`)));
  const { not } = cases;
  return {
    all: each('all'),
    any: each('any'),
    not: (child) => (path) => (not ? not(path) : child(`${path}/not`)),
    leaf: (leaf) => (path) => cases.leaf(leaf, path),
    reference: (name, target) => (path) => cases.reference(name, path, target),
  };
}

/**
 * A question's conditions (askIf, askUnless), each with its key: the trees checked and walked
 * like a rule's conditions.
 */
export function questionConditions(question: { askIf?: Condition; askUnless?: Condition }): Array<{ key: 'askIf' | 'askUnless'; condition: Condition }> {
  const out: Array<{ key: 'askIf' | 'askUnless'; condition: Condition }> = [];
  if (question.askIf) out.push({ key: 'askIf', condition: question.askIf });
  if (question.askUnless) out.push({ key: 'askUnless', condition: question.askUnless });
  return out;
}
