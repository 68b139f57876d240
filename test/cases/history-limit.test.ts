import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { validator } from '../../src/core/schemas.js';
import type { Case } from '../../src/generated/case.js';
import type { Database } from '../../src/store/database.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../cli/run.js';
import { FIXTURE_KB, testServer } from '../server/helpers.js';
import { stopServes, type RunningServe } from '../server/serve-run.js';
import { embeddedDataDir, STORE_KINDS, stopStores } from '../store/stores.js';
import { ACME, bearer, call, caseServer, startRca } from './helpers.js';

afterAll(stopStores, 30_000);
const running: RunningServe[] = [];
afterEach(() => stopServes(running));

const kb = loadKnowledgeBase([FIXTURE_KB]);
const json = { 'content-type': 'application/json' };
const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok' };
/** The ns of the diagnoses a case lists. */
const ns = (c: Pick<Case, 'diagnoses'>) => c.diagnoses.map((d) => d.n);
const topOf = (d: Case['diagnoses'][number] | undefined) => d?.diagnosis.hypotheses[0]?.id;

/** The requests of tenant acme to a test server. */
const acmeOf = (app: FastifyInstance) => ({
  post: (payload: unknown) => app.inject({ method: 'POST', url: '/v1/cases', headers: { ...json, ...bearer(ACME) }, payload: JSON.stringify(payload) }),
  patch: (id: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'PATCH', url: `/v1/cases/${id}`, headers: { ...json, ...bearer(ACME), ...headers }, payload: JSON.stringify(payload) }),
  outcome: (id: string, payload: unknown) => app.inject({ method: 'PUT', url: `/v1/cases/${id}/outcome`, headers: { ...json, ...bearer(ACME) }, payload: JSON.stringify(payload) }),
  get: (url: string) => app.inject({ method: 'GET', url, headers: bearer(ACME) }),
});

