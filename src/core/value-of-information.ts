import type { LeafCondition } from '../generated/kb-file.js';
import { combineSameSign, netBelief } from './certainty.js';
import { leafFacts, leavesOf, type Tri } from './conditions.js';
import { compiledModel, ruleLogWeight, type CompiledModel, type ModelledFact } from './differential.js';
import { factValuesByNumber, ruleIndex, ruleStatusAt, statusApartFrom, statusAt, statusGiven, type Assessment } from './evaluate.js';
import type { KnowledgeBase } from './kb.js';
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
  /**
   * How likely the answer is to put another hypothesis first ("no known cause" is no leader to
   * displace, see valueFact): the chance of the answers that would, under the current posterior.
   * The value of asking in the currency of the decision (which cause to name) rather than of bits.
   */
  topChangeChance: number;
}

interface Answer {
  /** The value of each fact asked: one, or both sides of a comparison asked as a pair (see Pair). */
  values: readonly FactValue[];
  /** Share of cases this answer stands for, when the fact has no outcome table. */
  share: number;
}

/**
 * Both sides of a comparison of two numeric facts that no table weighs (the backend's keep-alive
 * timeout against the LB's idle timeout), valued as one question (comparisonValues): asked alone,
 * neither side decides the rule, so each is worth nothing on its own while the two together may
 * decide the cause (the myopia of one-step look-ahead, which PARTIAL_CREDIT only eases).
 */
interface Pair {
  sides: readonly [string, string];
  /** Every combination of a few values spanning both sides' representative answers, so that each side of the comparison holds in some. */
  answers: Answer[];
}

/**
 * A modelled fact's answers' likelihood under each hypothesis, "no known cause" (column n) and
 * a class without an opinion on the fact (column n + 1, the background), in rows of n + 2 laid out as
 * Scratch.likelihood: as its table gives them (`raw`) and as distributions over the answers
 * (`likelihood`), with their log2s. Only the hypotheses an answer's rules move need
 * recomputing on a step, so valuing the fact takes no log per hypothesis and answer.
 */
interface AnswerTable {
  raw: Float64Array;
  logRaw: Float64Array;
  likelihood: Float64Array;
  logLikelihood: Float64Array;
}

interface AnswerIndex {
  answers: Map<string, Answer[]>;
  /** The comparisons asked as pairs, keyed by pairKey. */
  pairs: Map<string, Pair>;
  /** Each hypothesis's layer, numbered (by model position); the count of layers. */
  layerOf: Int32Array;
  layerCount: number;
  /**
   * For each fact the model weighs or a rule reads, its cheap bound's weights per hypothesis (by
   * model position, "no known cause" last): whether its table has an opinion (0 or 1) plus what the rules reading it
   * weigh, the sum of |cf| / (facts the rule reads). With the posterior it bounds what asking it
   * can do. Kept sparse (the hypotheses of nonzero weight, in order), as the sum skips zeros.
   * Only facts with representative answers are kept: no other can be asked. `place` is the
   * fact's place in `valued`.
   */
  boundWeight: Map<string, { place: number; at: Int32Array; weight: Float64Array }>;
  /** The keys of boundWeight, in order. */
  valued: string[];
  /** For a modelled fact, the outcome of each of its answers (-1 when none). */
  outcomes: Map<string, Int32Array>;
  /** For a modelled fact valued so far, its answers' likelihoods as its table gives them (see answerTable). */
  tables: Map<string, AnswerTable>;
  /**
   * Each rule's evidence, aligned with ruleIndex's evidenceStart: the hypothesis's model
   * position (-1 when the model has none) and the signed cf.
   */
  evidencePosition: Int32Array;
  evidenceCf: Float64Array;
  /** Model position of each of ruleIndex's numbered hypotheses (n when the model has none). */
  positionOf: Int32Array;
  scratch: Scratch;
}

const answerIndexes = new WeakMap<KnowledgeBase, AnswerIndex>();

