import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.js';
import { hypothesis } from '../fixtures.js';

/** A knowledge-base directory of the given files (name -> YAML content). */
function kbDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rca-diffkb-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), dump(content));
  return dir;
}

/** One small KB in every section, and a few of its entries as a curator would edit them. */
function acme(edit: { otherCausePrior?: number; value?: string; question?: string; facts?: Record<string, unknown>; questions?: unknown[] } = {}): string {
  return kbDir({
    'kb.yaml': { kb: { name: 'acme', version: '1.0.0' }, model: { otherCausePrior: edit.otherCausePrior ?? 0.58 } },
    'network.yaml': {
      facts: edit.facts ?? { 'acme.depth': { type: 'integer', minimum: 0, description: 'orders waiting' } },
      hypotheses: [hypothesis('network.slow_path'), hypothesis('network.other_path')],
      conditions: { lossy: { all: [{ fact: 'ping.result', operator: 'equal', value: edit.value ?? 'fail' }] } },
      rules: [
        { id: 'network.lossy', description: 'ping fails', conditions: { all: [{ condition: 'lossy' }] }, evidence: [{ hypothesis: 'network.slow_path', cf: 0.8 }] },
        { id: 'network.no_ping', description: 'ping fails', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.other_path', cf: 0.5 }] },
      ],
      questions: [{ fact: 'ping.result', text: edit.question ?? 'Does ping answer?' }, ...(edit.questions ?? [])],
    },
  });
}

const noScenarios = () => mkdtempSync(join(tmpdir(), 'rca-scen-'));

describe('rca kb diff', () => {
  it('shows every section: the model, facts a pack declares, named conditions and questions', async () => {
    const before = acme();
    const after = acme({
      otherCausePrior: 0.9,
      value: 'partial_loss',
      question: 'Does ping get through?',
      facts: { 'acme.state': { type: 'string', enum: ['up', 'down'], description: 'broker state' } },
      questions: [{ fact: 'tcp.connect', text: 'Does a TCP connect succeed?' }],
    });
    const run = await runCli(['kb', 'diff', before, after, '--scenarios', noScenarios()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        '~ model: otherCausePrior',
        '    otherCausePrior: 0.58 -> 0.9',
        '+ fact acme.state',
        '- fact acme.depth',
        '~ condition lossy: all',
        '    all[ping.result].value: "fail" -> "partial_loss"',
        '+ question tcp.connect',
        '~ question ping.result: text',
        '    text: "Does ping answer?" -> "Does ping get through?"',
        '0 scenarios ranked differently',
        '',
      ].join('\n'),
    );
    const asJson = JSON.parse((await runCli(['kb', 'diff', before, after, '--scenarios', noScenarios(), '-f', 'json'])).stdout);
    expect(asJson).toEqual({
      kb: null,
      model: { fields: ['otherCausePrior'], values: [{ field: 'otherCausePrior', before: 0.58, after: 0.9 }] },
      facts: { added: ['acme.state'], removed: ['acme.depth'], changed: [] },
      hypotheses: { added: [], removed: [], changed: [] },
      conditions: { added: [], removed: [], changed: [{ id: 'lossy', fields: ['all'], values: [{ field: 'all[ping.result].value', before: 'fail', after: 'partial_loss' }] }] },
      rules: { added: [], removed: [], changed: [] },
      questions: { added: ['tcp.connect'], removed: [], changed: [{ id: 'ping.result', fields: ['text'], values: [{ field: 'text', before: 'Does ping answer?', after: 'Does ping get through?' }] }] },
      impact: [],
    });
  });

  it('a changed fact declaration, a removed question and the kb version are differences too', async () => {
    const before = acme({ questions: [{ fact: 'tcp.connect', text: 'Does a TCP connect succeed?' }] });
    const after = acme({ facts: { 'acme.depth': { type: 'integer', minimum: 0, maximum: 1000, description: { en: 'orders waiting', 'zh-CN': '等待的订单' } } } });
    writeFileSync(join(after, 'kb.yaml'), dump({ kb: { name: 'acme', version: '1.1.0' }, model: { otherCausePrior: 0.58 } }));
    const run = await runCli(['kb', 'diff', before, after, '--scenarios', noScenarios()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        '~ kb: version',
        '    version: "1.0.0" -> "1.1.0"',
        '~ fact acme.depth: description, maximum',
        '    description: "orders waiting" -> {"en":"orders waiting","zh-CN":"等待的订单"}',
        '    maximum: (none) -> 1000',
        '- question tcp.connect',
        '0 scenarios ranked differently',
        '',
      ].join('\n'),
    );
  });

  it('a named condition\'s edit is shown with the scenarios it re-ranks', async () => {
    const scenarios = noScenarios();
    writeFileSync(join(scenarios, 'lossy.yaml'), dump({ story: 'ping fails', source: 'test', facts: { 'ping.result': 'fail' }, expect: { top1: 'network.slow_path' } }));
    const run = await runCli(['kb', 'diff', acme(), acme({ value: 'partial_loss' }), '--scenarios', scenarios]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        '~ condition lossy: all',
        '    all[ping.result].value: "fail" -> "partial_loss"',
        `! ${relative(process.cwd(), join(scenarios, 'lossy.yaml'))}: top-3 network.slow_path, network.other_path -> network.other_path, network.slow_path (top-1 changed)`,
        '1 scenario ranked differently',
        '',
      ].join('\n'),
    );
  });
});
