import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem, listeningServer, parseRawResponse, rawExchange } from './helpers.js';

const TIMEOUTS = { headersMs: 300, requestMs: 600 };

describe('slow and malformed requests', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ app, port } = await listeningServer({ timeouts: TIMEOUTS }));
  });
  afterAll(() => app.close());

  /** Sends `partial` and never the rest; resolves with the answer and how long the connection stayed open. */
  const stall = async (partial: string) => {
    const started = Date.now();
    const answer = parseRawResponse(await rawExchange(port, partial, 10_000));
    return { ...answer, openMs: Date.now() - started };
  };
  const expectTimeoutProblem = (answer: Awaited<ReturnType<typeof stall>>) => {
    expect(answer.status).toBe(408);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers.connection).toBe('close');
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(isProblem(body, 408)).toBe(true);
    expect(body.type).toBe('https://rca.local/problems/request-timeout');
    expect(body.detail).toBe('send the headers within 300 ms and the whole request within 600 ms');
  };

  it('answers 408 problem+json to a body that stops coming, after the request timeout, its instance the request path', async () => {
    const answer = await stall('POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"facts":');
    expectTimeoutProblem(answer);
    expect(JSON.parse(answer.body).instance).toBe('/v1/diagnose');
    // Generous bounds: not before the timeout, and well before anything like the old "never".
    expect(answer.openMs).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 50);
    expect(answer.openMs).toBeLessThan(5000);
  });

  it('answers 408 problem+json to headers that stop coming after the request line, after the headers timeout, its instance urn:uuid: and its request id', async () => {
    const answer = await stall('GET /v1/kb HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expectTimeoutProblem(answer);
    // No path is known of headers that never ended: the instance names the occurrence (problem.schema.json).
    const body = JSON.parse(answer.body) as { instance: string; requestId: string };
    expect([body.instance, answer.headers['x-request-id']]).toEqual([`urn:uuid:${body.requestId}`, body.requestId]);
    expect(answer.openMs).toBeGreaterThanOrEqual(TIMEOUTS.headersMs - 50);
    expect(answer.openMs).toBeLessThan(5000);
  });

  it('answers problem+json to a malformed request line and to oversized headers', async () => {
    const malformed = parseRawResponse(await rawExchange(port, 'GET /v1/kb NOT-HTTP\r\n\r\n'));
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toBe('application/problem+json');
    expect(isProblem(JSON.parse(malformed.body) as Record<string, unknown>, 400)).toBe(true);
    const oversized = parseRawResponse(await rawExchange(port, `GET /v1/kb HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(oversized.status).toBe(431);
    expect(JSON.parse(oversized.body)).toMatchObject({ type: 'https://rca.local/problems/headers-too-large', status: 431 });
    // The request id in the header, as on every other answer.
    expect(oversized.headers['x-request-id']).toBe(JSON.parse(oversized.body).requestId);
  });

  it('still answers a request sent in time', async () => {
    const answer = parseRawResponse(await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    expect(answer.status).toBe(200);
  });
});

describe('a shutdown and a request that stays in flight', () => {
  it('waits for it only finishMs once the listener closed, then closes its connection unanswered and ends', async () => {
    // The default timeouts: the request timeout (30 s) does not answer it first.
    const { app, port } = await listeningServer();
    const stalled = rawExchange(port, 'POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"facts":', 10_000);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await app.rcaShutdown({ drainMs: 0, finishMs: 300, now: new Promise(() => undefined) });
    expect(await stalled).toBe('');
    // Generous bounds: not before the bound, and well before the request timeout.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
