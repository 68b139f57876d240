import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { caseStats, type ResolvedDiagnosis } from '../../src/cases/stats.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { renderReport } from '../../src/core/render.js';
import type { Case } from '../../src/generated/case.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../cli/run.js';
import { expectOfSchema } from '../schema-output.js';
import { shippedKb } from '../support.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { embeddedDataDir, emptyDataDir } from '../store/stores.js';

const ranked = (...ids: Array<[string, number, string[]?]>) => ids.map(([id, confidence, rules = []]) => ({ id, confidence, evidence: rules.map((rule) => ({ rule })) }));
const resolved = (cause: string, confirmedAt: string, version: string, hypotheses: ReturnType<typeof ranked>): ResolvedDiagnosis =>
  ({ cause, confirmedAt, diagnosis: { kb: { name: 'kb', version, hash: `sha256:${version}` }, hypotheses } }) as unknown as ResolvedDiagnosis;

describe('statistics on resolved cases', () => {
  it('top-1 and top-3 by KB version and month, precision and recall per hypothesis, precision per rule, calibration', () => {
    const stats = caseStats([
      resolved('dns', '2026-10-02T00:00:00.000Z', '1.0.0', ranked(['dns', 0.9, ['r-dns']], ['tls', 0.2, ['r-tls']])),
      resolved('tls', '2026-10-20T00:00:00.000Z', '1.0.0', ranked(['dns', 0.7, ['r-dns']], ['tls', 0.5, ['r-tls']])),
      resolved('other', '2026-11-05T00:00:00.000Z', '1.1.0', ranked(['dns', 0.3, ['r-dns']])),
      resolved('tls', '2026-11-06T00:00:00.000Z', '1.1.0', []),
    ]);
    expect({ cases: stats.cases, top1: stats.top1, top3: stats.top3 }).toEqual({ cases: 4, top1: 0.25, top3: 0.5 });
    expect(stats.byKb).toEqual([
      { version: '1.0.0', hash: 'sha256:1.0.0', cases: 2, top1: 0.5, top3: 1 },
      { version: '1.1.0', hash: 'sha256:1.1.0', cases: 2, top1: 0, top3: 0 },
    ]);
    expect(stats.byMonth.map((m) => [m.month, m.cases, m.top1])).toEqual([
      ['2026-10', 2, 0.5],
      ['2026-11', 2, 0],
    ]);
    expect(stats.perHypothesis).toEqual([
      { hypothesis: 'dns', confirmed: 1, ledWith: 3, precision: 0.333, recall: 1 },
      { hypothesis: 'tls', confirmed: 2, ledWith: 0, precision: null, recall: 0 },
    ]);
    expect(stats.perRule).toEqual([
      { rule: 'r-dns', fired: 3, confirmed: 1, precision: 0.333 },
      { rule: 'r-tls', fired: 2, confirmed: 1, precision: 0.5 },
    ]);
    expect(stats.calibration.bins.map((b) => [b.to, b.count, b.accuracy])).toEqual([
      [0.2, 0, 0],
      [0.4, 1, 0],
      [0.6, 0, 0],
      [0.8, 1, 0],
      [1, 1, 1],
    ]);
  });
});

