import type { InterviewQuestion, InterviewStep } from '../generated/interview-step.js';
import { combineAll } from './certainty.js';
import { evaluate3, leafFacts, leavesOf, type Tri } from './conditions.js';
import { diagnosisOf, type DiagnoseOptions } from './diagnose.js';
import { assess, ruleIndex, statusAt, type Assessment } from './evaluate.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
import { symptomFit } from './plausibility.js';
import { describeQuestion } from './question.js';
import { DEFAULT_LANG } from './localize.js';
import type { FactMap, FactValue } from './vocabulary.js';

/** What the caller keeps between questions: answered facts and facts the user could not answer. */
export interface InterviewState {
  facts: FactMap;
  unknown: readonly string[];
}

export interface InterviewOptions {
  lang?: string;
  /** Stop when the leader's confidence reaches this ... */
  minConfidence?: number;
  /** ... and it leads the runner-up by at least this much. */
  minMargin?: number;
  /** Notes about the input (facts from artifacts that disagree), passed through to the diagnosis. */
  warnings?: DiagnoseOptions['warnings'];
}

/** One step and its question: the types of schemas/interview-step.schema.json, the API's answer. */
export type { InterviewQuestion, InterviewStep } from '../generated/interview-step.js';
export type DoneReason = NonNullable<InterviewStep['reason']>;

export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** How many of the best next questions may challenge a confident leader before stopping. */
const CHALLENGERS = 1;
export const DEFAULT_MIN_MARGIN = 0.25;
/** How sharply leaning turns into probability: p(h) grows as exp(k * leaning). */
const BELIEF_SHARPNESS = 6;
/** How much likelier an answer is under a hypothesis it would raise: exp(k * shift). */
const ANSWER_SHARPNESS = 3;
/** Share of a supporting rule's cf lent while it waits for its remaining facts, when all but none are missing. */
const PARTIAL_CREDIT = 1;
/**
 * Weight of telling the layers (network, dns, tls, lb, app, system) apart, on top of the
 * hypotheses: like a senior engineer, first find the layer, then the cause within it.
 */
const LAYER_WEIGHT = 1;
/** Of two equally useful questions, ask the one that is cheaper to answer. */
const EFFORT_COST = { low: 1, medium: 1.3, high: 1.8 } as const;
/** Someone who has answered from a namespace (ping, tcp, proc, ...) likely has its other readings at hand. */
const SAME_SOURCE_BONUS = 1.6;
/**
 * Someone who said "don't know" to a source's question and gave nothing from it likely cannot
 * see that source (whoever cannot see the LB's configuration does not know its timeouts either).
 */
const UNSEEN_SOURCE_WEIGHT = 0.5;
/**
 * Free text is taken to be none of the n strings the rules name with chance w / (w + n): a
 * host name is rarely `localhost`, while strace's top syscall usually is one the rules name.
 */
const UNNAMED_TEXT_WEIGHT = 27;

interface Index {
  rulesReading: Map<string, CompiledRule[]>;
  /** The rules giving evidence for or against each hypothesis. */
  rulesFor: Map<string, CompiledRule[]>;
  /** Representative answers per fact, each with the share of cases it stands for. */
  answers: Map<string, Array<{ value: FactValue; weight: number }>>;
  /** Every leaf comparing two facts, with its rule's place in kb.rules. */
  comparisons: Array<{ place: number; sides: [string, string] }>;
}

const indexes = new WeakMap<KnowledgeBase, Index>();

/**
 * Representative answers per fact, from the knowledge base itself: every enum value,
 * true/false, a value on each side of every numeric threshold, and the strings rules name.
 */
