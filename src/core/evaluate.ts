import { Engine, type RuleResult } from 'json-rules-engine';
import { ENGINE_OPERATORS, KNOWN_OPERATOR } from './operators.js';
import { combineAll, type Belief } from './certainty.js';
import { compiledCondition, type CompiledCondition, type Tri } from './conditions.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
import type { ConditionEvidence } from '../generated/diagnosis.js';
import type { FactMap } from './vocabulary.js';

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

/** Combines the certainty factors each fired rule gives each hypothesis. */
function scoreHypotheses(fired: readonly FiredRule[]): Scored[] {
  const byHypothesis = new Map<string, { cfs: number[]; support: FiredRule[]; refute: FiredRule[] }>();
  for (const f of fired) {
    for (const { hypothesis, cf } of f.rule.rule.evidence) {
      let entry = byHypothesis.get(hypothesis);
      if (!entry) byHypothesis.set(hypothesis, (entry = { cfs: [], support: [], refute: [] }));
      entry.cfs.push(cf);
      (cf > 0 ? entry.support : entry.refute).push(f);
    }
  }
  return [...byHypothesis].map(([id, e]) => ({ id, cfs: e.cfs, belief: combineAll(e.cfs), support: e.support, refute: e.refute }));
}

/** Sorting both lists by strength, then id, keeps output deterministic. */
function byStrength(a: Scored, b: Scored): number {
  return Math.abs(b.belief.net) - Math.abs(a.belief.net) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** What assess() needs of a knowledge base, built once per KB (a KB crosses threads as plain data, so this stays beside it). */
interface RuleIndex {
  /** Each rule's place in kb.rules. */
  position: Map<CompiledRule, number>;
  /** For each fact, the places of the rules reading it, in kb.rules order. */
  reading: Map<string, number[]>;
  /** Each rule's three-valued test, by place. */
  tests: Array<CompiledCondition['test']>;
}

const indexes = new WeakMap<KnowledgeBase, RuleIndex>();

export function ruleIndex(kb: KnowledgeBase): RuleIndex {
  let index = indexes.get(kb);
  if (!index) {
    const reading = new Map<string, number[]>();
    kb.rules.forEach((rule, i) => {
      for (const fact of rule.facts) {
        const list = reading.get(fact);
        if (list) list.push(i);
        else reading.set(fact, [i]);
      }
    });
    index = {
      position: new Map(kb.rules.map((rule, i) => [rule, i])),
      reading,
      tests: kb.rules.map((rule) => compiledCondition(rule.rule.conditions, kb.conditions).test),
    };
    indexes.set(kb, index);
  }
  return index;
}

/**
 * Everything one set of facts says about the rules, computed once and shared by the
 * ranking, `missing` and the interview.
 */
export interface Assessment {
  facts: FactMap;
  /**
   * Each rule's three-valued status, by its place in kb.rules; undefined for a rule that
   * reads no known fact, which is undecided without walking its condition (in a loaded KB
   * every all/any has a branch and every reference resolves, so each leaf is unknown).
   */
  status: ReadonlyArray<Tri | undefined>;
  /** The rules json-rules-engine fired (exactly those the three-valued pass found true), with the evidence it recorded, in its order. */
  fired: FiredRule[];
  /** Every hypothesis a fired rule names, strongest belief first (ties by id). */
  scored: Scored[];
}

export function statusOf(kb: KnowledgeBase, assessment: Assessment, rule: CompiledRule): Tri {
  return assessment.status[ruleIndex(kb).position.get(rule) ?? -1] ?? 'unknown';
}

/**
 * The three-valued pass over the rules reading a known fact, then json-rules-engine over
 * those it found true: the engine stays the evaluator of record, and the evidence shown
 * comes from it. The pass is the engine's pre-check, so the engine (~10 us per rule in
 * promises) only sees rules that fire; a differential test holds the two to the same answer
 * on every rule case and scenario.
 */
export async function assess(kb: KnowledgeBase, facts: FactMap): Promise<Assessment> {
  const { position, reading, tests } = ruleIndex(kb);
  const status = new Array<Tri | undefined>(kb.rules.length);
  const known = Object.keys(facts);
  for (const fact of known) {
    for (const i of reading.get(fact) ?? []) if (status[i] === undefined) status[i] = (tests[i] as CompiledCondition['test'])(facts);
  }
  // Candidates in the order of the key-fact index: the engine's result order, and so the order evidence is shown in, follows it.
  const candidates: CompiledRule[] = [];
  const consider = (rule: CompiledRule) => {
    if (status[position.get(rule) as number] === 'true') candidates.push(rule);
  };
  for (const fact of known) kb.rulesByKeyFact.get(fact)?.forEach(consider);
  kb.rulesWithoutKey.forEach(consider);
  const fired = await runEngine(kb, candidates, facts);
  return { facts, status, fired, scored: scoreHypotheses(fired).sort(byStrength) };
}

/** The rules that fire on these facts, with their evidence, as json-rules-engine found them. */
export async function fireRules(kb: KnowledgeBase, facts: FactMap): Promise<FiredRule[]> {
  return (await assess(kb, facts)).fired;
}

/**
 * Runs json-rules-engine over the given rules. A fresh Engine per call: one instance
 * shared by concurrent runs silently loses rules.
 */
async function runEngine(kb: KnowledgeBase, candidates: readonly CompiledRule[], facts: FactMap): Promise<FiredRule[]> {
  if (candidates.length === 0) return [];
  const engine = new Engine([], { allowUndefinedFacts: true, allowUndefinedConditions: false, replaceFactsInEventParams: false });
  for (const [name, fn] of ENGINE_OPERATORS) engine.addOperator(name, fn);
  const byId = new Map<string, CompiledRule>();
  const references = new Set<string>();
  for (const rule of candidates) {
    byId.set(rule.id, rule);
    rule.references.forEach((r) => references.add(r));
    engine.addRule({ name: rule.id, conditions: rule.engineConditions as never, event: { type: 'rca.evidence' } });
  }
  for (const name of references) engine.setCondition(name, kb.engineConditions.get(name) as never);
  // Constant facts without the almanac's cache: it would hash every fact to a key never read.
  for (const [name, value] of Object.entries(facts)) engine.addFact(name, value, { cache: false });
  const { results } = await engine.run();
  return results.map((result: RuleResult) => {
    const conditions: ConditionEvidence[] = [];
    collectEvidence(result.conditions as unknown as ResultNode, true, false, conditions);
    return { rule: byId.get(result.name as string) as CompiledRule, conditions };
  });
}
