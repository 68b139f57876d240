import type { Hypothesis, LikelihoodTable, Model, OutcomeProbabilities } from '../generated/kb-file.js';
import type { Verdict } from '../generated/diagnosis.js';
import type { KnowledgeBase } from './kb.js';
import type { Located } from './kb-place.js';
import type { FactMap, FactSpec, FactValue } from './vocabulary.js';

/**
 * The differential: a posterior over the KB's hypotheses and "no known cause", from any
 * subset of facts. It is the decision-theoretic troubleshooter's model (Heckerman, Breese and
 * Rommelse 1995, "Decision-theoretic troubleshooting", CACM 38(3)): each hypothesis declares
 * P(fact = outcome | cause) for the facts it changes (`likelihoods`), a fact it does not name
 * follows the background P(outcome | some other cause), and unknown facts are left out of the
 * product, so absence is never evidence. "No known cause" is a class like the others: it follows
 * the background too, except on the facts `model.otherCause` names, where causes outside the
 * KB look unlike incidents in general. The rules stay the explainable expert evidence: a
 * hypothesis's combined certainty factor b multiplies its odds by exp(ruleWeight * atanh(b)),
 * so a confirmed conjunction outweighs the cheap facts of a ticket.
 */

/** What a diagnosis concludes (diagnosis.schema.json's verdict). */
export type { Verdict } from '../generated/diagnosis.js';

const MODEL_DEFAULTS = { otherCausePrior: 0.1, ruleWeight: 2, tableWeight: 1, priorWeight: 1, temperature: 1, confidentAt: 0.6, vainCheckCost: 1 / 3 } as const;
/** The causes a differential puts before the reader: the corpus judges an answer at top 3. */
const SHORTLIST = 3;

/** No outcome is impossible under a cause: real reports are noisy (a 0 would veto the cause outright). */
export const OUTCOME_FLOOR = 0.01;
/** The share a hypothesis's `symptoms` hold of symptom.kind when it has no table for it. */
const SYMPTOMS_SHARE = 0.9;
/** Belief is clamped short of +-1 so atanh stays finite: certain rules are very strong, not infinite, evidence. */
const BELIEF_CLAMP = 0.995;

/** How the values of one fact fall into outcomes. */
export interface FactOutcomes {
  outcomes: readonly string[];
  /** The outcome's index for a value, or -1 when the value falls in none (then the fact is not weighed). */
  outcomeOf(value: FactValue): number;
  /** For numeric bins: each outcome's closed range [min, max], in order (a value falls in the first that holds it). */
  ranges?: ReadonlyArray<readonly [number, number]>;
}

/**
 * One modelled fact: its outcomes and, per hypothesis, log P(outcome | h) - log P(outcome |
 * background). Row n (n = the KB's hypotheses) is "no known cause": the model's otherCause row
 * for the fact, or the background.
 */
export interface ModelledFact extends FactOutcomes {
  readonly name: string;
  /** P(outcome | some other cause), by outcome: the row of every class without an opinion on the fact. */
  readonly background: Float64Array;
  /** P(outcome | hypothesis h): row h (kb order) of outcomes.length entries, then "no known cause"'s. */
  readonly likelihood: Float64Array;
  /** log of likelihood / background times the model's tableWeight, same layout. */
  readonly logRatio: Float64Array;
  /** Which classes have their own opinion on the fact (a table, or symptoms for symptom.kind; entry n: an otherCause row). */
  readonly opinion: Uint8Array;
  /** The same classes listed, in order: only their log ratios are not 0. */
  readonly opinionated: Int32Array;
}

export interface CompiledModel {
  /** Hypothesis ids in kb order; index hypotheses.length stands for "no known cause". */
  hypotheses: readonly string[];
  position: ReadonlyMap<string, number>;
  /** log prior of each hypothesis, then of "no known cause". */
  logPrior: Float64Array;
  facts: ReadonlyMap<string, ModelledFact>;
  /** How much a table's log ratio counts (already in each fact's logRatio). */
  tableWeight: number;
  ruleWeight: number;
  temperature: number;
  confidentAt: number;
  /** The cost of checking one shortlisted cause in vain, as a share of missing the cause (verdictOf). */
  vainCheckCost: number;
}

