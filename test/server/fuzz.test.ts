import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vocabulary } from '../../src/core/vocabulary.js';
import { isProblem, testServer } from './helpers.js';

// Property: no body a client can send produces a 5xx or a stack trace; every 4xx is a
// problem+json document.
const names = vocabulary().names as string[];
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

  it('answers only 2xx or 4xx, with a valid problem+json body on every 4xx (10,000 bodies)', async () => {
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
      { numRuns: 10000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Both outcomes are exercised, not just one.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
