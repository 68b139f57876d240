import { describe, expect, it } from 'vitest';
import { diagnosisOf } from '../../src/core/diagnose.js';
import { assess } from '../../src/core/evaluate.js';
import { rankQuestions } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import type { FactMap } from '../../src/core/vocabulary.js';

const kb = loadKnowledgeBase([defaultKbDir]);
// A thin ticket through a load balancer: many facts are worth asking, for missing and for the interview alike.
const facts: FactMap = { 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'path.via_lb': true, 'http.status': 502 };

describe('one interview step values each fact once', () => {
  it('shares the valuation of a fact between the missing list and the question choice on one assessment', async () => {
    const assessment = await assess(kb, facts);
    const missing = diagnosisOf(kb, assessment).missing.map((m) => m.fact);
    const valuedForMissing = new Map(assessment.valuations.facts);
    expect(valuedForMissing.size).toBeGreaterThanOrEqual(missing.length);
    const asked = rankQuestions(kb, { facts, unknown: [] }, assessment).map((q) => q.fact);
    const shared = asked.filter((fact) => valuedForMissing.has(fact));
    expect(shared.length).toBeGreaterThan(0);
    // The choice took the very valuations missing made, not ones of its own.
    for (const fact of shared) expect(assessment.valuations.facts.get(fact)).toBe(valuedForMissing.get(fact));
  });

  it('gives the same missing list and the same choice as valuing them on assessments of their own', async () => {
    const shared = await assess(kb, facts);
    const together = { missing: diagnosisOf(kb, shared).missing, asked: rankQuestions(kb, { facts, unknown: [] }, shared) };
    const apart = { missing: diagnosisOf(kb, await assess(kb, facts)).missing, asked: rankQuestions(kb, { facts, unknown: [] }, await assess(kb, facts)) };
    expect(together).toEqual(apart);
    expect(together.missing.length).toBe(8);
  });
});
