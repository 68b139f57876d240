/* Generated from schemas/kb-suggest.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {EvalPart} from './kb-eval.js';

/**
 * What `rca kb suggest --out DIR -f json` prints: the certainty-factor changes resolved cases support, and when there are any, the rule pack written and the `rca kb eval` figures on the corpus without and with it (KbSuggestedPack); else nothing written (KbNoSuggestion). A knowledge base that does not load prints kb-validate.schema.json's KbInvalid instead.
 */
export type KbSuggestion = KbNoSuggestion | KbSuggestedPack;
/**
 * The resolved cases read: the case store's, and the --corpus incidents.
 */
export type SuggestionCases = number;

/**
 * No change proposed: no pack is written.
 */
export interface KbNoSuggestion {
  cases: SuggestionCases;
  /**
   * @maxItems 0
   */
  proposals: CfProposal[];
  pack: null;
}
/**
 * One proposed certainty-factor change: a rule's evidence for (or against) one hypothesis.
 */
export interface CfProposal {
  rule: string;
  hypothesis: string;
  /**
   * Resolved cases the rule fired on for this hypothesis.
   */
  fired: number;
  /**
   * cf > 0: the share of them whose confirmed cause was the hypothesis; cf < 0: the share whose was not.
   */
  precision: number;
  /**
   * The rule's certainty factor on the hypothesis now.
   */
  cf: number;
  /**
   * The one proposed: half the way to what the precision supports, its sign kept.
   */
  proposed: number;
}
/**
 * The changes proposed, written as a rule pack (never applied), and what they do to the eval figures.
 */
export interface KbSuggestedPack {
  cases: SuggestionCases;
  /**
   * @minItems 1
   */
  proposals: CfProposal[];
  /**
   * The pack file written: DIR/suggested.yaml.
   */
  pack: string;
  /**
   * `rca kb eval`'s figures (--mode diagnosis, from --evidence) on each corpus part, without the pack and with it layered over the knowledge base.
   */
  eval: {
    before: EvalPart[];
    after: EvalPart[];
  };
}
