import type { Diagnosis } from '../generated/diagnosis.js';

/**
 * What a diagnosis says about an incident, as features to compare incidents by: each known
 * fact that is a name, a flag or a whole number (an HTTP status) as `name=value`, and each rule
 * that fired for or against a cause as `rule:id` (measurements such as latencies count through
 * the rules, whose thresholds say which values matter).
 */
export function caseFeatures(diagnosis: Pick<Diagnosis, 'facts' | 'hypotheses' | 'ruledOut'>): string[] {
  const features = new Set<string>();
  for (const [name, value] of Object.entries(diagnosis.facts)) if (typeof value !== 'number' || Number.isInteger(value)) features.add(`${name}=${String(value)}`);
  for (const h of [...diagnosis.hypotheses, ...diagnosis.ruledOut]) for (const e of [...h.evidence, ...h.against]) features.add(`rule:${e.rule}`);
  return [...features].sort();
}

/** A resolved case as the index needs it: its id, its confirmed cause and its features. */
export interface ResolvedCase {
  id: string;
  cause: string;
  features: readonly string[];
}

export interface SimilarCase<T> {
  case: T;
  /** Weighted Jaccard similarity, 0 to 1. */
  similarity: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The resolved cases most like a diagnosis. A feature weighs what it tells apart: its inverse
 * frequency, ln(1 + cases / cases with it), times how much it narrows the confirmed cause,
 * from 1/2 for a feature whose cases have causes as mixed as they can be to 1 for one whose
 * cases share one cause (1/2 + 1/2 (1 - entropy of their causes / entropy of uniform causes)):
 * a handful of resolved cases is too few to let a feature's causes silence it. Similarity is
 * the weight of the features two cases share over the weight of those either has.
 */
export class SimilarCases<T extends ResolvedCase> {
  private readonly postings = new Map<string, T[]>();
  private readonly weights = new Map<string, number>();

  constructor(private readonly cases: readonly T[]) {
    for (const c of cases) {
      for (const f of c.features) {
        const having = this.postings.get(f);
        if (having) having.push(c);
        else this.postings.set(f, [c]);
      }
    }
    const causes = new Set(cases.map((c) => c.cause)).size;
    for (const [feature, having] of this.postings) {
      const counts = new Map<string, number>();
      for (const c of having) counts.set(c.cause, (counts.get(c.cause) ?? 0) + 1);
      const entropy = [...counts.values()].reduce((sum, n) => sum - (n / having.length) * Math.log(n / having.length), 0);
      const narrowing = causes > 1 ? 1 - entropy / Math.log(causes) : 1;
      this.weights.set(feature, Math.log(1 + cases.length / having.length) * (0.5 + 0.5 * narrowing));
    }
  }

  /** A feature no resolved case has weighs as one seen once: it still makes a case less like those without it. */
  weight(feature: string): number {
    return this.weights.get(feature) ?? Math.log(1 + this.cases.length);
  }

  /** The `limit` most similar cases sharing a feature with `features` (not `exclude`), most similar first, ties by id. */
  nearest(features: readonly string[], limit: number, exclude?: string): Array<SimilarCase<T>> {
    const own = new Set(features);
    const ownWeight = features.reduce((sum, f) => sum + this.weight(f), 0);
    const candidates = new Set(features.flatMap((f) => this.postings.get(f) ?? []));
    const scored: Array<SimilarCase<T>> = [];
    for (const candidate of candidates) {
      if (candidate.id === exclude) continue;
      let shared = 0;
      let theirsOnly = 0;
      for (const f of candidate.features) {
        if (own.has(f)) shared += this.weight(f);
        else theirsOnly += this.weight(f);
      }
      const union = ownWeight + theirsOnly;
      if (shared > 0 && union > 0) scored.push({ case: candidate, similarity: round(shared / union) });
    }
    return scored.sort((a, b) => b.similarity - a.similarity || a.case.id.localeCompare(b.case.id)).slice(0, limit);
  }
}
