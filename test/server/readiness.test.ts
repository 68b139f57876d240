import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startPostgres } from '../../bench/postgres-cluster.js';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { StoreError } from '../../src/core/errors.js';
import type { Database } from '../../src/store/database.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import { startRca } from '../cases/helpers.js';
import { emptyDataDir, STORE_KINDS, stopStores } from '../store/stores.js';
import { isProblem, testServer } from './helpers.js';
import { stopServes, type RunningServe } from './serve-run.js';

afterAll(stopStores, 30_000);
const running: RunningServe[] = [];
afterEach(() => stopServes(running));

/** Generous: the check gives up after 2 s; this only says the probe does not hang with the database. */
const BOUNDED_MS = 10_000;

/** A database whose every statement answers with `answer` (a rejection, or a promise that never settles), counting them. */
function fakeDatabase(answer: () => Promise<never>): { db: Database; statements: () => number } {
  let statements = 0;
  const query = () => {
    statements++;
    return answer();
  };
  return { db: { location: 'postgres://rca:***@10.0.0.5:5432/cases', exclusive: false, query, exec: query, transaction: query, close: async () => undefined }, statements: () => statements };
}

const probe = (app: FastifyInstance, url = '/readyz') => app.inject({ method: 'GET', url });

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

describe.each(STORE_KINDS)('/readyz on the $name store', (kind) => {
  it('is 200 while the store answers at this schema version; 503 naming the version once it is not', async () => {
    const { db } = await openStore(await kind.settings());
    const app = await testServer({ cases: async () => new CaseService(db, parseArtifact) });
    try {
      const ready = await probe(app);
      expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready', kb: { version: '1.0.0', hash: expect.stringMatching(/^sha256:/) } }]);
      await db.query('DELETE FROM rca_schema WHERE version = $1', [SCHEMA_VERSION]);
      await expectNotReady(app, `case store: not migrated: schema version ${SCHEMA_VERSION - 1}, this rca needs ${SCHEMA_VERSION} (rca db migrate)`);
      await db.query("INSERT INTO rca_schema (version, name) VALUES ($1, 'from the future')", [SCHEMA_VERSION + 1]);
      await expectNotReady(app, `case store: schema version ${SCHEMA_VERSION + 1}, newer than this rca's ${SCHEMA_VERSION}: run a newer rca`);
      // A database replaced by an empty one has no rca_schema at all.
      await db.exec('DROP TABLE rca_schema');
      await expectNotReady(app, `case store: not migrated: schema version 0, this rca needs ${SCHEMA_VERSION} (rca db migrate)`);
    } finally {
      await app.close();
      await db.close();
    }
  }, 60_000);
});

describe('/readyz with a case store that fails', () => {
  it.each([
    ['a refused connection', { code: 'ECONNREFUSED' }, 'case store: connection refused'],
    ['a database shutting down', { code: '57P01' }, 'case store: the database server is shutting down (SQLSTATE 57P01)'],
    ['an error of the database', { code: '42501' }, 'case store: the database refused the query (SQLSTATE 42501); the server log says why'],
    ['an error of no known kind', {}, 'case store: cannot be used; the server log says why'],
  ])('answers 503 on %s, naming it without the address or the message', async (_, code, detail) => {
    const { db } = fakeDatabase(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432 for user "secret"'), code)));
    const app = await testServer({ cases: async () => new CaseService(db, parseArtifact) });
    await expectNotReady(app, detail);
    await app.close();
  });

  it('answers 503 when the store could not be opened, without saying where it is', async () => {
    const app = await testServer({ cases: () => Promise.reject(new StoreError('--data-dir /srv/secret: expected a writable directory, got EACCES')) });
    await expectNotReady(app, 'case store: cannot be opened; the server log says why');
    await app.close();
  });

  it('answers 503 within its bound when the database hangs, sharing one query among the probes meanwhile, and asks again after the bound', async () => {
    const { db, statements } = fakeDatabase(() => new Promise<never>(() => undefined));
    const app = await testServer({ cases: async () => new CaseService(db, parseArtifact) });
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => probe(app)));
    expect(performance.now() - started).toBeLessThan(BOUNDED_MS);
    for (const answer of answers) expect([answer.statusCode, answer.json().detail]).toEqual([503, 'case store: no answer within 2 s']);
    expect(statements()).toBe(1);
    // A query hung for good is given up on: the next probe asks anew, so the server is ready again once the database answers.
    await expectNotReady(app, 'case store: no answer within 2 s');
    expect(statements()).toBe(2);
    await app.close();
  }, 2 * BOUNDED_MS);

  it('answers 503 within its bound while the store is still opening', async () => {
    const app = await testServer({ cases: () => new Promise<never>(() => undefined) });
    const started = performance.now();
    await expectNotReady(app, 'case store: still opening after 2 s');
    expect(performance.now() - started).toBeLessThan(BOUNDED_MS);
    await app.close();
  }, BOUNDED_MS);
});

it("the OpenAPI document says what /readyz waits for and what its 503 means, and that /healthz reads no store", async () => {
  const app = await testServer();
  const { paths } = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  expect(paths['/readyz'].get.description).toBe(
    "Readiness: 200 once a knowledge base is loaded and, when the server keeps cases, the case store answers a query within 2 s and is at this rca's schema version. A new embedded store, made when the first case arrives, is not waited for.",
  );
  expect(paths['/readyz'].get.responses['503']).toEqual({
    description: 'Not ready (store-unavailable): the case store did not answer within 2 s, refused, or is not at this rca\'s schema version, as `detail` says ("case store: connection refused"); or the server is shutting down (shutting-down) (application/problem+json)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  expect(paths['/healthz'].get.description).toMatch(/^Liveness: answers while the process serves requests, whatever the case store does/);
  await app.close();
});

describe('rca serve /readyz', () => {
  it('is 200 on a new embedded store, which a probe does not make (the first case does)', async () => {
    const dataDir = emptyDataDir();
    const server = await startRca(['--data-dir', dataDir]);
    running.push(server);
    expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);
  });

  it('turns 503 when its PostgreSQL goes down, while /healthz stays 200', async () => {
    const cluster = await startPostgres();
    try {
      const server = await startRca(['--database-url', await cluster.createDatabase()]);
      running.push(server);
      expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
      await cluster.stop();
      const down = await fetch(`${server.base}/readyz`);
      expect([down.status, ((await down.json()) as { detail: string }).detail]).toEqual([503, 'case store: connection refused']);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});
