import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { packageRoot } from '../../src/core/paths.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { ResponseCache } from '../../src/server/response-cache.js';
import { editableKb, FIXTURE_KB, isProblem, testServer, TOKEN } from './helpers.js';

const FACTS = { 'ping.result': 'fail', 'tcp.connect': 'ok', 'target.host': 'db1' };

const servers: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of servers.splice(0)) await app.close();
});

async function server(overrides: Parameters<typeof testServer>[0] = {}) {
  const app = await testServer(overrides);
  servers.push(app);
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });
  const metric = async (line: string) => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(text.split('\n').find((l) => l.startsWith(`${line} `))?.slice(line.length + 1));
  };
  return { app, post, metric };
}

describe('response cache', () => {
  it('answers an identical diagnosis or interview request from the cache, byte for byte', async () => {
    const { post, metric } = await server();
    for (const [url, payload] of [
      ['/v1/diagnose', { facts: FACTS, format: 'markdown' }],
      ['/v1/interview/next', { facts: { 'ping.result': 'fail' } }],
    ] as const) {
      const first = await post(url, payload);
      const second = await post(url, payload);
      expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
      expect([first.headers['x-rca-cache'], second.headers['x-rca-cache']]).toEqual(['miss', 'hit']);
      expect(second.body).toBe(first.body);
      expect(second.headers['content-type']).toBe(first.headers['content-type']);
      expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    }
    expect(await metric('rca_response_cache_answers_total{route="/v1/diagnose",result="hit"}')).toBe(1);
    expect(await metric('rca_response_cache_answers_total{route="/v1/diagnose",result="miss"}')).toBe(1);
    expect(await metric('rca_response_cache_answers_total{route="/v1/interview/next",result="hit"}')).toBe(1);
    expect(await metric('rca_response_cache_entries')).toBe(2);
  });

  it('misses for other facts, another language (header or body) and another route', async () => {
    const { post } = await server();
    const en = await post('/v1/diagnose', { facts: FACTS });
    const zh = await post('/v1/diagnose', { facts: FACTS }, { 'accept-language': 'zh-CN' });
    expect(zh.headers['x-rca-cache']).toBe('miss');
    expect(zh.json().hypotheses[0].title).toBe('ICMP 被过滤');
    expect(en.json().hypotheses[0].title).toBe('ICMP is filtered');
    // The body's lang wins over the header, whichever header is sent.
    const bodyLang = await post('/v1/diagnose', { facts: FACTS, lang: 'zh-CN' }, { 'accept-language': 'en' });
    expect(bodyLang.headers['x-rca-cache']).toBe('miss');
    expect((await post('/v1/diagnose', { facts: FACTS, lang: 'zh-CN' })).body).toBe(bodyLang.body);
    const other = await post('/v1/diagnose', { facts: { ...FACTS, 'target.host': 'db2' } });
    expect(other.headers['x-rca-cache']).toBe('miss');
    expect(other.json().hypotheses[0].checks[0].command).toBe("nc -vz db2 '<target.port>'");
    expect((await post('/v1/interview/next', { facts: FACTS })).headers['x-rca-cache']).toBe('miss');
  });

  it('never caches errors: each problem keeps its own request id', async () => {
    const { post, metric } = await server();
    const payload = { facts: { 'http.stauts': 503 } };
    const first = await post('/v1/diagnose', payload, { 'x-request-id': 'ticket-1' });
    const second = await post('/v1/diagnose', payload, { 'x-request-id': 'ticket-2' });
    for (const res of [first, second]) {
      expect(res.statusCode).toBe(400);
      expect(res.headers['x-rca-cache']).toBeUndefined();
      expect(isProblem(res.json(), 400)).toBe(true);
    }
    expect([first.json().requestId, second.json().requestId]).toEqual(['ticket-1', 'ticket-2']);
    expect({ ...second.json(), requestId: 'ticket-1' }).toEqual(first.json());
    expect(await metric('rca_response_cache_entries')).toBe(0);
    for (const [refused, type] of [['{"facts":', 'malformed-json'], ['{"__proto__": {"x": 1}, "facts": {}}', 'invalid-input']]) {
      expect((await post('/v1/diagnose', refused)).statusCode).toBe(400);
      expect((await post('/v1/diagnose', refused)).json().type).toBe(`https://rca.local/problems/${type}`);
    }
  });

  it('does not cache bodies with artifacts, whose facts may depend on the clock', async () => {
    const { post, metric } = await server();
    const text = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'openssl', 'ok.txt'), 'utf8');
    const payload = { facts: { 'target.host': 'db1' }, artifacts: [{ kind: 'openssl', text }] };
    const [first, second] = [await post('/v1/diagnose', payload), await post('/v1/diagnose', payload)];
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(first.json().facts['tls.cert_days_left']).toEqual(expect.any(Number));
    expect(second.headers['x-rca-cache']).toBeUndefined();
    expect(await metric('rca_response_cache_entries')).toBe(0);
    expect((await post('/v1/diagnose', { ...payload, artifacts: [] })).headers['x-rca-cache']).toBe('miss');
  });

  it('is off with 0 entries', async () => {
    const { post, metric } = await server({ responseCache: { entries: 0, bytes: 1 << 20 } });
    const first = await post('/v1/diagnose', { facts: FACTS });
    const second = await post('/v1/diagnose', { facts: FACTS });
    expect(second.body).toBe(first.body);
    expect(second.headers['x-rca-cache']).toBeUndefined();
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await metric('rca_response_cache_entries')).toBeNaN();
  });

  it('evicts the least recently used answers to stay within its entry and byte bounds', async () => {
    const byCount = await server({ responseCache: { entries: 2, bytes: 1 << 20 } });
    const ask = async (host: string) => (await byCount.post('/v1/diagnose', { facts: { ...FACTS, 'target.host': host } })).headers['x-rca-cache'];
    expect([await ask('a'), await ask('b'), await ask('a'), await ask('c')]).toEqual(['miss', 'miss', 'hit', 'miss']);
    // b was the least recently used when c came in.
    expect([await ask('a'), await ask('c'), await ask('b')]).toEqual(['hit', 'hit', 'miss']);
    expect(await byCount.metric('rca_response_cache_entries')).toBe(2);

    const one = (await byCount.post('/v1/diagnose', { facts: FACTS })).body.length;
    // An entry takes its answer's bytes plus its key (route, language, body) as UTF-16.
    const bytes = 3 * (one + 400);
    const byBytes = await server({ responseCache: { entries: 100, bytes } });
    for (let i = 0; i < 10; i++) await byBytes.post('/v1/diagnose', { facts: { ...FACTS, 'target.host': `h${i}` } });
    const held = await byBytes.metric('rca_response_cache_entries');
    expect(held).toBeGreaterThanOrEqual(2);
    expect(held).toBeLessThanOrEqual(3);
    expect(await byBytes.metric('rca_response_cache_bytes')).toBeLessThanOrEqual(bytes);
  });

  it('keeps each client to its own answers', async () => {
    const other = 'second-token-abcdefghijkl';
    const { post } = await server({ tokens: [TOKEN, other] });
    const as = (token: string) => post('/v1/diagnose', { facts: FACTS }, { authorization: `Bearer ${token}` });
    expect((await as(TOKEN)).headers['x-rca-cache']).toBe('miss');
    expect((await as(other)).headers['x-rca-cache']).toBe('miss');
    expect((await as(TOKEN)).headers['x-rca-cache']).toBe('hit');
    expect((await post('/v1/diagnose', { facts: FACTS })).statusCode).toBe(401);
  });

  it('answers with the new knowledge base after a reload', async () => {
    const edited = editableKb();
    const kb = new KbHolder([edited.dir]);
    const { post } = await server({ kb });
    const belief = async () => (await post('/v1/diagnose', { facts: FACTS })).json().hypotheses[0].belief;
    expect([await belief(), await belief()]).toEqual([0.8, 0.8]);
    edited.setIcmpFilteredCf(0.6);
    edited.seal();
    await kb.reload();
    const after = await post('/v1/diagnose', { facts: FACTS });
    expect(after.headers['x-rca-cache']).toBe('miss');
    expect(after.json().hypotheses[0].belief).toBe(0.6);
    expect(after.json().kb.hash).toBe(kb.current.meta.hash);
  });

  it('does not store an answer computed with a knowledge base that was replaced meanwhile', () => {
    const cache = new ResponseCache({ entries: 10, bytes: 1 << 20 });
    const [before, after] = [loadKnowledgeBase([FIXTURE_KB]), loadKnowledgeBase([FIXTURE_KB])];
    expect(cache.get(before, 'k')).toBeUndefined();
    expect(cache.get(after, 'k')).toBeUndefined();
    cache.set(before, 'k', { body: Buffer.from('stale'), language: 'en' });
    expect(cache.get(after, 'k')).toBeUndefined();
    cache.set(after, 'k', { body: Buffer.from('fresh'), language: 'en' });
    expect(cache.get(after, 'k')?.body.toString()).toBe('fresh');
    expect(cache.get(before, 'k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
