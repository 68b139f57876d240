import type { Condition, LeafCondition } from '../generated/kb-file.js';
import { evaluate3, foldCondition, locatedFold } from '../core/conditions.js';
import { diagnose } from '../core/diagnose.js';
import { fireRules } from '../core/evaluate.js';
import { InputError } from '../core/errors.js';
import { normalizeFacts } from '../core/facts.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { Scenario } from '../core/scenarios.js';
import type { FactMap } from '../core/vocabulary.js';

/** True/false positives and negatives of one rule over its own cases. */
export interface RuleCaseResult {
  rule: string;
  truePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  falsePositives: number;
  /** Which cases failed: "fires 0", "silent 2", or an input problem in a case. */
  failures: string[];
}

export interface ScenarioResult {
  file: string;
  expected: string;
  accepted: string[];
  top3: string[];
  top1Ok: boolean;
  top3Ok: boolean;
}

/** Integer counts, as the issue asks: what was exercised both ways, out of how many. */
export interface Coverage {
  rules: { total: number; firedAndSilent: number; neverFired: string[]; neverSilent: string[] };
  leaves: { total: number; trueAndFalse: number; uncovered: string[] };
  /** Percent of rules and leaves covered both ways, rounded down. */
  percent: number;
}

export interface TestReport {
  rules: RuleCaseResult[];
  scenarios: ScenarioResult[];
  coverage: Coverage;
  passed: boolean;
}

interface Leaf {
  key: string;
  leaf: LeafCondition;
}

/** Every leaf of a rule with a stable key (rule id + JSON pointer), through references. */
function leavesOf(ruleId: string, condition: Condition, named: ReadonlyMap<string, Condition>): Leaf[] {
  const located = locatedFold<Leaf[]>({
    leaf: (leaf, path) => [{ key: `${ruleId}${path}`, leaf }],
    reference: (name, path, target) => target?.(`${path}/${name}`) ?? [],
    combine: (results) => results.flat(),
  });
  return foldCondition(condition, located, named)('');
}

/**
 * Runs every rule's fires / silent cases and the scenario suite, and measures coverage:
 * each rule seen firing and silent, each leaf condition seen true and false, over all
 * the fact sets (cases and scenarios).
 */
export async function testKnowledgeBase(kb: KnowledgeBase, scenarios: readonly Scenario[]): Promise<TestReport> {
  const fired = new Set<string>();
  const silent = new Set<string>();
  const leafTrue = new Set<string>();
  const leafFalse = new Set<string>();
  const leaves = kb.rules.flatMap((r) => leavesOf(r.id, r.rule.conditions, kb.conditions));
  const observe = async (facts: FactMap): Promise<Set<string>> => {
    const ids = new Set((await fireRules(kb, facts)).map((f) => f.rule.id));
    for (const r of kb.rules) (ids.has(r.id) ? fired : silent).add(r.id);
    for (const { key, leaf } of leaves) {
      const value = evaluate3(leaf, kb.conditions, facts);
      if (value === 'true') leafTrue.add(key);
      else if (value === 'false') leafFalse.add(key);
    }
    return ids;
  };

  const rules: RuleCaseResult[] = [];
  for (const { id, rule } of kb.rules) {
    const result: RuleCaseResult = { rule: id, truePositives: 0, falseNegatives: 0, trueNegatives: 0, falsePositives: 0, failures: [] };
    for (const [kind, list] of [['fires', rule.cases?.fires ?? []], ['silent', rule.cases?.silent ?? []]] as const) {
      for (const [i, raw] of list.entries()) {
        let facts: FactMap;
        try {
          facts = normalizeFacts(raw, `cases.${kind}[${i}]`);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          result.failures.push(`${kind} ${i}: ${error.message}`);
          continue;
        }
        const firedHere = (await observe(facts)).has(id);
        const ok = kind === 'fires' ? firedHere : !firedHere;
        if (kind === 'fires') result[ok ? 'truePositives' : 'falseNegatives']++;
        else result[ok ? 'trueNegatives' : 'falsePositives']++;
        if (!ok) result.failures.push(`${kind} ${i}`);
      }
    }
    if (!rule.cases) result.failures.push('no cases');
    rules.push(result);
  }

  const scenarioResults: ScenarioResult[] = [];
  for (const s of scenarios) {
    const facts = normalizeFacts(s.facts, s.file);
    await observe(facts);
    const top3 = (await diagnose(kb, facts, { top: 3 })).hypotheses.map((h) => h.id);
    const accepted = [s.expect.top1, ...(s.expect.alternates ?? [])];
    scenarioResults.push({
      file: s.file,
      expected: s.expect.top1,
      accepted,
      top3,
      top1Ok: accepted.includes(top3[0] ?? ''),
      top3Ok: top3.some((id) => accepted.includes(id)),
    });
  }

  const both = kb.rules.filter((r) => fired.has(r.id) && silent.has(r.id)).length;
  const leavesBoth = leaves.filter((l) => leafTrue.has(l.key) && leafFalse.has(l.key));
  const covered = both + leavesBoth.length;
  const total = kb.rules.length + leaves.length;
  return {
    rules,
    scenarios: scenarioResults,
    coverage: {
      rules: {
        total: kb.rules.length,
        firedAndSilent: both,
        neverFired: kb.rules.filter((r) => !fired.has(r.id)).map((r) => r.id),
        neverSilent: kb.rules.filter((r) => !silent.has(r.id)).map((r) => r.id),
      },
      leaves: { total: leaves.length, trueAndFalse: leavesBoth.length, uncovered: leaves.filter((l) => !leavesBoth.includes(l)).map((l) => l.key) },
      percent: total === 0 ? 100 : Math.floor((covered * 100) / total),
    },
    passed: rules.every((r) => r.failures.length === 0) && scenarioResults.every((s) => s.top1Ok),
  };
}
