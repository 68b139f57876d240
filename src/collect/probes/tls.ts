import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import type { ParsedFacts } from '../parsers/types.js';
import { alertFromText } from '../parsers/tls-alerts.js';
import { certDaysLeft, failedCertificate, leafIssuerNotFound, unknownLeafIssuer, verifyFailureFacts, type VerifyError } from '../parsers/tls-verify.js';
import { errorCode, exchange, found, skip, type ProbeOutcome } from './outcome.js';

export interface TlsTarget {
  address: string;
  port: number;
  /** The name the client asks for: sent as SNI (unless an IP) and checked against the certificate. */
  serverName: string;
  /** PEM certificates to verify against (trustedCa); undefined: Node's own list. */
  ca?: string;
  /**
   * `ca` holds the roots the clients trust, given with --ca (curl --cacert), rather than this
   * machine's bundle: a leaf whose issuer is neither sent nor among them is then a chain the
   * server left incomplete.
   */
  caGiven?: boolean;
}

const NAME_ERROR = 'ERR_TLS_CERT_ALTNAME_INVALID';

/**
 * The path Node built, leaf first: the certificates the server sent, then the issuer it found
 * among the trusted CAs. A self-signed certificate is its own issuer: the walk ends at the first
 * certificate seen again.
 */
function certificatePath(leaf: DetailedPeerCertificate): PeerCertificate[] {
  const path: PeerCertificate[] = [];
  const seen = new Set<string>();
  for (let at: DetailedPeerCertificate | undefined = leaf; at?.fingerprint256 !== undefined && !seen.has(at.fingerprint256); at = at.issuerCertificate) {
    seen.add(at.fingerprint256);
    path.push(at);
  }
  return path;
}

// Errors OpenSSL raises at depth 0: a self-signed leaf, a leaf whose issuer is unknown, its name.
const LEAF_ERRORS = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'HOSTNAME_MISMATCH', NAME_ERROR]);
// Errors raised where the path ends: its top's issuer was not found, or it is a self-signed root the client does not trust.
const PATH_TOP_ERRORS = new Set(['UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN']);
const OUT_OF_VALIDITY: Record<string, (certificate: PeerCertificate, now: number) => boolean> = {
  CERT_HAS_EXPIRED: (certificate, now) => Date.parse(certificate.valid_to) < now,
  CERT_NOT_YET_VALID: (certificate, now) => Date.parse(certificate.valid_from) > now,
};

/**
 * The depth s_client would print for an error Node names without one: 0 for an error about the
 * leaf, the top of the path for a missing issuer or an untrusted root, and for a validity error
 * the certificate nearest the leaf outside its dates (OpenSSL checks them all, the leaf last,
 * and reports the last error). Undefined when the path does not show it.
 */
function errorDepth(error: string, path: readonly PeerCertificate[], now: number): number | undefined {
  if (path.length === 0) return undefined;
  if (LEAF_ERRORS.has(error)) return 0;
  if (PATH_TOP_ERRORS.has(error)) return path.length - 1;
  const outOfValidity = OUT_OF_VALIDITY[error];
  const depth = outOfValidity === undefined ? -1 : path.findIndex((certificate) => outOfValidity(certificate, now));
  return depth < 0 ? undefined : depth;
}

