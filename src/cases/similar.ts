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

/** Weighted Jaccard similarity to three decimals, as shown and as ranked. */
const round = (x: number) => Math.round(x * 1000) / 1000;

/** String.prototype.localeCompare's order, from one collator: localeCompare makes one per call, and a lookup compares ids of thousands of ties. */
const byLocale = new Intl.Collator().compare;

/** Most similar first, ties by id. */
const byRank = <T extends ResolvedCase>(a: SimilarCase<T>, b: SimilarCase<T>) => b.similarity - a.similarity || byLocale(a.case.id, b.case.id);

/** Adds `delta` to a count, dropping it at zero (so a map's size counts what is present). */
function bump<K>(counts: Map<K, number>, key: K, delta: number): void {
  const n = (counts.get(key) ?? 0) + delta;
  if (n === 0) counts.delete(key);
  else counts.set(key, n);
}

/**
 * The least any feature weighs: ln(1 + cases / cases with it) is at least ln 2, and the
 * narrowing factor at least 1/2 (less a hair for rounding), so a case's features outside a
 * query add at least this each to the union.
 */
const LEAST_WEIGHT = (Math.LN2 / 2) * (1 - 1e-9);

/** Below the last of the best by more than half a rounding step (and a hair): no case bounded by this can reach it, even as a tie. */
const cannotReach = (bound: number, last: SimilarCase<ResolvedCase> | undefined) => last !== undefined && bound < last.similarity - 0.0005 - 1e-9;

/**
 * The cases of one feature list (recurring tickets share one): its features by number, its
 * cases in id order (the order ties are shown in), and the lookup that last read it. A
 * lookup scores it once for all its cases.
 */
interface Signature<T> {
  key: string;
  features: Int32Array;
  cases: T[];
  readBy: number;
}

