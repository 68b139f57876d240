import { describe, expect, it } from 'vitest';
import type { SourceText } from '../../src/kbtools/entry-location.js';
import { testKnowledgeBase } from '../../src/kbtools/tester.js';
import { hypothesis, kbOf } from '../fixtures.js';

const leaf = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
/** Ping fails and TCP connect times out: two facts, so a case can know one and miss the other. */
const bothFail = { all: [leaf('ping.result', 'equal', 'fail'), leaf('tcp.connect', 'equal', 'timeout')] };
const rule = (cases: unknown, extra: Record<string, unknown> = {}) => ({ id: 'r1', description: 'r1', conditions: bothFail, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.6 }], cases, ...extra });

/** What `rca kb test` says about the one rule r1 with these cases. */
async function report(cases: unknown, extra: Record<string, unknown> = {}, sourceText?: SourceText) {
  const kb = kbOf({ hypotheses: [hypothesis('network.packet_loss')], rules: [rule(cases, extra)] });
  const result = await testKnowledgeBase(kb, [], sourceText);
  return { passed: result.passed, ...result.rules[0] };
}

const fires = [{ 'ping.result': 'fail', 'tcp.connect': 'timeout' }];
/** A failure of r1 at POINTER under its entry, in a file whose text is not read (no line). */
const at = (pointer: string, message: string) => ({ message, file: 'file0.yaml', path: `/rules/0${pointer}` });
const nearMiss = { 'ping.result': 'fail', 'tcp.connect': 'refused' };
const absence = { 'ping.result': 'fail' };

describe('kb test: silent cases are near misses or absences', () => {
  it('tells a near miss (facts known, rule false) from an absence (a fact missing, rule undecided)', async () => {
    const r = await report({ fires, silent: [nearMiss, absence, { 'ping.result': 'ok', 'tcp.connect': 'timeout' }] });
    expect(r).toMatchObject({ passed: true, trueNegatives: 3, nearMisses: 2, absences: 1, failures: [], waived: [] });
  });

  it('a false part decides the rule though another fact is missing: a near miss', async () => {
    const r = await report({ fires, silent: [{ 'ping.result': 'ok' }] });
    expect(r).toMatchObject({ passed: true, nearMisses: 1, absences: 0, failures: [] });
  });

  it('rejects a silent case that shares no fact with its rule: it passes whatever the rule says', async () => {
    const r = await report({ fires, silent: [nearMiss, { 'http.status': 502 }] });
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([at('/cases/silent/1', 'silent 1 shares no fact with the rule (it reads ping.result, tcp.connect), so it passes whatever the rule says: make it a near miss')]);
    expect(r).toMatchObject({ trueNegatives: 2, nearMisses: 1, absences: 0 });
  });

  it('rejects a rule without a near miss, though its absence cases pass', async () => {
    const r = await report({ fires, silent: [absence, { 'tcp.connect': 'timeout' }] });
    expect(r.passed).toBe(false);
    expect(r).toMatchObject({ trueNegatives: 2, nearMisses: 0, absences: 2 });
    // Placed at the silent cases, where one is added.
    expect(r.failures).toEqual([at('/cases/silent', 'no near miss: no silent case knows the facts the rule needs and leaves it false (add one just across a threshold, or with another value of an enum)')]);
  });

  it('rejects the same facts twice, in any key order, across fires and silent', async () => {
    const r = await report({ fires: [...fires, { 'tcp.connect': 'timeout', 'ping.result': 'fail' }], silent: [nearMiss, absence, { ...nearMiss }] });
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([at('/cases/fires/1', 'fires 1 has the same facts as fires 0'), at('/cases/silent/2', 'silent 2 has the same facts as silent 0')]);
    const across = await report({ fires, silent: [nearMiss, { ...fires[0] }] });
    expect(across.failures).toEqual([at('/cases/silent/1', 'silent 1 has the same facts as fires 0'), at('/cases/silent/1', 'silent 1: expected it to stay silent, got true')]);
  });

  it('a failing case says what the rule made of it: false, or undecided naming the facts the case lacks', async () => {
    const r = await report({ fires: [...fires, { 'ping.result': 'ok', 'tcp.connect': 'timeout' }, { 'ping.result': 'fail' }], silent: [nearMiss] });
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([at('/cases/fires/1', 'fires 1: expected it to fire, got false'), at('/cases/fires/2', 'fires 2: expected it to fire, got undecided: the case lacks tcp.connect')]);
  });

  it('locates each rule: at its line when its file can be read, else at its JSON path', async () => {
    const cases = { fires, silent: [nearMiss] };
    expect(await report(cases)).toMatchObject({ file: 'file0.yaml', path: '/rules/0' });
    expect((await report(cases)).line).toBeUndefined();
    const yaml: SourceText = (file) => (file === 'file0.yaml' ? 'hypotheses: []\nrules:\n  - id: r1\n' : undefined);
    expect(await report(cases, {}, yaml)).toMatchObject({ file: 'file0.yaml', line: 3, path: '/rules/0' });
  });

  it('places a failing case at its own entry, not at its rule: file:line:column of the case', async () => {
    const text = ['rules:', '  - id: r1', '    cases:', '      fires:', '        - {ping.result: fail, tcp.connect: timeout}', '        - {ping.result: ok, tcp.connect: timeout}', '      silent:', '        - {ping.result: fail, tcp.connect: refused}', ''].join('\n');
    const r = await report({ fires: [...fires, { 'ping.result': 'ok', 'tcp.connect': 'timeout' }], silent: [nearMiss] }, {}, (file) => (file === 'file0.yaml' ? text : undefined));
    expect(r).toMatchObject({ line: 2, column: 3, path: '/rules/0' });
    expect(r.failures).toEqual([{ message: 'fires 1: expected it to fire, got false', file: 'file0.yaml', line: 6, column: 9, path: '/rules/0/cases/fires/1' }]);
  });

  it('a rule that holds whenever its facts are known waives the near miss with a reason; a stale waiver fails', async () => {
    const waiver = { lintIgnore: [{ check: 'near-miss', reason: 'holds whenever its facts are known' }] };
    const waived = await report({ fires, silent: [{ 'http.status': 502 }] }, waiver);
    expect(waived).toMatchObject({ passed: true, failures: [], waived: ['near-miss: holds whenever its facts are known'] });
    const stale = await report({ fires, silent: [nearMiss] }, waiver);
    // Placed at the waiver, which is what to remove.
    expect(stale.failures).toEqual([at('/lintIgnore/0', 'near-miss is waived, but silent 0 is a near miss: remove the waiver')]);
  });
});
