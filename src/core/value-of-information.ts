import type { LeafCondition } from '../generated/kb-file.js';
import { combineSameSign, netBelief } from './certainty.js';
import { leavesOf, type Tri } from './conditions.js';
import { compiledModel, ruleLogWeight, type CompiledModel, type FactOutcomes, type ModelledFact } from './differential.js';
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

/**
 * A modelled fact's answers' likelihood under each hypothesis, in rows of n + 1 laid out as
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
  /** Each hypothesis's layer, numbered (by model position); the count of layers. */
  layerOf: Int32Array;
  layerCount: number;
  /**
   * For each fact the model weighs or a rule reads, its cheap bound's weights per hypothesis (by
   * model position): whether its table has an opinion (0 or 1) plus what the rules reading it
   * weigh, the sum of |cf| / (facts the rule reads). With the posterior it bounds what asking it can do.
   */
  boundWeight: Map<string, Float64Array>;
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
  const boundWeight = new Map<string, Float64Array>();
  for (const fact of new Set([...model.facts.keys(), ...ruleWeight.keys()])) {
    const opinion = model.facts.get(fact)?.opinion;
    const rows = ruleWeight.get(fact);
    const weight = new Float64Array(n);
    for (let h = 0; h < n; h++) weight[h] = (opinion?.[h] ?? 0) + (rows?.[h] ?? 0);
    boundWeight.set(fact, weight);
  }
  const outcomes = new Map<string, Int32Array>();
  for (const [fact, modelled] of model.facts) outcomes.set(fact, Int32Array.from(answers.get(fact) ?? [], ({ value }) => modelled.outcomeOf(value)));
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
    scratch: scratchFor(n, layerIds.size, Math.max(0, ...[...answers.values()].map((a) => a.length))),
  };
  answerIndexes.set(kb, built);
  return built;
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
  const width = n + 1;
  const fieldWidth = modelled.outcomes.length;
  const raw = new Float64Array(options.length * width);
  options.forEach(({ share }, v) => {
    const o = outcomes?.[v] ?? -1;
    for (let h = 0; h <= n; h++) raw[v * width + h] = o < 0 ? share : h < n ? (modelled.likelihood[h * fieldWidth + o] as number) : (modelled.background[o] as number);
  });
  const logRaw = raw.map(Math.log2);
  table = { raw, logRaw, likelihood: Float64Array.from(raw), logLikelihood: Float64Array.from(logRaw) };
  for (let h = 0; h <= n; h++) normaliseColumn(table.likelihood, table.logLikelihood, h, width, raw.length);
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
    moved: new Float64Array(n),
    joint: new Float64Array(n + 1),
    byLayer: new Float64Array(layers + 1),
    shift: new Float64Array(mostAnswers * (n + 1)),
    likelihood: new Float64Array(mostAnswers * (n + 1)),
    logLikelihood: new Float64Array(mostAnswers * (n + 1)),
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
 * asking it would look worth bits it cannot give. Answer v's shifts and likelihoods are rows
 * v * (n + 1) .. of `shift` and `likelihood`; only the `touched` hypotheses have a shift. The
 * likelihoods are written as distributions over the answers (with their log2s).
 */
