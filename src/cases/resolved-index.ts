import type { Sql } from '../store/database.js';
import { SimilarCases, type ResolvedCase } from './similar.js';

/** One tenant's index, the horizon it has read the database up to, and its catch-ups. */
interface TenantIndex {
  index: SimilarCases<ResolvedCase>;
  /** Every change by a transaction below this id is in the index (xid8 as text). */
  horizon: string;
  running?: Promise<void>;
  /** The catch-up that has not started yet: a lookup arriving now waits for it, not for one that may have read before its own write. */
  queued?: Promise<void>;
}

/**
 * Each tenant's resolved cases, indexed in this process (SimilarCases: feature -> cases, with
 * the counts the weights come from), kept current from the database before every lookup.
 * Every write that resolves a case, or changes a resolved one, stamps its row with its
 * transaction id (cases.similar_xid). A catch-up reads the rows stamped at or after the
 * horizon, and moves the horizon to the oldest transaction still running when it read
 * (pg_snapshot_xmin): a transaction below that had ended by then, so its rows were read,
 * while one still running may commit later and is read again next time. So replicas sharing
 * one PostgreSQL each see every resolved case without a counter row they would all lock, and
 * a catch-up reads only what changed (the first reads the tenant's resolved cases once).
 */
export class ResolvedIndexes {
  private readonly tenants = new Map<string, TenantIndex>();

  constructor(private readonly db: Sql) {}

  /** The tenant's index, with every change committed before this call. */
  async of(tenant: string): Promise<SimilarCases<ResolvedCase>> {
    let held = this.tenants.get(tenant);
    if (!held) {
      held = { index: new SimilarCases(), horizon: '0' };
      this.tenants.set(tenant, held);
    }
    await this.caughtUp(tenant, held);
    return held.index;
  }

  /** One catch-up at a time per tenant; lookups arriving while one runs share the next. */
  private caughtUp(tenant: string, held: TenantIndex): Promise<void> {
    held.queued ??= (async () => {
      await held.running?.catch(() => undefined);
      held.queued = undefined;
      held.running = this.readChanges(tenant, held);
      await held.running;
    })();
    return held.queued;
  }

  private async readChanges(tenant: string, held: TenantIndex): Promise<void> {
    const rows = await this.db.query<ResolvedCase & { horizon: string }>('SELECT id, confirmed_cause AS cause, features, pg_snapshot_xmin(pg_current_snapshot())::text AS horizon FROM cases WHERE tenant = $1 AND similar_xid >= $2::xid8', [
      tenant,
      held.horizon,
    ]);
    for (const { id, cause, features } of rows) held.index.put({ id, cause, features });
    const [first] = rows;
    if (first) held.horizon = first.horizon;
  }
}