/** How a fact's values fall into outcomes, or undefined when the model cannot weigh it (free text, numbers without bins). */
export function outcomesOf(spec: FactSpec, bins: Model['outcomes']): FactOutcomes | undefined {
  if (spec.type === 'enum' && spec.values) {
    const values = spec.values;
    return { outcomes: values, outcomeOf: (value) => values.indexOf(String(value)) };
  }
  if (spec.type === 'boolean') return { outcomes: ['true', 'false'], outcomeOf: (value) => (value === true ? 0 : value === false ? 1 : -1) };
  const named = bins?.[spec.name];
  if ((spec.type === 'integer' || spec.type === 'number') && named) {
    const entries = Object.entries(named);
    const ranges = entries.map(([, [min, max]]) => [min as number, max as number] as const);
    return {
      outcomes: entries.map(([key]) => key),
      outcomeOf: (value) => (typeof value === 'number' ? ranges.findIndex(([min, max]) => value >= min && value <= max) : -1),
      ranges,
    };
  }
  return undefined;
}

/**
 * A full distribution from a table that lists some outcomes: the listed ones keep their
 * probability, the rest share what is left evenly, and every outcome gets at least the floor.
 */
export function distribution(outcomes: readonly string[], table: OutcomeProbabilities | undefined): Float64Array {
  const out = new Float64Array(outcomes.length);
  if (!table) return out.fill(1 / outcomes.length);
  // Index loops, not forEach: a CLI run builds a few hundred of these once, as yet uncompiled
  // code, where a callback per outcome costs more than the arithmetic.
  let listed = 0;
  let unlisted = 0;
  for (let i = 0; i < outcomes.length; i++) {
    const p = table[outcomes[i] as string];
    if (p === undefined) unlisted++;
    else {
      out[i] = p;
      listed += p;
    }
  }
  const rest = Math.max(0, 1 - listed);
  for (let i = 0; i < outcomes.length; i++) if (table[outcomes[i] as string] === undefined) out[i] = rest / unlisted;
  let total = 0;
  for (let i = 0; i < out.length; i++) total += out[i] = Math.max(out[i] as number, OUTCOME_FLOOR);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

/** The table a hypothesis effectively has: its own, with symptom.kind read off `symptoms` when it has no table for it. */
function tableOf(hypothesis: Hypothesis): LikelihoodTable {
  const own = hypothesis.likelihoods ?? {};
  if (own['symptom.kind'] || !hypothesis.symptoms?.length) return own;
  const share = SYMPTOMS_SHARE / hypothesis.symptoms.length;
  return { ...own, 'symptom.kind': Object.fromEntries(hypothesis.symptoms.map((s) => [s, share])) };
}

const compiledModels = new WeakMap<KnowledgeBase, CompiledModel>();

/**
 * One modelled fact. Its rows (background, likelihoods, log ratios) are computed when first
 * read: a diagnosis reads those of the facts it knows and of the few it values, and building
 * every fact's was a large part of a CLI run's first diagnosis.
 */
function modelledFact(name: string, shape: FactOutcomes, tables: readonly LikelihoodTable[], section: Model, tableWeight: number): ModelledFact {
  let rows: Pick<ModelledFact, 'background' | 'likelihood' | 'logRatio'> | undefined;
  const built = () => (rows ??= factRows(shape.outcomes, tables.map((table) => table[name]), section.background?.[name], tableWeight));
  const opinion = Uint8Array.from(tables, (table) => (table[name] ? 1 : 0));
  return {
    name,
    ...shape,
    opinion,
    opinionated: Int32Array.from(opinion.keys()).filter((h) => opinion[h] === 1),
    get background() {
      return built().background;
    },
    get likelihood() {
      return built().likelihood;
    },
    get logRatio() {
      return built().logRatio;
    },
  };
}

/** A fact's rows: the background, then each class's likelihoods (its own table, or the background) and their log ratios. */
function factRows(outcomes: readonly string[], own: ReadonlyArray<OutcomeProbabilities | undefined>, backgroundTable: OutcomeProbabilities | undefined, tableWeight: number): Pick<ModelledFact, 'background' | 'likelihood' | 'logRatio'> {
  const width = outcomes.length;
  const background = distribution(outcomes, backgroundTable);
  const likelihood = new Float64Array(own.length * width);
  const logRatio = new Float64Array(own.length * width);
  for (let h = 0; h < own.length; h++) {
    const table = own[h];
    // Most classes have no opinion on a fact: their row is the background, their log ratio
    // the array's 0 (log 1); computed cell by cell, that was most of the model's first build.
    if (!table) {
      likelihood.set(background, h * width);
      continue;
    }
    const row = distribution(outcomes, table);
    for (let o = 0; o < width; o++) {
      likelihood[h * width + o] = row[o] as number;
      logRatio[h * width + o] = tableWeight * Math.log((row[o] as number) / (background[o] as number));
    }
  }
  return { background, likelihood, logRatio };
}

/** The model of a knowledge base in numbers, built once per KB (each fact's rows when first read). */
export function compiledModel(kb: KnowledgeBase): CompiledModel {
  let model = compiledModels.get(kb);
  if (model) return model;
  const section = kb.model ?? {};
  const ids = [...kb.hypotheses.keys()];
  // One table per class: the hypotheses' in kb order, then "no known cause"'s.
  const tables = [...ids.map((id) => tableOf((kb.hypotheses.get(id) as Located<Hypothesis>).value)), section.otherCause ?? {}];
  const names = new Set([...Object.keys(section.background ?? {}), ...tables.flatMap((t) => Object.keys(t))]);
  const tableWeight = section.tableWeight ?? MODEL_DEFAULTS.tableWeight;
  const facts = new Map<string, ModelledFact>();
  for (const name of names) {
    const spec = kb.vocabulary.facts.get(name);
    const shape = spec && outcomesOf(spec, section.outcomes);
    if (shape) facts.set(name, modelledFact(name, shape, tables, section, tableWeight));
  }
  const other = section.otherCausePrior ?? MODEL_DEFAULTS.otherCausePrior;
  const priorWeight = section.priorWeight ?? MODEL_DEFAULTS.priorWeight;
  const priors = ids.map((id) => (kb.hypotheses.get(id)?.value.prior ?? 1) ** priorWeight);
  const total = priors.reduce((a, b) => a + b, 0);
  const temperature = section.temperature ?? MODEL_DEFAULTS.temperature;
  // The temperature tempers the evidence, not the prior (a power likelihood: posterior
  // proportional to prior x likelihood^(1/T)), so the log prior is scaled by T here and the
  // whole log weight divided by T when normalised. Tempering the prior too would inflate the one
  // "no known cause" against the many known causes: at T = 0.6 it held 0.58 with no facts at all.
  const logPrior = Float64Array.from([...priors.map((p) => temperature * Math.log(((1 - other) * p) / total)), temperature * Math.log(other)]);
  model = {
    hypotheses: ids,
    position: new Map(ids.map((id, i) => [id, i])),
    logPrior,
    facts,
    tableWeight,
    ruleWeight: section.ruleWeight ?? MODEL_DEFAULTS.ruleWeight,
    temperature,
    confidentAt: section.confidentAt ?? MODEL_DEFAULTS.confidentAt,
    vainCheckCost: section.vainCheckCost ?? MODEL_DEFAULTS.vainCheckCost,
  };
  compiledModels.set(kb, model);
  return model;
}

/** How much a combined rule belief moves a hypothesis's log odds. */
export function ruleLogWeight(model: CompiledModel, belief: number): number {
  const b = Math.max(-BELIEF_CLAMP, Math.min(BELIEF_CLAMP, belief));
  return model.ruleWeight * Math.atanh(b);
}

/** The posterior of one step: by hypothesis (kb order), then "no known cause" at the end. */
export interface Differential {
  /** Posterior probabilities: entry i for model.hypotheses[i], the last for "no known cause". */
  posterior: Float64Array;
  /**
   * Unnormalised log weights, same layout: the log prior times the temperature plus the
   * evidence, so that normalising (which divides by the temperature) tempers the evidence only.
   */
  logWeight: Float64Array;
  /** The probability that the cause is none of the hypotheses. */
  otherCause: number;
  verdict: Verdict;
}

/**
 * Normalises log weights into probabilities at a temperature (max-shifted, so no weight
 * underflows to 0 together). Dividing by it keeps the order of these weights; the prior in them
 * was multiplied by it beforehand (compiledModel), so only the evidence is tempered.
 */
function normalise(logWeight: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logWeight.length; i++) if ((logWeight[i] as number) > max) max = logWeight[i] as number;
  const out = new Float64Array(logWeight.length);
  let total = 0;
  for (let i = 0; i < out.length; i++) total += out[i] = Math.exp(((logWeight[i] as number) - max) / temperature);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

/** What the fired rules say about one hypothesis: their combined belief, and the facts they read. */
export interface RuleVerdict {
  belief: number;
  facts: ReadonlySet<string>;
}

/**
 * The posterior given the known facts and, for each hypothesis a fired rule names, the rules'
 * combined belief. A fact a fired rule about a hypothesis reads counts for that hypothesis once,
 * through the rule: the rule is the expert's reading of what the fact means for it, and its table
 * would count the same fact again.
 */
export function differentialOf(kb: KnowledgeBase, facts: FactMap, rules: ReadonlyMap<string, RuleVerdict>): Differential {
  const model = compiledModel(kb);
  const n = model.hypotheses.length;
  const logWeight = model.logPrior.slice();
  // For each fact, the hypotheses whose fired rules read it (a handful).
  const readers = new Map<string, number[]>();
  for (const [id, { facts: read }] of rules) {
    const h = model.position.get(id);
    if (h === undefined) continue;
    for (const name of read) {
      const list = readers.get(name);
      if (list) list.push(h);
      else readers.set(name, [h]);
    }
  }
  // Whether anything known moves a cause from its prior: a fired rule, or a fact some table has
  // an opinion on. What the ticket is about (target.*: its URL, host, protocol) is not what is
  // wrong, so it weighs (an https target makes TLS causes likelier) but is no evidence by itself.
  let weighed = rules.size > 0;
  for (const name in facts) {
    const fact = model.facts.get(name);
    if (!fact) continue;
    const o = fact.outcomeOf(facts[name] as FactValue);
    if (o < 0) continue;
    const width = fact.outcomes.length;
    const readBy = readers.get(name);
    // The rows are a getter: read once per fact, not once per hypothesis.
    const { logRatio, opinionated } = fact;
    if (opinionated.length > 0 && !name.startsWith('target.')) weighed = true;
    // A class without an opinion has a log ratio of 0: adding it would change nothing. "No known
    // cause" (entry n) is among them when the model's otherCause row names the fact.
    for (let k = 0; k < opinionated.length; k++) {
      const h = opinionated[k] as number;
      if (!readBy?.includes(h)) logWeight[h] = (logWeight[h] as number) + (logRatio[h * width + o] as number);
    }
  }
  for (const [id, { belief }] of rules) {
    const h = model.position.get(id);
    if (h !== undefined) logWeight[h] = (logWeight[h] as number) + ruleLogWeight(model, belief);
  }
  const posterior = normalise(logWeight, model.temperature);
  return { posterior, logWeight, otherCause: posterior[n] as number, verdict: weighed ? verdictOf(model, posterior) : 'no_evidence' };
}

/**
 * The verdict on facts that weigh something (with none, the posterior is the prior, which says
 * nothing of this incident: the verdict is no_evidence, not a judgement the prior would make).
 * The verdict is an action the reader (or a ticketing system) takes, chosen by its expected loss.
 * "No known cause" sends the reader away from the KB's causes: if one of them is the cause, the
 * loss is the incident's (1). A differential sends the reader through its shortlist (the top
 * SHORTLIST known causes, what the corpus judges at top 3): if the cause is outside the KB, the
 * loss is those checks made in vain (vainCheckCost each, as a share of the incident's loss); if it
 * is a known cause off the shortlist, the reader misses it either way. So "no known cause" wins
 * when P(shortlist) < SHORTLIST x vainCheckCost x P(other), and is said only when it is also
 * likelier than not (the schema's meaning of the verdict). At vainCheckCost 1/3 (the default)
 * the first condition follows from the second.
 */
function verdictOf(model: CompiledModel, posterior: Float64Array): Verdict {
  const n = model.hypotheses.length;
  const other = posterior[n] as number;
  const shortlist = new Float64Array(SHORTLIST);
  for (let h = 0; h < n; h++) {
    const p = posterior[h] as number;
    if (p <= (shortlist[SHORTLIST - 1] as number)) continue;
    let at = SHORTLIST - 1;
    for (; at > 0 && p > (shortlist[at - 1] as number); at--) shortlist[at] = shortlist[at - 1] as number;
    shortlist[at] = p;
  }
  let listed = 0;
  for (let i = 0; i < SHORTLIST; i++) listed += shortlist[i] as number;
  if (other >= 0.5 && listed < SHORTLIST * model.vainCheckCost * other) return 'no_known_cause';
  return (shortlist[0] as number) >= model.confidentAt ? 'confident' : 'differential';
}

/** One known fact as a class's likelihood table weighs it: how much likelier its value is under the class than in incidents in general. */
export interface TableFactor {
  fact: string;
  value: FactValue;
  /** The outcome the value falls in (a bin of a number, the value itself otherwise). */
  outcome: string;
  /** P(outcome | this class) / P(outcome | some other cause). */
  ratio: number;
}

/**
 * A table's factor is worth naming from here (or its inverse): a fact half again as likely under
 * a cause moves its odds visibly; smaller ones are the noise of a table written in round numbers.
 */
const NAMED_RATIO = 1.5;

/** How many times as likely an outcome is under class h as in incidents in general: its row over the background. */
export function outcomeRatio(fact: ModelledFact, h: number, outcome: number): number {
  return (fact.likelihood[h * fact.outcomes.length + outcome] as number) / (fact.background[outcome] as number);
}

/** A ratio as reports and curators read it: two decimals. */
export const roundRatio = (ratio: number): number => Math.round(ratio * 100) / 100;

/** The known facts a table can weigh, each with the outcome its value falls in: read once per diagnosis. */
export interface KnownOutcome {
  name: string;
  value: FactValue;
  fact: ModelledFact;
  outcome: number;
}

export function knownOutcomes(model: CompiledModel, facts: FactMap): KnownOutcome[] {
  const known: KnownOutcome[] = [];
  for (const name in facts) {
    const fact = model.facts.get(name);
    if (!fact) continue;
    const value = facts[name] as FactValue;
    const outcome = fact.outcomeOf(value);
    if (outcome >= 0) known.push({ name, value, fact, outcome });
  }
  return known;
}

/**
 * Why the differential weighs a class as it does, beside the rules: the known facts its table
 * makes likelier or less likely than the background, strongest first, at most `limit`. Position
 * n is "no known cause". A fact a fired rule about the class reads is left out, as the
 * differential leaves it out (the rule is its reading; the diagnosis lists it as evidence).
 */
export function tableFactors(known: readonly KnownOutcome[], h: number, ruleRead: ReadonlySet<string>, limit: number): TableFactor[] {
  const out: TableFactor[] = [];
  for (const { name, value, fact, outcome } of known) {
    if (!fact.opinion[h] || ruleRead.has(name)) continue;
    const ratio = outcomeRatio(fact, h, outcome);
    if (ratio >= NAMED_RATIO || ratio <= 1 / NAMED_RATIO) out.push({ fact: name, value, outcome: fact.outcomes[outcome] as string, ratio: roundRatio(ratio) });
  }
  return out.sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)) || (a.fact < b.fact ? -1 : 1)).slice(0, limit);
}

