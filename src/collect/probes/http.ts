import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { ParsedFacts } from '../parsers/types.js';
import { elapsedMs, errorCode, exchange, found, skip, type ProbeOutcome } from './outcome.js';

export interface HttpTarget {
  url: URL;
  /** Where to connect (the URL's host resolved, or --host); the URL's host goes in Host and SNI. */
  address: string;
  port: number;
}

/**
 * One GET of the URL, body read and discarded: http.status, http.ttfb_ms (request start to
 * response headers) and http.latency_ms (to the end of the body). Certificates are not
 * enforced here: the TLS probe reports on them, and a status is still worth having.
 */
export function probeHttp({ url, address, port }: HttpTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const startedAt = performance.now();
  const facts: ParsedFacts = {};
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const onTimeout = () =>
    found(facts, [{ probe: 'http', reason: facts['http.status'] === undefined ? `no HTTP response within ${timeoutMs} ms` : `response body not finished within ${timeoutMs} ms` }]);
  return exchange(timeoutMs, onTimeout, (finish) => {
    const request = send({
      host: address,
      port,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { host: url.host, 'user-agent': 'rca-collect', accept: '*/*' },
      agent: false,
      rejectUnauthorized: false,
      ...(isIP(hostname) === 0 && { servername: hostname }),
    });
    request.once('response', (response: IncomingMessage) => {
      facts['http.ttfb_ms'] = elapsedMs(startedAt);
      if (response.statusCode !== undefined) facts['http.status'] = response.statusCode;
      response.resume();
      response.once('end', () => finish(found({ ...facts, 'http.latency_ms': elapsedMs(startedAt) })));
      response.once('error', (error) => finish(found(facts, [{ probe: 'http', reason: `response broke off (${errorCode(error)})` }])));
    });
    // The TCP and TLS probes say why a connection failed; here it only explains the missing facts.
    request.once('error', (error) => finish(skip('http', `request failed (${errorCode(error)})`)));
    request.end();
    return request;
  });
}
