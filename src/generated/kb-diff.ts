/* Generated from schemas/kb-diff.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * What `rca kb diff OLD NEW -f json` prints: every section of the two knowledge bases that differs (docs/knowledge-base.md, "Files and sections"), then the scenarios NEW ranks differently. A side that does not load prints kb-validate.schema.json's KbInvalid instead.
 */
export interface KbDiff {
  /**
   * The kb section's name and version; null when they are the same.
   */
  kb: FieldChanges | null;
  /**
   * The differential's section, a field missing on one side being its default; null when it is the same.
   */
  model: FieldChanges | null;
  facts: SectionDiff;
  hypotheses: SectionDiff;
  conditions: SectionDiff;
  rules: SectionDiff;
  questions: SectionDiff;
  /**
   * The scenarios whose top 3 NEW ranks differently from OLD.
   */
  impact: ScenarioImpact[];
}
/**
 * How one entry (or a section that is one object, the model) differs.
 *
 * This interface was referenced by `KbDiff`'s JSON-Schema
 * via the `definition` "fieldChanges".
 */
export interface FieldChanges {
  /**
   * Which parts changed: conditions, evidence (cf), status, description, checks ...
   */
  fields: string[];
  /**
   * Each changed value, old and new.
   */
  values: ChangedValue[];
}
/**
 * This interface was referenced by `KbDiff`'s JSON-Schema
 * via the `definition` "changedValue".
 */
export interface ChangedValue {
  /**
   * Where, as deep as it changed (`evidence[network.icmp_filtered].cf`, `likelihoods["symptom.kind"].slow`).
   */
  field: string;
  /**
   * The old value (any JSON value); absent where it was added.
   */
  before?: unknown;
  /**
   * The new value (any JSON value); absent where it was removed.
   */
  after?: unknown;
}
/**
 * The entries of one keyed section: by id, a question by its fact, a fact or a named condition by its name.
 *
 * This interface was referenced by `KbDiff`'s JSON-Schema
 * via the `definition` "sectionDiff".
 */
export interface SectionDiff {
  added: string[];
  removed: string[];
  changed: EntryChange[];
}
/**
 * One entry present on both sides that differs.
 *
 * This interface was referenced by `KbDiff`'s JSON-Schema
 * via the `definition` "entryChange".
 */
export interface EntryChange {
  id: string;
  fields: string[];
  values: ChangedValue[];
}
/**
 * A scenario ranked differently: its top 3 under OLD and under NEW.
 *
 * This interface was referenced by `KbDiff`'s JSON-Schema
 * via the `definition` "scenarioImpact".
 */
export interface ScenarioImpact {
  file: string;
  /**
   * The scenario's expected top-1 cause.
   */
  expected: string;
  oldTop3: string[];
  newTop3: string[];
  top1Changed: boolean;
}
