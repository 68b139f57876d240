/* Generated from schemas/interview-step.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Diagnosis} from './diagnosis.js';
import type {Question} from './question.js';
import type {FillIn} from './diagnosis.js';

/**
 * Why the interview is done. unknowable: no question left is worth the engineer's time (the engineer has said "don't know" too often while a short list of causes holds half the probability, or "no known cause" is the verdict at the model's confidentAt or more, or none is likely enough to be answered and to move the ranking), or none is left and two leaders stand out; tellApart says which commands tell the leaders apart. limit: the engineer's question limit was reached (the CLI's --max-questions) before the leader was clearly ahead; tellApart as for unknowable.
 *
 * This interface was referenced by `InterviewStep`'s JSON-Schema
 * via the `definition` "stopReason".
 */
export type StopReason = 'confident' | 'settled' | 'no_questions' | 'unknowable' | 'limit';
/**
 * The question (question.schema.json), why it is asked and how useful its answer is expected to be.
 *
 * This interface was referenced by `InterviewStep`'s JSON-Schema
 * via the `definition` "interviewQuestion".
 */
export type InterviewQuestion = Question & {
  why: {
    /**
     * The hypotheses its answer tells apart.
     */
    separates: string[];
    /**
     * The rules that read the fact.
     */
    rules: string[];
    /**
     * The other side of a comparison of two facts (backend.keepalive_timeout_s <= lb.idle_timeout_s) this question is asked for: each side alone is worth little, the two answers together decide a rule, so the other side is asked next once this one is answered. Absent when the question is worth asking alone.
     */
    pairedWith?: string;
  };
  /**
   * Expected cut in uncertainty per unit of effort.
   */
  score: number;
};

/**
 * One step of the interview (POST /v1/interview/next, rca interview): done, or the next most useful question, with the diagnosis so far.
 */
export interface InterviewStep {
  done: boolean;
  /**
   * Why the interview is done (stopReason); null while it is not.
   */
  reason: StopReason | null;
  /**
   * The next question; null when done.
   */
  question: null | InterviewQuestion;
  diagnosis: Diagnosis;
  tellApart?: TellApart;
}
/**
 * With reason confident: the leader alone and the check that confirms it. With reason unknowable or limit: the leading causes (two, or three when the first two hold less than half the probability; of these, only those holding at least a tenth of the leader's probability, so the leader may stand alone) and the commands that tell them apart (or, for a leader alone, confirm it). Under the no_known_cause verdict they are no answer: the known causes still worth ruling out while the engineer looks wider.
 *
 * This interface was referenced by `InterviewStep`'s JSON-Schema
 * via the `definition` "tellApart".
 */
export interface TellApart {
  /**
   * The leading hypotheses, best first.
   */
  leaders: string[];
  /**
   * The commands of the questions whose facts are still unknown (those answered "don't know" among them) whose answers best tell the leaders apart, filled from the facts as the question shows them; a leader no such question tells apart adds its first check (once when leaders share one).
   */
  commands: string[];
  fillIn?: FillIn;
}