function buildIndex(kb: KnowledgeBase): Index {
  const rulesReading = new Map([...ruleIndex(kb).reading].map(([fact, places]) => [fact, places.map((i) => kb.rules[i] as CompiledRule)]));
  const rulesFor = new Map<string, CompiledRule[]>();
  const thresholds = new Map<string, Set<number>>();
  const strings = new Map<string, Set<string>>();
  const add = <T>(map: Map<string, Set<T>>, key: string, value: T) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  const append = (map: Map<string, CompiledRule[]>, key: string, rule: CompiledRule) => {
    const list = map.get(key);
    if (list) list.push(rule);
    else map.set(key, [rule]);
  };
  const comparisons: Index['comparisons'] = [];
  kb.rules.forEach((rule, place) => {
    for (const e of rule.rule.evidence) append(rulesFor, e.hypothesis, rule);
    for (const leaf of leavesOf(rule.rule.conditions, kb.conditions)) {
      const [fact, other] = leafFacts(leaf);
      if (other !== undefined && other !== fact) comparisons.push({ place, sides: [fact as string, other] });
      const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
      for (const v of values) {
        if (typeof v === 'number') add(thresholds, leaf.fact, v);
        else if (typeof v === 'string') add(strings, leaf.fact, v);
      }
    }
  });
  const answers = new Map<string, Array<{ value: FactValue; weight: number }>>();
  const uniform = (values: FactValue[]) => values.map((value) => ({ value, weight: 1 / values.length }));
  for (const spec of kb.vocabulary.facts.values()) {
    if (spec.type === 'enum') answers.set(spec.name, uniform([...(spec.values ?? [])]));
    else if (spec.type === 'boolean') answers.set(spec.name, uniform([true, false]));
    else if (spec.type === 'string') {
      // A free-text fact (a host name, a URL) is usually none of the values rules single out.
      const named = [...(strings.get(spec.name) ?? [])];
      const other = named.length ? UNNAMED_TEXT_WEIGHT / (UNNAMED_TEXT_WEIGHT + named.length) : 1;
      answers.set(spec.name, [{ value: '\u0000other', weight: other }, ...named.map((value) => ({ value, weight: (1 - other) / named.length }))]);
    }
    else {
      const cuts = [...(thresholds.get(spec.name) ?? [])].sort((a, b) => a - b);
      const points = cuts.length === 0 ? [spec.minimum ?? 0] : [cuts[0]! - 1, ...cuts.map((c, i) => (i + 1 < cuts.length ? (c + cuts[i + 1]!) / 2 : c + 1))];
      // Equality tests need the threshold itself; fact-to-fact comparisons are covered by points around others.
      answers.set(spec.name, uniform([...new Set([...points, ...cuts])]));
    }
  }
  return { rulesReading, rulesFor, answers, comparisons };
}

function index(kb: KnowledgeBase): Index {
  let built = indexes.get(kb);
  if (!built) indexes.set(kb, (built = buildIndex(kb)));
  return built;
}

type CfLists = ReadonlyMap<string, readonly number[]>;

/** The interview's view of the step's assessment: which rules fire, which are still undecided, and the cfs given. */
interface RuleSets {
  fired: Set<CompiledRule>;
  undecided: Set<CompiledRule>;
  cfs: CfLists;
}

function ruleSets(kb: KnowledgeBase, assessment: Assessment): RuleSets {
  const { fired, scored } = assessment;
  return {
    fired: new Set(fired.map((f) => f.rule)),
    undecided: new Set(kb.rules.filter((_, i) => statusAt(assessment, i) === 'unknown')),
    cfs: new Map(scored.map((s) => [s.id, s.cfs])),
  };
}

function beliefs(kb: KnowledgeBase, cfs: CfLists): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of kb.hypotheses.keys()) out.set(id, combineAll(cfs.get(id) ?? []).net);
  return out;
}

/** The hypothesis with the highest positive belief (ties by id), if any. */
function leader(belief: Map<string, number>): string | undefined {
  let best: string | undefined;
  let top = 0;
  for (const [id, b] of belief) {
    if (b > top || (b === top && best !== undefined && id < best)) {
      best = id;
      top = b;
    }
  }
  return best;
}

function entropy(probabilities: Iterable<number>): number {
  let h = 0;
  for (const p of probabilities) if (p > 0) h -= p * Math.log2(p);
  return h;
}

