import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKbDir } from '../../src/core/paths.js';
import { ifNoneMatchHits } from '../../src/server/etag.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { testServer } from './helpers.js';

const FACTS = { 'ping.result': 'fail', 'tcp.connect': 'ok', 'target.host': 'db1' };

describe('compression and ETags', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer({ kb: new KbHolder([defaultKbDir]) });
  });
  afterAll(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const post = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: JSON.stringify({ facts: FACTS }), headers: { 'content-type': 'application/json', ...headers } });

  it('gzips a large GET answer when the client asks, and only then', async () => {
    const plain = await get('/v1/hypotheses');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(50_000);
    const zipped = await get('/v1/hypotheses', { 'accept-encoding': 'gzip' });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
  });

  it('leaves a tiny answer uncompressed', async () => {
    const health = await get('/healthz', { 'accept-encoding': 'gzip' });
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(health.json()).toEqual({ status: 'ok' });
  });

  it('tags GET answers with an ETag and answers 304 with no body to a matching If-None-Match', async () => {
    for (const url of ['/v1/hypotheses', '/v1/hypotheses/network.packet_loss', '/v1/questions', '/v1/schema/facts', '/v1/kb', '/openapi.json']) {
      const first = await get(url);
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^W\/"[^"]+"$/);
      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe('');
      // RFC 9110 8.6 and 15.4.5: a 304 carries no Content-Length but the 200's, and no Content-Type of a body it does not have.
      expect([again.headers['content-length'], again.headers['content-type'], again.headers.etag], url).toEqual([undefined, undefined, etag]);
      const head = await app.inject({ method: 'HEAD', url, headers: { 'if-none-match': etag } });
      expect([head.statusCode, head.body, head.headers['content-length'], head.headers['content-type']], `HEAD ${url}`).toEqual([304, '', undefined, undefined]);
      // The tag names the content, whatever its encoding: a gzipped answer revalidates with it too.
      const zipped = await get(url, { 'if-none-match': etag, 'accept-encoding': 'gzip' });
      expect(zipped.statusCode, url).toBe(304);
      expect((await get(url, { 'if-none-match': 'W/"other"' })).statusCode, url).toBe(200);
    }
    expect((await app.inject({ method: 'HEAD', url: '/healthz', headers: { 'if-none-match': '*' } })).statusCode).toBe(304);
    const en = (await get('/v1/hypotheses?lang=en')).headers.etag;
    const zh = (await get('/v1/hypotheses?lang=zh-CN')).headers.etag;
    expect(en).not.toBe(zh);
  });

  it('compares If-None-Match weakly, as a list, and honours *', () => {
    const tag = 'W/"abc"';
    expect(['"abc"', 'W/"abc"', ' W/"x", "abc" ', '*'].map((h) => ifNoneMatchHits(h, tag))).toEqual([true, true, true, true]);
    expect([undefined, '', '"ab"', 'W/"abcd"', '"x", "y"', 'abc'].map((h) => ifNoneMatchHits(h, tag))).toEqual([false, false, false, false, false, false]);
  });

  it('gzips POST answers from the response cache\'s stored bytes too, and gives POST answers no ETag and no 304', async () => {
    const plain = await post('/v1/diagnose');
    const miss = await post('/v1/diagnose', { 'accept-encoding': 'gzip' });
    const hit = await post('/v1/diagnose', { 'accept-encoding': 'gzip' });
    expect([miss.statusCode, hit.statusCode]).toEqual([200, 200]);
    expect([plain.headers['x-rca-cache'], miss.headers['x-rca-cache'], hit.headers['x-rca-cache']]).toEqual(['miss', 'hit', 'hit']);
    for (const zipped of [miss, hit]) {
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
    }
    expect(plain.headers.etag).toBeUndefined();
    expect(plain.json().hypotheses.length).toBeGreaterThan(0);
    const conditional = await post('/v1/diagnose', { 'if-none-match': '*' });
    expect(conditional.statusCode).toBe(200);
    expect(conditional.body).toBe(plain.body);
  });

  it('does not decompress request bodies: a compressed body is a 415 naming its coding (RFC 9110 15.5.16), identity is no coding', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect([res.statusCode, res.json().type, res.json().title, res.json().detail]).toEqual([415, 'https://rca.local/problems/unsupported-media-type', 'The route does not read a body of this Content-Type or Content-Encoding', 'expected an uncompressed body (no Content-Encoding, or identity), got Content-Encoding "gzip"']);
    const identity = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: JSON.stringify({ facts: { 'ping.result': 'fail' } }), headers: { 'content-type': 'application/json', 'content-encoding': 'identity' } });
    expect(identity.statusCode).toBe(200);
  });
});
