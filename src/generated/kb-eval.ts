/* Generated from schemas/kb-eval.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Verdict} from './diagnosis.js';
import type {StopReason} from './interview-step.js';
import type {TellApart} from './interview-step.js';

/**
 * What `rca kb eval -f json` prints: the knowledge base's figures on each part of a corpus of real incidents, from a diagnosis of each incident (--mode diagnosis) or a replayed interview (--mode interview); `rca kb eval --baseline FILE` reads it back to print the change.
 */
export type KbEvalRun = DiagnosisEvalRun | InterviewEvalRun;
/**
 * Which of an incident's facts the diagnosis is given. intake: only what the reporter had when the ticket opened (the honest measure); all: intake and findings.
 */
export type EvalEvidence = 'intake' | 'all';
/**
 * top1: the intake alone should name the cause; top3: the intake is thin, the cause should be among the first three.
 */
export type IncidentLevel = 'top1' | 'top3';
/**
 * The accepted causes, or [] for an incident whose cause is `none`.
 */
export type IncidentCause = string[];
/**
 * A diagnosis's ranking, best first, with confidence.
 */
export type EvalRanking = {
  id: string;
  /**
   * The hypothesis's probability.
   */
  confidence: number;
}[];
/**
 * 1-based rank of the best-ranked accepted cause; null when none is ranked (or the cause is none).
 */
export type IncidentRank = number | null;
export type EvalFactValue = string | number | boolean;

/**
 * `rca kb eval -f json` (--mode diagnosis): each incident diagnosed from its intake (or, with --evidence all, with its findings too).
 */
export interface DiagnosisEvalRun {
  kb: EvalKb;
  parts: EvalPart[];
  /**
   * Whether every part met --min-top1 and --min-top3 (true without them).
   */
  passed: boolean;
}
/**
 * The knowledge base measured.
 */
export interface EvalKb {
  name: string;
  version: string;
  /**
   * sha256 of its content.
   */
  hash: string;
}
/**
 * One corpus part (a directory or file given on the command line) and its report.
 */
export interface EvalPart {
  /**
   * The part as given (a shipped part from the package root).
   */
  path: string;
  report: EvalReport;
}
export interface EvalReport {
  evidence: EvalEvidence;
  incidents: number;
  /**
   * Incidents whose cause is a known hypothesis (top-1, top-3, MRR are over these).
   */
  withKnownCause: number;
  /**
   * Share of withKnownCause whose accepted cause ranks first.
   */
  top1: number;
  /**
   * Share of withKnownCause whose accepted cause ranks in the first three.
   */
  top3: number;
  /**
   * Mean reciprocal rank of the accepted cause over withKnownCause (0 for one not ranked).
   */
  mrr: number;
  /**
   * Incidents passing at their own level (top1 / top3 / none).
   */
  passed: number;
  /**
   * Diagnoses with no hypothesis at all.
   */
  empty: number;
  /**
   * The verdict "no known cause": how often it is said, and how often it is right.
   */
  abstention: {
    /**
     * Incidents whose cause is none.
     */
    none: number;
    /**
     * Diagnoses with the verdict no_known_cause.
     */
    abstained: number;
    /**
     * Share of the abstentions on incidents whose cause is none; null when none abstained.
     */
    precision: number | null;
    /**
     * Share of the incidents whose cause is none that abstained; null when there are none.
     */
    recall: number | null;
  };
  /**
   * Mean squared error of the top-1 confidence as a probability that the top-1 is right; null when no diagnosis ranked anything.
   */
  brier: number | null;
  calibration: CalibrationBin[];
  perHypothesis: HypothesisRecall[];
  results: IncidentResult[];
}
/**
 * The incidents whose top-1 confidence is in (from, to], against how often that top-1 was right.
 */
export interface CalibrationBin {
  /**
   * The bin's lower bound (excluded).
   */
  from: number;
  /**
   * The bin's upper bound (included).
   */
  to: number;
  count: number;
  /**
   * The mean top-1 confidence in the bin.
   */
  meanConfidence: number;
  /**
   * Share of the bin whose top-1 was an accepted cause.
   */
  accuracy: number;
}
/**
 * How often incidents of one accepted cause rank it first and in the first three, and what ranked first instead.
 */