/**
 * Representative answers per fact: one per outcome of a modelled fact; otherwise, read off the
 * rules: every enum value, true/false, a value on each side of every numeric threshold, and
 * the strings rules name. With them, everything about a fact that does not depend on the facts.
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
  const uniform = (values: FactValue[]) => values.map((value) => ({ values: [value], share: 1 / values.length }));
  for (const spec of kb.vocabulary.facts.values()) {
    const modelled = model.facts.get(spec.name);
    if (modelled?.ranges) {
      // A number without a schema minimum may be negative (days left on a certificate, a clock's skew).
      const { ranges } = modelled;
      answers.set(spec.name, uniform(ranges.map((_, o) => representativeOfBin(ranges, o, spec.minimum ?? -Infinity)).filter((v): v is number => v !== undefined)));
    } else if (spec.type === 'enum') answers.set(spec.name, uniform([...(spec.values ?? [])]));
    else if (spec.type === 'boolean') answers.set(spec.name, uniform([true, false]));
    else if (spec.type === 'string') {
      // A free-text fact (a host name, a URL) is usually none of the values rules single out.
      const named = [...(strings.get(spec.name) ?? [])];
      const other = named.length ? UNNAMED_TEXT_WEIGHT / (UNNAMED_TEXT_WEIGHT + named.length) : 1;
      answers.set(spec.name, [{ values: ['\u0000other'], share: other }, ...named.map((value) => ({ values: [value], share: (1 - other) / named.length }))]);
    } else {
      const cuts = evenlySpaced([...(thresholds.get(spec.name) ?? [])].sort((a, b) => a - b), MAX_CUTS);
      const points = cuts.length === 0 ? [spec.minimum ?? 0] : [cuts[0]! - 1, ...cuts.map((c, i) => (i + 1 < cuts.length ? (c + cuts[i + 1]!) / 2 : c + 1))];
      // Equality tests need the threshold itself; fact-to-fact comparisons are covered by points around others.
      answers.set(spec.name, uniform([...new Set([...points, ...cuts])]));
    }
  }
  const n = model.hypotheses.length;
  const ruleWeight = new Map<string, Float64Array>();
  for (const rule of kb.rules) {
    for (const fact of rule.facts) {
      let row = ruleWeight.get(fact);
      if (!row) ruleWeight.set(fact, (row = new Float64Array(n)));
      for (const e of rule.rule.evidence) {
        const h = model.position.get(e.hypothesis);
        if (h !== undefined) row[h] = (row[h] as number) + Math.abs(e.cf) / rule.facts.length;
      }
    }
  }
  const boundWeight: AnswerIndex['boundWeight'] = new Map();
  for (const fact of new Set([...model.facts.keys(), ...ruleWeight.keys()])) {
    if ((answers.get(fact) ?? []).length === 0) continue;
    const opinion = model.facts.get(fact)?.opinion;
    const rows = ruleWeight.get(fact);
    const weight = Float64Array.from({ length: n + 1 }, (_, h) => (opinion?.[h] ?? 0) + (rows?.[h] ?? 0));
    const at = Int32Array.from(weight.keys()).filter((h) => weight[h] !== 0);
    boundWeight.set(fact, { place: boundWeight.size, at, weight: Float64Array.from(at, (h) => weight[h] as number) });
  }
  const outcomes = new Map<string, Int32Array>();
  for (const [fact, modelled] of model.facts) outcomes.set(fact, Int32Array.from(answers.get(fact) ?? [], ({ values }) => modelled.outcomeOf(values[0] as FactValue)));
  const pairs = comparisonPairs(kb, model, leaves, answers);
  const evidence = kb.rules.flatMap((rule) => rule.rule.evidence);
  const layerIds = new Map<string, number>();
  const layerOf = Int32Array.from(model.hypotheses, (id) => {
    const layer = kb.hypotheses.get(id)?.value.category ?? '';
    if (!layerIds.has(layer)) layerIds.set(layer, layerIds.size);
    return layerIds.get(layer) as number;
  });
  built = {
    answers,
    layerOf,
    layerCount: layerIds.size,
    boundWeight,
    valued: [...boundWeight.keys()],
    outcomes,
    tables: new Map(),
    evidencePosition: Int32Array.from(evidence, (e) => model.position.get(e.hypothesis) ?? -1),
    evidenceCf: Float64Array.from(evidence, (e) => e.cf),
    positionOf: Int32Array.from(ruleIndex(kb).hypotheses, (id) => model.position.get(id) ?? n),
    pairs,
    scratch: scratchFor(n, layerIds.size, Math.max(0, ...[...answers.values(), ...[...pairs.values()].map((p) => p.answers)].map((a) => a.length))),
  };
  answerIndexes.set(kb, built);
  return built;
}

/** How many values span a pair's two sides (see Pair): their combinations are the pair's answers. */
const PAIR_VALUES = 5;

/** The key of a comparison asked as a pair: its two facts, in the order the rule compares them. */
const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

/**
 * Whether the interview asks these two facts as a pair (a comparison of two numbers no table
 * weighs, see Pair), so that once one is answered the other comes next.
 */
export function askedAsPair(kb: KnowledgeBase, a: string, b: string): boolean {
  const { pairs } = answerIndex(kb, compiledModel(kb));
  return pairs.has(pairKey(a, b)) || pairs.has(pairKey(b, a));
}

/**
 * The comparisons of two numeric facts that no table weighs, with their answers (see Pair):
 * the sides' representative numbers merged and evenly thinned to PAIR_VALUES (one more above
 * when they are all one number), every ordered combination of them equally likely.
 */
function comparisonPairs(kb: KnowledgeBase, model: CompiledModel, leaves: readonly LeafCondition[], answers: ReadonlyMap<string, Answer[]>): Map<string, Pair> {
  const numeric = (fact: string) => {
    const type = kb.vocabulary.facts.get(fact)?.type;
    return (type === 'number' || type === 'integer') && !model.facts.has(fact);
  };
  const pairs = new Map<string, Pair>();
  for (const leaf of leaves) {
    const [a, b] = leafFacts(leaf);
    if (b === undefined || a === b || !numeric(a as string) || !numeric(b) || pairs.has(pairKey(b, a as string))) continue;
    const sides = [a as string, b] as const;
    const merged = [...new Set(sides.flatMap((side) => (answers.get(side) ?? []).map(({ values }) => values[0] as number)))].sort((x, y) => x - y);
    const points = merged.length === 1 ? [merged[0] as number, (merged[0] as number) + 1] : evenlySpaced(merged, PAIR_VALUES);
    const share = 1 / (points.length * points.length);
    pairs.set(pairKey(...sides), { sides, answers: points.flatMap((x) => points.map((y) => ({ values: [x, y], share }))) });
  }
  return pairs;
}

/**
 * A modelled fact's answers' likelihoods as its table gives them (see AnswerTable), made when
 * the fact is first valued: a diagnosis values a few of the facts the model weighs.
 */
function answerTable(index: AnswerIndex, n: number, fact: string, modelled: ModelledFact): AnswerTable {
  let table = index.tables.get(fact);
  if (table) return table;
  const options = index.answers.get(fact) ?? [];
  const outcomes = index.outcomes.get(fact);
  const width = n + 2;
  const fieldWidth = modelled.outcomes.length;
  const raw = new Float64Array(options.length * width);
  options.forEach(({ share }, v) => {
    const o = outcomes?.[v] ?? -1;
    for (let h = 0; h < width; h++) raw[v * width + h] = o < 0 ? share : h <= n ? (modelled.likelihood[h * fieldWidth + o] as number) : (modelled.background[o] as number);
  });
  const logRaw = raw.map(Math.log2);
  table = { raw, logRaw, likelihood: Float64Array.from(raw), logLikelihood: Float64Array.from(logRaw) };
  for (let h = 0; h < width; h++) normaliseColumn(table.likelihood, table.logLikelihood, h, width, raw.length);
  index.tables.set(fact, table);
  return table;
}

