import type { InterviewQuestion, InterviewStep } from '../generated/interview-step.js';
import { combineAll } from './certainty.js';
import { leafFacts, leavesOf } from './conditions.js';
import { isProxyFact, isTicketFact } from './facts.js';
import { diagnosisOf, type DiagnoseOptions } from './diagnose.js';
import { compiledModel, leaderInformation, ruleLogWeight } from './differential.js';
import { assess, isSurfaceEvidence, ruleIndex, statusAt, type Assessment } from './evaluate.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
import { askIfHolds, describeQuestion } from './question.js';
import { DEFAULT_LANG } from './localize.js';
import { pasteOf, type PasteKinds } from './paste.js';
import { askedAsPair, comparisonValues, factValues, type FactValueOfInformation } from './value-of-information.js';
import { commandKey, questionCommand } from './variants.js';
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
  /** Stop when no question's expected worth (bits x chance of an answer / effort) reaches this ... */
  minWorth?: number;
  /** ... or when the engineer's answer rate (answerRate) falls below this while two or three leaders hold half the probability. */
  minAnswerRate?: number;
  /** A confident leader is challenged only while the engineer's answer rate is at least this (DEFAULT_MIN_CHALLENGE_RATE). */
  minChallengeRate?: number;
  /**
   * ... and, when given, when besides no question's chance of being answered with an answer that
   * puts another cause first (Planned.movesTop, the value of asking in the currency of the
   * decision) reaches this: a question that could change the leader is then asked only while one
   * is likely enough to. Without it, any such question stays worth asking.
   */
  minTopChange?: number;
  /** Notes about the input (facts from artifacts that disagree), passed through to the diagnosis. */
  warnings?: DiagnoseOptions['warnings'];
  /**
   * The `rca parse` kinds that carry a fact: when given, a question whose command's output one
   * of them parses is worth the information of every fact that output carries (rankQuestions);
   * without it, each question is worth its own fact's alone.
   */
  pasteKinds?: PasteKinds;
  /**
   * The chance that the engineer can answer each question, in place of the one their answers so
   * far give (answerChances): a replay that knows which questions its write-up answers (`rca kb
   * eval --mode interview --oracle`) gives those 1 and the rest 0, so the interview asks only
   * what it will be told, in its own order.
   */
  answerChance?: AnswerChance;
  /**
   * The engineer's question limit is reached: no question is chosen, and unless the leader is
   * clearly ahead or settled, the step ends there naming the leaders and the commands that tell
   * them apart, as an interview that stops undecided does (reason `limit`).
   */
  atLimit?: boolean;
}

/** One step and its question: the types of schemas/interview-step.schema.json, the API's answer. */
export type { InterviewQuestion, InterviewStep } from '../generated/interview-step.js';
export type DoneReason = NonNullable<InterviewStep['reason']>;

export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** How many of the best next questions may challenge a confident leader before stopping. */
const CHALLENGERS = 3;
/**
 * A confident leader is challenged (asked on while a question could still put another cause
 * first, or while it is a mechanism the proxy reports and the cause behind it is unknown) only
 * while the engineer's answer rate is at least this: two "don't know"s with no reading take it
 * under (answerRate's prior). The challenge guards against a leader the facts an engineer can
 * still give would overturn; one who cannot answer seldom gives them, and is better told the
 * leader and the check that confirms it. Chosen on the tuning part of the corpus
 * (docs/knowledge-base.md, "When the interview stops" and "What a proxy's log line is worth").
 */
export const DEFAULT_MIN_CHALLENGE_RATE = 0.32;
export const DEFAULT_MIN_MARGIN = 0.25;
/**
 * "A or B; run X" names a third cause when the two leaders hold less than this much of the
 * probability together; with nothing left to ask, it is said only when they hold this much.
 */
const TELL_APART_SHARE = 0.5;
/**
 * A stop names a cause beside the leader only when it holds at least this share of the leader's
 * probability: a runner-up an order of magnitude behind is no rival ("A or B" for 80% against 2%
 * would send the engineer after B), so the leader is named alone, with the check that confirms it.
 */
