import type { LocalizedText } from '../../../generated/kb-file.js';
import { placeOf } from '../../kb.js';
import { missingLanguages, SUPPORTED_LANGS } from '../../localize.js';
import type { LintCheck } from '../check.js';

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
    const check = (file: string, path: string, id: string, text: LocalizedText | undefined) => {
      if (text === undefined) return;
      const missing = missingLanguages(text, SUPPORTED_LANGS);
      if (missing.length > 0) report(file, path, id, `expected texts in ${SUPPORTED_LANGS.join(' and ')}, got ${holding(text, missing)}`);
    };
    // The fields schemas/kb-file.schema.json types localizedText, entry by entry in load order.
    for (const [id, entry] of kb.hypotheses) {
      const { value: h, file, path } = entry;
      check(file, `${path}/title`, id, h.title);
      check(file, `${path}/description`, id, h.description);
      h.checks.forEach((c, i) => {
        const at = placeOf(entry, `/checks/${i}`);
        check(at.file, `${at.path}/confirms`, id, c.confirms);
        check(at.file, `${at.path}/rulesOut`, id, c.rulesOut);
      });
    }
    for (const r of kb.rules) check(r.file, `${r.path}/description`, r.id, r.rule.description);
    for (const [fact, { value: q, file, path }] of kb.questions) {
      check(file, `${path}/text`, fact, q.text);
      check(file, `${path}/help`, fact, q.help);
    }
    // Only facts a pack declared: the shipped schema's descriptions are not the knowledge base's texts.
    for (const [fact, { file, path }] of kb.vocabulary.declared) check(file, `${path}/description`, fact, kb.vocabulary.facts.get(fact)?.description);
  },
};
