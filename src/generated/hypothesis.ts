/* Generated from schemas/hypothesis.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * Where the check is run: on the client, the server, the load balancer, or anywhere.
 *
 * This interface was referenced by `HypothesisDescription`'s JSON-Schema
 * via the `definition` "checkWhere".
 */
export type CheckWhere = 'client' | 'server' | 'lb' | 'any';

/**
 * One root cause the knowledge base knows, in the asked language, with its checks and the rules for and against it (GET /v1/hypotheses, GET /v1/hypotheses/{id}).
 */
export interface HypothesisDescription {
  id: string;
  category: string;
  title: string;
  description: string;
  checks: CheckAsWritten[];
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
/**
 * A check as the knowledge base writes it, in the asked language: its command template, not filled.
 *
 * This interface was referenced by `HypothesisDescription`'s JSON-Schema
 * via the `definition` "check".
 */
export interface CheckAsWritten {
  /**
   * The command as the knowledge base writes it (a template over the facts).
   */
  command: string;
  where: CheckWhere;
  confirms: string;
  rulesOut: string;
  /**
   * The named command (an entry of the knowledge base's `commands`) the check runs, whose command line `command` is; absent when the check writes its own. Its variants write their own.
   */
  run?: string;
  /**
   * The check as the knowledge base writes it for values of one fact (commandBy): when `fact` has `value`, a diagnosis and the interview show this command, where, confirms and rulesOut instead; absent when the check has none.
   */
  variants?: CheckVariantAsWritten[];
}
/**
 * The check as written for one value of a fact (commandBy).
 *
 * This interface was referenced by `HypothesisDescription`'s JSON-Schema
 * via the `definition` "checkVariant".
 */
export interface CheckVariantAsWritten {
  fact: string;
  value: string;
  command: string;
  where: CheckWhere;
  confirms: string;
  rulesOut: string;
}
