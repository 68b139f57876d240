/* Generated from schemas/interview-step.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Diagnosis} from './diagnosis.js';
import type {Question} from './question.js';

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
   * Why the interview is done; null while it is not. unknowable: the questions left (none, or only ones from sources the engineer said they cannot see) cannot tell the leaders apart; tellApart says which command can.
   */
  reason: 'confident' | 'settled' | 'no_questions' | 'unknowable' | null;
  /**
   * The next question; null when done.
   */
  question: null | InterviewQuestion;
  diagnosis: Diagnosis;
  /**
   * Only with reason unknowable: the leading causes the facts at hand cannot separate, and the commands (their checks) that tell them apart.
   */
  tellApart?: {
    /**
     * The leading hypotheses, best first.
     */
    leaders: string[];
    /**
     * Each leader's first check, filled from the facts (one when they share it).
     */
    commands: string[];
  };
}
