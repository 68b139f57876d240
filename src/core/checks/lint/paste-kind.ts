import type { LintCheck } from '../check.js';

export const pasteKind: LintCheck = {
  meta: {
    id: 'paste-kind',
    severity: 'error',
    docs: {
      description: "A question's `paste` names a kind `rca parse` does not have, or one that does not carry the question's fact (with `pasteAs`: a fact it is read as, or the question's fact not among those it stands for).",
      why: 'The interview offers that paste after "don\'t know" and counts what it would fill when choosing questions: a kind that cannot read the output, or that never yields the fact, sends the engineer to paste for nothing.',
    },
  },
  run(kb, report, { pasteKinds, kindsCarrying }) {
    for (const [fact, question] of kb.questions) {
      const { paste, pasteAs } = question.value;
      if (paste === undefined) continue;
      if (!pasteKinds.includes(paste)) {
        report(question.file, `${question.path}/paste`, fact, `names parse kind "${paste}", which rca parse does not have (rca parse --list): expected one of ${pasteKinds.join(', ')}`);
        continue;
      }
      if (pasteAs === undefined) {
        const carrying = kindsCarrying(fact);
        if (!carrying.includes(paste)) report(question.file, `${question.path}/paste`, fact, `names parse kind "${paste}", which does not carry ${fact}: expected ${carrying.length > 0 ? `one of ${carrying.join(', ')}` : 'no paste, since no kind carries it'}`);
        continue;
      }
      // Another endpoint's output: the kind must carry each fact it is read as, and the question's own fact must be one it stands for.
      for (const read of Object.keys(pasteAs)) {
        if (!kindsCarrying(read).includes(paste)) report(question.file, `${question.path}/pasteAs/${read}`, fact, `reads ${read} from a paste of "${paste}", which does not carry it`);
      }
      if (!Object.values(pasteAs).includes(fact)) report(question.file, `${question.path}/pasteAs`, fact, `expected ${fact} among the facts the paste stands for, got ${Object.values(pasteAs).join(', ')}`);
    }
  },
};
