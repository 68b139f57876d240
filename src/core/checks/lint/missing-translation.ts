import type { LocalizedText } from '../../../generated/kb-file.js';
import { missingLanguages, SUPPORTED_LANGS } from '../../localize.js';
import type { LintCheck } from '../check.js';
import { forEachText } from './texts.js';

/** What a text that lacks a language holds, for the finding's "got". */
function holding(text: LocalizedText, missing: readonly string[]): string {
  if (typeof text === 'string') return 'a plain string (en only)';
  return `${Object.keys(text).join(', ')} (no ${missing.join(', ')})`;
}

export const missingTranslation: LintCheck = {
  meta: {
    id: 'missing-translation',
    // A warning: an English-only text is valid (docs/knowledge-base.md, "Languages") and falls back
    // to English; the shipped KB is held to every language by being lint-clean.
    severity: 'warning',
    docs: {
      description: 'A text for people (a title, description, check outcome, question or help) that lacks a language rca supports.',
      why: 'A report or interview in that language falls back to English for this text alone, in the middle of the engineer\'s own language.',
    },
  },
  run(kb, report) {
    forEachText(kb, (file, path, id, text) => {
      const missing = missingLanguages(text, SUPPORTED_LANGS);
      if (missing.length > 0) report(file, path, id, `expected texts in ${SUPPORTED_LANGS.join(' and ')}, got ${holding(text, missing)}`);
    });
  },
};
