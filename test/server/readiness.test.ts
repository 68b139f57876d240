import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startPostgres } from '../../bench/postgres-cluster.js';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { StoreError } from '../../src/core/errors.js';
import { validator } from '../../src/core/schemas.js';
import { STORE_ANSWERED_MS, STORE_CHECK_MS } from '../../src/server/readiness.js';
import type { Database, Sql } from '../../src/store/database.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import { startRca } from '../cases/helpers.js';
import { STORE_KINDS, stopStores } from '../store/stores.js';
import { isProblem, testServer } from './helpers.js';
import { stopServes, type RunningServe } from './serve-run.js';

afterAll(stopStores, 30_000);
const running: RunningServe[] = [];
afterEach(() => stopServes(running));

/** Generous: the check gives up after 2 s; this only says the probe does not hang with the database. */
const BOUNDED_MS = 10_000;

/**
 * A database whose every statement answers with `answer` (rows, a rejection, or a promise that
 * never settles), counting them; `exclusive` as the embedded store (this replica's own), else
 * shared as PostgreSQL. `bounded` records the timeouts asked for.
 */
function fakeDatabase(answer: () => Promise<unknown[]>, exclusive = false): { db: Database; statements: () => number; bounds: number[] } {
  let statements = 0;
  const bounds: number[] = [];
  const query = (() => {
    statements++;
    return answer();
  }) as Sql['query'];
  const sql = { query, exec: query as unknown as Sql['exec'] };
  const bounded = (ms: number) => {
    bounds.push(ms);
    return sql;
  };
  return { db: { location: 'postgres://rca:***@10.0.0.5:5432/cases', exclusive, ...sql, bounded, reclaim: query as unknown as Database['reclaim'], transaction: query as unknown as Database['transaction'], close: async () => undefined }, statements: () => statements, bounds };
}
const AT_THIS_SCHEMA = () => Promise.resolve([{ version: SCHEMA_VERSION }]);

const probe = (app: FastifyInstance, url = '/readyz') => app.inject({ method: 'GET', url });
const KB = { version: '1.0.0', hash: expect.stringMatching(/^sha256:/) };

/** Asserts a 503 store-unavailable problem whose detail is DETAIL, and that /healthz is unmoved by it. */
async function expectNotReady(app: FastifyInstance, detail: string): Promise<void> {
  const answer = await probe(app);
  expect(answer.statusCode).toBe(503);
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(isProblem(answer.json(), 503)).toBe(true);
  expect(answer.json()).toMatchObject({ type: 'https://rca.local/problems/store-unavailable', title: 'The case database cannot be used', detail, instance: '/readyz' });
  // Neither where the database is nor what it said goes to a client without a token.
  expect(answer.body).not.toMatch(/10\.0\.0\.5|secret/);
  expect((await probe(app, '/healthz')).json()).toEqual({ status: 'ok' });
}

/** Asserts a 200 whose `store` is STORE (a replica stays ready whatever a shared store does), valid against readiness.schema.json. */
async function expectReady(app: FastifyInstance, store: Record<string, string>): Promise<void> {
  const answer = await probe(app);
  expect([answer.statusCode, answer.json()]).toEqual([200, { status: 'ready', kb: KB, store }]);
  expect(validator('readiness.schema.json')(answer.json())).toBe(true);
  expect(answer.body).not.toMatch(/10\.0\.0\.5|secret/);
}

