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
