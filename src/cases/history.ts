/**
 * How many diagnoses one case keeps (--history-limit): the first (the ticket as it opened) and the
 * latest. A ticketing system that PATCHes its case on every sync adds 7 to 20 kB of JSON each
 * time, and GET /v1/cases/ID answers the whole history: without a bound, a case patched every
 * minute grows to hundreds of MB, and so does its answer. 100 keeps a case under about 2 MB.
 */
export const DEFAULT_HISTORY_LIMIT = 100;
/** The first diagnosis and the latest are always kept: a bound below two would forget one of them. */
export const MIN_HISTORY_LIMIT = 2;
/** The largest bound taken: some 200 MB a case, past which a number is a mistake (ms, or bytes) rather than a wish. */
export const MAX_HISTORY_LIMIT = 10_000;
