import { placeOf } from '../../kb-place.js';
import type { LintCheck } from '../check.js';

/** Two CJK characters (ideographs or CJK / full-width punctuation) with spaces between them. */
const CJK_SPACE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef] +[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
/**
 * A space after full-width punctuation (、。，：；！？（）), or before one that closes: the mark is a full character
 * wide and carries its own space, so Chinese puts none beside it, Latin text after it included
 * ("成功， TCP", a line fold after "，" where the next line opens with Latin text).
 */
const PUNCTUATION_SPACE = /[\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09] +\S| +[\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff09]/;

/** The spacing a Chinese text gets wrong first, in words, or undefined. */
export function badSpacing(text: string): string | undefined {
  const between = CJK_SPACE.exec(text);
  if (between) return `a space between Chinese characters: "${between[0]}"`;
  const beside = PUNCTUATION_SPACE.exec(text);
  return beside ? `a space beside full-width punctuation: "${beside[0]}"` : undefined;
}

/** Every zh-CN text inside an entry, with its JSON path below the entry. */
function chineseTexts(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]): Array<[string, string]> =>
    key === 'zh-CN' && typeof child === 'string' ? [[`${path}/${key}`, child]] : chineseTexts(child, `${path}/${key}`),
  );
}

export const cjkSpacing: LintCheck = {
  meta: {
    id: 'cjk-spacing',
    severity: 'error',
    docs: {
      description: 'A space between two Chinese characters in a zh-CN text, or beside full-width punctuation (，。、：；！？（）).',
      why: 'It is usually a YAML line fold (>-) joining lines with a space, which Chinese does not use (a full-width mark carries its own space, before Latin text too): keep such a text on one line.',
    },
  },
  run(kb, report) {
    const entries: Array<{ id: string; entry: Parameters<typeof placeOf>[0] }> = [
      ...[...kb.hypotheses].map(([id, entry]) => ({ id, entry })),
      ...[...kb.questions].map(([id, entry]) => ({ id, entry })),
      ...kb.rules.map((r) => ({ id: r.id, entry: { value: r.rule, file: r.file, path: r.path } })),
    ];
    for (const { id, entry } of entries) {
      for (const [pointer, text] of chineseTexts(entry.value)) {
        const found = badSpacing(text);
        const { file, path } = placeOf(entry, pointer);
        if (found) report(file, path, id, found);
      }
    }
  },
};