function scratchFor(n: number, layers: number, mostAnswers: number): Scratch {
  return {
    lentNow: new Beliefs(n),
    then: new Beliefs(n),
    touched: new Int32Array(n),
    isTouched: new Uint8Array(n),
    was: new Float64Array(n),
    speaksTo: new Uint8Array(n),
    speaker: new Int32Array(n),
    mover: new Int32Array(n + 1),
    isMover: new Uint8Array(n + 1),
    moved: new Float64Array(n),
    movesTop: new Uint8Array(mostAnswers),
    joint: new Float64Array(n + 1),
    byLayer: new Float64Array(layers + 1),
    restLayer: new Float64Array(layers + 1),
    shift: new Float64Array(mostAnswers * (n + 2)),
    likelihood: new Float64Array(mostAnswers * (n + 2)),
    logLikelihood: new Float64Array(mostAnswers * (n + 2)),
  };
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
 * The least whole number, not below `floor`, that falls in bin `o` of `ranges`, or undefined
 * when none does (a bin narrower than one, or covered by earlier ones). The bins' edges are the
 * thresholds the rules compare with, so it fires the rules the bin's values fire. Bins are
 * first-match: from the bin's lower bound, each earlier bin holding the number moves it past
 * that bin's upper bound, so a bin far above the floor (a 5 s DNS lookup) or below 0 (days left
 * on an expired certificate) is found in as many steps as there are bins.
 */
function representativeOfBin(ranges: ReadonlyArray<readonly [number, number]>, o: number, floor: number): number | undefined {
  const [, max] = ranges[o] as readonly [number, number];
  let v = Math.max(floor, Math.ceil((ranges[o] as readonly [number, number])[0]));
  for (let e = 0; e < o && v <= max; ) {
    const [low, high] = ranges[e] as readonly [number, number];
    if (v < low || v > high) e++;
    else {
      // Past this bin, the number may land in one already passed: check them all again.
      v = Math.floor(high) + 1;
      e = 0;
    }
  }
  return v <= max ? v : undefined;
}

/**
 * Answer likelihoods for a fact without a table, read off the rules: an answer that raises a
 * hypothesis by log shift s is a finding, about SENSITIVITY likely under it and e^s times rarer
 * under the others (the rule's likelihood ratio), and the answers that raise nothing share what
 * is left. Without this, a yes/no finding would be taken as 50% likely under every cause, and
 * asking it would look worth bits it cannot give. Answer v's shifts and likelihoods are rows
 * v * (n + 2) .. of `shift` and `likelihood`; only the `touched` hypotheses have a shift. The
 * likelihoods are written as distributions over the answers (with their log2s).
 */
function ruleLikelihoods(options: readonly Answer[], shift: Float64Array, likelihood: Float64Array, logLikelihood: Float64Array, touched: Int32Array, touchedCount: number, n: number): void {
  const width = n + 2;
  const raise = options.map((_, v) => {
    let top = 0;
    for (let k = 0; k < touchedCount; k++) top = Math.max(top, shift[v * width + (touched[k] as number)] as number);
    return top;
  });
  const base = options.map(({ share }, v) => ((raise[v] as number) > 0 ? Math.min(share, SENSITIVITY * Math.exp(-(raise[v] as number))) : share));
  let findings = 0;
  let plain = 0;
  base.forEach((b, v) => ((raise[v] as number) > 0 ? (findings += b) : (plain += b)));
  const scale = plain > 0 ? Math.max(0, 1 - findings) / plain : 1;
  const baselines = base.map((b, v) => ((raise[v] as number) > 0 ? b : b * scale));
  // The hypotheses no rule touches share each answer's baseline: one distribution serves them all.
  let total = 0;
  for (const baseline of baselines) total += baseline;
  const logTotal = Math.log2(total);
  baselines.forEach((baseline, v) => {
    const logBaseline = Math.log2(baseline);
    likelihood.fill(baseline / total, v * width, v * width + width);
    logLikelihood.fill(logBaseline - logTotal, v * width, v * width + width);
    for (let k = 0; k < touchedCount; k++) {
      const at = v * width + (touched[k] as number);
      likelihood[at] = baseline * Math.exp(shift[at] as number);
      logLikelihood[at] = logBaseline + (shift[at] as number) * Math.LOG2E;
    }
  });
  for (let k = 0; k < touchedCount; k++) normaliseColumn(likelihood, logLikelihood, touched[k] as number, width, options.length * width);
}

/**
 * Column h of the rows of `width` in likelihood (and its log2s in logLikelihood) made a
 * distribution over the answers.
 */
function normaliseColumn(likelihood: Float64Array, logLikelihood: Float64Array, h: number, width: number, rows: number): void {
  let total = 0;
  for (let at = h; at < rows; at += width) total += likelihood[at] as number;
  const logTotal = Math.log2(total);
  for (let at = h; at < rows; at += width) {
    likelihood[at] = (likelihood[at] as number) / total;
    logLikelihood[at] = (logLikelihood[at] as number) - logTotal;
  }
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
  return entropy(posterior) + LAYER_WEIGHT * layerEntropy(posterior, layerOf, byLayer);
}

