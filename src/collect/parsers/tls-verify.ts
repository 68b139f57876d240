import type { ParsedFacts } from './types.js';
import { round } from './text.js';
import type { TlsAlert } from './tls-alerts.js';

/**
 * Certificate verification errors as facts, shared by the openssl parser (s_client's "verify
 * error:num=N" and "Verify return code: N") and the TLS probe (Node's authorizationError,
 * which is OpenSSL's X509_V_ERR_* name). A failed verification fails the handshake the way
 * curl and browsers see it; each error adds what it proves, and nothing else.
 */
interface VerifyErrorMeaning {
  /** What the client reports, in the words of the tls.alert question ("unable to get local issuer certificate" = unknown_ca). */
  alert?: TlsAlert;
  /**
   * Whether the error proves the server sent the intermediates (true). No error proves they were
   * left out: a leaf whose issuer is neither sent nor trusted (20 or 21 at depth 0) is what a
   * missing intermediate gives and also what a leaf signed directly by a private root gives on a
   * client without that root (servers do not send the root), and the issuer's name does not
   * tell them apart. What the store held does: the TLS probe, given the clients' roots (--ca),
   * reads a leaf sent alone as left incomplete; s_client's text never says what -CAfile named.
   */
  chainComplete?: true;
  nameMatch?: false;
}

const UNKNOWN_CA: VerifyErrorMeaning = { alert: 'unknown_ca' };
/** X509_V_ERR_CERT_NOT_YET_VALID and X509_V_ERR_CERT_HAS_EXPIRED: the two sides of a certificate's validity. */
const NOT_YET_VALID = 9;
const EXPIRED = 10;

// X509_V_ERR_* numbers (openssl-verification-options(1)) and the codes Node reports for them.
const BY_NUMBER = new Map<number, VerifyErrorMeaning>([
  [2, UNKNOWN_CA], // unable to get issuer certificate
  // not yet valid: a validity verdict like 10, and most often a client clock behind; the
  // knowledge base reads it as certificate_expired (test/scenarios/system/client-clock-behind.yaml)
  // although OpenSSL's own alert for it is bad_certificate. The days come from notBefore.
  [NOT_YET_VALID, { alert: 'certificate_expired' }],
  [EXPIRED, { alert: 'certificate_expired' }],
  // a self-signed leaf is its whole chain: no intermediate exists to leave out
  [18, { alert: 'unknown_ca', chainComplete: true }],
  // the chain was sent up to a self-signed root the client does not trust
  [19, { alert: 'unknown_ca', chainComplete: true }],
  [20, UNKNOWN_CA], // unable to get local issuer certificate
  // unable to verify the first certificate: the leaf's issuer was neither sent nor trusted
  // (OpenSSL adds it after 20 when the path it built is the leaf alone)
  [21, UNKNOWN_CA],
  [62, { nameMatch: false }], // hostname mismatch
]);

const NODE_CODES = new Map<string, number>([
  ['UNABLE_TO_GET_ISSUER_CERT', 2],
  ['CERT_NOT_YET_VALID', 9],
  ['CERT_HAS_EXPIRED', 10],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 18],
  ['SELF_SIGNED_CERT_IN_CHAIN', 19],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 20],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 21],
  ['HOSTNAME_MISMATCH', 62],
  // Node checks the name itself (tls.checkServerIdentity), after OpenSSL accepted the chain.
  ['ERR_TLS_CERT_ALTNAME_INVALID', 62],
]);

export interface VerifyError {
  /** OpenSSL's number, or Node's code for it. */
  error: number | string;
  /** Position in the chain (0 = the leaf), when the tool prints it. */
  depth?: number;
}

/** OpenSSL's number of the error, however the tool named it. */
function errorNumber({ error }: VerifyError): number | undefined {
  return typeof error === 'number' ? error : NODE_CODES.get(error);
}

function meaning(verifyError: VerifyError): VerifyErrorMeaning {
  const number = errorNumber(verifyError);
  return (number === undefined ? undefined : BY_NUMBER.get(number)) ?? {};
}

/**
 * Whether the errors say the leaf's issuer was neither sent nor trusted (2, 20 or 21 at the leaf,
 * or 21, which is about the leaf wherever it is printed): a missing intermediate or an untrusted
 * private root, which only the issuer itself tells apart.
 */
export function leafIssuerNotFound(errors: readonly VerifyError[]): boolean {
  return errors.some((e) => {
    const number = errorNumber(e);
    return number === 21 || ((number === 20 || number === 2) && e.depth === 0);
  });
}

