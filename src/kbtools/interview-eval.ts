import { diagnose } from '../core/diagnose.js';
import { escapeMarkdown, markdownCode, markdownUrl } from '../core/escape.js';
import { DEFAULT_MIN_ANSWER_RATE, DEFAULT_MIN_CHALLENGE_RATE, DEFAULT_MIN_WORTH, nextQuestion, type InterviewOptions, type InterviewState } from '../core/interview.js';
import type { KnowledgeBase } from '../core/kb.js';
import { pasteOf, type PasteKinds } from '../core/paste.js';
import type { FactMap, FactValue } from '../core/vocabulary.js';
import { percentText } from '../core/render.js';
import { judgeDiagnosis, pct, rankedWithin, rankingOf, round, share, signed } from './eval.js';
import type { EvalRanking, InterviewEvalPart, InterviewEvalReport, InterviewResult, ReplayedQuestion } from '../generated/kb-eval.js';
import type { StopReason } from '../generated/interview-step.js';
import type { LoadedIncident } from './incidents.js';
import { formatPassChange, passChange } from './pass-change.js';
import { counted } from '../core/counted.js';

/** The interview's own default (`rca interview --max-questions`). */
export const DEFAULT_REPLAY_QUESTIONS = 20;

export interface InterviewReplayOptions {
  /** Ask at most this many questions per incident, as `rca interview --max-questions`. */
  maxQuestions?: number;
  /** The interview's stops (InterviewOptions minWorth, minAnswerRate, minChallengeRate, minTopChange); its defaults otherwise. */
  stops?: Pick<InterviewOptions, 'minWorth' | 'minAnswerRate' | 'minChallengeRate' | 'minTopChange'>;
  /** The artifact kinds whose output carries a fact (see PasteKinds); without it, every answer fills its own fact only. */
  pasteKinds?: PasteKinds;
  /**
   * Replay as if the interview knew which questions the incident's write-up answers (each
   * finding's question a chance of 1, every other question 0): the ceiling of the order of
   * asking. An incident that fails the plain replay and passes this one was lost to the order of
   * the questions; one that fails both, to what the knowledge base makes of the findings.
   */
  oracle?: boolean;
}

// The replay's shapes are kb-eval.schema.json's: `rca kb eval --mode interview -f json` prints them and --baseline reads them back.
export type { InterviewEvalPart, InterviewEvalReport, InterviewResult, ReplayedQuestion } from '../generated/kb-eval.js';
type Top = EvalRanking;

/** The sample at the p-th percentile (nearest rank, upper for an even median); NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const mean = (samples: readonly number[]) => (samples.length === 0 ? 0 : round(samples.reduce((a, b) => a + b, 0) / samples.length, 2));

/**
 * Replays one incident the way an on-call engineer meets the interview: start from the intake;
 * answer a question only when the incident's findings hold its fact (with the finding's value),
 * "don't know" otherwise; stop where the interview stops, or at the question limit. With
 * `pasteKinds`, an answer whose command's output rca parses comes as a paste of that output (the
 * kind the question names, see pasteOf), which answers the other findings that command prints
 * (its `carries`) too: one question. With `oracle`, the interview is told which
 * questions the findings answer, and asks only those.
 */
async function replayIncident(kb: KnowledgeBase, incident: LoadedIncident, options: InterviewReplayOptions & { maxQuestions: number }): Promise<InterviewResult> {
  const { pasteKinds, oracle, maxQuestions } = options;
  const interview: InterviewOptions = {
    ...options.stops,
    ...(pasteKinds && { pasteKinds }),
    ...(oracle && { answerChance: (fact: string) => (fact in incident.findingFacts ? 1 : 0) }),
  };
  let state: InterviewState = { facts: { ...incident.intakeFacts }, unknown: [] };
  const notes = new Map(incident.findings.map((f) => [f.fact, f.note]));
  const questions: ReplayedQuestion[] = [];
  let stop: StopReason = 'limit';
  let tellApart: InterviewResult['tellApart'] = null;
  let start: Top = [];
  for (;;) {
    const step = await nextQuestion(kb, state, { ...interview, lang: 'en' });
    const top = rankingOf(step.diagnosis);
    if (questions.length === 0) start = top;
    else (questions.at(-1) as ReplayedQuestion).top = top;
    if (step.done || !step.question) {
      stop = step.reason ?? 'no_questions';
      tellApart = step.tellApart ?? null;
      break;
    }
    if (questions.length >= maxQuestions) break;
    const { fact, text, how } = step.question;
    const pairedWith = step.question.why.pairedWith ?? null;
    const replayed = replayAnswer(kb, incident.findingFacts, state, fact, pasteKinds);
    questions.push({ fact, text, how, answer: replayed.answer, note: notes.get(fact) ?? null, pasted: replayed.pasted, pairedWith, top: [] });
    state = replayed.state;
  }
  const { cause, ranked, rank, verdict, passed } = judgeDiagnosis(incident, await diagnose(kb, state.facts, { lang: 'en' }));
  return {
    id: incident.id,
    file: incident.file,
    title: incident.title,
    source: incident.source,
    level: incident.level,
    cause,
    intake: incident.intakeFacts,
    start,
    questions,
    dontKnow: questions.filter((q) => q.answer === null && q.pasted === null).length,
    stop,
    tellApart,
    ranked,
    rank,
    verdict,
    passed,
  };
}

