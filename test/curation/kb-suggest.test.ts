import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { cfTarget } from '../../src/kbtools/suggest.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../cli/run.js';
import { printsAsSchema } from '../schema-output.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { embeddedDataDir } from '../store/stores.js';

/**
 * Two causes that share a symptom. `ping_fails` says packet loss at 0.7, but on the corpus ping
 * fails because ICMP is filtered; `tcp_ok` says ICMP filtering at 0.6 (and a little against loss), so
 * loss leads there. `slow_seen` is already right (0.85 at precision 1: the step, 0.025, is under
 * 0.05); `partial_loss` fired on only 2 cases.
 */
const SUGGEST_KB = `kb: {name: suggest-fixture, version: 1.0.0}
hypotheses:
  - id: network.icmp_filtered
    category: network
    title: {en: ICMP is filtered}
    description: ping fails, TCP works
    checks: [{command: 'nc -vz {{target.host}} {{target.port}}', confirms: connect ok, rulesOut: connect fails}]
  - id: network.packet_loss
    category: network
    title: {en: Packets are lost}
    description: loss on the path
    checks: [{command: 'mtr -rwc 50 {{target.host}}', confirms: loss, rulesOut: no loss}]
rules:
  - id: ping_fails
    description: ping gets no reply
    conditions: {all: [{fact: ping.result, operator: equal, value: fail}]}
    evidence: [{hypothesis: network.packet_loss, cf: 0.7}]
  - id: tcp_ok
    description: TCP connects
    conditions: {all: [{fact: tcp.connect, operator: equal, value: ok}]}
    evidence: [{hypothesis: network.icmp_filtered, cf: 0.6}, {hypothesis: network.packet_loss, cf: -0.1}]
  - id: slow_seen
    description: clients see slowness
    conditions: {all: [{fact: symptom.kind, operator: equal, value: slow}]}
    evidence: [{hypothesis: network.packet_loss, cf: 0.85}]
  - id: partial_loss
    description: ping loses some packets
    conditions: {all: [{fact: ping.result, operator: equal, value: partial_loss}]}
    evidence: [{hypothesis: network.packet_loss, cf: 0.4}]
`;

function fixture(): { kb: string; corpus: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'rca-suggest-'));
  const kb = join(root, 'kb');
  const corpus = join(root, 'corpus');
  mkdirSync(kb);
  mkdirSync(corpus);
  writeFileSync(join(kb, 'kb.yaml'), SUGGEST_KB);
  const incident = (id: string, cause: string[] | 'none', intake: Record<string, unknown>, findings: Array<{ fact: string; value: unknown }>) =>
    writeFileSync(join(corpus, `${id}.yaml`), JSON.stringify({ id, source: `https://example.org/${id}`, lang: 'en', title: id, cause, level: 'top1', intake, findings: findings.map((f) => ({ ...f, note: 'found' })) }));
  for (let i = 1; i <= 6; i++) incident(`icmp-${i}`, ['network.icmp_filtered'], { 'symptom.kind': 'errors' }, [{ fact: 'ping.result', value: 'fail' }, { fact: 'tcp.connect', value: 'ok' }]);
  for (let i = 1; i <= 5; i++) incident(`loss-${i}`, ['network.packet_loss'], { 'symptom.kind': 'slow' }, i <= 2 ? [{ fact: 'ping.result', value: 'partial_loss' }] : []);
  // Says nothing about any rule: skipped.
  incident('nothing', 'none', { 'symptom.kind': 'errors' }, [{ fact: 'ping.result', value: 'fail' }]);
  return { kb, corpus, root };
}

