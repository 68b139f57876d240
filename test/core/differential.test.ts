import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose.js';
import { compiledModel, distribution, leaderInformation, OUTCOME_FLOOR } from '../../src/core/differential.js';
import { renderReport } from '../../src/core/render.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import type { FactMap } from '../../src/core/vocabulary.js';
import { hypothesis, kbOf, pack } from '../fixtures.js';
import { shippedKb } from '../support.js';

/**
 * Two causes that both fail the connection outright (ping fails, TCP is refused), beside a
 * background where most incidents have a working path.
 */
const outage = kbOf({
  hypotheses: [
    hypothesis('network.firewall_drop', { likelihoods: { 'ping.result': { fail: 0.9 }, 'tcp.connect': { timeout: 0.9 } } }),
    hypothesis('network.port_closed', { prior: 2, likelihoods: { 'ping.result': { ok: 0.9 }, 'tcp.connect': { refused: 0.9 } } }),
  ],
  model: { otherCausePrior: 0.1, background: { 'ping.result': { ok: 0.8, partial_loss: 0.1, fail: 0.1 }, 'tcp.connect': { ok: 0.8 } } },
});

/**
 * Five causes, each with the decisive check an engineer runs for it, at the shipped model's
 * sharpening (temperature 0.6, every cause the same prior): a thin ticket fits several of
 * them, and only the decisive checks coming back normal say that none of them fits.
 */
const clinic = kbOf({
  hypotheses: [
    hypothesis('network.firewall_drop', { likelihoods: { 'symptom.kind': { timeout: 0.6, unreachable: 0.3 }, 'tcp.connect': { timeout: 0.9 } } }),
    hypothesis('network.port_closed', { likelihoods: { 'symptom.kind': { unreachable: 0.6, errors: 0.3 }, 'tcp.connect': { refused: 0.9 } } }),
    hypothesis('dns.resolution_failure', { likelihoods: { 'symptom.kind': { unreachable: 0.5, errors: 0.4 }, 'dns.result': { nxdomain: 0.45, servfail: 0.45 } } }),
    hypothesis('tls.cert_expired', { likelihoods: { 'symptom.kind': { errors: 0.8 }, 'tls.handshake': { failed: 0.95 } } }),
    hypothesis('lb.no_healthy_backend', { likelihoods: { 'symptom.kind': { errors: 0.7, unreachable: 0.2 }, 'lb.backend_health': { all_unhealthy: 0.9 } } }),
  ],
  model: {
    otherCausePrior: 0.2,
    priorWeight: 0,
    temperature: 0.6,
    background: {
      'symptom.kind': { slow: 0.3, errors: 0.3, timeout: 0.15, unreachable: 0.1, connection_reset: 0.15 },
      'tcp.connect': { ok: 0.8, refused: 0.07, timeout: 0.08, reset: 0.05 },
      'dns.result': { ok: 0.85, nxdomain: 0.04, servfail: 0.04, timeout: 0.05, refused: 0.02 },
      'tls.handshake': { ok: 0.85, failed: 0.1, timeout: 0.05 },
      'lb.backend_health': { all_healthy: 0.6, some_unhealthy: 0.2, all_unhealthy: 0.1, flapping: 0.1 },
    },
  },
});

