import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatUncovered, locateUncovered } from '../../src/kbtools/coverage.js';
import { testKnowledgeBase } from '../../src/kbtools/tester.js';
import { kbOf } from '../fixtures.js';
import { loadScenarios, shippedKb } from '../support.js';

const readable = (file: string) => readFileSync(file, 'utf8');

describe('locateUncovered', () => {
  it('places each uncovered leaf of the shipped KB at its own line, or at the reference to the named condition it is in', async () => {
    const kb = shippedKb();
    const scenarios = loadScenarios();
    const { coverage } = await testKnowledgeBase(kb, scenarios);
    const leaves = locateUncovered(kb, coverage, readable);
    expect(leaves.map((l) => `${l.rule}${l.leaf}`)).toEqual(coverage.leaves.uncovered.map((u) => u.key));
    for (const l of leaves) {
      const text = readable(l.file).split('\n')[(l.line ?? 0) - 1];
      expect(text?.slice((l.column ?? 0) - 1), `${l.rule}${l.leaf}`).toMatch(/^- \{?(fact|condition): /);
      expect(l.path, `${l.rule}${l.leaf}`).toBe(kb.rules.find((r) => r.id === l.rule)?.path);
    }
  }, 60_000);

  it('a leaf no fact set decides is never true or false; a rule whose file has no YAML line is shown by its file', async () => {
    const kb = kbOf({
      hypotheses: [{ id: 'network.packet_loss', category: 'network', title: 't', description: 'd', checks: [] }],
      rules: [
        {
          id: 'network.loss',
          description: 'x',
          conditions: { any: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }, { fact: 'tcp.retransmit_pct', operator: 'greaterThan', value: 5 }] },
          evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }],
          cases: { fires: [{ 'ping.result': 'fail' }], silent: [{ 'ping.result': 'ok' }] },
        },
      ],
    });
    const { coverage } = await testKnowledgeBase(kb, []);
    const leaves = locateUncovered(kb, coverage, () => JSON.stringify({}));
    expect(formatUncovered(leaves)).toEqual(['leaf conditions not seen both true and false (1):', '  file0.yaml rule network.loss at /conditions/any/1: never true or false']);
  });

  it("counts a rule's leaves as covered by its own cases only: another rule's cases and the scenarios test that rule, not this one", async () => {
    const failed = { fact: 'ping.result', operator: 'equal', value: 'fail' };
    const kb = kbOf({
      hypotheses: [{ id: 'network.packet_loss', category: 'network', title: 't', description: 'd', checks: [] }],
      rules: [
        // A's cases see ping.result = fail both true and false.
        { id: 'a', description: 'a', conditions: { all: [failed] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }], cases: { fires: [{ 'ping.result': 'fail' }], silent: [{ 'ping.result': 'ok' }] } },
        // B reads the same fact with the same operator, and has no case of its own.
        { id: 'b', description: 'b', conditions: { all: [failed, { fact: 'tcp.connect', operator: 'equal', value: 'timeout' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.3 }] },
      ],
    });
    const scenario = { file: 's.yaml', path: 's.yaml', story: 's', source: 'test', facts: { 'ping.result': 'fail', 'tcp.connect': 'timeout' }, expect: { top1: 'network.packet_loss' } };
    const { coverage } = await testKnowledgeBase(kb, [scenario]);
    expect(coverage.leaves).toEqual({
      total: 3,
      trueAndFalse: 1,
      uncovered: [
        { key: 'b/all/0', never: 'true or false' },
        { key: 'b/all/1', never: 'true or false' },
      ],
    });
    // Whether a rule fires is still counted over every fact set: B fired on the scenario, and was silent on A's cases.
    expect(coverage.rules).toEqual({ total: 2, firedAndSilent: 2, neverFired: [], neverSilent: [] });
  });
});
