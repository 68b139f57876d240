import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningServer, parseRawResponse, rawExchange, TOKEN } from './helpers.js';

const LIMIT = 1024;
const BODY = JSON.stringify({ facts: { 'ping.result': 'fail' } });

/** The head of a POST announcing a body of `length` bytes it sends only once told to continue. */
const head = (url: string, length: number, headers: Record<string, string> = {}) =>
  `POST ${url} HTTP/1.1\r\n${Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', 'content-length': String(length), expect: '100-continue', connection: 'close', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

/** Resolves with what `socket` has received once it holds `text`. */
function received(socket: Socket, text: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(text)} within ${timeoutMs} ms; got ${JSON.stringify(got)}`)), timeoutMs);
    socket.on('data', function onData(d: Buffer) {
      got += d.toString('latin1');
      if (!got.includes(text)) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(got);
    });
  });
}

describe('Expect: 100-continue', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ app, port } = await listeningServer({ bodyLimit: LIMIT, tokens: [TOKEN] }));
  });
  afterAll(() => app.close());

  it('answers 413 at once to a Content-Length over the limit, without 100 Continue, and closes: the body is never sent', async () => {
    const answer = await rawExchange(port, head('/v1/diagnose', LIMIT + 1, { authorization: `Bearer ${TOKEN}` }));
    expect(answer).not.toContain('100 Continue');
    const res = parseRawResponse(answer);
    expect([res.status, res.headers['content-type'], res.headers.connection]).toEqual([413, 'application/problem+json; charset=utf-8', 'close']);
    expect(JSON.parse(res.body)).toMatchObject({ type: 'https://rca.local/problems/payload-too-large', status: 413, detail: `body: expected at most ${LIMIT} bytes, got ${LIMIT + 1} bytes (Content-Length)`, instance: '/v1/diagnose' });
  });

  it('refuses without 100 Continue what the hooks refuse before reading a body: no token (401)', async () => {
    const answer = await rawExchange(port, head('/v1/diagnose', BODY.length));
    expect(answer).not.toContain('100 Continue');
    expect(parseRawResponse(answer).status).toBe(401);
  });

  it('says 100 Continue to a body within the limit once the request passed its checks, then answers it', async () => {
    const socket = connect(port, '127.0.0.1');
    try {
      socket.write(head('/v1/diagnose', Buffer.byteLength(BODY), { authorization: `Bearer ${TOKEN}` }));
      expect(await received(socket, '\r\n\r\n')).toBe('HTTP/1.1 100 Continue\r\n\r\n');
      const answer = received(socket, '"hypotheses"');
      socket.write(BODY);
      const res = parseRawResponse(await answer);
      expect([res.status, res.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    } finally {
      socket.destroy();
    }
  });

  it('says 100 Continue to every spelling of the expectation Node routes to it (a list, a parameter, the header twice), not only the plain one; they waited 30 s for a 408', async () => {
    for (const extra of ['expect: 100-continue, foo\r\n', 'expect: 100-continue;x=1\r\n', 'expect: 100-continue\r\nexpect: 100-continue\r\n']) {
      const socket = connect(port, '127.0.0.1');
      try {
        socket.write(head('/v1/diagnose', Buffer.byteLength(BODY), { authorization: `Bearer ${TOKEN}` }).replace('expect: 100-continue\r\n', extra));
        expect(await received(socket, '\r\n\r\n'), extra).toBe('HTTP/1.1 100 Continue\r\n\r\n');
      } finally {
        socket.destroy();
      }
    }
  });

  it('never says 100 Continue to an HTTP/1.0 client (RFC 9110 15.2), nor before a refusal its headers decide (415, 404)', async () => {
    const old = await rawExchange(port, head('/v1/diagnose', Buffer.byteLength(BODY), { authorization: `Bearer ${TOKEN}` }).replace(' HTTP/1.1', ' HTTP/1.0') + BODY);
    expect(old).not.toContain('100 Continue');
    expect(parseRawResponse(old).status).toBe(200);
    for (const [request, status] of [[head('/v1/diagnose', Buffer.byteLength(BODY), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }), 415], [head('/v1/nope', Buffer.byteLength(BODY), { authorization: `Bearer ${TOKEN}` }), 404]] as const) {
      const answer = await rawExchange(port, request);
      expect(answer, request).not.toContain('100 Continue');
      expect(parseRawResponse(answer).status, request).toBe(status);
    }
  });

  it('asks for a chunked body, whose size it cannot know, and refuses it (413) once it passes the limit', async () => {
    const socket = connect(port, '127.0.0.1');
    try {
      const chunked = head('/v1/diagnose', 0, { authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' }).replace('content-length: 0\r\n', '');
      socket.write(chunked);
      expect(await received(socket, '\r\n\r\n')).toBe('HTTP/1.1 100 Continue\r\n\r\n');
      const answer = received(socket, '}');
      const chunk = `{"facts": {"summary": "${'x'.repeat(LIMIT)}"}}`;
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
      const res = parseRawResponse(await answer);
      expect([res.status, JSON.parse(res.body).detail]).toEqual([413, `body: expected at most ${LIMIT} bytes, got more (a chunked body, read up to the limit)`]);
    } finally {
      socket.destroy();
    }
  });
});

describe('an expectation node cannot meet, and CONNECT: answered as problems at the edge', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ app, port } = await listeningServer({ tokens: [TOKEN] }));
  });
  afterAll(() => app.close());

  it('answers an Expect other than 100-continue 417 problem+json with its request id, before authentication and without reading the body', async () => {
    const expected = '100-continue, the only expectation HTTP/1.1 defines (RFC 9110 section 10.1.1), or no Expect';
    for (const [request, instance] of [
      ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\nX-Request-Id: expect-1\r\nConnection: close\r\n\r\n', '/healthz'],
      [`POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\nX-Request-Id: expect-1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"facts":`, '/v1/diagnose'],
    ] as const) {
      const res = parseRawResponse(await rawExchange(port, request));
      expect([res.status, res.headers['content-type'], res.headers['x-request-id'], res.headers.connection], instance).toEqual([417, 'application/problem+json; charset=utf-8', 'expect-1', 'close']);
      expect(JSON.parse(res.body), instance).toEqual({
        type: 'https://rca.local/problems/expectation-failed',
        title: 'The server cannot meet the Expect header',
        status: 417,
        detail: `Expect: expected ${expected}, got string "200-ok"`,
        instance,
        requestId: 'expect-1',
        errors: [{ header: 'Expect', expected, got: 'string "200-ok"' }],
      });
    }
  });

  it('answers CONNECT as a method no path takes, and closes the connection: 405 with Allow on a path, 401 elsewhere without a token; a tunnel to host:port, no path, 400', async () => {
    const connectTo = async (target: string, headers = '') => parseRawResponse(await rawExchange(port, `CONNECT ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`));
    const probe = await connectTo('/healthz', 'X-Request-Id: connect-1\r\n');
    expect([probe.status, probe.headers.allow, probe.headers['x-request-id'], probe.headers.connection, JSON.parse(probe.body).detail]).toEqual([405, 'GET, HEAD', 'connect-1', 'close', 'CONNECT is not allowed on /healthz; allowed: GET, HEAD']);
    expect([(await connectTo('/v1/kb')).status, (await connectTo('/v1/kb', `Authorization: Bearer ${TOKEN}\r\n`)).headers.allow]).toEqual([401, 'GET, HEAD']);
    const notAPath = 'expected a request target that is a path (/...) or an absolute http(s) URL, got "example.com:443"';
    for (const headers of [`Authorization: Bearer ${TOKEN}\r\n`, '']) {
      const tunnel = await connectTo('example.com:443', headers);
      expect([tunnel.status, tunnel.headers['content-type'], tunnel.headers.connection, JSON.parse(tunnel.body).detail]).toEqual([400, 'application/problem+json; charset=utf-8', 'close', notAPath]);
    }
  });

  it('refuses a request target that is neither a path nor an absolute http(s) URL 400 malformed-url, where *healthz was served as /healthz', async () => {
    for (const [target, got] of [
      ['*healthz', '"*healthz"'],
      ['ftp://127.0.0.1/healthz', '"ftp://127.0.0.1/healthz"'],
    ]) {
      const res = parseRawResponse(await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
      expect([res.status, JSON.parse(res.body).type, JSON.parse(res.body).detail], target).toEqual([400, 'https://rca.local/problems/malformed-url', `expected a request target that is a path (/...) or an absolute http(s) URL, got ${got}`]);
    }
    // Still looked up: a path, an absolute http(s) URL; and a path that does not decode is said as such.
    for (const target of ['/healthz', 'http://127.0.0.1/healthz', 'HTTPS://127.0.0.1/healthz']) expect(parseRawResponse(await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).status, target).toBe(200);
    const undecodable = parseRawResponse(await rawExchange(port, 'GET /v1/cases/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    expect([undecodable.status, JSON.parse(undecodable.body).detail]).toEqual([400, 'the path is not valid percent-encoding']);
  });
});
