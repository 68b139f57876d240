import { Engine, type RuleResult } from 'json-rules-engine';
import { ENGINE_OPERATORS, KNOWN_OPERATOR } from './operators.js';
import { candidateRules, type CompiledRule, type KnowledgeBase } from './kb.js';
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

/**
 * Runs json-rules-engine over the rules that could fire on these facts. A fresh Engine
 * per call: one instance shared by concurrent runs silently loses rules.
 */
export async function fireRules(kb: KnowledgeBase, facts: FactMap): Promise<FiredRule[]> {
  const candidates = candidateRules(kb, facts);
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
