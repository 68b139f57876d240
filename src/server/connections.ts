import { randomUUID } from 'node:crypto';
import { maxHeaderSize } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { problem, rawProblemResponse } from './problems.js';

/** How long a client may take to send a request; past either bound it gets a 408 problem. */
export interface ServerTimeouts {
  /** From a request's first byte to the end of its headers, in ms. */
  headersMs: number;
  /** From a request's first byte to the end of its body, in ms (at least headersMs). */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000 };

/**
 * Most time a shutdown waits, once it stopped listening, for the requests in flight to be answered
 * before it closes their connections: a diagnosis takes milliseconds, so what is cut is a client
 * still sending its body (--request-timeout allows it 30 s) or a case request still waiting for a
 * store to open. After rca serve's default drain of 5 s and the settling's 5 s at most, the
 * shutdown ends well inside Kubernetes' default grace of 30 s before SIGKILL.
 */
export const SHUTDOWN_FINISH_MS = 10_000;

/**
 * How long nothing new must have arrived before the queued connections count as taken in. Two
 * quiet turns of the event loop alone are not enough on a host whose CPUs are saturated: there
 * they passed with connections still queued, which the listener's close then reset (the SIGTERM
 * test under a load average of 5 on 2 CPUs lost up to 83 of 100 requests sent before the signal,
 * as ECONNRESET or 503).
 */
const SETTLE_QUIET_MS = 100;

/**
 * Resolves once `server` has accepted no connection and received no request for two turns of
 * the event loop in a row (a connection is accepted in one turn and read in a later one) and for
 * `quietMs`, or after `capMs` if clients keep connecting.
 */
export async function settle(server: Pick<EventEmitter, 'on' | 'off'>, capMs: number, quietMs = SETTLE_QUIET_MS): Promise<void> {
  let arrivals = 0;
  let lastArrival = Date.now();
  const count = () => {
    arrivals++;
    lastArrival = Date.now();
  };
  server.on('connection', count).on('request', count);
  const deadline = Date.now() + capMs;
  try {
    for (let quietTurns = 0; (quietTurns < 2 || Date.now() - lastArrival < quietMs) && Date.now() < deadline; ) {
      const before = arrivals;
      // A turn; once the turns are quiet, a short sleep first, so that the wait for the quiet time
      // spins no CPU. The turn after the sleep matters: a timer that fires once the process gets
      // a CPU again runs before that turn's poll for I/O, which is what accepts a connection.
      if (quietTurns >= 2) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setImmediate(resolve));
      quietTurns = arrivals === before ? quietTurns + 1 : 0;
    }
  } finally {
    server.off('connection', count).off('request', count);
  }
}

/**
 * Which comes first: `work` settling ('done'), `ms` passing ('late'), or `now` resolving ('now');
 * the timer is cleared whichever it is, so a shutdown that ends sooner leaves none behind to hold
 * the process open.
 */
export async function firstOf(work: Promise<unknown>, ms: number, now: Promise<unknown>): Promise<'done' | 'late' | 'now'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    return await Promise.race([work.then(() => 'done' as const), late, now.then(() => 'now' as const)]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The problem+json answer to a request node refused before fastify answered it. Its instance is
 * the request's path when node read the request's headers (a body that stopped coming); else no
 * path is known (headers that stopped coming, or too large, or not HTTP: node hands on the request
 * line only with the headers), and it names the occurrence, urn:uuid: and its request id, as
 * problem.schema.json says.
 */
function clientErrorProblem(code: string | undefined, timeouts: ServerTimeouts, path: string | undefined) {
  const id = randomUUID();
  const source = { url: path ?? `urn:uuid:${id}`, id };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return problem('E_TIMEOUT', `send the headers within ${timeouts.headersMs} ms and the whole request within ${timeouts.requestMs} ms`, source);
  }
  if (code === 'HPE_HEADER_OVERFLOW') return problem('E_HEADERS_TOO_LARGE', `the request line and headers must fit in ${maxHeaderSize} bytes`, source);
  return problem('E_USAGE', `the request is not valid HTTP/1.1 (${code ?? 'unknown parse error'})`, source);
}

/**
 * fastify's clientErrorHandler: answers, as problem+json, a request node refused before
 * fastify saw it (not received in time, headers too large, not HTTP), then drops the connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket, timeouts: ServerTimeouts): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // The answer node has begun for the request on this connection, once it read its headers (node's own handler reads it so).
  const response = (socket as Socket & { _httpMessage?: { headersSent: boolean; req?: { url?: string } } })._httpMessage;
  // As node's own handler: no answer once one has started on this connection.
  if (socket.writable && !(response?.headersSent ?? false)) socket.write(rawProblemResponse(clientErrorProblem(error.code, timeouts, response?.req?.url?.split('?', 1)[0])));
  socket.destroy(error);
}
