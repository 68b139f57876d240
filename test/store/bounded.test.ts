import { afterAll, expect, it } from 'vitest';
import { StoreUnavailable } from '../../src/core/errors.js';
import { openPostgres } from '../../src/store/postgres.js';
import { STORE_KINDS, stopStores } from './stores.js';

afterAll(stopStores, 30_000);

it('PostgreSQL: a bounded statement gives up after its time, and the connections of those given up on go back to no one: the pool still answers', async () => {
  const { databaseUrl } = (await STORE_KINDS[1]!.settings()) as { databaseUrl: string };
  const db = await openPostgres(databaseUrl);
  try {
    const started = performance.now();
    // More statements that never end in time than the pool has connections (10).
    const hung = await Promise.all(Array.from({ length: 12 }, () => db.bounded(300).query('SELECT pg_sleep(5)').catch((error: unknown) => error)));
    for (const error of hung) expect(error).toEqual(expect.objectContaining({ name: 'StoreUnavailable', reason: 'no answer within the query timeout' }));
    expect(hung[0]).toBeInstanceOf(StoreUnavailable);
    // Had they kept their connections, this would wait for a pg_sleep to end, 5 s after they began.
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(performance.now() - started).toBeLessThan(4000);
  } finally {
    await db.close();
  }
}, 30_000);
