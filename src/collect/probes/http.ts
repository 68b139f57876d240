import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { ParsedFacts } from '../parsers/types.js';
import { elapsedMs, errorCode, exchange, found, skip, type ProbeOutcome } from './outcome.js';
import type { Trust } from './trust.js';

export interface HttpTarget {
  url: URL;
  /** Where to connect (the URL's host resolved, or --host); the URL's host goes in Host and SNI. */
  address: string;
  port: number;
}

/** Node's codes for a certificate that failed verification (OpenSSL's X509_V_ERR_* names, and its own name check). */
function isVerificationError(code: string): boolean {
  return /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|INVALID_CA|HOSTNAME_MISMATCH)/.test(code);
}

/**
 * One GET of the URL, body read and discarded: http.status, http.ttfb_ms (from the request's
 * sending, once the connection and any TLS handshake are up, to the response headers: the fact's
 * meaning, and what rca parse curl-w reads) and http.latency_ms (from the start to the end of the
 * body). Over HTTPS the certificate
 * is verified against `ca` as curl does, so a certificate curl refuses gives no status either,
 * unless `insecure` (curl -k), which the outcome notes. No answer within the timeout is what
 * the user would see: symptom.kind timeout.
 */
export function probeHttp({ url, address, port }: HttpTarget, timeoutMs: number, trust: Trust = {}): Promise<ProbeOutcome> {
  const startedAt = performance.now();
  const facts: ParsedFacts = {};
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const unverified = https && trust.insecure === true;
  const noted = (outcome: ProbeOutcome): ProbeOutcome =>
    unverified ? { ...outcome, notes: [{ probe: 'http', note: 'certificate not verified (--insecure): the tls facts say whether it would have been' }] } : outcome;
  const onTimeout = () =>
    noted(
      found({ ...facts, 'symptom.kind': 'timeout' }, [
        { probe: 'http', reason: facts['http.status'] === undefined ? `no HTTP response within ${timeoutMs} ms` : `response body not finished within ${timeoutMs} ms` },
      ]),
    );
  return exchange(timeoutMs, onTimeout, (finish) => {
    const request = send({
      host: address,
      port,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { host: url.host, 'user-agent': 'rca-collect', accept: '*/*' },
      agent: false,
      rejectUnauthorized: trust.insecure !== true,
      ...(trust.ca !== undefined && { ca: trust.ca }),
      ...(isIP(hostname) === 0 && { servername: hostname }),
    });
    // The request leaves once the connection, and over HTTPS its handshake, is up.
    let sentAt = startedAt;
    request.once('socket', (socket) => socket.once(https ? 'secureConnect' : 'connect', () => (sentAt = performance.now())));
    request.once('response', (response: IncomingMessage) => {
      facts['http.ttfb_ms'] = elapsedMs(sentAt);
      if (response.statusCode !== undefined) facts['http.status'] = response.statusCode;
      response.resume();
      response.once('end', () => finish(noted(found({ ...facts, 'http.latency_ms': elapsedMs(startedAt) }))));
      response.once('error', (error) => finish(noted(found(facts, [{ probe: 'http', reason: `response broke off (${errorCode(error)})` }]))));
    });
    // The TCP and TLS probes say why a connection failed; here it only explains the missing facts.
    request.once('error', (error) => {
      const code = errorCode(error);
      const reason = isVerificationError(code) ? `certificate verification failed (${code}), as curl would refuse it: see the tls facts, or give --ca FILE / --insecure` : `request failed (${code})`;
      finish(skip('http', reason));
    });
    request.end();
    return request;
  });
}
