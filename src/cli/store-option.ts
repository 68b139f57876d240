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
