import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { ParsedFacts } from '../parsers/types.js';
import { alertFromText } from '../parsers/tls-alerts.js';
import { certDaysLeft, verifyFailureFacts, type VerifyError } from '../parsers/tls-verify.js';
import { errorCode, exchange, found, skip, type ProbeOutcome } from './outcome.js';

export interface TlsTarget {
  address: string;
  port: number;
  /** The name the client asks for: sent as SNI (unless an IP) and checked against the certificate. */
  serverName: string;
  /** PEM certificates to verify against (trustedCa); undefined: Node's own list. */
  ca?: string;
}

const NAME_ERROR = 'ERR_TLS_CERT_ALTNAME_INVALID';

/**
 * The handshake as curl sees it: verified against the trusted CAs and the name, or failed with
 * what the verification errors prove (the mapping the openssl parser uses). Days left and the
 * name match are read either way: they are facts about the certificate, not about trust.
 */
function certificateFacts(certificate: PeerCertificate, serverName: string, authorizationError: string | undefined, now: number): ParsedFacts {
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
  const errors: VerifyError[] = [chainError, nameError && NAME_ERROR].filter((error) => typeof error === 'string').map((error) => ({ error }));
  return { ...facts, ...(errors.length > 0 ? verifyFailureFacts(errors) : { 'tls.handshake': 'ok' }) };
}

/**
 * One TLS handshake with SNI, verified against `ca`. The connection is not cut on a bad
 * certificate (rejectUnauthorized is off) so that the certificate can still be read: the
 * verdict becomes facts.
 */
export function probeTls({ address, port, serverName, ca }: TlsTarget, timeoutMs: number): Promise<ProbeOutcome> {
  let tcpConnected = false;
  return exchange(
    timeoutMs,
    () => (tcpConnected ? found({ 'tls.handshake': 'timeout' }) : skip('tls', `no TCP connection to ${address}:${port} within ${timeoutMs} ms`)),
    (finish) => {
      const socket = tlsConnect({ host: address, port, rejectUnauthorized: false, ...(ca !== undefined && { ca }), ...(isIP(serverName) === 0 && { servername: serverName }) });
      socket.once('connect', () => (tcpConnected = true));
      socket.once('secureConnect', () => {
        const authorizationError = socket.authorized ? undefined : String(socket.authorizationError);
        finish(found(certificateFacts(socket.getPeerCertificate(), serverName, authorizationError, Date.now())));
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
