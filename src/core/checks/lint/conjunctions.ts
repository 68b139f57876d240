import type { Condition, LeafCondition } from '../../../generated/kb-file.js';
import { foldCondition, type ConditionFold } from '../../conditions.js';

/** Leaves that must all hold together (`group`), and the groups of the branches of each `any` beneath. */
interface Conjunctions {
  group: LeafCondition[];
  nested: LeafCondition[][];
}

const CONJUNCTIONS: ConditionFold<Conjunctions> = {
  all: (children) => ({ group: children.flatMap((c) => c.group), nested: children.flatMap((c) => c.nested) }),
  any: (children) => ({ group: [], nested: children.flatMap((c) => [...c.nested, c.group]) }),
  not: () => ({ group: [], nested: [] }),
  leaf: (leaf) => ({ group: [leaf], nested: [] }),
  reference: (_, target) => target ?? { group: [], nested: [] },
};

/** Leaves that must all hold together: the children of `all` nodes, through references. */
export function conjunctions(condition: Condition, named: ReadonlyMap<string, Condition>): LeafCondition[][] {
  const { group, nested } = foldCondition(condition, CONJUNCTIONS, named);
  return [...nested, group];
}
