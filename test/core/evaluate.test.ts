import { Engine, Rule } from 'json-rules-engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diagnose, diagnosisOf } from '../../src/core/diagnose.js';
import { assess, fireRules } from '../../src/core/evaluate.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { localize } from '../../src/core/localize.js';
import { OPERATORS } from '../../src/core/operators.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { hypothesis, kbOf } from '../fixtures.js';

const kbFile = {
  hypotheses: [hypothesis('network.packet_loss'), hypothesis('network.icmp_filtered'), hypothesis('lb.idle_timeout_mismatch')],
  conditions: {
    tcp_works: { all: [{ fact: 'tcp.connect', operator: 'equal', value: 'ok' }] },
  },
  rules: [
    {
      id: 'ping_not_ok',
      description: 'ping is anything but ok',
      conditions: { all: [{ fact: 'ping.result', operator: 'notEqual', value: 'ok' }] },
      evidence: [{ hypothesis: 'network.packet_loss', cf: 0.4 }],
    },
    {
      id: 'not_tcp_refused',
      description: 'TCP connect did not get refused',
      conditions: { not: { fact: 'tcp.connect', operator: 'equal', value: 'refused' } },
      evidence: [{ hypothesis: 'network.packet_loss', cf: 0.1 }],
    },
    {
      id: 'icmp_only',
      description: 'ping fails, TCP works',
      conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }, { condition: 'tcp_works' }] },
      evidence: [
        { hypothesis: 'network.icmp_filtered', cf: 0.8 },
        { hypothesis: 'network.packet_loss', cf: -0.8 },
      ],
    },
    {
      id: 'keepalive_shorter',
      description: 'backend keep-alive shorter than LB idle timeout',
      conditions: { all: [{ fact: 'backend.keepalive_timeout_s', operator: 'lessThan', value: { fact: 'lb.idle_timeout_s' } }] },
      evidence: [{ hypothesis: 'lb.idle_timeout_mismatch', cf: 0.7 }],
    },
    {
      id: 'either_loss_sign',
      description: 'loss seen by ping or capture',
      conditions: {
        any: [
          { fact: 'ping.loss_pct', operator: 'greaterThan', value: 1 },
          { not: { fact: 'tcp.retransmit_pct', operator: 'lessThan', value: 1 } },
        ],
      },
      evidence: [{ hypothesis: 'network.packet_loss', cf: 0.3 }],
    },
  ],
};
const kb = kbOf(kbFile);

const fired = async (facts: Record<string, unknown>) => (await fireRules(kb, facts as never)).map((f) => f.rule.id).sort();

