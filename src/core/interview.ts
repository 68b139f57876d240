import type { Diagnosis } from '../generated/diagnosis.js';
import { combineAll } from './certainty.js';
import { evaluate3, forEachLeaf } from './conditions.js';
import { diagnose } from './diagnose.js';
import { ruleStatus, type CompiledRule, type KnowledgeBase } from './kb.js';
import { plausibilities } from './plausibility.js';
import { DEFAULT_LANG, localize } from './localize.js';
import { commandTemplate } from './templates.js';
import { vocabulary, type FactMap, type FactType, type FactValue } from './vocabulary.js';

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

export interface InterviewQuestion {
  fact: string;
  text: string;
  help: string | null;
  type: FactType;
  choices: string[] | null;
  unit: string | null;
  minimum: number | null;
  maximum: number | null;
  how: string | null;
  why: { separates: string[]; rules: string[] };
  score: number;
}

export type DoneReason = 'confident' | 'settled' | 'no_questions';

export interface InterviewStep {
  done: boolean;
  reason: DoneReason | null;
  question: InterviewQuestion | null;
  diagnosis: Diagnosis;
}

export const DEFAULT_MIN_CONFIDENCE = 0.65;
/** How many of the best next questions may challenge a confident leader before stopping. */
const CHALLENGERS = 1;
export const DEFAULT_MIN_MARGIN = 0.25;
/** Sharpness of the belief-to-probability map: exp(k * belief). */
const SOFTMAX_K = 5;
/** Weight of the rules an answer settles against the entropy drop it causes. */
const SETTLED_WEIGHT = 0.5;
/** Of two equally useful questions, ask the one that is cheaper to answer. */
const EFFORT_COST = { low: 1, medium: 1.3, high: 1.8 } as const;
/** How often a free-text fact is none of the values the rules name. */
const OTHER_TEXT_SHARE = 0.8;
/** Share of a rule's weight earned by bringing it one fact closer to being decided. */
const LOOKAHEAD_WEIGHT = 0.5;

interface Index {
  rulesReading: Map<string, CompiledRule[]>;
  /** Representative answers per fact, each with the share of cases it stands for. */
  answers: Map<string, Array<{ value: FactValue; weight: number }>>;
}

const indexes = new WeakMap<KnowledgeBase, Index>();

/**
 * Representative answers per fact, from the knowledge base itself: every enum value,
 * true/false, a value on each side of every numeric threshold, and the strings rules name.
 */
function buildIndex(kb: KnowledgeBase): Index {
  const rulesReading = new Map<string, CompiledRule[]>();
  const thresholds = new Map<string, Set<number>>();
  const strings = new Map<string, Set<string>>();
  const add = <T>(map: Map<string, Set<T>>, key: string, value: T) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  for (const rule of kb.rules) {
    for (const fact of rule.facts) {
      const list = rulesReading.get(fact);
      if (list) list.push(rule);
      else rulesReading.set(fact, [rule]);
    }
    forEachLeaf(rule.rule.conditions, kb.conditions, (leaf) => {
      const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
      for (const v of values) {
        if (typeof v === 'number') add(thresholds, leaf.fact, v);
        else if (typeof v === 'string') add(strings, leaf.fact, v);
      }
    });
  }
  const answers = new Map<string, Array<{ value: FactValue; weight: number }>>();
  const uniform = (values: FactValue[]) => values.map((value) => ({ value, weight: 1 / values.length }));
  for (const spec of vocabulary().facts.values()) {
    if (spec.type === 'enum') answers.set(spec.name, uniform([...(spec.values ?? [])]));
    else if (spec.type === 'boolean') answers.set(spec.name, uniform([true, false]));
    else if (spec.type === 'string') {
      // A free-text fact (a host name, a URL) is usually none of the values rules single out.
      const named = [...(strings.get(spec.name) ?? [])];
      answers.set(spec.name, [{ value: '\u0000other', weight: named.length ? OTHER_TEXT_SHARE : 1 }, ...named.map((value) => ({ value, weight: (1 - OTHER_TEXT_SHARE) / named.length }))]);
    }
    else {
      const cuts = [...(thresholds.get(spec.name) ?? [])].sort((a, b) => a - b);
      const points = cuts.length === 0 ? [spec.minimum ?? 0] : [cuts[0]! - 1, ...cuts.map((c, i) => (i + 1 < cuts.length ? (c + cuts[i + 1]!) / 2 : c + 1))];
      // Equality tests need the threshold itself; fact-to-fact comparisons are covered by points around others.
      answers.set(spec.name, uniform([...new Set([...points, ...cuts])]));
    }
  }
  return { rulesReading, answers };
}

