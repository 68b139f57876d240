/**
 * What the case store needs from a database, met by the embedded one (PGlite, under
 * --data-dir) and by PostgreSQL (--database-url): both speak PostgreSQL's dialect, so one set
 * of migrations and one set of queries serve both.
 */
export interface Sql {
  /** One statement with $1.. parameters; the rows it returns. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements without parameters (a migration). */
  exec(text: string): Promise<void>;
}

export interface Database extends Sql {
  /** Where the cases are, for messages: the data directory, or the URL without its password. */
  readonly location: string;
  /** Whether this process is the only one writing (the embedded store, whose data directory it locks). */
  readonly exclusive: boolean;
  /**
   * Statements that give up after `ms`, for a health check, which must not wait on a database
   * that hangs: on PostgreSQL the server stops the statement then (statement_timeout), so it
   * does not run on for good, holding a backend and its locks, and a connection that does not
   * answer even so is closed, so it holds none of the pool's connections. The embedded store's statements run in
   * this process, one at a time, with no pool to hold and nothing to give up on: its own Sql.
   */
  bounded(ms: number): Sql;
  /**
   * Makes the space of the rows deleted from TABLE (one of the store's own, never input) reusable
   * where nothing else would: PGlite is one backend in this process and runs no autovacuum, so the
   * embedded store vacuums the table (VACUUM reads only the pages changed since it last ran); on
   * PostgreSQL autovacuum does it, and this does nothing.
   */
  reclaim(table: string): Promise<void>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. The
   * statements of `long` work, a migration or the store's upkeep, may run longer than a request's
   * (on PostgreSQL, minutes, not seconds).
   */
  transaction<T>(work: (tx: Sql) => Promise<T>, options?: { long?: boolean }): Promise<T>;
  close(): Promise<void>;
}
