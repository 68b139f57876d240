import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Database } from './database.js';
import { migrate, type MigrationResult } from './migrations.js';

/** The embedded database's PostgreSQL cluster, inside the data directory. */
export const EMBEDDED_CLUSTER = 'pgdata';

/** Where the cases are kept: --database-url (PostgreSQL) wins over --data-dir (embedded). */
export interface StoreSettings {
  dataDir?: string;
  databaseUrl?: string;
}

/**
 * The settings from flags, else RCA_DATABASE_URL / RCA_DATA_DIR, else the embedded store in
 * the user's data directory ($XDG_DATA_HOME/rca or ~/.local/share/rca).
 */
export function storeSettings(flags: StoreSettings, env: NodeJS.ProcessEnv): Required<Pick<StoreSettings, 'dataDir'>> | Required<Pick<StoreSettings, 'databaseUrl'>> {
  const databaseUrl = flags.databaseUrl ?? (env.RCA_DATABASE_URL || undefined);
  if (databaseUrl) return { databaseUrl };
  const dataDir = flags.dataDir ?? (env.RCA_DATA_DIR || undefined) ?? (env.XDG_DATA_HOME ? join(env.XDG_DATA_HOME, 'rca') : env.HOME ? join(env.HOME, '.local', 'share', 'rca') : undefined);
  if (!dataDir) throw new UsageError('--data-dir: expected a directory for the case database (or RCA_DATA_DIR, XDG_DATA_HOME or HOME set), got none');
  return { dataDir };
}

/** Whether the settings name a database there is already: PostgreSQL's always is; an embedded one once made. */
export function storeExists(settings: StoreSettings): boolean {
  return settings.databaseUrl !== undefined || (settings.dataDir !== undefined && existsSync(join(settings.dataDir, EMBEDDED_CLUSTER)));
}

/** Opens the case database the settings name and brings its schema up to date. */
export async function openStore(settings: StoreSettings): Promise<{ db: Database; migration: MigrationResult }> {
  // Each driver is loaded only when used: the embedded one is 27 MB of WebAssembly.
  const db = settings.databaseUrl ? await (await import('./postgres.js')).openPostgres(settings.databaseUrl) : await (await import('./embedded.js')).openEmbedded(settings.dataDir as string);
  try {
    return { db, migration: await migrate(db) };
  } catch (error) {
    await db.close();
    throw error;
  }
}
