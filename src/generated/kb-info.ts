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
  counts: {
    hypotheses: number;
    rules: number;
    questions: number;
    conditions: number;
    /**
     * Named commands the questions run (run: NAME), each defined once under commands.
     */
    commands: number;
  };
}
