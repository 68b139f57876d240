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
   * Why the interview is done; null while it is not.
   */
  reason: 'confident' | 'settled' | 'no_questions' | null;
  /**
   * The next question; null when done.
   */
  question: null | InterviewQuestion;
  diagnosis: Diagnosis;
}