/**
 * How an engineer who knows FINDINGS (and nothing else) answers the question of `fact`: its
 * value, or "don't know"; and with `pasteKinds`, the other findings the output of its command
 * prints (a grep of the application's log for its pool's and its database's errors, of which
 * the incident holds the pool's: pasted, it answers those, and the asked fact stays unknown).
 * The state after the answer. One protocol for the corpus's replay and the bench's replay of the
 * shipped scenarios.
 */
export function replayAnswer(
  kb: KnowledgeBase,
  findings: FactMap,
  state: InterviewState,
  fact: string,
  pasteKinds: PasteKinds | undefined,
): { answer: FactValue | null; pasted: ReplayedQuestion['pasted']; state: InterviewState } {
  const answer = findings[fact];
  const pasted = pasteKinds === undefined ? null : pastedFindings(kb, findings, state, fact, pasteKinds);
  const facts = answer === undefined ? { ...state.facts } : { ...state.facts, [fact]: answer };
  for (const other of pasted?.filled ?? []) facts[other.fact] = other.value;
  return { answer: answer ?? null, pasted, state: { facts, unknown: answer === undefined ? [...state.unknown, fact] : state.unknown } };
}

/**
 * The paste that answers `fact` and more, when the output of the question's command is a kind
 * that carries it (pasteOf, as the choice values it): that kind and the other FINDINGS it
 * carries that are not known yet (a fact answered "don't know" is one the incident has no
 * finding for); null when no kind is, or its paste answers nothing else.
 */
function pastedFindings(kb: KnowledgeBase, findings: FactMap, state: InterviewState, fact: string, pasteKinds: PasteKinds): ReplayedQuestion['pasted'] {
  const paste = pasteOf(kb, fact, pasteKinds, state.facts);
  if (paste === null) return null;
  const carried = new Set(paste.carries);
  const filled = Object.entries(findings)
    .filter(([other]) => other !== fact && !(other in state.facts) && carried.has(other))
    .map(([other, value]) => ({ fact: other, value }));
  return filled.length === 0 ? null : { kind: paste.kind, filled };
}

/** Replays every incident as an interview and sums up how far and how fast it got. */
export async function evaluateInterviews(kb: KnowledgeBase, incidents: readonly LoadedIncident[], options: InterviewReplayOptions = {}): Promise<InterviewEvalReport> {
  const maxQuestions = options.maxQuestions ?? DEFAULT_REPLAY_QUESTIONS;
  const results: InterviewResult[] = [];
  for (const incident of incidents) results.push(await replayIncident(kb, incident, { ...options, maxQuestions }));
  const known = results.filter((r) => r.cause.length > 0);
  const asked = results.map((r) => r.questions.length);
  const dontKnow = results.map((r) => r.dontKnow);
  const stops: Record<string, number> = {};
  for (const r of results) stops[r.stop] = (stops[r.stop] ?? 0) + 1;
  return {
    mode: 'interview',
    maxQuestions,
    minWorth: options.stops?.minWorth ?? DEFAULT_MIN_WORTH,
    minAnswerRate: options.stops?.minAnswerRate ?? DEFAULT_MIN_ANSWER_RATE,
    minChallengeRate: options.stops?.minChallengeRate ?? DEFAULT_MIN_CHALLENGE_RATE,
    minTopChange: options.stops?.minTopChange ?? null,
    pastes: options.pasteKinds !== undefined,
    oracle: options.oracle === true,
    incidents: results.length,
    withKnownCause: known.length,
    top1: share(rankedWithin(known, 1), known.length),
    top3: share(rankedWithin(known, 3), known.length),
    passed: results.filter((r) => r.passed).length,
    empty: results.filter((r) => r.ranked.length === 0).length,
    emptyWithKnownCause: known.filter((r) => r.ranked.length === 0).length,
    questions: { median: results.length === 0 ? 0 : percentile(asked, 50), p90: results.length === 0 ? 0 : percentile(asked, 90), mean: mean(asked) },
    dontKnow: { median: results.length === 0 ? 0 : percentile(dontKnow, 50), mean: mean(dontKnow) },
    stops: Object.fromEntries(Object.entries(stops).sort(([a], [b]) => (a < b ? -1 : 1))),
    results,
  };
}