const CONTENDER_SHARE = 0.1;
/** Of two equally useful questions, ask the one that is cheaper to answer. */
const EFFORT_COST = { low: 1, medium: 1.3, high: 1.8 } as const;
/**
 * The engineer's answer rate before any answer (a Beta prior of ENGINEER_PRIOR_ANSWERS answers
 * at FIRST_ANSWER_RATE): weak, so that a run of "don't know"s brings it down (six in a row from
 * the start take it under DEFAULT_MIN_ANSWER_RATE; three, as with a prior of 2, gave up on
 * findings that the questions' answer chances put a few questions later).
 */
const FIRST_ANSWER_RATE = 0.5;
const ENGINEER_PRIOR_ANSWERS = 3.5;
/**
 * A question's prior chance of an answer when its entry gives no `answerChance`: an on-call
 * engineer has the answer to a question that takes a command or access less often than to one
 * they can read off what is in front of them (FIRST_ANSWER_RATE x 1, 0.8 and 0.5).
 */
const EFFORT_ANSWER_CHANCE = { low: 0.5, medium: 0.4, high: 0.25 } as const;
/**
 * How many answers a question's prior chance (priorAnswerChance) counts as against the
 * engineer's own readings and "don't know"s (a Beta prior's strength): an engineer who answers
 * everything soon gets every question's chance near 1 whatever its tier, one who answers
 * nothing near 0, while the tiers still order the first questions. Chosen on the tuning part of
 * the corpus (docs/knowledge-base.md, "How much the prior counts against the engineer's own answers").
 */
const QUESTION_PRIOR_ANSWERS = 8;
/**
 * How many answers the chance from all the engineer's answers counts as against their answers
 * from the question's own source (a Beta prior's strength): a "don't know" to the LB's
 * configuration halves the chance of its other settings (someone who cannot see it does not know
 * its timeouts either); an answer raises it.
 */
const SOURCE_PRIOR_ANSWERS = 1;
/**
 * Stop asking when even the best question's expected worth (its information in bits times the
 * chance of an answer, per unit of effort) is below this, or when the engineer's answer rate
 * has fallen below DEFAULT_MIN_ANSWER_RATE while a short list of leaders holds TELL_APART_SHARE
 * of the probability: each question costs the engineer's time, and a ranked
 * differential with the commands that separate it is an answer too. Both chosen on the tuning
 * part of the corpus (docs/knowledge-base.md, "When the interview stops").
 */
export const DEFAULT_MIN_WORTH = 0.01;
export const DEFAULT_MIN_ANSWER_RATE = 0.2;
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
      // Only the comparisons asked as pairs: a side a table weighs (http.status against
      // http.direct_status) is worth asking alone, so its other side competes on its own worth
      // rather than jumping the queue because the ticket gave the status.
      if (other !== undefined && other !== fact && askedAsPair(kb, fact as string, other)) comparisons.push({ place, sides: [fact as string, other] });
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
  /** How likely its answer is to put another hypothesis on top (FactValueOfInformation.topChangeChance). */
  topChangeChance: number;
  /** The other side of the comparison it is worth asking with (comparisonValues), asked right after it; absent when it is worth asking alone. */
  pairedWith?: string;
}

/**
 * The choice of the next question: each askable fact by the information its answer is
 * expected to give about the cause and its layer (src/core/value-of-information.ts, the model
 * `missing` ranks by too), per unit of effort.
 *
 * Its inputs are the knowledge base, the state (facts and "don't know"s) and the step's
 * assessment; its score is the question's own worth, or with `pasteKinds` the worth of what its
 * command's output carries (pasteGains). What the answers so far say about the
 * engineer (answerChances), comparisons asked as pairs and the stops are applied after it
 * (planQuestions, nextQuestion).
 */
