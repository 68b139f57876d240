import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { pack } from '../fixtures.js';
import { printsAsSchema } from '../schema-output.js';

/** A pack over the shipped rules that declares a fact (described in two languages), extends a shipped cause with it and a check, and disables a shipped rule. */
function acmePack(): string {
  const fact = 'acme.pool_saturated';
  return pack({
    facts: { [fact]: { type: 'boolean', description: { en: 'the checkout DB pool is at its limit', 'zh-CN': '结账数据库连接池已满' } } },
    model: { override: true, background: { [fact]: { true: 0.1 } } },
    extend: [{ hypothesis: 'app.slow_dependency', reason: 'our checkout waits on its DB pool', likelihoods: { [fact]: { true: 0.6 } }, checks: [{ command: 'curl -s {{target.url}}', confirms: 'pending above 0', rulesOut: 'nothing pending' }] }],
    disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP is always filtered at ACME' }],
  });
}

/** A scenario directory holding a shipped scenario that now expects another cause first: its top-1 fails, with why (top1Miss). */
function wrongScenario(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rca-scen-'));
  const scenario = load(readFileSync(join('test', 'scenarios', 'app', 'app-504-slow-dependency.yaml'), 'utf8')) as { expect: unknown };
  writeFileSync(join(dir, 'wrong.yaml'), dump({ ...scenario, expect: { top1: 'dns.resolution_failure' } }));
  return dir;
}

describe('rca kb -f json prints what schemas/kb-*.schema.json describe', () => {
  it('validate: kb-validate.schema.json (KbValid), with the changes a pack makes', async () => {
    const printed = await printsAsSchema('kb-validate.schema.json', ['kb', 'validate', '--kb', 'rules', '--kb', acmePack(), '-f', 'json'], 0, '/kb');
    expect((printed.changes as Array<{ kind: string }>).map((c) => c.kind)).toEqual(['extend', 'override', 'disable']);
    await printsAsSchema('kb-validate.schema.json', ['kb', 'validate', '-f', 'json'], 0, '/counts');
  });

  it('every action on a knowledge base that does not load: kb-validate.schema.json (KbInvalid), a problem with firstDefined', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-dup-'));
    const rule = (id: string) => ({ id, description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }] });
    writeFileSync(join(dir, 'a.yaml'), dump({ kb: { name: 'dup', version: '1.0.0' }, hypotheses: [{ id: 'network.packet_loss', category: 'network', title: 't', description: 'd', checks: [] }], rules: [rule('r1'), rule('r1')] }));
    for (const action of ['validate', 'lint', 'test']) {
      const printed = await printsAsSchema('kb-validate.schema.json', ['kb', action, '--kb', dir, '-f', 'json'], 3, '/problems/0/firstDefined');
      expect(printed.valid).toBe(false);
    }
  });

  it('seal: kb-seal.schema.json, the lock as kb-lock.schema.json', async () => {
    const acme = acmePack();
    const printed = await printsAsSchema('kb-seal.schema.json', ['kb', 'seal', acme, '--kb', 'rules', '-f', 'json'], 0, '/lock/counts');
    expect(printed.file).toBe(join(acme, 'kb.lock.json'));
  });

  it('lint and lint --list: kb-lint.schema.json (KbLint, KbCheckList)', async () => {
    const printed = await printsAsSchema('kb-lint.schema.json', ['kb', 'lint', '-f', 'json'], 0, '/suppressed/0');
    expect((printed.suppressed as unknown[]).length).toBeGreaterThan(0);
    await printsAsSchema('kb-lint.schema.json', ['kb', 'lint', '--list', '-f', 'json'], 0, '/checks/0/docs');
  });

  it('test, test --coverage and coverage: kb-test.schema.json, a wrong top-1 with its top1Miss', async () => {
    await printsAsSchema('kb-test.schema.json', ['kb', 'test', '-f', 'json'], 0, '/rules/0');
    const withCoverage = await printsAsSchema('kb-test.schema.json', ['kb', 'test', '--coverage', '-f', 'json'], 0, '/coverage/leaves/uncovered/0');
    const coverage = await printsAsSchema('kb-test.schema.json', ['kb', 'coverage', '-f', 'json'], 0, '/coverage/leaves/uncovered/0');
    // kb coverage places each leaf (file, line, column); kb test --coverage names it only.
    expect([Object.keys((withCoverage.coverage as { leaves: { uncovered: object[] } }).leaves.uncovered[0] as object), Object.keys((coverage.coverage as { leaves: { uncovered: object[] } }).leaves.uncovered[0] as object)]).toEqual([['key', 'never'], ['key', 'never', 'file', 'line', 'column']]);
    const failed = await printsAsSchema('kb-test.schema.json', ['kb', 'test', '--no-shipped-scenarios', '--scenarios', wrongScenario(), '-f', 'json'], 1, '/scenarios/0/top1Miss/expected');
    expect((failed.scenarios as Array<{ top1Miss?: { got: { id: string } | null } }>)[0]?.top1Miss?.got?.id).toBe('app.slow_dependency');
  });

  it('show: kb-show.schema.json, a hypothesis a pack extends (ShownHypothesis) and a named command (ShownCommand)', async () => {
    const shown = await printsAsSchema('kb-show.schema.json', ['kb', 'show', 'app.slow_dependency', '--kb', 'rules', '--kb', acmePack(), '-f', 'json'], 0, '/prior');
    expect((shown.extendedBy as unknown[]).length).toBe(1);
    await printsAsSchema('kb-show.schema.json', ['kb', 'show', 'dns.resolution_failure', '--lang', 'zh-CN', '-f', 'json'], 0, '/checks/0');
    await printsAsSchema('kb-show.schema.json', ['kb', 'show', 'dig_target', '-f', 'json'], 0, '/questions/0');
  });
});

describe('rca facts -f json prints what schemas/fact-list.schema.json describes', () => {
  it('the shipped facts, and a pack\'s described in two languages', async () => {
    await printsAsSchema('fact-list.schema.json', ['facts', '-f', 'json'], 0, '/0');
    const printed = (await printsAsSchema('fact-list.schema.json', ['facts', '--kb', 'rules', '--kb', acmePack(), '-f', 'json'], 0, '/0')) as unknown as Array<{ name: string; description?: unknown }>;
    expect(printed.find((f) => f.name === 'acme.pool_saturated')?.description).toEqual({ en: 'the checkout DB pool is at its limit', 'zh-CN': '结账数据库连接池已满' });
  });
});
