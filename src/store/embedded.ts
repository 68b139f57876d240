import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Mutex, parse, PGlite, protocol } from '@electric-sql/pglite';
import { StoreError } from '../core/errors.js';
import type { Database, Sql } from './database.js';
import { EMBEDDED_CLUSTER } from './open.js';
import { lockHolderText, runningLockHolder } from './process-running.js';
import { reaching } from './unavailable.js';

/**
 * Removes a lock judged left behind, JUDGED its text, only if it is still that one: between the
 * reading and the removal another process may have taken the stale lock over and written its
 * own, which a plain removal would delete, both then holding the directory. The lock is moved
 * aside (a rename is atomic, so this process alone holds what it moved) and read again; one that
 * is not the lock judged is put back.
 */
function removeStaleLock(file: string, judged: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    // Gone already: its holder stopped, or another process removed it first.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== judged) linkSync(aside, file);
  } catch (error) {
    // EEXIST: a third process made a lock meanwhile, which stands; the one moved aside is dropped.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

/** How long an empty lock counts as one its process is still writing (lockDataDir). */
const LOCK_WRITING_MS = 5000;

/** How long ago a lock file was last written, in ms (0 when it is gone meanwhile: it is read again). */
function lockAge(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Takes the data directory for this process. PGlite is one PostgreSQL backend inside this
 * process with no lock of its own, and two processes writing one directory would corrupt it;
 * a lock left by a process that died (SIGKILL) is taken over, also when its pid now names
 * another process (the lock holds the pid and when that process started). HOLDER reads a
 * lock's text (runningLockHolder; a test's own to stand for another process).
 */
export function lockDataDir(dir: string, holder: (text: string) => number | undefined = runningLockHolder): () => void {
  const file = join(dir, 'rca.lock');
  const unwritable = (error: unknown) => new StoreError(`--data-dir ${dir}: expected a writable directory, got ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(error);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (readError) {
        // Removed since (its holder stopped): try again.
        if ((readError as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw unwritable(readError);
      }
      // An empty lock just made is one whose process has not written itself into it yet (openSync
      // and writeSync are two calls): held, not left behind, until it is older than a moment.
      const running = text === '' && lockAge(file) < LOCK_WRITING_MS ? 'another' : holder(text);
      if (running !== undefined && running !== process.pid) {
        // Most often the holder is `rca serve`, and the one refused an `rca cases` beside it: say how to reach the cases meanwhile.
        throw new StoreError(`--data-dir ${dir}: expected a data directory no other process uses, got one locked by ${running === 'another' ? 'another process' : `process ${running}`} (${file}); while it runs (rca serve, say), reach the cases through its API (/v1/cases) or stop it first; for several processes at once keep the cases in PostgreSQL (--database-url)`);
      }
      try {
        removeStaleLock(file, text);
      } catch (removeError) {
        throw unwritable(removeError);
      }
      continue;
    }
    try {
      writeSync(fd, lockHolderText());
    } catch (error) {
      // A full disk: no empty lock is left behind for the next start to judge.
      rmSync(file, { force: true });
      throw unwritable(error);
    } finally {
      closeSync(fd);
    }
    return () => rmSync(file, { force: true });
  }
  throw new StoreError(`--data-dir ${dir}: could not take the lock ${file}`);
}

/** The protocol messages as one buffer: PGlite's backend then reads them in one call. */
function joined(messages: readonly Uint8Array[]): Uint8Array {
  const buffer = new Uint8Array(messages.reduce((length, m) => length + m.length, 0));
  let at = 0;
  for (const m of messages) {
    buffer.set(m, at);
    at += m.length;
  }
  return buffer;
}

/**
 * Runs each statement text as a named prepared statement, parsed and planned once per
 * process (as the PostgreSQL store's driver does), then only bound and executed: PGlite's
 * own query() parses, plans and describes the text anew each time, in six calls into the
 * backend, which was most of a case create's database time. Parameters and rows are
 * converted by PGlite's own type serializers and parsers, so values read as query()'s do.
 * The texts are the store's own (a few dozen), never input.
 */
function preparedStatements(db: PGlite) {
  const prepared = new Map<string, { name: string; types: number[] }>();
  return async <Row>(text: string, params: readonly unknown[], syncToFs: boolean): Promise<Row[]> => {
    let statement = prepared.get(text);
    if (!statement) {
      const name = `rca_${prepared.size + 1}`;
      // A statement that does not parse throws here and is not kept: nothing is left prepared under its name.
      const described = await db.execProtocol(joined([protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]), { syncToFs: false });
      statement = { name, types: parse.parseDescribeStatementResults(described.messages) };
      prepared.set(text, statement);
    }
    const { types } = statement;
    const values = params.map((value, i) => (value === null || value === undefined ? null : (db.serializers[types[i] as number] ?? String)(value) as string));
    const { messages } = await db.execProtocol(joined([protocol.serialize.bind({ statement: statement.name, values }), protocol.serialize.describe({ type: 'P' }), protocol.serialize.execute({}), protocol.serialize.sync()]), { syncToFs });
    return (parse.parseResults(messages, db.parsers)[0]?.rows ?? []) as Row[];
  };
}

/**
 * The Sql of the embedded database. One statement or transaction at a time (`exclusive`):
 * PGlite is one backend, and a statement sent while another request's transaction is open
 * would run inside it. `inTransaction`: the caller holds it, and the files are written at
 * COMMIT (as PGlite's own transactions do).
 */
function sqlOf(db: PGlite, run: ReturnType<typeof preparedStatements>, inTransaction: boolean): Sql {
  return {
    query: <Row>(text: string, params: readonly unknown[] = []) => run<Row>(text, params, !inTransaction),
    exec: async (text) => {
      await db.exec(text);
    },
  };
}

/** A line of the backend's log that stops it (FATAL, PANIC), and what it says after its timestamp and severity. */
const STOPPING_LINE = /\b(?:FATAL|PANIC):\s+(.+)$/;

/**
 * The embedded case database: PostgreSQL compiled to WebAssembly (PGlite) in this process,
 * its files in DIR/pgdata (EMBEDDED_CLUSTER). Nothing to install or run beside rca; one process at a time.
 */
export async function openEmbedded(dataDir: string): Promise<Database> {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EEXIST from a recursive mkdir: the path, or one above it, is a file.
    const got = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file in the way' : code === 'EACCES' ? 'no permission to create it' : (code ?? String(error));
    throw new StoreError(`--data-dir ${dir}: expected a directory rca can create, got ${got}`);
  }
  const unlock = lockDataDir(dir);
  // PGlite's own error for a cluster that does not start says only "PGlite failed to initialize
  // properly"; why (a read-only cluster, a full disk, a broken file) is the backend's FATAL or
  // PANIC line on its stderr, which it prints only in debug mode.
  let stopped: string | undefined;
  let opening = true;
  const onStderr = (line: string) => {
    if (opening) stopped = STOPPING_LINE.exec(line)?.[1] ?? stopped;
    return false;
  };
  let db: PGlite;
  try {
    db = await PGlite.create(join(dir, EMBEDDED_CLUSTER), { onStderr });
  } catch (error) {
    unlock();
    throw new StoreError(`--data-dir ${dir}: the embedded database does not open: ${stopped ?? (error instanceof Error ? error.message : String(error))}`);
  } finally {
    opening = false;
  }
  const run = preparedStatements(db);
  const alone = sqlOf(db, run, false);
  const inTransaction = sqlOf(db, run, true);
  const turn = new Mutex();
  // A database that cannot take statements now (its disk full) is the store's outage, as on
  // PostgreSQL: a StoreUnavailable (503, exit 4), not a bug (500, "internal error").
  const sql: Sql = {
    query: (text, params) => reaching(dir, () => turn.runExclusive(() => alone.query(text, params))),
    exec: (text) => reaching(dir, () => turn.runExclusive(() => alone.exec(text))),
  };
  return {
    location: dir,
    exclusive: true,
    ...sql,
    bounded: () => sql,
    reclaim: (table) => sql.exec(`VACUUM ${table}`),
    transaction: (work) =>
      reaching(dir, () =>
        turn.runExclusive(async () => {
          await db.exec('BEGIN');
          try {
            const result = await work(inTransaction);
            // A statement that failed inside, its error caught, leaves the transaction aborted: COMMIT then rolls back.
            const [committed] = await db.exec('COMMIT');
            if (committed?.command === 'ROLLBACK') throw new StoreError('the transaction was rolled back: a statement in it failed');
            return result;
          } catch (error) {
            await db.exec('ROLLBACK');
            throw error;
          }
        }),
      ),
    close: async () => {
      await turn.runExclusive(() => db.close());
      unlock();
    },
  };
}
