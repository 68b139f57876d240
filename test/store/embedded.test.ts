import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, StoreUnavailable } from '../../src/core/errors.js';
import type { Database } from '../../src/store/database.js';
import { openStore } from '../../src/store/open.js';
import { embeddedDataDir } from './stores.js';

/**
 * The embedded store runs each statement text as a prepared statement (parsed once, then
 * bound and run): it must read and write as PGlite's own query() does, and a failing
 * statement must leave nothing behind.
 */
describe('the embedded store: statements prepared once', () => {
  let db: Database;
  beforeAll(async () => {
    db = (await openStore({ dataDir: await embeddedDataDir() })).db;
    await db.exec('CREATE TABLE probe (id text PRIMARY KEY, at timestamptz, doc jsonb, n integer, big bigint, flag boolean, tags text[])');
  }, 60_000);
  afterAll(() => db.close());

  it('binds and reads every type the store uses, the same text again and again', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const insert = 'INSERT INTO probe (id, at, doc, n, big, flag, tags) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) RETURNING id';
    for (const id of ['a', 'b', 'c']) expect(await db.query(insert, [id, at, JSON.stringify({ id, nested: [1, 'two'] }), 7, '9007199254740993', id === 'b', [id, 'x "y"', 'z,w']])).toEqual([{ id }]);
    expect(await db.query('SELECT id, at, doc, n, big, flag, tags, NULL::text AS nothing FROM probe WHERE id = ANY($1::text[]) ORDER BY id', [['a', 'b']])).toEqual([
      { id: 'a', at, doc: { id: 'a', nested: [1, 'two'] }, n: 7, big: 9007199254740993n, flag: false, tags: ['a', 'x "y"', 'z,w'], nothing: null },
      { id: 'b', at, doc: { id: 'b', nested: [1, 'two'] }, n: 7, big: 9007199254740993n, flag: true, tags: ['b', 'x "y"', 'z,w'], nothing: null },
    ]);
    expect(await db.query('SELECT count(*)::int AS n FROM probe WHERE flag = $1', [null])).toEqual([{ n: 0 }]);
    // Each text was prepared once, however often it ran.
    const prepared = await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE statement LIKE $1', ['%probe%']);
    expect(prepared.map((p) => p.statement).filter((text) => text === insert)).toEqual([insert]);
  });

  it('a statement that fails, in parsing or in running, is an error, and the store goes on', async () => {
    await expect(db.query('SELEC nothing')).rejects.toThrow('syntax error at or near "SELEC"');
    await expect(db.query('SELEC nothing')).rejects.toThrow('syntax error at or near "SELEC"');
    const insert = 'INSERT INTO probe (id) VALUES ($1)';
    await db.query(insert, ['dup']);
    await expect(db.query(insert, ['dup'])).rejects.toThrow('duplicate key value violates unique constraint "probe_pkey"');
    await db.query(insert, ['dup2']);
    expect(await db.query('SELECT id FROM probe WHERE id LIKE $1 ORDER BY id', ['dup%'])).toEqual([{ id: 'dup' }, { id: 'dup2' }]);
  });

  it('a transaction commits when its work resolves, rolls back when it throws, and one whose failed statement was caught is refused', async () => {
    const insert = 'INSERT INTO probe (id) VALUES ($1)';
    await db.transaction(async (tx) => {
      await tx.query(insert, ['kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, ['thrown']);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, ['caught']);
        await tx.query(insert, ['kept']).catch(() => undefined);
      }),
    ).rejects.toThrow(new StoreError('the transaction was rolled back: a statement in it failed'));
    expect(await db.query('SELECT id FROM probe WHERE id = ANY($1::text[]) ORDER BY id', [['kept', 'thrown', 'caught']])).toEqual([{ id: 'kept' }]);
  });

  it('a full disk (SQLSTATE 53100) is the store unavailable, not a bug: in a statement, a transaction, and the store goes on after', async () => {
    // What PGlite raises when its data directory's file system is full ("could not extend file ...: No space left on device").
    const full = "DO $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$";
    const expected = { code: 'E_STORE', reason: 'the database is out of disk space (SQLSTATE 53100)', message: `the case database ${db.location} cannot be used: the database is out of disk space (SQLSTATE 53100) (could not extend file: No space left on device)` };
    for (const thrown of [
      await db.query(full).catch((error: unknown) => error),
      await db.exec(full).catch((error: unknown) => error),
      await db.transaction((tx) => tx.query(full)).catch((error: unknown) => error),
    ]) {
      expect(thrown).toBeInstanceOf(StoreUnavailable);
      expect(thrown).toMatchObject(expected);
    }
    expect(await db.query('SELECT 1 AS n')).toEqual([{ n: 1 }]);
  });

  it('a file of the cluster gone (SQLSTATE 58P01: its data directory removed under the server) is the store unavailable, not a bug', async () => {
    const gone = `DO $$ BEGIN RAISE EXCEPTION 'could not open file "base/5/2620": No such file or directory' USING ERRCODE = 'undefined_file'; END $$`;
    const thrown = await db.query(gone).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(StoreUnavailable);
    expect(thrown).toMatchObject({ reason: 'the database cannot read or write its files (SQLSTATE 58P01)' });
  });

  it('a statement sent while a transaction is open waits for it: it neither joins nor sees it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const insert = 'INSERT INTO probe (id) VALUES ($1)';
    const transaction = db.transaction(async (tx) => {
      await tx.query(insert, ['in-tx']);
      await held;
      throw new Error('rolled back');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM probe WHERE id = $1', ['in-tx']);
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect(await outside).toEqual([{ n: 0 }]);
  });
});