/**
 * What a rule lends each hypothesis towards its leaning: its cf once it fires, and for a
 * supporting rule still undecided, a share of its cf for each of its facts already known
 * (and so far consistent with firing), so a half-confirmed conjunction pulls the interview
 * towards its missing facts.
 */
function lent(rule: CompiledRule, facts: FactMap, status: Tri): Array<[string, number]> {
  if (status === 'false') return [];
  if (status === 'true') return rule.rule.evidence.map((e) => [e.hypothesis, e.cf]);
  const known = rule.facts.filter((f) => f in facts).length;
  if (known === 0) return [];
  const share = (PARTIAL_CREDIT * known) / rule.facts.length;
  return rule.rule.evidence.filter((e) => e.cf > 0).map((e) => [e.hypothesis, e.cf * share]);
}

/** What the interview asks next, best first: each askable fact's value and what its answer can do. */
export interface Scored {
  fact: string;
  /** Expected cut in uncertainty per unit of effort (the choice), times the source's weight. */
  score: number;
  /** The hypotheses its answer tells apart. */
  separates: string[];
  /** Whether some answer would put another hypothesis on top. */
  changesTop: boolean;
}

/**
 * The choice of the next question: scores each askable fact by the information its answer is expected to give about the
 * cause (expected drop in entropy), over the hypotheses and over the layers they belong to.
 *
 * The model is read off the rules: a hypothesis is as likely as it fits the symptom and
 * leans (exp(k * leaning), where leaning counts fired and half-confirmed rules), and an
 * answer is likelier under a hypothesis the more it would raise that hypothesis's leaning.
 * Representative answers carry their own prior shares (see buildIndex).
 *
 * Its inputs are the knowledge base, the state (facts and "don't know"s) and the step's
 * assessment; its score is the question's own worth. What the answers so far say about the
 * engineer (sourceWeights), comparisons asked as pairs and the stops are applied after it
 * (planQuestions, nextQuestion), so another scorer with this signature drops in.
 */
