import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProblem, testServer, TOKEN } from './helpers.js';

describe('rate limits on every request but the probes', () => {
  const MAX = 5;
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await testServer({ tokens: [TOKEN], rateLimitPerMinute: MAX });
  });
  afterEach(() => app.close());

  /** Sends `count` requests one after another and counts the answers by status. */
  const hammer = async (count: number, request: () => Promise<{ statusCode: number }>) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await request()).statusCode);
    return statuses;
  };
  /** A 429 problem whose detail says the window (a minute) and the wait Retry-After gives, counted per token or, without a valid one, per address. */
  const expectRateLimited = (res: { statusCode: number; headers: Record<string, unknown>; json: () => Record<string, unknown> }, counted: 'token' | 'address') => {
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(isProblem(res.json(), 429)).toBe(true);
    expect(res.json().type).toBe('https://rca.local/problems/rate-limited');
    expect(res.json().detail).toBe(`more than ${MAX} requests a minute from this ${counted}; retry in ${String(res.headers['retry-after'])} s (Retry-After)`);
  };

  it('answers 429 to a client hammering with a bad token, and keeps serving clients with a good one', async () => {
    const bad = () => app.inject({ method: 'GET', url: '/v1/kb', headers: { authorization: 'Bearer guessed-token-0123456789' } });
    expect(await hammer(MAX + 3, bad)).toEqual([...Array<number>(MAX).fill(401), 429, 429, 429]);
    expectRateLimited(await bad(), 'address');
    expect((await app.inject({ method: 'GET', url: '/v1/kb', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
  });

  it('answers 429 to a client hammering GET routes with a good token, and to unknown routes', async () => {
    const get = (url: string) => () => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await hammer(MAX + 2, get('/v1/hypotheses'))).toEqual([...Array<number>(MAX).fill(200), 429, 429]);
    expectRateLimited(await get('/v1/questions')(), 'token');
    expectRateLimited(await get('/v1/nothing')(), 'token');
    expectRateLimited(await get('/metrics')(), 'token');
  });

  it('never limits the health and readiness probes', async () => {
    expect(new Set(await hammer(MAX * 4, () => app.inject({ method: 'GET', url: '/healthz' })))).toEqual(new Set([200]));
    expect(new Set(await hammer(MAX * 4, () => app.inject({ method: 'GET', url: '/readyz' })))).toEqual(new Set([200]));
  });
});
