import { combineAll } from '../../certainty.js';
import type { LintCheck } from '../check.js';
import { supportOf } from './support.js';

const USEFUL_BELIEF = 0.5;

export const weakHypothesis: LintCheck = {
  meta: {
    id: 'weak-hypothesis',
    severity: 'warning',
    docs: {
      description: `All supporting rules of a hypothesis together stay below a useful belief (${USEFUL_BELIEF}).`,
      why: 'Even with every supporting rule firing, it would rank as a weak guess behind better-supported causes.',
    },
  },
  run(kb, report) {
    for (const [id, { file, path }] of kb.hypotheses) {
      const support = supportOf(kb, id);
      const belief = combineAll(support).net;
      if (support.length > 0 && belief < USEFUL_BELIEF) report(file, path, id, `all its supporting rules together reach only ${belief.toFixed(2)} (< ${USEFUL_BELIEF})`);
    }
  },
};