describe.each(STORE_KINDS)('/readyz on the $name store', (kind) => {
  it('is 200 while the store answers at this schema version; once it is not, 503 on the embedded store (this replica\'s own), and 200 reporting it on PostgreSQL (shared by every replica)', async () => {
    const { db } = await openStore(await kind.settings());
    const app = await testServer({ cases: async () => new CaseService(db, parseArtifact) });
    const expectStore = kind.name === 'embedded' ? expectNotReady : (app: FastifyInstance, detail: string) => expectReady(app, { status: 'unavailable', detail });
    try {
      await expectReady(app, { status: 'ok' });
      await db.query('DELETE FROM rca_schema WHERE version = $1', [SCHEMA_VERSION]);
      // An answer that the store is well holds a second: probes within it cost the database nothing.
      await expectReady(app, { status: 'ok' });
      await sleep(STORE_ANSWERED_MS);
      await expectStore(app, `case store: not migrated: schema version ${SCHEMA_VERSION - 1}, this rca needs ${SCHEMA_VERSION} (rca db migrate)`);
      // A rolling upgrade: a newer replica migrated the schema past this one's.
      await db.query("INSERT INTO rca_schema (version, name) VALUES ($1, 'from the future')", [SCHEMA_VERSION + 1]);
      await expectStore(app, `case store: schema version ${SCHEMA_VERSION + 1}, newer than this rca's ${SCHEMA_VERSION}: run a newer rca`);
      // A database replaced by an empty one has no rca_schema at all.
      await db.exec('DROP TABLE rca_schema');
      await expectStore(app, `case store: not migrated: schema version 0, this rca needs ${SCHEMA_VERSION} (rca db migrate)`);
    } finally {
      await app.close();
      await db.close();
    }
  }, 60_000);
});

it('/readyz on PostgreSQL: a readiness query held up by a lock is stopped on the server too at its bound, not left waiting there for good', async () => {
  const { db } = await openStore(await STORE_KINDS[1]!.settings());
  const app = await testServer({ cases: async () => new CaseService(db, parseArtifact) });
  const waiting = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%FROM rca_schema%' AND pid <> pg_backend_pid()"))[0]?.n;
  try {
    await db.transaction(async (tx) => {
      // A migration, say, holds the table the readiness query reads.
      await tx.exec('LOCK TABLE rca_schema IN ACCESS EXCLUSIVE MODE');
      await expectReady(app, { status: 'unavailable', detail: 'case store: no answer within 2 s' });
      const deadline = performance.now() + BOUNDED_MS;
      while ((await waiting()) !== 0 && performance.now() < deadline) await sleep(100);
      expect(await waiting()).toBe(0);
    });
    await sleep(STORE_ANSWERED_MS);
    await expectReady(app, { status: 'ok' });
  } finally {
    await app.close();
    await db.close();
  }
}, 3 * BOUNDED_MS);

describe('/readyz with a case store that fails', () => {
  it.each([
    ['a refused connection', { code: 'ECONNREFUSED' }, 'case store: connection refused'],
    ['a database shutting down', { code: '57P01' }, 'case store: the database server is shutting down (SQLSTATE 57P01)'],
    ['an error of the database', { code: '22P02' }, 'case store: the database refused the query (SQLSTATE 22P02); the server log says why'],
    ['a grant revoked', { code: '42501' }, 'case store: the database refuses this role the case tables (SQLSTATE 42501)'],
    ['an error of no known kind', {}, 'case store: cannot be used; the server log says why'],
  ])('stays 200 on %s of a shared store, reporting it without the address or the message; an embedded store is 503 for it', async (_, code, detail) => {
    const failing = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432 for user "secret"'), code));
    const shared = await testServer({ cases: async () => new CaseService(fakeDatabase(failing).db, parseArtifact) });
    await expectReady(shared, { status: 'unavailable', detail });
    const own = await testServer({ cases: async () => new CaseService(fakeDatabase(failing, true).db, parseArtifact) });
    await expectNotReady(own, detail);
    await Promise.all([shared.close(), own.close()]);
  });

  it('answers 503 when the store could not be opened, without saying where it is', async () => {
    const app = await testServer({ cases: () => Promise.reject(new StoreError('--data-dir /srv/secret: expected a writable directory, got EACCES')) });
    await expectNotReady(app, 'case store: cannot be opened; the server log says why');
    await app.close();
  });

  it('reports a shared store that hangs within its bound, sharing one query among the probes meanwhile, and asks again after the bound; an embedded one is 503', async () => {
    const { db, statements, bounds } = fakeDatabase(() => new Promise<never>(() => undefined));
    const app = await testServer({ cases: async () => new CaseService(db, parseArtifact) });
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => probe(app)));
    expect(performance.now() - started).toBeLessThan(BOUNDED_MS);
    for (const answer of answers) expect([answer.statusCode, answer.json().store]).toEqual([200, { status: 'unavailable', detail: 'case store: no answer within 2 s' }]);
    expect(statements()).toBe(1);
    // The query itself gives up at the bound too, so that it holds no pooled connection for good.
    expect(bounds).toEqual([STORE_CHECK_MS]);
    // A query hung for good is given up on: the next probe asks anew, so the store is reported well once the database answers again.
    await expectReady(app, { status: 'unavailable', detail: 'case store: no answer within 2 s' });
    expect(statements()).toBe(2);
    await app.close();
    const own = await testServer({ cases: async () => new CaseService(fakeDatabase(() => new Promise<never>(() => undefined), true).db, parseArtifact) });
    await expectNotReady(own, 'case store: no answer within 2 s');
    await own.close();
  }, 3 * BOUNDED_MS);

  it('answers 503 within its bound while the store is still opening', async () => {
    const app = await testServer({ cases: () => new Promise<never>(() => undefined) });
    const started = performance.now();
    await expectNotReady(app, 'case store: still opening after 2 s');
    expect(performance.now() - started).toBeLessThan(BOUNDED_MS);
    await app.close();
  }, BOUNDED_MS);

  it('asks a store that answered again only once its answer is a second old', async () => {
    const { db, statements } = fakeDatabase(AT_THIS_SCHEMA);
    const app = await testServer({ cases: async () => new CaseService(db, parseArtifact) });
    for (let i = 0; i < 5; i++) await expectReady(app, { status: 'ok' });
    expect(statements()).toBe(1);
    await sleep(STORE_ANSWERED_MS);
    await expectReady(app, { status: 'ok' });
    expect(statements()).toBe(2);
    await app.close();
  });
});

