import { foldCondition, locatedFold } from '../../conditions.js';
import type { LoadCheck } from '../check.js';

export const unknownCondition: LoadCheck = {
  meta: {
    id: 'unknown-condition',
    severity: 'fatal',
    docs: {
      description: 'Each {condition: NAME} names a condition some file defines.',
      why: 'json-rules-engine would throw on the first diagnosis that reaches the reference, in the middle of an incident.',
    },
  },
  condition(condition, file, path, kb, report) {
    foldCondition(
      condition,
      locatedFold<void>({
        leaf: () => undefined,
        reference: (name, at) => {
          if (!kb.named.has(name)) report(file, `${at}/condition`, `unknown condition "${name}"`);
        },
        combine: () => undefined,
      }),
    )(path);
  },
};
