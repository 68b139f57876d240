import type { LintCheck } from '../check.js';
import { visible } from '../../escape.js';
import { forEachText } from './texts.js';

/**
 * Whether a zh-CN text is English left untranslated: no Chinese character, and a lowercase
 * Latin word (an acronym or a command alone, "DNS", "TCP RST", is the same in both languages).
 * `reports/strings.yaml`'s fixed words are held to the same (test/kb/contract.test.ts).
 */
export function untranslatedChinese(text: string): boolean {
  return !/\p{Script=Han}/u.test(text) && /[a-z]{3}/.test(text);
}

/** A text's first words, for the finding. */
const opening = (text: string) => visible(text.length > 60 ? `${text.slice(0, 60)}...` : text);

export const untranslatedText: LintCheck = {
  meta: {
    id: 'untranslated-text',
    // A warning, as missing-translation: the text is shown, in the wrong language.
    severity: 'warning',
    docs: {
      description: 'A zh-CN text for people that holds no Chinese: the English copied under the Chinese key, or left there for later.',
      why: 'missing-translation sees a text under every language and passes it, while a report or interview in Chinese shows English for it in the middle of the engineer\'s own language, as if untranslated.',
    },
  },
  run(kb, report) {
    forEachText(kb, (file, path, id, text) => {
      const chinese = typeof text === 'object' ? text['zh-CN'] : undefined;
      if (chinese !== undefined && untranslatedChinese(chinese)) report(file, `${path}/zh-CN`, id, `expected Chinese under zh-CN, got text without a Chinese character: "${opening(chinese)}"`);
    });
  },
};
