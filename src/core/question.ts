import type { Question } from '../generated/question.js';
import { evaluate3 } from './conditions.js';
import type { KnowledgeBase } from './kb.js';
import { localize } from './localize.js';
import { pasteOf, type PasteKinds } from './paste.js';
import { commandEnvironment, fillInOf } from './templates.js';
import { questionCommand } from './variants.js';
import type { FactMap, FactSpec } from './vocabulary.js';

/**
 * The question that obtains `fact` (schemas/question.schema.json), in `lang`: GET /v1/questions
 * lists them, the interview asks them. Its `how` is the command `facts` select (the interview's
 * so far; none for the list, which shows the default: questionCommand), filled from them, each
 * fact still unknown shown as `<group.fact>`, so both show one placeholder style. Its `choices` are the very values the fact takes
 * (JSON booleans for a boolean fact), so a client sends back the choice it picked as it is.
 * With the parsers' kinds (`pasteKinds`, passed in by the edges), its `paste` says which kind reads
 * that command's output and what a paste of it fills.
 */
export function describeQuestion(kb: KnowledgeBase, fact: string, lang: string, facts: FactMap = {}, pasteKinds?: PasteKinds): Question {
  const question = kb.questions.get(fact)?.value;
  const spec = kb.vocabulary.facts.get(fact);
  // Loading a knowledge base refuses a question about an unknown fact, so this is a bug.
  if (!question || !spec) throw new Error(`no question for ${fact}`);
  const command = questionCommand(question, facts).how;
  const how = command ? commandEnvironment().commandTemplate(command, `question ${fact}`) : undefined;
  return {
    fact,
    text: localize(question.text, lang),
    help: question.help ? localize(question.help, lang) : null,
    ...answerShape(spec),
    how: how ? how(facts) : null,
    ...(how && fillInOf(how, facts)),
    paste: pasteShown(kb, fact, facts, pasteKinds),
  };
}

/** What rca reads of the output of the question's command (pasteOf, as the choice counts it): none without the parsers' kinds. */
function pasteShown(kb: KnowledgeBase, fact: string, facts: FactMap, pasteKinds: PasteKinds | undefined): Question['paste'] {
  const paste = pasteKinds ? pasteOf(kb, fact, pasteKinds, facts) : null;
  return paste ? { kind: paste.kind, carries: [...paste.carries], direct: paste.as !== undefined } : null;
}

/** What an answer about a fact is, as a question shows it: its type, the choices (the very values it takes), unit and range. */
export function answerShape(spec: FactSpec): Pick<Question, 'type' | 'choices' | 'unit' | 'minimum' | 'maximum'> {
  return {
    type: spec.type,
    choices: spec.type === 'enum' ? [...(spec.values ?? [])] : spec.type === 'boolean' ? [true, false] : null,
    unit: spec.unit ?? null,
    minimum: spec.minimum ?? null,
    maximum: spec.maximum ?? null,
  };
}

/**
 * Whether the question for `fact` may be asked on these facts: its askIf holds, if it has one
 * (unknown is not enough), and its askUnless does not (unknown is enough: only known facts rule
 * a question out).
 */
export function askIfHolds(kb: KnowledgeBase, fact: string, facts: FactMap): boolean {
  const question = kb.questions.get(fact)?.value;
  if (question?.askIf && evaluate3(question.askIf, kb.conditions, facts) !== 'true') return false;
  return !question?.askUnless || evaluate3(question.askUnless, kb.conditions, facts) !== 'true';
}
