import { describe, expect, it, vi } from 'vitest';
import { diagnosisOf } from '../../src/core/diagnose.js';
import { compiledModel } from '../../src/core/differential.js';
import { assess } from '../../src/core/evaluate.js';
import { rankQuestions } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { comparisonValues, divergenceBound, factValues, gainBound } from '../../src/core/value-of-information.js';
import { defaultKbDir, packageRoot } from '../../src/core/paths.js';
import { join } from 'node:path';
import { hypothesis, kbOf } from '../fixtures.js';
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
    // kernel.time_wait_count bins few [0, 4999], many [4999, 19999], pileup [19999, ...]: when the
    // answers were sought only within 1000 of the floor, "few" was the only one and asking looked
    // worth nothing.
    const ticket: FactMap = { 'symptom.kind': 'timeout', 'symptom.intermittent': true, 'path.via_nat': true };
    const valued = factValues(kb, await assess(kb, ticket), ['kernel.time_wait_count'], () => true);
    expect(valued.map((v) => v.fact)).toEqual(['kernel.time_wait_count']);
    expect(valued[0]?.separates).toEqual(['network.ephemeral_port_exhaustion']);
    expect(valued[0]?.gain).toBeGreaterThan(0.01);
  });

  /** Two TLS causes and a background on certificate days left, binned as `bins` (first match). */
  const certificateKb = (bins: Record<string, [number, number]>) =>
    kbOf({
      hypotheses: [
        hypothesis('tls.cert_expired', { likelihoods: { 'tls.cert_days_left': { expired: 0.9 } } }),
        hypothesis('tls.incomplete_chain', { likelihoods: { 'tls.cert_days_left': { valid: 0.9 } } }),
      ],
      model: { outcomes: { 'tls.cert_days_left': bins }, background: { 'tls.cert_days_left': { valid: 0.9 } } },
    });
  const certificateValue = async (bins: Record<string, [number, number]>) => {
    const small = certificateKb(bins);
    return factValues(small, await assess(small, { 'symptom.kind': 'errors' }), ['tls.cert_days_left'], () => true);
  };

  it('asks a number whose bin lies below 0 when its schema sets no minimum (days left on an expired certificate)', async () => {
    // With the answers sought from 0 up, "expired" had no answer and asking looked worth nothing.
    const valued = await certificateValue({ expired: [-1000000000, -1], valid: [0, 1000000000] });
    expect(valued.map((v) => [v.fact, v.separates])).toEqual([['tls.cert_days_left', ['tls.cert_expired', 'tls.incomplete_chain']]]);
    expect(valued[0]?.gain).toBeGreaterThan(0.1);
  });

  it('finds a bin\'s answer past earlier bins that cover its first thousand numbers, and values the same as bins without the overlap', async () => {
    const overlapping = await certificateValue({ valid: [0, 1000000000], expired: [-1000000000, 5000] });
    const apart = await certificateValue({ valid: [0, 1000000000], expired: [-1000000000, -1] });
    expect(overlapping.map((v) => v.fact)).toEqual(['tls.cert_days_left']);
    expect(overlapping).toEqual(apart);
  });

  it('values the shipped "expired" bin with an answer its rule reads as expired (tls.leaf_past_not_after: days left < 0)', async () => {
    // The shipped bins put 0 in "expired" ([-1e9, 0]); 0 fires no rule, so the answer stood for
    // an expired certificate without the rule that says so.
    const ticket: FactMap = { 'symptom.kind': 'errors', 'tls.handshake': 'failed' };
    const assessment = await assess(kb, ticket);
    const [valued] = factValues(kb, assessment, ['tls.cert_days_left'], () => true);
    const expired = await assess(kb, { ...ticket, 'tls.cert_days_left': -1000000000 });
    expect(expired.fired.map((f) => f.rule.id)).toContain('tls.leaf_past_not_after');
    expect(valued?.changesTop).toBe(true);
  });
});