describe('rca kb suggest', () => {
  it('maps precision to the cf anchors, keeping the sign', () => {
    expect([0.95, 0.9, 0.6, 0.3, 0.29].map((p) => cfTarget(0.5, p))).toEqual([0.9, 0.9, 0.6, 0.3, 0.1]);
    expect([1, 0.95, 0.8, 0.5].map((p) => cfTarget(-0.5, p))).toEqual([-0.8, -0.8, -0.4, -0.1]);
  });

  it('proposes exact cf changes as an override pack, and the pack moves the eval figures the expected way', async () => {
    const { kb, corpus, root } = fixture();
    const out = join(root, 'pack');
    const run = await runCli(['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', out, '--evidence', 'all']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 5)).toEqual([
      'rule hypothesis                 fired  precision     cf  proposed',
      'ping_fails network.packet_loss      6       0.0%   0.70      0.40',
      'tcp_ok network.icmp_filtered        6     100.0%   0.60      0.75',
      'tcp_ok network.packet_loss          6     100.0%  -0.10     -0.45',
      `3 cf changes proposed from 11 resolved cases: wrote ${join(out, 'suggested.yaml')} (not applied; try it with --kb ${kb} --kb ${out})`,
    ]);
    // Before: loss (0.7 with -0.1: 0.67) outranks ICMP filtering (0.6) on every ICMP incident; after, ICMP leads.
    expect(run.stdout).toContain(`rca kb eval without the pack:\n${corpus}: 12 incidents (11 with a known cause), diagnosed from intake and findings\n  top-1 45.5%  top-3 100.0%`);
    expect(run.stdout).toContain(`rca kb eval with the pack:\n${corpus}: 12 incidents (11 with a known cause), diagnosed from intake and findings\n  top-1 100.0% (+54.5)  top-3 100.0% (+0.0)`);

    expect(readdirSync(out)).toEqual(['suggested.yaml']);
    const pack = readFileSync(join(out, 'suggested.yaml'), 'utf8');
    expect(pack).toContain('  # network.packet_loss: precision 0 on 6 cases, cf 0.7 -> 0.4\n  - id: ping_fails\n');
    expect(pack).toContain('  # network.icmp_filtered: precision 1 on 6 cases, cf 0.6 -> 0.75\n  # network.packet_loss: precision 1 on 6 cases, cf -0.1 -> -0.45\n  - id: tcp_ok\n');
    const layered = loadKnowledgeBase([kb, out]);
    expect(layered.meta.changes.map((c) => [c.kind, c.id])).toEqual([
      ['override', 'ping_fails'],
      ['override', 'tcp_ok'],
    ]);
    expect(layered.rules.map((r) => [r.id, r.rule.evidence.map((e) => e.cf)])).toEqual(
      expect.arrayContaining([
        ['ping_fails', [0.4]],
        ['tcp_ok', [0.75, -0.45]],
        ['slow_seen', [0.85]],
        ['partial_loss', [0.4]],
      ]),
    );
  });

  it('prints -f json as kb-suggest.schema.json describes it: the pack with the eval figures before and after it, or nothing proposed', async () => {
    const { kb, corpus, root } = fixture();
    const out = join(root, 'pack');
    const printed = await printsAsSchema('kb-suggest.schema.json', ['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', out, '--evidence', 'all', '-f', 'json'], 0, '/eval/after/0/report');
    expect([printed.cases, (printed.proposals as unknown[]).length, printed.pack]).toEqual([11, 3, join(out, 'suggested.yaml')]);
    const none = await printsAsSchema('kb-suggest.schema.json', ['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', join(root, 'none'), '--min-fired', '7', '-f', 'json']);
    expect(none).toEqual({ cases: 11, proposals: [], pack: null });
  });

  it('asks for fewer firings with --min-fired, and proposes nothing when no rule fired often enough', async () => {
    const { kb, corpus, root } = fixture();
    const low = await runCli(['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', join(root, 'low'), '--min-fired', '2', '-f', 'json']);
    expect(low.code).toBe(0);
    const proposals = (JSON.parse(low.stdout) as { proposals: Array<{ rule: string; proposed: number }> }).proposals;
    expect(proposals.map((p) => [p.rule, p.proposed])).toEqual([
      ['partial_loss', 0.65],
      ['ping_fails', 0.4],
      ['tcp_ok', 0.75],
      ['tcp_ok', -0.45],
    ]);
    const none = await runCli(['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', join(root, 'none'), '--min-fired', '7']);
    expect(none).toEqual({ code: 0, stdout: 'no cf changes proposed from 11 resolved cases\n', stderr: '' });
  });

  it('refuses an existing non-empty --out, a missing --out and a bad --min-fired as usage errors', async () => {
    const { kb, corpus, root } = fixture();
    const run = await runCli(['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', corpus]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out: expected a new or empty directory, got ${corpus} (not empty)`);
    expect(run.stdout).toBe('');
    const missing = await runCli(['kb', 'suggest', '--kb', kb, '--corpus', corpus]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('kb suggest: expected --out DIR for the rule pack, got nothing');
    const bad = await runCli(['kb', 'suggest', '--kb', kb, '--corpus', corpus, '--out', join(root, 'x'), '--min-fired', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-fired: expected a whole number >= 1, got 0');
  });

  it('refuses an --out inside a knowledge-base directory in use, --kb, RCA_KB or the shipped rules/, before writing anything (exit 2)', async () => {
    const { kb, corpus, root } = fixture();
    const usage = (got: string, dir: string) => `rca: usage error: --out: expected a directory outside the knowledge base, got ${got} (in the knowledge-base directory ${dir})\nRun 'rca kb --help' for usage.\n`;
    // Written there, the pack was loaded twice under --kb (duplicate rules), and in the shipped rules/ it broke the lock for every command.
    const underKb = await runCli(['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', join(kb, 'pack')]);
    expect(underKb).toEqual({ code: 2, stdout: '', stderr: usage(join(kb, 'pack'), kb) });
    const underEnv = await runCli(['kb', 'suggest', corpus, '--corpus', corpus, '--out', join(kb, 'a', 'b')], { env: { RCA_KB: `${FIXTURE_KB}:${kb}` } });
    expect(underEnv).toEqual({ code: 2, stdout: '', stderr: usage(join(kb, 'a', 'b'), kb) });
    const link = join(root, 'link');
    symlinkSync(kb, link);
    const throughLink = await runCli(['kb', 'suggest', corpus, '--kb', kb, '--corpus', corpus, '--out', join(link, 'pack')]);
    expect(throughLink).toEqual({ code: 2, stdout: '', stderr: usage(join(link, 'pack'), kb) });
    const shipped = await runCli(['kb', 'suggest', corpus, '--corpus', corpus, '--out', join(defaultKbDir, 'suggested')]);
    expect(shipped).toEqual({ code: 2, stdout: '', stderr: usage(join(defaultKbDir, 'suggested'), relative(process.cwd(), defaultKbDir)) });
    expect(existsSync(join(defaultKbDir, 'suggested'))).toBe(false);
    expect(readdirSync(kb)).toEqual(['kb.yaml']);
  });

  it("learns from the embedded store's resolved cases of the tenant, and a step of exactly 0.05 counts", async () => {
    const { corpus, root } = fixture();
    const dataDir = await embeddedDataDir();
    const kb = loadKnowledgeBase([FIXTURE_KB]);
    const { db } = await openStore({ dataDir });
    const service = new CaseService(db, parseArtifact);
    for (let i = 1; i <= 5; i++) {
      const ticket = (await service.create('default', { source: 'jira', externalId: `OPS-${i}`, facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, artifacts: [] }, kb)).case;
      await service.resolve('default', ticket.id, { cause: 'network.icmp_filtered', note: 'firewall', confirmedBy: 'ana' }, kb);
    }
    // Another tenant's cases are not this tenant's evidence.
    const other = (await service.create('globex', { source: 'jira', externalId: 'G-1', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, artifacts: [] }, kb)).case;
    await service.resolve('globex', other.id, { cause: 'network.packet_loss', note: 'loss', confirmedBy: 'bo' }, kb);
    await db.close();
    const run = await runCli(['kb', 'suggest', corpus, '--kb', FIXTURE_KB, '--data-dir', dataDir, '--out', join(root, 'from-store'), '-f', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { cases: number; proposals: unknown[] };
    // icmp_only: ICMP filtering at 0.8, precision 1: half way to 0.9. Against loss at -0.8, precision 1: already at its anchor.
    expect({ cases: report.cases, proposals: report.proposals }).toEqual({
      cases: 5,
      proposals: [{ rule: 'icmp_only', hypothesis: 'network.icmp_filtered', fired: 5, precision: 1, cf: 0.8, proposed: 0.85 }],
    });
  }, 60_000);

  it('reads the store without making one: a data directory with no case database is exit 4 naming it, and nothing is made there', async () => {
    const { corpus, root } = fixture();
    const dataDir = join(root, 'no-store-yet');
    const run = await runCli(['kb', 'suggest', corpus, '--kb', FIXTURE_KB, '--data-dir', dataDir, '--out', join(root, 'from-nothing')]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`--data-dir ${dataDir}: expected a case database, got none there yet`);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});
