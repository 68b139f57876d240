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
   * Language of every text (default en). The languages rca has texts in are en and zh-CN; tags compare in any case. A tag of English (en-GB, en-US) is served in en, and one of Chinese in its simplified script (zh, zh-Hans and any zh-Hans-*, zh-SG, zh-MY) in zh-CN; the answer's `lang` and Content-Language name the one served. Any other tag is refused with 400, Traditional Chinese (zh-TW, zh-HK, zh-Hant) and romanised Chinese (zh-Latn) among them: rca has no texts in them, and serving simplified ones in their place would be another text than the one asked for. (As the query parameter `lang` of the GET routes; Accept-Language skips such tags for the next one it lists, else en.)
   */
  lang?: string;
  /**
   * Keep only the N most likely hypotheses.
   */
  top?: number;
  artifacts?: Artifacts;
}