describe.each(STORE_KINDS)('a case keeps at most --history-limit diagnoses, on the $name store', (kind) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let acme: ReturnType<typeof acmeOf>;
  beforeAll(async () => {
    ({ app, close } = await caseServer(kind, { tokens: [ACME] }, { historyLimit: 3 }));
    acme = acmeOf(app);
  }, 60_000);
  afterAll(() => close());

  it('N+2 PATCHes under a limit of 3 leave the opening diagnosis and the latest two; historyForgotten counts the rest, in every answer', async () => {
    const opened = (await acme.post({ source: 'jira', externalId: 'H-1', facts: ICMP })).json() as Case;
    expect([opened.historyForgotten, ns(opened)]).toEqual([0, [1]]);
    const N = 5;
    let last = opened;
    for (let i = 1; i <= N + 2; i++) {
      const patched = await acme.patch(opened.id, { facts: { 'http.status': 500 + i } });
      expect(patched.statusCode).toBe(200);
      last = patched.json() as Case;
      expect(validator('case.schema.json')(last)).toBe(true);
      expect([last.revision, last.historyForgotten, ns(last)], `PATCH ${i}`).toEqual([i + 1, Math.max(0, i - 2), i < 3 ? Array.from({ length: i + 1 }, (_, k) => k + 1) : [1, i, i + 1]]);
    }
    const got = (await acme.get(`/v1/cases/${opened.id}`)).json() as Case;
    expect(got).toEqual(last);
    expect([got.revision, got.historyForgotten, ns(got)]).toEqual([N + 3, N, [1, N + 2, N + 3]]);
    // The first is the ticket as it opened, the others the latest two changes.
    expect(got.diagnoses[0]).toEqual({ n: 1, at: opened.createdAt, diagnosis: { ...opened.diagnoses[0]?.diagnosis, similar: undefined } });
    expect(got.diagnoses.map((d) => d.diagnosis.facts['http.status'])).toEqual([undefined, 500 + N + 1, 500 + N + 2]);
  });

  it('ETags, If-Match and Idempotency-Key read the case as before: a retry forgets nothing more', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'H-2', facts: ICMP })).json() as Case;
    for (let i = 1; i <= 4; i++) await acme.patch(id, { facts: { 'http.status': 500 + i } });
    const before = await acme.get(`/v1/cases/${id}`);
    const stale = before.headers.etag as string;
    const keyed = await acme.patch(id, { facts: { 'http.status': 599 } }, { 'if-match': stale, 'idempotency-key': 'h2-sync' });
    expect([keyed.statusCode, keyed.json().revision, keyed.json().historyForgotten, ns(keyed.json())]).toEqual([200, 6, 3, [1, 5, 6]]);
    // The retry answers the case as it is: no new diagnosis, nothing more forgotten, under the If-Match the first attempt made stale.
    const retry = await acme.patch(id, { facts: { 'http.status': 599 } }, { 'if-match': stale, 'idempotency-key': 'h2-sync' });
    expect([retry.statusCode, retry.headers.etag, retry.json()]).toEqual([200, keyed.headers.etag, keyed.json()]);
    const refused = await acme.patch(id, { facts: { 'http.status': 598 } }, { 'if-match': stale });
    expect([refused.statusCode, refused.json().type]).toEqual([412, 'https://rca.local/problems/precondition-failed']);
    expect((await acme.get(`/v1/cases/${id}`)).headers.etag).toBe(keyed.headers.etag);
  });

  it('a resolved case keeps the diagnosis its cause was confirmed on besides, which GET /v1/stats judges', async () => {
    const opened = (await acme.post({ source: 'jira', externalId: 'H-3', facts: { 'ping.result': 'ok', 'tcp.connect': 'timeout' } })).json() as Case;
    expect(topOf(opened.diagnoses[0])).not.toBe('network.icmp_filtered');
    const confirmedOn = (await acme.patch(opened.id, { facts: ICMP })).json() as Case;
    expect(topOf(confirmedOn.diagnoses.at(-1))).toBe('network.icmp_filtered');
    await acme.outcome(opened.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' });
    const stats = (await acme.get('/v1/stats')).json();
    expect({ cases: stats.cases, top1: stats.top1 }).toEqual({ cases: 1, top1: 1 });
    let last = confirmedOn;
    for (let i = 1; i <= 4; i++) last = (await acme.patch(opened.id, { facts: { 'ping.result': 'ok', 'tcp.connect': 'timeout', 'http.status': 500 + i } })).json() as Case;
    expect([last.status, last.revision, last.historyForgotten, ns(last)]).toEqual(['resolved', 6, 2, [1, 2, 5, 6]]);
    expect((await acme.get('/v1/stats')).json()).toEqual(stats);
  });
});

