import type { CaseService } from '../cases/service.js';
import { DEFAULT_DELETED_RETENTION_DAYS, MAX_DELETED_RETENTION_DAYS } from '../cases/retention.js';
import { UsageError } from '../core/errors.js';
import { TENANT_NAME } from '../server/auth.js';
import { wholeNumberSetting } from './env-number.js';
import { storeSettings, type StoreSettings } from '../store/open.js';

/** --data-dir and --database-url: where the cases are, for `rca serve`, `rca db` and `rca cases`. */
export const storeOptions = {
  'data-dir': { type: 'string', describe: 'Directory of the embedded case database [env RCA_DATA_DIR, default $XDG_DATA_HOME/rca or ~/.local/share/rca]' },
  'database-url': { type: 'string', describe: 'PostgreSQL for the cases instead, shared by several servers: postgres://user:password@host:port/db [env RCA_DATABASE_URL]' },
} as const;

export type StoreArgs = StoreSettings;

/** --deleted-retention: how long what a deleted case leaves is kept, for the commands that forget it after (serve, cases delete, db forget-deleted). */
export const retentionOption = {
  'deleted-retention': {
    type: 'number',
    describe: `Days a deleted case's tombstone (where a list's cursor naming it pages on from) and Idempotency-Keys (which refuse a retry that would make it again) are kept, 0 for ever [env RCA_DELETED_RETENTION, default ${DEFAULT_DELETED_RETENTION_DAYS}]`,
  },
} as const;

/** The retention in days: --deleted-retention, else RCA_DELETED_RETENTION, else the default; 0 keeps them for ever. */
export function deletedRetentionFrom(flag: number | undefined, env: NodeJS.ProcessEnv): number {
  return wholeNumberSetting('--deleted-retention', flag, env, 'RCA_DELETED_RETENTION', DEFAULT_DELETED_RETENTION_DAYS, {
    max: MAX_DELETED_RETENTION_DAYS,
    expected: `a whole number of days from 0 (for ever) to ${MAX_DELETED_RETENTION_DAYS}`,
  });
}

/**
 * The retention of a store command's action that forgets what deletions left (FORGETTING names
 * those that do), or undefined for one that does not (rca cases list, rca db migrate): its
 * --deleted-retention would do nothing, and is refused rather than ignored.
 */
export function actionRetention(command: string, action: string, forgetting: readonly string[], flag: number | undefined, env: NodeJS.ProcessEnv): number | undefined {
  if (forgetting.includes(action)) return deletedRetentionFrom(flag, env);
  if (flag !== undefined) throw new UsageError(`--deleted-retention: expected only with ${forgetting.map((a) => `${command} ${a}`).join(' or ')}, which forget what deletions left past it; ${command} ${action} forgets no deleted case, got --deleted-retention ${flag}`);
  return undefined;
}

/**
 * --tenant as the API's tokens file names a tenant (TENANT_NAME): any other name has no case,
 * and an empty one or one with a space typed by mistake would only list none, exit 0.
 */
export function checkTenant(tenant: string): void {
  if (!TENANT_NAME.test(tenant)) throw new UsageError(`--tenant: expected a tenant's name, 1 to 64 letters, digits, '.', '_' or '-' (as the tokens file gives it), got ${JSON.stringify(tenant)}`);
}

export function storeFrom(args: StoreArgs, env: NodeJS.ProcessEnv): StoreSettings {
  return storeSettings({ ...(args.dataDir !== undefined && { dataDir: args.dataDir }), ...(args.databaseUrl !== undefined && { databaseUrl: args.databaseUrl }) }, env);
}

/**
 * Runs `work` with the cases of the store the settings name, opened for it and closed after:
 * migrated when needed, or, for `work` that only reads, used as it is (openStoreToRead). Either
 * way a store not made yet is refused, not made: only rca serve and rca db migrate make one.
 */
export async function withCases<T>(settings: StoreSettings, work: (cases: CaseService) => Promise<T>, { readOnly = false } = {}): Promise<T> {
  // Loaded here: only the commands that touch cases pay for the store and the parsers.
  const [{ openExistingStore, openStoreToRead }, { CaseService }, { parseArtifact }] = await Promise.all([import('../store/open.js'), import('../cases/service.js'), import('../collect/parsers/index.js')]);
  const db = readOnly ? await openStoreToRead(settings) : await openExistingStore(settings);
  try {
    return await work(new CaseService(db, parseArtifact));
  } finally {
    await db.close();
  }
}
