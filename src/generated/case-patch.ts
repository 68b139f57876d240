/* Generated from schemas/case-patch.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Artifacts} from './artifacts.js';

/**
 * What a ticket update changes in a case (PATCH /v1/cases/{id}): its facts (a JSON Merge Patch), artifacts to add, a new summary. The case is diagnosed again and the diagnosis added to its history. An artifact's text holds no NUL (U+0000), which the case store cannot keep: one is refused at its pointer (400).
 */
export interface CasePatch {
  /**
   * Replaces the case's summary; null removes it (as a fact given as null is removed), an absent summary leaves it as it is.
   */
  summary?: string | null;
  /**
   * A JSON Merge Patch (RFC 7396) of the case's facts, by dotted name, flat or nested as in diagnose-request.schema.json: a fact given replaces its value, a fact given as null is removed, a fact not named stays. Nested, {"tcp": null} is the whole tcp object: every tcp.* fact. Removals apply before the facts given, and a fact may not be both. A removed fact that an artifact of the case gives takes the artifact's value again.
   */
  facts?: {};
  artifacts?: Artifacts;
}