export interface HypothesisRecall {
  hypothesis: string;
  incidents: number;
  /**
   * How many rank it first.
   */
  top1: number;
  /**
   * How many rank it in the first three.
   */
  top3: number;
  /**
   * What ranked first instead, most often first.
   */
  confusions: {
    hypothesis: string;
    count: number;
  }[];
}
/**
 * One incident's diagnosis.
 */
export interface IncidentResult {
  id: string;
  /**
   * The incident's file, from its part's directory.
   */
  file: string;
  level: IncidentLevel;
  cause: IncidentCause;
  ranked: EvalRanking;
  rank: IncidentRank;
  verdict: Verdict;
  /**
   * Whether the incident passes at its own level (top1: rank 1; top3: rank <= 3; none: the verdict no_known_cause).
   */
  passed: boolean;
}
/**
 * `rca kb eval --mode interview -f json`: each incident replayed as an interview that starts from its intake and answers a question only where its findings hold the fact.
 */
export interface InterviewEvalRun {
  kb: EvalKb;
  mode: 'interview';
  parts: InterviewEvalPart[];
  /**
   * Whether every part met --min-top1 and --min-top3 (true without them).
   */
  passed: boolean;
}
/**
 * One corpus part replayed as interviews.
 */
export interface InterviewEvalPart {
  /**
   * The part as given (a shipped part from the package root).
   */
  path: string;
  report: InterviewEvalReport;
}
export interface InterviewEvalReport {
  mode: 'interview';
  /**
   * The question limit of each interview (rca interview --max-questions).
   */
  maxQuestions: number;
  /**
   * The interview's stops the replay ran with (InterviewOptions).
   */
  minWorth: number;
  minAnswerRate: number;
  minChallengeRate: number;
  /**
   * The stop on the chance of a change of leader, null when not used.
   */
  minTopChange: number | null;
  /**
   * Whether an answer came as a paste of its command's output where rca parses it.
   */
  pastes: boolean;
  /**
   * Whether the interview knew which questions the findings answer (--oracle).
   */
  oracle: boolean;
  incidents: number;
  withKnownCause: number;
  /**
   * Over the incidents with a known cause, at the end of the interview.
   */
  top1: number;
  /**
   * Over the incidents with a known cause, at the end of the interview.
   */
  top3: number;
  passed: number;
  /**
   * Final diagnoses with no hypothesis at all.
   */
  empty: number;
  /**
   * Of those, on incidents with a known cause.
   */
  emptyWithKnownCause: number;
  /**
   * Questions asked per interview, answered or not.
   */
  questions: {
    median: number;
    p90: number;
    mean: number;
  };
  /**
   * "Don't know" answers per interview.
   */
  dontKnow: {
    median: number;
    mean: number;
  };
  /**
   * How many interviews ended for each reason.
   */
  stops: {
    [k: string]: number;
  };
  results: InterviewResult[];
}
/**
 * One incident replayed as an interview.
 */
export interface InterviewResult {
  id: string;
  file: string;
  title: string;
  source: string;
  level: IncidentLevel;
  cause: IncidentCause;
  /**
   * The facts the interview started from.
   */
  intake: {
    [k: string]: EvalFactValue;
  };
  /**
   * The top 3 from the intake alone, before any question.
   */
  start: EvalRanking;
  questions: ReplayedQuestion[];
  dontKnow: number;
  stop: StopReason;
  /**
   * What the interview said when it stopped because the rest cannot tell the leaders apart; null otherwise.
   */
  tellApart: TellApart | null;
  ranked: EvalRanking;
  rank: IncidentRank;
  verdict: Verdict;
  /**
   * At its own level at the end (top1: rank 1; top3: rank <= 3; none: the verdict no_known_cause).
   */
  passed: boolean;
}
/**
 * One question of a replayed interview: what was asked, what the incident answered, and the top 3 after it.
 */
export interface ReplayedQuestion {
  fact: string;
  text: string;
  /**
   * The command that finds the answer out, filled from the facts.
   */
  how: string | null;
  /**
   * The finding's value, or null for "don't know" (the incident's findings do not hold the fact).
   */
  answer: EvalFactValue | null;
  /**
   * The finding's note, when answered.
   */
  note: string | null;
  /**
   * When the answer came as a paste that answered other findings too: its kind and those findings, in the incident's order.
   */
  pasted: null | {
    kind: string;
    filled: {
      fact: string;
      value: EvalFactValue;
    }[];
  };
  /**
   * The other side of the comparison it was asked for, or null when asked alone.
   */
  pairedWith: string | null;
  top: EvalRanking;
}
