/* Generated from schemas/hypothesis.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * One root cause the knowledge base knows, in the asked language, with its checks and the rules for and against it (GET /v1/hypotheses, GET /v1/hypotheses/{id}).
 */
export interface HypothesisDescription {
  id: string;
  category: string;
  title: string;
  description: string;
  checks: {
    /**
     * The command as the knowledge base writes it (a template over the facts).
     */
    command: string;
    where: 'client' | 'server' | 'lb' | 'any';
    confirms: string;
    rulesOut: string;
    /**
     * The named command (an entry of the knowledge base's `commands`) the check runs, whose command line `command` is; absent when the check writes its own. Its variants write their own.
     */
    run?: string;
    /**
     * The check as the knowledge base writes it for values of one fact (commandBy): when `fact` has `value`, a diagnosis and the interview show this command, where, confirms and rulesOut instead; absent when the check has none.
     */
    variants?: {
      fact: string;
      value: string;
      command: string;
      where: 'client' | 'server' | 'lb' | 'any';
      confirms: string;
      rulesOut: string;
    }[];
  }[];
  references: {
    title: string;
    url?: string;
  }[];
  /**
   * Every rule with evidence for or against it, with its certainty factor.
   */
  rules: {
    id: string;
    cf: number;
  }[];
}