/** The entropy of the posterior's layers ("no known cause", its last entry, one of its own). */
function layerEntropy(posterior: Float64Array, layerOf: Int32Array, byLayer: Float64Array): number {
  byLayer.fill(0);
  for (let h = 0; h < layerOf.length; h++) byLayer[layerOf[h] as number] = (byLayer[layerOf[h] as number] as number) + (posterior[h] as number);
  byLayer[byLayer.length - 1] = posterior[layerOf.length] as number;
  return entropy(byLayer);
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
  /** Forgets what was folded for the first `count` of `hypotheses`. */
  clear(hypotheses: Int32Array, count: number): void {
    for (let k = 0; k < count; k++) {
      this.support[hypotheses[k] as number] = 0;
      this.refute[hypotheses[k] as number] = 0;
    }
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

/** One fact's valuation on one assessment: the rule tests it spent, and its value (null when asking it cannot move the posterior). */
export interface FactValuation {
  spent: number;
  value: FactValueOfInformation | null;
}

/** What an assessment keeps of the facts valued on it (Assessment.valuations), filled by factValues. */
export interface Valuations {
  step: StepValuation | null;
  facts: Map<string, FactValuation>;
  /** The comparisons valued (comparisonValues), by pairKey. */
  comparisons: Map<string, FactValuation>;
}

/**
 * What valuing facts on one assessment shares: the KB's index, the step's fired beliefs, prior
 * uncertainty and leader, and scratch space, so each fact valued costs loops over typed arrays
 * and no allocation per answer. Built once per assessment (see stepValuation).
 */
interface StepValuation {
  kb: KnowledgeBase;
  assessment: Assessment;
  model: CompiledModel;
  index: AnswerIndex;
  rules: ReturnType<typeof ruleIndex>;
  before: number;
  /** log2 of the prior (the assessment's posterior), per hypothesis and "no known cause". */
  logPrior: Float64Array;
  leader: number;
  fired: Beliefs;
  /**
   * The assessment's facts by ruleIndex's numbers (ruleStatusAt) and, made when a rule that is
   * not a conjunction on constants needs them, by name, with the answer being tried written in
   * and set back to undefined after (unknown to every test). A dictionary from the start: each
   * fact valued adds a key, and on an object of fast properties every request's own set of
   * keys made V8 build (and keep) a new chain of hidden classes.
   */
  values: Array<FactValue | undefined>;
  after: Record<string, FactValue | undefined> | null;
  /** Whether each of the valued facts (by its place in AnswerIndex.valued) is known. */
  known: Uint8Array;
  /** Per hypothesis, the log weight of the fired rules alone (see firedLogWeight), NaN until needed. */
  firedAlone: Float64Array;
  /** Each rule's weight now (|cf| x the probability of its hypotheses, per fact it reads), NaN until needed; allocated for the first fact read by more than RULES_PER_FACT undecided rules. */
  weights: Float64Array | null;
}

/**
 * Scratch space for valuing one fact, kept per knowledge base: valueFact runs to the end
 * without yielding, and leaves every entry it uses as it found it (or overwrites it first).
 */
interface Scratch {
  lentNow: Beliefs;
  then: Beliefs;
  touched: Int32Array;
  isTouched: Uint8Array;
  was: Float64Array;
  speaksTo: Uint8Array;
  /** The hypotheses speaksTo marks, in order. */
  speaker: Int32Array;
  /** The classes an answer may move apart from the rest (see valueFact), in order, and a mark on each ("no known cause" is n). */
  mover: Int32Array;
  isMover: Uint8Array;
  moved: Float64Array;
  /** Per answer, whether it would put another cause first. */
  movesTop: Uint8Array;
  joint: Float64Array;
  byLayer: Float64Array;
  /** The prior mass per layer of the hypotheses that are not movers ("no known cause" last). */
  restLayer: Float64Array;
  /** mostAnswers rows of n + 2: each answer's log shifts, its likelihood under each hypothesis, "no known cause" and the rest, and that likelihood's log2. */
  shift: Float64Array;
  likelihood: Float64Array;
  logLikelihood: Float64Array;
}

/** Clears the marks of the first `count` hypotheses of `list`: the scratch is shared by every valuation, so each leaves its marks at 0. */
function unmark(marks: Uint8Array, list: Int32Array, count: number): void {
  for (let k = 0; k < count; k++) marks[list[k] as number] = 0;
}

function log2Of(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.log2(values[i] as number);
  return out;
}

function knownValued({ boundWeight, valued }: AnswerIndex, facts: FactMap): Uint8Array {
  const known = new Uint8Array(valued.length);
  for (const name in facts) {
    const weights = boundWeight.get(name);
    if (weights) known[weights.place] = 1;
  }
  return known;
}

function stepValuation(kb: KnowledgeBase, assessment: Assessment): StepValuation {
  const model = compiledModel(kb);
  const index = answerIndex(kb, model);
  const n = model.hypotheses.length;
  const prior = assessment.differential.posterior;
  const fired = new Beliefs(n);
  for (const s of assessment.scored) {
    const h = model.position.get(s.id);
    if (h !== undefined) for (const cf of s.cfs) fired.add(h, cf);
  }
  let leader = 0;
  for (let h = 1; h < n; h++) if ((prior[h] as number) > (prior[leader] as number)) leader = h;
  const rules = ruleIndex(kb);
  return {
    kb,
    assessment,
    model,
    index,
    rules,
    before: uncertainty(prior, index.layerOf, index.scratch.byLayer),
    logPrior: log2Of(prior),
    leader,
    fired,
    weights: null,
    values: factValuesByNumber(rules, assessment.facts),
    after: null,
    known: knownValued(index, assessment.facts),
    firedAlone: new Float64Array(n).fill(NaN),
  };
}

/**
 * The log weight of h's fired rules with what `lent` folds for h: an answer's rules, or the
 * open rules now. Most of the answers valued on a step lend most hypotheses they touch nothing,
 * and then it is the fired rules' alone, the same for every fact and answer: computed once per step.
 */
function firedLogWeight(step: StepValuation, h: number, lent: Beliefs): number {
  const lends = lent.support[h] !== 0 || lent.refute[h] !== 0;
  if (!lends && !Number.isNaN(step.firedAlone[h])) return step.firedAlone[h] as number;
  const weight = ruleLogWeight(step.model, step.fired.net(h, lent));
  if (!lends) step.firedAlone[h] = weight;
  return weight;
}

/** How many facts rule i reads (its `facts`). */
function factsReadBy(rules: StepValuation['rules'], i: number): number {
  return (rules.factStart[i + 1] as number) - (rules.factStart[i] as number);
}

/** Rule i's weight now: |cf| x the probability of its hypotheses, per fact it reads. */
function weightOf(step: StepValuation, i: number): number {
  const weights = (step.weights ??= new Float64Array(step.kb.rules.length).fill(NaN));
  let w = weights[i] as number;
  if (!Number.isNaN(w)) return w;
  const { evidenceStart, evidenceHypothesis, evidenceAbsCf } = step.rules;
  const prior = step.assessment.differential.posterior;
  const { positionOf } = step.index;
  w = 0;
  for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) w += (evidenceAbsCf[e] as number) * (prior[positionOf[evidenceHypothesis[e] as number] as number] as number);
  return (weights[i] = w / factsReadBy(step.rules, i));
}

/** The weightiest RULES_PER_FACT of the open rules, in kb order. */
function weightiest(step: StepValuation, open: number[]): number[] {
  if (open.length <= RULES_PER_FACT) return open;
  // The weight of the RULES_PER_FACT-th weightiest rule, by a native sort of the weights, then the rules at or above it in kb order.
  const sorted = Float64Array.from(open, (i) => weightOf(step, i)).sort();
  const floor = sorted[sorted.length - RULES_PER_FACT] as number;
  return open.filter((i) => weightOf(step, i) >= floor).slice(0, RULES_PER_FACT);
}

/** What asking `fact` is worth on the step's assessment (see valueAnswers). */
function valueFact(step: StepValuation, fact: string): FactValuation {
  const { model, index } = step;
  return valueAnswers(step, [fact], index.answers.get(fact) as Answer[], model.facts.get(fact), index.outcomes.get(fact));
}

/**
 * What asking `asked` (one fact, or both sides of a pair) is worth on the step's assessment: for
 * each of its representative `options`, the rules' log shift of every hypothesis and its
 * likelihood under each (the fact's table when `modelled`, or the rules' reading of the answer,
 * see ruleLikelihoods), then the mutual information of cause and answer. The value names the
 * first fact asked.
 */
function valueAnswers(step: StepValuation, asked: readonly string[], options: readonly Answer[], modelled: ModelledFact | undefined, outcomes: Int32Array | undefined): FactValuation {
  const { assessment, model, index } = step;
  const { lentNow, then, touched, isTouched, was, speaksTo, speaker, mover, isMover, moved, movesTop, joint, byLayer, restLayer, shift, likelihood, logLikelihood } = index.scratch;
  const { facts, differential } = assessment;
  const { evidenceStart } = step.rules;
  const { evidencePosition, evidenceCf, layerOf, layerCount } = index;
  const n = model.hypotheses.length;
  const width = n + 2;
  const prior = differential.posterior;
  const fact = asked[0] as string;
  const open: number[] = [];
  for (const f of asked) for (const i of step.rules.reading.get(f) ?? []) if (statusAt(assessment, i) === 'unknown') open.push(i);
  // A pair's sides share rules: each once, in kb order (as weightiest keeps them).
  if (asked.length > 1) open.splice(0, open.length, ...[...new Set(open)].sort((a, b) => a - b));
  if (!modelled && open.length === 0) return { spent: 0, value: null };
  const spent = options.length * Math.min(open.length, RULES_PER_FACT);
  const rules = weightiest(step, open);
  // What the open rules lend now (before the answer), and the log weight that gives each hypothesis they touch.
  let touchedCount = 0;
  const { factStart, factList } = step.rules;
  const { values } = step;
  // The facts with each answer written in, by number and, for a rule that reads them so, by name.
  const numbers = asked.map((f) => step.rules.factNumber.get(f) as number);
  // Per rule, the facts it reads that are known now, and how many of the asked ones it reads.
  const knownBefore = rules.map((i) => {
    let known = 0;
    for (let j = factStart[i] as number; j < (factStart[i + 1] as number); j++) if (values[factList[j] as number] !== undefined) known++;
    return known;
  });
  const readsAsked = rules.map((i) => {
    let reads = 0;
    for (let j = factStart[i] as number; j < (factStart[i + 1] as number); j++) if (numbers.includes(factList[j] as number)) reads++;
    return reads;
  });
  for (let k = 0; k < rules.length; k++) {
    const i = rules[k] as number;
    const share = (PARTIAL_CREDIT * (knownBefore[k] as number)) / factsReadBy(step.rules, i);
    for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) {
      const h = evidencePosition[e] as number;
      if (h < 0) continue;
      if (isTouched[h] === 0) {
        isTouched[h] = 1;
        touched[touchedCount++] = h;
      }
      const cf = evidenceCf[e] as number;
      if (cf > 0 && share > 0) lentNow.add(h, cf * share);
    }
  }
  for (let k = 0; k < touchedCount; k++) {
    const h = touched[k] as number;
    was[h] = firedLogWeight(step, h, lentNow);
  }
  // The movers: the hypotheses with an opinion of their own in the fact's table, those the open
  // rules touch, and "no known cause" (n) when the model's otherCause row names the fact. Every
  // other class has the same likelihood for each answer (the background row, or the rules'
  // baseline: column n + 1 of the rows below) and keeps its log weight, so the rest enter each
  // answer's sums as per-fact totals and an answer costs loops over the movers only.
  let movers = 0;
  const opinion = modelled?.opinion;
  for (let h = 0; h <= n; h++) {
    if ((h === n || isTouched[h] === 0) && (opinion === undefined || opinion[h] === 0)) continue;
    isMover[h] = 1;
    mover[movers++] = h;
  }
  const logPrior = step.logPrior;
  // On a confident step, many facts move only causes of almost no probability: no answer can
  // make them worth asking, and valuing their answers would be wasted.
  if (gainBound(prior, logPrior, mover, movers, options.length) <= NO_GAIN) {
    lentNow.clear(touched, touchedCount);
    unmark(isTouched, touched, touchedCount);
    unmark(isMover, mover, movers);
    return { spent, value: null };
  }
  let restPrior = 0;
  let restPriorLogPrior = 0;
  // The heaviest cause among the rest (-1 when every cause moves); "no known cause" is no leader (see below).
  let restTop = -1;
  const { logWeight } = differential;
  restLayer.fill(0);
  for (let h = 0; h <= n; h++) {
    if (isMover[h] === 1) continue;
    const p = prior[h] as number;
    restPrior += p;
    if (p > 0) restPriorLogPrior += p * (logPrior[h] as number);
    const layer = h < n ? (layerOf[h] as number) : layerCount;
    restLayer[layer] = (restLayer[layer] as number) + p;
    if (h < n && (restTop < 0 || (logWeight[h] as number) > (logWeight[restTop] as number))) restTop = h;
  }

  const rows = options.length * width;
  shift.fill(0, 0, rows);
  const fieldWidth = modelled?.outcomes.length ?? 0;
  if (modelled) speaksTo.set(modelled.opinion.subarray(0, n));
  else speaksTo.fill(0);
  let changesTop = false;
  const { leafStart } = step.rules;
  const after = rules.some((i) => leafStart[i] === leafStart[i + 1]) ? (step.after ??= Object.assign(Object.create(null) as Record<string, FactValue | undefined>, facts)) : null;
  // A conjunction's leaves on other facts say the same for every answer: tested once here, so
  // each answer tests only the leaves reading the fact (null: a rule tested in full, by its
  // closure or, for a pair, on both answers written in).
  const single = numbers.length === 1 ? (numbers[0] as number) : -1;
  const apart = rules.map((i) => (single < 0 || leafStart[i] === leafStart[i + 1] ? null : statusApartFrom(step.rules, i, values, single)));
  for (let v = 0; v < options.length; v++) {
    const o = outcomes ? (outcomes[v] as number) : -1;
    const row = v * width;
    if (touchedCount > 0) {
      const answer = (options[v] as Answer).values;
      for (let j = 0; j < numbers.length; j++) values[numbers[j] as number] = answer[j];
      if (after) for (let j = 0; j < asked.length; j++) after[asked[j] as string] = answer[j];
      for (let k = 0; k < rules.length; k++) {
        const i = rules[k] as number;
        const rest = apart[k] as Tri | null;
        const status = rest === null ? ruleStatusAt(step.rules, i, values, (after ?? facts) as FactMap) : statusGiven(step.rules, i, values, single, rest);
        if (status === 'false') continue;
        const lent = status === 'true' ? 1 : (PARTIAL_CREDIT * ((knownBefore[k] as number) + (readsAsked[k] as number))) / factsReadBy(step.rules, i);
        for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) {
          const h = evidencePosition[e] as number;
          const cf = evidenceCf[e] as number;
          if (h >= 0 && (status === 'true' || cf > 0)) then.add(h, cf * lent);
        }
      }
      for (let k = 0; k < touchedCount; k++) {
        const h = touched[k] as number;
        const by = firedLogWeight(step, h, then) - (was[h] as number);
        shift[row + h] = by;
        if (Math.abs(by) > 1e-9) speaksTo[h] = 1;
      }
      then.clear(touched, touchedCount);
    }
    // Whether this answer would put another cause first, as the diagnosis would rank them: the
    // full update (table and rules), not the tempered likelihoods above. The leader is the cause
    // the diagnosis names, as step.leader: "no known cause" is not ranked against it (it is said
    // only when it outweighs every cause together), and when it holds more than the leader,
    // counting it would make every answer "change the top". The rest keep their log weight (no
    // table ratio, no shift): the heaviest of them is restTop.
    let top = restTop;
    let best = restTop < 0 ? -Infinity : (logWeight[restTop] as number);
    const logRatio = modelled && o >= 0 ? modelled.logRatio : null;
    for (let k = 0; k < movers; k++) {
      const h = mover[k] as number;
      if (h === n) continue;
      const table = logRatio ? (logRatio[h * fieldWidth + o] as number) : 0;
      const w = (logWeight[h] as number) + table + (shift[row + h] as number);
      if (w > best || (w === best && h < top)) {
        best = w;
        top = h;
      }
    }
    movesTop[v] = top !== step.leader ? 1 : 0;
    if (top !== step.leader) changesTop = true;
  }
  // Likelihoods as distributions over the answers, per hypothesis: the fact's table as it is,
  // unless some answer's rules shift a hypothesis (a column of zero shifts would be normalised
  // back to the table's own, bit for bit).
  let lik = likelihood;
  let logLik = logLikelihood;
  if (modelled) {
    const table = answerTable(index, n, fact, modelled);
    lik = table.likelihood;
    logLik = table.logLikelihood;
    // A rule the answer decides makes it likelier under the hypotheses it raises.
    for (let k = 0; k < touchedCount; k++) {
      const h = touched[k] as number;
      let shifted = false;
      for (let at = h; at < rows && !shifted; at += width) shifted = shift[at] !== 0;
      if (!shifted) continue;
      if (lik === table.likelihood) {
        likelihood.set(table.likelihood);
        logLikelihood.set(table.logLikelihood);
        lik = likelihood;
        logLik = logLikelihood;
      }
      for (let at = h; at < rows; at += width) {
        const by = shift[at] as number;
        likelihood[at] = by === 0 ? (table.raw[at] as number) : (table.raw[at] as number) * Math.exp(by);
        logLikelihood[at] = (table.logRaw[at] as number) + by * Math.LOG2E;
      }
      normaliseColumn(likelihood, logLikelihood, h, width, rows);
    }
  } else ruleLikelihoods(options, shift, likelihood, logLikelihood, touched, touchedCount, n);
  if (touchedCount > 0) for (const number of numbers) values[number] = undefined;
  if (after) for (const f of asked) after[f] = undefined;
  lentNow.clear(touched, touchedCount);
  unmark(isTouched, touched, touchedCount);
  // With the likelihoods known, a tighter bound: many more facts stop here on a confident step.
  if (divergenceBound(prior, lik, logLik, mover, movers, width, rows) <= NO_GAIN) {
    unmark(isMover, mover, movers);
    return { spent, value: null };
  }
  // The expected uncertainty once answered, each answer weighed by how likely it is now:
  // Bayes over these likelihoods, so the gain is the mutual information of cause and answer.
  // How far each answer moves the hypotheses it speaks to (the only ones `separates` may name).
  let speaking = 0;
  for (let h = 0; h < n; h++) if (speaksTo[h] === 1) speaker[speaking++] = h;
  let expected = 0;
  let topChangeChance = 0;
  moved.fill(0);
  for (let row = 0; row < rows; row += width) {
    // The answer's chance summed over every hypothesis in order: hypotheses that move alike are
    // told apart in `separates` by its last bits, which a sum in another order would change.
    let chance = 0;
    for (let h = 0; h <= n; h++) chance += (prior[h] as number) * (lik[row + h] as number);
    if (chance <= 0) continue;
    if (movesTop[row / width] === 1) topChangeChance += chance;
    // Bayes on the movers; the rest all share the answer's likelihood `rest`.
    const rest = lik[row + n + 1] as number;
    for (let k = 0; k < movers; k++) {
      const h = mover[k] as number;
      joint[h] = (prior[h] as number) * (lik[row + h] as number);
    }
    // The entropy over the hypotheses from the logs of prior and likelihood:
    // log2 chance - sum joint[h] (log2 prior[h] + log2 likelihood[h]) / chance, with no log per hypothesis.
    let weighted = rest > 0 ? rest * (restPriorLogPrior + restPrior * (logLik[row + n + 1] as number)) : 0;
    for (let l = 0; l <= layerCount; l++) byLayer[l] = rest * (restLayer[l] as number);
    for (let k = 0; k < movers; k++) {
      const h = mover[k] as number;
      const j = joint[h] as number;
      if (j > 0) weighted += j * ((logPrior[h] as number) + (logLik[row + h] as number));
      const layer = h < n ? (layerOf[h] as number) : layerCount;
      byLayer[layer] = (byLayer[layer] as number) + j;
    }
    for (let l = 0; l <= layerCount; l++) byLayer[l] = (byLayer[l] as number) / chance;
    expected += chance * (Math.log2(chance) - weighted / chance + LAYER_WEIGHT * entropy(byLayer));
    for (let k = 0; k < speaking; k++) {
      const h = speaker[k] as number;
      moved[h] = (moved[h] as number) + chance * Math.abs((joint[h] as number) / chance - (prior[h] as number));
    }
  }
  unmark(isMover, mover, movers);
  const gain = step.before - expected;
  if (gain <= NO_GAIN) return { spent, value: null };
  const separates: number[] = [];
  for (let k = 0; k < speaking; k++) if ((moved[speaker[k] as number] as number) > 1e-4) separates.push(speaker[k] as number);
  separates.sort((a, b) => (moved[b] as number) - (moved[a] as number) || ((model.hypotheses[a] as string) < (model.hypotheses[b] as string) ? -1 : 1));
  return { spent, value: { fact, gain, separates: separates.map((h) => model.hypotheses[h] as string), changesTop, topChangeChance } };
}

