import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem, listeningServer, parseRawResponse, rawExchange, rawRequest, TOKEN } from './helpers.js';

/** Every /v1 route with its method, read from the server's own OpenAPI document, so a new route is covered without editing this test. */
function protectedRoutes(app: FastifyInstance): Array<{ method: string; path: string }> {
  const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: path.replace('{id}', 'network.packet_loss') })));
}

const percent = (char: string, lower: boolean) => {
  const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${lower ? hex.toLowerCase() : hex.toUpperCase()}`;
};
const encodeAt = (path: string, at: number, lower = false) => path.slice(0, at) + percent(path[at] ?? '', lower) + path.slice(at + 1);
const encodeAll = (path: string) => path.replace(/[^/]/g, (c) => percent(c, false));
const doubleEncode = (encoded: string) => encoded.replace(/%/g, '%25');

/** Request targets that a client could hope the router matches while an auth check on the raw URL does not. */
function variants(path: string): string[] {
  const positions = [...path].flatMap((c, i) => (c === '/' ? [] : [i]));
  const single = positions.flatMap((i) => [encodeAt(path, i), encodeAt(path, i, true)]);
  const caseChanged = [path.toUpperCase(), path.replace('/v1/', '/V1/'), path.replace(/[a-z]/, (c) => c.toUpperCase()).replace(/([a-z])$/, (c) => c.toUpperCase())];
  return [
    ...single,
    encodeAll(path),
    encodeAt(encodeAt(path, 2), 1),
    ...[encodeAt(path, 1), encodeAt(path, 2), encodeAll(path)].map(doubleEncode),
    ...caseChanged,
    `${path}/`,
    `${path}//`,
    `/${path}`,
    `${encodeAt(path, 1)}/`,
    path.replace('/v1/', '/v1//'),
    path.replace('/v1/', '/v1%2F'),
    path.replace('/v1/', '/v1%2f'),
    `/x/..${path}`,
    `/.${path}`,
    path.replace('/v1/', '/v1/./'),
    `${path}?`,
    `${path}#fragment`,
    `${path};x`,
    `${path}%20`,
    `http://x${path}`,
    `HTTP://X${path}`,
    `https://127.0.0.1:1${path}`,
    `http://x${encodeAt(path, 1)}`,
    `http://x/${path}`,
    `http://x${path}/`,
  ];
}