/** The leaf's issuer as its certificate names it ("CN=H201 Lab Issuing CA 1"), for a note. */
function issuerName(certificate: PeerCertificate): string | undefined {
  const parts = Object.entries(certificate.issuer ?? {}).map(([key, value]) => `${key}=${String(value)}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** The facts a handshake proves, and what the reader must know when they leave a question open. */
interface CertificateVerdict {
  facts: ParsedFacts;
  note?: string;
}

/**
 * tls.chain_complete for a leaf whose issuer the verification found neither sent nor trusted,
 * the server having presented the leaf alone and not self-signed (Node links a certificate to
 * its issuer among those sent, then the trusted ones, and a self-signed one to itself): false
 * when the trusted roots are the clients' (--ca), since the leaf needs an intermediate the server
 * leaves out to reach them. Against this machine's bundle a private root that signs leaves
 * directly fails the same way (lab 195), so the fact stays unknown and a note says how to tell.
 */
function leafIssuerVerdict(verdict: ParsedFacts, certificate: DetailedPeerCertificate, errors: readonly VerifyError[], caGiven: boolean): CertificateVerdict {
  const leafAlone = certificate.issuerCertificate?.fingerprint256 === undefined;
  if (verdict['tls.chain_complete'] !== undefined || !leafAlone || !leafIssuerNotFound(errors)) return { facts: verdict };
  if (caGiven) return { facts: { ...verdict, 'tls.chain_complete': false } };
  const tellApart = 'tls.chain_complete stays unknown. Rerun with --ca FILE holding the root the clients trust: the same error then means the server leaves out an intermediate';
  return { facts: verdict, note: unknownLeafIssuer(issuerName(certificate), String(errors[0]?.error), tellApart) };
}

/**
 * The handshake as curl sees it: verified against the trusted CAs and the name, or failed with
 * what the verification errors prove and which certificate they are about (the mapping the
 * openssl parser uses, with the depth s_client would print). Days left and the
 * name match are read either way: they are facts about the certificate, not about trust.
 */
function certificateFacts(certificate: DetailedPeerCertificate, serverName: string, authorizationError: string | undefined, now: number, caGiven: boolean): CertificateVerdict {
  const facts: ParsedFacts = {};
  const notAfter = Date.parse(certificate.valid_to);
  const notBefore = Date.parse(certificate.valid_from);
  if (Number.isFinite(notAfter)) facts['tls.cert_days_left'] = certDaysLeft({ notAfter, ...(Number.isFinite(notBefore) && { notBefore }) }, now);
  const nameError = certificate.subject === undefined ? undefined : checkServerIdentity(serverName, certificate);
  if (certificate.subject !== undefined) facts['tls.cert_name_match'] = nameError === undefined;
  // Node reports the name check it makes itself (after OpenSSL accepted the chain) as an
  // authorization error too: the chain errors are the others.
  const chainError = authorizationError === NAME_ERROR ? undefined : authorizationError;
  // OpenSSL accepted the chain: it was sent whole.
  if (chainError === undefined) facts['tls.chain_complete'] = true;
  const path = certificatePath(certificate);
  const errors: VerifyError[] = [chainError, nameError && NAME_ERROR]
    .filter((error) => typeof error === 'string')
    .map((error) => {
      const depth = errorDepth(error, path, now);
      return depth === undefined ? { error } : { error, depth };
    });
  if (errors.length === 0) return { facts: { ...facts, 'tls.handshake': 'ok' } };
  // Which certificate failed, as the openssl parser reads it from s_client's depths: the top of the path is its root.
  const failed = failedCertificate(errors, (depth) => depth === path.length - 1);
  return leafIssuerVerdict({ ...facts, ...verifyFailureFacts(errors), ...(failed !== undefined && { 'tls.failed_cert': failed }) }, certificate, errors, caGiven);
}

/**
 * One TLS handshake with SNI, verified against `ca`. The connection is not cut on a bad
 * certificate (rejectUnauthorized is off) so that the certificate can still be read: the
 * verdict becomes facts.
 */
export function probeTls({ address, port, serverName, ca, caGiven = false }: TlsTarget, timeoutMs: number): Promise<ProbeOutcome> {
  let tcpConnected = false;
  return exchange(
    timeoutMs,
    () => (tcpConnected ? found({ 'tls.handshake': 'timeout' }) : skip('tls', `no TCP connection to ${address}:${port} within ${timeoutMs} ms`)),
    (finish) => {
      const socket = tlsConnect({ host: address, port, rejectUnauthorized: false, ...(ca !== undefined && { ca }), ...(isIP(serverName) === 0 && { servername: serverName }) });
      socket.once('connect', () => (tcpConnected = true));
      socket.once('secureConnect', () => {
        const authorizationError = socket.authorized ? undefined : String(socket.authorizationError);
        const { facts, note } = certificateFacts(socket.getPeerCertificate(true), serverName, authorizationError, Date.now(), caGiven);
        finish({ ...found(facts), ...(note !== undefined && { notes: [{ probe: 'tls', note }] }) });
      });
      socket.once('error', (error) => {
        if (!tcpConnected) return finish(skip('tls', `TCP connect to ${address}:${port} failed (${errorCode(error)})`));
        const alert = alertFromText(`${error.message} ${errorCode(error)}`);
        finish(found({ 'tls.handshake': 'failed', ...(alert !== undefined && { 'tls.alert': alert }) }));
      });
      return socket;
    },
  );
}
