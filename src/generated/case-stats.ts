/* Generated from schemas/case-stats.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * How right rca was on a tenant's resolved cases (GET /v1/stats, rca cases report): each case with the diagnosis it had when resolved, judged by its confirmed cause.
 */
export interface CaseStats {
  cases: number;
  /**
   * Share whose first hypothesis was the confirmed cause (null without cases).
   */
  top1: number | null;
  /**
   * Share with the confirmed cause among the first three.
   */
  top3: number | null;
  /**
   * By knowledge-base version and hash.
   */
  byKb: {
    version: string;
    hash: string;
    cases: number;
    /**
     * Share whose first hypothesis was the confirmed cause (null without cases).
     */
    top1: number | null;
    /**
     * Share with the confirmed cause among the first three.
     */
    top3: number | null;
  }[];
  /**
   * By the month the cause was confirmed (UTC), oldest first.
   */
  byMonth: {
    /**
     * YYYY-MM
     */
    month: string;
    cases: number;
    /**
     * Share whose first hypothesis was the confirmed cause (null without cases).
     */
    top1: number | null;
    /**
     * Share with the confirmed cause among the first three.
     */
    top3: number | null;
  }[];
  perHypothesis: {
    hypothesis: string;
    /**
     * Cases it was the confirmed cause of.
     */
    confirmed: number;
    /**
     * Cases whose diagnosis it led.
     */
    ledWith: number;
    /**
     * Of the cases it led, the share it was the cause of.
     */
    precision: number | null;
    /**
     * Of the cases it was the cause of, the share it led.
     */
    recall: number | null;
  }[];
  perRule: {
    rule: string;
    /**
     * Times it gave evidence for a cause in a resolved case's diagnosis.
     */
    fired: number;
    /**
     * Of those, times that cause was the confirmed one.
     */
    confirmed: number;
    precision: number | null;
  }[];
  calibration: {
    /**
     * Mean squared error of the top-1 confidence as the probability it is right.
     */
    brier: number | null;
    bins: {
      from: number;
      to: number;
      count: number;
      meanConfidence: number;
      accuracy: number;
    }[];
  };
}
