import { describe, expect, it } from 'vitest';
import { languageFrom } from '../../src/server/app.js';

// The reasons languageFrom is rca's own and not negotiator's: a tag of a supported language
// gets that language, as texts fall back in localize().
describe('Accept-Language', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.5', 'zh-CN'],
    ['zh-TW,en;q=0.5', 'zh-CN'],
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
