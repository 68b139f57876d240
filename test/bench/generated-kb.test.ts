import { describe, expect, it } from 'vitest';
import { firedByPlainEngine, generatedKb, plainEngine } from '../../bench/generated-kb.js';
import { fireRules } from '../../src/core/evaluate.js';

// npm run bench compares rca with json-rules-engine alone on generated rules: the comparison
// proves something only on fact sets where rules fire.
describe("the bench's generated knowledge bases", () => {
  it('make rules fire on every fact set, and rca fires exactly what json-rules-engine alone fires', async () => {
    const { kb, rules, factSets } = generatedKb(1000);
    const engine = plainEngine(rules);
    const firedCounts: number[] = [];
    for (const facts of factSets) {
      const ours = (await fireRules(kb, facts)).map((f) => f.rule.id).sort();
      expect(ours).toEqual(await firedByPlainEngine(engine, facts));
      firedCounts.push(ours.length);
    }
    expect(factSets).toHaveLength(50);
    expect(Math.min(...firedCounts)).toBeGreaterThanOrEqual(3);
  });
});
