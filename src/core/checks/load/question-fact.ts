import { unknownFactMessage } from '../../facts.js';
import type { LoadCheck } from '../check.js';

export const questionFact: LoadCheck = {
  meta: {
    id: 'question-fact',
    severity: 'fatal',
    docs: {
      description: 'Each question asks for a fact of the vocabulary.',
      why: 'The answer to a question for an unknown fact would be refused as input: the interview would ask something it cannot take.',
    },
  },
  question(question, kb, report) {
    if (!kb.vocabulary.facts.has(question.value.fact)) report(question.file, `${question.path}/fact`, unknownFactMessage(kb.vocabulary, question.value.fact));
  },
};