describe('the caller\'s weight on the cheap bound chooses the facts valued in full', () => {
  const candidates = [...kb.questions.keys()].filter((fact) => !(fact in facts));

  it('values a fact the bound alone leaves out once its weight lifts it into the shortlist, and ranks it by its gain', async () => {
    const unweighted = factValues(kb, await assess(kb, facts), candidates, () => true).map((v) => v.fact);
    expect(unweighted).toEqual([
      'proxy.upstream_error', 'tcp.connect', 'tls.handshake', 'http.error_source', 'lb.backend_health',
      'target.protocol', 'symptom.intermittent', 'http.direct_status', 'ping.result', 'symptom.recent_change',
    ]);
    // A DNS lookup's answer is worth more bits than two of those, but bounds lower than ten of them.
    const weighted = factValues(kb, await assess(kb, facts), candidates, () => true, (fact) => (fact === 'dns.result' ? 1 : 1e-6));
    expect(weighted.map((v) => v.fact)).toEqual([
      'proxy.upstream_error', 'tcp.connect', 'tls.handshake', 'http.error_source', 'lb.backend_health',
      'target.protocol', 'symptom.intermittent', 'dns.result', 'ping.result', 'symptom.recent_change',
    ]);
  });
});

describe('a fact whose answer cannot be worth asking is not valued in full', () => {
  // A small deterministic generator, so a failure names its case.
  const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const entropy = (ps: number[]) => ps.reduce((h, p) => (p > 0 ? h - p * Math.log2(p) : h), 0);
  const layerEntropy = (ps: number[], layerOf: number[]) => {
    const byLayer = new Map<number, number>();
    ps.forEach((p, h) => byLayer.set(layerOf[h] as number, (byLayer.get(layerOf[h] as number) ?? 0) + p));
    return entropy([...byLayer.values()]);
  };
  /** What valueFact computes, the slow way: the drop in entropy over causes plus over their layers, expected over the answers. */
  const exactGain = (prior: number[], likelihood: number[][], layerOf: number[]) => {
    let expected = 0;
    for (const row of likelihood) {
      const joint = prior.map((p, h) => p * (row[h] as number));
      const chance = joint.reduce((a, b) => a + b, 0);
      if (chance <= 0) continue;
      const posterior = joint.map((j) => j / chance);
      expected += chance * (entropy(posterior) + layerEntropy(posterior, layerOf));
    }
    return entropy(prior) + layerEntropy(prior, layerOf) - expected;
  };

  it('bounds the gain from the movers and the count of answers, and tighter from the likelihoods', () => {
    const next = random(7);
    let tighter = 0;
    for (let trial = 0; trial < 300; trial++) {
      const causes = 2 + Math.floor(next() * 12);
      const answers = 1 + Math.floor(next() * 6);
      // Some causes get almost all the mass, as on a confident step; the last entry is "no known cause".
      const weights = Array.from({ length: causes + 1 }, () => next() ** (1 + 40 * next()));
      const total = weights.reduce((a, b) => a + b, 0);
      const prior = weights.map((w) => w / total);
      // "No known cause" (index causes) moves too when the model gives it a row of its own.
      const movers = Array.from({ length: causes + 1 }, (_, h) => h).filter(() => next() < 0.4);
      const isMover = new Set(movers);
      const column = () => {
        const raw = Array.from({ length: answers }, () => next() + 1e-3);
        const sum = raw.reduce((a, b) => a + b, 0);
        return raw.map((x) => x / sum);
      };
      const rest = column();
      const columns = prior.map((_, h) => (isMover.has(h) ? column() : rest));
      const likelihood = Array.from({ length: answers }, (_, a) => columns.map((c) => c[a] as number));
      const layerOf = prior.map((_, h) => (h === causes ? -1 : Math.floor(next() * 3)));
      const gain = exactGain(prior, likelihood, layerOf);
      const bound = gainBound(Float64Array.from(prior), Float64Array.from(prior, Math.log2), Int32Array.from(movers), movers.length, answers);
      expect(gain, `trial ${trial}`).toBeLessThanOrEqual(bound);
      // As valueFact lays them out: each answer's likelihood per class, then the rest's.
      const lik = Float64Array.from(likelihood.flatMap((row, a) => [...row, rest[a] as number]));
      const divergence = divergenceBound(Float64Array.from(prior), lik, lik.map(Math.log2), Int32Array.from(movers), movers.length, causes + 2, lik.length);
      expect(gain, `trial ${trial}`).toBeLessThanOrEqual(divergence);
      tighter += divergence < bound ? 1 : 0;
    }
    expect(tighter).toBeGreaterThan(150);
  });

  it('values a fact that "no known cause" has a row of its own on as the exact gain, that row counted', async () => {
    const tables = (otherCause?: Record<string, Record<string, number>>) =>
      kbOf({
        hypotheses: [
          hypothesis('network.firewall_drop', { likelihoods: { 'ping.result': { fail: 0.9 } } }),
          hypothesis('network.port_closed', { likelihoods: { 'ping.result': { ok: 0.9 } } }),
          hypothesis('tls.cert_expired', {}),
        ],
        model: { otherCausePrior: 0.3, background: { 'ping.result': { ok: 0.8, partial_loss: 0.1, fail: 0.1 } }, ...(otherCause && { otherCause }) },
      });
    const gainOf = async (small: ReturnType<typeof tables>) => {
      const assessment = await assess(small, {});
      const [value] = factValues(small, assessment, ['ping.result'], () => true);
      const ping = compiledModel(small).facts.get('ping.result')!;
      // One answer per outcome, its likelihood under each class (row h of the model, "no known cause" last).
      const likelihood = [0, 1, 2].map((o) => [0, 1, 2, 3].map((h) => ping.likelihood[h * 3 + o] as number));
      return { gain: value?.gain, exact: exactGain([...assessment.differential.posterior], likelihood, [0, 0, 1, -1]) };
    };
    const own = await gainOf(tables({ 'ping.result': { fail: 0.6, partial_loss: 0.3 } }));
    expect(own.gain).toBeCloseTo(own.exact, 10);
    const background = await gainOf(tables());
    expect(background.gain).toBeCloseTo(background.exact, 10);
    // The row is what the interview plans with: it changes what the answer is worth.
    expect(Math.abs((own.gain as number) - (background.gain as number))).toBeGreaterThan(0.01);
  });

  it('is below what is worth asking when the movers hold no probability, and reaches it when they hold some', () => {
    const prior = Float64Array.from([0.7, 0.2, 1e-12, 0.1]);
    const log2Prior = prior.map(Math.log2);
    expect(gainBound(prior, log2Prior, Int32Array.from([2]), 1, 4)).toBeLessThan(1e-6);
    expect(gainBound(prior, log2Prior, Int32Array.from([]), 0, 4)).toBeLessThan(1e-6);
    expect(gainBound(prior, log2Prior, Int32Array.from([0, 2]), 2, 4)).toBeGreaterThan(1);
    // One answer tells nothing, whoever moves.
    expect(gainBound(prior, log2Prior, Int32Array.from([0, 1]), 2, 1)).toBeLessThan(1e-6);
    // Two answers, likelier under cause 0 than under the rest: only cause 0's divergence counts (doubled for the layers, plus the rounding margin).
    const lik = Float64Array.from([0.9, 0.5, 0.5, 0.5, 0.1, 0.5, 0.5, 0.5]);
    const divergence = 0.7 * (0.9 * Math.log2(0.9 / 0.5) + 0.1 * Math.log2(0.1 / 0.5));
    expect(divergenceBound(prior, lik, lik.map(Math.log2), Int32Array.from([0]), 1, 4, 8)).toBeCloseTo(2 * divergence + 1e-9, 12);
  });
});

