import type { LocalizedText } from '../../../generated/kb-file.js';
import type { KnowledgeBase } from '../../kb.js';
import { placeOf } from '../../kb-place.js';
import { checkForms } from '../../variants.js';

/** One text for people, where it is written and the entry it belongs to. */
export type TextVisitor = (file: string, path: string, id: string, text: LocalizedText) => void;

/**
 * Every text for people of a knowledge base: the fields schemas/kb-file.schema.json types
 * localizedText, entry by entry in load order; a check's text (and its variants') where the
 * extension that gave it wrote it. Only facts a pack declared: the shipped schema's descriptions are not the knowledge
 * base's texts.
 */
export function forEachText(kb: KnowledgeBase, visit: TextVisitor): void {
  const text = (file: string, path: string, id: string, value: LocalizedText | undefined) => {
    if (value !== undefined) visit(file, path, id, value);
  };
  for (const [id, entry] of kb.hypotheses) {
    const { value: h, file, path } = entry;
    text(file, `${path}/title`, id, h.title);
    text(file, `${path}/description`, id, h.description);
    h.checks.forEach((c, i) => {
      for (const { check, pointer } of checkForms(c)) {
        const at = placeOf(entry, `/checks/${i}${pointer}`);
        text(at.file, `${at.path}/confirms`, id, check.confirms);
        text(at.file, `${at.path}/rulesOut`, id, check.rulesOut);
      }
    });
  }
  for (const r of kb.rules) text(r.file, `${r.path}/description`, r.id, r.rule.description);
  for (const [fact, { value: q, file, path }] of kb.questions) {
    text(file, `${path}/text`, fact, q.text);
    text(file, `${path}/help`, fact, q.help);
  }
  for (const [fact, { file, path }] of kb.vocabulary.declared) text(file, `${path}/description`, fact, kb.vocabulary.facts.get(fact)?.description);
}
