import { placeOf } from '../../kb-place.js';
import { checkForms } from '../../variants.js';
import type { LintCheck } from '../check.js';

export const checkOutcome: LintCheck = {
  meta: {
    id: 'check-outcome',
    severity: 'error',
    docs: {
      description: 'A check (or a variant of one) whose confirming and ruling-out outcomes say the same.',
      why: 'The engineer running the command could not tell from its output whether the cause is confirmed or ruled out.',
    },
  },
  run(kb, report) {
    for (const [id, entry] of kb.hypotheses) {
      entry.value.checks.forEach((c, i) => {
        for (const { check, pointer } of checkForms(c)) {
          const { file, path } = placeOf(entry, `/checks/${i}${pointer}`);
          if (JSON.stringify(check.confirms) === JSON.stringify(check.rulesOut)) report(file, path, id, 'confirms and rulesOut say the same: say what each outcome looks like');
        }
      });
    }
  },
};
