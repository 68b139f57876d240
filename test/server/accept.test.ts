import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, TOKEN } from './helpers.js';

const JSON_ONLY = 'a media range that takes application/json; charset=utf-8 (errors are application/problem+json)';
const METRICS_ONLY = 'a media range that takes text/plain; version=0.0.4; charset=utf-8 (errors are application/problem+json)';

describe('Accept (RFC 9110 12.5.1)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer();
  });
  afterAll(() => app.close());

  const get = (url: string, accept?: string) => app.inject({ method: 'GET', url, headers: accept === undefined ? {} : { accept } });

  it.each([
    [undefined, 200],
    ['', 200],
    ['  ', 200],
    ['*/*', 200],
    ['application/*', 200],
    ['application/json', 200],
    ['APPLICATION/JSON', 200],
    ['application/json; charset=utf-8', 200],
    ['application/json; charset=UTF-8', 200],
    ['application/json, application/problem+json', 200],
    ['text/html, */*;q=0.1', 200],
    ['text/html;q=0.9, application/json;q=0.1', 200],
    ['text/html', 406],
    ['text/*', 406],
    ['application/problem+json', 406],
    ['application/json;q=0', 406],
    ['application/json;q=0.000', 406],
    // The most specific range decides: JSON refused, anything else welcome, and JSON is all there is.
    ['application/json;q=0, */*', 406],
    ['application/*;q=0, text/html', 406],
    ['application/json; charset=latin1', 406],
    ['application/xml, text/csv', 406],
    ['json', 406],
  ])('GET /v1/kb with Accept %j answers %i', async (accept, status) => {
    expect((await get('/v1/kb', accept)).statusCode).toBe(status);
  });

  it('answers 406 as problem+json naming the Accept header, what it asked for and what the route gives', async () => {
    const res = await get('/v1/hypotheses?lang=en', 'text/html;q=0.9, application/xml');
    expect(res.statusCode).toBe(406);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const detail = `Accept: expected ${JSON_ONLY}, got string "text/html;q=0.9, application/xml"`;
    expect(res.json()).toEqual({
      type: 'https://rca.local/problems/not-acceptable',
      title: 'The route has no representation the Accept header accepts',
      status: 406,
      detail,
      instance: '/v1/hypotheses',
      requestId: res.headers['x-request-id'],
      errors: [{ header: 'Accept', expected: JSON_ONLY, got: 'string "text/html;q=0.9, application/xml"' }],
    });
  });

  it('negotiates every route, POST ones before reading the body, and /metrics for its own text type', async () => {
    const post = await app.inject({ method: 'POST', url: '/v1/diagnose', headers: { accept: 'text/markdown', 'content-type': 'application/json' }, payload: '{"facts": {"ping.result": "fail"}, "format": "markdown"}' });
    expect([post.statusCode, post.json().detail]).toEqual([406, `Accept: expected ${JSON_ONLY}, got string "text/markdown"`]);
    const broken = await app.inject({ method: 'POST', url: '/v1/interview/next', headers: { accept: 'text/html', 'content-type': 'application/json' }, payload: '{' });
    expect(broken.statusCode).toBe(406);
    expect((await get('/openapi.json', 'text/html')).statusCode).toBe(406);
    // What Prometheus 3 sends: its own text format first, then the classic one, then anything.
    const scrape = await get('/metrics', 'application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=underscores;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1');
    expect([scrape.statusCode, scrape.headers['content-type']]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect((await get('/metrics', 'text/plain')).statusCode).toBe(200);
    const json = await get('/metrics', 'application/json');
    expect([json.statusCode, json.json().detail]).toEqual([406, `Accept: expected ${METRICS_ONLY}, got string "application/json"`]);
  });

  it('answers the probes whatever they accept: a health check asking for HTML must not take a healthy replica out', async () => {
    expect((await get('/healthz', 'text/html')).statusCode).toBe(200);
    expect((await get('/readyz', 'text/html')).statusCode).toBe(200);
  });

  it('says 401 before 406 to a client without a token, and 404 to an unknown route', async () => {
    const secured = await testServer({ tokens: [TOKEN] });
    try {
      expect((await secured.inject({ method: 'GET', url: '/v1/kb', headers: { accept: 'text/html' } })).statusCode).toBe(401);
      expect((await secured.inject({ method: 'GET', url: '/v1/kb', headers: { accept: 'text/html', authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(406);
      expect((await secured.inject({ method: 'GET', url: '/v1/nothing', headers: { accept: 'text/html', authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
    } finally {
      await secured.close();
    }
  });

  it('reads a hostile 16 KB Accept in linear time', async () => {
    const ranges = 'a/b;x="\\"",'.repeat(1400);
    const started = performance.now();
    const res = await get('/v1/kb', ranges);
    expect(res.statusCode).toBe(406);
    expect(res.json().errors[0].got).toBe(`string ${JSON.stringify(`${ranges.slice(0, 57)}...`)}`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