/** What rounding may add to a computed gain beyond the exact one: far below NO_GAIN. */
const ROUNDING = 1e-9;

/**
 * An upper bound on the gain valueFact computes for a fact, from the prior and the fact's
 * movers (the first `movers` of `mover`) alone: every other class has
 * the same likelihood for each answer, so the answer tells no more about the cause than about
 * which mover it is or that it is none of them. The mutual information is at most the entropy
 * of that coarser choice, and at most the entropy of the answer (log2 of how many there are);
 * the layers' share is information about a function of the cause, so at most as much again.
 * log2Prior holds log2 of each prior entry.
 */
export function gainBound(prior: Float64Array, log2Prior: Float64Array, mover: Int32Array, movers: number, answers: number): number {
  let moving = 0;
  let choice = 0;
  for (let k = 0; k < movers; k++) {
    const p = prior[mover[k] as number] as number;
    moving += p;
    if (p > 0) choice -= p * (log2Prior[mover[k] as number] as number);
  }
  const rest = 1 - moving;
  if (rest > 0) choice -= rest * Math.log2(rest);
  return (1 + LAYER_WEIGHT) * Math.min(choice, Math.log2(answers)) + ROUNDING;
}

/**
 * The same bound once the answers' likelihoods are known (rows of `width` in lik, their log2s
 * in logLik, column width - 1 the rest's): the mutual information is at most the prior-weighted
 * divergence of each cause's likelihoods from any one distribution over the answers, and
 * measured from the rest's, only the movers' count.
 */
