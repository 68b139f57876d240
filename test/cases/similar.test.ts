import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/generated-kb.js';
import { caseFeatures, SimilarCases } from '../../src/cases/similar.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import type { FactValue } from '../../src/core/vocabulary.js';
import type { LoadedIncident } from '../../src/kbtools/incidents.js';
import { similarCaseAccuracy } from '../../src/kbtools/similar-eval.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { diagnoseFacts } from '../support.js';

const resolved = (id: string, cause: string, features: string[]) => ({ id, cause, features });

describe('similar past incidents', () => {
  it('features are the facts that are names, flags or whole numbers, and the rules that fired, for or against', async () => {
    const diagnosis = await diagnoseFacts({ 'ping.result': 'fail', 'tcp.connect': 'ok', 'ping.rtt_avg_ms': 12.5, 'http.status': 503, 'path.via_lb': true });
    const features = caseFeatures(diagnosis);
    expect(features.filter((f) => !f.startsWith('rule:'))).toEqual(['http.status=503', 'path.via_lb=true', 'ping.result=fail', 'tcp.connect=ok']);
    expect(features.some((f) => f.startsWith('rule:'))).toBe(true);
    expect(features).toEqual([...features].sort());
  });

  it('a feature weighs its inverse frequency, twice as much when its cases share one cause as when their causes are evenly mixed', () => {
    const index = new SimilarCases([resolved('a', 'dns', ['common', 'dns-only', 'mixed']), resolved('b', 'dns', ['common', 'dns-only']), resolved('c', 'tls', ['common', 'mixed']), resolved('d', 'tls', ['common'])]);
    // common: every case, causes evenly mixed: ln(1 + 4/4) × 1/2.
    expect(index.weight('common')).toBeCloseTo(Math.log(2) / 2, 10);
    // dns-only: 2 of 4 cases, both dns: ln(1 + 4/2) × 1.
    expect(index.weight('dns-only')).toBeCloseTo(Math.log(3), 10);
    // mixed: 2 of 4 cases, one dns, one tls: ln(1 + 4/2) × 1/2.
    expect(index.weight('mixed')).toBeCloseTo(Math.log(3) / 2, 10);
    // Never seen: as rare as can be, with nothing known of its causes.
    expect(index.weight('new')).toBeCloseTo(Math.log(5), 10);
  });

  it('ranks by weighted Jaccard similarity, at most `limit`, leaving out the case itself and cases sharing nothing', () => {
    const index = new SimilarCases([resolved('a', 'dns', ['x', 'y']), resolved('b', 'dns', ['x', 'y', 'z']), resolved('c', 'tls', ['q']), resolved('d', 'tls', ['q', 'y'])]);
    const near = index.nearest(['x', 'y'], 3, 'a');
    expect(near.map((n) => n.case.id)).toEqual(['b', 'd']);
    expect(near[0]!.similarity).toBeGreaterThan(near[1]!.similarity);
    expect(index.nearest(['x', 'y'], 1).map((n) => [n.case.id, n.similarity])).toEqual([['a', 1]]);
    expect(index.nearest(['nothing-shared'], 3)).toEqual([]);
  });
});

describe('leave-one-out on a corpus of incidents', () => {
  it('counts how often the most similar other incident has an accepted cause, beside rca top-1 from the intake', async () => {
    const kb = loadKnowledgeBase([FIXTURE_KB]);
    const incident = (id: string, cause: string[] | 'none', intake: Record<string, FactValue>, findings: Record<string, FactValue> = {}) => ({ id, cause, intakeFacts: intake, findingFacts: findings }) as unknown as LoadedIncident;
    const report = await similarCaseAccuracy(kb, [
      // Two ICMP-filter incidents alike: each finds the other. rca names the cause from the intake too.
      incident('icmp-1', ['network.icmp_filtered'], { 'ping.result': 'fail', 'tcp.connect': 'ok' }),
      incident('icmp-2', ['network.icmp_filtered'], { 'ping.result': 'fail', 'tcp.connect': 'ok' }),
      // Two LB incidents whose intake says little: rca has no first cause, the findings of the other one match.
      incident('lb-1', ['lb.no_healthy_backend'], { 'http.status': 503 }, { 'lb.backend_health': 'all_unhealthy' }),
      incident('lb-2', ['lb.no_healthy_backend'], { 'http.status': 503 }, { 'lb.backend_health': 'all_unhealthy' }),
      // Known to have no cause in the KB: not counted.
      incident('none-1', 'none', { 'http.status': 503 }),
    ]);
    expect(report).toEqual({ incidents: 4, similarTop1: 1, similarAnswered: 1, rcaTop1: 0.5 });
  });
});

/**
 * A pool shaped like the incident corpus read as resolved cases (about 240 features, 7 to a
 * case, a few in a third of the cases): a hundred base incidents, each case one of them with
 * some features dropped and one borrowed from another, so postings overlap and similarities
 * tie (the tie-break by id then decides the top 3).
 */
