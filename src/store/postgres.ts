import pg from 'pg';
import { StoreError, StoreUnavailable, UsageError } from '../core/errors.js';
import type { Database, Sql } from './database.js';
import { driverError, noAnswerWithin, reaching, unavailability } from './unavailable.js';

/**
 * The URL as it may be shown: its password replaced, since messages and logs travel; also one
 * given as a query parameter (`?password=`, `?sslpassword=`), which pg reads as libpq does.
 */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()]) if (/password/i.test(name)) parsed.searchParams.set(name, '***');
    return parsed.toString();
  } catch {
    return '<unparsable URL>';
  }
}

/** Connections per process: enough for concurrent requests, few enough for several replicas on one server. */
const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 5000;
/**
 * Most time a statement of a case request may take: here, for every statement (pg's query_timeout,
 * a grace after the server's), and on the server for a transaction's (SET LOCAL statement_timeout,
 * which also ends a wait for a row lock). A server that hangs (paused, or cut off by a partition)
 * answered a request never, and held a pooled connection for good, where it now answers 503
 * store-unavailable. Not a startup parameter of the connection: a pooler such as PgBouncer refuses
 * those it does not know, and a session SET would outlive a transaction pooler's transaction. The
 * slowest statement a healthy store runs, a tenant's first read of its resolved cases for the
 * similar-case index, reads only their features.
 */
const STATEMENT_MS = 15_000;
/**
 * A migration's statements (and its wait for another replica's migration) and the upkeep's (a
 * retention's deletion of a large backlog at once) may take longer: a table rewritten. Bounded at
 * a request's, such work given up on would be rolled back and tried again the same way, for ever.
 */
const LONG_STATEMENT_MS = 10 * 60_000;

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
 * StoreUnavailable (reaching), not a bug. With `timeoutMs`, pg gives a statement up after that
 * long (its query_timeout, missing from @types/pg's QueryConfig).
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

/** SQLSTATE query_canceled: what a statement stopped by its statement_timeout fails with. */
const QUERY_CANCELED = '57014';
/**
 * How much longer than the server this process waits for a bounded statement: the server's
 * cancellation, which leaves nothing running, arrives first; this process's own bound is for a
 * server, or a network, that does not answer at all.
 */
const CANCEL_GRACE_MS = 250;

/**
 * Runs `work` in a transaction whose statements give up after `ms`, on the server as well as
 * here. A connection this process gives up on goes on running its statement until the server
 * next writes to it (a pg_sleep, a wait for a lock: for good), holding the backend and its locks;
 * so the transaction runs under SET LOCAL statement_timeout, which the server enforces and which
 * ends with it (no other caller of the pool inherits it). Past the bound and a grace this process
 * gives up too (pg's query_timeout). A connection that did not answer is closed, not given to the
 * next caller with its statement still running (the server rolls back a transaction whose
 * connection ends); after any other error the transaction is rolled back.
 */
async function boundedTransaction<T>(pool: pg.Pool, location: string, ms: number, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await reaching(location, () => pool.connect());
  const sql = sqlOf(client, location, ms + CANCEL_GRACE_MS);
  let unanswered = false;
  try {
    await sql.exec('BEGIN');
    await sql.exec(`SET LOCAL statement_timeout = ${Math.max(1, Math.ceil(ms))}`);
    const result = await work(sql);
    await sql.exec('COMMIT');
    return result;
  } catch (error) {
    unanswered = unavailability(error) !== undefined;
    if (!unanswered) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(unanswered);
  }
}

/**
 * Statements that give up after `ms` (Database.bounded), each in a transaction of its own
 * (boundedTransaction). A statement the server stopped is a StoreUnavailable that names the
 * bound, as one that does not answer.
 */
function boundedSql(pool: pg.Pool, location: string, ms: number): Sql {
  const within = async <T>(work: (sql: Sql) => Promise<T>): Promise<T> => {
    try {
      return await boundedTransaction(pool, location, ms, work);
    } catch (error) {
      // Read through the StoreUnavailable it became (reaching): the bound this caller set is what passed.
      if (driverError(error).code !== QUERY_CANCELED) throw error;
      const reason = noAnswerWithin(ms);
      throw new StoreUnavailable(`the case database ${location} cannot be used: ${reason} (its statement timeout)`, reason, { cause: error });
    }
  };
  return {
    query: (text, params) => within((sql) => sql.query(text, params)),
    exec: (text) => within((sql) => sql.exec(text)),
  };
}

/**
 * PostgreSQL at URL (postgres://user:password@host:port/db), for several `rca serve` replicas
 * sharing their cases; its statements give up after `statementMs` (STATEMENT_MS).
 */
export async function openPostgres(url: string, { statementMs = STATEMENT_MS }: { statementMs?: number } = {}): Promise<Database> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`--database-url: expected postgres://user:password@host:port/database, got ${JSON.stringify(redactedUrl(url))}`);
  const location = redactedUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: statementMs + CANCEL_GRACE_MS });
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
    bounded: (ms) => boundedSql(pool, location, ms),
    // autovacuum reclaims what the store deletes.
    reclaim: async () => undefined,
    transaction: (work, { long = false } = {}) => boundedTransaction(pool, location, long ? LONG_STATEMENT_MS : statementMs, work),
    close: () => pool.end(),
  };
}
