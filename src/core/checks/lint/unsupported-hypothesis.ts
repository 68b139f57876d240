import type { LintCheck } from '../check.js';
import { supportOf } from './support.js';

export const unsupportedHypothesis: LintCheck = {
  meta: {
    id: 'unsupported-hypothesis',
    severity: 'error',
    docs: {
      description: 'A hypothesis no rule supports (no positive cf).',
      why: 'It can never be ranked: whatever the facts, rca would never name it.',
    },
  },
  run(kb, report) {
    for (const [id, { file, path }] of kb.hypotheses) {
      if (supportOf(kb, id).length === 0) report(file, path, id, 'no rule supports it (no positive cf), so it can never be ranked');
    }
  },
};
