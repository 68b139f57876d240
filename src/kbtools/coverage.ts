import { filePosition } from '../core/errors.js';
import type { KnowledgeBase } from '../core/kb.js';
import { entryLocator, type EntryLocation, type SourceText } from './entry-location.js';
import type { Coverage, NeverSeen } from './tester.js';

/** A leaf condition its rule's cases never saw both true and false, where it is and which way it was never seen. */
export interface UncoveredLeaf extends EntryLocation {
  /** The leaf's key in the coverage report: its rule's id, then `leaf`. */
  key: string;
  rule: string;
  /** The leaf's JSON pointer under the rule's `conditions`, a named condition's name standing for the step into it. */
  leaf: string;
  never: NeverSeen;
}

/**
 * Where each leaf of a coverage report's `uncovered` sits, its `path` its rule's: at the leaf's
 * own line and column when the loader read YAML or JSON; a leaf of a named condition at the rule's
 * reference to it (the name's step is no key of the rule's file, so the place stops there).
 */
export function locateUncovered(kb: KnowledgeBase, coverage: Coverage, sourceText: SourceText): UncoveredLeaf[] {
  const where = entryLocator(sourceText);
  const rules = new Map(kb.rules.map((r) => [r.id, r]));
  return coverage.leaves.uncovered.map(({ key, never }) => {
    // A rule id has no '/' (kb-file.schema.json's identifier): the pointer starts at the first.
    const cut = key.indexOf('/');
    const [id, pointer] = [key.slice(0, cut), key.slice(cut)];
    const rule = rules.get(id);
    if (!rule) throw new Error(`coverage lists a leaf ${key} of a rule the knowledge base does not have`);
    return { key, rule: id, leaf: pointer, never, ...where(rule.file, `${rule.path}/conditions${pointer}`), path: rule.path };
  });
}

/** How many uncovered leaves `rca kb coverage` lists; the JSON output keys every one. */
export const UNCOVERED_SHOWN = 20;

/** The uncovered leaves as text, one a line (`FILE:LINE:COLUMN rule ID at /conditions/...: never true`), at most UNCOVERED_SHOWN. */
export function formatUncovered(leaves: readonly UncoveredLeaf[]): string[] {
  if (leaves.length === 0) return [];
  const more = leaves.length - UNCOVERED_SHOWN;
  return [
    `leaf conditions not seen both true and false (${leaves.length}):`,
    ...leaves.slice(0, UNCOVERED_SHOWN).map((l) => `  ${filePosition(l)} rule ${l.rule} at /conditions${l.leaf}: never ${l.never}`),
    ...(more > 0 ? [`  and ${more} more (rca kb coverage -f json lists every one)`] : []),
  ];
}
