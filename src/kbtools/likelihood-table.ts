import { compiledModel, outcomeRatio, roundRatio } from '../core/differential.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { LikelihoodRow } from '../generated/kb-show.js';

/**
 * One fact of a hypothesis's likelihood table: each outcome's probability under it, its ratio to
 * incidents in general, and its probability under "no known cause", the class every diagnosis
 * weighs it against.
 */
export type { LikelihoodRow };

const rounded = (probability: number) => Math.round(probability * 1000) / 1000;

/**
 * A hypothesis's likelihood table as the differential weighs it (its own rows, the symptoms'
 * share of symptom.kind, or nothing where it follows the background): the facts whose outcomes
 * it tells apart most (the largest ratio either way) first. What `kb show` and `kb doc` show a
 * curator beside the rules.
 */
export function likelihoodTable(kb: KnowledgeBase, id: string): LikelihoodRow[] {
  const model = compiledModel(kb);
  const h = model.position.get(id);
  if (h === undefined) return [];
  const own = kb.hypotheses.get(id)?.value.likelihoods ?? {};
  // "No known cause" is the class after the hypotheses (compiledModel): its row, as the differential reads it.
  const otherCause = model.hypotheses.length;
  const spread = (row: LikelihoodRow) => Math.max(...row.outcomes.map((o) => Math.abs(Math.log(o.ratio))));
  return [...model.facts.values()]
    .filter((fact) => fact.opinion[h])
    .map((fact): LikelihoodRow => {
      const width = fact.outcomes.length;
      return {
        fact: fact.name,
        outcomes: fact.outcomes.map((outcome, o) => {
          const stated = Object.hasOwn(own[fact.name] ?? {}, outcome);
          return {
            outcome,
            probability: rounded(fact.likelihood[h * width + o] as number),
            ratio: roundRatio(outcomeRatio(fact, h, o)),
            stated,
            otherCause: rounded(fact.likelihood[otherCause * width + o] as number),
          };
        }),
        otherCauseRow: fact.opinion[otherCause] ? 'own' : 'background',
      };
    })
    .sort((a, b) => spread(b) - spread(a) || (a.fact < b.fact ? -1 : 1));
}

/** The facts that feed a hypothesis, whose questions `kb show` and `kb doc` list: those its rules read and those its table weighs. */
export function feedingFacts(rules: Iterable<{ readonly facts: readonly string[] }>, table: readonly LikelihoodRow[]): Set<string> {
  const facts = new Set(table.map((row) => row.fact));
  for (const rule of rules) for (const fact of rule.facts) facts.add(fact);
  return facts;
}
