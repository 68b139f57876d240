import { pointerToken } from '../../errors.js';
import { meantLanguage, SUPPORTED_LANGS } from '../../localize.js';
import { meaning } from '../../suggest.js';
import type { LintCheck } from '../check.js';
import { forEachText } from './texts.js';

export const unknownLanguage: LintCheck = {
  meta: {
    id: 'unknown-language',
    // An error, not a warning: the text under the key is written and never shown (localize reads
    // only the supported languages' keys), where a missing translation is only not written.
    severity: 'error',
    docs: {
      description: `A text for people keyed by a language other than those rca writes (${SUPPORTED_LANGS.join(', ')}): zh, zh_CN, cn, fr.`,
      why: 'rca shows only the text under a supported language\'s own key: one written under another key is never shown (a report in Chinese shows the English instead), and a misspelt zh-CN hides a translation that was written.',
    },
  },
  run(kb, report) {
    const expected = `expected ${SUPPORTED_LANGS.join(' or ')}`;
    forEachText(kb, (file, path, id, text) => {
      if (typeof text === 'string') return;
      for (const key of Object.keys(text)) {
        if ((SUPPORTED_LANGS as readonly string[]).includes(key)) continue;
        report(file, `${path}/${pointerToken(key)}`, id, `${expected}${meaning(meantLanguage(key))}, got ${JSON.stringify(key)}: a text under any other key is never shown`);
      }
    });
  },
};