function index(kb: KnowledgeBase): Index {
  let built = indexes.get(kb);
  if (!built) indexes.set(kb, (built = buildIndex(kb)));
  return built;
}

type CfLists = Map<string, number[]>;

/** One three-valued pass over the rules: which fire, which are still undecided, and the cfs given. */
interface Assessment {
  fired: Set<CompiledRule>;
  undecided: Set<CompiledRule>;
  cfs: CfLists;
}

function assess(kb: KnowledgeBase, facts: FactMap): Assessment {
  const fired = new Set<CompiledRule>();
  const undecided = new Set<CompiledRule>();
  const cfs: CfLists = new Map();
  for (const rule of kb.rules) {
    const status = ruleStatus(kb, rule, facts);
    if (status === 'unknown') undecided.add(rule);
    if (status !== 'true') continue;
    fired.add(rule);
    for (const e of rule.rule.evidence) {
      const list = cfs.get(e.hypothesis);
      if (list) list.push(e.cf);
      else cfs.set(e.hypothesis, [e.cf]);
    }
  }
  return { fired, undecided, cfs };
}

function beliefs(kb: KnowledgeBase, cfs: CfLists): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of kb.hypotheses.keys()) out.set(id, combineAll(cfs.get(id) ?? []).net);
  return out;
}

/**
 * Every hypothesis's belief and softmax weight exp(k * belief), in knowledge-base order.
 * Scoring a question looks at how each of its answers would change the ranking: copying
 * these arrays and patching the few hypotheses an answer moves costs far less than copying
 * a Map of every belief and exponentiating them all again, and sums in the same order.
 */
class Ranking {
  private constructor(
    private readonly ids: readonly string[],
    private readonly positions: ReadonlyMap<string, number>,
    private readonly belief: Float64Array,
    private readonly weights: Float64Array,
  ) {}

  static of(belief: ReadonlyMap<string, number>): Ranking {
    const ids = [...belief.keys()];
    const values = Float64Array.from(belief.values());
    return new Ranking(ids, new Map(ids.map((id, i) => [id, i])), values, values.map((b) => Math.exp(SOFTMAX_K * b)));
  }

  /** This ranking with some hypotheses' beliefs replaced. */
  with(changed: ReadonlyMap<string, number>): Ranking {
    const belief = this.belief.slice();
    const weights = this.weights.slice();
    for (const [id, b] of changed) {
      const i = this.positions.get(id) as number;
      belief[i] = b;
      weights[i] = Math.exp(SOFTMAX_K * b);
    }
    return new Ranking(this.ids, this.positions, belief, weights);
  }

  entropy(): number {
    let sum = 0;
    for (const w of this.weights) sum += w;
    let h = 0;
    for (const w of this.weights) {
      const p = w / sum;
      if (p > 0) h -= p * Math.log2(p);
    }
    return h;
  }

  /** The hypothesis with the highest positive belief (ties by id), if any. */
  leader(): string | undefined {
    let best: string | undefined;
    let top = 0;
    this.ids.forEach((id, i) => {
      const b = this.belief[i] as number;
      if (b > top || (b === top && best !== undefined && id < best)) {
        best = id;
        top = b;
      }
    });
    return best;
  }
}

interface Scored {
  fact: string;
  score: number;
  separates: string[];
  changesTop: boolean;
}

/**
 * Scores each askable fact by what its answer is expected to settle, averaged over its
 * representative answers: the certainty factors of rules the answer decides (fires or
 * rules out), weighted by how plausible their hypotheses are now, plus the drop in
 * uncertainty over the ranking (entropy of exp(k * belief)) the answer causes.
 */