export function rankQuestions(kb: KnowledgeBase, state: InterviewState, assessment: Assessment): Scored[] {
  const { rulesReading, rulesFor, answers } = index(kb);
  const { fired, undecided, cfs } = ruleSets(kb, assessment);
  const lentNow = new Map<CompiledRule, Array<[string, number]>>();
  for (const rule of fired) lentNow.set(rule, lent(rule, state.facts, 'true'));
  for (const rule of undecided) lentNow.set(rule, lent(rule, state.facts, 'unknown'));
  const leaning = (id: string, override?: Map<CompiledRule, Array<[string, number]>>) => {
    const list: number[] = [];
    for (const rule of rulesFor.get(id) ?? []) for (const [h, cf] of override?.get(rule) ?? lentNow.get(rule) ?? []) if (h === id) list.push(cf);
    return combineAll(list).net;
  };

  const ids = [...kb.hypotheses.keys()];
  const position = new Map(ids.map((id, i) => [id, i]));
  const layers = ids.map((id) => kb.hypotheses.get(id)?.value.category ?? '');
  const leaningNow = new Map(ids.map((id) => [id, leaning(id)]));
  const weights = ids.map((id) => symptomFit(kb, id, state.facts['symptom.kind']) * Math.exp(BELIEF_SHARPNESS * (leaningNow.get(id) ?? 0)));
  const total = weights.reduce((a, b) => a + b, 0);
  const prior = weights.map((w) => w / total);
  const uncertainty = entropy(prior) + LAYER_WEIGHT * entropy(byLayer(layers, prior).values());

  const base = beliefs(kb, cfs);
  const top = leader(base);
  const skipped = new Set(state.unknown);
  const out: Scored[] = [];
  for (const [fact, { value: question }] of kb.questions) {
    if (fact in state.facts || skipped.has(fact)) continue;
    if (question.askIf && evaluate3(question.askIf, kb.conditions, state.facts) !== 'true') continue;
    const reading = (rulesReading.get(fact) ?? []).filter((r) => undecided.has(r) || fired.has(r));
    if (reading.length === 0) continue;
    const touched = [...new Set(reading.flatMap((r) => r.rule.evidence.map((e) => e.hypothesis)))];
    const values = answers.get(fact) ?? [];
    // likelihood[v][h]: how likely answer v is under hypothesis h (before normalising over v).
    const likelihood = values.map(() => prior.map(() => 1));
    let changesTop = false;
    const separates = new Set<string>();
    values.forEach(({ value, weight: share }, v) => {
      const facts = { ...state.facts, [fact]: value };
      const override = new Map<CompiledRule, Array<[string, number]>>();
      const changed = new Map<string, number[]>();
      for (const rule of reading) {
        const now = evaluate3(rule.rule.conditions, kb.conditions, facts);
        override.set(rule, lent(rule, facts, now));
        if ((now === 'true') === fired.has(rule)) continue;
        for (const e of rule.rule.evidence) {
          const list = changed.get(e.hypothesis) ?? [...(cfs.get(e.hypothesis) ?? [])];
          if (now === 'true') list.push(e.cf);
          else list.splice(list.indexOf(e.cf), 1);
          changed.set(e.hypothesis, list);
        }
      }
      const row = likelihood[v]!;
      row.fill(share);
      for (const id of touched) {
        const shift = leaning(id, override) - (leaningNow.get(id) ?? 0);
        if (Math.abs(shift) > 1e-9) separates.add(id);
        row[position.get(id)!] = share * Math.exp(ANSWER_SHARPNESS * shift);
      }
      if (changed.size === 0) return;
      const after = new Map(base);
      for (const [id, list] of changed) after.set(id, combineAll(list).net);
      if (leader(after) !== top) changesTop = true;
    });
    let expected = 0;
    for (let h = 0; h < ids.length; h++) {
      let sum = 0;
      for (const row of likelihood) sum += row[h]!;
      for (const row of likelihood) row[h] = row[h]! / sum;
    }
    for (const row of likelihood) {
      const joint = row.map((l, h) => l * prior[h]!);
      const chance = joint.reduce((a, b) => a + b, 0);
      if (chance <= 0) continue;
      const posterior = joint.map((x) => x / chance);
      expected += chance * (entropy(posterior) + LAYER_WEIGHT * entropy(byLayer(layers, posterior).values()));
    }
    const score = (uncertainty - expected) / EFFORT_COST[question.effort ?? 'medium'];
    if (score > 1e-9) out.push({ fact, score, separates: [...separates].sort(), changesTop });
  }
  return out.sort((a, b) => b.score - a.score || (a.fact < b.fact ? -1 : 1));
}

const namespaceOf = (fact: string) => fact.slice(0, fact.indexOf('.'));

/**
 * Namespaces whose facts describe the incident's shape and path (symptom.scope, path.via_nat,
 * target.url): each is known or not on its own, so each is its own source.
 */
const SELF_SOURCED = new Set(['symptom', 'path', 'target']);
/** What runs before the program of a question's command: a loop head, a time limit, sudo. */
const COMMAND_PREFIX = /^(?:for [^;]*; do |timeout \d+ |sudo )*/;

/**
 * Where a question's answer is read: its fact's namespace and the program of the command that
 * finds it out ("ping ping", "kernel conntrack", "lb aws"), so that one vantage point's facts
 * share a source (ping's loss and its round trip; the LB's timeouts and its backends' health)
 * while other tools on the same layer do not (ss and conntrack -S for kernel facts).
 */
export function sourceOf(kb: KnowledgeBase, fact: string): string {
  const namespace = namespaceOf(fact);
  const how = kb.questions.get(fact)?.value.how;
  if (SELF_SOURCED.has(namespace) || !how) return fact;
  return `${namespace} ${how.replace(COMMAND_PREFIX, '').split(/\s/, 1)[0]}`;
}