export function divergenceBound(prior: Float64Array, lik: Float64Array, logLik: Float64Array, mover: Int32Array, movers: number, width: number, rows: number): number {
  const rest = width - 1;
  let divergence = 0;
  for (let k = 0; k < movers; k++) {
    const h = mover[k] as number;
    const p = prior[h] as number;
    if (p <= 0) continue;
    let own = 0;
    for (let row = 0; row < rows; row += width) {
      const l = lik[row + h] as number;
      if (l > 0) own += l * ((logLik[row + h] as number) - (logLik[row + rest] as number));
    }
    divergence += p * own;
  }
  return (1 + LAYER_WEIGHT) * divergence + ROUNDING;
}

/** The facts asking may be worth something: those the model weighs or a rule reads, in that order. */
export function valuedFacts(kb: KnowledgeBase): readonly string[] {
  return answerIndex(kb, compiledModel(kb)).valued;
}

/**
 * The value of asking each of `candidates` (facts not yet known) that `mayAsk` (a question's
 * askIf, say), best first (ties by name); facts whose answer cannot move the posterior are left
 * out. `mayAsk` is only consulted for a fact the cheap bound would value. `boundScale`, when
 * given, scales each fact's cheap bound by at most 1 (the interview's chance of an answer per
 * unit of effort), so that the facts valued in full are those the caller would rank first; it is
 * only consulted for a fact whose unscaled bound would value it. Each fact is valued once per
 * assessment (kept in assessment.valuations), so `missing` and the interview's choice on one step
 * share the work.
 */
