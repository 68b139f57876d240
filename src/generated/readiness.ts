/* Generated from schemas/readiness.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * GET /readyz of a replica ready for requests: its knowledge base, and what its case store does. A case store shared by every replica (PostgreSQL) is reported in `store`, never by a 503: a probe that failed on it would take every replica out of the load balancer at once.
 */
export interface Readiness {
  status: 'ready';
  kb: {
    version: string;
    hash: string;
  };
  /**
   * The case store: alert on `status` unavailable. `off` on a server that keeps no cases (rca serve --no-cases), which is ready without one.
   */
  store: {
    /**
     * ok: it answered a query at this rca's schema version (within the last second); unavailable: it did not, as `detail` says; off: the server keeps no cases, and its case routes answer 404 cases-off.
     */
    status: 'ok' | 'unavailable' | 'off';
    /**
     * What is wrong when it is unavailable, without where the database is: "case store: connection refused".
     */
    detail?: string;
  };
}
