import type { LintCheck } from '../check.js';

export const unmodelledHypothesis: LintCheck = {
  meta: {
    id: 'unmodelled-hypothesis',
    severity: 'warning',
    docs: {
      description: 'A hypothesis without a likelihood table (likelihoods: the facts its cause makes likely, and how likely).',
      why: 'The differential weighs it by its prior and its rules alone: on a thin ticket it ranks only once a rule fires, and the interview asks for its facts only through those rules, so it is the last cause a real incident reaches.',
    },
  },
  run(kb, report) {
    for (const [id, { value, file, path }] of kb.hypotheses) {
      if (Object.keys(value.likelihoods ?? {}).length === 0) report(file, path, id, 'no likelihoods: give the facts its cause makes likely (likelihoods: {fact: {value: probability}}), as docs/knowledge-base.md "The differential" shows');
    }
  },
};