describe('authentication on every /v1 route, whatever the request line looks like', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ app, port } = await listeningServer({ tokens: [TOKEN] }));
  });
  afterAll(() => app.close());

  const body = (method: string) => (method === 'POST' ? JSON.stringify({ facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } }) : '');

  it('covers every /v1 route the server serves', () => {
    expect(protectedRoutes(app).map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /v1/hypotheses',
      'GET /v1/hypotheses/network.packet_loss',
      'GET /v1/kb',
      'GET /v1/questions',
      'GET /v1/schema/facts',
      'POST /v1/diagnose',
      'POST /v1/interview/next',
    ]);
  });

  it('routes encoded and absolute-form request lines to the route (so the variants below do reach it)', async () => {
    for (const { method, path } of protectedRoutes(app)) {
      for (const target of [path, encodeAt(path, 1), encodeAt(encodeAt(path, 2), 1), `http://x${path}`]) {
        const res = await rawRequest(port, method, target, { authorization: `Bearer ${TOKEN}` }, body(method));
        expect(res.status, `${method} ${target}`).toBe(200);
      }
    }
  });

  it('answers 401 problem+json, never 200 or 404, to every encoded, double-encoded, mixed-case, trailing-slash and absolute-form variant without a token', async () => {
    const answered = new Map<string, number>();
    for (const { method, path } of protectedRoutes(app)) {
      const methods = method === 'GET' ? ['GET', 'HEAD'] : [method];
      for (const m of methods) {
        for (const target of variants(path)) {
          const res = await rawRequest(port, m, target, {}, body(m));
          answered.set(`${m} ${target}`, res.status);
          if (res.status !== 401) continue;
          expect(res.headers['www-authenticate'], `${m} ${target}`).toBe('Bearer realm="rca"');
          if (m !== 'HEAD') expect(isProblem(JSON.parse(res.body) as Record<string, unknown>, 401), `${m} ${target}`).toBe(true);
        }
      }
    }
    expect(answered.size).toBeGreaterThan(500);
    expect([...answered].filter(([, status]) => status !== 401)).toEqual([]);
  }, 60_000);

  it('answers an HTTP/1.1 request without Host with a problem, and takes an HTTP/1.0 one', async () => {
    const missing = parseRawResponse(await rawExchange(port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n'));
    const expected = 'one Host header (HTTP/1.1 requires one, RFC 9112 section 3.2)';
    expect([missing.status, missing.headers['content-type'], JSON.parse(missing.body).detail, JSON.parse(missing.body).errors]).toEqual([400, 'application/problem+json; charset=utf-8', `Host: expected ${expected}, got none`, [{ header: 'Host', expected, got: 'none' }]]);
    expect(isProblem(JSON.parse(missing.body), 400)).toBe(true);
    expect(parseRawResponse(await rawExchange(port, 'GET /healthz HTTP/1.0\r\n\r\n')).status).toBe(200);
  });

  it('answers a request with two Host headers 400, whichever comes first (RFC 9112 section 3.2), with a token too', async () => {
    for (const hosts of [['127.0.0.1', 'evil.example'], ['evil.example', '127.0.0.1'], ['127.0.0.1', '127.0.0.1']]) {
      const twice = parseRawResponse(await rawExchange(port, `GET /v1/kb HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}\r\n`).join('')}Authorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`));
      const body = JSON.parse(twice.body);
      expect([twice.status, body.type, body.detail, body.errors], hosts.join(' ')).toEqual([
        400,
        'https://rca.local/problems/bad-request',
        'Host: expected one Host header (RFC 9112 section 3.2), got 2 headers',
        [{ header: 'Host', expected: 'one Host header (RFC 9112 section 3.2)', got: '2 headers' }],
      ]);
    }
  });

  it('answers 401 to an unauthenticated POST without reading its body, and closes the connection', async () => {
    const started = Date.now();
    const text = await rawExchange(port, 'POST /v1/diagnose HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{"facts":', 5000);
    const res = parseRawResponse(text);
    expect(res.status).toBe(401);
    expect(res.headers.connection).toBe('close');
    expect(text.length).toBe(text.indexOf('\r\n\r\n') + 4 + Number(res.headers['content-length']));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('a server without tokens answers only requests addressed to the loopback (DNS rebinding)', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => ({ app, port } = await listeningServer()));
  afterAll(async () => app.close());
  const get = async (host: string) => parseRawResponse(await rawExchange(port, `GET /v1/kb HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));

  it('refuses another name with 403 problem+json naming it, whatever the route', async () => {
    const refused = await get(`attacker.example:${port}`);
    expect([refused.status, JSON.parse(refused.body).detail]).toEqual([
      403,
      `expected a Host of this machine's loopback (localhost, 127.0.0.1 or [::1], with its port) on a server without tokens, got "attacker.example:${port}"; give the server tokens to serve other names`,
    ]);
    expect(isProblem(JSON.parse(refused.body), 403)).toBe(true);
    for (const host of ['attacker.example', '127.0.0.1.attacker.example', 'localhost.attacker.example:80', '[::2]', '10.0.0.1', '127.0.0.1:80:80']) expect((await get(host)).status, host).toBe(403);
    expect((await rawExchange(port, `POST /v1/cases HTTP/1.1\r\nHost: rebound.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`)).split(' ')[1]).toBe('403');
  });

  it('refuses a second Host header whichever it names, and takes the authority of an absolute-form target over Host (RFC 9112 section 3.2.2)', async () => {
    const exchange = async (request: string) => parseRawResponse(await rawExchange(port, request));
    for (const hosts of [[`127.0.0.1:${port}`, 'evil.example'], ['evil.example', `127.0.0.1:${port}`]]) {
      const twice = await exchange(`GET /v1/kb HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}\r\n`).join('')}Connection: close\r\n\r\n`);
      expect([twice.status, JSON.parse(twice.body).detail], hosts.join(' ')).toEqual([400, 'Host: expected one Host header (RFC 9112 section 3.2), got 2 headers']);
    }
    const elsewhere = await exchange(`GET http://evil.example/v1/kb HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect([elsewhere.status, JSON.parse(elsewhere.body).detail]).toEqual([
      403,
      `expected a Host of this machine's loopback (localhost, 127.0.0.1 or [::1], with its port) on a server without tokens, got "evil.example", the authority of the absolute-form request target, which stands for Host (RFC 9112 section 3.2.2); give the server tokens to serve other names`,
    ]);
    for (const target of ['http://127.0.0.1@evil.example/v1/kb', 'HTTP://EVIL.EXAMPLE/v1/kb', 'http://localhost.evil.example/v1/kb']) {
      expect((await exchange(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).status, target).toBe(403);
    }
    expect((await exchange('GET http://evil.example/v1/kb HTTP/1.0\r\n\r\n')).status).toBe(403);
    const here = await exchange(`GET http://127.0.0.1:${port}/v1/kb HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
    expect([here.status, JSON.parse(here.body).name]).toEqual([200, 'interview-fixture']);
  });

  it('answers the loopback by name or address, with or without its port', async () => {
    for (const host of [`127.0.0.1:${port}`, '127.0.0.1', `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`, '127.1.2.3']) expect((await get(host)).status, host).toBe(200);
  });

  it('leaves the Host to the tokens once there are tokens', async () => {
    const withTokens = await listeningServer({ tokens: [TOKEN] });
    try {
      const answer = parseRawResponse(await rawExchange(withTokens.port, `GET /v1/kb HTTP/1.1\r\nHost: rca.example.com\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`));
      expect(answer.status).toBe(200);
    } finally {
      await withTokens.app.close();
    }
  });
});
