import { factsOf, questionConditions } from '../../conditions.js';
import { compiledModel } from '../../differential.js';
import type { KnowledgeBase } from '../../kb.js';
import { readCommand } from '../../templates.js';
import { checkForms, questionCommands } from '../../variants.js';
import type { LintCheck } from '../check.js';

/**
 * The facts of the vocabulary that nothing uses: no rule reads them, no class of the
 * differential (a hypothesis's likelihoods, or the model's otherCause row) has an opinion on
 * them, no suggested command names them and no question's askIf or askUnless reads them. A
 * fact only the tables weigh still moves the ranking, one a command names (backend.host) fills
 * that command, and one a question's condition reads (target.host_is_ip) spares the engineer a
 * question, so none is collected in vain.
 */
export function unreadFacts(kb: KnowledgeBase): string[] {
  const read = new Set(kb.rules.flatMap((r) => r.facts));
  for (const fact of commandFacts(kb)) read.add(fact);
  for (const { value } of kb.questions.values()) for (const { condition } of questionConditions(value)) for (const fact of factsOf(condition, kb.conditions)) read.add(fact);
  const { facts } = compiledModel(kb);
  return kb.vocabulary.names.filter((fact) => !read.has(fact) && !(facts.get(fact)?.opinionated.length ?? 0));
}

/** The facts the commands of the checks and the questions name, in any variant, and those that choose a variant. */
function commandFacts(kb: KnowledgeBase): Set<string> {
  const named = new Set<string>();
  const add = (command: string) => {
    const reading = readCommand(command);
    if ('facts' in reading) for (const fact of reading.facts) named.add(fact);
  };
  for (const { value } of kb.hypotheses.values()) {
    for (const check of value.checks) {
      for (const form of checkForms(check)) add(form.check.command);
      if (check.commandBy) named.add(check.commandBy.fact);
    }
  }
  for (const { value } of kb.questions.values()) {
    for (const { how } of questionCommands(value)) add(how);
    if (value.howBy) named.add(value.howBy.fact);
  }
  return named;
}

export const unreadFact: LintCheck = {
  meta: {
    id: 'unread-fact',
    severity: 'warning',
    docs: {
      description: 'A fact of the vocabulary that neither a rule nor a likelihood table reads (and no question asks for, no command names and no question\'s condition reads).',
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
