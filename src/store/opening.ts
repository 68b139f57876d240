/** How long a failed opening answers its failure before the next call tries again: the first wait, doubled with each failure in a row up to the most. */
export const OPEN_RETRY_MS = { first: 1000, most: 30_000 } as const;

/**
 * A store's opening, begun by the first call and shared by every caller meanwhile. A failed one
 * is not kept for the life of the process (a data directory locked for a moment by another
 * process would leave the cases unusable until a restart): it answers its failure for a while,
 * then the next call tries again. The wait doubles with each failure in a row, so a storm of
 * requests against a store that keeps failing (PGlite takes a second of CPU to fail on a broken
 * cluster) makes one attempt per wait.
 */
export class StoreOpening<T> {
  private current: { promise: Promise<T>; failedAt?: number } | undefined;
  private wait = 0;

  constructor(
    private readonly open: () => Promise<T>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The store: opened at the first call, and again at a call once a failure's wait is over. */
  get(): Promise<T> {
    const current = this.current;
    if (current && (current.failedAt === undefined || this.now() - current.failedAt < this.wait)) return current.promise;
    const attempt: { promise: Promise<T>; failedAt?: number } = { promise: this.open() };
    this.current = attempt;
    attempt.promise.catch(() => {
      attempt.failedAt = this.now();
      this.wait = Math.min(Math.max(2 * this.wait, OPEN_RETRY_MS.first), OPEN_RETRY_MS.most);
    });
    return attempt.promise;
  }

  /**
   * The opening once begun, without beginning it (what /readyz waits for: a store not made yet is
   * nothing to wait for); a failed one is tried again as get() does, so that a replica taken out
   * of its load balancer for it, which then gets no case to open it, becomes ready once it opens.
   */
  begun(): Promise<T> | undefined {
    return this.current && this.get();
  }

  /** The latest attempt, settled or not, without beginning one: what a shutdown waits for, to close what it opened. */
  latest(): Promise<T> | undefined {
    return this.current?.promise;
  }
}