export function rankQuestions(kb: KnowledgeBase, state: InterviewState, assessment: Assessment, chanceOf: AnswerChance = answerChances(kb, state), pasteKinds?: PasteKinds): Scored[] {
  const unasked = [...kb.questions.keys()].filter(stillOpen(kb, state));
  // The few facts valued in full are those whose worth per effort, times the chance of an answer, is likeliest to come first.
  const values = factValues(kb, assessment, unasked, (fact) => askIfHolds(kb, fact, state.facts), (fact) => chanceOf(fact) / EFFORT_COST[effortOf(kb, fact)]);
  const gainOf = pasteKinds ? pasteGains(kb, values, pasteKinds, state.facts) : (v: FactValueOfInformation) => v.gain;
  const scored: Scored[] = values.map((v) => scoredAs(kb, v.fact, v, gainOf(v)));
  for (const pair of comparisonsWorthAsking(kb, assessment, chanceOf, askableNow(kb, state))) {
    const alone = scored.findIndex((q) => q.fact === pair.fact);
    if (alone < 0) scored.push(pair);
    else if ((scored[alone] as Scored).score < pair.score) scored[alone] = pair;
  }
  return scored.filter((q) => q.score > 1e-9).sort((a, b) => b.score - a.score || (a.fact < b.fact ? -1 : 1));
}

/**
 * The comparisons worth asking (comparisonValues): the side left of one whose other side is
 * known, by what it decides; both sides of one neither side of which is known
 * (backend.keepalive_timeout_s <= lb.idle_timeout_s), as its first question: the side the
 * engineer is less likely to answer, since a "don't know" to it spares asking the other (planQuestions asks
 * the other right after an answer). Its score is the pair's information times the chance that
 * the other side is answered too, per unit of the effort expected: the first side's, and the
 * other's when the first is answered (planQuestions multiplies in the first side's own chance),
 * so it competes with single questions on expected worth per expected effort.
 */
function comparisonsWorthAsking(kb: KnowledgeBase, assessment: Assessment, chanceOf: AnswerChance, mayAsk: (fact: string) => boolean): Scored[] {
  return comparisonValues(kb, assessment, mayAsk).map(({ asks, value }) => {
    const [one, two] = asks as [string, string | undefined];
    if (two === undefined) return scoredAs(kb, one, value, value.gain);
    const [first, second] = chanceOf(two) < chanceOf(one) ? [two, one] : [one, two];
    const other = chanceOf(second);
    return {
      fact: first,
      score: (value.gain * other) / (EFFORT_COST[effortOf(kb, first)] + chanceOf(first) * EFFORT_COST[effortOf(kb, second)]),
      separates: [...value.separates].sort(),
      changesTop: value.changesTop,
      topChangeChance: value.topChangeChance * other,
      pairedWith: second,
    };
  });
}

/** A valued question as the choice ranks it: `gain` (its information, or what its paste or pair carries) per unit of `fact`'s effort. */
function scoredAs(kb: KnowledgeBase, fact: string, value: FactValueOfInformation, gain: number): Scored {
  return { fact, score: gain / EFFORT_COST[effortOf(kb, fact)], separates: [...value.separates].sort(), changesTop: value.changesTop, topChangeChance: value.topChangeChance };
}

/**
 * Whether a fact is still open to a question: neither known nor answered "don't know", nor found
 * out by a command the engineer already said "don't know" to. Two questions that run the same
 * command (TIME-WAIT and CLOSE-WAIT from one count of sockets by state, the OOM kills and the
 * conntrack drops from one grep of dmesg) are one question to someone who cannot run it; and to
 * someone who can, the first one's paste answers both.
 */
function stillOpen(kb: KnowledgeBase, state: InterviewState): (fact: string) => boolean {
  const skipped = new Set(state.unknown);
  const commandOf = (fact: string) => {
    const question = kb.questions.get(fact)?.value;
    return question && questionCommand(question, state.facts).how;
  };
  const spent = new Set(state.unknown.map(commandOf).filter((how) => how !== undefined));
  return (fact) => {
    if (fact in state.facts || skipped.has(fact)) return false;
    const how = commandOf(fact);
    return how === undefined || !spent.has(how);
  };
}

/** Whether the interview may ask `fact` now: it has a question, is still open to one (stillOpen), and its askIf holds. */
function askableNow(kb: KnowledgeBase, state: InterviewState): (fact: string) => boolean {
  const open = stillOpen(kb, state);
  return (fact) => kb.questions.has(fact) && open(fact) && askIfHolds(kb, fact, state.facts);
}

