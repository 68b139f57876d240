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
  /** Whether the error proves the server sent (true) or left out (false) the intermediates. */
  chainComplete?: boolean;
  nameMatch?: false;
}

const UNKNOWN_CA: VerifyErrorMeaning = { alert: 'unknown_ca' };

// X509_V_ERR_* numbers (openssl-verification-options(1)) and the codes Node reports for them.
const BY_NUMBER = new Map<number, VerifyErrorMeaning>([
  [2, UNKNOWN_CA], // unable to get issuer certificate
  // not yet valid: a validity verdict like 10, and most often a client clock behind; the
  // knowledge base reads it as certificate_expired (test/scenarios/system/client-clock-behind.yaml)
  // although OpenSSL's own alert for it is bad_certificate. The days come from notBefore.
  [9, { alert: 'certificate_expired' }],
  [10, { alert: 'certificate_expired' }],
  // a self-signed leaf: nothing to say about intermediates
  [18, UNKNOWN_CA],
  // the chain was sent up to a self-signed root the client does not trust
  [19, { alert: 'unknown_ca', chainComplete: true }],
  [20, UNKNOWN_CA], // unable to get local issuer certificate
  // unable to verify the first certificate: the leaf's issuer was neither sent nor trusted
  [21, { alert: 'unknown_ca', chainComplete: false }],
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

function meaning({ error, depth }: VerifyError): VerifyErrorMeaning {
  const number = typeof error === 'number' ? error : NODE_CODES.get(error);
  const found = number === undefined ? undefined : BY_NUMBER.get(number);
  // 20 at the leaf is 21 in other words: its issuer was neither sent nor trusted.
  if ((number === 20 || number === 2) && depth === 0) return { alert: 'unknown_ca', chainComplete: false };
  return found ?? {};
}

/** The facts a non-empty list of verification errors proves: a failed handshake, plus what each error means. */
export function verifyFailureFacts(errors: readonly VerifyError[]): ParsedFacts {
  const facts: ParsedFacts = { 'tls.handshake': 'failed' };
  for (const found of errors.map(meaning)) {
    if (found.alert !== undefined && facts['tls.alert'] === undefined) facts['tls.alert'] = found.alert;
    if (found.nameMatch === false) facts['tls.cert_name_match'] = false;
    // "Left out" wins: one missing issuer is enough.
    if (found.chainComplete !== undefined && facts['tls.chain_complete'] !== false) facts['tls.chain_complete'] = found.chainComplete;
  }
  return facts;
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
