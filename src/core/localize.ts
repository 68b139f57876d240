import type { LocalizedText } from '../generated/kb-file.js';

export const DEFAULT_LANG = 'en';
/** Languages the shipped knowledge base and reports are fully written in. */
export const SUPPORTED_LANGS = ['en', 'zh-CN'] as const;
export const LANG_TAG = /^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * Picks the text for a language tag: the exact tag, then one sharing its primary
 * subtag (zh-CN for zh, zh for zh-TW), then English. Tags compare case-insensitively.
 */
export function localize(text: LocalizedText, lang: string): string {
  if (typeof text === 'string') return text;
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

/** Language tags a localized text lacks among those required. */
export function missingLanguages(text: LocalizedText, required: readonly string[]): string[] {
  if (typeof text === 'string') return required.filter((l) => l !== DEFAULT_LANG);
  return required.filter((l) => !(l in text));
}
