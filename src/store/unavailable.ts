import { StoreUnavailable } from '../core/errors.js';

/** Socket errors by code, as a client may be told them: the address they carry stays in the log. */
const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed',
};

/**
 * SQLSTATEs of a server that takes no statement now (PostgreSQL's Appendix A), besides class 08
 * (connection exception): operator intervention that ends or refuses sessions, no connection
 * slot left, and a full disk (every write fails until an operator frees space: an outage of the
 * store, not a bug of the request).
 */
const UNAVAILABLE_STATES: Readonly<Record<string, string>> = {
  '57P01': 'the database server is shutting down',
  '57P02': 'the database server crashed',
  '57P03': 'the database server does not accept connections yet',
  '53300': 'the database server has too many connections',
  '53100': 'the database is out of disk space',
  // A grant revoked under a running server: the role's setting, which an operator fixes, not a bug of the request.
  '42501': 'the database refuses this role the case tables',
  // The statement_timeout every statement runs under (rca's, src/store/postgres.ts), or an operator's pg_cancel_backend.
  '57014': 'a statement was canceled, past its time limit or by an operator',
};

/** pg's own errors of a connection never made or lost, which carry no code: by their message. */
const DRIVER_ERRORS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^timeout exceeded when trying to connect$/, 'no connection within the connect timeout'],
  [/^Connection terminated/, 'connection terminated'],
  [/^Query read timeout$/, 'no answer within the query timeout'],
];

/**
 * The words for a bound that passed without an answer, the same whichever side noticed first:
 * the server stopping a bounded statement (Database.bounded) or a caller's own timer at the same
 * bound (/readyz), so a race between the two cannot change what a client reads.
 */
export function noAnswerWithin(ms: number): string {
  return `no answer within ${ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`}`;
}

/**
 * Why an error of the database means it cannot be reached or used for now, in words naming no
 * host, user or database; undefined for any other error (a statement's own, or a bug). One
 * reading for every edge: the case routes answer 503 for it, the CLI exits 4, /readyz reports it.
 */
export function unavailability(error: unknown): string | undefined {
  if (error instanceof StoreUnavailable) return error.reason;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    const named = SOCKET_ERRORS[code] ?? (UNAVAILABLE_STATES[code] !== undefined ? `${UNAVAILABLE_STATES[code]} (SQLSTATE ${code})` : undefined);
    if (named !== undefined) return named;
    if (/^08[0-9A-Z]{3}$/.test(code)) return `the connection failed (SQLSTATE ${code})`;
    // Class 58, errors external to PostgreSQL: an I/O error, a file of the cluster gone (a data
    // directory removed under a running server): the store's outage, not the request's bug.
    if (/^58[0-9A-Z]{3}$/.test(code)) return `the database cannot read or write its files (SQLSTATE ${code})`;
  }
  return typeof message === 'string' ? DRIVER_ERRORS.find(([pattern]) => pattern.test(message))?.[1] : undefined;
}

/** The driver's error behind ERROR: itself, or the one a StoreUnavailable wraps (reaching). */
export function driverError(error: unknown): { code?: unknown; message?: unknown } {
  return ((error instanceof StoreUnavailable ? error.cause : error) ?? {}) as { code?: unknown; message?: unknown };
}

/**
 * What `work` gives. Its error, when the database is unavailable (unavailability), is rethrown as
 * a StoreUnavailable naming LOCATION, the store's error rather than a bug; any other as it is.
 */
export async function reaching<T>(location: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const reason = unavailability(error);
    if (reason === undefined || error instanceof StoreUnavailable) throw error;
    throw new StoreUnavailable(`the case database ${location} cannot be used: ${reason} (${error instanceof Error ? error.message : String(error)})`, reason, { cause: error });
  }
}
