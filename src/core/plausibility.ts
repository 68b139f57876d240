import type { KnowledgeBase } from './kb.js';
import type { FactValue } from './vocabulary.js';

/** Weight of hypotheses that do / do not produce the reported symptom. */
const SYMPTOM_MATCH = 2;
const SYMPTOM_MISMATCH = 0.15;

/** Weight from the reported symptom and the hypothesis's `symptoms`, or undefined when either is unknown. */
function symptomWeight(kb: KnowledgeBase, id: string, symptom: FactValue | undefined): number | undefined {
  const symptoms = kb.hypotheses.get(id)?.value.symptoms;
  if (symptom === undefined || !symptoms) return undefined;
  return symptoms.includes(symptom as never) ? SYMPTOM_MATCH : SYMPTOM_MISMATCH;
}

/** How well a hypothesis fits the reported symptom (its `symptoms`): 1, or much less when it cannot produce it. */
export function symptomFit(kb: KnowledgeBase, id: string, symptom: FactValue | undefined): number {
  const weight = symptomWeight(kb, id, symptom);
  return weight === undefined ? 1 : weight / SYMPTOM_MATCH;
}

/**
 * How much a hypothesis's open rules count: contenders most, the refuted little, and
 * those that cannot produce the reported symptom (its `symptoms`) less.
 */
export function plausibility(kb: KnowledgeBase, id: string, belief: number, symptom: FactValue | undefined): number {
  const byBelief = belief <= -0.5 ? 0.1 : 0.5 + 4 * Math.max(0, belief);
  return byBelief * (symptomWeight(kb, id, symptom) ?? 1);
}

/** plausibility() of each hypothesis under fixed beliefs, computed once per hypothesis. */
export function plausibilities(kb: KnowledgeBase, belief: ReadonlyMap<string, number>, symptom: FactValue | undefined): (id: string) => number {
  const memo = new Map<string, number>();
  return (id) => {
    let weight = memo.get(id);
    if (weight === undefined) memo.set(id, (weight = plausibility(kb, id, belief.get(id) ?? 0, symptom)));
    return weight;
  };
}
