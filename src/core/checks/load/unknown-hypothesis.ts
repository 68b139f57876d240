import { didYouMean } from '../../suggest.js';
import type { LoadCheck } from '../check.js';

export const unknownHypothesis: LoadCheck = {
  meta: {
    id: 'unknown-hypothesis',
    severity: 'fatal',
    docs: {
      description: 'Each piece of evidence a rule gives names a hypothesis some file defines.',
      why: 'Evidence for a misspelt hypothesis would be counted for nothing: the rule fires and changes no ranking.',
    },
  },
  rule(rule, kb, report) {
    rule.value.evidence.forEach((e, i) => {
      if (!kb.hypotheses.has(e.hypothesis)) report(rule.file, `${rule.path}/evidence/${i}/hypothesis`, `unknown hypothesis "${e.hypothesis}"${didYouMean(e.hypothesis, [...kb.hypotheses.keys()])}`);
    });
  },
};
