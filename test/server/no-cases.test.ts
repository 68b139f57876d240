import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningServer, rawExchange, TOKEN } from './helpers.js';

const CASES_OFF = {
  type: 'https://rca.local/problems/cases-off',
  title: 'This server keeps no cases',
  status: 404,
  detail: 'cases are off: the server runs with --no-cases and opens no case store; POST /v1/diagnose and /v1/interview/next answer without one',
};
const CASE = { source: 'jira', externalId: 'OPS-1', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } };
const KB = { version: '1.0.0', hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) };

/** Every request a case route takes, each method of each case path (and one it does not take). */
const CASE_REQUESTS: Array<[string, string, unknown?]> = [
  ['POST', '/v1/cases', CASE],
  ['GET', '/v1/cases'],
  ['GET', '/v1/cases?status=open'],
  ['GET', '/v1/stats'],
  ['GET', '/v1/cases/c1'],
  ['PATCH', '/v1/cases/c1', { facts: { 'tcp.connect': 'fail' } }],
  ['PUT', '/v1/cases/c1/outcome', { cause: 'network.icmp_filtered' }],
  ['DELETE', '/v1/cases/c1'],
  ['PUT', '/v1/cases'],
];

describe('a server without a case store', () => {
  let app: FastifyInstance;
  let port: number;
  // A stall bound: building a server takes well under a second, but a cold worker on a busy machine took over 10 s.
  beforeAll(async () => {
    ({ app, port } = await listeningServer({ tokens: [TOKEN] }));
  }, 60_000);
  afterAll(() => app.close());
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('decides authentication on a case route first: 401 without a token, 404 cases-off with one; a path it never serves stays not-found', async () => {
    for (const [method, path, body] of CASE_REQUESTS) {
      const refused = await app.inject({ method: method as 'GET', url: path, ...(body !== undefined && { payload: body as object }) });
      expect([refused.statusCode, refused.json().type, refused.headers['www-authenticate']], `${method} ${path}`).toEqual([401, 'https://rca.local/problems/unauthorized', 'Bearer realm="rca"']);
      const off = await app.inject({ method: method as 'GET', url: path, headers: bearer, ...(body !== undefined && { payload: body as object }) });
      expect([off.statusCode, off.json()], `${method} ${path}`).toEqual([404, { ...CASES_OFF, instance: path.split('?')[0], requestId: off.headers['x-request-id'] }]);
    }
    // HEAD, which comes with every GET, too (its answer has no body).
    const head = await app.inject({ method: 'HEAD', url: '/v1/cases', headers: bearer });
    expect([head.statusCode, head.headers['content-type'], head.body]).toEqual([404, 'application/problem+json; charset=utf-8', '']);
    expect((await app.inject({ method: 'GET', url: '/v1/casework', headers: bearer })).json()).toMatchObject({ type: 'https://rca.local/problems/not-found', detail: 'no route GET /v1/casework' });
  });

  it('answers before any body is read: a bad body, a query the route would refuse or an Accept it would not serve is still cases-off, and 100 Continue is never sent', async () => {
    const badBody = await app.inject({ method: 'POST', url: '/v1/cases', headers: { ...bearer, 'content-type': 'application/json' }, payload: '{not json' });
    const badQuery = await app.inject({ method: 'GET', url: '/v1/cases?nonsense=1', headers: bearer });
    const badAccept = await app.inject({ method: 'GET', url: '/v1/stats', headers: { ...bearer, accept: 'text/html' } });
    for (const answer of [badBody, badQuery, badAccept]) expect([answer.statusCode, answer.json().type]).toEqual([404, CASES_OFF.type]);
    const raw = await rawExchange(port, `POST /v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(raw).not.toContain('100 Continue');
    expect(raw).toContain('"type":"https://rca.local/problems/cases-off"');
  });

  it('is ready with its store off, and leaves the case routes out of its OpenAPI document', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready', kb: KB, store: { status: 'off' } });
    const { paths } = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(paths).filter((path) => path.startsWith('/v1/cases') || path === '/v1/stats')).toEqual([]);
  });
});
