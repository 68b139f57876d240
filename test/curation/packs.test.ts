import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KbError } from '../../src/core/errors.js';
import { loadKnowledgeBase, sealCommand, sealKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { cliReadOptions } from '../../src/cli/kb-option.js';
import { pack } from '../fixtures.js';
import { diagnoseFacts } from '../support.js';
import { diagnose } from '../../src/core/diagnose.js';
import { renderReport } from '../../src/core/render.js';
import { runCli } from '../cli/run.js';


const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok', 'http.status': 200 };
function problems(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(KbError);
    return (error as KbError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a KbError');
}

describe('rule packs layered with --kb', () => {
  it('adds rules and hypotheses, overrides and disables shipped rules by id, and records it', async () => {
    const company = pack({
      hypotheses: [
        {
          id: 'app.acme_proxy_quirk',
          category: 'app',
          title: 'ACME proxy drops ICMP',
          description: 'Our egress proxy filters ICMP',
          checks: [{ command: 'ping {{target.host}}', confirms: 'no reply', rulesOut: 'replies' }],
        },
      ],
      rules: [
        {
          id: 'network.icmp_fails_tcp_works',
          override: true,
          description: 'ACME: ICMP failing with TCP up is our proxy',
          conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }, { fact: 'tcp.connect', operator: 'equal', value: 'ok' }] },
          evidence: [{ hypothesis: 'app.acme_proxy_quirk', cf: 0.95 }],
        },
      ],
      disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP is always filtered at ACME' }],
    });
    const kb = loadKnowledgeBase([defaultKbDir, company]);
    expect(kb.meta.packs).toBe(2);
    expect(kb.meta.changes.map((c) => [c.kind, c.entry, c.id])).toEqual([
      ['override', 'rule', 'network.icmp_fails_tcp_works'],
      ['disable', 'rule', 'network.icmp_fails_http_answers'],
    ]);
    expect(kb.rules.some((r) => r.id === 'network.icmp_fails_http_answers')).toBe(false);
    const result = await diagnoseFacts(ICMP, {}, kb);
    expect(result.hypotheses[0]?.id).toBe('app.acme_proxy_quirk');
  });

  it('refuses a duplicate id without override, and an override or disable of nothing', () => {
    const duplicate = pack({ rules: [{ id: 'network.icmp_fails_http_answers', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.1 }] }] });
    // Read as the CLI reads it: paths in messages relative to the working directory it passes.
    expect(problems(() => loadKnowledgeBase([defaultKbDir, duplicate], cliReadOptions()))[0]).toMatch(/^\/rules\/0: duplicate rule "network.icmp_fails_http_answers" \(first defined in rules\/network\/icmp_filtered\.yaml at \/rules\/\d+; set override: true to replace it\)$/);
    const nothing = pack({ rules: [{ id: 'acme.new', override: true, description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.1 }] }], disable: [{ rule: 'acme.nope', reason: 'gone' }] });
    expect(problems(() => loadKnowledgeBase([defaultKbDir, nothing]))).toEqual([
      '/rules/0/override: rule "acme.new" overrides nothing: no earlier pack defines it',
      '/disable/0/rule: disables unknown rule "acme.nope"',
    ]);
  });
});

