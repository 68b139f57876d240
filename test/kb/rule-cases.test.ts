import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { testKnowledgeBase, type RuleCaseResult } from '../../src/kbtools/tester.js';
import { firedRuleIds, shippedKb } from '../support.js';

// RuleTester for the shipped knowledge base: every rule states facts on which it must
// fire and facts on which it must stay silent: at least one near miss (its facts known,
// the rule false), beside any absence cases (a fact it needs missing, the rule undecided).
describe('rule cases', () => {
  const byRule = new Map<string, RuleCaseResult>();
  beforeAll(async () => {
    for (const result of (await testKnowledgeBase(shippedKb(), [])).rules) byRule.set(result.rule, result);
  });

  for (const { id, rule } of shippedKb().rules) {
    describe(id, () => {
      it('has fires and silent cases', () => {
        expect(rule.cases?.fires.length ?? 0, `${id} needs at least one fires case`).toBeGreaterThan(0);
        expect(rule.cases?.silent.length ?? 0, `${id} needs at least one silent case`).toBeGreaterThan(0);
      });
      it('has a near miss, no silent case that shares no fact with it, and no case twice', () => {
        expect(byRule.get(id)?.failures).toEqual([]);
      });
      rule.cases?.fires.forEach((facts, i) => {
        it(`fires on case ${i}`, async () => {
          expect(await firedRuleIds(facts)).toContain(id);
        });
      });
      rule.cases?.silent.forEach((facts, i) => {
        it(`stays silent on case ${i}`, async () => {
          expect(await firedRuleIds(facts)).not.toContain(id);
        });
      });
    });
  }

  it('docs/knowledge-base.md shows what kb test prints of the shipped cases: a rule\'s row and the count of near misses and absences', () => {
    const doc = readFileSync(join(packageRoot, 'docs', 'knowledge-base.md'), 'utf8');
    const sum = (count: (r: RuleCaseResult) => number) => [...byRule.values()].reduce((n, r) => n + count(r), 0);
    expect(doc).toContain(`\nsilent cases: ${sum((r) => r.nearMisses)} near misses (facts known, rule false), ${sum((r) => r.absences)} absences (a fact missing, rule undecided)\n`);
    const ping = byRule.get('network.ping_ok') as RuleCaseResult;
    const counts = [ping.truePositives, ping.falseNegatives, ping.trueNegatives, ping.falsePositives, ping.nearMisses, ping.absences];
    expect(doc).toMatch(new RegExp(`\\nnetwork\\.ping_ok +${counts.join(' +')}\\n`));
  });

  it('only lb.backend_answers_directly waives the near miss: its fact is known only when the backend answered', () => {
    expect([...byRule.values()].filter((r) => r.waived.length > 0).map((r) => r.rule)).toEqual(['lb.backend_answers_directly']);
  });
});
