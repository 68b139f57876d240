import { compiledModel } from '../../differential.js';
import type { KnowledgeBase } from '../../kb.js';
import type { LintCheck } from '../check.js';

/**
 * The facts of the vocabulary that nothing weighs: no rule reads them and no class of the
 * differential (a hypothesis's likelihoods, or the model's otherCause row) has an opinion on
 * them. A fact only the tables weigh still moves the ranking, so asking for it is not in vain.
 */
export function unreadFacts(kb: KnowledgeBase): string[] {
  const read = new Set(kb.rules.flatMap((r) => r.facts));
  const { facts } = compiledModel(kb);
  return kb.vocabulary.names.filter((fact) => !read.has(fact) && !(facts.get(fact)?.opinionated.length ?? 0));
}

export const unreadFact: LintCheck = {
  meta: {
    id: 'unread-fact',
    severity: 'warning',
    docs: {
      description: 'A fact of the vocabulary that neither a rule nor a likelihood table reads (and no question asks for).',
      why: 'Whoever collects it (a parser, a probe, an engineer) gets nothing for it: a rule or a likelihood is missing, or the fact is.',
    },
  },
  run(kb, report) {
    for (const fact of unreadFacts(kb)) {
      if (kb.questions.has(fact)) continue;
      // A fact a pack declared is reported where it declared it.
      const declared = kb.vocabulary.declared.get(fact);
      report(declared?.file ?? 'schemas/facts.schema.json', declared?.path ?? `/properties/${fact}`, fact, 'no rule or likelihood reads this fact');
    }
  },
};
