import type { LocalizedText } from '../generated/kb-file.js';

export const DEFAULT_LANG = 'en';
/** Languages the shipped knowledge base and reports are fully written in. */
export const SUPPORTED_LANGS = ['en', 'zh-CN'] as const;
/** What a language tag must be, in words, for errors that refuse another one. */
export const SUPPORTED_LANGS_EXPECTED = `${SUPPORTED_LANGS.join(' or ')} (or another tag of those languages, such as en-GB or zh)`;

const caseless = (text: string) => [...text].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
/**
 * A tag rca has texts in the language of: a supported tag or another of the same language
 * (en-GB, zh), in any case. A tag of another language (fr) would silently be answered in
 * English. A pattern, so that schemas (the API's `lang` query parameter) can say it too.
 */
export const SUPPORTED_LANG_TAG = new RegExp(`^(?:${[...new Set(SUPPORTED_LANGS.map((l) => l.split('-')[0] as string))].map(caseless).join('|')})(?:-[A-Za-z0-9]{2,8})*$`);

/**
 * The supported language whose texts a tag gets: the tag itself, in any case, or the one sharing
 * its primary subtag (en for en-GB, zh-CN for zh or zh-TW); undefined for a tag of another
 * language. What localize() picks, what an answer's Content-Language says, and what
 * Accept-Language picks from.
 */
export function supportedLanguage(tag: string): string | undefined {
  const wanted = tag.toLowerCase();
  const primary = wanted.split('-')[0];
  return SUPPORTED_LANGS.find((l) => l.toLowerCase() === wanted) ?? SUPPORTED_LANGS.find((l) => l.split('-')[0]?.toLowerCase() === primary);
}

/** Whether rca has texts in the language of TAG (SUPPORTED_LANG_TAG). */
export function isSupportedLanguage(tag: string): boolean {
  return SUPPORTED_LANG_TAG.test(tag);
}

/**
 * The supported language a knowledge-base text's key most likely means when it is none: the
 * same tag in another case or with `_` for `-` (zh_CN), another tag of the language (zh, en-US),
 * or the region of one (cn); undefined for another language (fr).
 */
export function meantLanguage(key: string): string | undefined {
  const tag = key.replace(/_/g, '-');
  return supportedLanguage(tag) ?? SUPPORTED_LANGS.find((l) => l.split('-').slice(1).some((region) => region.toLowerCase() === tag.toLowerCase()));
}

/**
 * The text for a language tag: the one under the supported language the tag gets
 * (supportedLanguage: zh-CN for zh or zh-TW), else English. Only the supported languages' keys
 * are read, as `rca kb lint` has it (unknown-language): a text under `zh` or `zh_CN` is never
 * shown, and lint says so at its key.
 */
export function localize(text: LocalizedText, lang: string): string {
  if (typeof text === 'string') return text;
  const language = (SUPPORTED_LANGS as readonly string[]).includes(lang) ? lang : (supportedLanguage(lang) ?? DEFAULT_LANG);
  return (Object.hasOwn(text, language) ? text[language] : undefined) ?? text.en;
}

/** Language tags a localized text lacks among those required. */
export function missingLanguages(text: LocalizedText, required: readonly string[]): string[] {
  if (typeof text === 'string') return required.filter((l) => l !== DEFAULT_LANG);
  return required.filter((l) => !Object.hasOwn(text, l));
}