function ruleLikelihoods(options: readonly Answer[], shift: Float64Array, likelihood: Float64Array, logLikelihood: Float64Array, touched: Int32Array, touchedCount: number, n: number): void {
  const width = n + 1;
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
 * uncertainty() of the posterior joint / chance, where joint[h] = prior[h] x likelihood[h] and
 * chance is their sum, from the logs of both: the entropy over the hypotheses is
 * log2 chance - sum joint[h] (log2 prior[h] + log2 likelihood[h]) / chance, which takes no log
 * per hypothesis (the logs are read off tables). Leaves joint normalised (the posterior).
 */
function uncertaintyOfPosterior(joint: Float64Array, chance: number, logPrior: Float64Array, logLikelihood: Float64Array, row: number, layerOf: Int32Array, byLayer: Float64Array): number {
  let weighted = 0;
  for (let h = 0; h < joint.length; h++) {
    const j = joint[h] as number;
    if (j > 0) weighted += j * ((logPrior[h] as number) + (logLikelihood[row + h] as number));
    joint[h] = j / chance;
  }
  return Math.log2(chance) - weighted / chance + LAYER_WEIGHT * layerEntropy(joint, layerOf, byLayer);
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
  /** Each rule's weight now (|cf| x the probability of its hypotheses, per fact it reads), NaN until needed; allocated for the first fact read by more than RULES_PER_FACT undecided rules. */
  weights: Float64Array | null;
  /** The assessment's facts, with the answer being tried written in and removed after (the tests only read it). */
  after: Record<string, FactValue>;
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
  moved: Float64Array;
  joint: Float64Array;
  byLayer: Float64Array;
  /** mostAnswers rows of n + 1: each answer's log shifts, its likelihood under each hypothesis, and that likelihood's log2. */
  shift: Float64Array;
  likelihood: Float64Array;
  logLikelihood: Float64Array;
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
  return {
    kb,
    assessment,
    model,
    index,
    rules: ruleIndex(kb),
    before: uncertainty(prior, index.layerOf, index.scratch.byLayer),
    logPrior: prior.map(Math.log2),
    leader,
    fired,
    weights: null,
    after: { ...assessment.facts },
  };
}

/** Rule i's weight now: |cf| x the probability of its hypotheses, per fact it reads. */
function weightOf(step: StepValuation, i: number): number {
  const weights = (step.weights ??= new Float64Array(step.kb.rules.length).fill(NaN));
  let w = weights[i] as number;
  if (!Number.isNaN(w)) return w;
  const { evidenceStart, evidenceHypothesis, evidenceAbsCf, factStart } = step.rules;
  const prior = step.assessment.differential.posterior;
  const { positionOf } = step.index;
  w = 0;
  for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) w += (evidenceAbsCf[e] as number) * (prior[positionOf[evidenceHypothesis[e] as number] as number] as number);
  return (weights[i] = w / ((factStart[i + 1] as number) - (factStart[i] as number)));
}

/** The weightiest RULES_PER_FACT of the open rules, in kb order. */
function weightiest(step: StepValuation, open: number[]): number[] {
  if (open.length <= RULES_PER_FACT) return open;
  // The weight of the RULES_PER_FACT-th weightiest rule, by a native sort of the weights, then the rules at or above it in kb order.
  const sorted = Float64Array.from(open, (i) => weightOf(step, i)).sort();
  const floor = sorted[sorted.length - RULES_PER_FACT] as number;
  return open.filter((i) => weightOf(step, i) >= floor).slice(0, RULES_PER_FACT);
}

/**
 * What asking `fact` is worth on the step's assessment: for each representative answer, the
 * rules' log shift of every hypothesis and its likelihood under each (the fact's table, or for
 * a fact without one the rules' reading of it, see ruleLikelihoods), then the mutual
 * information of cause and answer.
 */