describe('rca cases on the embedded store', () => {
  const kb = loadKnowledgeBase([FIXTURE_KB]);
  let dataDir = '';

  it('list, show (with similar past incidents) and report; an unknown id is a usage error', async () => {
    dataDir = await embeddedDataDir();
    const { db } = await openStore({ dataDir });
    const service = new CaseService(db, parseArtifact);
    const past = (await service.create('default', { source: 'jira', externalId: 'OPS-1', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, artifacts: [] }, kb)).case;
    await service.resolve('default', past.id, { cause: 'network.icmp_filtered', note: 'firewall', confirmedBy: 'ana' }, kb);
    const open = (await service.create('default', { source: 'jira', externalId: 'OPS-2', summary: 'checkout: ping fails', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, artifacts: [] }, kb)).case;
    await service.create('globex', { source: 'jira', externalId: 'G-1', facts: {}, artifacts: [] }, kb);
    await db.close();

    const list = await runCli(['cases', 'list', '--data-dir', dataDir]);
    expect(list).toEqual({
      code: 0,
      stdout: `${open.id}  open      jira OPS-2  network.icmp_filtered  checkout: ping fails\n${past.id}  resolved  jira OPS-1  network.icmp_filtered\n`,
      stderr: '',
    });
    const resolvedOnly = JSON.parse((await runCli(['cases', 'list', '--data-dir', dataDir, '--status', 'resolved', '-f', 'json'])).stdout);
    expect(resolvedOnly.items.map((c: { externalId: string }) => c.externalId)).toEqual(['OPS-1']);
    // Each JSON output is what the API answers, of its schema: case-list, case (a resolved case, with its outcome), case-stats.
    expectOfSchema('case-list.schema.json', resolvedOnly, '/items/0');
    expectOfSchema('case.schema.json', JSON.parse((await runCli(['cases', 'show', past.id, '--data-dir', dataDir, '-f', 'json'])).stdout), '/outcome');
    expectOfSchema('case-stats.schema.json', JSON.parse((await runCli(['cases', 'report', '--data-dir', dataDir, '-f', 'json'])).stdout), '/calibration');
    const show = await runCli(['cases', 'show', open.id, '--data-dir', dataDir, '-f', 'markdown']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('#### Similar past incidents\n\n- jira `OPS-1`: `network.icmp_filtered`, similarity 100%: firewall\n');
    const report = JSON.parse((await runCli(['cases', 'report', '--data-dir', dataDir, '-f', 'json'])).stdout);
    expect({ cases: report.cases, top1: report.top1 }).toEqual({ cases: 1, top1: 1 });
    const text = await runCli(['cases', 'report', '--data-dir', dataDir]);
    expect(text.stdout.split('\n')[0]).toBe('resolved cases 1  top-1 100.0%  top-3 100.0%');
    const missing = await runCli(['cases', 'show', 'nope', '--data-dir', dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('rca: usage error: cases show: expected a case id of tenant default, got "nope" (no such case)');
    const other = JSON.parse((await runCli(['cases', 'list', '--data-dir', dataDir, '--tenant', 'globex', '-f', 'json'])).stdout);
    expect(other.items.map((c: { externalId: string }) => c.externalId)).toEqual(['G-1']);
  }, 60_000);

  it('cases report of a store without resolved cases says so: no share, no mean, no accuracy where there is no case', async () => {
    const dir = await embeddedDataDir();
    await (await openStore({ dataDir: dir })).db.close();
    const bins = ['(0, 0.2]', '(0.2, 0.4]', '(0.4, 0.6]', '(0.6, 0.8]', '(0.8, 1]'].map((bin) => `  ${bin}  0 cases  mean -  right -\n`).join('');
    expect(await runCli(['cases', 'report', '--data-dir', dir])).toEqual({
      code: 0,
      stdout: `resolved cases 0  top-1 -  top-3 -\nby knowledge base:\nby month confirmed:\nper hypothesis: confirmed, led, precision, recall\nper rule: fired, for the confirmed cause, precision\ncalibration of the top-1 confidence (Brier -):\n${bins}`,
      stderr: `rca: no resolved cases of tenant default in ${dir}\n`,
    });
  }, 60_000);

  it('cases delete removes a case of the tenant, as the API\'s DELETE does; another tenant\'s, an unknown or a missing id is a usage error', async () => {
    const dir = await embeddedDataDir();
    const { db } = await openStore({ dataDir: dir });
    const service = new CaseService(db, parseArtifact);
    const own = (await service.create('acme', { source: 'jira', externalId: 'OPS-9', facts: { 'ping.result': 'fail' }, artifacts: [] }, kb)).case;
    const kept = (await service.create('acme', { source: 'jira', externalId: 'OPS-10', facts: {}, artifacts: [] }, kb)).case;
    await db.close();
    const remove = (...args: string[]) => runCli(['cases', 'delete', ...args, '--data-dir', dir]);
    expect(await remove(own.id)).toEqual({ code: 2, stdout: '', stderr: `rca: usage error: cases delete: expected a case id of tenant default, got "${own.id}" (no such case)\nRun 'rca cases --help' for usage.\n` });
    expect(await remove(own.id, '--tenant', 'acme')).toEqual({ code: 0, stdout: '', stderr: `rca: deleted case ${own.id} of tenant acme\n` });
    expect((await remove(own.id, '--tenant', 'acme')).code).toBe(2);
    expect((await remove('--tenant', 'acme')).stderr.split('\n')[0]).toBe('rca: usage error: cases delete: expected a case id, got nothing');
    const left = JSON.parse((await runCli(['cases', 'list', '--tenant', 'acme', '--data-dir', dir, '-f', 'json'])).stdout);
    expect(left.items.map((c: { id: string }) => c.id)).toEqual([kept.id]);
  }, 60_000);
});

describe('rca cases, as a new user meets them (the README round trip stores tenant acme)', () => {
  const kb = loadKnowledgeBase([FIXTURE_KB]);
  let dataDir = '';
  let resolvedCase: Case;
  beforeAll(async () => {
    dataDir = await embeddedDataDir();
    const { db } = await openStore({ dataDir });
    const service = new CaseService(db, parseArtifact);
    resolvedCase = (await service.create('acme', { source: 'jira', externalId: 'OPS-1', summary: 'checkout unreachable', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, artifacts: [] }, kb)).case;
    await service.resolve('acme', resolvedCase.id, { cause: 'network.icmp_filtered', note: 'firewall', confirmedBy: 'ana' }, kb);
    await service.create('acme', { source: 'jira', externalId: 'OPS-2', facts: { 'ping.result': 'fail' }, artifacts: [] }, kb);
    await service.create('globex', { source: 'jira', externalId: 'G-1', facts: {}, artifacts: [] }, kb);
    await db.close();
  }, 60_000);

  it('cases show -f html and -f markdown write the report alone, so `> r.html` is the document; text keeps its header line', async () => {
    const show = (...args: string[]) => runCli(['cases', 'show', resolvedCase.id, '--tenant', 'acme', '--data-dir', dataDir, ...args]);
    const latest = JSON.parse((await show('-f', 'json')).stdout).diagnoses.at(-1).diagnosis;
    for (const format of ['html', 'markdown'] as const) expect(await show('-f', format)).toEqual({ code: 0, stdout: renderReport(latest, format), stderr: '' });
    expect((await show('-f', 'html')).stdout.startsWith('<!doctype html>\n')).toBe(true);
    expect(await show()).toEqual({ code: 0, stdout: `case ${resolvedCase.id}  resolved  jira OPS-1  confirmed: network.icmp_filtered\n\n${renderReport(latest, 'text')}`, stderr: '' });
    // Four runs over the store: 9 s when CI shared two cores with a dozen processes, past the default 20 s on a busier machine.
  }, 60_000);

  it('cases list of a tenant without cases says so on stderr in one line, naming the tenants that have some and --tenant', async () => {
    expect(await runCli(['cases', 'list', '--data-dir', dataDir])).toEqual({
      code: 0,
      stdout: '',
      stderr: `rca: no cases of tenant default in ${dataDir}; other tenants have some: acme (2), globex (1); choose one with --tenant NAME\n`,
    });
    expect(await runCli(['cases', 'list', '--data-dir', dataDir, '--tenant', 'globex', '--status', 'resolved', '-f', 'json'])).toEqual({
      code: 0,
      stdout: `${JSON.stringify({ items: [], next: null }, null, 2)}\n`,
      stderr: `rca: no resolved cases of tenant globex in ${dataDir}; other tenants have some: acme (1); choose it with --tenant acme\n`,
    });
    const fresh = await embeddedDataDir();
    await (await openStore({ dataDir: fresh })).db.close();
    expect(await runCli(['cases', 'list', '--data-dir', fresh])).toEqual({ code: 0, stdout: '', stderr: `rca: no cases of tenant default in ${fresh}\n` });
  }, 60_000);

  it('cases report of a tenant without resolved cases says so on stderr as an empty list does, naming the tenants that have some', async () => {
    const report = await runCli(['cases', 'report', '--data-dir', dataDir, '-f', 'json']);
    expect([report.code, JSON.parse(report.stdout).cases, report.stderr]).toEqual([0, 0, `rca: no resolved cases of tenant default in ${dataDir}; other tenants have some: acme (1); choose it with --tenant acme\n`]);
    const own = await runCli(['cases', 'report', '--data-dir', dataDir, '--tenant', 'acme']);
    expect([own.code, own.stdout.split('\n')[0], own.stderr]).toEqual([0, 'resolved cases 1  top-1 100.0%  top-3 100.0%', '']);
  }, 60_000);

  it('cases list, show and report make no case database where there is none yet: exit 4 saying so, and nothing written, not even the directory', async () => {
    const empty = emptyDataDir();
    const missing = join(empty, 'rca');
    for (const dir of [missing, empty]) {
      for (const read of [['cases', 'list'], ['cases', 'show', '00000000-0000-4000-8000-000000000000'], ['cases', 'report', '-f', 'json']]) {
        expect(await runCli([...read, '--data-dir', dir]), `${read.join(' ')} ${dir}`).toEqual({
          code: 4,
          stdout: '',
          stderr: `rca: error: --data-dir ${dir}: expected a case database, got none there yet (rca serve makes one at start, rca db migrate an empty one)\n`,
        });
      }
    }
    expect([existsSync(missing), readdirSync(empty)]).toEqual([false, []]);
  });

  it("nor where the database's directory is there but empty (its first start stopped before it was made): PGlite would make one there", async () => {
    const dir = emptyDataDir();
    mkdirSync(join(dir, 'pgdata'));
    expect(await runCli(['cases', 'list', '--data-dir', dir])).toEqual({
      code: 4,
      stdout: '',
      stderr: `rca: error: --data-dir ${dir}: expected a case database, got none there yet (rca serve makes one at start, rca db migrate an empty one)\n`,
    });
    expect(readdirSync(join(dir, 'pgdata'))).toEqual([]);
  });

  it('--tenant that no tokens file can name (empty, a space) is a usage error before the store is opened: it listed no case, exit 0', async () => {
    const usage = (tenant: string, command: string) => ({
      code: 2,
      stdout: '',
      // An empty word is refused as every string option refuses it (refuseEmptyValues in main.ts).
      stderr: `rca: usage error: --tenant: ${tenant === '' ? 'expected a value, got an empty one ("")' : `expected a tenant's name, 1 to 64 letters, digits, '.', '_' or '-' (as the tokens file gives it), got ${JSON.stringify(tenant)}`}\nRun 'rca ${command} --help' for usage.\n`,
    });
    const store = await embeddedDataDir();
    await (await openStore({ dataDir: store })).db.close();
    for (const tenant of ['', 'acme ', 'a/b']) {
      expect(await runCli(['cases', 'list', '--tenant', tenant, '--data-dir', store]), tenant).toEqual(usage(tenant, 'cases'));
      expect(await runCli(['interview', '--case', 'x', '--tenant', tenant, '--data-dir', store]), tenant).toEqual(usage(tenant, 'interview'));
    }
  });

  it('cases delete and db forget-deleted make none either: a mistyped --data-dir got a new database and "no such case"', async () => {
    const dir = emptyDataDir();
    for (const change of [['cases', 'delete', '00000000-0000-4000-8000-000000000000'], ['db', 'forget-deleted']]) {
      expect(await runCli([...change, '--data-dir', dir]), change.join(' ')).toEqual({
        code: 4,
        stdout: '',
        stderr: `rca: error: --data-dir ${dir}: expected a case database, got none there yet (rca serve makes one at start, rca db migrate an empty one)\n`,
      });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('cases report counts in the singular for one case', async () => {
    const stats = JSON.parse((await runCli(['cases', 'report', '--tenant', 'acme', '--data-dir', dataDir, '-f', 'json'])).stdout);
    const run = await runCli(['cases', 'report', '--tenant', 'acme', '--data-dir', dataDir]);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'resolved cases 1  top-1 100.0%  top-3 100.0%',
      'by knowledge base:',
      `  1.0.0 ${stats.byKb[0].hash.slice(0, 19)}  1 case  top-1 100.0%  top-3 100.0%`,
      'by month confirmed:',
      `  ${stats.byMonth[0].month}  1 case  top-1 100.0%  top-3 100.0%`,
    ]);
    expect(lines.filter((line) => line.startsWith('  (')).map((line) => line.slice(0, line.indexOf('  mean')))).toEqual(['  (0, 0.2]  0 cases', '  (0.2, 0.4]  0 cases', '  (0.4, 0.6]  0 cases', '  (0.6, 0.8]  1 case', '  (0.8, 1]  0 cases']);
    expect(run.stdout).not.toMatch(/\b1 cases\b/);
  });

  it('a data directory another process holds (rca serve, say) is exit 4, saying to use its API or stop it', async () => {
    const held = await embeddedDataDir();
    // A live process other than this one: pid 1 (a lock of a process that is gone would be taken over).
    writeFileSync(`${held}/rca.lock`, '1');
    expect(await runCli(['cases', 'list', '--data-dir', held])).toEqual({
      code: 4,
      stdout: '',
      stderr: `rca: error: --data-dir ${held}: expected a data directory no other process uses, got one locked by process 1 (${held}/rca.lock); while it runs (rca serve, say), reach the cases through its API (/v1/cases) or stop it first; for several processes at once keep the cases in PostgreSQL (--database-url)\n`,
    });
  });
});

describe('rca interview --case', () => {
  it("starts from the case's facts, saves the answers into it and diagnoses it again", async () => {
    const kb = loadKnowledgeBase([FIXTURE_KB]);
    const dataDir = await embeddedDataDir();
    const { db } = await openStore({ dataDir });
    const ticket = (await new CaseService(db, parseArtifact).create('default', { source: 'jira', externalId: 'IV-1', facts: { 'tcp.connect': 'ok' }, artifacts: [] }, kb)).case;
    await db.close();
    const run = await runCli(['interview', '--kb', FIXTURE_KB, '--case', ticket.id, '--data-dir', dataDir, '-f', 'json'], { input: 'fail\ndone\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Q1 [ping.result]');
    expect(run.stderr).not.toContain('[tcp.connect]');
    expect(run.stderr.endsWith(`rca: the answers are in case ${ticket.id}, diagnosed again (revision 2)\n`)).toBe(true);
    const shown = JSON.parse((await runCli(['cases', 'show', ticket.id, '--data-dir', dataDir, '-f', 'json'])).stdout);
    expect({ revision: shown.revision, facts: shown.facts }).toEqual({ revision: 2, facts: { 'tcp.connect': 'ok', 'ping.result': 'fail' } });
    expect(shown.diagnoses[1].diagnosis.hypotheses[0].id).toBe('network.icmp_filtered');
    const both = await runCli(['interview', '--kb', FIXTURE_KB, '--case', ticket.id, '--facts', 'x.json', '--data-dir', dataDir]);
    expect({ code: both.code, first: both.stderr.split('\n')[0] }).toEqual({ code: 2, first: 'rca: usage error: --case: expected either --case or --facts, got both' });
    const missing = await runCli(['interview', '--kb', FIXTURE_KB, '--case', 'nope', '--data-dir', dataDir], { input: 'done\n' });
    expect({ code: missing.code, first: missing.stderr.split('\n')[0] }).toEqual({ code: 2, first: 'rca: usage error: --case: expected a case id of tenant "default", got "nope" (no such case)' });
    // A --data-dir with no case database (a typo) is said so; nothing is made there to say it.
    const typo = join(emptyDataDir(), 'typo');
    const noStore = await runCli(['interview', '--kb', FIXTURE_KB, '--case', ticket.id, '--data-dir', typo], { input: 'done\n' });
    expect(noStore).toEqual({ code: 4, stdout: '', stderr: `rca: error: --data-dir ${typo}: expected a case database, got none there yet (rca serve makes one at start, rca db migrate an empty one)\n` });
    expect(existsSync(typo)).toBe(false);
  }, 60_000);

  it('keeps in the case the answers given before a line that ends the run, as --save keeps them', async () => {
    const kb = loadKnowledgeBase([FIXTURE_KB]);
    const dataDir = await embeddedDataDir();
    const { db } = await openStore({ dataDir });
    const ticket = (await new CaseService(db, parseArtifact).create('default', { source: 'jira', externalId: 'IV-3', facts: {}, artifacts: [] }, kb)).case;
    await db.close();
    const run = await runCli(['interview', '--kb', FIXTURE_KB, '--case', ticket.id, '--data-dir', dataDir], { input: 'ok\nzzz\n' });
    expect([run.code, run.stderr.split('\n').slice(-3)]).toEqual([
      2,
      [`rca: the answers are in case ${ticket.id}, diagnosed again (revision 2)`, 'rca: input error: stdin line 2 (answer to Q2): http.status: expected a whole number >= 100 and <= 599, got "zzz"', ''],
    ]);
    const shown = JSON.parse((await runCli(['cases', 'show', ticket.id, '--data-dir', dataDir, '-f', 'json'])).stdout) as Case;
    expect({ revision: shown.revision, facts: shown.facts }).toEqual({ revision: 2, facts: { 'ping.result': 'ok' } });
  }, 60_000);

  it("saves into the case what the interview learned, not what the case's diagnosis implied or read from its artifacts", async () => {
    const kb = shippedKb();
    const dataDir = await embeddedDataDir();
    const { db } = await openStore({ dataDir });
    const ping = '10 packets transmitted, 7 received, 30% packet loss, time 9000ms\nrtt min/avg/max/mdev = 0.040/0.047/0.055/0.005 ms\n';
    const service = new CaseService(db, parseArtifact);
    const ticket = (await service.create('default', { source: 'jira', externalId: 'IV-2', facts: { 'http.status': 503, 'http.error_source': 'lb' }, artifacts: [{ kind: 'ping', text: ping }] }, kb)).case;
    await db.close();
    const first = ticket.diagnoses[0]?.diagnosis;
    // The diagnosis's facts hold path.via_lb, which an error page the LB wrote implies, and the ping's facts.
    expect(first?.facts).toMatchObject({ 'path.via_lb': true, 'ping.loss_pct': 30 });
    const run = await runCli(['interview', '--case', ticket.id, '--data-dir', dataDir], { input: 'done\n' });
    expect(run.code).toBe(0);
    // Nothing answered: no new revision, and it says so (it said "diagnosed again (revision 1)").
    expect(run.stderr.endsWith(`rca: case ${ticket.id} is as it was: no answer to add (revision 1)\n`)).toBe(true);
    const shown = JSON.parse((await runCli(['cases', 'show', ticket.id, '--data-dir', dataDir, '-f', 'json'])).stdout) as Case;
    // path.via_lb saved as a fact of its own counted twice, and the ping's facts outranked any later ping.
    expect(shown.facts).toEqual({ 'http.status': 503, 'http.error_source': 'lb' });
    expect(shown.diagnoses.at(-1)?.diagnosis.hypotheses.slice(0, 3)).toEqual(first?.hypotheses.slice(0, 3));
  }, 60_000);
});

describe('rca cases in the help', () => {
  it('rca --help and rca cases --help name every action of rca cases, delete included', async () => {
    const collapsed = async (args: string[]) => (await runCli(args)).stdout.replace(/\s+/g, ' ');
    const summary = 'The cases rca serve keeps: list, show ID (with similar past incidents), report (accuracy on resolved cases), delete ID';
    expect(await collapsed(['--help'])).toContain(`rca cases <action> [id] ${summary}`);
    expect(await collapsed(['cases', '--help'])).toContain(`${summary} Positionals: action list the cases, show one`);
  });
});
