import { describe, expect, it } from 'vitest';
import { diagnoseFacts, loadScenarios } from '../support.js';

// Realistic incidents: the facts an engineer had, and the root cause it turned out to be.
describe('scenarios', () => {
  for (const s of loadScenarios()) {
    it(`${s.file}: ${s.story}`, async () => {
      const result = await diagnoseFacts(s.facts);
      const ranking = result.hypotheses.map((h) => `${h.id} ${h.confidence}`);
      const accepted = [s.expect.top1, ...(s.expect.alternates ?? [])];
      expect(accepted, `ranking was:\n${ranking.join('\n')}`).toContain(result.hypotheses[0]?.id);
      for (const id of s.expect.ruledOut ?? []) {
        expect(result.ruledOut.map((r) => r.id), `${id} should be ruled out`).toContain(id);
      }
    });
  }
});
