import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { startPostgres } from '../../bench/postgres-cluster.js';
import { StoreUnavailable } from '../../src/core/errors.js';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { openStore } from '../../src/store/open.js';
import { openPostgres } from '../../src/store/postgres.js';
import { STORE_KINDS, stopStores } from './stores.js';

afterAll(stopStores, 30_000);

const postgres = async () => openPostgres(((await STORE_KINDS[1]!.settings()) as { databaseUrl: string }).databaseUrl);

it('PostgreSQL: a bounded statement gives up after its time, and the connections of those given up on go back to no one: the pool still answers', async () => {
  const db = await postgres();
  try {
    const started = performance.now();
    // More statements that never end in time than the pool has connections (10).
    const hung = await Promise.all(Array.from({ length: 12 }, () => db.bounded(300).query('SELECT pg_sleep(5)').catch((error: unknown) => error)));
    for (const error of hung) expect(error).toEqual(expect.objectContaining({ name: 'StoreUnavailable', reason: 'no answer within 300 ms', message: expect.stringMatching(/: no answer within 300 ms \(its statement timeout\)$/) }));
    expect(hung[0]).toBeInstanceOf(StoreUnavailable);
    // Had they kept their connections, this would wait for a pg_sleep to end, 5 s after they began.
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(performance.now() - started).toBeLessThan(4000);
  } finally {
    await db.close();
  }
}, 30_000);

it('PostgreSQL: the server stops a bounded statement at its bound, so none runs on after the client gave up: not a sleep, not a wait for a lock held elsewhere', async () => {
  const db = await postgres();
  const running = (pattern: string) => db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()", [pattern]);
  try {
    await expect(db.bounded(300).query('SELECT pg_sleep(60) AS slept')).rejects.toThrow(StoreUnavailable);
    // Given up on by the client alone, the backend would sleep its 60 s through.
    expect(await running('SELECT pg_sleep(60) AS slept')).toEqual([{ n: 0 }]);
    await db.exec('CREATE TABLE held (n int)');
    await db.transaction(async (tx) => {
      await tx.exec('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
      await expect(db.bounded(300).query('SELECT count(*) AS waited FROM held')).rejects.toThrow('no answer within 300 ms (its statement timeout)');
      expect(await running('SELECT count(*) AS waited FROM held')).toEqual([{ n: 0 }]);
    });
    // The bound is the statement's own (a transaction's, SET LOCAL): the pool's connections, and the next bounded statement, run without it.
    expect(await db.query<{ statement_timeout: string }>('SHOW statement_timeout')).toEqual([{ statement_timeout: '0' }]);
    expect(await db.bounded(300).query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  } finally {
    await db.close();
  }
}, 30_000);

it('PostgreSQL: every statement gives up at the store\'s bound, here (a sleep, a server that does not answer at all) and in a transaction on the server too (a lock): 503 store-unavailable, not a request that never ends', async () => {
  const cluster = await startPostgres();
  const db = await openPostgres(await cluster.createDatabase(), { statementMs: 400 });
  const stopped: number[] = [];
  try {
    await expect(db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ name: 'StoreUnavailable', reason: 'no answer within the query timeout' });
    await db.exec('CREATE TABLE held (n int)');
    // A transaction's statement is stopped by the server, and its connection is not handed on mid-statement: the next caller runs at once.
    await db.transaction(async (tx) => {
      await tx.exec('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
      await expect(db.transaction((other) => other.query('SELECT count(*) FROM held'))).rejects.toMatchObject({ name: 'StoreUnavailable', reason: 'a statement was canceled, past its time limit or by an operator (SQLSTATE 57014)' });
    });
    expect(await db.query('SELECT count(*)::int AS n FROM held')).toEqual([{ n: 0 }]);
    // The server paused (as a host frozen or cut off by a partition): its pooled connections never answer.
    stopped.push(cluster.pid(), ...execFileSync('pgrep', ['-P', String(cluster.pid())], { encoding: 'utf8' }).trim().split('\n').map(Number));
    for (const pid of stopped) process.kill(pid, 'SIGSTOP');
    const started = performance.now();
    await expect(db.query('SELECT 1')).rejects.toThrow(StoreUnavailable);
    expect(performance.now() - started).toBeLessThan(6000);
  } finally {
    for (const pid of stopped) process.kill(pid, 'SIGCONT');
    await db.close();
    await cluster.stop();
  }
}, 60_000);

it('PostgreSQL: the upkeep is no request: a retention\'s deletion runs past a request\'s bound (a backlog after a long stop), not given up on and tried again for ever', async () => {
  const url = ((await STORE_KINDS[1]!.settings()) as { databaseUrl: string }).databaseUrl;
  await (await openStore({ databaseUrl: url })).db.close();
  const db = await openPostgres(url, { statementMs: 300 });
  const holder = await openPostgres(url);
  try {
    // The tombstones' table held for 2 s, longer than the request bound (0.3 s and the driver's 0.25 s grace), as a long deletion would take.
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const held = holder.transaction(async (tx) => {
      await tx.exec('LOCK TABLE deleted_cases IN ACCESS EXCLUSIVE MODE');
      locked();
      await tx.query('SELECT pg_sleep(2)');
    });
    await lockTaken;
    await expect(db.query('SELECT count(*) FROM deleted_cases')).rejects.toThrow(StoreUnavailable);
    expect(await new CaseService(db, parseArtifact).forgetDeleted(new Date())).toEqual({ tombstones: 0, keys: 0 });
    await held;
  } finally {
    await db.close();
    await holder.close();
  }
}, 60_000);
