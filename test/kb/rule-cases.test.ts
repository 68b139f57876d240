import { describe, expect, it } from 'vitest';
import { firedRuleIds, shippedKb } from '../support.js';

// RuleTester for the shipped knowledge base: every rule states facts on which it must
// fire and facts (near misses) on which it must stay silent.
describe('rule cases', () => {
  for (const { id, rule } of shippedKb().rules) {
    describe(id, () => {
      it('has fires and silent cases', () => {
        expect(rule.cases?.fires.length ?? 0, `${id} needs at least one fires case`).toBeGreaterThan(0);
        expect(rule.cases?.silent.length ?? 0, `${id} needs at least one silent case`).toBeGreaterThan(0);
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
});