describe('rule evaluation', () => {
  it('never fires notEqual on a missing fact (plain json-rules-engine does)', async () => {
    expect(await fired({ 'tcp.connect': 'ok' })).not.toContain('ping_not_ok');
    expect(await fired({ 'ping.result': 'fail' })).toContain('ping_not_ok');
    const plain = new Engine([{ conditions: { all: [{ fact: 'ping.result', operator: 'notEqual', value: 'ok' }] }, event: { type: 'x' } }], { allowUndefinedFacts: true });
    expect((await plain.run({})).results).toHaveLength(1);
  });

  it('takes a named condition that is a single leaf, which json-rules-engine refuses as a root (every diagnosis failed)', async () => {
    const named = kbOf({
      hypotheses: [hypothesis('network.packet_loss')],
      conditions: { lossy: { fact: 'ping.result', operator: 'equal', value: 'fail' } },
      rules: [{ id: 'lossy_ping', description: 'ping fails', conditions: { condition: 'lossy' }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }] }],
    });
    expect((await fireRules(named, { 'ping.result': 'fail' })).map((f) => f.rule.id)).toEqual(['lossy_ping']);
    expect(await fireRules(named, { 'ping.result': 'ok' })).toEqual([]);
    expect(await fireRules(named, {})).toEqual([]);
  });

  it('never lets not turn an absent fact into evidence', async () => {
    expect(await fired({ 'ping.result': 'ok' })).not.toContain('not_tcp_refused');
    expect(await fired({ 'tcp.connect': 'timeout' })).toContain('not_tcp_refused');
    expect(await fired({ 'tcp.connect': 'refused' })).not.toContain('not_tcp_refused');
  });

  it('guards a not inside an any whose other branch is false', async () => {
    expect(await fired({ 'ping.loss_pct': 0 })).not.toContain('either_loss_sign');
    expect(await fired({ 'ping.loss_pct': 0, 'tcp.retransmit_pct': 5 })).toContain('either_loss_sign');
  });

  it('follows condition references and compares two facts', async () => {
    expect(await fired({ 'ping.result': 'fail', 'tcp.connect': 'ok' })).toEqual(['icmp_only', 'not_tcp_refused', 'ping_not_ok']);
    expect(await fired({ 'backend.keepalive_timeout_s': 5, 'lb.idle_timeout_s': 60 })).toEqual(['keepalive_shorter']);
    expect(await fired({ 'backend.keepalive_timeout_s': 75, 'lb.idle_timeout_s': 60 })).toEqual([]);
    expect(await fired({ 'backend.keepalive_timeout_s': 5 })).toEqual([]);
  });

  it('records each condition with fact, operator, expected and actual', async () => {
    const [rule] = await fireRules(kb, { 'backend.keepalive_timeout_s': 5, 'lb.idle_timeout_s': 60 });
    expect(rule?.conditions).toEqual([
      { fact: 'backend.keepalive_timeout_s', operator: 'lessThan', expected: 60, expectedFact: 'lb.idle_timeout_s', actual: 5, negated: false },
    ]);
    const [not] = await fireRules(kb, { 'tcp.connect': 'timeout' });
    expect(not?.conditions).toEqual([{ fact: 'tcp.connect', operator: 'equal', expected: 'refused', expectedFact: null, actual: 'timeout', negated: true }]);
  });
});

