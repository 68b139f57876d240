import type { Condition, LeafCondition } from '../../../generated/kb-file.js';
import { foldCondition, type ConditionFold } from '../../conditions.js';

/**
 * A leaf and where its rule shows it: its JSON pointer under the rule's conditions, or, for a
 * leaf a named condition brings in, the pointer of the reference (the rule's file holds no more).
 */
export interface PlacedLeaf {
  leaf: LeafCondition;
  path: string;
}

/**
 * What must hold for a condition to hold: leaves that must all hold together (the children of
 * `all` nodes), and the `any` nodes among them, one branch of each of which must hold too. A `not`
 * asks for nothing here: what it negates is not looked into.
 */
export interface Conjunction {
  leaves: PlacedLeaf[];
  anys: Disjunction[];
}

/** An `any` where its rule shows it (as a leaf is placed), and what each of its branches asks. */
export interface Disjunction {
  path: string;
  branches: Conjunction[];
}

const NONE: Conjunction = { leaves: [], anys: [] };

/**
 * Each node's conjunction as a function of the node's pointer; `pinned` under a reference, whose
 * whole named condition is placed at the reference.
 */
type Placed = (path: string, pinned: boolean) => Conjunction;

const CONJUNCTIONS: ConditionFold<Placed> = {
  all: (children) => (path, pinned) => {
    const each = children.map((child, i) => child(pinned ? path : `${path}/all/${i}`, pinned));
    return { leaves: each.flatMap((c) => c.leaves), anys: each.flatMap((c) => c.anys) };
  },
  any: (children) => (path, pinned) => ({ leaves: [], anys: [{ path, branches: children.map((child, i) => child(pinned ? path : `${path}/any/${i}`, pinned)) }] }),
  not: () => () => NONE,
  leaf: (leaf) => (path) => ({ leaves: [{ leaf, path }], anys: [] }),
  reference: (_, target) => (path) => target?.(path, true) ?? NONE,
};

/** What must hold for a rule's conditions to hold, through references, each leaf and `any` where its rule shows it. */
export function conjunction(condition: Condition, named: ReadonlyMap<string, Condition>): Conjunction {
  return foldCondition(condition, CONJUNCTIONS, named)('', false);
}
