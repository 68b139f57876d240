import type { KnowledgeBase } from '../../kb.js';
import type { LintCheck } from '../check.js';

/** The facts of the vocabulary that no rule reads. */
export function unreadFacts(kb: KnowledgeBase): string[] {
  const read = new Set(kb.rules.flatMap((r) => r.facts));
  return kb.vocabulary.names.filter((fact) => !read.has(fact));
}

export const unreadFact: LintCheck = {
  meta: {
    id: 'unread-fact',
    severity: 'warning',
    docs: {
      description: 'A fact of the vocabulary that no rule reads (and no question asks for).',
      why: 'Whoever collects it (a parser, a probe, an engineer) gets nothing for it: a rule is missing, or the fact is.',
    },
  },
  run(kb, report) {
    for (const fact of unreadFacts(kb)) {
      if (kb.questions.has(fact)) continue;
      // A fact a pack declared is reported where it declared it.
      const declared = kb.vocabulary.declared.get(fact);
      report(declared?.file ?? 'schemas/facts.schema.json', declared?.path ?? `/properties/${fact}`, fact, 'no rule reads this fact');
    }
  },
};
