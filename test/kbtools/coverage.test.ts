import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatUncovered, locateUncovered } from '../../src/kbtools/coverage.js';
import { testKnowledgeBase } from '../../src/kbtools/tester.js';
import { kbOf } from '../fixtures.js';
import { loadScenarios, shippedKb } from '../support.js';

const readable = (file: string) => readFileSync(file, 'utf8');

describe('locateUncovered', () => {
  it('places each uncovered leaf of the shipped KB at its rule\'s line, as kb test lists them', async () => {
    const kb = shippedKb();
    const scenarios = loadScenarios();
    const { coverage } = await testKnowledgeBase(kb, scenarios);
    const leaves = locateUncovered(kb, coverage, readable);
    expect(leaves.map((l) => `${l.rule}${l.leaf}`)).toEqual(coverage.leaves.uncovered.map((u) => u.key));
    for (const l of leaves) expect(readable(l.file).split('\n')[(l.line ?? 0) - 1], `${l.rule}${l.leaf}`).toMatch(new RegExp(`^\\s*- id: ${l.rule.replace(/\./g, '\\.')}$`));
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
});
