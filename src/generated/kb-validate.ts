/* Generated from schemas/kb-validate.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {KbCounts} from './kb-info.js';

/**
 * What `rca kb validate -f json` prints: the knowledge base as loaded (KbValid, exit 0), or why it does not load (KbInvalid, exit 3). Every `rca kb` action given `-f json` prints KbInvalid when the knowledge base it reads does not load.
 */
export type KbValidation = KbValid | KbInvalid;

/**
 * The knowledge base loads: what it is, what it holds, and what its packs did to the layers below them.
 */
export interface KbValid {
  valid: true;
  kb: LoadedKb;
  counts: KbCounts;
  /**
   * The same as kb.changes.
   */
  changes: PackChange[];
}
/**
 * A loaded knowledge base: its name, version and hash, the files and packs it was read from.
 */
export interface LoadedKb {
  /**
   * The first pack's kb section's name (unnamed without one).
   */
  name: string;
  version: string;
  /**
   * The layered packs that name themselves (a kb section), in layering order.
   */
  layers: {
    name: string;
    version: string;
  }[];
  /**
   * sha256 of its content (sha256:<hex>).
   */
  hash: string;
  /**
   * Its files, as messages show them (relative to the working directory when inside it).
   */
  sources: string[];
  /**
   * How many directories (--kb, RCA_KB) it was layered from.
   */
  packs: number;
  changes: PackChange[];
  /**
   * Directories loaded without a kb.lock.json (rca serve refuses them).
   */
  unsealed: string[];
}
/**
 * What a later pack did to an entry of an earlier one.
 */
export interface PackChange {
  kind: 'override' | 'extend' | 'disable' | 'filtered';
  entry: 'rule' | 'hypothesis' | 'question' | 'model';
  id: string;
  /**
   * The file of the later pack that made the change.
   */
  file: string;
  /**
   * Where the replaced or disabled entry was defined.
   */
  previous: string;
  reason: string;
  /**
   * What an extension adds to the entry, one item per kind ("likelihoods of db.pool_use", "2 checks").
   */
  adds?: string[];
}
/**
 * The knowledge base does not load (exit 3): every problem found, each where it is.
 */
export interface KbInvalid {
  valid: false;
  /**
   * @minItems 1
   */
  problems: KbProblem[];
  /**
   * What the person likely meant, when rca can tell (a pack loaded on its own).
   */
  hint?: string;
}
/**
 * One problem in a knowledge base, at its file and path.
 */
export interface KbProblem {
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  message: string;
  /**
   * The load check that found it (rca kb lint --list); absent for a file that cannot be read or does not match its lock.
   */
  check?: string;
  firstDefined?: KbPlace;
}
/**
 * For a finding about two places (a duplicate id; a pack's extension clashing with its own entry or row): the other, where it was first defined.
 */
export interface KbPlace {
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
}
