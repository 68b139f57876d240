import type { InterviewQuestion, InterviewStep } from '../generated/interview-step.js';
import { evaluate3 } from './conditions.js';
import { diagnosisOf } from './diagnose.js';
import { combineAll } from './certainty.js';
import { compiledModel, ruleLogWeight } from './differential.js';
import { assess, ruleIndex, statusAt, type Assessment } from './evaluate.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
import { factValues } from './value-of-information.js';
import { describeQuestion } from './question.js';
import { DEFAULT_LANG } from './localize.js';
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
}

/** One step and its question: the types of schemas/interview-step.schema.json, the API's answer. */
export type { InterviewQuestion, InterviewStep } from '../generated/interview-step.js';
export type DoneReason = NonNullable<InterviewStep['reason']>;

export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** How many of the best next questions may challenge a confident leader before stopping. */
const CHALLENGERS = 1;
export const DEFAULT_MIN_MARGIN = 0.25;
/** Of two equally useful questions, ask the one that is cheaper to answer. */
const EFFORT_COST = { low: 1, medium: 1.3, high: 1.8 } as const;
/** Someone who has answered from a source (ping, tcp, proc, ...) likely has its other readings at hand. */
const SAME_SOURCE_BONUS = 1.6;
interface Scored {
  fact: string;
  score: number;
  separates: string[];
  changesTop: boolean;
}

/**
 * Scores each askable fact: the information its answer is expected to give about the cause
 * (src/core/value-of-information.ts, the model `missing` ranks by too), per unit of effort, and
 * higher from a source the engineer has already answered from (they likely have its other
 * readings at hand).
 */
export function rankQuestions(kb: KnowledgeBase, state: InterviewState, assessment: Assessment): Scored[] {
  const skipped = new Set(state.unknown);
  // A fact's source is its namespace (ping., tcp., proc., ...).
  const sourceOf = (fact: string) => fact.slice(0, fact.indexOf('.'));
  const answeredSources = new Set(Object.keys(state.facts).map(sourceOf));
  const askable: string[] = [];
  for (const [fact, { value: question }] of kb.questions) {
    if (fact in state.facts || skipped.has(fact)) continue;
    if (question.askIf && evaluate3(question.askIf, kb.conditions, state.facts) !== 'true') continue;
    askable.push(fact);
  }
  return factValues(kb, assessment, askable)
    .map((v) => {
      const effort = EFFORT_COST[kb.questions.get(v.fact)?.value.effort ?? 'medium'];
      const score = (v.gain / effort) * (answeredSources.has(sourceOf(v.fact)) ? SAME_SOURCE_BONUS : 1);
      return { fact: v.fact, score, separates: [...v.separates].sort(), changesTop: v.changesTop };
    })
    .sort((a, b) => b.score - a.score || (a.fact < b.fact ? -1 : 1));
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
  const diagnosis = diagnosisOf(kb, assessment, { lang });
  const [first, second] = diagnosis.hypotheses;
  const confident =
    first !== undefined &&
    first.confidence >= (options.minConfidence ?? DEFAULT_MIN_CONFIDENCE) &&
    first.confidence - (second?.confidence ?? 0) >= (options.minMargin ?? DEFAULT_MIN_MARGIN);
  const ranked = rankQuestions(kb, state, assessment);
  const [best] = ranked;
  // Clearly ahead, and the best next questions (CHALLENGERS of them) could not displace it.
  if (confident && !ranked.slice(0, CHALLENGERS).some((q) => q.changesTop)) return { done: true, reason: 'confident', question: null, diagnosis };
  // No answers at all, one or many, could put another hypothesis first.
  if (first && leaderIsSettled(kb, state, assessment)) return { done: true, reason: 'settled', question: null, diagnosis };
  if (!best) return { done: true, reason: 'no_questions', question: null, diagnosis };
  return { done: false, reason: null, question: askQuestion(kb, best, state.facts, lang), diagnosis };
}

function askQuestion(kb: KnowledgeBase, scored: Scored, facts: FactMap, lang: string): InterviewQuestion {
  return {
    ...describeQuestion(kb, scored.fact, lang, facts),
    why: { separates: scored.separates, rules: (ruleIndex(kb).reading.get(scored.fact) ?? []).map((i) => (kb.rules[i] as CompiledRule).id) },
    score: Math.round(scored.score * 10000) / 10000,
  };
}
