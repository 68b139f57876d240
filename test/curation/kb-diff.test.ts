import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { runCli } from '../cli/run.js';
import { hypothesis, pack } from '../fixtures.js';
import { printsAsSchema } from '../schema-output.js';

/** A knowledge-base directory of the given files (name -> YAML content). */
/** Runs `rca kb diff` and expects findings (exit 1), nothing on stderr, and exactly these lines. */
async function expectDiff(args: string[], lines: string[]): Promise<void> {
  const run = await runCli(args);
  expect([run.code, run.stderr, run.stdout]).toEqual([1, '', lines.join('\n')]);
}

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

/** A shipped check as its file writes it. */
interface Check {
  command: string;
  where: string;
  confirms: Record<string, string>;
  rulesOut: Record<string, string>;
}

const newScenarioDir = () => mkdtempSync(join(tmpdir(), 'rca-scen-'));

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
    await expectDiff(['kb', 'diff', before, after], [
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
    ]);
    const asJson = JSON.parse((await runCli(['kb', 'diff', before, after, '-f', 'json'])).stdout);
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
    const run = await runCli(['kb', 'diff', before, after]);
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
    const scenarios = newScenarioDir();
    writeFileSync(join(scenarios, 'lossy.yaml'), dump({ story: 'ping fails', source: 'test', facts: { 'ping.result': 'fail' }, expect: { top1: 'network.slow_path' } }));
    await expectDiff(['kb', 'diff', acme(), acme({ value: 'partial_loss' }), '--scenarios', scenarios], [
        '~ condition lossy: all',
        '    all[ping.result].value: "fail" -> "partial_loss"',
        `! ${join(scenarios, 'lossy.yaml')}: top-3 network.slow_path, network.other_path -> network.other_path, network.slow_path (top-1 changed)`,
        '1 scenario ranked differently',
        '',
    ]);
  });

  it('prints -f json as kb-diff.schema.json describes it: the kb, the model, each section, a value added (no before), the scenarios re-ranked', async () => {
    const scenarios = newScenarioDir();
    writeFileSync(join(scenarios, 'lossy.yaml'), dump({ story: 'ping fails', source: 'test', facts: { 'ping.result': 'fail' }, expect: { top1: 'network.slow_path' } }));
    const after = acme({ value: 'partial_loss', facts: { 'acme.depth': { type: 'integer', minimum: 0, maximum: 1000, description: 'orders waiting' } } });
    writeFileSync(join(after, 'kb.yaml'), dump({ kb: { name: 'acme', version: '1.1.0' }, model: { otherCausePrior: 0.9 } }));
    const printed = await printsAsSchema('kb-diff.schema.json', ['kb', 'diff', acme(), after, '--scenarios', scenarios, '-f', 'json'], 1, '/conditions/changed/0/values/0');
    expect([printed.kb, printed.facts, (printed.impact as unknown[]).length]).toEqual([
      { fields: ['version'], values: [{ field: 'version', before: '1.0.0', after: '1.1.0' }] },
      { added: [], removed: [], changed: [{ id: 'acme.depth', fields: ['maximum'], values: [{ field: 'maximum', after: 1000 }] }] },
      1,
    ]);
  });

  it('compares a pack with the rules it sits on: each side is a layered KB, directories separated by ":"', async () => {
    const shipped = loadKnowledgeBase([defaultKbDir]).rules.find((r) => r.id === 'network.icmp_fails_tcp_works')?.rule;
    const acmePack = pack({
      facts: { 'acme.depth': { type: 'integer', minimum: 0, description: 'orders waiting' } },
      // Replaces the shipped rule with its cf for network.icmp_filtered raised.
      rules: [{ ...shipped, override: true, evidence: shipped?.evidence.map((e) => (e.hypothesis === 'network.icmp_filtered' ? { ...e, cf: 0.9 } : e)) }],
      disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP is always filtered at ACME' }],
    });
    // The override is compared with the entry it replaces: its `override: true` says how it was layered, not what changed.
    await expectDiff(['kb', 'diff', defaultKbDir, `${defaultKbDir}:${acmePack}`, '--no-shipped-scenarios'], [
        '+ fact acme.depth',
        '- rule network.icmp_fails_http_answers',
        '~ rule network.icmp_fails_tcp_works: evidence',
        '    evidence[network.icmp_filtered].cf: 0.8 -> 0.9',
        '0 scenarios ranked differently',
        '',
    ]);
    const same = await runCli(['kb', 'diff', `${defaultKbDir}:${acmePack}`, `${defaultKbDir}:${acmePack}`, '--no-shipped-scenarios']);
    expect(same.stdout).toBe('no differences\n');
    expect(same.code).toBe(0);
  });

  it('descends into lists: a check an extension adds, and the checks and references an override changes, item by item', async () => {
    // Whole, each list was cut to one line, and the old and new read the same.
    const check = { command: 'dig +trace {{target.host}}', where: 'client', confirms: { en: 'a', 'zh-CN': '甲' }, rulesOut: { en: 'b', 'zh-CN': '乙' } };
    const extension = pack({ extend: [{ hypothesis: 'dns.resolution_failure', reason: 'one more check', checks: [check] }] });
    await expectDiff(['kb', 'diff', defaultKbDir, `${defaultKbDir}:${extension}`, '--no-shipped-scenarios'], [
      '~ hypothesis dns.resolution_failure: checks',
      '    checks[4].command: (none) -> "dig +trace {{target.host}}"',
      '    checks[4].where: (none) -> "client"',
      '    checks[4].confirms.en: (none) -> "a"',
      '    checks[4].confirms.zh-CN: (none) -> "甲"',
      '    checks[4].rulesOut.en: (none) -> "b"',
      '    checks[4].rulesOut.zh-CN: (none) -> "乙"',
      '0 scenarios ranked differently',
      '',
    ]);
    const shipped = (load(readFileSync(join(defaultKbDir, 'dns', 'resolution_failure.yaml'), 'utf8')) as { hypotheses: Array<{ checks: Check[]; references: unknown[]; likelihoods: Record<string, Record<string, number>> }> }).hypotheses[0];
    const references = shipped?.references.length ?? 0;
    const last = shipped?.checks[3] as Check;
    const { 'dns.result': result, ...likelihoods } = shipped?.likelihoods ?? {};
    const override = pack({ hypotheses: [{ ...shipped, override: true, checks: shipped?.checks.slice(1), references: [...(shipped?.references ?? []), { title: 'ACME runbook', url: 'https://acme.example/dns' }], likelihoods: { ...likelihoods, 'dns.result': { ...result, nxdomain: 0.4, servfail: 0.4 } } }] });
    const run = await runCli(['kb', 'diff', defaultKbDir, `${defaultKbDir}:${override}`, '--no-shipped-scenarios']);
    // The three checks left move up one place: by index, each reads as changed; their lines are left out.
    expect(run.stdout.split('\n').filter((line) => !/^ {4}checks\[[0-2]\]/.test(line))).toEqual([
      '~ hypothesis dns.resolution_failure: checks, likelihoods, references',
      // The last place, left empty: its check's values, removed.
      ...[['command', last.command], ['where', last.where], ['confirms.en', last.confirms.en], ['confirms.zh-CN', last.confirms['zh-CN']], ['rulesOut.en', last.rulesOut.en], ['rulesOut.zh-CN', last.rulesOut['zh-CN']]].map(([key, value]) => `    checks[3].${key}: ${JSON.stringify(value)} -> (none)`),
      '    likelihoods["dns.result"].nxdomain: 0.45 -> 0.4',
      '    likelihoods["dns.result"].servfail: 0.35 -> 0.4',
      `    references[${references}].title: (none) -> "ACME runbook"`,
      `    references[${references}].url: (none) -> "https://acme.example/dns"`,
      '0 scenarios ranked differently',
      '',
    ]);
  });

  it('refuses --kb, showing the colon form, and an empty side (usage errors, exit 2)', async () => {
    const withKb = await runCli(['kb', 'diff', defaultKbDir, pack({}), '--kb', defaultKbDir]);
    expect(withKb.code).toBe(2);
    expect(withKb.stderr.split('\n')[0]).toBe(`rca: usage error: kb diff: expected each side's directories in OLD and NEW, separated by ":" (rca kb diff rules rules:packs/acme), got --kb ${defaultKbDir}`);
    const empty = await runCli(['kb', 'diff', defaultKbDir, ':']);
    expect(empty.code).toBe(2);
    expect(empty.stderr.split('\n')[0]).toBe('rca: usage error: kb diff NEW: expected a knowledge-base directory, or several separated by ":", got ":"');
    const missing = join(tmpdir(), 'rca-no-such-pack');
    const layered = await runCli(['kb', 'diff', defaultKbDir, `${defaultKbDir}:${missing}`]);
    expect(layered.code).toBe(2);
    expect(layered.stderr.split('\n')[0]).toBe(`rca: usage error: kb diff NEW: expected a knowledge-base directory, got ${missing} (not found)`);
  });

  it('kb --help says how to write a layered side', async () => {
    const help = await runCli(['kb', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('diff: the OLD and NEW knowledge bases, each a directory or directories layered as RCA_KB, separated by ":" (rules rules:packs/acme compares a pack with what it sits on; diff takes no --kb)');
  });

  it('applies --min-status to both sides', async () => {
    const experimental = (status: string) => pack({ rules: [{ id: 'network.acme_lossy', status, description: 'ACME: ping fails', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }] }] });
    const run = await runCli(['kb', 'diff', `${defaultKbDir}:${experimental('experimental')}`, `${defaultKbDir}:${experimental('stable')}`, '--min-status', 'stable', '--no-shipped-scenarios']);
    expect(run.stdout).toBe('+ rule network.acme_lossy\n0 scenarios ranked differently\n');
  });
});