it("the OpenAPI document says what /readyz reports, what alone makes it 503 and why, and that /healthz reads no store", async () => {
  const app = await testServer();
  const { paths } = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  expect(paths['/readyz'].get.description).toBe(
    'Readiness: 200 while this replica can serve, with what its case store does in `store` (`{"status": "unavailable", "detail": "case store: connection refused"}`: alert on it; `{"status": "off"}` on a server that keeps no cases, rca serve --no-cases, which is ready without a store). 503 only for what is this replica\'s own: its case store still opening after 2 s (rca serve opens it at start, making a new embedded one) or failed to open, or an embedded store that does not answer within 2 s or is not at this rca\'s schema version. A store every replica shares (PostgreSQL) that does not answer never makes a replica unready: readiness that fails on a dependency every replica shares takes every replica out of the load balancer at once (Kubernetes\' guidance), stopping /v1/diagnose and the interview, which need no store; and in a rolling upgrade the first new replica to migrate the schema would make every old one unready. The store sees at most one readiness query at a time, given up after 2 s; an answer that it is well holds for 1 s. From SIGTERM on, 503 shutting-down: the server drains (rca serve --drain-seconds), every other route still serving, so that load balancers take it out before it stops listening.',
  );
  expect(paths['/readyz'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Readiness' });
  const { headers, ...notReady } = paths['/readyz'].get.responses['503'];
  expect(notReady).toEqual({
    description: 'Not ready (store-unavailable): this replica\'s case store is still opening after 2 s or failed to open, or its embedded store does not answer or is not at this rca\'s schema version, as `detail` says ("case store: still opening after 2 s"); or the server is shutting down (shutting-down), draining before it stops listening (application/problem+json)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  // Either problem says when to retry; a probe is never rate-limited, so says nothing of a limit.
  expect(Object.keys(headers)).toEqual(['x-request-id', 'retry-after']);
  expect(paths['/healthz'].get.description).toMatch(/^Liveness: answers while the process serves requests, whatever the case store does/);
  await app.close();
});

describe('rca serve /readyz', () => {
  it('stays 200 when its PostgreSQL goes down, reporting the store unavailable, and /healthz stays 200', async () => {
    const cluster = await startPostgres();
    try {
      const server = await startRca(['--database-url', await cluster.createDatabase()]);
      running.push(server);
      expect(await (await fetch(`${server.base}/readyz`)).json()).toEqual({ status: 'ready', kb: KB, store: { status: 'ok' } });
      await cluster.stop();
      await sleep(STORE_ANSWERED_MS);
      const down = await fetch(`${server.base}/readyz`);
      expect([down.status, await down.json()]).toEqual([200, { status: 'ready', kb: KB, store: { status: 'unavailable', detail: 'case store: connection refused' } }]);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});