describe.each(STORE_KINDS)('a history past a lower limit, on the $name store', (kind) => {
  it('is cut to the limit by the next change, at once, and the space of what it forgot is reclaimed', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const reclaimed: string[] = [];
      const counted: Database = { ...db, reclaim: (table) => (reclaimed.push(table), db.reclaim(table)) };
      const service = new CaseService(counted, parseArtifact, { historyLimit: 2 });
      const { id } = (await service.create('acme', { source: 'jira', externalId: 'L-1', facts: ICMP, artifacts: [] }, kb)).case;
      // A history of 1001 diagnoses, as a larger limit kept it.
      await db.query('INSERT INTO case_diagnoses (case_id, n, created_at, kb_version, kb_hash, diagnosis) SELECT case_id, g, created_at, kb_version, kb_hash, diagnosis FROM case_diagnoses, generate_series(2, 1001) g WHERE case_id = $1', [id]);
      await db.query('UPDATE cases SET revision = 1001 WHERE id = $1', [id]);
      const cut = await service.update('acme', id, { facts: { set: { 'http.status': 503 }, remove: [] } }, kb);
      expect([cut?.revision, cut?.historyForgotten, cut && ns(cut)]).toEqual([1002, 1000, [1, 1002]]);
      expect(reclaimed).toEqual(['case_diagnoses']);
      expect(await db.query('SELECT n FROM case_diagnoses WHERE case_id = $1 ORDER BY n', [id])).toEqual([{ n: 1 }, { n: 1002 }]);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe('--history-limit', () => {
  it('the HTTP answer and rca cases show agree on an embedded store', async () => {
    const dataDir = await embeddedDataDir();
    const { db } = await openStore({ dataDir });
    const app = await testServer({ tokens: [ACME], cases: async () => new CaseService(db, parseArtifact, { historyLimit: 3 }) });
    const acme = acmeOf(app);
    const { id } = (await acme.post({ source: 'jira', externalId: 'S-1', facts: ICMP })).json() as Case;
    for (let i = 1; i <= 4; i++) await acme.patch(id, { facts: { 'http.status': 500 + i } });
    const answered = (await acme.get(`/v1/cases/${id}`)).json() as Case;
    await app.close();
    await db.close();
    expect([answered.historyForgotten, ns(answered)]).toEqual([2, [1, 4, 5]]);
    const shown = await runCli(['cases', 'show', id, '--data-dir', dataDir, '--tenant', 'acme', '-f', 'json']);
    expect([shown.code, JSON.parse(shown.stdout), shown.stderr]).toEqual([0, answered, '']);
  }, 60_000);

  it('rca serve takes --history-limit over RCA_HISTORY_LIMIT, and each case keeps that many', async () => {
    const serve = await startRca(['--data-dir', await embeddedDataDir(), '--history-limit', '2'], { env: { RCA_HISTORY_LIMIT: '50' } });
    running.push(serve);
    const { body: opened } = await call(serve.base, 'POST', '/v1/cases', { source: 'jira', externalId: 'E-1', facts: ICMP });
    for (let i = 1; i <= 3; i++) await call(serve.base, 'PATCH', `/v1/cases/${String(opened.id)}`, { facts: { 'http.status': 500 + i } });
    const { body } = await call(serve.base, 'GET', `/v1/cases/${String(opened.id)}`);
    expect([body.revision, body.historyForgotten, ns(body as unknown as Case)]).toEqual([4, 2, [1, 4]]);
  }, 60_000);

  it('is 100 unless given, as rca serve --help says', async () => {
    const help = await runCli(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('--history-limit Diagnoses one case keeps: the first (the ticket as it opened) and the latest;');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('[env RCA_HISTORY_LIMIT, default 100, 2 to 10000] [number]');
  });

  it('refuses a limit that is not a whole number from 2 to 10000, from the flag or RCA_HISTORY_LIMIT (exit 2)', async () => {
    const expected = 'expected a whole number of diagnoses from 2 (the first and the latest) to 10000';
    for (const [args, env, got] of [
      [['--history-limit', '1'], {}, '1'],
      [['--history-limit', '0'], {}, '0'],
      [['--history-limit', '10001'], {}, '10001'],
      [['--history-limit', '2.5'], {}, '2.5'],
      [['--history-limit', '-3'], {}, '-3'],
      [[], { RCA_HISTORY_LIMIT: '1' }, '1'],
      [[], { RCA_HISTORY_LIMIT: 'many' }, 'many'],
      [[], { RCA_HISTORY_LIMIT: ' ' }, '" "'],
      [[], { RCA_HISTORY_LIMIT: '1e2' }, '1e2'],
    ] as const) {
      const run = await runCli(['serve', '--port', '0', '--data-dir', '/nonexistent/rca', ...args], { env });
      expect([run.code, run.stdout, run.stderr], `${args.join(' ')} ${JSON.stringify(env)}`).toEqual([2, '', `rca: usage error: --history-limit (or RCA_HISTORY_LIMIT): ${expected}, got ${got}\nRun 'rca serve --help' for usage.\n`]);
    }
  });
});
