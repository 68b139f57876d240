import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startPostgres, type PostgresCluster } from './postgres-cluster.js';

let template: Promise<string> | undefined;

/**
 * A new data directory for the embedded store. PGlite's first start runs initdb in
 * WebAssembly (seconds), so each test file does it once and copies the result.
 */
export async function embeddedDataDir(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-pglite-template-'));
    const db = await PGlite.create(join(dir, 'pgdata'));
    await db.close();
    return dir;
  })();
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
