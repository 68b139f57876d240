import type { LeafCondition } from '../generated/kb-file.js';
import { combineSameSign, netBelief } from './certainty.js';
import { leavesOf, type Tri } from './conditions.js';
import { compiledModel, ruleLogWeight, type CompiledModel, type FactOutcomes } from './differential.js';
import { ruleIndex, statusAt, type Assessment } from './evaluate.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
import type { FactMap, FactValue } from './vocabulary.js';

/**
 * What asking one fact is worth: the expected drop in uncertainty about the cause (and about
 * its layer) once the answer is known, under the differential of src/core/differential.ts.
 * One function ranks both the diagnosis's `missing` list and the interview's next question.
 *
 * An answer moves the posterior two ways: through the fact's likelihood table (how likely each
 * outcome is under each cause), and through the rules it decides. A rule that fires on the
 * answer moves its hypotheses by its certainty factor; a conjunction that stays open but is one
 * fact closer lends part of its factor, so the interview pursues a half-confirmed rule instead
 * of seeing no value in each of its facts alone (the myopia of one-step look-ahead).
 */

/** Share of a supporting rule's cf an undecided rule lends per known fact it reads. */
const PARTIAL_CREDIT = 0.5;
/**
 * Weight of telling the layers (network, dns, tls, lb, app, system) apart, on top of the
 * hypotheses: like a senior engineer, first find the layer, then the cause within it.
 */
const LAYER_WEIGHT = 1;
/**
 * Free text is taken to be none of the n strings the rules name with chance w / (w + n): a
 * host name is rarely `localhost`, while strace's top syscall usually is one the rules name.
 */
const UNNAMED_TEXT_WEIGHT = 27;
/** How likely a finding that a rule reads as evidence for a cause is when that is the cause. */
const SENSITIVITY = 0.8;
/** Below this expected gain (bits) an answer is not worth asking for. */
const NO_GAIN = 1e-6;

export interface FactValueOfInformation {
  fact: string;
  /** Expected drop in entropy (bits) over causes and layers. */
  gain: number;
  /** The hypotheses whose probability the answer moves most, most moved first. */
  separates: string[];
  /** Whether some answer would put another hypothesis first. */
  changesTop: boolean;
}

interface Answer {
  value: FactValue;
  /** Share of cases this answer stands for, when the fact has no outcome table. */
  share: number;
}

interface AnswerIndex {
  answers: Map<string, Answer[]>;
  /** Each hypothesis's layer, numbered (by model position); the count of layers. */
  layerOf: Int32Array;
  layerCount: number;
  /**
   * For each fact, what the rules reading it weigh per hypothesis (by model position): the sum
   * of |cf| / (facts the rule reads). With the posterior it bounds what the fact's rules can do.
   */
  ruleWeight: Map<string, Float64Array>;
}

const answerIndexes = new WeakMap<KnowledgeBase, AnswerIndex>();

/**
 * Representative answers per fact: one per outcome of a modelled fact; otherwise, read off the
 * rules: every enum value, true/false, a value on each side of every numeric threshold, and
 * the strings rules name.
 */