/** The sources the engineer said "don't know" to and gave nothing from. */
export function unseenSources(kb: KnowledgeBase, state: InterviewState): Set<string> {
  const seen = new Set(Object.keys(state.facts).map((fact) => sourceOf(kb, fact)));
  return new Set(state.unknown.map((fact) => sourceOf(kb, fact)).filter((source) => !seen.has(source)));
}

/**
 * How much asking each fact is worth beyond its own value, from the answers so far: more
 * from a namespace the engineer has answered from, less from a source they said they cannot
 * see. A function of the state alone, applied to whatever the choice scores.
 */
export function sourceWeights(kb: KnowledgeBase, state: InterviewState): (fact: string) => number {
  const answered = new Set(Object.keys(state.facts).map(namespaceOf));
  const unseen = unseenSources(kb, state);
  return (fact) => (answered.has(namespaceOf(fact)) ? SAME_SOURCE_BONUS : 1) * (unseen.has(sourceOf(kb, fact)) ? UNSEEN_SOURCE_WEIGHT : 1);
}

/**
 * The halves still to ask of comparisons undecided rules need: a rule comparing two facts
 * (backend.keepalive_timeout_s <= lb.idle_timeout_s) with one side known and the other
 * askable, by the fact to ask, with the known side and the rules' hypotheses.
 */
function pendingComparisonHalves(kb: KnowledgeBase, state: InterviewState, assessment: Assessment): Map<string, { known: string; hypotheses: Set<string> }> {
  const out = new Map<string, { known: string; hypotheses: Set<string> }>();
  const skipped = new Set(state.unknown);
  for (const { place, sides } of index(kb).comparisons) {
    if (statusAt(assessment, place) !== 'unknown') continue;
    for (const [known, ask] of [sides, [sides[1], sides[0]]] as const) {
      if (!(known in state.facts) || ask in state.facts || skipped.has(ask)) continue;
      const askIf = kb.questions.get(ask)?.value.askIf;
      if (!kb.questions.has(ask) || (askIf && evaluate3(askIf, kb.conditions, state.facts) !== 'true')) continue;
      const entry = out.get(ask) ?? { known, hypotheses: new Set<string>() };
      for (const e of (kb.rules[place] as CompiledRule).rule.evidence) entry.hypotheses.add(e.hypothesis);
      out.set(ask, entry);
    }
  }
  return out;
}

/** A question as the interview plans it: scored, and whether it completes a comparison. */
export interface Planned extends Scored {
  /** The known side of the comparison this question completes, asked before anything else; null when none. */
  completes: string | null;
}

/**
 * The choice's ranking as the interview asks it: each question's score times its source's
 * weight (sourceWeights), best first; before everything else, the other side of a comparison
 * whose one side is known, even one the choice gives no value of its own (score 0).
 */
export function planQuestions(kb: KnowledgeBase, state: InterviewState, assessment: Assessment, ranked: readonly Scored[]): Planned[] {
  const weight = sourceWeights(kb, state);
  const pending = pendingComparisonHalves(kb, state, assessment);
  const planned: Planned[] = ranked.map((q) => ({ ...q, score: q.score * weight(q.fact), completes: pending.get(q.fact)?.known ?? null })).filter((q) => q.score > 1e-9 || q.completes !== null);
  for (const [fact, { known, hypotheses }] of pending) {
    if (!planned.some((q) => q.fact === fact)) planned.push({ fact, score: 0, separates: [...hypotheses].sort(), changesTop: false, completes: known });
  }
  return planned.sort((a, b) => Number(b.completes !== null) - Number(a.completes !== null) || b.score - a.score || (a.fact < b.fact ? -1 : 1));
}

function byLayer(layers: readonly string[], probabilities: readonly number[]): Map<string, number> {
  const out = new Map<string, number>();
  probabilities.forEach((p, i) => out.set(layers[i]!, (out.get(layers[i]!) ?? 0) + p));
  return out;
}

/**
 * True when no answers at all could put another hypothesis on top: even if every
 * undecided rule for the runner-ups fired and every undecided rule against the leader
 * fired, the leader would stay ahead.
 */
