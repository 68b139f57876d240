/* Generated from schemas/question.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {FillIn} from './diagnosis.js';

/**
 * The question that obtains one fact, with the answer's type and range and how to find it out (GET /v1/questions). Open to more properties, because the interview's question (interview-step.schema.json) is this one with why and score.
 */
export interface Question {
  /**
   * The fact the answer sets.
   */
  fact: string;
  /**
   * The question, in the asked language.
   */
  text: string;
  help: string | null;
  type: 'boolean' | 'integer' | 'number' | 'string' | 'enum';
  /**
   * The answers an enum (strings) or boolean (true, false) fact takes, as the facts take them: send the chosen one back as the fact's value.
   */
  choices: (string | boolean)[] | null;
  unit: string | null;
  minimum: number | null;
  maximum: number | null;
  /**
   * The command that finds the answer, filled from the facts so far (none for GET /v1/questions); a fact still unknown shows as <group.fact>.
   */
  how: string | null;
  fillIn?: FillIn;
  /**
   * What rca reads of the output of `how`: the `rca parse` kind (send the output back as an artifact of that kind: POST /v1/interview/next `artifacts`, `rca interview`'s "paste KIND") and the facts that output carries, the question's own among them. null when rca reads none of that command's output, or the caller was given no parsers.
   */
  paste: {
    /**
     * The `rca parse` kind that reads the output of `how` as written.
     */
    kind: string;
    /**
     * The facts the output of `how` as written prints, in the vocabulary's order (an artifact of the kind fills whatever its text holds; these are what this command gives).
     */
    carries: string[];
    /**
     * true when `how` asks a backend straight, bypassing the LB: send its output as an artifact with `"direct": true`, so that its status and time are read as the backend's (http.direct_status, http.direct_latency_ms, as `carries` names them), not the service's.
     */
    direct: boolean;
  } | null;
}
