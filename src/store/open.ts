import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StoreError, UsageError } from '../core/errors.js';
import type { Database } from './database.js';
import { checkSchema, migrate, type MigrationResult } from './migrations.js';
import { driverError } from './unavailable.js';

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

/**
 * Whether the settings name a database there is already: PostgreSQL's always is; an embedded one
 * once made, which PGlite tells by its PG_VERSION file (it runs initdb in a cluster directory
 * without one, as one left empty by a first start that stopped early).
 */
export function storeExists(settings: StoreSettings): boolean {
  return settings.databaseUrl !== undefined || (settings.dataDir !== undefined && existsSync(join(settings.dataDir, EMBEDDED_CLUSTER, 'PG_VERSION')));
}

/** Opens the case database the settings name (the embedded one made when not there yet). */
async function openDatabase(settings: StoreSettings): Promise<Database> {
  // Each driver is loaded only when used: the embedded one is 27 MB of WebAssembly.
  return settings.databaseUrl ? (await import('./postgres.js')).openPostgres(settings.databaseUrl) : (await import('./embedded.js')).openEmbedded(settings.dataDir as string);
}

/** PostgreSQL's SQLSTATE insufficient_privilege: the role may not create or use the case tables. */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Runs `check` on a database just opened, closing it when that throws. A role the database
 * refuses (a PostgreSQL user without the grants) is the store's setting, not a bug: a StoreError
 * (exit 4) saying what the role needs.
 */
async function checked<T>(db: Database, check: (db: Database) => Promise<T>): Promise<T> {
  try {
    return await check(db);
  } catch (error) {
    await db.close();
    // The driver's error, also when reaching took it for the store's unavailability (a role without its grants).
    const { code, message } = driverError(error);
    if (code === INSUFFICIENT_PRIVILEGE) {
      throw new StoreError(`the case database ${db.location}: expected a role that may read and write the case tables (and create them: rca db migrate, rca serve), got: ${String(message)} (SQLSTATE ${code})`, { cause: error });
    }
    throw error;
  }
}

/** Opens the case database the settings name and brings its schema up to date. */
export async function openStore(settings: StoreSettings): Promise<{ db: Database; migration: MigrationResult }> {
  const db = await openDatabase(settings);
  return { db, migration: await checked(db, migrate) };
}

/** Refuses (StoreError) settings that name no database yet, for the commands that use cases rather than keep them. */
function checkStoreExists(settings: StoreSettings): void {
  if (!storeExists(settings)) {
    throw new StoreError(`--data-dir ${resolve(settings.dataDir as string)}: expected a case database, got none there yet (rca serve makes one at start, rca db migrate an empty one)`);
  }
}

/**
 * Opens the case database the settings name to change cases that are there (rca cases delete,
 * rca db forget-deleted), its schema brought up to date: an embedded one not made yet is not made
 * (a StoreError), since it would hold none, and a mistyped --data-dir would get a new one.
 */
export async function openExistingStore(settings: StoreSettings): Promise<Database> {
  checkStoreExists(settings);
  return (await openStore(settings)).db;
}

/**
 * Opens the case database the settings name to read it as it is, for the commands that only
 * read (rca cases list): an embedded one not made yet is not made, nor is one at an older schema
 * migrated; each is a StoreError saying which.
 */
export async function openStoreToRead(settings: StoreSettings): Promise<Database> {
  checkStoreExists(settings);
  const db = await openDatabase(settings);
  await checked(db, checkSchema);
  return db;
}
