/* Generated from schemas/scenario.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * A realistic incident (test/scenarios/** /*.yaml, rca kb test --scenarios): the facts an engineer had and the root cause it turned out to be.
 */
export interface ScenarioFile {
  /**
   * What happened, as the engineer saw it.
   */
  story: string;
  /**
   * Where the incident or the knowledge comes from.
   */
  source: string;
  /**
   * The obvious suspect is wrong.
   */
  redHerring?: boolean;
  /**
   * Facts by dotted name, as a diagnosis request takes them.
   */
  facts: {
    [k: string]: string | number | boolean;
  };
  expect: {
    /**
     * The root cause it was.
     */
    top1: string;
    /**
     * Causes also accepted at the top.
     */
    alternates?: string[];
    /**
     * Causes that must not rank above zero.
     */
    ruledOut?: string[];
  };
}
