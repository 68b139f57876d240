import type { Condition } from '../../../generated/kb-file.js';
import { foldCondition } from '../../conditions.js';
import { OPERATORS } from '../../operators.js';
import type { LintCheck } from '../check.js';

/** The negations a condition uses: `not` (not looked into) and negating operators. */
function negations(condition: Condition, named: ReadonlyMap<string, Condition>): string[] {
  return foldCondition<string[]>(
    condition,
    {
      all: (children) => children.flat(),
      any: (children) => children.flat(),
      not: () => ['not'],
      leaf: (leaf) => (OPERATORS[leaf.operator].negating ? [`${leaf.fact} ${leaf.operator}`] : []),
      reference: (_, target) => target ?? [],
    },
    named,
  );
}

export const firesOnAbsence: LintCheck = {
  meta: {
    id: 'fires-on-absence',
    severity: 'warning',
    docs: {
      description: 'A rule uses notEqual, notIn, doesNotContain or not.',
      why: 'It reads as if a missing fact were evidence; rca never fires on absence, so say what was seen (equal / in) instead.',
    },
  },
  run(kb, report) {
    for (const r of kb.rules) {
      const negated = negations(r.rule.conditions, kb.conditions);
      if (negated.length > 0) report(r.file, `${r.path}/conditions`, r.id, `uses ${negated.join(', ')}: state what was seen (equal / in) so the rule does not read as firing on a missing fact`);
    }
  },
};