function generatedPool(size: number, random: () => number) {
  const vocabulary = Array.from({ length: 240 }, (_, i) => `fact.${i % 80}=${Math.floor(i / 80)}`);
  // Skewed: the first features are drawn far more often, as symptom.kind=errors is in the corpus.
  const skewed = () => vocabulary[Math.floor(vocabulary.length * random() ** 3)] as string;
  const bases = Array.from({ length: 100 }, (_, i) => ({ cause: `cause.${i % 40}`, features: [...new Set(Array.from({ length: 7 }, skewed))] }));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: size }, (_, i) => {
    const base = pick(bases);
    const features = new Set([...base.features.filter(() => random() < 0.85), skewed()]);
    return resolved(`case-${String(i).padStart(5, '0')}`, base.cause, [...features].sort());
  });
}

/** Every case scored, as the index did before it pruned: the reference the pruned lookup must equal. */
function exhaustive(index: SimilarCases<ReturnType<typeof resolved>>, pool: ReadonlyArray<ReturnType<typeof resolved>>, features: readonly string[], limit: number, exclude?: string) {
  const own = new Set(features);
  const ownWeight = features.reduce((sum, f) => sum + index.weight(f), 0);
  const scored = [];
  for (const c of pool) {
    if (c.id === exclude) continue;
    const shared = c.features.filter((f) => own.has(f)).reduce((sum, f) => sum + index.weight(f), 0);
    const theirsOnly = c.features.filter((f) => !own.has(f)).reduce((sum, f) => sum + index.weight(f), 0);
    if (shared > 0) scored.push({ id: c.id, similarity: Math.round((shared / (ownWeight + theirsOnly)) * 1000) / 1000 });
  }
  return scored.sort((a, b) => b.similarity - a.similarity || a.id.localeCompare(b.id)).slice(0, limit);
}

describe('the similar-case index', () => {
  it('gives the same top 3 as scoring every resolved case, on a generated pool of 3,000', () => {
    const random = seededRandom(16);
    const pool = generatedPool(3000, random);
    const index = new SimilarCases(pool);
    const queries = [...pool.slice(0, 150).map((c) => ({ features: c.features, exclude: c.id })), ...generatedPool(150, random).map((c) => ({ features: c.features.slice(0, 2), exclude: undefined }))];
    let pruned = 0;
    for (const { features, exclude } of queries) {
      const near = index.nearest(features, 3, exclude);
      expect(near.map((n) => ({ id: n.case.id, similarity: n.similarity }))).toEqual(exhaustive(index, pool, features, 3, exclude));
      if (index.lastScored < new Set(features.flatMap((f) => pool.filter((c) => c.features.includes(f)).map((c) => c.id))).size) pruned++;
    }
    // The point of the index: most lookups score fewer cases than share a feature with them.
    expect(pruned).toBeGreaterThan(queries.length / 2);
  });

  it('recurring tickets: the cases of one feature list are scored once, the smallest ids first among their ties', () => {
    const pool = Array.from({ length: 500 }, (_, i) => resolved(`r-${String(499 - i).padStart(3, '0')}`, 'dns', ['x', 'y']));
    const index = new SimilarCases([...pool, resolved('other', 'tls', ['x', 'z'])]);
    expect(index.nearest(['x', 'y'], 3, 'r-000').map((n) => [n.case.id, n.similarity])).toEqual([
      ['r-001', 1],
      ['r-002', 1],
      ['r-003', 1],
    ]);
    // One list scored for the 500; the other one cannot reach their similarity of 1.
    expect(index.lastScored).toBe(1);
    index.remove('r-001');
    index.put(resolved('r-002', 'tls', ['x', 'y']));
    expect(index.nearest(['x', 'y'], 3, 'r-000').map((n) => n.case.id)).toEqual(['r-002', 'r-003', 'r-004']);
    // Read again unchanged (a catch-up), a case's new row takes its old one's place among its ties.
    const reread = resolved('r-004', 'dns', ['x', 'y']);
    index.put(reread);
    expect(index.nearest(['x', 'y'], 3, 'r-000').map((n) => n.case)[2]).toBe(reread);
    expect(index.size).toBe(500);
  });

  it('kept up to date case by case (resolved, re-resolved with another cause, changed, removed), it weighs and ranks as one built afresh', () => {
    const random = seededRandom(7);
    const pool = generatedPool(600, random);
    const index = new SimilarCases(pool.slice(0, 400));
    for (const c of pool.slice(400)) index.put(c);
    const changed = pool.map((c, i) => (i % 7 === 0 ? { ...c, cause: 'cause.changed' } : i % 11 === 0 ? { ...c, features: c.features.slice(1) } : c));
    for (const c of changed) index.put(c);
    const kept = changed.filter((_, i) => i % 13 !== 0);
    for (const c of changed.filter((_, i) => i % 13 === 0)) index.remove(c.id);
    const fresh = new SimilarCases(kept);
    expect(index.size).toBe(kept.length);
    for (const f of new Set(pool.flatMap((c) => c.features))) expect(index.weight(f)).toBe(fresh.weight(f));
    expect(index.weight('never-seen')).toBe(fresh.weight('never-seen'));
    for (const c of kept.slice(0, 60)) expect(index.nearest(c.features, 3, c.id)).toEqual(fresh.nearest(c.features, 3, c.id));
  });
});
