/* Generated from schemas/kb-seal.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {KbLock} from './kb-lock.js';

/**
 * What `rca kb seal -f json` prints once the directory validated and its kb.lock.json is written (a knowledge base that does not load prints kb-validate.schema.json's KbInvalid).
 */
export interface KbSeal {
  sealed: true;
  /**
   * The kb.lock.json written, as given (DIR/kb.lock.json).
   */
  file: string;
  lock: KbLock;
}
