import type { CaseService, Forgotten } from './service.js';

/** Days what a deleted case leaves (its tombstone, its Idempotency-Keys) is kept by default (--deleted-retention). */
export const DEFAULT_DELETED_RETENTION_DAYS = 30;
/** The longest retention taken: a century, past which `days` would be a mistake rather than a wish. */
export const MAX_DELETED_RETENTION_DAYS = 36_500;
/** How often `rca serve` forgets what is past the retention: far below any retention, so one is kept within an hour of its length. */
export const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the deletions more than `days` before `now` (ms since the epoch) left, forgotten. */
export function forgetExpired(cases: CaseService, days: number, now: number): Promise<Forgotten> {
  return cases.forgetDeleted(new Date(now - days * DAY_MS));
}

/** What a cleanup forgot, in words: the line rca serve logs and rca db forget-deleted writes. */
export function forgottenText(forgotten: Forgotten, days: number): string {
  return `forgot ${forgotten.tombstones} deleted cases and ${forgotten.keys} of their idempotency keys, deleted over ${days} days ago`;
}

/** Where a cleanup tells what it did, or why it could not (a pino logger is one). */
export interface CleanupLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface CleanupOptions {
  /** The store once its opening has begun (rca serve's, at start), without beginning it: a store not open has nothing to forget yet. */
  cases: () => Promise<CaseService> | undefined;
  days: number;
  log: CleanupLog;
  /** The clock the retention is counted by (ms since the epoch). */
  now?: () => number;
  intervalMs?: number;
}

/** A cleanup that runs on its own: `run` runs a turn now (sharing one that runs), `stop` ends the turns and waits for the one running. */
export interface Cleanup {
  run(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Forgets what is past the retention every `intervalMs` (and whenever `run` is called), on the
 * store once open, one turn at a time. A turn that fails (the database unavailable) is logged
 * and the next one tries again; its timer keeps no process alive. Each replica sharing a
 * PostgreSQL store runs its own: a turn deletes only what is past the retention, so turns of
 * several replicas, at once or not, forget each row once.
 */
export function startCleanup({ cases, days, log, now = Date.now, intervalMs = CLEANUP_INTERVAL_MS }: CleanupOptions): Cleanup {
  let running: Promise<void> | undefined;
  const turn = async () => {
    const service = await cases()?.catch(() => undefined);
    if (!service) return;
    try {
      const forgotten = await forgetExpired(service, days, now());
      if (forgotten.tombstones > 0 || forgotten.keys > 0) log.info({ forgotten, retentionDays: days }, forgottenText(forgotten, days));
    } catch (error) {
      log.warn({ err: error }, `could not forget the deleted cases past their ${days} days; trying again in ${intervalMs / 60_000} minutes`);
    }
  };
  const run = () => {
    running ??= turn().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void run(), intervalMs).unref();
  return {
    run,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
