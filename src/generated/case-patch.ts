/* Generated from schemas/case-patch.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Artifacts} from './artifacts.js';

/**
 * What a ticket update adds to a case (PATCH /v1/cases/{id}): facts (a fact given again replaces the old value), artifacts, a new summary. The case is diagnosed again and the diagnosis added to its history.
 */
export interface CasePatch {
  /**
   * Replaces the case's summary.
   */
  summary?: string;
  /**
   * Facts by dotted name, flat or nested, as in diagnose-request.schema.json. null means unknown.
   */
  facts?: {};
  artifacts?: Artifacts;
}