export function factValues(kb: KnowledgeBase, assessment: Assessment, candidates: Iterable<string>, mayAsk: (fact: string) => boolean, boundScale?: (fact: string) => number): FactValueOfInformation[] {
  const step = (assessment.valuations.step ??= stepValuation(kb, assessment));
  const { boundWeight } = step.index;
  const { known } = step;
  const prior = assessment.differential.posterior;

  // A cheap bound first, read off the KB's static weights: the fact's own table, and what the
  // rules reading it weigh, by the probability of their hypotheses; the facts are valued in full
  // in its order (TEST_BUDGET), on the rules still undecided. Only the first MAX_VALUED of that
  // order can be valued, so only they are kept, in order.
  const shortlist: Array<{ fact: string; bound: number }> = [];
  const precedes = (fact: string, bound: number, b: { fact: string; bound: number }) => bound > b.bound || (bound === b.bound && fact < b.fact);
  for (const fact of candidates) {
    const weights = boundWeight.get(fact);
    if (!weights || known[weights.place] === 1) continue;
    let bound = 0;
    for (let k = 0; k < weights.at.length; k++) bound += (prior[weights.at[k] as number] as number) * (weights.weight[k] as number);
    const last = shortlist[MAX_VALUED - 1];
    if (last && !precedes(fact, bound, last)) continue;
    // Scaled by at most 1: a fact the unscaled bound leaves out stays out, unweighed.
    if (boundScale) {
      bound *= boundScale(fact);
      if (last && !precedes(fact, bound, last)) continue;
    }
    if (!mayAsk(fact)) continue;
    const entry = { fact, bound };
    if (shortlist.length === MAX_VALUED) shortlist.pop();
    let at = shortlist.length;
    while (at > 0 && precedes(fact, bound, shortlist[at - 1] as typeof entry)) at--;
    shortlist.splice(at, 0, entry);
  }

  const out: FactValueOfInformation[] = [];
  let spent = 0;
  for (const [place, { fact }] of shortlist.entries()) {
    if (spent > TEST_BUDGET && place >= MIN_VALUED) break;
    let valuation = assessment.valuations.facts.get(fact);
    if (!valuation) assessment.valuations.facts.set(fact, (valuation = valueFact(step, fact)));
    spent += valuation.spent;
    if (valuation.value) out.push(valuation.value);
  }
  return out.sort((a, b) => b.gain - a.gain || (a.fact < b.fact ? -1 : 1));
}