/**
 * How much of the information of the other facts a question's paste carries counts towards the
 * question's worth, on top of its own. Not 1: the facts of one command's output bear on the same
 * causes (top's CPU use and load per CPU, curl's connect time and time to first byte), so their
 * gains overlap and their sum overstates the joint gain, which is at most that sum; the joint gain
 * itself would need the product of their answer tables, valued on every step for every question
 * (the cost the bench bounds). Chosen on the tuning part of the corpus (docs/knowledge-base.md,
 * "What a paste is worth").
 */
export const PASTE_SHARE = 0.1;

/**
 * A question's information when its command's output fills every fact that output carries
 * (pasteOf): its own gain, plus PASTE_SHARE of the gains of the other facts it carries that are
 * still to be asked (neither known nor answered "don't know", so among `values`). The chance of
 * an answer and the effort stay the question's own. Facts the step did not value (outside
 * factValues' shortlist) add nothing: their worth is unknown, not evidence.
 */
function pasteGains(kb: KnowledgeBase, values: readonly FactValueOfInformation[], pasteKinds: PasteKinds, facts: FactMap): (v: FactValueOfInformation) => number {
  const own = new Map(values.map((v) => [v.fact, v.gain]));
  return (v) => {
    let others = 0;
    for (const fact of pasteOf(kb, v.fact, pasteKinds, facts)?.carries ?? []) if (fact !== v.fact) others += own.get(fact) ?? 0;
    return v.gain + PASTE_SHARE * others;
  };
}

const namespaceOf = (fact: string) => fact.slice(0, fact.indexOf('.'));


/**
 * Where a question's answer is read: its fact's namespace and the program of the command that
 * finds it out, the one `facts` select (questionCommand: "app jstat" on a JVM or an unknown
 * runtime, "app NODE_OPTIONS=--trace-gc" on Node.js), as in "ping ping", "kernel conntrack",
 * "lb aws", so that one vantage point's facts share a source (ping's loss and its round trip; the
 * LB's timeouts and its backends' health) while other tools on the same layer do not (ss and
 * conntrack -S for kernel facts).
 */
export function sourceOf(kb: KnowledgeBase, fact: string, facts: FactMap = {}): string {
  let known = sources.get(kb);
  if (!known) sources.set(kb, (known = new Map()));
  const question = kb.questions.get(fact)?.value;
  const command = question === undefined ? undefined : questionCommand(question, facts);
  const key = commandKey(fact, command?.variant);
  let source = known.get(key);
  if (source === undefined) known.set(key, (source = readSource(fact, command?.how)));
  return source;
}

/** Each KB's facts' sources, by fact and the variant of its command, read once: the interview reads them for every question on every step. */
const sources = new WeakMap<KnowledgeBase, Map<string, string>>();

function readSource(fact: string, how: string | undefined): string {
  // The ticket's own shape: each fact is known or not on its own, so each is its own source.
  if (isTicketFact(fact) || !how) return fact;
  return `${namespaceOf(fact)} ${commandProgram(how)}`;
}

/** What runs before the program of a question's command: a loop head, a time limit, sudo. */
const COMMAND_PREFIX = /^(?:for [^;]*; do |timeout \d+ |sudo )*/;

/** The program a question's command runs ("nc" for `timeout 10 nc -vz ...`), past loop heads, time limits and sudo. */
function commandProgram(how: string): string {
  return how.replace(COMMAND_PREFIX, '').split(/\s/, 1)[0] as string;
}

/**
 * The engineer's answer rate so far: readings they gave (the facts outside the ticket's shape,
 * symptom, path and target, which say nothing of what they can look up) against their "don't
 * know"s, from a weak prior (FIRST_ANSWER_RATE).
 */
export function answerRate(state: InterviewState): number {
  return answerShare(ENGINEER_PRIOR_ANSWERS, FIRST_ANSWER_RATE, readingsOf(state), state.unknown.length);
}

/** The readings the engineer gave: the facts outside the ticket's shape (symptom, path, target). */
function readingsOf(state: InterviewState): number {
  let readings = 0;
  for (const fact of Object.keys(state.facts)) if (!isTicketFact(fact)) readings++;
  return readings;
}

