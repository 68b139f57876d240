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
 * The supported language whose texts a tag gets (as pick() chooses them): the tag itself, in any
 * case, or the one sharing its primary subtag (en for en-GB, zh-CN for zh or zh-TW); undefined
 * for a tag of another language. What an answer's Content-Language says, and what Accept-Language
 * picks from.
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
 * Picks the text for a language tag: the exact tag, then one sharing its primary
 * subtag (zh-CN for zh, zh for zh-TW), then English. Tags compare case-insensitively.
 */
function pick(text: Exclude<LocalizedText, string>, lang: string): string {
  const wanted = lang.toLowerCase();
  const primary = wanted.split('-')[0];
  let samePrimary: string | undefined;
  for (const [tag, value] of Object.entries(text)) {
    const t = tag.toLowerCase();
    if (t === wanted) return value;
    if (samePrimary === undefined && t.split('-')[0] === primary) samePrimary = value;
  }
  return samePrimary ?? (text.en as string);
}

/**
 * Each knowledge-base text is localized on every diagnosis, so the pick is remembered per
 * text and language; only for the supported languages, so clients sending ever new
 * tags cannot grow it.
 */
const picked = new WeakMap<object, Map<string, string>>();

/** The text for a language tag (see pick). */
export function localize(text: LocalizedText, lang: string): string {
  if (typeof text === 'string') return text;
  if (!(SUPPORTED_LANGS as readonly string[]).includes(lang)) return pick(text, lang);
  let byLang = picked.get(text);
  if (!byLang) picked.set(text, (byLang = new Map()));
  let value = byLang.get(lang);
  if (value === undefined) byLang.set(lang, (value = pick(text, lang)));
  return value;
}

/** Language tags a localized text lacks among those required. */
export function missingLanguages(text: LocalizedText, required: readonly string[]): string[] {
  if (typeof text === 'string') return required.filter((l) => l !== DEFAULT_LANG);
  return required.filter((l) => !(l in text));
}
