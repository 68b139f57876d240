import type { Condition } from '../../../generated/kb-file.js';
import { directReferences, foldCondition, questionConditions, type ConditionFold } from '../../conditions.js';
import type { KbProblem } from '../../errors.js';
import type { Located } from '../../kb-place.js';
import { KB_LIMITS } from '../../kb-limits.js';
import type { LoadCheck, MergedKb } from '../check.js';
import { referenceProblems } from './condition-references.js';

/** Parts of a condition with its references expanded. */
const SIZE: ConditionFold<number> = {
  all: (children) => children.reduce((n, x) => n + x, 1),
  any: (children) => children.reduce((n, x) => n + x, 1),
  not: (child) => 1 + child,
  leaf: () => 1,
  reference: (_, target) => 1 + (target ?? 0),
};

/**
 * Refuses conditions that grow past KB_LIMITS.values once their references are expanded, alone
 * or all rules and questions together (shipped: 22 and 1,607): a named condition naming the one
 * before it four times, ten levels deep, is a kilobyte that every walk of a rule (compiling, each
 * diagnosis) would expand a million-fold. Sizes of named conditions are memoized, so the check
 * itself is linear. Needs a KB without reference cycles or over-deep chains. Names only the
 * first condition on each chain that grows too big.
 */
function expansionProblems(named: ReadonlyMap<string, Located<Condition>>, others: ReadonlyArray<Located<Condition>>): KbProblem[] {
  const plain = new Map([...named].map(([name, entry]) => [name, entry.value]));
  const sizes = new Map<string, number>();
  const sizeOf = (c: Condition) => foldCondition(c, SIZE, plain, sizes);
  const namedSize = (name: string) => sizeOf({ condition: name }) - 1;
  const tooBig = (c: Condition) => sizeOf(c) > KB_LIMITS.values && !directReferences(c).some((ref) => namedSize(ref) > KB_LIMITS.values);
  const oversized = [...[...named.values()], ...others]
    .filter((c) => tooBig(c.value))
    .map((c) => ({ file: c.file, path: c.path, message: `expected a condition of at most ${KB_LIMITS.values} parts once its references are expanded, got more` }));
  if (oversized.length > 0) return oversized;
  // Diagnoses walk the rules' and questions' conditions: their total is bounded too.
  let total = 0;
  const overBudget = others.find((c) => (total += sizeOf(c.value)) > KB_LIMITS.values);
  return overBudget ? [{ file: overBudget.file, path: overBudget.path, message: `expected the rules and questions to total at most ${KB_LIMITS.values} condition parts once references are expanded, got more` }] : [];
}

/** The condition trees diagnoses walk: every rule's conditions and every question's askIf and askUnless. */
function walkedConditions(kb: MergedKb): Array<Located<Condition>> {
  const rules = [...kb.rules.values()].map((r) => ({ value: r.value.conditions, file: r.file, path: `${r.path}/conditions` }));
  const asks = [...kb.questions.values()].flatMap((q) => questionConditions(q.value).map(({ key, condition }) => ({ value: condition, file: q.file, path: `${q.path}/${key}` })));
  return [...rules, ...asks];
}

export const conditionExpansion: LoadCheck = {
  meta: {
    id: 'condition-expansion',
    severity: 'fatal',
    docs: {
      description: `A condition has at most ${KB_LIMITS.values} parts once named references are expanded, and so do all rules and questions together.`,
      why: 'A kilobyte of conditions that name each other four times over, ten levels deep, expands a million-fold in every walk of a rule: compiling and each diagnosis.',
    },
  },
  knowledgeBase(kb, report) {
    // Sizes follow references: only once condition-references found no cycle and no over-deep chain.
    if (referenceProblems(kb.named).length > 0) return;
    for (const p of expansionProblems(kb.named, walkedConditions(kb))) report(p.file, p.path, p.message);
  },
};