function valueFact(step: StepValuation, fact: string): FactValuation {
  const { kb, assessment, model, index, fired, after } = step;
  const { lentNow, then, touched, isTouched, was, speaksTo, speaker, moved, joint, byLayer, shift, likelihood, logLikelihood } = index.scratch;
  const { facts, differential } = assessment;
  const { evidenceStart } = step.rules;
  const { evidencePosition, evidenceCf, layerOf } = index;
  const n = model.hypotheses.length;
  const width = n + 1;
  const prior = differential.posterior;
  const modelled = model.facts.get(fact);
  const outcomes = index.outcomes.get(fact);
  const options = index.answers.get(fact) as Answer[];
  const open = (step.rules.reading.get(fact) ?? []).filter((i) => statusAt(assessment, i) === 'unknown');
  if (!modelled && open.length === 0) return { spent: 0, value: null };
  const spent = options.length * Math.min(open.length, RULES_PER_FACT);
  const rules = weightiest(step, open);
  // What the open rules lend now (before the answer), and the log weight that gives each hypothesis they touch.
  let touchedCount = 0;
  const knownBefore = rules.map((i) => {
    let known = 0;
    for (const f of (kb.rules[i] as CompiledRule).facts) if (f in facts) known++;
    return known;
  });
  for (const [k, i] of rules.entries()) {
    const share = (PARTIAL_CREDIT * (knownBefore[k] as number)) / (kb.rules[i] as CompiledRule).facts.length;
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
    was[h] = ruleLogWeight(model, fired.net(h, lentNow));
  }

  const rows = options.length * width;
  shift.fill(0, 0, rows);
  speaksTo.fill(0);
  const fieldWidth = modelled?.outcomes.length ?? 0;
  if (modelled) for (let h = 0; h < n; h++) speaksTo[h] = modelled.opinion[h] as number;
  let changesTop = false;
  for (let v = 0; v < options.length; v++) {
    const o = outcomes ? (outcomes[v] as number) : -1;
    const row = v * width;
    if (touchedCount > 0) {
      after[fact] = (options[v] as Answer).value;
      for (let k = 0; k < rules.length; k++) {
        const i = rules[k] as number;
        const status = (step.rules.tests[i] as (facts: FactMap) => Tri)(after);
        if (status === 'false') continue;
        const lent = status === 'true' ? 1 : (PARTIAL_CREDIT * ((knownBefore[k] as number) + 1)) / (kb.rules[i] as CompiledRule).facts.length;
        for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) {
          const h = evidencePosition[e] as number;
          const cf = evidenceCf[e] as number;
          if (h >= 0 && (status === 'true' || cf > 0)) then.add(h, cf * lent);
        }
      }
      for (let k = 0; k < touchedCount; k++) {
        const h = touched[k] as number;
        const by = ruleLogWeight(model, fired.net(h, then)) - (was[h] as number);
        shift[row + h] = by;
        if (Math.abs(by) > 1e-9) speaksTo[h] = 1;
      }
      then.clear(touched, touchedCount);
    }
    // Whether this answer would put another cause (or "no known cause") first, as the diagnosis
    // would rank it: the full update (table and rules), not the tempered likelihoods above.
    let top = step.leader;
    let best = -Infinity;
    const logRatio = modelled && o >= 0 ? modelled.logRatio : null;
    for (let h = 0; h <= n; h++) {
      const table = logRatio && h < n ? (logRatio[h * fieldWidth + o] as number) : 0;
      const w = (differential.logWeight[h] as number) + table + (shift[row + h] as number);
      if (w > best) {
        best = w;
        top = h;
      }
    }
    if (top !== step.leader) changesTop = true;
  }
  // Likelihoods as distributions over the answers, per hypothesis.
  if (modelled) {
    const table = answerTable(index, n, fact, modelled);
    likelihood.set(table.likelihood);
    logLikelihood.set(table.logLikelihood);
    // A rule the answer decides makes it likelier under the hypotheses it raises.
    for (let k = 0; k < touchedCount; k++) {
      const h = touched[k] as number;
      for (let at = h; at < rows; at += width) {
        likelihood[at] = (table.raw[at] as number) * Math.exp(shift[at] as number);
        logLikelihood[at] = (table.logRaw[at] as number) + (shift[at] as number) * Math.LOG2E;
      }
      normaliseColumn(likelihood, logLikelihood, h, width, rows);
    }
  } else ruleLikelihoods(options, shift, likelihood, logLikelihood, touched, touchedCount, n);
  delete after[fact];
  lentNow.clear(touched, touchedCount);
  for (let k = 0; k < touchedCount; k++) isTouched[touched[k] as number] = 0;
  // The expected uncertainty once answered, each answer weighed by how likely it is now:
  // Bayes over these likelihoods, so the gain is the mutual information of cause and answer.
  // How far each answer moves the hypotheses it speaks to (the only ones `separates` may name).
  let speaking = 0;
  for (let h = 0; h < n; h++) if (speaksTo[h] === 1) speaker[speaking++] = h;
  let expected = 0;
  moved.fill(0);
  for (let row = 0; row < rows; row += width) {
    let chance = 0;
    for (let h = 0; h <= n; h++) chance += joint[h] = (prior[h] as number) * (likelihood[row + h] as number);
    if (chance <= 0) continue;
    expected += chance * uncertaintyOfPosterior(joint, chance, step.logPrior, logLikelihood, row, layerOf, byLayer);
    for (let k = 0; k < speaking; k++) {
      const h = speaker[k] as number;
      moved[h] = (moved[h] as number) + chance * Math.abs((joint[h] as number) - (prior[h] as number));
    }
  }
  const gain = step.before - expected;
  if (gain <= NO_GAIN) return { spent, value: null };
  const separates: number[] = [];
  for (let k = 0; k < speaking; k++) if ((moved[speaker[k] as number] as number) > 1e-4) separates.push(speaker[k] as number);
  separates.sort((a, b) => (moved[b] as number) - (moved[a] as number) || ((model.hypotheses[a] as string) < (model.hypotheses[b] as string) ? -1 : 1));
  return { spent, value: { fact, gain, separates: separates.map((h) => model.hypotheses[h] as string), changesTop } };
}