describe('distribution', () => {
  it('keeps the listed outcomes, shares the rest evenly, and leaves no outcome impossible', () => {
    expect([...distribution(['ok', 'partial_loss', 'fail'], { fail: 0.9 })].map((p) => Math.round(p * 1000) / 1000)).toEqual([0.05, 0.05, 0.9]);
    const floored = distribution(['ok', 'refused', 'timeout', 'reset'], { ok: 1 });
    expect(Math.min(...floored)).toBeCloseTo(OUTCOME_FLOOR / (1 + 3 * OUTCOME_FLOOR), 6);
    expect(floored.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect([...distribution(['true', 'false'], undefined)]).toEqual([0.5, 0.5]);
  });
});

describe('the compiled model', () => {
  it('gives a hypothesis without a table for a fact the background row, no log ratio and no opinion; one with a table its own', () => {
    const model = compiledModel(kbOf({
      hypotheses: [hypothesis('network.firewall_drop', { likelihoods: { 'ping.result': { fail: 0.9 } } }), hypothesis('network.port_closed', {})],
      model: { background: { 'ping.result': { ok: 0.8, partial_loss: 0.1, fail: 0.1 } } },
    }));
    const ping = model.facts.get('ping.result');
    const background = distribution(['ok', 'partial_loss', 'fail'], { ok: 0.8, partial_loss: 0.1, fail: 0.1 });
    const own = distribution(['ok', 'partial_loss', 'fail'], { fail: 0.9 });
    // The last row is "no known cause": the background, as the model gives it no row of its own.
    expect([...(ping?.opinion ?? [])]).toEqual([1, 0, 0]);
    expect([...(ping?.opinionated ?? [])]).toEqual([0]);
    expect([...(ping?.likelihood ?? [])]).toEqual([...own, ...background, ...background]);
    expect([...(ping?.logRatio ?? [])]).toEqual([...[0, 1, 2].map((o) => Math.log((own[o] as number) / (background[o] as number))), 0, 0, 0, 0, 0, 0]);
  });

  it('gives "no known cause" the model\'s otherCause row for the facts it names, with its log ratio to the background', () => {
    const model = compiledModel(kbOf({
      hypotheses: [hypothesis('network.firewall_drop', { likelihoods: { 'ping.result': { fail: 0.9 } } }), hypothesis('network.port_closed', {})],
      model: { background: { 'ping.result': { ok: 0.8, partial_loss: 0.1, fail: 0.1 } }, otherCause: { 'ping.result': { ok: 0.4, fail: 0.5 } } },
    }));
    const ping = model.facts.get('ping.result');
    const background = distribution(['ok', 'partial_loss', 'fail'], { ok: 0.8, partial_loss: 0.1, fail: 0.1 });
    const other = distribution(['ok', 'partial_loss', 'fail'], { ok: 0.4, fail: 0.5 });
    expect([...(ping?.opinion ?? [])]).toEqual([1, 0, 1]);
    expect([...(ping?.opinionated ?? [])]).toEqual([0, 2]);
    expect([...(ping?.likelihood ?? [])].slice(6)).toEqual([...other]);
    expect([...(ping?.logRatio ?? [])].slice(6)).toEqual([0, 1, 2].map((o) => Math.log((other[o] as number) / (background[o] as number))));
  });

  it('leaves a binned number that falls in no bin out of the product, as if unknown', async () => {
    // A gap between the bins (10 days left here): no outcome to weigh, so no evidence either way.
    const gapped = kbOf({
      hypotheses: [hypothesis('tls.cert_expired', { likelihoods: { 'tls.cert_days_left': { expired: 0.9 } } }), hypothesis('tls.incomplete_chain', {})],
      model: { outcomes: { 'tls.cert_days_left': { expired: [-1000000000, -1], valid: [30, 1000000000] } }, background: { 'tls.cert_days_left': { valid: 0.9 } } },
    });
    expect(compiledModel(gapped).facts.get('tls.cert_days_left')?.outcomeOf(10)).toBe(-1);
    const confidences = async (facts: Record<string, number>) => (await diagnose(gapped, facts)).hypotheses.map((h) => [h.id, h.confidence]);
    expect(await confidences({ 'tls.cert_days_left': 10 })).toEqual(await confidences({}));
    expect(await confidences({ 'tls.cert_days_left': -3 })).not.toEqual(await confidences({}));
  });

  it('takes a pack\'s bins and background for the facts it names and keeps the earlier pack\'s for the rest', () => {
    // Binning one more number in a pack must not drop the shipped bins every table is written against.
    const layered = loadKnowledgeBase([defaultKbDir, pack({
      kb: { name: 'skew', version: '1.0.0' },
      model: {
        override: true,
        outcomes: { 'host.clock_skew_s': { behind: [-1000000000, -60], in_sync: [-60, 60], ahead: [60, 1000000000] }, 'tls.cert_days_left': { expired: [-1000000000, -1], expiring: [0, 14], valid: [15, 1000000000] } },
        background: { 'host.clock_skew_s': { in_sync: 0.9 }, 'tls.cert_days_left': { valid: 0.9 } },
      },
    })]);
    const model = compiledModel(layered);
    expect(model.facts.get('host.clock_skew_s')?.outcomes).toEqual(['behind', 'in_sync', 'ahead']);
    expect(model.facts.get('host.clock_skew_s')?.outcomeOf(-300)).toBe(0);
    expect(model.facts.get('tls.cert_days_left')?.outcomeOf(20)).toBe(2);
    expect(layered.model?.background?.['tls.cert_days_left']).toEqual({ valid: 0.9 });
    expect(layered.model?.outcomes?.['http.status']).toEqual(shippedKb().model?.outcomes?.['http.status']);
    expect(layered.model?.background?.['http.status']).toEqual(shippedKb().model?.background?.['http.status']);
  });
});

describe('the differential', () => {
  it('ranks the causes the facts fit, before any rule fires, with honest confidence', async () => {
    const result = await diagnose(outage, { 'ping.result': 'fail' });
    expect(result.verdict).toBe('confident');
    // firewall_drop: prior 0.3 x (0.9 / 0.1) = 2.7; port_closed: 0.6 x (0.05 / 0.1) = 0.3; other 0.1.
    expect(result.hypotheses.map((h) => [h.id, h.confidence, h.belief])).toEqual([
      ['network.firewall_drop', 0.871, 0],
      ['network.port_closed', 0.0968, 0],
    ]);
    expect(result.otherCause).toBe(0.0323);
  });

  it('says "no known cause" when the facts contradict every hypothesis', async () => {
    const result = await diagnose(outage, { 'ping.result': 'ok', 'tcp.connect': 'ok' });
    expect(result.verdict).toBe('no_known_cause');
    expect(result.otherCause).toBeGreaterThan(0.5);
    // The causes stay listed while they keep a real chance, but the verdict says neither fits.
    expect(result.hypotheses.every((h) => h.confidence < result.otherCause)).toBe(true);
  });

  it('treats a missing fact as unknown: the same facts give the same posterior whatever is absent', async () => {
    const none = await diagnose(outage, {});
    expect(none.hypotheses.map((h) => [h.id, h.confidence])).toEqual([
      ['network.port_closed', 0.6],
      ['network.firewall_drop', 0.3],
    ]);
    expect(none.otherCause).toBe(0.1);
    // A fact no table or rule reads moves nothing.
    expect((await diagnose(outage, { 'target.host': 'db1' })).hypotheses).toEqual(none.hypotheses.map((h) => ({ ...h, checks: expect.any(Array) })));
  });

  it('tempers the evidence, not the prior: with no facts "no known cause" holds otherCausePrior and the causes share the rest', async () => {
    const result = await diagnose(clinic, {});
    expect(result.otherCause).toBe(0.2);
    expect(result.verdict).toBe('no_evidence');
    expect(result.hypotheses.map((h) => h.confidence)).toEqual([0.16, 0.16, 0.16, 0.16, 0.16]);
  });

  it('judges nothing on facts that weigh nothing: an empty ticket, or only its target, is no_evidence, never the prior\'s "no known cause"', async () => {
    const kb = shippedKb();
    for (const facts of [{}, { 'target.host': 'shop.example', 'target.port': 443 }, { 'target.url': 'https://shop.example/' }, { 'target.url': 'http://shop.example/', 'target.protocol': 'http' }] as FactMap[]) {
      const result = await diagnose(kb, facts);
      expect(result.verdict, JSON.stringify(facts)).toBe('no_evidence');
      // A URL's protocol does move the causes (https: the TLS ones come up, and the handshake is asked first); a host alone does not.
      if (!('target.url' in facts)) expect([result.hypotheses.length, result.missing[0]?.fact]).toEqual([0, 'symptom.kind']);
      const report = renderReport(result, 'text');
      expect(report).toContain('No evidence yet: none of the facts given speaks for or against a known cause, so nothing is judged.');
      if (Object.keys(facts).length === 0) expect(report.split('\n')[1]).toBe('Facts used: none yet');
      expect(report).not.toMatch(/no known cause: |No known cause fits|real candidate/);
    }
    // Near misses: one fact a table weighs, one rule that fires.
    expect((await diagnose(kb, { 'symptom.kind': 'errors' })).verdict).toBe('differential');
    expect((await diagnose(clinic, { 'tcp.connect': 'refused' })).verdict).not.toBe('no_evidence');
  });

  it('gives thin facts that several causes fit a differential, never "no known cause"', async () => {
    const result = await diagnose(clinic, { 'symptom.kind': 'unreachable' });
    expect(result.verdict).toBe('differential');
    expect(result.hypotheses.map((h) => [h.id, h.confidence])).toEqual([
      ['network.port_closed', 0.4363],
      ['dns.resolution_failure', 0.3219],
      ['network.firewall_drop', 0.1374],
      ['lb.no_healthy_backend', 0.0699],
    ]);
    expect(result.otherCause).toBe(0.0275);
  });

  it('weighs "no known cause" by its own row where the model gives one: the same thin facts then read as none of these', async () => {
    // Causes outside this KB that take a whole service down present as "unreachable" far more often than incidents in general.
    const outside = kbOf({ hypotheses: [...clinic.hypotheses.values()].map((h) => h.value), model: { ...clinic.model, otherCause: { 'symptom.kind': { unreachable: 0.9 } } } });
    const thin = { 'symptom.kind': 'unreachable' } as const;
    expect((await diagnose(clinic, thin)).verdict).toBe('differential');
    const result = await diagnose(outside, thin);
    expect(result.verdict).toBe('no_known_cause');
    // Odds ratio 0.9 / 0.1 against port_closed's 0.6 / 0.1, tempered at 0.6, against the causes' four times the prior.
    expect(result.otherCause).toBe(0.5243);
    // A cause's decisive finding still names it.
    const refused = await diagnose(outside, { ...thin, 'tcp.connect': 'refused' });
    expect([refused.verdict, refused.hypotheses[0]?.id]).toEqual(['confident', 'network.port_closed']);
  });

  it('says why, beside the rules: the facts each class\'s table weighs most, strongest first, with their ratio to the background', async () => {
    const outside = kbOf({ hypotheses: [...clinic.hypotheses.values()].map((h) => h.value), model: { ...clinic.model, otherCause: { 'symptom.kind': { unreachable: 0.9 } } } });
    const result = await diagnose(outside, { 'symptom.kind': 'unreachable', 'tcp.connect': 'timeout' });
    const factorsOf = (r: typeof result, id: string) => r.hypotheses.find((h) => h.id === id)?.factors;
    // firewall_drop: a connect that times out is 0.9 / 0.08 as likely, unreachable 0.3 / 0.1.
    expect(factorsOf(result, 'network.firewall_drop')).toEqual([
      { fact: 'tcp.connect', value: 'timeout', outcome: 'timeout', ratio: 11.25 },
      { fact: 'symptom.kind', value: 'unreachable', outcome: 'unreachable', ratio: 3 },
    ]);
    // dns.resolution_failure has no table for tcp.connect: the background is no factor.
    expect(factorsOf(result, 'dns.resolution_failure')).toEqual([{ fact: 'symptom.kind', value: 'unreachable', outcome: 'unreachable', ratio: 5 }]);
    expect(result.otherCauseFactors).toEqual([{ fact: 'symptom.kind', value: 'unreachable', outcome: 'unreachable', ratio: 9 }]);
    // A ratio between 1 / 1.5 and 1.5 is not named (errors are 0.4 / 0.3 as likely under a failed
    // lookup); one below 1 / 1.5 is: "no known cause" leaves errors 0.1 / 4 against 0.3.
    const errors = await diagnose(outside, { 'symptom.kind': 'errors' });
    expect(factorsOf(errors, 'dns.resolution_failure')).toEqual([]);
    expect(errors.otherCauseFactors).toEqual([{ fact: 'symptom.kind', value: 'errors', outcome: 'errors', ratio: 0.08 }]);
  });

  it('measures how much a fact tells a few leaders apart by their tables: the connect outcome, not how the reporter sees it', () => {
    const model = compiledModel(clinic);
    const [firewall, closed, dns] = ['network.firewall_drop', 'network.port_closed', 'dns.resolution_failure'].map((id) => model.position.get(id) as number);
    const even = new Float64Array(6).fill(1 / 6);
    // Timeout 0.9 against refused 0.9 (the rest 0.1 / 3 each): 1 bit between two even leaders,
    // less 2 x 0.467 x H(0.964, 0.036) for the two telling answers and 2 x 0.033 x 1 for the others.
    expect(leaderInformation(model, even, [firewall as number, closed as number], 'tcp.connect')).toBeCloseTo(0.7259, 4);
    // symptom.kind: timeout 0.6 / unreachable 0.3 against unreachable 0.6 / errors 0.3: "unreachable" is likely under both, so half as much.
    expect(leaderInformation(model, even, [firewall as number, closed as number], 'symptom.kind')).toBeCloseTo(0.3477, 4);
    // No table of the two names dns.result: it tells them nothing; nor does a fact with one leader, or none modelled.
    expect(leaderInformation(model, even, [firewall as number, closed as number], 'dns.result')).toBe(0);
    expect(leaderInformation(model, even, [dns as number], 'dns.result')).toBe(0);
    expect(leaderInformation(model, even, [firewall as number, closed as number], 'target.host')).toBe(0);
  });

  it('names a fact a fired rule about a cause reads as that rule\'s evidence, not as its table\'s factor', async () => {
    const ruled = kbOf({
      hypotheses: [hypothesis('network.port_closed', { likelihoods: { 'tcp.connect': { refused: 0.9 }, 'symptom.kind': { unreachable: 0.6 } } })],
      rules: [{ id: 'refused', description: 'refused', conditions: { all: [{ fact: 'tcp.connect', operator: 'equal', value: 'refused' }] }, evidence: [{ hypothesis: 'network.port_closed', cf: 0.8 }] }],
      model: { background: { 'tcp.connect': { ok: 0.8, refused: 0.07, timeout: 0.08, reset: 0.05 }, 'symptom.kind': { slow: 0.3, errors: 0.3, timeout: 0.15, unreachable: 0.1, connection_reset: 0.15 } } },
    });
    const [closed] = (await diagnose(ruled, { 'tcp.connect': 'refused', 'symptom.kind': 'unreachable' })).hypotheses;
    expect(closed?.evidence.map((e) => e.rule)).toEqual(['refused']);
    expect(closed?.factors).toEqual([{ fact: 'symptom.kind', value: 'unreachable', outcome: 'unreachable', ratio: 6 }]);
  });

  it('says "no known cause" only when the shortlist is not worth its checks, not merely when it is likelier than not (vainCheckCost)', async () => {
    const thin = { 'symptom.kind': 'unreachable' } as const;
    const model = { ...clinic.model, otherCause: { 'symptom.kind': { unreachable: 0.9 } } };
    const withCost = (vainCheckCost?: number) => kbOf({ hypotheses: [...clinic.hypotheses.values()].map((h) => h.value), model: vainCheckCost === undefined ? model : { ...model, vainCheckCost } });
    // The default (1/3) keeps the bare majority rule: "other" at 0.5243 is the verdict.
    expect((await diagnose(withCost(undefined), thin)).verdict).toBe('no_known_cause');
    // A check costing a tenth of the missed cause: the top 3 hold more than 3 x 0.1 of "other", so they are worth checking.
    const cheap = await diagnose(withCost(0.1), thin);
    expect(cheap.verdict).toBe('differential');
    expect(cheap.otherCause).toBe(0.5243);
    const shortlist = cheap.hypotheses.slice(0, 3).reduce((sum, h) => sum + h.confidence, 0);
    expect(shortlist).toBeGreaterThan(3 * 0.1 * cheap.otherCause);
    // Every cause's decisive check normal: the shortlist is worth nothing, and "none of these" is said at any cost.
    const normal = { 'symptom.kind': 'errors', 'tcp.connect': 'ok', 'dns.result': 'ok', 'lb.backend_health': 'all_healthy', 'tls.handshake': 'ok' } as const;
    const ruledOut = await diagnose(kbOf({ hypotheses: [...clinic.hypotheses.values()].map((h) => h.value), model: { ...clinic.model, vainCheckCost: 0.1 } }), normal);
    expect([ruledOut.verdict, ruledOut.otherCause]).toEqual(['no_known_cause', 0.9542]);
  });

  it('says "no known cause" when the decisive check of every cause comes back normal, and not while one is untested', async () => {
    const untested = { 'symptom.kind': 'errors', 'tcp.connect': 'ok', 'dns.result': 'ok', 'lb.backend_health': 'all_healthy' } as const;
    const all = await diagnose(clinic, { ...untested, 'tls.handshake': 'ok' });
    expect(all.verdict).toBe('no_known_cause');
    expect(all.otherCause).toBe(0.9542);
    // The certificate not checked yet: the one cause still untested is what is left, not "none".
    const open = await diagnose(clinic, untested);
    expect(open.verdict).toBe('confident');
    expect(open.hypotheses[0]?.id).toBe('tls.cert_expired');
    expect(open.otherCause).toBe(0.1946);
  });

  it('gives a 2-fact intake on the shipped knowledge base a ranked differential of that layer, with low confidence', async () => {
    const result = await diagnose(shippedKb(), { 'symptom.kind': 'errors', 'tls.handshake': 'failed' });
    expect(result.verdict).toBe('differential');
    const top6 = result.hypotheses.slice(0, 6);
    expect(top6.every((h) => h.confidence < 0.6 && h.evidence.length === 0)).toBe(true);
    expect(top6.map((h) => h.id)).toEqual(['tls.client_trust_store', 'tls.untrusted_server_cert', 'tls.cert_name_mismatch', 'tls.incomplete_chain', 'tls.cert_expired', 'tls.sni_missing']);
    expect(result.hypotheses.reduce((sum, h) => sum + h.confidence, 0) + result.otherCause).toBeLessThanOrEqual(1.0001);
    // What would tell the leaders apart comes first: the TLS alert, then whether other clients
    // validate the server (the server's certificate fails everyone, a client's store only it).
    expect(result.missing.slice(0, 2).map((m) => m.fact)).toEqual(['tls.alert', 'tls.other_clients_ok']);
  });

  it('shows the verdict in every report format', async () => {
    const result = await diagnose(shippedKb(), { 'symptom.kind': 'errors', 'tls.handshake': 'failed' });
    const sentence = 'Differential: the facts fit several known causes, so each confidence is honest and low. The missing facts below tell them apart.';
    expect(renderReport(result, 'text')).toContain(`${sentence} (no known cause: `);
    expect(renderReport(result, 'markdown')).toContain(`${sentence} (no known cause: `);
    expect(renderReport(result, 'html')).toContain(`<p class="verdict verdict-differential">${sentence.replace(/\./g, '.')} (no known cause: `);
    expect(JSON.parse(renderReport(result, 'json'))).toMatchObject({ verdict: 'differential', otherCause: result.otherCause });
    expect(renderReport(await diagnose(outage, { 'ping.result': 'ok', 'tcp.connect': 'ok' }), 'text')).toContain('No known cause fits: it is likelier than not that the cause is none of the knowledge base');
  });

  it('says so when "no known cause" outweighs each known cause under a differential (checking the shortlist is still the cheaper action), and not when a known cause leads', async () => {
    // Timeouts for everyone while other services are down too: likeliest outside the KB, yet a firewall still fits.
    const wide = await diagnose(shippedKb(), { 'symptom.kind': 'unreachable', 'tcp.connect': 'timeout', 'symptom.other_services_affected': true, 'symptom.recent_change': false });
    expect([wide.verdict, wide.otherCause > (wide.hypotheses[0]?.confidence ?? 1), wide.hypotheses[0]?.id]).toEqual(['differential', true, 'network.firewall_drop']);
    const sentence = 'Differential: no known cause is the likeliest single reading, yet the known causes below fit well enough that ruling them out first costs less than looking elsewhere. The missing facts below tell them apart.';
    expect(renderReport(wide, 'text')).toContain(`${sentence} (no known cause: 71%)\n`);
    expect(renderReport(wide, 'markdown')).toContain(`${sentence} (no known cause: 71%)\n`);
    expect(renderReport(wide, 'html')).toContain(`<p class="verdict verdict-differential">${sentence} (no known cause: 71%)</p>`);
    expect(renderReport({ ...wide, lang: 'zh-CN' }, 'text')).toContain('鉴别诊断：单看概率，最可能是知识库之外的原因');
    // A known cause ahead of "no known cause": the usual sentence.
    const tls = await diagnose(shippedKb(), { 'symptom.kind': 'errors', 'tls.handshake': 'failed' });
    expect(tls.otherCause).toBeLessThan(tls.hypotheses[0]?.confidence ?? 0);
    expect(renderReport(tls, 'text')).not.toContain('no known cause is the likeliest');
  });

  it('shows the facts each table weighs in every report format, on either side of 1, and under "no known cause" what to do next', async () => {
    const ticket = { 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'symptom.intermittent': false } as const;
    const thin = await diagnose(shippedKb(), ticket);
    const lead = 'Likelier under this cause than in incidents in general:';
    const [first] = thin.hypotheses;
    expect(first?.factors?.map((f) => f.fact)).toEqual(['symptom.kind', 'symptom.scope', 'symptom.intermittent']);
    expect(renderReport(thin, 'text')).toContain(`   ${lead} symptom.kind = errors ×2.7, symptom.scope = all_clients ×2.0, symptom.intermittent = false ×1.5\n`);
    expect(renderReport(thin, 'markdown')).toContain(`${lead} \`symptom.kind\` = \`errors\` ×2.7, \`symptom.scope\` = \`all_clients\` ×2.0`);
    expect(renderReport(thin, 'html')).toContain(`<p class="factors">${lead} <code>symptom.kind</code> = <code>errors</code> ×2.7, `);
    // A fact a cause makes less likely is said apart: ping losing packets, under an agent eating the CPU.
    const agent = await diagnose(shippedKb(), { 'ping.result': 'partial_loss', 'proc.top_role': 'apm_agent', 'proc.top_cpu_pct': 150 });
    expect(agent.hypotheses[0]?.factors).toEqual([{ fact: 'ping.result', value: 'partial_loss', outcome: 'partial_loss', ratio: 0.25 }]);
    expect(renderReport(agent, 'text')).toContain('\n   Less likely under this cause: ping.result = partial_loss ×0.25\n   Evidence for:\n');
    // What to do when the cause lies outside the KB comes with that verdict only.
    const next = 'Look wider than this service: the provider\'s status page and the incident channel first';
    expect(renderReport(thin, 'text')).not.toContain(next);
    const site = await diagnose(shippedKb(), { ...ticket, 'symptom.other_services_affected': true });
    expect(site.verdict).toBe('no_known_cause');
    const text = renderReport(site, 'text');
    expect(text).toContain(`(no known cause: 73%)\n${next}`);
    expect(text).toContain('\nLikelier when the cause is outside the knowledge base: symptom.other_services_affected = true ×3.3\n');
    expect(renderReport(site, 'markdown')).toContain('\n\nLikelier when the cause is outside the knowledge base: `symptom.other_services_affected` = `true` ×3.3\n');
    const html = renderReport(site, 'html');
    expect(html).toContain(`<p class="next">${next.replace("'", '&#x27;')}`);
    expect(html).toContain('<p class="factors">Likelier when the cause is outside the knowledge base: <code>symptom.other_services_affected</code> = <code>true</code> ×3.3</p>');
    const zh = renderReport(await diagnose(shippedKb(), ticket, { lang: 'zh-CN' }), 'text');
    expect(zh).toContain('若是该根因，这些现象比一般故障更常见：symptom.kind = errors ×2.7');
    // Every report says which facts it was given.
    expect(text.split('\n')[1]).toBe('Facts used: symptom.kind = errors, symptom.scope = all_clients, symptom.intermittent = false, symptom.other_services_affected = true');
    expect(html).toContain('<p class="facts"><strong>Facts used:</strong> <code>symptom.kind</code> = <code>errors</code>, ');
    expect(html).toContain('aria-valuenow="4"');
  });
});
