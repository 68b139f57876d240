import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { evaluate3 } from '../../src/core/conditions.js';
import { ENGINE_OPERATORS } from '../../src/core/operators.js';
import { assess, fireRules, statusOf } from '../../src/core/evaluate.js';
import { normalizeFacts, withStatedFacts } from '../../src/core/facts.js';
import type { KnowledgeBase } from '../../src/core/kb.js';
import type { FactMap } from '../../src/core/vocabulary.js';
import { loadScenarios, shippedKb } from '../support.js';

/** json-rules-engine alone, holding every rule: what fires without rca's pre-selection. */
async function engineAlone(kb: KnowledgeBase, facts: FactMap): Promise<string[]> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, fn] of ENGINE_OPERATORS) engine.addOperator(name, fn);
  for (const [name, condition] of kb.engineConditions) engine.setCondition(name, condition as never);
  for (const rule of kb.rules) engine.addRule({ name: rule.id, conditions: rule.engineConditions as never, event: { type: 'x' } });
  return (await engine.run({ ...facts })).results.map((r) => r.name as string).sort();
}

// rca hands json-rules-engine only the rules its synchronous evaluator finds true; this
// holds that pre-selection to exactly what the engine would fire on its own.
describe('pre-selection agrees with json-rules-engine over the whole knowledge base', () => {
  const kb = shippedKb();
  const factSets = [
    ...kb.rules.flatMap((r) => [...(r.rule.cases?.fires ?? []), ...(r.rule.cases?.silent ?? [])].map((facts, i) => ({ name: `${r.id} case ${i}`, facts }))),
    ...loadScenarios().map((s) => ({ name: s.file, facts: s.facts })),
  ];

  it('on every rule case and scenario', async () => {
    const disagreements: string[] = [];
    for (const { name, facts } of factSets) {
      const normalized = normalizeFacts(facts, kb.vocabulary);
      const ours = (await fireRules(kb, normalized)).map((f) => f.rule.id).sort();
      // The engine alone is given what the assessment counts as known: what the facts state by themselves too.
      const theirs = await engineAlone(kb, withStatedFacts(normalized, kb.vocabulary));
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) disagreements.push(`${name}: rca ${ours.join(',')} / engine ${theirs.join(',')}`);
    }
    expect(disagreements).toEqual([]);
    expect(factSets.length).toBeGreaterThan(100);
  });

  it("the assessment's status, which skips rules reading no known fact, agrees with evaluate3", async () => {
    const disagreements: string[] = [];
    for (const { name, facts } of [{ name: 'no facts', facts: {} }, ...factSets]) {
      const normalized = normalizeFacts(facts, kb.vocabulary);
      const assessment = await assess(kb, normalized);
      for (const rule of kb.rules) {
        // The facts the assessment counts as known: a target URL's host, port and protocol among them.
        const full = evaluate3(rule.rule.conditions, kb.conditions, assessment.facts);
        if (statusOf(kb, assessment, rule) !== full) disagreements.push(`${name}: ${rule.id} is ${full}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
