import { describe, expect, it } from 'vitest';
import { isSupportedLanguage, SUPPORTED_LANGS, supportedLanguage } from '../../src/core/localize.js';
import { validator } from '../../src/core/schemas.js';

describe('the language tags rca takes (diagnose-request.schema.json#/properties/lang)', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    ['en-GB', 'en'],
    ['en-US-posix', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-TW', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-MY', 'zh-CN'],
    ['zh-TW', undefined],
    ['zh-HK', undefined],
    ['zh-Hant', undefined],
    ['zh-Hant-CN', undefined],
    ['zh-Latn', undefined],
    ['en-x-foo', undefined],
    ['fr', undefined],
    ['', undefined],
  ])('%j is served in %j', (tag, served) => {
    expect(supportedLanguage(tag)).toBe(served);
    expect(isSupportedLanguage(tag)).toBe(served !== undefined);
    // What a request's schema takes is what the language rules serve: one definition.
    expect(validator('diagnose-request.schema.json')({ facts: {}, lang: tag })).toBe(served !== undefined);
  });

  it('takes each language rca has texts in, served as itself', () => {
    for (const lang of SUPPORTED_LANGS) expect(supportedLanguage(lang)).toBe(lang);
  });
});