/** A readable report of the replays for a curator, with the change against a saved replay when given. */
export function formatInterviewEval(parts: ReadonlyArray<InterviewEvalPart>, baseline?: ReadonlyArray<InterviewEvalPart>): string[] {
  return parts.flatMap(({ path, report: r }) => {
    const before = baseline?.find((b) => b.path === path)?.report;
    const delta = (key: 'top1' | 'top3') => (before ? ` (${signed(r[key] - before[key])})` : '');
    return [
      `${path}: ${r.incidents} incidents (${r.withKnownCause} with a known cause), replayed as interviews from the intake (at most ${r.maxQuestions} questions, stopping when none is worth ${r.minWorth}${r.minTopChange === null ? '' : ` nor has a ${r.minTopChange} chance of changing the leader,`} or the answer rate falls under ${r.minAnswerRate}, a confident leader challenged while it is at least ${r.minChallengeRate}; a finding answers${r.pastes ? ", as a paste of its command's output where rca parses it" : ''}, anything else is "don't know"${r.oracle ? '; the interview knew which questions the findings answer and asked only those' : ''})`,
      `  at the end: top-1 ${pct(r.top1)}${delta('top1')}  top-3 ${pct(r.top3)}${delta('top3')}  passed at their level ${r.passed}/${r.incidents}  empty diagnoses ${r.empty} (${r.emptyWithKnownCause} with a known cause)`,
      ...(before ? [formatPassChange(passChange(r.results, before.results))] : []),
      `  questions asked: median ${r.questions.median}  p90 ${r.questions.p90}  mean ${r.questions.mean}   "don't know" per interview: median ${r.dontKnow.median}  mean ${r.dontKnow.mean}`,
      `  stopped: ${Object.entries(r.stops).map(([reason, count]) => `${reason} ${count}`).join(', ')}`,
    ];
  });
}

const valueText = (value: FactValue) => (typeof value === 'string' ? value : JSON.stringify(value));
const topText = (top: Top) => (top.length === 0 ? 'no hypothesis' : top.slice(0, 3).map((h, i) => `${i + 1}. ${markdownCode(h.id)} ${percentText(h.confidence)}`).join(', '));

/**
 * One replayed interview as a markdown page a senior engineer can read: the intake, each
 * question with its command, the answer (and what the source reports) and the top 3 after it,
 * then how it ended. Every value is escaped for markdown.
 */
export function interviewTranscript(r: InterviewResult): string {
  const lines = [
    `# ${escapeMarkdown(r.title)}`,
    '',
    `Incident ${markdownCode(r.id)} (${markdownCode(r.file)}), from ${markdownUrl(r.source)}.`,
    `Accepted cause: ${r.cause.length === 0 ? 'none known' : r.cause.map(markdownCode).join(' or ')}; it should rank ${r.level === 'top1' ? 'first' : 'in the top 3'}.`,
    '',
    '## Intake',
    '',
    ...Object.entries(r.intake).map(([fact, value]) => `- ${markdownCode(fact)}: ${markdownCode(valueText(value))}`),
    '',
    `Top 3 from the intake: ${topText(r.start)}`,
    '',
    '## Questions',
  ];
  r.questions.forEach((q, i) => {
    lines.push('', `### Q${i + 1} ${markdownCode(q.fact)}: ${escapeMarkdown(q.text)}`, '');
    if (q.pairedWith) lines.push(`Asked with ${markdownCode(q.pairedWith)}, next: a rule compares the two.`, '');
    if (q.how) lines.push(`Command: ${markdownCode(q.how)}`, '');
    const filled = q.pasted?.filled.map((f) => `${markdownCode(f.fact)}: ${markdownCode(valueText(f.value))}`).join(', ');
    if (q.answer === null) lines.push(q.pasted ? `Answer: none for this fact; its command's output, pasted as ${markdownCode(q.pasted.kind)}, answered ${filled}.` : "Answer: **don't know**", '');
    else {
      lines.push(`Answer: ${markdownCode(valueText(q.answer))}${q.note ? ` (${escapeMarkdown(q.note)})` : ''}`, '');
      if (q.pasted) lines.push(`Pasted as ${markdownCode(q.pasted.kind)} output, which also answered ${filled}.`, '');
    }
    lines.push(`Top 3: ${topText(q.top)}`);
  });
  if (r.questions.length === 0) lines.push('', 'None.');
  const rankText = r.rank === null ? (r.cause.length === 0 ? (r.verdict === 'no_known_cause' ? '"no known cause", as expected' : 'a known cause where none is known') : 'the accepted cause is not ranked') : `the accepted cause ranks ${r.rank}`;
  lines.push(
    '',
    '## End',
    '',
    `Stopped: ${markdownCode(r.stop)} after ${counted(r.questions.length, 'question')}, ${r.dontKnow} answered "don't know".`,
    ...(r.tellApart ? [`The interview said: ${escapeMarkdown(r.tellApart.leaders.join(' or '))}${r.tellApart.leaders.length === 1 ? ' leads' : ''}; run ${r.tellApart.commands.map(markdownCode).join(' and ')} to ${r.tellApart.leaders.length === 1 ? 'confirm it' : 'tell them apart'}.`] : []),
    `Final top 3: ${topText(r.ranked)}; ${rankText} (${r.passed ? 'passes' : 'fails'} at its level).`,
    '',
  );
  return lines.join('\n');
}
