import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../src/core/errors.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { hypothesis, kbOf } from '../fixtures.js';

function kbProblems(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(KbError);
    return (error as KbError).problems.map((p) => `${p.file} at ${p.path}: ${p.message}`);
  }
  throw new Error('expected a KbError');
}

const rule = (conditions: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'r1',
  description: 'rule',
  conditions,
  evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }],
  ...extra,
});
const leaf = (fact: string, operator: string, value: unknown) => ({ all: [{ fact, operator, value }] });
const withRules = (...rules: unknown[]) => () => kbOf({ hypotheses: [hypothesis('network.packet_loss')], rules });

describe('knowledge-base validation', () => {
  it('names file and path of a schema violation', () => {
    expect(kbProblems(withRules(rule(leaf('ping.result', 'equal', 'fail'), { evidence: [{ hypothesis: 'network.packet_loss', cf: 1.5 }] })))).toEqual([
      'file0.yaml at /rules/0/evidence/0/cf: expected a number <= 1, got number 1.5',
    ]);
  });

  it('refuses an empty any (json-rules-engine treats it as true)', () => {
    expect(kbProblems(withRules(rule({ any: [] })))).toEqual(['file0.yaml at /rules/0/conditions/any: expected at least 1 item, got an array']);
  });

  it('refuses an unknown operator at load time, not at run time', () => {
    expect(kbProblems(withRules(rule(leaf('ping.result', 'equals', 'fail')))).join()).toContain('file0.yaml at /rules/0/conditions/all/0/operator: expected one of "equal"');
  });

  it('names unknown hypotheses, facts and condition references', () => {
    expect(kbProblems(withRules(rule(leaf('ping.resutl', 'equal', 'fail'), { evidence: [{ hypothesis: 'network.nope', cf: 0.5 }] })))).toEqual([
      'file0.yaml at /rules/0/conditions/all/0: unknown fact "ping.resutl"',
      'file0.yaml at /rules/0/evidence/0/hypothesis: unknown hypothesis "network.nope"',
    ]);
    expect(kbProblems(withRules(rule({ all: [{ condition: 'missing_one' }] })))).toEqual(['file0.yaml at /rules/0/conditions/all/0/condition: unknown condition "missing_one"']);
  });

  it('checks that operators and values fit the fact type', () => {
    expect(kbProblems(withRules(rule(leaf('ping.result', 'greaterThan', 3))))).toEqual([
      'file0.yaml at /rules/0/conditions/all/0: greaterThan needs a numeric fact, ping.result is one of ok, partial_loss, fail',
    ]);
    expect(kbProblems(withRules(rule(leaf('ping.result', 'equal', 'lossy'))))).toEqual([
      'file0.yaml at /rules/0/conditions/all/0: "lossy" is not one of ok, partial_loss, fail (ping.result)',
    ]);
    expect(kbProblems(withRules(rule(leaf('http.status', 'equal', 'ok'))))).toEqual(['file0.yaml at /rules/0/conditions/all/0: "ok" is not an integer (http.status)']);
    expect(kbProblems(withRules(rule(leaf('http.status', 'in', 503))))).toEqual(['file0.yaml at /rules/0/conditions/all/0: in needs a list of values, got 503']);
    expect(kbProblems(withRules(rule(leaf('http.status', 'lessThan', { fact: 'ping.result' }))))).toEqual([
      'file0.yaml at /rules/0/conditions/all/0: compares http.status (integer) with ping.result (enum)',
    ]);
  });

  it('refuses duplicate ids and names where the first one was', () => {
    const r = rule(leaf('ping.result', 'equal', 'fail'));
    expect(kbProblems(withRules(r, r))).toEqual(['file0.yaml at /rules/1: duplicate rule "r1" (first defined in file0.yaml at /rules/0)']);
  });

  it('refuses condition reference cycles', () => {
    const problems = kbProblems(() =>
      kbOf({
        hypotheses: [hypothesis('network.packet_loss')],
        conditions: { a: { all: [{ condition: 'b' }] }, b: { any: [{ condition: 'a' }] } },
      }),
    );
    expect(problems).toEqual(['file0.yaml at /conditions/a: condition reference cycle: a -> b -> a']);
  });

  it('checks that command templates read only known facts and parse', () => {
    const bad = (command: string) => () => kbOf({ hypotheses: [hypothesis('network.packet_loss', { checks: [{ command, confirms: 'x', rulesOut: 'y' }] })] });
    expect(kbProblems(bad('ping {{target.hots}}'))).toEqual(['file0.yaml at /hypotheses/0/checks/0/command: template reads unknown fact "target.hots"']);
    expect(kbProblems(bad('ping {{target.host')).join()).toMatch(/^file0.yaml at \/hypotheses\/0\/checks\/0\/command: Parse error/);
  });

  it('reports YAML syntax errors and missing directories with the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-kb-'));
    writeFileSync(join(dir, 'broken.yaml'), 'rules:\n  - id: x\n   description: bad indent\n');
    const problems = kbProblems(() => loadKnowledgeBase([dir]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/broken\.yaml at : does not parse: /);
    expect(kbProblems(() => loadKnowledgeBase([join(dir, 'nope')]))[0]).toMatch(/nope at : knowledge-base directory not found$/);
  });
});
