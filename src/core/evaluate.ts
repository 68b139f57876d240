import { Engine, Rule, type RuleResult } from 'json-rules-engine';
import { ENGINE_OPERATORS, KNOWN_OPERATOR, OPERATORS, type Operator } from './operators.js';
import { combineAll, type Belief } from './certainty.js';
import { differentialOf, type Differential, type RuleVerdict } from './differential.js';
import { isSurfaceFact, statedBy, SURFACE_CF } from './facts.js';
import { compiledCondition, leafFacts, type CompiledCondition, type Tri } from './conditions.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
import type { ConditionEvidence } from '../generated/diagnosis.js';
import type { Condition, LeafCondition } from '../generated/kb-file.js';
import type { FactMap, FactValue } from './vocabulary.js';
import type { Valuations } from './value-of-information.js';

export interface FiredRule {
  rule: CompiledRule;
  conditions: ConditionEvidence[];
}

interface ResultNode {
  all?: ResultNode[];
  any?: ResultNode[];
  not?: ResultNode;
  fact?: string;
  operator?: string;
  value?: unknown;
  result?: boolean;
  factResult?: unknown;
  valueResult?: unknown;
}

/**
 * The leaves that made a condition come out as `want`: every child of a satisfied
 * `all`, the true branches of an `any`, and under `not` the leaves that failed.
 */
function collectEvidence(node: ResultNode, want: boolean, negated: boolean, out: ConditionEvidence[]): void {
  if (node.all) {
    for (const child of node.all) if (want || child.result === false) collectEvidence(child, want, negated, out);
  } else if (node.any) {
    for (const child of node.any) if (!want || child.result === true) collectEvidence(child, want, negated, out);
  } else if (node.not) {
    collectEvidence(node.not, !want, !negated, out);
  } else if (node.fact !== undefined && node.operator !== KNOWN_OPERATOR && node.result === want) {
    const ref = typeof node.value === 'object' && node.value !== null && !Array.isArray(node.value) ? (node.value as { fact?: string }).fact : undefined;
    out.push({
      fact: node.fact,
      operator: node.operator ?? '',
      expected: (node.valueResult ?? node.value) as ConditionEvidence['expected'],
      expectedFact: ref ?? null,
      actual: node.factResult as ConditionEvidence['actual'],
      negated,
    });
  }
}

/** A hypothesis's certainty factors from the fired rules, combined, and the rules for and against it. */
export interface Scored {
  id: string;
  /** In the order the rules fired. */
  cfs: number[];
  belief: Belief;
  support: FiredRule[];
  refute: FiredRule[];
}

/**
 * Combines the certainty factors each fired rule gives each hypothesis. The rules that read only
 * the ticket's surface and support a cause within SURFACE_CF count together as one view of the
 * same event, at most SURFACE_CF: the LB's 504 and its log's "upstream timed out" are one
 * timeout seen twice, not two findings, and neither says why the backend was slow. (A surface
 * rule above SURFACE_CF names the cause itself, `surface-evidence`'s lintIgnore says why, and
 * counts as any rule.)
 */
function scoreHypotheses(fired: readonly FiredRule[]): Scored[] {
  const byHypothesis = new Map<string, { cfs: number[]; surface: number[]; rest: number[]; support: FiredRule[]; refute: FiredRule[] }>();
  for (const f of fired) {
    for (const { hypothesis, cf } of f.rule.rule.evidence) {
      let entry = byHypothesis.get(hypothesis);
      if (!entry) byHypothesis.set(hypothesis, (entry = { cfs: [], surface: [], rest: [], support: [], refute: [] }));
      entry.cfs.push(cf);
      (cf > 0 && isSurfaceEvidence(f.rule, cf) ? entry.surface : entry.rest).push(cf);
      (cf > 0 ? entry.support : entry.refute).push(f);
    }
  }
  return [...byHypothesis].map(([id, e]) => ({ id, cfs: e.cfs, belief: combineWithSurface(e), support: e.support, refute: e.refute }));
}

/**
 * Whether RULE reads only the ticket's surface and gives CF within SURFACE_CF: the mechanism the
 * proxy saw, not the cause behind it. (A surface rule above it names the cause itself.) What the
 * scoring counts once per cause and what the interview does not stop on.
 */
export function isSurfaceEvidence(rule: CompiledRule, cf: number): boolean {
  return cf <= SURFACE_CF && rule.facts.every(isSurfaceFact);
}

