import type { Database } from '../store/database.js';
import { SimilarCases, type ResolvedCase } from './similar.js';

const shared = new WeakMap<Database, ResolvedIndexes>();

/** One tenant's index, the horizon it has read the database up to, and its catch-ups. */
interface TenantIndex {
  index: SimilarCases<ResolvedCase>;
  /** Every change by a transaction below this id is in the index (xid8 as text). */
  horizon: string;
  /** Read since this process last changed the tenant's resolved cases (what `changed` says). */
  fresh: boolean;
  running?: Promise<void>;
  /** The catch-up that has not started yet: a lookup arriving now waits for it, not for one that may have read before its own write. */
  queued?: Promise<void>;
}

/**
 * Each tenant's resolved cases, indexed in this process (SimilarCases: feature -> cases, with
 * the counts the weights come from), kept current from the database before every lookup.
 * Every write that resolves a case, changes a resolved one or reopens one stamps its row with
 * its transaction id (cases.similar_xid), and deleting a resolved case leaves a tombstone so
 * stamped (deleted_cases); a stamped row of a case that is not resolved (reopened) leaves the
 * index, as a tombstone does. A catch-up reads the rows and tombstones stamped at or after the horizon,
 * and moves the horizon to the oldest transaction still running when it read
 * (pg_snapshot_xmin): a transaction below that had ended by then, so its rows were read,
 * while one still running may commit later and is read again next time. So replicas sharing
 * one PostgreSQL each see every resolved case without a counter row they would all lock, and
 * a catch-up reads only what changed (the first reads the tenant's resolved cases once).
 */
export class ResolvedIndexes {
  private readonly tenants = new Map<string, TenantIndex>();

  private constructor(private readonly db: Database) {}

  /** The indexes of a database, one per database in this process: every service on it shares them, and hears of each other's changes. */
  static of(db: Database): ResolvedIndexes {
    let indexes = shared.get(db);
    if (!indexes) {
      indexes = new ResolvedIndexes(db);
      shared.set(db, indexes);
    }
    return indexes;
  }

  /**
   * This process committed a change to a tenant's resolved cases. On an exclusive database
   * (the embedded store) that is the only way they change, so a lookup reads the database
   * only after one; otherwise every lookup does.
   */
  changed(tenant: string): void {
    const held = this.tenants.get(tenant);
    if (held) held.fresh = false;
  }

  /** Cases of a tenant found deleted otherwise than by their tombstone (a lookup found no row): out of its index. */
  forget(tenant: string, ids: readonly string[]): void {
    const held = this.tenants.get(tenant);
    for (const id of ids) held?.index.remove(id);
  }

  /** The tenant's index, with every change committed before this call. */
  async of(tenant: string): Promise<SimilarCases<ResolvedCase>> {
    let held = this.tenants.get(tenant);
    if (!held) {
      held = { index: new SimilarCases(), horizon: '0', fresh: false };
      this.tenants.set(tenant, held);
    }
    await this.caughtUp(tenant, held);
    return held.index;
  }

  /** One catch-up at a time per tenant; lookups arriving while one runs share the next. */
  private caughtUp(tenant: string, held: TenantIndex): Promise<void> {
    if (this.db.exclusive && held.fresh && !held.queued && !held.running) return Promise.resolve();
    held.queued ??= (async () => {
      await held.running?.catch(() => undefined);
      held.queued = undefined;
      const run = this.readChanges(tenant, held);
      held.running = run;
      try {
        await run;
      } finally {
        if (held.running === run) held.running = undefined;
      }
    })();
    return held.queued;
  }

  private async readChanges(tenant: string, held: TenantIndex): Promise<void> {
    // Before the read: a change committed while it runs makes the next lookup read again.
    held.fresh = true;
    // A deleted case is a tombstone (deleted_cases), stamped as a change is, and a reopened one a
    // stamped row that is not resolved: one read, at one snapshot, sees a case either resolved or out.
    const rows = await this.db.query<ResolvedCase & { out: boolean; horizon: string }>(
      `SELECT id, confirmed_cause AS cause, features, status <> 'resolved' AS out, pg_snapshot_xmin(pg_current_snapshot())::text AS horizon FROM cases WHERE tenant = $1 AND similar_xid >= $2::xid8
       UNION ALL SELECT id, NULL, NULL, true, pg_snapshot_xmin(pg_current_snapshot())::text FROM deleted_cases WHERE tenant = $1 AND similar_xid >= $2::xid8`,
      [tenant, held.horizon],
    );
    for (const { id, cause, features, out } of rows) {
      if (out) held.index.remove(id);
      else held.index.put({ id, cause, features });
    }
    const [first] = rows;
    if (first) held.horizon = first.horizon;
  }
}
