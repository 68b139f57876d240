import type { InterviewQuestion, InterviewStep } from '../generated/interview-step.js';
import { combineAll } from './certainty.js';
import { leafFacts, leavesOf } from './conditions.js';
import { diagnosisOf, type DiagnoseOptions } from './diagnose.js';
import { compiledModel, ruleLogWeight } from './differential.js';
import { assess, ruleIndex, statusAt, type Assessment } from './evaluate.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
import { askIfHolds, describeQuestion } from './question.js';
import { DEFAULT_LANG } from './localize.js';
import { factValues } from './value-of-information.js';
import type { FactMap } from './vocabulary.js';

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
const CHALLENGERS = 3;
export const DEFAULT_MIN_MARGIN = 0.25;
/** "A or B; run X" is said when the two leaders hold at least this much of the probability together. */
const TELL_APART_SHARE = 0.5;
/** Of two equally useful questions, ask the one that is cheaper to answer. */
const EFFORT_COST = { low: 1, medium: 1.3, high: 1.8 } as const;
/** Someone who has answered from a namespace (ping, tcp, proc, ...) likely has its other readings at hand. */
const SAME_SOURCE_BONUS = 1.6;
/**
 * Someone who said "don't know" to a source's question and gave nothing from it likely cannot
 * see that source (whoever cannot see the LB's configuration does not know its timeouts either).
 */
const UNSEEN_SOURCE_WEIGHT = 0.5;
interface Index {
  /** Every leaf comparing two facts, with its rule's place in kb.rules. */
  comparisons: Array<{ place: number; sides: [string, string] }>;
}

const indexes = new WeakMap<KnowledgeBase, Index>();

function buildIndex(kb: KnowledgeBase): Index {
  const comparisons: Index['comparisons'] = [];
  kb.rules.forEach((rule, place) => {
    for (const leaf of leavesOf(rule.rule.conditions, kb.conditions)) {
      const [fact, other] = leafFacts(leaf);
      if (other !== undefined && other !== fact) comparisons.push({ place, sides: [fact as string, other] });
    }
  });
  return { comparisons };
}

function index(kb: KnowledgeBase): Index {
  let built = indexes.get(kb);
  if (!built) indexes.set(kb, (built = buildIndex(kb)));
  return built;
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
 * The choice of the next question: each askable fact by the information its answer is
 * expected to give about the cause and its layer (src/core/value-of-information.ts, the model
 * `missing` ranks by too), per unit of effort.
 *
 * Its inputs are the knowledge base, the state (facts and "don't know"s) and the step's
 * assessment; its score is the question's own worth. What the answers so far say about the
 * engineer (sourceWeights), comparisons asked as pairs and the stops are applied after it
 * (planQuestions, nextQuestion).
 */
export function rankQuestions(kb: KnowledgeBase, state: InterviewState, assessment: Assessment): Scored[] {
  const skipped = new Set(state.unknown);
  const unasked: string[] = [];
  for (const fact of kb.questions.keys()) if (!(fact in state.facts) && !skipped.has(fact)) unasked.push(fact);
  return factValues(kb, assessment, unasked, (fact) => askIfHolds(kb, fact, state.facts))
    .map((v) => ({ fact: v.fact, score: v.gain / EFFORT_COST[kb.questions.get(v.fact)?.value.effort ?? 'medium'], separates: [...v.separates].sort(), changesTop: v.changesTop }))
    .filter((q) => q.score > 1e-9)
    .sort((a, b) => b.score - a.score || (a.fact < b.fact ? -1 : 1));
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
      if (!kb.questions.has(ask) || !askIfHolds(kb, ask, state.facts)) continue;
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

/**
 * True when no answers to the questions left, in any combination, could put another
 * hypothesis (or "no known cause") first: even if every fact still askable took the outcome
 * best for each rival and worst for the leader, and every undecided rule for the rivals and
 * against the leader fired, the leader would stay ahead. A bound, so it never stops early.
 */
function leaderIsSettled(kb: KnowledgeBase, state: InterviewState, assessment: Assessment): boolean {
  const model = compiledModel(kb);
  const { differential, scored } = assessment;
  const n = model.hypotheses.length;
  const skipped = new Set(state.unknown);
  const askable = (fact: string) => !(fact in state.facts) && !skipped.has(fact) && kb.questions.has(fact);
  let leader = 0;
  for (let h = 1; h < n; h++) if ((differential.posterior[h] as number) > (differential.posterior[leader] as number)) leader = h;
  const best = Float64Array.from(differential.logWeight);
  const worst = Float64Array.from(differential.logWeight);
  for (const [name, fact] of model.facts) {
    if (!askable(name)) continue;
    const width = fact.outcomes.length;
    for (let h = 0; h < n; h++) {
      let up = 0;
      let down = 0;
      for (let o = 0; o < width; o++) {
        const r = fact.logRatio[h * width + o] as number;
        up = Math.max(up, r);
        down = Math.min(down, r);
      }
      best[h] = (best[h] as number) + up;
      worst[h] = (worst[h] as number) + down;
    }
  }
  const cfs = new Map(scored.map((s) => [s.id, s.cfs]));
  const extra = new Map<string, number[]>();
  kb.rules.forEach((rule, i) => {
    if (statusAt(assessment, i) !== 'unknown' || !rule.facts.some(askable)) return;
    for (const e of rule.rule.evidence) {
      const h = model.position.get(e.hypothesis);
      if (h === undefined || (h === leader ? e.cf > 0 : e.cf < 0)) continue;
      extra.set(e.hypothesis, [...(extra.get(e.hypothesis) ?? []), e.cf]);
    }
  });
  for (const [id, added] of extra) {
    const h = model.position.get(id) as number;
    const now = cfs.get(id) ?? [];
    const moved = ruleLogWeight(model, combineAll([...now, ...added]).net) - ruleLogWeight(model, combineAll(now).net);
    if (h === leader) worst[h] = (worst[h] as number) + moved;
    else best[h] = (best[h] as number) + moved;
  }
  for (let h = 0; h <= n; h++) if (h !== leader && (best[h] as number) >= (worst[leader] as number)) return false;
  return true;
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
  const ranked = planQuestions(kb, state, assessment, rankQuestions(kb, state, assessment));
  const [best] = ranked;
  // Clearly ahead, and the best next questions (CHALLENGERS of them) could not displace it.
  const challengers = [...ranked].sort((a, b) => b.score - a.score).slice(0, CHALLENGERS);
  if (confident && !challengers.some((q) => q.changesTop)) return { done: true, reason: 'confident', question: null, diagnosis };
  // No answers at all, one or many, could put another hypothesis first.
  if (first && leaderIsSettled(kb, state, assessment)) return { done: true, reason: 'settled', question: null, diagnosis };
  // Nothing is left the engineer can answer (every question left comes from a source they said
  // they cannot see, or none is left): say which command tells the leaders apart.
  const unseen = unseenSources(kb, state);
  const leadersStandOut = first !== undefined && second !== undefined && first.confidence + second.confidence >= TELL_APART_SHARE;
  if (first && second && leadersStandOut && ranked.every((q) => unseen.has(sourceOf(kb, q.fact)))) return { done: true, reason: 'unknowable', question: null, diagnosis, tellApart: tellApart([first, second]) };
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
    why: { separates: scored.separates, rules: (ruleIndex(kb).reading.get(scored.fact) ?? []).map((i) => (kb.rules[i] as CompiledRule).id) },
    score: Math.round(scored.score * 10000) / 10000,
  };
}
