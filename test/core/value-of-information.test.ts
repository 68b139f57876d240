import { describe, expect, it, vi } from 'vitest';
import { diagnosisOf } from '../../src/core/diagnose.js';
import { compiledModel } from '../../src/core/differential.js';
import { assess } from '../../src/core/evaluate.js';
import { rankQuestions } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { factValues } from '../../src/core/value-of-information.js';
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

describe('valuing a fact takes no log per hypothesis and answer', () => {
  it('reads the log-likelihoods off per-KB tables and the log prior once per step', async () => {
    // The KB's tables are built on the first valuation: not counted.
    diagnosisOf(kb, await assess(kb, facts));
    const assessment = await assess(kb, facts);
    const log2 = vi.spyOn(Math, 'log2');
    let logs: number;
    try {
      diagnosisOf(kb, assessment);
      logs = log2.mock.calls.length;
    } finally {
      log2.mockRestore();
    }
    const causes = kb.hypotheses.size + 1;
    const valued = assessment.valuations.facts.size;
    expect(valued).toBeGreaterThanOrEqual(8);
    // Per step: the prior's entropy and its logs (2 per cause). Per fact: one log per cause (its
    // likelihoods' normaliser) and, per answer, the entropy of the layers and the answer's chance.
    expect(logs).toBeLessThanOrEqual(2 * causes + valued * (causes + 12 * 12));
    expect(logs).toBeLessThan(valued * 2 * causes);
  });
});

// The model and the answer tables are built per knowledge base, on the first diagnosis of a
// CLI run: a fact's rows are made when first needed, not for every fact the model weighs.
describe('a diagnosis builds the model rows of the facts it needs', () => {
  it('reads the likelihood tables of the facts it knows and of those it values, no others', async () => {
    const fresh = loadKnowledgeBase([defaultKbDir]);
    const read = new Set<string>();
    const watch = (tables: Record<string, object> | undefined) => {
      for (const [fact, table] of Object.entries(tables ?? {})) {
        tables![fact] = new Proxy(table, { get: (target, key, receiver) => (read.add(fact), Reflect.get(target, key, receiver)) });
      }
    };
    for (const { value } of fresh.hypotheses.values()) watch(value.likelihoods as Record<string, object> | undefined);
    watch(fresh.model?.background as Record<string, object> | undefined);
    const assessment = await assess(fresh, facts);
    diagnosisOf(fresh, assessment);
    const { facts: modelled } = compiledModel(fresh);
    const needed = [...Object.keys(facts), ...assessment.valuations.facts.keys()].filter((fact) => modelled.has(fact));
    expect(needed.length).toBeGreaterThan(4);
    expect([...read].sort()).toEqual([...new Set(needed)].sort());
  });
});

describe('every bin of a binned number is a possible answer', () => {
  it('asks a count whose telling bin starts far above its floor (20,000 sockets in TIME-WAIT)', async () => {
    // kernel.time_wait_count bins few [0, 5000], many [5000, 20000], pileup [20000, ...]: when the
    // answers were sought only within 1000 of the floor, "few" was the only one and asking looked
    // worth nothing.
    const ticket: FactMap = { 'symptom.kind': 'timeout', 'symptom.intermittent': true, 'path.via_nat': true };
    const valued = factValues(kb, await assess(kb, ticket), ['kernel.time_wait_count'], () => true);
    expect(valued.map((v) => v.fact)).toEqual(['kernel.time_wait_count']);
    expect(valued[0]?.separates).toEqual(['network.ephemeral_port_exhaustion']);
    expect(valued[0]?.gain).toBeGreaterThan(0.01);
  });
});

describe('the caller\'s weight on the cheap bound chooses the facts valued in full', () => {
  const candidates = [...kb.questions.keys()].filter((fact) => !(fact in facts));

  it('values a fact the bound alone leaves out once its weight lifts it into the shortlist, and ranks it by its gain', async () => {
    const unweighted = factValues(kb, await assess(kb, facts), candidates, () => true).map((v) => v.fact);
    expect(unweighted).toEqual([
      'proxy.upstream_error', 'tcp.connect', 'tls.handshake', 'http.error_source', 'lb.backend_health',
      'symptom.intermittent', 'target.protocol', 'symptom.recent_change', 'ping.result', 'kernel.listen_overflows',
    ]);
    // Bypassing the LB is worth more bits than four of those, but bounds lower than ten of them.
    const weighted = factValues(kb, await assess(kb, facts), candidates, () => true, (fact) => (fact === 'http.direct_status' ? 1 : 1e-6));
    expect(weighted.map((v) => v.fact)).toEqual([
      'proxy.upstream_error', 'tcp.connect', 'tls.handshake', 'http.error_source', 'lb.backend_health',
      'symptom.intermittent', 'target.protocol', 'http.direct_status', 'symptom.recent_change', 'ping.result',
    ]);
  });
});