describe('diagnose', () => {
  it('ranks, rules out and explains', async () => {
    const result = await diagnose(kb, { 'ping.result': 'fail', 'tcp.connect': 'ok', 'target.host': 'db1' });
    // The posterior: icmp_filtered's rule (cf 0.8) against a uniform prior; lb.idle_timeout_mismatch
    // has nothing for or against it and stays a listed candidate (above 2%); packet_loss is ruled out.
    expect(result.hypotheses.map((h) => [h.id, h.confidence, h.belief])).toEqual([
      ['network.icmp_filtered', 0.8522, 0.8],
      ['lb.idle_timeout_mismatch', 0.0947, 0],
    ]);
    expect(result.verdict).toBe('confident');
    // support 0.4 and 0.1 combine to 0.46; with -0.8: (0.46 - 0.8) / (1 - 0.46)
    expect(result.ruledOut.map((h) => [h.id, h.belief])).toEqual([['network.packet_loss', -0.6296]]);
    expect(result.ruledOut[0]?.against.map((e) => e.rule)).toEqual(['icmp_only']);
    expect(result.hypotheses[0]?.checks[0]?.command).toBe('ping -c 3 db1');
    expect(result.kb).toEqual({ name: 'test', version: '1.0.0', hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  });

  it('lists the unanswered facts worth asking most, best first, with the hypotheses they move', async () => {
    // A background says TCP connects in most incidents: its answer is then no rare finding, and
    // "ok" (icmp_only fires, packet_loss is refuted) or not decides between the two hypotheses.
    const withBackground = kbOf({ ...kbFile, model: { background: { 'tcp.connect': { ok: 0.8 } } } });
    const result = await diagnose(withBackground, { 'ping.result': 'fail' });
    // The two timeouts only matter together (neither alone can fire keepalive_shorter): they are
    // listed side by side, each naming the other, with half the worth of both answers each.
    expect(result.missing.map((m) => [m.fact, m.pairedWith])).toEqual([
      ['tcp.connect', undefined],
      ['backend.keepalive_timeout_s', 'lb.idle_timeout_s'],
      ['lb.idle_timeout_s', 'backend.keepalive_timeout_s'],
      ['ping.loss_pct', undefined],
      ['tcp.retransmit_pct', undefined],
    ]);
    expect(result.missing[0]?.hypotheses).toEqual(['network.packet_loss', 'network.icmp_filtered']);
    expect(result.missing[0]?.impact).toBeGreaterThan(2 * (result.missing[1]?.impact ?? 0));
    expect(result.missing[1]?.hypotheses).toEqual(['lb.idle_timeout_mismatch']);
    expect(result.missing[1]?.impact).toBe(result.missing[2]?.impact);
    // Once one side is known the comparison is the other's alone to decide: no pair is left.
    const oneSide = await diagnose(withBackground, { 'ping.result': 'fail', 'lb.idle_timeout_s': 60 });
    expect(oneSide.missing.filter((m) => m.pairedWith !== undefined)).toEqual([]);
    expect(oneSide.missing.map((m) => m.fact)).toContain('backend.keepalive_timeout_s');
  });

  it('keeps only the top N hypotheses when asked', async () => {
    const facts = { 'ping.result': 'partial_loss', 'backend.keepalive_timeout_s': 5, 'lb.idle_timeout_s': 60 } as const;
    expect((await diagnose(kb, facts)).hypotheses).toHaveLength(3);
    expect((await diagnose(kb, facts, { top: 1 })).hypotheses.map((h) => h.id)).toEqual(['lb.idle_timeout_mismatch']);
  });

  it('gives every one of 200 concurrent diagnoses its sequential answer', async () => {
    const factSets = Array.from({ length: 200 }, (_, i) => ({
      'ping.result': ['ok', 'fail', 'partial_loss'][i % 3] as string,
      'tcp.connect': ['ok', 'timeout', 'refused', 'reset'][i % 4] as string,
      'backend.keepalive_timeout_s': i % 90,
      'lb.idle_timeout_s': 60,
      'ping.loss_pct': i % 7,
    }));
    const sequential = [];
    for (const facts of factSets) sequential.push(await diagnose(kb, facts));
    const concurrent = await Promise.all(factSets.map((facts) => diagnose(kb, facts)));
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential.map((d) => JSON.stringify(d.hypotheses.map((h) => h.id)))).size).toBeGreaterThan(3);
  });
});

describe("json-rules-engine's side of a knowledge base", () => {
  afterEach(() => vi.restoreAllMocks());

  // Each diagnosis used to build every candidate rule and named condition for the engine again.
  it('sets the named conditions once per knowledge base, not once per diagnosis', async () => {
    const setCondition = vi.spyOn(Engine.prototype, 'setCondition');
    const compiled = kbOf(kbFile);
    const facts = { 'ping.result': 'fail', 'tcp.connect': 'ok' };
    for (let i = 0; i < 3; i++) expect((await fireRules(compiled, facts)).map((f) => f.rule.id)).toContain('icmp_only');
    expect(setCondition.mock.calls.map(([name]) => name)).toEqual(['tcp_works']);
  });

  it('gives concurrent first diagnoses on a new knowledge base their sequential answers', async () => {
    const factSets = Array.from({ length: 60 }, (_, i) => ({ 'ping.result': ['ok', 'fail', 'partial_loss'][i % 3] as string, 'tcp.connect': ['ok', 'timeout', 'refused', 'reset'][i % 4] as string }));
    const alone = kbOf(kbFile);
    const sequential = [];
    for (const facts of factSets) sequential.push(await diagnose(alone, facts));
    const together = kbOf(kbFile);
    expect(await Promise.all(factSets.map((facts) => diagnose(together, facts)))).toEqual(sequential);
    expect(sequential.some((d) => d.hypotheses.some((h) => h.evidence.some((e) => e.rule === 'icmp_only')))).toBe(true);
  });
});

