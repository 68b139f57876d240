import type { LeafCondition } from '../../../generated/kb-file.js';
import { foldCondition, type ConditionFold } from '../../conditions.js';
import type { LintCheck } from '../check.js';
import { conjunction } from './conjunctions.js';

const leafKey = (l: LeafCondition) => JSON.stringify([l.fact, l.operator, l.value]);

/** Whether a condition negates anything: its conjunction leaves a `not` out, so its leaves say less than it asks. */
const NEGATES: ConditionFold<boolean> = {
  all: (children) => children.some(Boolean),
  any: (children) => children.some(Boolean),
  not: () => true,
  leaf: () => false,
  reference: (_, target) => target ?? false,
};

export const subsumedRule: LintCheck = {
  meta: {
    id: 'subsumed-rule',
    severity: 'warning',
    docs: {
      description: "A rule whose conditions include all of another's, for the same hypothesis and sign.",
      why: 'Whenever it fires the other fires too: the evidence is counted twice, unless the refinement is meant to add belief (then say so with lintIgnore).',
    },
  },
  run(kb, report) {
    const leafSets = kb.rules.map((r) => {
      const { leaves, anys } = conjunction(r.rule.conditions, kb.conditions);
      return { rule: r, leaves: anys.length === 0 ? new Set(leaves.map((placed) => leafKey(placed.leaf))) : undefined, negates: foldCondition(r.rule.conditions, NEGATES, kb.conditions) };
    });
    for (const a of leafSets) {
      // A rule with a `not` asks more than its leaves: another holding them all may fire without it.
      if (a.negates) continue;
      for (const b of leafSets) {
        if (a === b || !a.leaves || !b.leaves || a.leaves.size >= b.leaves.size) continue;
        if (![...a.leaves].every((k) => b.leaves?.has(k))) continue;
        for (const ea of a.rule.rule.evidence) {
          const eb = b.rule.rule.evidence.find((e) => e.hypothesis === ea.hypothesis && Math.sign(e.cf) === Math.sign(ea.cf));
          if (eb) report(b.rule.file, `${b.rule.path}/conditions`, b.rule.id, `includes every condition of ${a.rule.id}: whenever it fires ${a.rule.id} fires too, counting evidence for ${ea.hypothesis} twice`);
        }
      }
    }
  },
};
