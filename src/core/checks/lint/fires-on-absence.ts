import type { Condition } from '../../../generated/kb-file.js';
import { foldCondition, locatedFold } from '../../conditions.js';
import { OPERATORS } from '../../operators.js';
import type { LintCheck } from '../check.js';

/** A negation a condition uses, and where its rule shows it (for one a named condition brings in, the reference's pointer). */
interface Negation {
  what: string;
  path: string;
}

/** The negations a condition uses: `not` (not looked into) and negating operators. */
function negations(condition: Condition, named: ReadonlyMap<string, Condition>): Negation[] {
  return foldCondition(
    condition,
    locatedFold<Negation[]>({
      leaf: (leaf, path) => (OPERATORS[leaf.operator].negating ? [{ what: `${leaf.fact} ${leaf.operator}`, path }] : []),
      reference: (_, path, target) => (target?.(path) ?? []).map(({ what }) => ({ what, path })),
      combine: (results) => results.flat(),
      not: (path) => [{ what: 'not', path }],
    }),
    named,
  )('');
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
  // One finding per place, as ESLint reports each offending node: a named condition's negations
  // share their reference's place, so they are one finding there.
  run(kb, report) {
    for (const r of kb.rules) {
      const byPlace = new Map<string, string[]>();
      for (const { what, path } of negations(r.rule.conditions, kb.conditions)) byPlace.set(path, [...(byPlace.get(path) ?? []), what]);
      for (const [path, what] of byPlace) report(r.file, `${r.path}/conditions${path}`, r.id, `uses ${what.join(', ')}: state what was seen (equal / in) so the rule does not read as firing on a missing fact`);
    }
  },
};
