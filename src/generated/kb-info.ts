/* Generated from schemas/kb-info.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * The knowledge base being served (GET /v1/kb).
 */
export interface KbInfo {
  name: string;
  version: string;
  /**
   * sha256 of its content.
   */
  hash: string;
  /**
   * When it was loaded (ISO 8601).
   */
  loadedAt: string;
  counts: KbCounts;
}
/**
 * Entries of the (merged) knowledge base: shared (named) conditions and named commands among them. rca kb validate -f json prints the same.
 *
 * This interface was referenced by `KbInfo`'s JSON-Schema
 * via the `definition` "kbCounts".
 */
export interface KbCounts {
  hypotheses: number;
  rules: number;
  questions: number;
  conditions: number;
  /**
   * Named commands the questions run (run: NAME), each defined once under commands.
   */
  commands: number;
}
