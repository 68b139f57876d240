import type { LocalizedText } from '../generated/kb-file.js';
import { readSchema } from './schemas.js';

export const DEFAULT_LANG = 'en';
/** Languages the shipped knowledge base and reports are fully written in: what a tag rca takes is served in (supportedLanguage). */
export const SUPPORTED_LANGS = ['en', 'zh-CN'] as const;

/**
 * The tags rca takes, as schemas/diagnose-request.schema.json's `lang` says them once for every
 * edge (a request's `lang`, the GET routes' `?lang`, Accept-Language, --lang): its pattern, and
 * what it stands for in words (`source`, the pattern as written, for schemas that say it again:
 * the GET routes' `lang` parameter). Read when first needed.
 */
let languageTags: { source: string; pattern: RegExp; expected: string } | undefined;
export function takenLanguageTags(): { source: string; pattern: RegExp; expected: string } {
  if (!languageTags) {
    const { lang } = readSchema('diagnose-request.schema.json').properties as { lang: { pattern: string; 'x-expected': string } };
    languageTags = { source: lang.pattern, pattern: new RegExp(lang.pattern), expected: lang['x-expected'] };
  }
  return languageTags;
}

/** What a language tag must be, in words, for errors that refuse another one: "a language rca has (en, zh-CN), or ...". */
export function supportedLanguagesExpected(): string {
  return takenLanguageTags().expected;
}

/**
 * The supported language a tag rca takes is served in (en for en or en-GB, zh-CN for zh or
 * zh-Hans-SG): what an answer's `lang` and Content-Language say, and what Accept-Language picks
 * from. Undefined for a tag rca does not take: of another language (fr), or of a script it has no
 * texts in (zh-TW, zh-Hant: traditional Chinese), which would silently get other texts than asked.
 */
export function supportedLanguage(tag: string): string | undefined {
  if (!takenLanguageTags().pattern.test(tag)) return undefined;
  const primary = tag.split('-', 1)[0]?.toLowerCase();
  return SUPPORTED_LANGS.find((l) => l.split('-', 1)[0] === primary);
}

/** Whether rca takes the tag (supportedLanguage). */
export function isSupportedLanguage(tag: string): boolean {
  return supportedLanguage(tag) !== undefined;
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