/** The facts asking may be worth something: those the model weighs or a rule reads, in that order. */
export function valuedFacts(kb: KnowledgeBase): readonly string[] {
  return answerIndex(kb, compiledModel(kb)).valued;
}

/**
 * The value of asking each of `candidates` (facts not yet known) that `mayAsk` (a question's
 * askIf, say), best first (ties by name); facts whose answer cannot move the posterior are left
 * out. `mayAsk` is only consulted for a fact the cheap bound would value. Each fact is valued
 * once per assessment (kept in assessment.valuations), so `missing` and the interview's choice
 * on one step share the work.
 */
export function factValues(kb: KnowledgeBase, assessment: Assessment, candidates: Iterable<string>, mayAsk: (fact: string) => boolean): FactValueOfInformation[] {
  const step = (assessment.valuations.step ??= stepValuation(kb, assessment));
  const { answers, boundWeight } = step.index;
  const { facts } = assessment;
  const prior = assessment.differential.posterior;
  const n = step.model.hypotheses.length;

  // A cheap bound first, read off the KB's static weights: the fact's own table, and what the
  // rules reading it weigh, by the probability of their hypotheses; the facts are valued in full
  // in its order (TEST_BUDGET), on the rules still undecided. Only the first MAX_VALUED of that
  // order can be valued, so only they are kept, in order.
  const shortlist: Array<{ fact: string; bound: number }> = [];
  const before = (a: { fact: string; bound: number }, b: { fact: string; bound: number }) => a.bound > b.bound || (a.bound === b.bound && a.fact < b.fact);
  for (const fact of candidates) {
    if (fact in facts || (answers.get(fact) ?? []).length === 0) continue;
    const weight = boundWeight.get(fact);
    if (!weight) continue;
    let bound = 0;
    for (let h = 0; h < n; h++) bound += (prior[h] as number) * (weight[h] as number);
    const entry = { fact, bound };
    if (shortlist.length === MAX_VALUED && !before(entry, shortlist[MAX_VALUED - 1] as typeof entry)) continue;
    if (!mayAsk(fact)) continue;
    if (shortlist.length === MAX_VALUED) shortlist.pop();
    let at = shortlist.length;
    while (at > 0 && before(entry, shortlist[at - 1] as typeof entry)) at--;
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
