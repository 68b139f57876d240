import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../src/generated/kb-file.js';
import { evaluate3 } from '../../src/core/conditions.js';
import { ENGINE_OPERATORS, OPERATOR_NAMES, OPERATORS, type OperatorName } from '../../src/core/operators.js';
import { packageRoot } from '../../src/core/paths.js';
import { customReport } from '../../src/core/render.js';
import type { Diagnosis } from '../../src/generated/diagnosis.js';
import { lintKnowledgeBase } from '../../src/kbtools/lint.js';
import { readableCondition } from '../../src/kbtools/readable.js';
import { hypothesis, kbOf } from '../fixtures.js';

/** A value each operator accepts on a numeric fact (ping.loss_pct) or a string one (target.host), by its kind. */
const sample: Record<(typeof OPERATORS)[OperatorName]['kind'], { fact: string; value: unknown; actual: unknown[] }> = {
  scalar: { fact: 'target.host', value: 'db1', actual: ['db1', 'db2'] },
  numeric: { fact: 'ping.loss_pct', value: 10, actual: [5, 10, 15] },
  list: { fact: 'target.host', value: ['db1', 'db2'], actual: ['db1', 'web'] },
  text: { fact: 'target.host', value: 'db', actual: ['db1', 'web'] },
};

async function engineFires(condition: Condition, facts: Record<string, unknown>): Promise<boolean> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, fn] of ENGINE_OPERATORS) engine.addOperator(name, fn);
  engine.addRule({ name: 'r', conditions: condition as never, event: { type: 'x' } });
  return (await engine.run({ ...facts })).results.length === 1;
}

// Every consumer reads the one table: an operator added there (and to the schema's enum,
// which the first test holds equal) is validated, evaluated, read, shown and linted with no other edit.
describe('the operator table', () => {
  it('names exactly the operators of kb-file.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'kb-file.schema.json'), 'utf8'));
    expect([...OPERATOR_NAMES].sort()).toEqual([...schema.definitions.leafCondition.properties.operator.enum].sort());
  });

  it.each(OPERATOR_NAMES)('%s: unknown on a missing side, and json-rules-engine agrees with the three-valued test', async (name) => {
    const op = OPERATORS[name];
    const { fact, value, actual } = sample[op.kind];
    expect(op.evaluate(undefined, value)).toBe('unknown');
    expect(op.evaluate(actual[0], undefined)).toBe('unknown');
    const condition = { all: [{ fact, operator: name, value }] } as Condition;
    expect(evaluate3(condition, new Map(), {})).toBe('unknown');
    expect(await engineFires(condition, {})).toBe(false);
    for (const a of actual) {
      const tri = evaluate3(condition, new Map(), { [fact]: a } as never);
      expect(tri).toBe(op.evaluate(a, value));
      expect(await engineFires(condition, { [fact]: a })).toBe(tri === 'true');
    }
  });

  it.each(OPERATOR_NAMES)('%s: loads, reads in en and zh-CN, shows its symbol, and lints by its negating flag', (name) => {
    const op = OPERATORS[name];
    const { fact, value } = sample[op.kind];
    const conditions = { all: [{ fact, operator: name, value }] } as Condition;
    const kb = kbOf({ hypotheses: [hypothesis('network.packet_loss')], rules: [{ id: 'r', description: 'r', conditions, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.9 }] }] });
    expect(readableCondition(conditions, kb.conditions, 'en', { prefix: false })).toContain(`${fact} ${op.words.en} `);
    expect(readableCondition(conditions, kb.conditions, 'zh-CN', { prefix: false })).toContain(`${fact} ${op.words['zh-CN']} `);
    const show = customReport('{{#each facts.ops}}{{op this}}{{/each}}', 'ops.txt');
    // A sign in every language; a word in the report's.
    const symbol = typeof op.symbol === 'string' ? { en: op.symbol, 'zh-CN': op.symbol } : op.symbol;
    expect(show({ lang: 'en', facts: { ops: [name] } } as unknown as Diagnosis)).toBe(symbol.en);
    expect(show({ lang: 'zh-CN', facts: { ops: [name] } } as unknown as Diagnosis)).toBe(symbol['zh-CN']);
    expect(/[a-z]/i.test(symbol['zh-CN'])).toBe(false);
    expect(lintKnowledgeBase(kb).findings.some((f) => f.check === 'fires-on-absence')).toBe(op.negating);
  });
});
