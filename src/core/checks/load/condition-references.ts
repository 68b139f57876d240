import type { Condition } from '../../../generated/kb-file.js';
import { directReferences } from '../../conditions.js';
import type { KbProblem } from '../../errors.js';
import type { Located } from '../../kb-place.js';
import { KB_LIMITS } from '../../kb-limits.js';
import type { LoadCheck } from '../check.js';

/**
 * Follows the references among named conditions, without recursion: reports each cycle (a
 * cycle would recurse forever), and a chain of references deeper than KB_LIMITS.references
 * (a chain tens of thousands long overflowed the stack of every walk that follows references:
 * compiling, each diagnosis). Depths are memoized, so this is linear.
 */
export function referenceProblems(named: ReadonlyMap<string, Located<Condition>>): KbProblem[] {
  const problems: KbProblem[] = [];
  const directRefs = (entry: Located<Condition>) => [...new Set(directReferences(entry.value))].filter((ref) => named.has(ref));
  const visiting = new Set<string>();
  const depths = new Map<string, number>();
  for (const [root, rootEntry] of named) {
    if (depths.has(root)) continue;
    const path = [{ name: root, entry: rootEntry, refs: directRefs(rootEntry), next: 0 }];
    visiting.add(root);
    while (path.length > 0) {
      const top = path[path.length - 1] as (typeof path)[number];
      const ref = top.refs[top.next++];
      if (ref === undefined) {
        const depth = 1 + Math.max(0, ...top.refs.map((r) => depths.get(r) ?? 0));
        if (depth > KB_LIMITS.references) {
          return [...problems, { file: top.entry.file, path: top.entry.path, message: `expected named conditions to reference each other at most ${KB_LIMITS.references} deep, got deeper` }];
        }
        depths.set(top.name, depth);
        visiting.delete(top.name);
        path.pop();
        continue;
      }
      const entry = named.get(ref) as Located<Condition>;
      if (visiting.has(ref)) problems.push({ file: entry.file, path: entry.path, message: `condition reference cycle: ${[...path.map((p) => p.name), ref].join(' -> ')}` });
      else if (!depths.has(ref)) {
        visiting.add(ref);
        path.push({ name: ref, entry, refs: directRefs(entry), next: 0 });
      }
    }
  }
  return problems;
}

export const conditionReferences: LoadCheck = {
  meta: {
    id: 'condition-references',
    severity: 'fatal',
    docs: {
      description: `Named conditions reference each other without a cycle and at most ${KB_LIMITS.references} deep.`,
      why: 'A cycle would make every walk of a rule recurse forever, and a chain tens of thousands long overflowed the stack of compiling and of each diagnosis.',
    },
  },
  knowledgeBase(kb, report) {
    for (const p of referenceProblems(kb.named)) report(p.file, p.path, p.message);
  },
};
