/* Generated from schemas/kb-lock.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * kb.lock.json in a knowledge-base directory, written by `rca kb seal` after the directory validated: the hash of every rule file and what they hold. Every load checks it, so a file edited, added, removed or cut short since sealing is refused.
 */
export interface KbLock {
  /**
   * Format of this file.
   */
  lockVersion: 1;
  /**
   * Every rule file of the directory, by its path relative to the directory ('/' separated), with the sha256 of its bytes.
   */
  files: {
    [k: string]: string;
  };
  /**
   * What the files hold, summed over the directory before packs are layered or rules filtered.
   */
  counts: {
    files: number;
    hypotheses: number;
    rules: number;
    questions: number;
    /**
     * Named shared conditions.
     */
    conditions: number;
    /**
     * Rules of earlier packs switched off.
     */
    disable: number;
    /**
     * Extensions of earlier packs' hypotheses; written only when there are some, so a lock sealed before extensions existed stays valid.
     */
    extend?: number;
    /**
     * Named commands (the `commands` section); written only when there are some, so a lock sealed before named commands existed stays valid.
     */
    commands?: number;
  };
}
