import { placeOf } from '../../kb-place.js';
import type { LintCheck } from '../check.js';

/** Two CJK characters (ideographs or CJK / full-width punctuation) with spaces between them. */
const CJK_SPACE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef] +[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

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
      description: 'A space between two Chinese characters in a zh-CN text.',
      why: 'It is usually a YAML line fold (>-) joining lines with a space, which Chinese does not use: keep such a text on one line.',
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
        const found = CJK_SPACE.exec(text);
        const { file, path } = placeOf(entry, pointer);
        if (found) report(file, path, id, `a space between Chinese characters: "${found[0]}"`);
      }
    }
  },
};
