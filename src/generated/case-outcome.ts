/* Generated from schemas/case-outcome.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * The confirmed cause of a case (PUT /v1/cases/{id}/outcome); the case is then resolved. Putting it again replaces it.
 */
export interface CaseOutcome {
  /**
   * The confirmed root cause: a hypothesis id of the knowledge base (GET /v1/hypotheses), or "other" for a cause it does not know (then say which in `text`).
   */
  cause: string;
  /**
   * The cause in words; required when cause is "other".
   */
  text?: string;
  /**
   * What was done, for whoever meets the same symptoms next.
   */
  note?: string;
  /**
   * Who confirmed the cause.
   */
  confirmedBy: string;
}