function answerIndex(kb: KnowledgeBase, model: CompiledModel): AnswerIndex {
  let built = answerIndexes.get(kb);
  if (built) return built;
  const thresholds = new Map<string, Set<number>>();
  const strings = new Map<string, Set<string>>();
  const add = <T>(map: Map<string, Set<T>>, key: string, value: T) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  const leaves: LeafCondition[] = kb.rules.flatMap((rule) => leavesOf(rule.rule.conditions, kb.conditions));
  for (const leaf of leaves) {
    for (const v of Array.isArray(leaf.value) ? leaf.value : [leaf.value]) {
      if (typeof v === 'number') add(thresholds, leaf.fact, v);
      else if (typeof v === 'string') add(strings, leaf.fact, v);
    }
  }
  const answers = new Map<string, Answer[]>();
  const uniform = (values: FactValue[]) => values.map((value) => ({ value, share: 1 / values.length }));
  for (const spec of kb.vocabulary.facts.values()) {
    const modelled = model.facts.get(spec.name);
    if (modelled && (spec.type === 'integer' || spec.type === 'number')) {
      answers.set(spec.name, uniform(modelled.outcomes.map((_, o) => representativeOfBin(modelled, o, spec.minimum ?? 0)).filter((v): v is number => v !== undefined)));
    } else if (spec.type === 'enum') answers.set(spec.name, uniform([...(spec.values ?? [])]));
    else if (spec.type === 'boolean') answers.set(spec.name, uniform([true, false]));
    else if (spec.type === 'string') {
      // A free-text fact (a host name, a URL) is usually none of the values rules single out.
      const named = [...(strings.get(spec.name) ?? [])];
      const other = named.length ? UNNAMED_TEXT_WEIGHT / (UNNAMED_TEXT_WEIGHT + named.length) : 1;
      answers.set(spec.name, [{ value: '\u0000other', share: other }, ...named.map((value) => ({ value, share: (1 - other) / named.length }))]);
    } else {
      const cuts = evenlySpaced([...(thresholds.get(spec.name) ?? [])].sort((a, b) => a - b), MAX_CUTS);
      const points = cuts.length === 0 ? [spec.minimum ?? 0] : [cuts[0]! - 1, ...cuts.map((c, i) => (i + 1 < cuts.length ? (c + cuts[i + 1]!) / 2 : c + 1))];
      // Equality tests need the threshold itself; fact-to-fact comparisons are covered by points around others.
      answers.set(spec.name, uniform([...new Set([...points, ...cuts])]));
    }
  }
  const ruleWeight = new Map<string, Float64Array>();
  for (const rule of kb.rules) {
    for (const fact of rule.facts) {
      let row = ruleWeight.get(fact);
      if (!row) ruleWeight.set(fact, (row = new Float64Array(model.hypotheses.length)));
      for (const e of rule.rule.evidence) {
        const h = model.position.get(e.hypothesis);
        if (h !== undefined) row[h] = (row[h] as number) + Math.abs(e.cf) / rule.facts.length;
      }
    }
  }
  const layerIds = new Map<string, number>();
  const layerOf = Int32Array.from(model.hypotheses, (id) => {
    const layer = kb.hypotheses.get(id)?.value.category ?? '';
    if (!layerIds.has(layer)) layerIds.set(layer, layerIds.size);
    return layerIds.get(layer) as number;
  });
  built = { answers, layerOf, layerCount: layerIds.size, ruleWeight };
  answerIndexes.set(kb, built);
  return built;
}

/**
 * At most `most` of the sorted values, evenly spaced by rank (the first and last kept): a fact
 * that a thousand generated rules compare with a thousand thresholds is asked about as a
 * handful of ranges, not a thousand answers.
 */
function evenlySpaced(sorted: readonly number[], most: number): number[] {
  if (sorted.length <= most) return [...sorted];
  return Array.from({ length: most }, (_, k) => sorted[Math.round((k * (sorted.length - 1)) / (most - 1))] as number);
}

/**
 * The least whole number from `floor` (and within 1000 of it) that falls in bin `o` (bins are
 * first-match, so a bin's minimum may belong to an earlier one). No value below the bin's lower
 * bound falls in it, so the search starts there: from the floor, a status code's bins took a
 * few thousand tries each.
 */
function representativeOfBin(bins: Pick<FactOutcomes, 'outcomeOf' | 'lowerBound'>, o: number, floor: number): number | undefined {
  for (let v = Math.max(floor, Math.ceil(bins.lowerBound?.(o) ?? floor)); v < floor + 1000; v++) if (bins.outcomeOf(v) === o) return v;
  return undefined;
}

/**
 * Answer likelihoods for a fact without a table, read off the rules: an answer that raises a
 * hypothesis by log shift s is a finding, about SENSITIVITY likely under it and e^s times rarer
 * under the others (the rule's likelihood ratio), and the answers that raise nothing share what
 * is left. Without this, a yes/no finding would be taken as 50% likely under every cause, and
 * asking it would look worth bits it cannot give.
 */