/** What asking the unknown sides of a comparison is worth (comparisonValues). */
export interface ComparisonValueOfInformation {
  /** The facts to ask, in the comparison's order: both sides, one right after the other, or the one still unknown. */
  asks: readonly string[];
  value: FactValueOfInformation;
}

/**
 * The value of asking what is unknown of each comparison of two numeric facts that no table
 * weighs (see Pair), where `mayAsk` each fact to ask:
 * - neither side known: both, as one question, the mutual information of the cause and the two
 *   answers together (the rules reading either side, with both answers written in);
 * - one side known: the other, with answers on either side of the known value besides its own
 *   representative ones (valueFact's answers come from the thresholds rules compare it with, and
 *   a comparison with a fact has none, so alone it would always land on one side).
 * Best first, ties by the facts' names; each is valued once per assessment
 * (assessment.valuations.comparisons). A KB holds few such comparisons, so all are valued, each
 * on at most RULES_PER_FACT of its open rules; but one whose gain cannot exceed `floor` (by
 * gainBound on the hypotheses its open rules name: a caller that lists the best few knows what
 * it must beat) is left out unvalued, as most are on a step whose leaders they do not concern.
 */
export function comparisonValues(kb: KnowledgeBase, assessment: Assessment, mayAsk: (fact: string) => boolean, floor = 0): ComparisonValueOfInformation[] {
  const step = (assessment.valuations.step ??= stepValuation(kb, assessment));
  const { facts } = assessment;
  const out: ComparisonValueOfInformation[] = [];
  for (const [key, pair] of step.index.pairs) {
    const asks = pair.sides.filter((side) => !(side in facts));
    if (asks.length === 0 || !asks.every(mayAsk)) continue;
    let valuation = assessment.valuations.comparisons.get(key);
    if (!valuation) {
      const options = asks.length === 2 ? pair.answers : answersAround(kb, step.index, asks[0] as string, facts[pair.sides.find((side) => side in facts) as string]);
      if (floor > 0 && comparisonBound(step, asks, options.length) <= floor) continue;
      assessment.valuations.comparisons.set(key, (valuation = valueAnswers(step, asks, options, undefined, undefined)));
    }
    if (valuation.value) out.push({ asks, value: valuation.value });
  }
  return out.sort((a, b) => b.value.gain - a.value.gain || (a.asks.join() < b.asks.join() ? -1 : 1));
}

/**
 * An upper bound on what asking `asks` (facts no table weighs) is worth on the step: gainBound on
 * the hypotheses named by the undecided rules that read them, the only classes their answers move.
 */
function comparisonBound(step: StepValuation, asks: readonly string[], answers: number): number {
  const { evidenceStart } = step.rules;
  const { evidencePosition } = step.index;
  const movers = new Set<number>();
  for (const fact of asks) {
    for (const i of step.rules.reading.get(fact) ?? []) {
      if (statusAt(step.assessment, i) !== 'unknown') continue;
      for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) if ((evidencePosition[e] as number) >= 0) movers.add(evidencePosition[e] as number);
    }
  }
  return gainBound(step.assessment.differential.posterior, step.logPrior, Int32Array.from(movers), movers.size, answers);
}

/** `fact`'s representative answers and the numbers just below, at and above `known`, within its schema's minimum, equally likely. */
function answersAround(kb: KnowledgeBase, index: AnswerIndex, fact: string, known: FactValue | undefined): Answer[] {
  const own = (index.answers.get(fact) ?? []).map(({ values }) => values[0] as number);
  const around = typeof known === 'number' ? [known - 1, known, known + 1] : [];
  const floor = kb.vocabulary.facts.get(fact)?.minimum ?? -Infinity;
  const points = [...new Set([...own, ...around])].filter((v) => v >= floor).sort((a, b) => a - b);
  return points.map((v) => ({ values: [v], share: 1 / points.length }));
}
