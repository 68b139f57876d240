import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { ParsedFacts } from '../parsers/types.js';
import { round } from '../parsers/text.js';
import { alertFromText } from '../parsers/tls-alerts.js';
import { errorCode, exchange, found, skip, type ProbeOutcome } from './outcome.js';

const DAY_MS = 86_400_000;

export interface TlsTarget {
  address: string;
  port: number;
  /** The name the client asks for: sent as SNI (unless an IP) and checked against the certificate. */
  serverName: string;
}

/** Verification results that mean the chain was sent whole: verified (Node checks the name only after the chain passed), or sent up to a root that is not trusted. */
const CHAIN_SENT = new Set([undefined, 'ERR_TLS_CERT_ALTNAME_INVALID', 'SELF_SIGNED_CERT_IN_CHAIN']);

/**
 * Whether the server sends its intermediates, from the reason verification failed: 21
 * (UNABLE_TO_VERIFY_LEAF_SIGNATURE) means the leaf's issuer was neither sent nor trusted.
 * Other failures (an expired or self-signed leaf) say nothing about the chain.
 */
function chainComplete(authorizationError: string | undefined): boolean | undefined {
  if (authorizationError === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') return false;
  return CHAIN_SENT.has(authorizationError) ? true : undefined;
}

function certificateFacts(certificate: PeerCertificate, serverName: string, authorizationError: string | undefined, now: number): ParsedFacts {
  const facts: ParsedFacts = { 'tls.handshake': 'ok' };
  const validTo = Date.parse(certificate.valid_to);
  if (Number.isFinite(validTo)) facts['tls.cert_days_left'] = round((validTo - now) / DAY_MS);
  if (certificate.subject !== undefined) facts['tls.cert_name_match'] = checkServerIdentity(serverName, certificate) === undefined;
  const complete = chainComplete(authorizationError);
  if (complete !== undefined) facts['tls.chain_complete'] = complete;
  return facts;
}

/**
 * One TLS handshake with SNI. Certificates are inspected, not enforced (rejectUnauthorized is
 * off), so a bad certificate becomes facts instead of a failed connection.
 */
export function probeTls({ address, port, serverName }: TlsTarget, timeoutMs: number): Promise<ProbeOutcome> {
  let tcpConnected = false;
  return exchange(
    timeoutMs,
    () => (tcpConnected ? found({ 'tls.handshake': 'timeout' }) : skip('tls', `no TCP connection to ${address}:${port} within ${timeoutMs} ms`)),
    (finish) => {
      const socket = tlsConnect({ host: address, port, rejectUnauthorized: false, ...(isIP(serverName) === 0 && { servername: serverName }) });
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
