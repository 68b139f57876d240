import type { CaseService } from '../cases/service.js';
import { storeSettings, type StoreSettings } from '../store/open.js';

/** --data-dir and --database-url: where the cases are, for `rca serve`, `rca db` and `rca cases`. */
export const storeOptions = {
  'data-dir': { type: 'string', describe: 'Directory of the embedded case database [env RCA_DATA_DIR, default $XDG_DATA_HOME/rca or ~/.local/share/rca]' },
  'database-url': { type: 'string', describe: 'PostgreSQL for the cases instead, shared by several servers: postgres://user:password@host:port/db [env RCA_DATABASE_URL]' },
} as const;

export type StoreArgs = StoreSettings;

export function storeFrom(args: StoreArgs, env: NodeJS.ProcessEnv): StoreSettings {
  return storeSettings({ ...(args.dataDir !== undefined && { dataDir: args.dataDir }), ...(args.databaseUrl !== undefined && { databaseUrl: args.databaseUrl }) }, env);
}

/** Runs `work` with the cases of the store the settings name, opened (and migrated) for it and closed after. */
export async function withCases<T>(settings: StoreSettings, work: (cases: CaseService) => Promise<T>): Promise<T> {
  // Loaded here: only the commands that touch cases pay for the store and the parsers.
  const [{ openStore }, { CaseService }, { parseArtifact }] = await Promise.all([import('../store/open.js'), import('../cases/service.js'), import('../collect/parsers/index.js')]);
  const { db } = await openStore(settings);
  try {
    return await work(new CaseService(db, parseArtifact));
  } finally {
    await db.close();
  }
}