/** A Beta prior of `strength` answers at `chance`, updated by the answers and "don't know"s seen. */
const answerShare = (strength: number, chance: number, answers: number, dontKnows: number) => (strength * chance + answers) / (strength + answers + dontKnows);

/**
 * The chance that an on-call engineer can answer a question before anything is known of them:
 * its entry's `answerChance`, or its effort's default (EFFORT_ANSWER_CHANCE).
 */
export function priorAnswerChance(kb: KnowledgeBase, fact: string): number {
  return kb.questions.get(fact)?.value.answerChance ?? EFFORT_ANSWER_CHANCE[effortOf(kb, fact)];
}

/**
 * The chance that the engineer can answer each question, from the answers so far: its prior
 * chance (priorAnswerChance) as a Beta prior of QUESTION_PRIOR_ANSWERS answers, updated by all
 * their readings and "don't know"s, then by what they answered and did not from its source (a
 * Beta prior of SOURCE_PRIOR_ANSWERS answers). A function of the state alone: one step of the
 * interview builds it once, for its shortlist (rankQuestions) and its weights (planQuestions).
 */
export function answerChances(kb: KnowledgeBase, state: InterviewState): AnswerChance {
  const readings = readingsOf(state);
  const answered = new Map<string, number>();
  const unanswered = new Map<string, number>();
  const count = (map: Map<string, number>, source: string) => map.set(source, (map.get(source) ?? 0) + 1);
  for (const fact of Object.keys(state.facts)) count(answered, sourceOf(kb, fact, state.facts));
  for (const fact of state.unknown) count(unanswered, sourceOf(kb, fact, state.facts));
  return (fact) => {
    const source = sourceOf(kb, fact, state.facts);
    const yes = answered.get(source) ?? 0;
    const no = unanswered.get(source) ?? 0;
    const before = answerShare(QUESTION_PRIOR_ANSWERS, priorAnswerChance(kb, fact), readings, state.unknown.length);
    return answerShare(SOURCE_PRIOR_ANSWERS, before, yes, no);
  };
}

/** The chance that the engineer can answer the question of each fact (answerChances). */
export type AnswerChance = (fact: string) => number;

const effortOf = (kb: KnowledgeBase, fact: string) => kb.questions.get(fact)?.value.effort ?? 'medium';

/**
 * The halves still to ask of comparisons undecided rules need: a rule comparing two facts
 * (backend.keepalive_timeout_s <= lb.idle_timeout_s) with one side known and the other
 * askable, by the fact to ask, with the known side and the rules' hypotheses.
 */
