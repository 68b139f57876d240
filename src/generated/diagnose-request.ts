/* Generated from schemas/diagnose-request.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Artifacts} from './artifacts.js';

/**
 * What to diagnose: the facts (flat or nested, validated against facts.schema.json), and optionally a summary, the facts nobody could answer, and how to report. The CLI reads the same document from a file (or bare facts without the envelope).
 */
export interface DiagnoseRequest {
  /**
   * Facts by dotted name, flat ({"http.status": 503}) or nested ({"http": {"status": 503}}). null means unknown.
   */
  facts: {};
  /**
   * The reporter's one-line summary, shown in reports.
   */
  summary?: string;
  /**
   * Facts the reporter could not answer; an interview does not ask them again.
   *
   * @maxItems 500
   */
  unknown?: string[];
  /**
   * Also render a report in this format (API: returned as `report`).
   */
  format?: 'json' | 'markdown' | 'html' | 'text';
  /**
   * Language of every text: en (default) or zh-CN.
   */
  lang?: string;
  /**
   * Keep only the N most likely hypotheses.
   */
  top?: number;
  artifacts?: Artifacts;
}
