import type { Condition, LeafCondition } from '../generated/kb-file.js';
import { evaluate3, foldCondition, locatedFold } from '../core/conditions.js';
import { InputError } from '../core/errors.js';
import { normalizeFacts } from '../core/facts.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { Scenario } from '../core/scenarios.js';
import type { FactMap } from '../core/vocabulary.js';
import { entryLocator, type EntryLocation, type SourceText } from './entry-location.js';
import type { Coverage } from './tester.js';

/** A leaf condition the cases and scenarios never saw both true and false, where it is and which way it was never seen. */
export interface UncoveredLeaf extends EntryLocation {
  rule: string;
  /** The leaf's JSON pointer under the rule's `conditions`, a named condition's name standing for the step into it. */
  leaf: string;
  never: 'true' | 'false' | 'true or false';
}

/** Every leaf of a rule by its pointer, as testKnowledgeBase keys its leaves (`rule id` + pointer, through named conditions). */
function leavesByPointer(condition: Condition, kb: KnowledgeBase): Map<string, LeafCondition> {
  const located = locatedFold<Array<[string, LeafCondition]>>({
    leaf: (leaf, path) => [[path, leaf]],
    reference: (name, path, target) => target?.(`${path}/${name}`) ?? [],
    combine: (results) => results.flat(),
  });
  return new Map(foldCondition(condition, located, kb.conditions)(''));
}

/**
 * The fact sets coverage is measured on (testKnowledgeBase): every rule's cases that are valid
 * input (an invalid one is a case failure there) and every scenario.
 */
function coverageFactSets(kb: KnowledgeBase, scenarios: readonly Scenario[]): FactMap[] {
  const sets: FactMap[] = [];
  for (const { id, rule } of kb.rules) {
    for (const raw of [...(rule.cases?.fires ?? []), ...(rule.cases?.silent ?? [])]) {
      try {
        sets.push(normalizeFacts(raw, kb.vocabulary, id));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
    }
  }
  return [...sets, ...scenarios.map((s) => normalizeFacts(s.facts, kb.vocabulary, s.file))];
}

/**
 * Where each leaf of a coverage report's `uncovered` sits (the rule's file:line when the loader
 * read YAML) and which way no case or scenario took it: testKnowledgeBase (tester.ts) counts
 * leaves seen both ways and lists the others by key only, so the way missing is found here by
 * evaluating those leaves again on the same fact sets.
 */
export function locateUncovered(kb: KnowledgeBase, scenarios: readonly Scenario[], coverage: Coverage, sourceText: SourceText): UncoveredLeaf[] {
  if (coverage.leaves.uncovered.length === 0) return [];
  const sets = coverageFactSets(kb, scenarios);
  const where = entryLocator(sourceText);
  const rules = new Map(kb.rules.map((r) => [r.id, r]));
  const leavesOf = new Map<string, Map<string, LeafCondition>>();
  return coverage.leaves.uncovered.map((key) => {
    // A rule id has no '/' (kb-file.schema.json's identifier): the pointer starts at the first.
    const cut = key.indexOf('/');
    const [id, pointer] = [key.slice(0, cut), key.slice(cut)];
    const rule = rules.get(id);
    let leaves = leavesOf.get(id);
    if (rule && !leaves) leavesOf.set(id, (leaves = leavesByPointer(rule.rule.conditions, kb)));
    const leaf = leaves?.get(pointer);
    if (!rule || !leaf) throw new Error(`coverage lists a leaf ${key} the knowledge base does not have`);
    const seen = new Set(sets.map((facts) => evaluate3(leaf, kb.conditions, facts)));
    if (seen.has('true') && seen.has('false')) throw new Error(`coverage lists ${key} as uncovered, but its cases and scenarios take it both ways`);
    const never = seen.has('true') ? 'false' : seen.has('false') ? 'true' : 'true or false';
    return { rule: id, leaf: pointer, never, ...where(rule.file, rule.path, 'rules', id) };
  });
}

/** How many uncovered leaves `rca kb coverage` lists; the JSON output keys every one. */
export const UNCOVERED_SHOWN = 20;

/** The uncovered leaves as text, one a line (`FILE:LINE rule ID at /conditions/...: never true`), at most UNCOVERED_SHOWN. */
export function formatUncovered(leaves: readonly UncoveredLeaf[]): string[] {
  if (leaves.length === 0) return [];
  const more = leaves.length - UNCOVERED_SHOWN;
  return [
    `leaf conditions not seen both true and false (${leaves.length}):`,
    ...leaves.slice(0, UNCOVERED_SHOWN).map((l) => `  ${l.line === undefined ? l.file : `${l.file}:${l.line}`} rule ${l.rule} at /conditions${l.leaf}: never ${l.never}`),
    ...(more > 0 ? [`  and ${more} more (rca kb coverage -f json lists every one)`] : []),
  ];
}