describe('sealed packs', () => {
  it('a pack is sealed over the packs it is layered on; a server (requireLock) loads it only once sealed', () => {
    const company = pack({ disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP is always filtered at ACME' }] });
    expect(loadKnowledgeBase([defaultKbDir, company]).meta.unsealed).toEqual([company]);
    expect(problems(() => loadKnowledgeBase([defaultKbDir, company], { requireLock: true }))).toEqual([
      `: expected a sealed knowledge base (kb.lock.json), got none: validate it and run \`rca kb seal ${company} --kb ${defaultKbDir}\``,
    ]);
    // Alone it does not validate (it disables a rule of the shipped KB), so it is sealed over it.
    expect(problems(() => sealKnowledgeBase(company))).toEqual(['/disable/0/rule: disables unknown rule "network.icmp_fails_http_answers"']);
    expect(sealKnowledgeBase(company, [defaultKbDir]).lock.counts).toEqual({ files: 1, hypotheses: 0, rules: 0, questions: 0, conditions: 0, disable: 1 });
    const kb = loadKnowledgeBase([defaultKbDir, company], { requireLock: true });
    expect(kb.meta.unsealed).toEqual([]);
    expect(kb.meta.changes.map((c) => `${c.kind} ${c.id}`)).toEqual(['disable network.icmp_fails_http_answers']);
  });

  it('lists a pack\'s model override among the changes kb validate shows: a prior of "no known cause" near 1 changes every diagnosis', () => {
    const skeptic = pack({ model: { override: true, otherCausePrior: 0.9999, temperature: 1 } });
    const kb = loadKnowledgeBase([defaultKbDir, skeptic]);
    expect(kb.meta.changes.map((c) => [c.kind, c.entry, c.id, c.previous])).toEqual([['override', 'model', 'otherCausePrior, temperature', `${defaultKbDir}/model.yaml at /model`]]);
  });
});

describe('a pack that names itself', () => {
  it('is listed after the knowledge base it sits on: in the diagnosis, every report and kb validate', async () => {
    const acme = pack({ kb: { name: 'acme-pack', version: '1.2.0' }, disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP always filtered here' }] });
    const kb = loadKnowledgeBase([defaultKbDir, acme]);
    expect(kb.meta.layers).toEqual([{ name: 'acme-pack', version: '1.2.0' }]);
    const result = await diagnose(kb, { 'ping.result': 'fail' });
    expect(result.kb).toMatchObject({ name: 'rca-core', packs: [{ name: 'acme-pack', version: '1.2.0' }] });
    expect(renderReport(result, 'text').split('\n')[0]).toBe('rca diagnosis  knowledge base rca-core 0.1.0 + acme-pack 1.2.0');
    expect(renderReport(result, 'markdown')).toContain('_knowledge base `rca-core` 0.1.0 + `acme-pack` 1.2.0, `sha256:');
    expect(renderReport(result, 'html')).toContain('knowledge base rca-core 0.1.0 + acme-pack 1.2.0 ·');
    const validated = await runCli(['kb', 'validate', '--kb', defaultKbDir, '--kb', acme]);
    expect(validated.stdout).toMatch(/^valid: rca-core 0\.1\.0 \+ acme-pack 1\.2\.0 \(sha256:/);
    // Near misses: a pack that names nothing adds nothing to the name; two kb sections in one pack are an error, as in the first.
    expect((await diagnose(loadKnowledgeBase([defaultKbDir, pack({ disable: [] })]), {})).kb).not.toHaveProperty('packs');
    writeFileSync(join(acme, 'again.yaml'), 'kb: {name: acme-again, version: 1.0.0}\n');
    expect(() => loadKnowledgeBase([defaultKbDir, acme])).toThrow(`${join(acme, 'pack.yaml')}:1:1 at /kb: second kb section (first in ${join(acme, 'again.yaml')})`);
  });
});

describe('sealCommand', () => {
  it('names the layers a pack is sealed over, each path one shell word that rca reads as a path', () => {
    expect(sealCommand('/work/acme pack', ['/work/rules', '/work/team'], '/work')).toBe("rca kb seal 'acme pack' --kb rules --kb team");
    expect(sealCommand('-pack', [], undefined)).toBe('rca kb seal ./-pack');
    expect(sealCommand('$(id)', [], undefined)).toBe("rca kb seal '$(id)'");
  });
});

describe('rule lifecycle', () => {
  const lifecycle = pack({
    kb: { name: 'lifecycle', version: '1.0.0' },
    hypotheses: [{ id: 'network.packet_loss', category: 'network', title: 't', description: 'd', checks: [] }],
    rules: [
      { id: 'old', status: 'deprecated', replacedBy: 'new', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.3 }] },
      { id: 'new', status: 'stable', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'partial_loss' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }] },
      { id: 'trial', status: 'experimental', description: 'x', conditions: { all: [{ fact: 'ping.loss_pct', operator: 'greaterThan', value: 5 }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }] },
    ],
  });

  it('--min-status filters what is loaded', () => {
    expect(loadKnowledgeBase([lifecycle]).rules.map((r) => r.id)).toEqual(['old', 'new', 'trial']);
    expect(loadKnowledgeBase([lifecycle], { minStatus: 'experimental' }).rules.map((r) => r.id)).toEqual(['new', 'trial']);
    const stable = loadKnowledgeBase([lifecycle], { minStatus: 'stable' });
    expect(stable.rules.map((r) => r.id)).toEqual(['new']);
    expect(stable.meta.changes.map((c) => `${c.kind} ${c.id}: ${c.reason}`)).toEqual(['filtered old: status deprecated below --min-status stable', 'filtered trial: status experimental below --min-status stable']);
  });

  it('a deprecated rule must name its replacement', () => {
    const bad = pack({
      hypotheses: [{ id: 'network.packet_loss', category: 'network', title: 't', description: 'd', checks: [] }],
      rules: [{ id: 'old', status: 'deprecated', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.3 }] }],
    });
    expect(problems(() => loadKnowledgeBase([bad]))).toEqual(['/rules/0/status: a deprecated rule names its replacement: add replacedBy']);
  });
});
