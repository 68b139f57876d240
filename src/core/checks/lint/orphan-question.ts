import type { LintCheck } from '../check.js';
import { unreadFacts } from './unread-fact.js';

export const orphanQuestion: LintCheck = {
  meta: {
    id: 'orphan-question',
    severity: 'warning',
    docs: {
      description: 'A question for a fact that neither a rule nor a likelihood table reads.',
      why: 'The interview could ask it and the answer would change nothing.',
    },
  },
  run(kb, report) {
    for (const fact of unreadFacts(kb)) {
      const question = kb.questions.get(fact);
      if (question) report(question.file, question.path, fact, `asks for ${fact}, which no rule or likelihood reads`);
    }
  },
};