function pendingComparisonHalves(kb: KnowledgeBase, state: InterviewState, assessment: Assessment): Map<string, { known: string; hypotheses: Set<string> }> {
  const out = new Map<string, { known: string; hypotheses: Set<string> }>();
  const askable = askableNow(kb, state);
  for (const { place, sides } of index(kb).comparisons) {
    if (statusAt(assessment, place) !== 'unknown') continue;
    for (const [known, ask] of [sides, [sides[1], sides[0]]] as const) {
      if (!(known in state.facts) || !askable(ask)) continue;
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
  /** The chance that the engineer answers it and the answer puts another hypothesis on top. */
  movesTop: number;
}

/**
 * The choice's ranking as the interview asks it: each question's score times the chance the
 * engineer can answer it (answerChances), its expected worth, best first; before everything
 * else, the other side of a comparison whose one side is known, even one the choice gives no
 * value of its own (score 0).
 */
export function planQuestions(kb: KnowledgeBase, state: InterviewState, assessment: Assessment, ranked: readonly Scored[], chanceOf: AnswerChance = answerChances(kb, state)): Planned[] {
  const pending = pendingComparisonHalves(kb, state, assessment);
  const planned: Planned[] = ranked
    .map((q) => {
      const chance = chanceOf(q.fact);
      return { ...q, score: q.score * chance, completes: pending.get(q.fact)?.known ?? null, movesTop: q.topChangeChance * chance };
    })
    .filter((q) => q.score > 1e-9 || q.completes !== null);
  for (const [fact, { known, hypotheses }] of pending) {
    if (!planned.some((q) => q.fact === fact)) planned.push({ fact, score: 0, separates: [...hypotheses].sort(), changesTop: false, topChangeChance: 0, completes: known, movesTop: 0 });
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
  const open = stillOpen(kb, state);
  const askable = (fact: string) => kb.questions.has(fact) && open(fact);
  let leader = 0;
  for (let h = 1; h < n; h++) if ((differential.posterior[h] as number) > (differential.posterior[leader] as number)) leader = h;
  const best = Float64Array.from(differential.logWeight);
  const worst = Float64Array.from(differential.logWeight);
  for (const [name, fact] of model.facts) {
    if (!askable(name)) continue;
    const width = fact.outcomes.length;
    // Every class with an opinion on the fact, "no known cause" (n) among them when its own row names it.
    for (let h = 0; h <= n; h++) {
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
export async function nextQuestion(kb: KnowledgeBase, given: InterviewState, options: InterviewOptions = {}): Promise<InterviewStep> {
  const lang = options.lang ?? DEFAULT_LANG;
  const assessment = await assess(kb, given.facts);
  // The facts the assessment counts as known, a target URL's host and port among them: none is asked.
  const state: InterviewState = { facts: assessment.facts, unknown: given.unknown };
  const diagnosis = diagnosisOf(kb, assessment, { lang, ...(options.warnings && { warnings: options.warnings }) });
  const [first, second] = diagnosis.hypotheses;
  // What could overturn a confident leader, and the cause behind a mechanism the proxy reports,
  // are asked for only of an engineer who answers (DEFAULT_MIN_CHALLENGE_RATE); a leader the
  // ticket's own shape alone supports (a recent change) is never a stop.
  const challengeable = answerRate(state) >= (options.minChallengeRate ?? DEFAULT_MIN_CHALLENGE_RATE);
  const confident =
    first !== undefined &&
    first.confidence >= (options.minConfidence ?? DEFAULT_MIN_CONFIDENCE) &&
    first.confidence - (second?.confidence ?? 0) >= (options.minMargin ?? DEFAULT_MIN_MARGIN) &&
    !surfaceHolds(surfaceSupport(assessment, first.id), challengeable);
  const chanceOf = options.answerChance ?? answerChances(kb, state);
  const ranked = planQuestions(kb, state, assessment, rankQuestions(kb, state, assessment, chanceOf, options.pasteKinds), chanceOf);
  // Clearly ahead, and the best next questions (CHALLENGERS of them) could not displace it.
  // (Weighing a challenger by the chance that it is answered and displaces the leader, against a
  // question's cost, stopped 8 more of the shipped scenarios' replays on the wrong leader, the
  // course's APM case among them: docs/knowledge-base.md, session 26.)
  const challengers = [...ranked].sort((a, b) => b.score - a.score).slice(0, CHALLENGERS);
  const challenged = challengeable && challengers.some((q) => q.changesTop);
  // Clearly ahead: named with the check that confirms it, as a stop undecided names the leaders and what tells them apart.
  if (confident && !challenged) return { done: true, reason: 'confident', question: null, diagnosis, tellApart: tellApart(kb, state, assessment, [first], lang) };
  // No answers at all, one or many, could put another hypothesis first.
  if (first && leaderIsSettled(kb, state, assessment)) return { done: true, reason: 'settled', question: null, diagnosis };
  // Stop when nothing left is worth the engineer's time (too unlikely to be answered, or to move
  // the ranking, for its effort), or when they have said "don't know" too often and a short list
  // of leaders holds half the probability, or "no known cause" is the verdict (the cause is
  // likelier outside the KB: saying so is an answer, and the engineer who cannot read what the KB
  // asks is better sent to look wider): while the differential is broad, "A or B (or C)" would
  // name guesses, so it asks on. A question whose answer could put another cause first stays
  // worth asking (bits undervalue a question that can change the answer), and so does the other
  // side of a comparison; with minTopChange, only while some question is worth minWorth or is
  // that likely to change the leader (the order of asking stays the same). Then say which
  // commands tell the leaders apart; with nothing left to ask at all, only when two of them
  // stand out.
  const { leaders, pairStandsOut } = leadersOf(diagnosis.hypotheses);
  // With nothing weighed yet (no_evidence), the leaders are the prior's: none is named.
  const named = first !== undefined && diagnosis.verdict !== 'no_evidence';
  if (options.atLimit) return { done: true, reason: 'limit', question: null, diagnosis, ...(named && { tellApart: tellApart(kb, state, assessment, contenders(leaders), lang) }) };
  const shortList = leaders.reduce((share, h) => share + h.confidence, 0) >= TELL_APART_SHARE || outsideIsSettled(kb, diagnosis);
  const answering = !shortList || answerRate(state) >= (options.minAnswerRate ?? DEFAULT_MIN_ANSWER_RATE);
  const minWorth = options.minWorth ?? DEFAULT_MIN_WORTH;
  const { minTopChange } = options;
  const [candidate] = ranked.filter((q) => q.completes !== null || (answering && (q.score >= minWorth || q.changesTop)));
  const best = candidate?.completes === null && minTopChange !== undefined && !ranked.some((q) => q.score >= minWorth || q.movesTop >= minTopChange) ? undefined : candidate;
  if (first && !best && (ranked.length > 0 || pairStandsOut)) return { done: true, reason: 'unknowable', question: null, diagnosis, tellApart: tellApart(kb, state, assessment, contenders(leaders), lang) };
  if (!best) return { done: true, reason: 'no_questions', question: null, diagnosis };
  return { done: false, reason: null, question: askQuestion(kb, best, state.facts, lang, options.pasteKinds), diagnosis };
}

type Ranked = InterviewStep['diagnosis']['hypotheses'];

/**
 * Whether the rules for a hypothesis read only the ticket's surface, each within SURFACE_CF
 * (isSurfaceEvidence): then it is the mechanism the proxy reports (the LB timed out waiting), whose
 * cause behind it (a full worker pool, a slow dependency, GC) the facts have not reached. `proxy`
 * when one of them reads what the proxy in front reports (a timeout, a refusal it saw), `ticket`
 * when they read the ticket's own shape alone (a recent change); null when any rule reads more or
 * gives more (a surface rule above SURFACE_CF, lint-ignored as naming the cause itself: "upstream
 * sent too big header"), or none supports it.
 */
function surfaceSupport(assessment: Assessment, id: string): 'proxy' | 'ticket' | null {
  const support = assessment.scored.find((s) => s.id === id)?.support ?? [];
  if (support.length === 0 || !support.every((fired) => fired.rule.rule.evidence.every((e) => e.hypothesis !== id || isSurfaceEvidence(fired.rule, e.cf)))) return null;
  return support.some((fired) => fired.rule.facts.some(isProxyFact)) ? 'proxy' : 'ticket';
}

/**
 * Whether a leader its surface alone supports is no confident stop: never on the ticket's own
 * shape; on a mechanism the proxy reports, while the engineer answers (CHALLENGEABLE), who may yet
 * give the cause behind it.
 */
const surfaceHolds = (surface: 'proxy' | 'ticket' | null, challengeable: boolean) => surface === 'ticket' || (surface === 'proxy' && challengeable);

/**
 * "No known cause" is the verdict, and as likely as a known cause must be to be called confident
 * (the model's confidentAt): then it is a short list of one, which an engineer who cannot answer
 * is better told (look wider) than asked on. At the verdict's own bar (likelier than not) it
 * stopped incidents whose intake only leant outside the KB and whose finding came later.
 */
function outsideIsSettled(kb: KnowledgeBase, diagnosis: InterviewStep['diagnosis']): boolean {
  return diagnosis.verdict === 'no_known_cause' && diagnosis.otherCause >= compiledModel(kb).confidentAt;
}

/**
 * The causes an interview that stops undecided names: the first two, and the third too when
 * the first two hold less than TELL_APART_SHARE of the probability ("A or B (or C)"); the
 * leader alone when nothing else is ranked. `pairStandsOut`: there are two, and they hold it.
 */
function leadersOf(hypotheses: Ranked): { leaders: Ranked; pairStandsOut: boolean } {
  const [first, second] = hypotheses;
  const pairHolds = (first?.confidence ?? 0) + (second?.confidence ?? 0) >= TELL_APART_SHARE;
  return { leaders: hypotheses.slice(0, pairHolds ? 2 : 3), pairStandsOut: pairHolds && second !== undefined };
}

/** The leaders a stop names: the first, and each other holding at least CONTENDER_SHARE of its probability. */
function contenders(leaders: Ranked): Ranked {
  const floor = (leaders[0]?.confidence ?? 0) * CONTENDER_SHARE;
  return leaders.filter((h, i) => i === 0 || h.confidence >= floor);
}

/**
 * The leaders and the commands that tell them apart: those of the questions whose facts are
 * still unknown (the "don't know"s among them: the engineer must run something to know) and
 * whose answer moves at least two of the leaders, by the interview's own value of information
 * (factValues), each filled in as the question shows it (describeQuestion). The one that moves
 * most leaders comes first (ties by worth), and more follow only while some leader is not yet
 * moved by one. A leader no such question moves falls back to its first check (once when
 * leaders share one).
 */
function tellApart(kb: KnowledgeBase, state: InterviewState, assessment: Assessment, leaders: Ranked, lang: string): NonNullable<InterviewStep['tellApart']> {
  const ids = leaders.map((h) => h.id);
  const leadersMoved = (separates: readonly string[]) => ids.filter((id) => separates.includes(id));
  const unknown: string[] = [];
  for (const [fact, question] of kb.questions) if (!(fact in state.facts) && questionCommand(question.value, state.facts).how) unknown.push(fact);
  const model = compiledModel(kb);
  const positions = ids.map((id) => model.position.get(id)).filter((h): h is number => h !== undefined);
  // One leader has nothing to be told apart from: its own first check confirms it (below).
  const separating = (ids.length < 2 ? [] : factValues(kb, assessment, unknown, (fact) => askIfHolds(kb, fact, state.facts)))
    .map((v) => ({ fact: v.fact, moved: leadersMoved(v.separates) }))
    .filter((v) => v.moved.length >= 2)
    .map((v) => ({ ...v, tells: leaderInformation(model, assessment.differential.posterior, positions, v.fact) }))
    // The one that moves most leaders, then the one whose answer says most about which of them
    // it is (a fact that moves every cause alike tells them apart least); stable: further ties
    // keep factValues' order, by worth.
    .sort((a, b) => b.moved.length - a.moved.length || b.tells - a.tells);
  const covered = new Set<string>();
  const commands: string[] = [];
  const fillIn: string[] = [];
  for (const { fact, moved } of separating) {
    if (moved.every((id) => covered.has(id))) continue;
    for (const id of moved) covered.add(id);
    const question = describeQuestion(kb, fact, lang, state.facts);
    commands.push(question.how as string);
    fillIn.push(...(question.fillIn ?? []));
  }
  // A leader no such question moves is told apart by its own first check the facts do not
  // answer already (knownReadings): the diagnosis lists those first, in the order the KB writes
  // them (lab reviews 195 and 201).
  for (const h of leaders) {
    if (covered.has(h.id)) continue;
    const check = h.checks.find((c) => c.knownReadings === undefined) ?? h.checks[0];
    if (check) {
      commands.push(check.command);
      fillIn.push(...(check.fillIn ?? []));
    }
  }
  return { leaders: ids, commands: [...new Set(commands)], ...(fillIn.length > 0 && { fillIn: [...new Set(fillIn)] }) };
}

function askQuestion(kb: KnowledgeBase, scored: Planned, facts: FactMap, lang: string, pasteKinds: PasteKinds | undefined): InterviewQuestion {
  return {
    ...describeQuestion(kb, scored.fact, lang, facts, pasteKinds),
    why: {
      separates: scored.separates,
      rules: (ruleIndex(kb).reading.get(scored.fact) ?? []).map((i) => (kb.rules[i] as CompiledRule).id),
      ...(scored.pairedWith !== undefined && { pairedWith: scored.pairedWith }),
    },
    score: Math.round(scored.score * 10000) / 10000,
  };
}
