import type { LeafCondition } from '../../../generated/kb-file.js';
import { OPERATORS } from '../../operators.js';
import type { LintCheck } from '../check.js';
import { conjunctions, type PlacedLeaf } from './conjunctions.js';

/** Why a set of leaves on one fact can never hold together, or undefined when it can. */
function contradiction(leaves: LeafCondition[]): string | undefined {
  const constants = leaves.filter((l) => typeof l.value !== 'object' || Array.isArray(l.value));
  const equals = constants.filter((l) => l.operator === 'equal').map((l) => l.value);
  if (new Set(equals.map((v) => JSON.stringify(v))).size > 1) return `must equal ${equals.map((v) => JSON.stringify(v)).join(' and ')}`;
  const value = equals[0];
  if (value !== undefined) {
    for (const l of constants) {
      if (l.operator === 'notEqual' && l.value === value) return `must equal and not equal ${JSON.stringify(value)}`;
      if (l.operator === 'in' && Array.isArray(l.value) && !l.value.includes(value as never)) return `must equal ${JSON.stringify(value)} and be one of ${JSON.stringify(l.value)}`;
      if (l.operator === 'notIn' && Array.isArray(l.value) && l.value.includes(value as never)) return `must equal ${JSON.stringify(value)} and not be one of ${JSON.stringify(l.value)}`;
    }
  }
  let low = -Infinity;
  let high = Infinity;
  let lowOpen = false;
  let highOpen = false;
  for (const l of constants) {
    if (OPERATORS[l.operator].kind !== 'numeric' || typeof l.value !== 'number') continue;
    if ((l.operator === 'greaterThan' || l.operator === 'greaterThanInclusive') && l.value >= low) {
      lowOpen = l.operator === 'greaterThan' || (l.value === low && lowOpen);
      low = l.value;
    }
    if ((l.operator === 'lessThan' || l.operator === 'lessThanInclusive') && l.value <= high) {
      highOpen = l.operator === 'lessThan' || (l.value === high && highOpen);
      high = l.value;
    }
  }
  if (low > high || (low === high && (lowOpen || highOpen))) return `must be ${lowOpen ? '>' : '>='} ${low} and ${highOpen ? '<' : '<='} ${high}`;
  return undefined;
}

export const contradictoryConditions: LintCheck = {
  meta: {
    id: 'contradictory-conditions',
    severity: 'error',
    docs: {
      description: 'An `all` that can never hold: one fact must equal two values, or lie in an empty range.',
      why: 'Such a rule never fires: the knowledge it was written for is silently lost.',
    },
  },
  run(kb, report) {
    for (const r of kb.rules) {
      for (const group of conjunctions(r.rule.conditions, kb.conditions)) {
        const byFact = new Map<string, PlacedLeaf[]>();
        for (const placed of group) byFact.set(placed.leaf.fact, [...(byFact.get(placed.leaf.fact) ?? []), placed]);
        for (const [fact, placed] of byFact) {
          const leaves = placed.map((p) => p.leaf);
          const why = contradiction(leaves);
          if (!why) continue;
          // At the leaf that, with those before it, can no longer hold: where reading the rule down, it stops making sense.
          const closing = placed.find((_, i) => contradiction(leaves.slice(0, i + 1)) !== undefined);
          report(r.file, `${r.path}/conditions${closing?.path ?? ''}`, r.id, `can never fire: ${fact} ${why}`);
        }
      }
    }
  },
};
