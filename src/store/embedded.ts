import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { StoreError } from '../core/errors.js';
import type { Database, Sql } from './database.js';
import { EMBEDDED_CLUSTER } from './open.js';

/** Whether a process with this id runs (signal 0 only checks; EPERM means it runs as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process. PGlite is one PostgreSQL backend inside this
 * process with no lock of its own, and two processes writing one directory would corrupt it;
 * a lock left by a process that died (SIGKILL) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, 'rca.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError(`--data-dir ${dir}: expected a writable directory, got ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && running(holder)) {
        throw new StoreError(`--data-dir ${dir}: expected a data directory no other process uses, got one locked by process ${holder} (${file}); for several servers use --database-url`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new StoreError(`--data-dir ${dir}: could not take the lock ${file}`);
}

function sqlOf(db: Pick<PGlite, 'query' | 'exec'>): Sql {
  return {
    query: async <Row>(text: string, params: readonly unknown[] = []) => (await db.query<Row>(text, params as unknown[])).rows,
    exec: async (text) => {
      await db.exec(text);
    },
  };
}

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
  let db: PGlite;
  try {
    db = await PGlite.create(join(dir, EMBEDDED_CLUSTER));
  } catch (error) {
    unlock();
    throw new StoreError(`--data-dir ${dir}: the embedded database does not open: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    location: dir,
    exclusive: true,
    ...sqlOf(db),
    transaction: (work) => db.transaction((tx) => work(sqlOf(tx))),
    close: async () => {
      await db.close();
      unlock();
    },
  };
}