/** A hypothesis's cfs combined (CFS, the SURFACE ones and the REST), the surface ones counted together as one of at most SURFACE_CF. */
function combineWithSurface({ cfs, surface, rest }: { cfs: readonly number[]; surface: readonly number[]; rest: readonly number[] }): Belief {
  if (surface.length < 2) return combineAll(cfs);
  return combineAll([...rest, Math.min(SURFACE_CF, combineAll(surface).support)]);
}

/** Sorting both lists by strength, then id, keeps output deterministic. */
function byStrength(a: Scored, b: Scored): number {
  return Math.abs(b.belief.net) - Math.abs(a.belief.net) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * What an assessment needs of a knowledge base, built once per KB (a KB crosses threads as
 * plain data, so this stays beside it). Facts, rules and evidence are numbered so a step over
 * 100,000 rules walks typed arrays rather than maps.
 */
interface RuleIndex {
  /** Each rule's place in kb.rules. */
  position: Map<CompiledRule, number>;
  /** The places of the rules of kb.rulesByKeyFact and kb.rulesWithoutKey, in their order. */
  byKeyFact: Map<string, Int32Array>;
  withoutKey: Int32Array;
  /** For each fact, the places of the rules reading it, in kb.rules order. */
  reading: Map<string, number[]>;
  /** Each rule's three-valued test, by place. */
  tests: Array<CompiledCondition['test']>;
  /** The facts rules read, numbered, and each one's number. */
  factNames: string[];
  factNumber: Map<string, number>;
  /** Rule i reads the facts numbered factList[factStart[i] .. factStart[i + 1]) (its `facts`, in order). */
  factStart: Int32Array;
  factList: Int32Array;
  /** The hypotheses rules give evidence on, numbered. */
  hypotheses: string[];
  /** Rule i's evidence is entries evidenceStart[i] .. evidenceStart[i + 1]: hypothesis number and |cf|. */
  evidenceStart: Int32Array;
  evidenceHypothesis: Int32Array;
  evidenceAbsCf: Float64Array;
  /**
   * A rule whose condition is an `all` of leaves comparing a fact with a constant (most rules,
   * every generated one) is tested from flat arrays: rule i's leaves are entries
   * leafStart[i] .. leafStart[i + 1] of leafFact (the fact's number), leafEvaluate and
   * leafValue; the range is empty for every other rule, tested by `tests`. Reading the facts
   * by number from an array, in memory order, makes the pass over 100,000 rules several times
   * faster than calling each rule's closure (which looks every fact up by name).
   */
  leafStart: Int32Array;
  leafFact: Int32Array;
  leafEvaluate: Array<Operator['evaluate']>;
  leafValue: unknown[];
}

const indexes = new WeakMap<KnowledgeBase, RuleIndex>();

/** Numbers each distinct name in order of first appearance. */
function numbering(names: Iterable<string>): Map<string, number> {
  const ids = new Map<string, number>();
  for (const name of names) if (!ids.has(name)) ids.set(name, ids.size);
  return ids;
}

/**
 * The leaves of a condition that is an `all` of leaves comparing a fact with a constant, or
 * nothing for any other shape. A named condition it refers to that is such an `all` itself
 * adds its leaves in place: Kleene `all` nested in `all` decides as the flat one.
 */
function constantConjunction(condition: Condition, named: ReadonlyMap<string, Condition>): LeafCondition[] {
  if (!('all' in condition)) return [];
  const leaves: LeafCondition[] = [];
  for (const part of condition.all) {
    if ('condition' in part) {
      const body = named.get(part.condition);
      const inner = body === undefined ? [] : constantConjunction(body, named);
      if (inner.length === 0) return [];
      leaves.push(...inner);
    } else if (!('fact' in part) || leafFacts(part).length !== 1) return [];
    else leaves.push(part);
  }
  return leaves;
}

export function ruleIndex(kb: KnowledgeBase): RuleIndex {
  let index = indexes.get(kb);
  if (index) return index;
  const reading = new Map<string, number[]>();
  kb.rules.forEach((rule, i) => {
    for (const fact of rule.facts) {
      const list = reading.get(fact);
      if (list) list.push(i);
      else reading.set(fact, [i]);
    }
  });
  const factIds = numbering(kb.rules.flatMap((r) => r.facts));
  const hypothesisIds = numbering(kb.rules.flatMap((r) => r.rule.evidence.map((e) => e.hypothesis)));
  const offsets = (count: (rule: CompiledRule, i: number) => number) => {
    const start = new Int32Array(kb.rules.length + 1);
    kb.rules.forEach((rule, i) => (start[i + 1] = (start[i] as number) + count(rule, i)));
    return start;
  };
  const conjunctions = kb.rules.map((rule) => constantConjunction(rule.rule.conditions, kb.conditions));
  const leaves = conjunctions.flat();
  const evidence = kb.rules.flatMap((r) => r.rule.evidence);
  const position = new Map(kb.rules.map((rule, i) => [rule, i]));
  const places = (rules: readonly CompiledRule[]) => Int32Array.from(rules, (rule) => position.get(rule) as number);
  index = {
    position,
    byKeyFact: new Map([...kb.rulesByKeyFact].map(([fact, rules]) => [fact, places(rules)])),
    withoutKey: places(kb.rulesWithoutKey),
    reading,
    tests: kb.rules.map((rule) => compiledCondition(rule.rule.conditions, kb.conditions).test),
    factNames: [...factIds.keys()],
    factNumber: factIds,
    factStart: offsets((r) => r.facts.length),
    factList: Int32Array.from(kb.rules.flatMap((r) => r.facts.map((f) => factIds.get(f) as number))),
    hypotheses: [...hypothesisIds.keys()],
    evidenceStart: offsets((r) => r.rule.evidence.length),
    evidenceHypothesis: Int32Array.from(evidence, (e) => hypothesisIds.get(e.hypothesis) as number),
    evidenceAbsCf: Float64Array.from(evidence, (e) => Math.abs(e.cf)),
    leafStart: offsets((_, i) => (conjunctions[i] as LeafCondition[]).length),
    leafFact: Int32Array.from(leaves, (leaf) => factIds.get(leaf.fact) as number),
    leafEvaluate: leaves.map((leaf) => OPERATORS[leaf.operator].evaluate),
    leafValue: leaves.map((leaf) => leaf.value),
  };
  indexes.set(kb, index);
  return index;
}

/**
 * Everything one set of facts says about the rules, computed once and shared by the
 * ranking, `missing` and the interview.
 */
export interface Assessment {
  facts: FactMap;
  /**
   * Each rule's three-valued status by its place in kb.rules, coded (see statusAt): typed,
   * so a KB of 100,000 rules costs 100 KB per step rather than a sparse array.
   */
  status: Uint8Array;
  /** The rules json-rules-engine fired (exactly those the three-valued pass found true), with the evidence it recorded, in its order. */
  fired: FiredRule[];
  /** Every hypothesis a fired rule names, strongest belief first (ties by id). */
  scored: Scored[];
  /** The posterior over every hypothesis and "no known cause" (src/core/differential.ts). */
  differential: Differential;
  /**
   * What asking each fact is worth on these facts, filled as facts are valued
   * (src/core/value-of-information.ts): `missing` and the interview's choice on one step value
   * each fact once.
   */
  valuations: Valuations;
}

/**
 * Status codes. A rule reading no known fact is not evaluated (its code stays 0, read as
 * unknown by statusAt): it is undecided without walking its condition (in a loaded KB every
 * all/any has a branch and every reference resolves, so each leaf, and thus the whole, is unknown).
 */
const TO_EVALUATE = 4;
const CODE: Readonly<Record<Tri, number>> = { true: 1, false: 2, unknown: 3 };

/** The three-valued status of the rule at place `i` of kb.rules. */
export function statusAt({ status }: Assessment, i: number): Tri {
  const code = status[i];
  return code === CODE.true ? 'true' : code === CODE.false ? 'false' : 'unknown';
}

export function statusOf(kb: KnowledgeBase, assessment: Assessment, rule: CompiledRule): Tri {
  return statusAt(assessment, ruleIndex(kb).position.get(rule) ?? -1);
}

/** The three-valued pass's answer: every rule's status, and the rules it found true, for json-rules-engine. */
export interface PreCheck {
  status: Uint8Array;
  /**
   * The rules found true, in the order of the key-fact index: the engine starts them in this
   * order, and its result order (the order evidence is shown in) follows it among rules that
   * take as many steps to settle.
   */
  candidates: CompiledRule[];
}

/** The facts by the numbers ruleIndex gives them (undefined where unknown), as ruleStatusAt reads them. */
export function factValuesByNumber({ factNames, factNumber }: RuleIndex, facts: FactMap): Array<FactValue | undefined> {
  const values = new Array<FactValue | undefined>(factNames.length);
  for (const fact in facts) {
    const f = factNumber.get(fact);
    if (f !== undefined) values[f] = facts[fact];
  }
  return values;
}

/**
 * The three-valued status of the rule at place i: a conjunction of leaves on constants read
 * off the facts by number (`values`, see factValuesByNumber), any other rule by its compiled
 * test on the facts by name (see RuleIndex.leafStart).
 */
export function ruleStatusAt(index: RuleIndex, i: number, values: ReadonlyArray<FactValue | undefined>, facts: FactMap): Tri {
  if (index.leafStart[i] === index.leafStart[i + 1]) return (index.tests[i] as CompiledCondition['test'])(facts);
  return leavesStatus(index, i, values, -1, false, 'true');
}

/**
 * Of the conjunction at place i (see RuleIndex.leafStart), the status of its leaves that do not
 * read fact number `fact`: the same whatever that fact's value, so valuing the fact's answers
 * computes it once (see statusGiven).
 */
export function statusApartFrom(index: RuleIndex, i: number, values: ReadonlyArray<FactValue | undefined>, fact: number): Tri {
  return leavesStatus(index, i, values, fact, false, 'true');
}

/** The status of the conjunction at place i with fact number `fact` valued in `values`, from `apart` (statusApartFrom): only the leaves reading it are tested. */
export function statusGiven(index: RuleIndex, i: number, values: ReadonlyArray<FactValue | undefined>, fact: number, apart: Tri): Tri {
  return apart === 'false' ? 'false' : leavesStatus(index, i, values, fact, true, apart);
}

/**
 * Kleene `all` of the conjunction at place i's leaves whose fact number is `fact` (`reading`)
 * or is not, on top of `result`: a false leaf decides, else an unknown one leaves it undecided.
 */
function leavesStatus(index: RuleIndex, i: number, values: ReadonlyArray<FactValue | undefined>, fact: number, reading: boolean, result: Tri): Tri {
  const { leafStart, leafFact, leafEvaluate, leafValue } = index;
  const to = leafStart[i + 1] as number;
  for (let k = leafStart[i] as number; k < to; k++) {
    if ((leafFact[k] === fact) !== reading) continue;
    const leaf = (leafEvaluate[k] as Operator['evaluate'])(values[leafFact[k] as number], leafValue[k]);
    if (leaf === 'false') return 'false';
    if (leaf === 'unknown') result = 'unknown';
  }
  return result;
}

/**
 * The three-valued pass over the rules reading a known fact: the engine's pre-check, so
 * json-rules-engine (~5 us per rule in promises and copies) only sees the rules that fire.
 */
export function threeValuedPass(kb: KnowledgeBase, facts: FactMap): PreCheck {
  const index = ruleIndex(kb);
  const { byKeyFact, withoutKey, reading } = index;
  const status = new Uint8Array(kb.rules.length);
  const known = Object.keys(facts);
  const values = factValuesByNumber(index, facts);
  // Mark the rules reading a known fact, then evaluate them in kb order: walking 100,000
  // compiled rules in memory order is several times faster than in the order facts name them.
  for (const fact of known) for (const i of reading.get(fact) ?? []) status[i] = TO_EVALUATE;
  for (let i = 0; i < status.length; i++) if (status[i] === TO_EVALUATE) status[i] = CODE[ruleStatusAt(index, i, values, facts)];
  const candidates: CompiledRule[] = [];
  const consider = (places: Int32Array) => {
    for (const i of places) if (status[i] === CODE.true) candidates.push(kb.rules[i] as CompiledRule);
  };
  for (const fact of known) {
    const places = byKeyFact.get(fact);
    if (places) consider(places);
  }
  consider(withoutKey);
  return { status, candidates };
}

/**
 * The facts the rules fired about a hypothesis read: the rules are the expert's reading of
 * those facts for it, so its table does not weigh them again (differentialOf) and the diagnosis
 * names them as its evidence, not as its table's factors.
 */
export function factsReadByRules(s: Scored): Set<string> {
  const read = new Set<string>();
  for (const list of [s.support, s.refute]) for (const f of list) for (const fact of f.rule.facts) read.add(fact);
  return read;
}

/** The assessment of these facts from the pre-check and the rules json-rules-engine fired: the certainty factors combined. */
export function assessmentOf(kb: KnowledgeBase, facts: FactMap, { status }: PreCheck, fired: FiredRule[], implied: readonly string[] = []): Assessment {
  const scored = scoreHypotheses(fired).sort(byStrength);
  const rules = new Map<string, RuleVerdict>();
  for (const s of scored) rules.set(s.id, { belief: s.belief.net, facts: factsReadByRules(s) });
  return { facts, status, fired, scored, differential: differentialOf(kb, withoutFacts(facts, implied), rules), valuations: { step: null, facts: new Map(), comparisons: new Map() } };
}

function withoutFacts(facts: FactMap, names: readonly string[]): FactMap {
  if (names.length === 0) return facts;
  const kept = { ...facts };
  for (const name of names) delete kept[name];
  return kept;
}

/**
 * The three-valued pass, then json-rules-engine over the rules it found true: the engine
 * stays the evaluator of record, and the evidence shown comes from it. A differential test
 * holds the two to the same answer on every rule case and scenario.
 */
export async function assess(kb: KnowledgeBase, given: FactMap): Promise<Assessment> {
  // What a target URL or another fact says by itself counts as said (its host, port and protocol; an LB in the path).
  const { facts, implied } = statedBy(given, kb.vocabulary);
  const preCheck = threeValuedPass(kb, facts);
  return assessmentOf(kb, facts, preCheck, await runEngine(kb, preCheck.candidates, facts), implied);
}

/** The rules that fire on these facts, with their evidence, as json-rules-engine found them. */
export async function fireRules(kb: KnowledgeBase, facts: FactMap): Promise<FiredRule[]> {
  return (await assess(kb, facts)).fired;
}

/**
 * A rule that evaluates under its knowledge base's engine (see engineRules) whichever engine
 * runs it: json-rules-engine's Engine.addRule points a rule at the engine it is added to
 * (setEngine), and a rule reads operators and named conditions from that engine, so the KB's
 * rules keep the one engine that holds them all.
 */
class KbRule extends Rule {
  setEngine(): this {
    return this;
  }
  emitAsync(): Promise<unknown[]> {
    return NO_LISTENERS;
  }
}

/**
 * What emitAsync resolves to with no listener. Nothing listens to a run's engine or to a KB
 * rule (rca reads the run's results), yet json-rules-engine awaits an emitAsync per rule
 * result on the rule and one or two on the engine, each walking eventemitter2's listener
 * tables to resolve an empty Promise.all: they are settled at once. A test holds the library
 * to adding no listener of its own.
 */
const NO_LISTENERS: Promise<unknown[]> = Promise.resolve([]);

/** A run's engine (see runEngine): its events settled at once, as KbRule's. */
class RunEngine extends Engine {
  emitAsync(): Promise<unknown[]> {
    return NO_LISTENERS;
  }
}

/**
 * json-rules-engine's side of a knowledge base, built once: one engine holding the operators
 * and every named condition, never run, and each rule as a json-rules-engine Rule evaluated
 * under it (made when first a candidate). A Rule keeps nothing of a run (each evaluation
 * records its results on a RuleResult of its own), so concurrent runs share them.
 */
interface EngineSide {
  home: Engine;
  rules: Map<CompiledRule, Rule>;
}

const engineSides = new WeakMap<KnowledgeBase, EngineSide>();

function engineRule(kb: KnowledgeBase, rule: CompiledRule): Rule {
  let side = engineSides.get(kb);
  if (!side) {
    const home = new Engine([], { allowUndefinedFacts: true, allowUndefinedConditions: false, replaceFactsInEventParams: false });
    for (const [name, fn] of ENGINE_OPERATORS) home.addOperator(name, fn);
    // Named conditions stay references, not written into the rules: the engine's result order,
    // and so the order evidence is shown in, follows how many steps each rule takes to settle.
    for (const [name, condition] of kb.engineConditions) home.setCondition(name, condition as never);
    engineSides.set(kb, (side = { home, rules: new Map() }));
  }
  let built = side.rules.get(rule);
  if (!built) {
    built = new KbRule({ name: rule.id, conditions: rule.engineConditions as never, event: { type: 'rca.evidence' } });
    Object.assign(built, { engine: side.home });
    side.rules.set(rule, built);
  }
  return built;
}

/**
 * Runs json-rules-engine over the given rules. A fresh Engine per call (its status is per run:
 * one instance shared by concurrent runs silently loses rules), holding only these rules, built
 * once per knowledge base (engineRule), and the facts they read.
 */
export async function runEngine(kb: KnowledgeBase, candidates: readonly CompiledRule[], facts: FactMap): Promise<FiredRule[]> {
  if (candidates.length === 0) return [];
  const engine = new RunEngine([], { allowUndefinedFacts: true });
  const byId = new Map<string, CompiledRule>();
  const read = new Set<string>();
  for (const rule of candidates) {
    byId.set(rule.id, rule);
    for (const fact of rule.facts) read.add(fact);
    engine.addRule(engineRule(kb, rule) as never);
  }
  // Only the facts these rules read, as constants without the almanac's cache (it would hash every fact to a key never read).
  for (const name of read) {
    const value = facts[name];
    if (value !== undefined) engine.addFact(name, value, { cache: false });
  }
  const { results } = await engine.run();
  return results.map((result: RuleResult) => {
    const conditions: ConditionEvidence[] = [];
    collectEvidence(result.conditions as unknown as ResultNode, true, false, conditions);
    return { rule: byId.get(result.name as string) as CompiledRule, conditions };
  });
}