function ruleLikelihoods(options: readonly Answer[], shifts: readonly Float64Array[], likelihood: Float64Array[], n: number): void {
  const raise = shifts.map((shift) => {
    let top = 0;
    for (let h = 0; h < n; h++) top = Math.max(top, shift[h] as number);
    return top;
  });
  const base = options.map(({ share }, v) => ((raise[v] as number) > 0 ? Math.min(share, SENSITIVITY * Math.exp(-(raise[v] as number))) : share));
  let findings = 0;
  let plain = 0;
  base.forEach((b, v) => ((raise[v] as number) > 0 ? (findings += b) : (plain += b)));
  const scale = plain > 0 ? Math.max(0, 1 - findings) / plain : 1;
  base.forEach((b, v) => {
    const baseline = (raise[v] as number) > 0 ? b : b * scale;
    const row = likelihood[v] as Float64Array;
    const shift = shifts[v] as Float64Array;
    for (let h = 0; h < n; h++) row[h] = baseline * Math.exp(shift[h] as number);
    row[n] = baseline;
  });
}

function entropy(probabilities: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Entropy over the hypotheses (and "no known cause", the last entry) plus, weighted, over their
 * layers ("no known cause" its own); `byLayer` is scratch space of layerCount + 1 entries.
 */
function uncertainty(posterior: Float64Array, layerOf: Int32Array, byLayer: Float64Array): number {
  byLayer.fill(0);
  for (let h = 0; h < layerOf.length; h++) byLayer[layerOf[h] as number] = (byLayer[layerOf[h] as number] as number) + (posterior[h] as number);
  byLayer[byLayer.length - 1] = posterior[layerOf.length] as number;
  return entropy(posterior) + LAYER_WEIGHT * entropy(byLayer);
}

/** How many of the facts a rule reads are known: an undecided rule lends its supported hypotheses PARTIAL_CREDIT x this / all it reads of its cf. */
function knownFacts(rule: CompiledRule, facts: FactMap): number {
  let known = 0;
  for (const f of rule.facts) if (f in facts) known++;
  return known;
}

/**
 * Certainty factors folded per hypothesis as they come, support and refutation apart (MYCIN's
 * combination is associative and commutative, so no list is kept).
 */
class Beliefs {
  readonly support: Float64Array;
  readonly refute: Float64Array;
  constructor(n: number) {
    this.support = new Float64Array(n);
    this.refute = new Float64Array(n);
  }
  add(h: number, cf: number): void {
    if (cf > 0) this.support[h] = combineSameSign(this.support[h] as number, cf);
    else if (cf < 0) this.refute[h] = combineSameSign(this.refute[h] as number, cf);
  }
  /** The net belief of h with `other`'s cfs for h folded in too. */
  net(h: number, other: Beliefs): number {
    return netBelief(combineSameSign(this.support[h] as number, other.support[h] as number), combineSameSign(this.refute[h] as number, other.refute[h] as number));
  }
}

/** A numeric fact without bins is asked about as the ranges between at most this many of the thresholds rules compare it with. */
const MAX_CUTS = 6;
/**
 * Facts are valued in full in the order of a cheap bound, until this many rule tests (answers x
 * undecided rules tried) are spent, and at least MIN_VALUED of them: a KB of 100,000 rules
 * values the weightiest few, in bounded time.
 */
const TEST_BUDGET = 10_000;
const MIN_VALUED = 8;
/** And at most this many: past the bound's first dozen or so, no fact has been worth asking first. */
const MAX_VALUED = 10;
/**
 * Of the undecided rules reading a fact, at most this many (the weightiest: |cf| x the
 * probability of their hypotheses) are tried with each answer: a fact read by thousands of
 * rules is valued on those that matter, in bounded time.
 */
const RULES_PER_FACT = 100;

/**
 * The value of asking each of `candidates` (facts not yet known), best first (ties by name);
 * facts whose answer cannot move the posterior are left out.
 */
export function factValues(kb: KnowledgeBase, assessment: Assessment, candidates: Iterable<string>): FactValueOfInformation[] {
  const model = compiledModel(kb);
  const { answers, layerOf, layerCount, ruleWeight } = answerIndex(kb, model);
  const byLayer = new Float64Array(layerCount + 1);
  const index = ruleIndex(kb);
  const { reading, tests, evidenceStart, evidenceHypothesis, evidenceAbsCf, factStart } = index;
  const { facts, differential, scored } = assessment;
  const n = model.hypotheses.length;
  const positionOf = index.hypotheses.map((id) => model.position.get(id) ?? n);
  const prior = differential.posterior;
  const before = uncertainty(prior, layerOf, byLayer);
  const fired = new Beliefs(n);
  for (const s of scored) {
    const h = model.position.get(s.id);
    if (h !== undefined) for (const cf of s.cfs) fired.add(h, cf);
  }
  let leader = 0;
  for (let h = 1; h < n; h++) if ((prior[h] as number) > (prior[leader] as number)) leader = h;

  // A cheap bound first, read off the KB's static weights: the fact's own table, and what the
  // rules reading it weigh, by the probability of their hypotheses; the facts are valued in full
  // in its order (TEST_BUDGET), on the rules still undecided.
  const shortlist: Array<{ fact: string; bound: number }> = [];
  for (const fact of candidates) {
    if (fact in facts || (answers.get(fact) ?? []).length === 0) continue;
    const modelled = model.facts.get(fact);
    const rows = ruleWeight.get(fact);
    if (!modelled && !rows) continue;
    let bound = 0;
    for (let h = 0; h < n; h++) bound += (prior[h] as number) * ((modelled?.opinion[h] ?? 0) + (rows?.[h] ?? 0));
    shortlist.push({ fact, bound });
  }
  shortlist.sort((a, b) => b.bound - a.bound || (a.fact < b.fact ? -1 : 1));
  // Each rule's weight now: |cf| x the probability of its hypotheses, per fact it reads (NaN until needed).
  const weights = new Float64Array(kb.rules.length).fill(NaN);
  const weightOf = (i: number) => {
    let w = weights[i] as number;
    if (!Number.isNaN(w)) return w;
    w = 0;
    for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) w += (evidenceAbsCf[e] as number) * (prior[positionOf[evidenceHypothesis[e] as number] as number] as number);
    return (weights[i] = w / ((factStart[i + 1] as number) - (factStart[i] as number)));
  };
  const weightiest = (open: number[]) => {
    if (open.length <= RULES_PER_FACT) return open;
    // The weight of the RULES_PER_FACT-th weightiest rule, by a native sort of the weights, then the rules at or above it in kb order.
    const sorted = Float64Array.from(open, weightOf).sort();
    const floor = sorted[sorted.length - RULES_PER_FACT] as number;
    return open.filter((i) => weightOf(i) >= floor).slice(0, RULES_PER_FACT);
  };

  const out: FactValueOfInformation[] = [];
  let spent = 0;
  for (const [place, { fact }] of shortlist.entries()) {
    if (place >= MAX_VALUED || (spent > TEST_BUDGET && place >= MIN_VALUED)) break;
    const modelled = model.facts.get(fact);
    const options = answers.get(fact) as Answer[];
    const open = (reading.get(fact) ?? []).filter((i) => statusAt(assessment, i) === 'unknown');
    if (!modelled && open.length === 0) continue;
    spent += options.length * Math.min(open.length, RULES_PER_FACT);
    const rules = weightiest(open).map((i) => ({ rule: kb.rules[i] as CompiledRule, test: tests[i] as (facts: FactMap) => Tri }));
    // What the open rules lend now (before the answer), and the log weight that gives each hypothesis they touch.
    const lentNow = new Beliefs(n);
    const touched = new Set<number>();
    const knownBefore = rules.map(({ rule }) => knownFacts(rule, facts));
    for (const [k, { rule }] of rules.entries()) {
      const share = (PARTIAL_CREDIT * (knownBefore[k] as number)) / rule.facts.length;
      for (const e of rule.rule.evidence) {
        const h = model.position.get(e.hypothesis);
        if (h === undefined) continue;
        touched.add(h);
        if (e.cf > 0 && share > 0) lentNow.add(h, e.cf * share);
      }
    }
    const was = new Map([...touched].map((h) => [h, ruleLogWeight(model, fired.net(h, lentNow))]));

    // For each answer: the rules' log shift of every hypothesis, and its likelihood under each
    // (the fact's table, or for a fact without one the rules' reading of it, see ruleLikelihoods).
    const shifts: Float64Array[] = [];
    const likelihood: Float64Array[] = [];
    const speaksTo = new Uint8Array(n);
    let changesTop = false;
    // One copy of the facts per fact asked, its answer written in turn (the tests only read it).
    const after: Record<string, FactValue> = { ...facts };
    for (const { value, share } of options) {
      const shift = new Float64Array(n + 1);
      const row = new Float64Array(n + 1);
      const o = modelled ? modelled.outcomeOf(value) : -1;
      const width = modelled?.outcomes.length ?? 0;
      for (let h = 0; h < n; h++) {
        row[h] = o >= 0 && modelled ? (modelled.likelihood[h * width + o] as number) : share;
        if (modelled?.opinion[h]) speaksTo[h] = 1;
      }
      row[n] = o >= 0 && modelled ? (modelled.background[o] as number) : share;
      if (touched.size > 0) {
        after[fact] = value;
        const then = new Beliefs(n);
        for (const [k, { rule, test }] of rules.entries()) {
          const status = test(after);
          if (status === 'false') continue;
          const lent = status === 'true' ? 1 : (PARTIAL_CREDIT * ((knownBefore[k] as number) + 1)) / rule.facts.length;
          for (const e of rule.rule.evidence) {
            const h = model.position.get(e.hypothesis);
            if (h !== undefined && (status === 'true' || e.cf > 0)) then.add(h, e.cf * lent);
          }
        }
        for (const h of touched) {
          const moved = ruleLogWeight(model, fired.net(h, then)) - (was.get(h) as number);
          shift[h] = moved;
          if (Math.abs(moved) > 1e-9) speaksTo[h] = 1;
        }
      }
      // Whether this answer would put another cause (or "no known cause") first, as the diagnosis
      // would rank it: the full update (table and rules), not the tempered likelihoods above.
      let top = leader;
      let best = -Infinity;
      for (let h = 0; h <= n; h++) {
        const table = h < n && o >= 0 && modelled ? (modelled.logRatio[h * width + o] as number) : 0;
        const w = (differential.logWeight[h] as number) + table + (shift[h] as number);
        if (w > best) [best, top] = [w, h];
      }
      if (top !== leader) changesTop = true;
      shifts.push(shift);
      likelihood.push(row);
    }
    if (modelled) {
      // A rule the answer decides makes it likelier under the hypotheses it raises.
      shifts.forEach((shift, v) => {
        const row = likelihood[v] as Float64Array;
        for (let h = 0; h < n; h++) row[h] = (row[h] as number) * Math.exp(shift[h] as number);
      });
    } else ruleLikelihoods(options, shifts, likelihood, n);
    // Likelihoods as distributions over the answers, per hypothesis.
    for (let h = 0; h <= n; h++) {
      let total = 0;
      for (const row of likelihood) total += row[h] as number;
      for (const row of likelihood) row[h] = (row[h] as number) / total;
    }
    // The expected uncertainty once answered, each answer weighed by how likely it is now:
    // Bayes over these likelihoods, so the gain is the mutual information of cause and answer.
    let expected = 0;
    const moved = new Float64Array(n);
    for (const row of likelihood) {
      const joint = new Float64Array(n + 1);
      let chance = 0;
      for (let h = 0; h <= n; h++) chance += joint[h] = (prior[h] as number) * (row[h] as number);
      if (chance <= 0) continue;
      for (let h = 0; h <= n; h++) joint[h] = (joint[h] as number) / chance;
      expected += chance * uncertainty(joint, layerOf, byLayer);
      for (let h = 0; h < n; h++) moved[h] = (moved[h] as number) + chance * Math.abs((joint[h] as number) - (prior[h] as number));
    }
    const gain = before - expected;
    if (gain <= NO_GAIN) continue;
    const separates = [...moved.keys()]
      .filter((h) => speaksTo[h] === 1 && (moved[h] as number) > 1e-4)
      .sort((a, b) => (moved[b] as number) - (moved[a] as number) || ((model.hypotheses[a] as string) < (model.hypotheses[b] as string) ? -1 : 1))
      .map((h) => model.hypotheses[h] as string);
    out.push({ fact, gain, separates, changesTop });
  }
  return out.sort((a, b) => b.gain - a.gain || (a.fact < b.fact ? -1 : 1));
}