function topIsSettled({ facts, unknown }: InterviewState, { undecided, cfs }: RuleSets, leaderId: string): boolean {
  const unanswerable = new Set(unknown);
  const best = new Map<string, number[]>();
  const worstForLeader = [...(cfs.get(leaderId) ?? [])];
  for (const rule of undecided) {
    // A rule can still fire only through facts someone may yet answer.
    if (!rule.facts.some((f) => !(f in facts) && !unanswerable.has(f))) continue;
    for (const e of rule.rule.evidence) {
      if (e.hypothesis === leaderId && e.cf < 0) worstForLeader.push(e.cf);
      if (e.hypothesis !== leaderId && e.cf > 0) best.set(e.hypothesis, [...(best.get(e.hypothesis) ?? cfs.get(e.hypothesis) ?? []), e.cf]);
    }
  }
  const floor = combineAll(worstForLeader).net;
  for (const [id, list] of best) if (combineAll(list).net >= floor && id !== leaderId) return false;
  return floor > 0;
}

/**
 * One step of the interview: the diagnosis so far and the question whose answer would
 * move the ranking most, or `done` when the leader is clearly ahead or nothing left to
 * ask could change the top. Stateless: the caller keeps `state`.
 */
export async function nextQuestion(kb: KnowledgeBase, state: InterviewState, options: InterviewOptions = {}): Promise<InterviewStep> {
  const lang = options.lang ?? DEFAULT_LANG;
  const assessment = await assess(kb, state.facts);
  const diagnosis = diagnosisOf(kb, assessment, { lang, ...(options.warnings && { warnings: options.warnings }) });
  const [first, second] = diagnosis.hypotheses;
  const confident =
    first !== undefined &&
    first.confidence >= (options.minConfidence ?? DEFAULT_MIN_CONFIDENCE) &&
    first.confidence - (second?.confidence ?? 0) >= (options.minMargin ?? DEFAULT_MIN_MARGIN);
  if (first && topIsSettled(state, ruleSets(kb, assessment), first.id)) return { done: true, reason: 'settled', question: null, diagnosis };
  const ranked = planQuestions(kb, state, assessment, rankQuestions(kb, state, assessment));
  const [best] = ranked;
  // Clearly ahead, and the best next questions (CHALLENGERS of them) could not displace it.
  const challengers = [...ranked].sort((a, b) => b.score - a.score).slice(0, CHALLENGERS);
  if (confident && !challengers.some((q) => q.changesTop)) return { done: true, reason: 'confident', question: null, diagnosis };
  // Nothing is left the engineer can answer (every question left comes from a source they said
  // they cannot see, or none is left): say which command tells the leaders apart.
  const unseen = unseenSources(kb, state);
  if (first && second && ranked.every((q) => unseen.has(sourceOf(kb, q.fact)))) return { done: true, reason: 'unknowable', question: null, diagnosis, tellApart: tellApart([first, second]) };
  if (!best) return { done: true, reason: 'no_questions', question: null, diagnosis };
  return { done: false, reason: null, question: askQuestion(kb, best, state.facts, lang), diagnosis };
}

/** The leaders and the commands that tell them apart: each one's first check (once when they share it). */
function tellApart(leaders: ReadonlyArray<InterviewStep['diagnosis']['hypotheses'][number]>): NonNullable<InterviewStep['tellApart']> {
  const commands = leaders.flatMap((h) => h.checks.slice(0, 1).map((c) => c.command));
  return { leaders: leaders.map((h) => h.id), commands: [...new Set(commands)] };
}

function askQuestion(kb: KnowledgeBase, scored: Planned, facts: FactMap, lang: string): InterviewQuestion {
  return {
    ...describeQuestion(kb, scored.fact, lang, facts),
    why: { separates: scored.separates, rules: (index(kb).rulesReading.get(scored.fact) ?? []).map((r) => r.id) },
    score: Math.round(scored.score * 10000) / 10000,
  };
}