/** Where `c` goes among cases in id order (after any it compares equal to); a held case is just before it. */
function place<T extends ResolvedCase>(cases: readonly T[], c: T): number {
  let low = 0;
  let high = cases.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byLocale((cases[middle] as T).id, c.id) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The resolved cases most like a diagnosis. A feature weighs what it tells apart: its inverse
 * frequency, ln(1 + cases / cases with it), times how much it narrows the confirmed cause,
 * from 1/2 for a feature whose cases have causes as mixed as they can be to 1 for one whose
 * cases share one cause (1/2 + 1/2 (1 - entropy of their causes / entropy of uniform causes)):
 * a handful of resolved cases is too few to let a feature's causes silence it. Similarity is
 * the weight of the features two cases share over the weight of those either has.
 *
 * An inverted index (feature -> the feature lists having it) kept case by case, with the
 * counts the weights are made of (cases per cause; per feature, cases per cause), so every
 * weight is exact after any change without a pass over the cases. Features are numbered, so
 * scoring reads arrays, not strings; a weight is computed at most once between two changes.
 */
export class SimilarCases<T extends ResolvedCase> {
  private readonly entries = new Map<string, { case: T; signature: Signature<T> }>();
  private readonly signatures = new Map<string, Signature<T>>();
  private readonly featureIds = new Map<string, number>();
  /** Numbers of features no case has any more, given to the next new ones. */
  private readonly freeIds: number[] = [];
  /** By feature number: its name, the feature lists having it (by how many features they have), and its cases per cause. */
  private readonly names: string[] = [];
  private readonly postings: Array<Map<number, Set<Signature<T>>>> = [];
  private readonly causes: Array<Map<string, number>> = [];
  private readonly casesPerCause = new Map<string, number>();
  /** By feature number: its weight, and the change it was computed after. */
  private weights = new Float64Array(64);
  private weighedAt = new Float64Array(64).fill(-1);
  /** By feature number: the lookup whose query has it. */
  private inQuery = new Float64Array(64);
  private changes = 0;
  private lookups = 0;
  /** How many feature lists the last `nearest` scored: what the index saves, for tests and the bench. */
  lastScored = 0;

  constructor(cases: Iterable<T> = []) {
    for (const c of cases) this.put(c);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds a resolved case, or replaces the one with its id (a new cause, new features). */
  put(c: T): void {
    const features = [...new Set(c.features)];
    // The same list in the same order: the sums of weights are then the same to the last bit.
    const key = JSON.stringify(features);
    const held = this.entries.get(c.id);
    // A catch-up reads recent rows again (ResolvedIndexes): one unchanged changes no weight, and leaves the computed ones valid.
    if (held && held.case.cause === c.cause && held.signature.key === key) {
      held.signature.cases[place(held.signature.cases, c) - 1] = c;
      held.case = c;
      return;
    }
    this.remove(c.id);
    let signature = this.signatures.get(key);
    if (!signature) {
      signature = { key, features: Int32Array.from(features, (f) => this.numberOf(f)), cases: [], readBy: 0 };
      this.signatures.set(key, signature);
      for (const f of signature.features) {
        const bySize = this.postings[f] as Map<number, Set<Signature<T>>>;
        const having = bySize.get(features.length);
        if (having) having.add(signature);
        else bySize.set(features.length, new Set([signature]));
      }
    }
    signature.cases.splice(place(signature.cases, c), 0, c);
    this.entries.set(c.id, { case: c, signature });
    bump(this.casesPerCause, c.cause, 1);
    for (const f of signature.features) bump(this.causes[f] as Map<string, number>, c.cause, 1);
    this.changes++;
  }

  /** Forgets a case (no longer resolved, or replaced); nothing when it is not indexed. */
  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const { signature } = entry;
    this.entries.delete(id);
    signature.cases.splice(place(signature.cases, entry.case) - 1, 1);
    bump(this.casesPerCause, entry.case.cause, -1);
    for (const f of signature.features) bump(this.causes[f] as Map<string, number>, entry.case.cause, -1);
    if (signature.cases.length === 0) {
      this.signatures.delete(signature.key);
      for (const f of signature.features) {
        const bySize = this.postings[f] as Map<number, Set<Signature<T>>>;
        const having = bySize.get(signature.features.length) as Set<Signature<T>>;
        having.delete(signature);
        if (having.size === 0) bySize.delete(signature.features.length);
        if (bySize.size === 0) {
          this.featureIds.delete(this.names[f] as string);
          this.freeIds.push(f);
        }
      }
    }
    this.changes++;
  }

  private numberOf(feature: string): number {
    let f = this.featureIds.get(feature);
    if (f !== undefined) return f;
    f = this.freeIds.pop() ?? this.names.length;
    this.featureIds.set(feature, f);
    this.names[f] = feature;
    this.postings[f] = new Map();
    this.causes[f] = new Map();
    if (f === this.weights.length) {
      // Typed arrays, doubled when full: scoring reads them for every feature of every case it scores.
      const grown = (from: Float64Array, fill: number) => {
        const to = new Float64Array(from.length * 2).fill(fill);
        to.set(from);
        return to;
      };
      this.weights = grown(this.weights, 0);
      this.weighedAt = grown(this.weighedAt, -1);
      this.inQuery = grown(this.inQuery, 0);
    }
    this.weighedAt[f] = -1;
    return f;
  }

  /** A feature no resolved case has weighs as one seen once: it still makes a case less like those without it. */
  weight(feature: string): number {
    const f = this.featureIds.get(feature);
    return f === undefined ? Math.log(1 + this.entries.size) : this.weightOf(f);
  }

  private weightOf(f: number): number {
    if (this.weighedAt[f] === this.changes) return this.weights[f] as number;
    // Summed smallest count first, whatever order the cases came in: the same cases always weigh the same, to the last bit.
    const counts = [...(this.causes[f] as Map<string, number>).values()].sort((a, b) => a - b);
    const having = counts.reduce((sum, n) => sum + n, 0);
    const entropy = counts.reduce((sum, n) => sum - (n / having) * Math.log(n / having), 0);
    const narrowing = this.casesPerCause.size > 1 ? 1 - entropy / Math.log(this.casesPerCause.size) : 1;
    const w = Math.log(1 + this.entries.size / having) * (0.5 + 0.5 * narrowing);
    this.weights[f] = w;
    this.weighedAt[f] = this.changes;
    return w;
  }

  /**
   * The `limit` most similar cases sharing a feature with `features` (not `exclude`), most
   * similar first, ties by id: the same as scoring every case, without doing so. The postings
   * are read heaviest feature first. A case first met at the i-th feature shares at most the
   * weight of the features from i on, and at most as many of them as it has features; each of
   * its other features adds at least LEAST_WEIGHT to the union. So a case of k features met
   * there is at most left / (query weight + (k - min(k, features left)) LEAST_WEIGHT) similar:
   * the cases of a size whose bound cannot reach the last of the best are not read, and
   * reading stops once no size can (a case read is scored once, whichever posting it is met in).
   */
  nearest(features: readonly string[], limit: number, exclude?: string): Array<SimilarCase<T>> {
    const lookup = ++this.lookups;
    this.lastScored = 0;
    if (limit <= 0) return [];
    const ownWeight = features.reduce((sum, f) => sum + this.weight(f), 0);
    const known = [...new Set(features)].flatMap((name) => {
      const f = this.featureIds.get(name);
      return f === undefined ? [] : [f];
    });
    for (const f of known) this.inQuery[f] = lookup;
    const heaviestFirst = known.sort((a, b) => this.weightOf(b) - this.weightOf(a));
    // left[i]: the weight of the features from i on, the most an unread case can share.
    const left = heaviestFirst.map((f) => this.weightOf(f));
    for (let i = left.length - 2; i >= 0; i--) left[i] = (left[i] as number) + (left[i + 1] as number);
    const best: Array<SimilarCase<T>> = [];
    const excluded = exclude === undefined ? undefined : this.entries.get(exclude)?.case;
    let scored = 0;
    for (const [i, feature] of heaviestFirst.entries()) {
      const canShare = left[i] as number;
      if (cannotReach(canShare / ownWeight, best[limit - 1])) break;
      const featuresLeft = heaviestFirst.length - i;
      const smallestFirst = [...(this.postings[feature] as Map<number, Set<Signature<T>>>)].sort(([a], [b]) => a - b);
      for (const [size, having] of smallestFirst) {
        if (cannotReach(canShare / (ownWeight + (size - Math.min(size, featuresLeft)) * LEAST_WEIGHT), best[limit - 1])) continue;
        scored += this.score(having, lookup, ownWeight, limit, best, excluded);
      }
    }
    this.lastScored = scored;
    return best;
  }

  /** Scores the feature lists not read yet by this lookup, their cases into `best` (kept sorted, at most `limit`); how many it scored. */
  private score(having: Set<Signature<T>>, lookup: number, ownWeight: number, limit: number, best: Array<SimilarCase<T>>, excluded: T | undefined): number {
    const { inQuery } = this;
    let scored = 0;
    for (const signature of having) {
      if (signature.readBy === lookup) continue;
      signature.readBy = lookup;
      scored++;
      const { features } = signature;
      let shared = 0;
      let theirsOnly = 0;
      for (let j = 0; j < features.length; j++) {
        const f = features[j] as number;
        if (inQuery[f] === lookup) shared += this.weightOf(f);
        else theirsOnly += this.weightOf(f);
      }
      const union = ownWeight + theirsOnly;
      if (!(shared > 0 && union > 0)) continue;
      const similarity = round(shared / union);
      // Its cases in id order: once one ranks below the last of the best, the rest do too. Most are told by the number alone.
      for (const c of signature.cases) {
        if (c === excluded) continue;
        const last = best[limit - 1];
        if (last && (similarity < last.similarity || (similarity === last.similarity && byLocale(c.id, last.case.id) >= 0))) break;
        best.splice(Math.min(best.length, limit - 1), 1, { case: c, similarity });
        best.sort(byRank);
      }
    }
    return scored;
  }
}
