import { describe, expect, it } from 'vitest';
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
    const index = new SimilarCases([
      resolved('a', 'dns', ['common', 'dns-only', 'mixed']),
      resolved('b', 'dns', ['common', 'dns-only']),
      resolved('c', 'tls', ['common', 'mixed']),
      resolved('d', 'tls', ['common']),
    ]);
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
    const index = new SimilarCases([
      resolved('a', 'dns', ['x', 'y']),
      resolved('b', 'dns', ['x', 'y', 'z']),
      resolved('c', 'tls', ['q']),
      resolved('d', 'tls', ['q', 'y']),
    ]);
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
