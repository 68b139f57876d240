import type { TestCheck } from '../check.js';

/**
 * `rca kb test`'s check of a rule's silent cases. Its code is the tester's (src/kbtools/tester.ts),
 * which runs each case through the engine; its meta is here, with every other check's, for
 * `rca kb lint --list` and for the lintIgnore entries that waive it.
 */
export const nearMiss: TestCheck = {
  meta: {
    id: 'near-miss',
    severity: 'error',
    docs: {
      description: '`rca kb test`: a rule without a near miss, a silent case that knows every fact the rule reads and leaves it false.',
      why: 'Only a near miss shows the rule tells its symptom from the one next to it; a rule that holds whenever its facts are known (the facts allow no value that makes it false) waives it with lintIgnore and the reason.',
    },
  },
};
