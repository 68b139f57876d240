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

/** Leaves that must all hold together (`group`), and the groups of the branches of each `any` beneath. */
interface Conjunctions {
  group: PlacedLeaf[];
  nested: PlacedLeaf[][];
}

const NONE: Conjunctions = { group: [], nested: [] };

/** Each node's conjunctions as a function of the node's pointer. */
const CONJUNCTIONS: ConditionFold<(path: string) => Conjunctions> = {
  all: (children) => (path) => {
    const each = children.map((child, i) => child(`${path}/all/${i}`));
    return { group: each.flatMap((c) => c.group), nested: each.flatMap((c) => c.nested) };
  },
  any: (children) => (path) => ({ group: [], nested: children.flatMap((child, i) => (({ group, nested }) => [...nested, group])(child(`${path}/any/${i}`))) }),
  not: () => () => NONE,
  leaf: (leaf) => (path) => ({ group: [{ leaf, path }], nested: [] }),
  reference: (_, target) => (path) => {
    const { group, nested } = target?.(path) ?? NONE;
    const here = (placed: PlacedLeaf) => ({ leaf: placed.leaf, path });
    return { group: group.map(here), nested: nested.map((g) => g.map(here)) };
  },
};

/** Leaves that must all hold together: the children of `all` nodes, through references, each where its rule shows it. */
export function conjunctions(condition: Condition, named: ReadonlyMap<string, Condition>): PlacedLeaf[][] {
  const { group, nested } = foldCondition(condition, CONJUNCTIONS, named)('');
  return [...nested, group];
}
