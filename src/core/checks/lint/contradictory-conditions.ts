import type { LeafCondition } from '../../../generated/kb-file.js';
import { OPERATORS } from '../../operators.js';
import type { LintCheck } from '../check.js';
import { conjunction, type Conjunction, type PlacedLeaf } from './conjunctions.js';

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

/** A contradiction: why it can never hold, at the leaf (or `any`) that closes it. */
interface Finding {
  path: string;
  why: string;
}

/** What a conjunction makes of the leaves around it: why it can never hold, or else the branches of its `any`s that never can. */
interface Judgement {
  never: Finding[];
  dead: Finding[];
}

/**
 * Judges a conjunction under the leaves that hold around it (`scope`, by fact: the leaves of every
 * `all` it is in): its own leaves against those, fact by fact; then, if they can hold, each of its
 * `any`s, whose branches are judged under its leaves too. An `any` none of whose branches can hold
 * cannot either; one some of whose branches cannot keeps those as dead. Each leaf and `any` is
 * judged once, against the leaves in scope of its own facts: a conjunction's leaves join the scope
 * while its `any`s are judged, and leave it after.
 */
function judge(c: Conjunction, scope: Map<string, LeafCondition[]>): Judgement {
  const own = new Map<string, PlacedLeaf[]>();
  for (const placed of c.leaves) own.set(placed.leaf.fact, [...(own.get(placed.leaf.fact) ?? []), placed]);
  const never: Finding[] = [];
  for (const [fact, placed] of own) {
    const around = scope.get(fact) ?? [];
    const leaves = [...around, ...placed.map((p) => p.leaf)];
    const why = contradiction(leaves);
    if (!why) continue;
    // At the leaf that, with those before it, can no longer hold: where reading the rule down, it stops making sense.
    const closing = placed.find((_, i) => contradiction(leaves.slice(0, around.length + i + 1)) !== undefined);
    never.push({ path: closing?.path ?? '', why: `${fact} ${why}` });
  }
  if (never.length > 0 || c.anys.length === 0) return { never, dead: [] };
  const outer = new Map([...own.keys()].map((fact) => [fact, scope.get(fact)]));
  for (const [fact, placed] of own) scope.set(fact, [...(outer.get(fact) ?? []), ...placed.map((p) => p.leaf)]);
  const dead: Finding[] = [];
  for (const any of c.anys) {
    const branches = any.branches.map((branch) => judge(branch, scope));
    if (branches.every((b) => b.never.length > 0)) never.push({ path: any.path, why: `no branch of its any can hold (${branches.map((b) => b.never.map((f) => f.why).join(', ')).join('; ')})` });
    else for (const b of branches) dead.push(...b.never, ...b.dead);
  }
  for (const [fact, leaves] of outer) {
    if (leaves) scope.set(fact, leaves);
    else scope.delete(fact);
  }
  return never.length > 0 ? { never, dead: [] } : { never, dead };
}

export const contradictoryConditions: LintCheck = {
  meta: {
    id: 'contradictory-conditions',
    severity: 'error',
    docs: {
      description: 'Conditions that can never hold: one fact must equal two values or lie in an empty range, in an `all` or in every branch of an `any` within it; or an `any` branch that never can.',
      why: 'Such a rule never fires, and such a branch never makes it fire: the knowledge it was written for is silently lost.',
    },
  },
  run(kb, report) {
    for (const r of kb.rules) {
      const { never, dead } = judge(conjunction(r.rule.conditions, kb.conditions), new Map());
      for (const f of never) report(r.file, `${r.path}/conditions${f.path}`, r.id, `can never fire: ${f.why}`);
      for (const f of dead) report(r.file, `${r.path}/conditions${f.path}`, r.id, `this branch of an any can never hold: ${f.why}`);
    }
  },
};