export function rankQuestions(kb: KnowledgeBase, state: InterviewState, assessment: Assessment = assess(kb, state.facts)): Scored[] {
  const { rulesReading, answers } = index(kb);
  const { fired, undecided, cfs } = assessment;
  const base = beliefs(kb, cfs);
  const ranking = Ranking.of(base);
  const baseEntropy = ranking.entropy();
  const top = ranking.leader();
  const skipped = new Set(state.unknown);
  const weight = plausibilities(kb, base, state.facts['symptom.kind']);
  const out: Scored[] = [];
  for (const [fact, { value: question }] of kb.questions) {
    if (fact in state.facts || skipped.has(fact)) continue;
    if (question.askIf && evaluate3(question.askIf, kb.conditions, state.facts) !== 'true') continue;
    const reading = (rulesReading.get(fact) ?? []).filter((r) => undecided.has(r) || fired.has(r));
    if (reading.length === 0) continue;
    const values = answers.get(fact) ?? [];
    let gain = 0;
    let settled = 0;
    let changesTop = false;
    const separates = new Set<string>();
    // One copy of the facts per question, each answer in turn written into it.
    const facts: Record<string, FactValue> = { ...state.facts };
    for (const { value, weight: share } of values) {
      facts[fact] = value;
      const changed = new Map<string, number[]>();
      for (const rule of reading) {
        const now = evaluate3(rule.rule.conditions, kb.conditions, facts);
        if (undecided.has(rule)) {
          // Settling a rule earns its weight; one step closer earns a share of it, so facts
          // that only matter together with others (conjunctions) still get asked.
          const remaining = now === 'unknown' ? rule.facts.filter((f) => !(f in facts)).length : 0;
          const progress = now === 'unknown' ? LOOKAHEAD_WEIGHT / (remaining + 1) : 1;
          for (const e of rule.rule.evidence) settled += progress * share * weight(e.hypothesis) * Math.abs(e.cf);
        }
        if ((now === 'true') === fired.has(rule)) continue;
        for (const e of rule.rule.evidence) {
          const list = changed.get(e.hypothesis) ?? [...(cfs.get(e.hypothesis) ?? [])];
          if (now === 'true') list.push(e.cf);
          else list.splice(list.indexOf(e.cf), 1);
          changed.set(e.hypothesis, list);
          separates.add(e.hypothesis);
        }
      }
      if (changed.size === 0) continue;
      const after = ranking.with(new Map([...changed].map(([id, list]) => [id, combineAll(list).net])));
      gain += (baseEntropy - after.entropy()) * share;
      if (after.leader() !== top) changesTop = true;
    }
    const score = (SETTLED_WEIGHT * settled + Math.max(0, gain)) / EFFORT_COST[question.effort ?? 'medium'];
    if (score > 1e-9) out.push({ fact, score, separates: [...separates].sort(), changesTop });
  }
  return out.sort((a, b) => b.score - a.score || (a.fact < b.fact ? -1 : 1));
}

/**
 * True when no answers at all could put another hypothesis on top: even if every
 * undecided rule for the runner-ups fired and every undecided rule against the leader
 * fired, the leader would stay ahead.
 */
function topIsSettled({ facts, unknown }: InterviewState, { undecided, cfs }: Assessment, leaderId: string): boolean {
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
  const diagnosis = await diagnose(kb, state.facts, { lang });
  const [first, second] = diagnosis.hypotheses;
  const confident =
    first !== undefined &&
    first.confidence >= (options.minConfidence ?? DEFAULT_MIN_CONFIDENCE) &&
    first.confidence - (second?.confidence ?? 0) >= (options.minMargin ?? DEFAULT_MIN_MARGIN);
  const assessment = assess(kb, state.facts);
  if (first && topIsSettled(state, assessment, first.id)) return { done: true, reason: 'settled', question: null, diagnosis };
  const ranked = rankQuestions(kb, state, assessment);
  const [best] = ranked;
  // Clearly ahead, and the best next questions (CHALLENGERS of them) could not displace it.
  if (confident && !ranked.slice(0, CHALLENGERS).some((q) => q.changesTop)) return { done: true, reason: 'confident', question: null, diagnosis };
  if (!best) return { done: true, reason: 'no_questions', question: null, diagnosis };
  return { done: false, reason: null, question: describeQuestion(kb, best, state.facts, lang), diagnosis };
}

function describeQuestion(kb: KnowledgeBase, scored: Scored, facts: FactMap, lang: string): InterviewQuestion {
  const question = kb.questions.get(scored.fact)?.value;
  const spec = vocabulary().facts.get(scored.fact);
  if (!question || !spec) throw new Error(`no question for ${scored.fact}`);
  return {
    fact: scored.fact,
    text: localize(question.text, lang),
    help: question.help ? localize(question.help, lang) : null,
    type: spec.type,
    choices: spec.type === 'enum' ? [...(spec.values ?? [])] : spec.type === 'boolean' ? ['true', 'false'] : null,
    unit: spec.unit ?? null,
    minimum: spec.minimum ?? null,
    maximum: spec.maximum ?? null,
    how: question.how ? commandTemplate(question.how, `question ${scored.fact}`)(facts) : null,
    why: { separates: scored.separates, rules: (index(kb).rulesReading.get(scored.fact) ?? []).map((r) => r.id) },
    score: Math.round(scored.score * 10000) / 10000,
  };
}