const entropy = (p: readonly number[]): number => p.reduce((h, x) => (x > 0 ? h - x * Math.log2(x) : h), 0);

/**
 * How much the answer to a fact is expected to tell which of a few leaders is the cause (bits),
 * by their likelihood tables: the mutual information between the fact and the leaders, weighted
 * by their probability now. 0 for a fact no table weighs (a number without bins, free text).
 * What "run X to tell A and B apart" needs: a fact that moves every cause alike (how the
 * reporter sees the failure) says little about which of the leaders it is.
 */
export function leaderInformation(model: CompiledModel, posterior: ArrayLike<number>, leaders: readonly number[], fact: string): number {
  const modelled = model.facts.get(fact);
  if (!modelled || leaders.length < 2) return 0;
  const width = modelled.outcomes.length;
  const { likelihood } = modelled;
  const total = leaders.reduce((sum, h) => sum + (posterior[h] as number), 0);
  if (total <= 0) return 0;
  const weights = leaders.map((h) => (posterior[h] as number) / total);
  let expected = 0;
  for (let o = 0; o < width; o++) {
    const joint = leaders.map((h, i) => (weights[i] as number) * (likelihood[h * width + o] as number));
    const chance = joint.reduce((a, b) => a + b, 0);
    if (chance > 0) expected += chance * entropy(joint.map((j) => j / chance));
  }
  return entropy(weights) - expected;
}
