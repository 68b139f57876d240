import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { packageRoot } from '../../src/core/paths.js';
import { startPostgres, type PostgresCluster } from '../../bench/postgres-cluster.js';

let template: Promise<string> | undefined;

/**
 * A fresh PGlite cluster, made once per PGlite version on this machine and kept in the temp
 * directory: PGlite's first start runs initdb in WebAssembly, seconds on a busy machine, which
 * would count against every test that starts a server. Made aside and renamed into place, so
 * test files starting together never see half of one.
 */
async function pgliteTemplate(): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  // Kept across runs in the machine's temporary directory (test/global-setup.ts), not the run's,
  // and made beside it: the run's may be on another file system, where no rename reaches.
  const cache = process.env.RCA_TEST_CACHE_DIR ?? tmpdir();
  const ready = join(cache, `rca-pglite-template-${version}`);
  if (existsSync(join(ready, 'pgdata', 'PG_VERSION'))) return ready;
  const dir = mkdtempSync(join(cache, 'rca-pglite-making-'));
  const db = await PGlite.create(join(dir, 'pgdata'));
  await db.close();
  try {
    renameSync(dir, ready);
  } catch {
    // Another test file made it first.
    rmSync(dir, { recursive: true, force: true });
  }
  return ready;
}

/**
 * A new, empty data directory: a server given it makes its embedded database at start, which
 * takes PGlite seconds (initdb): a test that does not test that starts it on embeddedDataDir().
 */
export function emptyDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'rca-data-'));
}

/** A new data directory for the embedded store: a copy of the template cluster. */
export async function embeddedDataDir(): Promise<string> {
  template ??= pgliteTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'rca-data-'));
  cpSync(join(await template, 'pgdata'), join(dir, 'pgdata'), { recursive: true });
  return dir;
}

/** Both stores, for describe.each: each `settings()` is a fresh, empty database. */
export interface StoreKind {
  name: 'embedded' | 'postgres';
  settings(): Promise<{ dataDir: string } | { databaseUrl: string }>;
}

let cluster: Promise<PostgresCluster> | undefined;

/** The throwaway PostgreSQL of this test file, started at first use; call stopStores() in afterAll. */
export const STORE_KINDS: StoreKind[] = [
  { name: 'embedded', settings: async () => ({ dataDir: await embeddedDataDir() }) },
  {
    name: 'postgres',
    settings: async () => {
      cluster ??= startPostgres();
      return { databaseUrl: await (await cluster).createDatabase() };
    },
  },
];

export async function stopStores(): Promise<void> {
  if (cluster) await (await cluster.catch(() => undefined))?.stop();
  cluster = undefined;
}
