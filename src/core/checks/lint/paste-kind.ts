import type { LintCheck } from '../check.js';

export const pasteKind: LintCheck = {
  meta: {
    id: 'paste-kind',
    severity: 'error',
    docs: {
      description: "A question's `paste` names a kind `rca parse` does not have, or one that does not carry the question's fact.",
      why: 'The interview offers that paste after "don\'t know" and counts what it would fill when choosing questions: a kind that cannot read the output, or that never yields the fact, sends the engineer to paste for nothing.',
    },
  },
  run(kb, report, { pasteKinds, kindsCarrying }) {
    for (const [fact, question] of kb.questions) {
      const { paste } = question.value;
      if (paste === undefined) continue;
      const carrying = kindsCarrying(fact);
      if (!pasteKinds.includes(paste)) report(question.file, `${question.path}/paste`, fact, `names parse kind "${paste}", which rca parse does not have (rca parse --list): expected one of ${pasteKinds.join(', ')}`);
      else if (!carrying.includes(paste)) report(question.file, `${question.path}/paste`, fact, `names parse kind "${paste}", which does not carry ${fact}: expected ${carrying.length > 0 ? `one of ${carrying.join(', ')}` : 'no paste, since no kind carries it'}`);
    }
  },
};