// A diagnosis keeps each hypothesis's texts and compiled checks per knowledge base and language.
describe("a diagnosis's hypothesis texts, kept per knowledge base and language", () => {
  it('answers each language in its own texts whichever came first, with checks filled from each diagnosis own facts', async () => {
    const shipped = loadKnowledgeBase([defaultKbDir]);
    const hosts = ['db1.example', 'db2.example', 'db3.example'];
    for (const [lang, host] of [['zh-CN', 'db1.example'], ['en', 'db2.example'], ['zh-CN', 'db3.example']] as const) {
      const d = await diagnose(shipped, { 'target.host': host, 'ping.result': 'fail', 'tcp.connect': 'timeout' }, { lang });
      expect(d.hypotheses.length).toBeGreaterThan(0);
      for (const h of d.hypotheses) {
        const source = shipped.hypotheses.get(h.id)?.value;
        expect(h.title).toBe(localize(source?.title ?? '', lang));
        // As a set: a check whose readings the facts hold is listed last (test/core/known-readings.test.ts).
        expect(h.checks.map((c) => c.confirms).sort()).toEqual(source?.checks.map((c) => localize(c.confirms, lang)).sort());
      }
      const commands = d.hypotheses.flatMap((h) => h.checks.map((c) => c.command)).join('\n');
      expect(commands).toContain(host);
      for (const other of hosts.filter((o) => o !== host)) expect(commands).not.toContain(other);
    }
    const zh = await diagnose(shipped, { 'ping.result': 'fail' }, { lang: 'zh-CN' });
    const en = await diagnose(shipped, { 'ping.result': 'fail' }, { lang: 'en' });
    expect(zh.hypotheses.map((h) => h.title)).not.toEqual(en.hypotheses.map((h) => h.title));
  });
});

// runEngine settles the events of a run's engine and of a KB rule at once (RunEngine, KbRule):
// sound only while json-rules-engine adds no listener of its own and announces results through emitAsync.
describe("json-rules-engine's events, which a run settles at once", () => {
  const plainRun = async () => {
    const engine = new Engine([], { allowUndefinedFacts: true });
    const rule = new Rule({ name: 'r', conditions: { all: [{ fact: 'a', operator: 'equal', value: 1 }] }, event: { type: 'e' } });
    engine.addRule(rule);
    engine.addFact('a', 1);
    const announced: string[] = [];
    for (const emitter of [engine, rule] as unknown as Array<{ emitAsync: (type: string) => Promise<unknown> }>) {
      const own = emitter.emitAsync.bind(emitter);
      emitter.emitAsync = (type: string, ...rest: unknown[]) => (announced.push(type), (own as (...a: unknown[]) => Promise<unknown>)(type, ...rest));
    }
    const { results } = await engine.run();
    return { engine, rule, results, announced };
  };

  it('adds no listener to an engine or a rule of its own', async () => {
    const { engine, rule, results } = await plainRun();
    expect(results.map((r) => r.name)).toEqual(['r']);
    for (const emitter of [engine, rule] as unknown as Array<{ eventNames: () => unknown[] }>) expect(emitter.eventNames()).toEqual([]);
  });

  it("announces each rule's result through emitAsync, on the rule and on the engine", async () => {
    expect((await plainRun()).announced).toEqual(['success', 'success', 'e']);
  });
});