describe('a comparison of two facts is valued for what it decides', () => {
  // The interview fixture with a pack whose rule needs backend.keepalive_timeout_s <= lb.idle_timeout_s (and path.via_lb).
  const fixtures = join(packageRoot, 'test', 'fixtures');
  const pairs = loadKnowledgeBase([join(fixtures, 'interview-kb'), join(fixtures, 'interview-kb-pairs')]);
  const sides = ['backend.keepalive_timeout_s', 'lb.idle_timeout_s'];

  it('values both sides as one question where neither side alone is worth anything', async () => {
    const assessment = await assess(pairs, { 'path.via_lb': true });
    expect(factValues(pairs, assessment, sides, () => true)).toEqual([]);
    const [pair, ...others] = comparisonValues(pairs, assessment, () => true);
    expect(others).toEqual([]);
    expect(pair?.asks).toEqual(sides);
    expect(pair?.value).toMatchObject({ fact: 'backend.keepalive_timeout_s', separates: ['lb.keepalive_race'], changesTop: true });
    expect(pair?.value.gain).toBeCloseTo(0.1224, 4);
    // Valued once per assessment, as facts are.
    expect(assessment.valuations.comparisons.size).toBe(1);
    expect(comparisonValues(pairs, assessment, () => true)[0]).toStrictEqual(pair);
  });

  it('values the side left once the other is known on answers either side of the known value', async () => {
    const assessment = await assess(pairs, { 'path.via_lb': true, 'lb.idle_timeout_s': 60 });
    // Alone, its answers come from thresholds a comparison with a fact does not have: all below 60, worth nothing.
    expect(factValues(pairs, assessment, ['backend.keepalive_timeout_s'], () => true)).toEqual([]);
    const [left] = comparisonValues(pairs, assessment, () => true);
    expect(left?.asks).toEqual(['backend.keepalive_timeout_s']);
    expect(left?.value).toMatchObject({ fact: 'backend.keepalive_timeout_s', separates: ['lb.keepalive_race'], changesTop: true });
    expect(left?.value.gain).toBeCloseTo(0.1014, 4);
  });

  it('leaves a comparison unvalued when even its bound cannot beat the floor the caller names', async () => {
    const assessment = await assess(pairs, { 'path.via_lb': true });
    // gainBound on the keep-alive race alone: at most (1 + the layers' weight) x the entropy of its share.
    expect(comparisonValues(pairs, assessment, () => true, 1.5)).toEqual([]);
    expect(assessment.valuations.comparisons.size).toBe(0);
    expect(comparisonValues(pairs, assessment, () => true, 0.1).map((c) => c.asks)).toEqual([sides]);
  });

  it('is not valued when a side to ask may not be asked, both are known, or the rule is decided without them', async () => {
    expect(comparisonValues(pairs, await assess(pairs, { 'path.via_lb': true, 'lb.idle_timeout_s': 60, 'backend.keepalive_timeout_s': 5 }), () => true)).toEqual([]);
    expect(comparisonValues(pairs, await assess(pairs, { 'path.via_lb': true }), (fact) => fact !== 'lb.idle_timeout_s')).toEqual([]);
    expect(comparisonValues(pairs, await assess(pairs, { 'path.via_lb': false }), () => true)).toEqual([]);
  });

  it('pairs only comparisons of two numbers that no likelihood table weighs: a modelled side is worth asking alone', async () => {
    // Not paired: http.direct_status = http.status, tcp.connect_ms > ping.rtt_max_ms, host.iowait_pct > host.cpu_pct.
    // http.fixed_delay_ms > ping.rtt_max_ms is a pair, but its rule is about slow requests, decided false on errors.
    expect(comparisonValues(kb, await assess(kb, { 'symptom.kind': 'slow' }), () => true)[0]?.asks).toEqual(['http.fixed_delay_ms', 'ping.rtt_max_ms']);
    expect(comparisonValues(kb, await assess(kb, facts), () => true).map((p) => p.asks)).toEqual([
      ['backend.keepalive_timeout_s', 'lb.idle_timeout_s'],
      ['lb.idle_timeout_s', 'client.keepalive_idle_s'],
      ['http.direct_latency_ms', 'http.latency_ms'],
      ['proc.top_pid', 'proc.app_pid'],
    ]);
  });
});