/**
 * What to say of a leaf whose issuer was neither sent nor trusted (leafIssuerNotFound), where
 * the verification does not tell a missing intermediate from a private root the client lacks:
 * `issuer` as the tool names it, `error` as it reported it, `tellApart` the rerun that settles it.
 */
export function unknownLeafIssuer(issuer: string | undefined, error: string, tellApart: string): string {
  const named = issuer === undefined ? "the leaf's issuer" : `the leaf's issuer (${issuer})`;
  return `${named} was neither sent nor trusted (${error}): the server leaves out an intermediate, or the issuer is a private CA this client lacks; ${tellApart}`;
}

/**
 * The facts a non-empty list of verification errors proves: a failed handshake, plus what each
 * error means. The alert is the first error's, but a leaf out of its validity (9, 10 at depth
 * 0) outranks an issuer the client did not find: s_client goes on past the first error, and
 * expiry fails every client, an unknown issuer only those without the CA (a private CA's
 * expired leaf read from a box without that CA is expired, not untrusted). Which side of its
 * validity a certificate failed on is tls.cert_not_yet_valid: 9 before notBefore (the client's
 * clock behind), 10 past notAfter (lab review 206, case 08: "not yet valid" on one client read as
 * its stale trust store, which cannot say it).
 */
export function verifyFailureFacts(errors: readonly VerifyError[]): ParsedFacts {
  const facts: ParsedFacts = { 'tls.handshake': 'failed' };
  const numbers = new Set(errors.map(errorNumber));
  if (numbers.has(NOT_YET_VALID)) facts['tls.cert_not_yet_valid'] = true;
  else if (numbers.has(EXPIRED)) facts['tls.cert_not_yet_valid'] = false;
  const leafOutOfValidity = errors.some((e) => e.depth === 0 && meaning(e).alert === 'certificate_expired');
  if (leafOutOfValidity) facts['tls.alert'] = 'certificate_expired';
  for (const found of errors.map(meaning)) {
    if (found.alert !== undefined && facts['tls.alert'] === undefined) facts['tls.alert'] = found.alert;
    if (found.nameMatch === false) facts['tls.cert_name_match'] = false;
    if (found.chainComplete) facts['tls.chain_complete'] = true;
  }
  return facts;
}

/** Where the certificate a verification failed on stands in the chain (tls.failed_cert). */
export type ChainPosition = 'leaf' | 'intermediate' | 'root';

// Its issuer was not found (2, 20): so it is not a root, which is its own issuer (18, 19).
const ISSUER_NOT_FOUND = new Set([2, 20]);
// A self-signed certificate above the leaf: the root the server sent.
const SELF_SIGNED_IN_CHAIN = 19;

/**
 * Which certificate the verification failed on: of the errors that name a depth, the one
 * nearest the leaf (a client clock far off fails the leaf along with any CA certificate, so an
 * error above the leaf alone says the leaf passed). Depth 0 is the leaf; above it, a certificate
 * whose issuer was not found is an intermediate, a self-signed one in the chain is the root, and
 * any other is the root when `isRoot(depth)` says it ends the path (the tool shows it
 * self-signed, or nothing was printed above it), else an intermediate or cross-sign.
 */
export function failedCertificate(errors: readonly VerifyError[], isRoot: (depth: number) => boolean): ChainPosition | undefined {
  let nearest: VerifyError | undefined;
  for (const error of errors) if (error.depth !== undefined && (nearest?.depth === undefined || error.depth < nearest.depth)) nearest = error;
  if (nearest?.depth === undefined) return undefined;
  if (nearest.depth === 0) return 'leaf';
  const number = errorNumber(nearest);
  if (number !== undefined && ISSUER_NOT_FOUND.has(number)) return 'intermediate';
  if (number === SELF_SIGNED_IN_CHAIN) return 'root';
  return isRoot(nearest.depth) ? 'root' : 'intermediate';
}

const DAY_MS = 86_400_000;

/**
 * tls.cert_days_left from the leaf's validity: days until notAfter, negative once past it; a
 * certificate not valid yet counts as expired (the tls.cert_days_left question says so),
 * negative by the days until notBefore.
 */
export function certDaysLeft(validity: { notBefore?: number; notAfter: number }, now: number): number {
  if (validity.notBefore !== undefined && validity.notBefore > now) return round((now - validity.notBefore) / DAY_MS);
  return round((validity.notAfter - now) / DAY_MS);
}
