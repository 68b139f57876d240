import { describe, expect, it } from 'vitest';
import { languageFrom } from '../../src/server/app.js';
import { testServer } from './helpers.js';

// The reasons languageFrom is rca's own and not negotiator's: a tag rca takes gets the language
// it is served in (en-GB: en; zh, zh-SG: zh-CN); one it does not (zh-TW: traditional Chinese)
// is passed over for the next.
describe('Accept-Language', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.5', 'zh-CN'],
    ['zh-TW,en;q=0.5', 'en'],
    ['zh-TW,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-Hant-HK, zh-Hans-HK;q=0.5', 'zh-CN'],
    ['zh-Latn', undefined],
    ['fr, en-GB;q=0.8', 'en'],
    ['en;q=0.4, zh;q=0.6', 'zh-CN'],
    ['zh;q=0, en', 'en'],
    ['fr;q=1, de', undefined],
    ['*', undefined],
    ['zh-CN;q=abc, en', 'en'],
    [undefined, undefined],
  ])('%j picks %j', (header, lang) => {
    expect(languageFrom(header)).toBe(lang);
  });
});

describe('Vary: Accept-Language', () => {
  it('is on every /v1 answer, computed, cached, compressed or refused, and on nothing else', async () => {
    const app = await testServer();
    const diagnose = (headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/v1/diagnose', headers: { 'content-type': 'application/json', ...headers }, payload: '{"facts":{"ping.result":"fail"}}' });
    const zh = await diagnose({ 'accept-language': 'zh-CN' });
    const en = await diagnose();
    expect([zh.headers.vary, en.headers.vary, zh.json().lang, en.json().lang]).toEqual(['Accept-Language', 'Accept-Language', 'zh-CN', 'en']);
    expect((await diagnose()).headers['x-rca-cache']).toBe('hit');
    expect((await diagnose()).headers.vary).toBe('Accept-Language');
    const compressed = await app.inject({ method: 'GET', url: '/v1/hypotheses', headers: { 'accept-encoding': 'gzip' } });
    expect(compressed.headers.vary?.toString().toLowerCase().split(', ').sort()).toEqual(['accept-encoding', 'accept-language']);
    expect((await app.inject({ method: 'POST', url: '/v1/diagnose', headers: { 'content-type': 'application/json' }, payload: '{' })).headers.vary).toBe('Accept-Language');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).headers.vary).toBeUndefined();
    await app.close();
  });
});

describe('Content-Language', () => {
  it('names the language of the texts of every diagnosis and interview step, computed or cached, and of no problem', async () => {
    const app = await testServer();
    try {
      const call = (url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
        app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ facts: { 'ping.result': 'fail' }, ...body }) });
      for (const url of ['/v1/diagnose', '/v1/interview/next']) {
        const asked = [
          [{}, {}, 'en'],
          [{ lang: 'zh-CN' }, {}, 'zh-CN'],
          // A tag gets the texts of its language: so says the header, whatever tag was sent.
          [{ lang: 'zh' }, {}, 'zh-CN'],
          [{ lang: 'en-GB' }, { 'accept-language': 'zh-CN' }, 'en'],
          [{ lang: 'EN' }, {}, 'en'],
          [{ lang: 'zh-hans-sg' }, {}, 'zh-CN'],
          [{}, { 'accept-language': 'zh-TW, en;q=0.5' }, 'en'],
          [{}, { 'accept-language': 'zh-TW, zh;q=0.5' }, 'zh-CN'],
        ] as const;
        for (const [body, headers, language] of asked) {
          const first = await call(url, body, headers);
          const again = await call(url, body, headers);
          const lang = (answer: typeof first) => (url === '/v1/diagnose' ? answer.json().lang : answer.json().diagnosis.lang);
          // The body names the language served, as the header does: never the tag as sent.
          expect([first.statusCode, first.headers['content-language'], lang(first), again.headers['x-rca-cache'], again.headers['content-language'], lang(again)], `${url} ${JSON.stringify([body, headers])}`).toEqual([200, language, language, 'hit', language, language]);
        }
        for (const lang of ['fr', 'zh-TW', 'zh-Hant', 'zh-Latn']) {
          const refused = await call(url, { lang }, { 'accept-language': 'zh-CN' });
          expect([refused.statusCode, refused.headers['content-language'], refused.json().errors[0].pointer]).toEqual([400, undefined, '/lang']);
        }
      }
      expect((await call('/v1/diagnose', { lang: 'zh-CN', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } })).json().hypotheses[0].title).toBe('ICMP 被过滤');
    } finally {
      await app.close();
    }
  });
});
