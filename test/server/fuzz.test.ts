import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseVocabulary } from '../../src/core/vocabulary.js';
import { isProblem, listeningServer, rawRequest, testServer, TOKEN } from './helpers.js';

// Property: no body a client can send produces a 5xx or a stack trace; every 4xx is a
// problem+json document.
const names = baseVocabulary().names as string[];
const factName = fc.oneof(
  fc.constantFrom(...names),
  fc.constantFrom(...names).map((n) => n.replace(/.$/, 'x')),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const deep = fc.integer({ min: 10, max: 2000 }).map((depth) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
});
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.boolean(),
  deep,
);
const facts = fc.dictionary(factName, value, { maxKeys: 12 });
const body = fc.oneof(
  fc.record({ facts }, { requiredKeys: [] }),
  fc.record({ facts, format: fc.oneof(fc.constantFrom('json', 'markdown', 'html', 'text'), fc.string()), lang: fc.oneof(fc.constantFrom('en', 'zh-CN'), fc.string()), unknown: fc.array(fc.oneof(fc.constantFrom(...names), fc.string())), top: fc.oneof(fc.integer(), fc.string()) }, { requiredKeys: ['facts'] }),
  fc.dictionary(fc.string(), value),
  fc.jsonValue(),
  deep,
);
const raw = fc.oneof(
  body.map((b) => JSON.stringify(b) ?? 'null'),
  body.map((b) => (JSON.stringify(b) ?? 'null').slice(0, -1)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('{"__proto__": {"polluted": 1}, "facts": {}}', '{"facts": {"constructor": {"prototype": {"x": 1}}}}', '', '{', 'null', '[]'),
);

describe('HTTP API under generated and mutated bodies', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer({ bodyLimit: 64 * 1024 });
  });
  afterAll(() => app.close());

  it('answers only 2xx or 4xx, with a valid problem+json body on every 4xx (3,000 bodies)', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(raw, fc.constantFrom('/v1/diagnose', '/v1/interview/next'), fc.constantFrom('application/json', 'application/json; charset=utf-8'), async (payload, url, type) => {
        const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode).toBeGreaterThanOrEqual(200);
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          const problem = res.json();
          expect(isProblem(problem, res.statusCode)).toBe(true);
          expect(JSON.stringify(problem)).not.toMatch(/\n\s+at |node_modules/);
        }
      }),
      // 3,000 draws give each of raw's 4 shapes ~750 bodies, ~190 per route and content type; a
      // new seed each run covers other bodies.
      { numRuns: 3000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Both outcomes are exercised, not just one.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});

// Property: however a client spells the path (percent-encoded, double-encoded, case-changed,
// with extra slashes or dot segments, absolute-form) and whatever query string it adds
// (repeated, unknown, empty, encoded or array-style parameters), the server never answers
// 5xx, every 4xx is problem+json, and no /v1 route answers without a valid token.
const ROUTES = [
  ['GET', '/v1/hypotheses'],
  ['GET', '/v1/hypotheses/network.packet_loss'],
  ['GET', '/v1/questions'],
  ['GET', '/v1/schema/facts'],
  ['GET', '/v1/kb'],
  ['POST', '/v1/diagnose'],
  ['POST', '/v1/interview/next'],
] as const;
const percentOf = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
// Mostly as written, so that many mutated paths still reach their route.
const spelling = fc.oneof(
  { weight: 20, arbitrary: fc.constant((c: string) => c) },
  { weight: 2, arbitrary: fc.constant(percentOf) },
  { weight: 2, arbitrary: fc.constant((c: string) => percentOf(c).toLowerCase()) },
  { weight: 1, arbitrary: fc.constant((c: string) => percentOf(c).replace('%', '%25')) },
  { weight: 1, arbitrary: fc.constant((c: string) => c.toUpperCase()) },
);
const spelledPath = (path: string) => fc.array(spelling, { minLength: path.length, maxLength: path.length }).map((fs) => [...path].map((c, i) => (c === '/' ? c : (fs[i] ?? ((x: string) => x))(c))).join(''));
const decorated = (path: string) =>
  fc.tuple(spelledPath(path), fc.constantFrom('', '', '/', '//', '/.', '%2F', ';x', '%20', '%', '%ZZ', '%00'), fc.constantFrom('', '', '/', '/.', '/x/..'), fc.constantFrom('', '', 'http://x', 'HTTP://127.0.0.1:1')).map(
    ([p, suffix, prefix, origin]) => `${origin}${prefix}${p}${suffix}`,
  );
const parameter = fc.oneof(
  fc.constantFrom('lang=en', 'lang=zh-CN', 'lang=fr', 'lang=', 'lang', 'LANG=en', '%6cang=en', 'lang%3Den', 'lang[]=en', 'lang[0]=en', '__proto__=1', 'constructor=x', 'top=3', 'x=%00', '=', '&', 'lang=%ZZ'),
  fc.stringMatching(/^[A-Za-z0-9_.~%-]{0,12}=[A-Za-z0-9_.~%-]{0,12}$/),
);
const queryString = fc.oneof(fc.constant(''), fc.array(parameter, { minLength: 1, maxLength: 6 }).map((ps) => `?${ps.join('&')}`));

describe('HTTP API under mutated request lines and query strings', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ app, port } = await listeningServer({ tokens: [TOKEN] }));
  });
  afterAll(() => app.close());

  it('answers no 5xx, problem+json on every 4xx, and no /v1 route without a token (1,500 request lines)', async () => {
    const statuses = new Map<number, number>();
    const request = fc.constantFrom(...ROUTES).chain(([method, path]) => fc.record({ method: fc.constant(method), target: fc.tuple(decorated(path), queryString).map(([t, q]) => t + q), token: fc.boolean() }));
    await fc.assert(
      fc.asyncProperty(request, async ({ method, target, token }) => {
        const body = method === 'POST' ? JSON.stringify({ facts: { 'ping.result': 'fail' } }) : '';
        const res = await rawRequest(port, method, target, token ? { authorization: `Bearer ${TOKEN}` } : {}, body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, target).toBeGreaterThanOrEqual(200);
        expect(res.status, target).toBeLessThan(500);
        // Without a token: 401, or 400 for a path the router refuses before anything runs.
        if (!token && res.status !== 401) expect([res.status, JSON.parse(res.body).type], target).toEqual([400, 'https://rca.local/problems/malformed-url']);
        if (res.status >= 400) {
          expect(res.headers['content-type'], target).toMatch(/^application\/problem\+json/);
          expect(isProblem(JSON.parse(res.body) as Record<string, unknown>, res.status), target).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
    // The mutations reach routes (200), validation (400), the router's misses (404) and auth (401).
    for (const status of [200, 400, 401, 404]) expect(statuses.get(status) ?? 0, `status ${status}: ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
  }, 120_000);
});