describe('one assessment per step', () => {
  afterEach(() => vi.restoreAllMocks());

  // icmp_only is undecided on ping.result alone: ranking and `missing` share the one
  // three-valued pass (before, `missing` evaluated every undecided rule a second time); what
  // `missing` evaluates after it are answers not given yet (value-of-information.ts).
  it('evaluates each rule reading a known fact once per assessment, and no rule reading none', async () => {
    const equal = vi.spyOn(OPERATORS.equal, 'evaluate');
    const notEqual = vi.spyOn(OPERATORS.notEqual, 'evaluate');
    // Built after the spies: compiling a KB binds each leaf to its operator.
    const compiled = kbOf(kbFile);
    const assessment = await assess(compiled, { 'ping.result': 'fail' });
    // icmp_only: ping.result = fail, then tcp_works's tcp.connect = ok (unknown).
    expect(equal.mock.calls).toEqual([
      ['fail', 'fail'],
      [undefined, 'ok'],
    ]);
    // ping_not_ok: once by the three-valued pass, once by json-rules-engine, the evaluator of record.
    expect(notEqual.mock.calls).toEqual([
      ['fail', 'ok'],
      ['fail', 'ok'],
    ]);
    expect(diagnosisOf(compiled, assessment).missing.map((m) => m.fact)).toContain('tcp.connect');
  });

  // icmp_only as one conjunction of leaves: open on tcp.connect once ping.result = fail is known.
  const icmpOnlyConjunction = {
    id: 'icmp_only',
    description: 'ping fails, TCP works',
    conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }, { fact: 'tcp.connect', operator: 'equal', value: 'ok' }] },
    evidence: [{ hypothesis: 'network.icmp_filtered', cf: 0.8 }],
  };

  // The rule is open on tcp.connect: valuing tcp.connect tries each of its answers on the rule,
  // and the rule's other leaf (ping.result = fail) says the same for every answer.
  it("tests a conjunction's leaves on other facts once per valued fact, not once per answer", async () => {
    const equal = vi.spyOn(OPERATORS.equal, 'evaluate');
    const compiled = kbOf({ ...kbFile, rules: [icmpOnlyConjunction] });
    const assessment = await assess(compiled, { 'ping.result': 'fail' });
    equal.mockClear();
    const missing = diagnosisOf(compiled, assessment).missing.map((m) => m.fact);
    expect(missing).toContain('tcp.connect');
    expect(equal.mock.calls.filter(([actual]) => actual === 'fail')).toEqual([['fail', 'fail']]);
    const answers = equal.mock.calls.filter(([, expected]) => expected === 'ok').map(([actual]) => actual);
    expect(answers.length).toBeGreaterThan(1);
    expect(new Set(answers).size).toBe(answers.length);
  });

  // Valuing tcp.connect: only the answer `ok` fires icmp_only; under every other answer no open
  // rule lends network.icmp_filtered anything, so its fired rules' log weight is the same for
  // them all (one atanh), beside the one before the answer and the one under `ok`.
  it("weighs a hypothesis's fired rules once per step for the answers whose rules lend it nothing", async () => {
    const compiled = kbOf({ ...kbFile, rules: [icmpOnlyConjunction] });
    const assessment = await assess(compiled, { 'ping.result': 'fail' });
    const atanh = vi.spyOn(Math, 'atanh');
    expect(diagnosisOf(compiled, assessment).missing.map((m) => m.fact)).toEqual(['tcp.connect']);
    expect(atanh).toHaveBeenCalledTimes(3);
  });

  // icmp_only's tcp_works is a named `all` of leaves: the rule is one conjunction of its leaves.
  it("tests the leaves of a named conjunction a rule's `all` refers to once per valued fact too", async () => {
    const equal = vi.spyOn(OPERATORS.equal, 'evaluate');
    const compiled = kbOf(kbFile);
    const assessment = await assess(compiled, { 'ping.result': 'fail' });
    equal.mockClear();
    expect(diagnosisOf(compiled, assessment).missing.map((m) => m.fact)).toContain('tcp.connect');
    expect(equal.mock.calls.filter(([actual]) => actual === 'fail')).toEqual([['fail', 'fail']]);
  });

  it('hands the interview the same assessment the diagnosis was made from', async () => {
    const facts = { 'ping.result': 'fail', 'tcp.connect': 'ok' } as const;
    const assessment = await assess(kb, facts);
    expect(diagnosisOf(kb, assessment)).toEqual(await diagnose(kb, facts));
    expect(assessment.fired.map((f) => f.rule.id).sort()).toEqual(['icmp_only', 'not_tcp_refused', 'ping_not_ok']);
    expect(assessment.scored.map((s) => [s.id, s.cfs])).toEqual([
      ['network.icmp_filtered', [0.8]],
      ['network.packet_loss', expect.arrayContaining([0.4, 0.1, -0.8])],
    ]);
  });
});
