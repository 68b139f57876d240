import pg from 'pg';
import { StoreError, UsageError } from '../core/errors.js';
import type { Database, Sql } from './database.js';
import { reaching } from './unavailable.js';

/** The URL as it may be shown: its password replaced, since messages and logs travel. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable URL>';
  }
}

/** Connections per process: enough for concurrent requests, few enough for several replicas on one server. */
const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * A name per statement text: each connection parses and plans a named statement once, and
 * then only binds and runs it. The texts are the store's own (a few dozen), never input.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `rca_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * The Sql of a pool or of one connection; a connection refused, lost or timed out is a
 * StoreUnavailable (reaching), not a bug. With `timeoutMs` (on the pool only: Database.bounded),
 * pg gives a statement up after that long (its query_timeout, missing from @types/pg's
 * QueryConfig), and pg-pool closes a connection whose statement failed instead of keeping it.
 */
function sqlOf(client: pg.Pool | pg.PoolClient, location: string, timeoutMs?: number): Sql {
  const config = (text: string, values?: unknown[]) => ({ text, ...(values && { name: statementName(text), values }), ...(timeoutMs !== undefined && { query_timeout: timeoutMs }) }) as pg.QueryConfig;
  return {
    query: <Row>(text: string, params: readonly unknown[] = []) => reaching(location, async () => (await client.query(config(text, params as unknown[]))).rows as Row[]),
    exec: (text) =>
      reaching(location, async () => {
        await client.query(config(text));
      }),
  };
}

/** PostgreSQL at URL (postgres://user:password@host:port/db), for several `rca serve` replicas sharing their cases. */
export async function openPostgres(url: string): Promise<Database> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`--database-url: expected postgres://user:password@host:port/database, got ${JSON.stringify(redactedUrl(url))}`);
  const location = redactedUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection the server drops is replaced at the next checkout; without a listener the error would end the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new StoreError(`--database-url ${location}: expected a PostgreSQL server that accepts the connection, got: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    location,
    exclusive: false,
    ...sqlOf(pool, location),
    bounded: (ms) => sqlOf(pool, location, ms),
    transaction: async (work) => {
      const client = await reaching(location, () => pool.connect());
      const sql = sqlOf(client, location);
      try {
        await sql.exec('BEGIN');
        const result = await work(sql);
        await sql.exec('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
