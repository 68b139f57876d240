/* Generated from schemas/case.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Diagnosis} from './diagnosis.js';

/**
 * One ticket as rca remembers it: its facts and artifacts, the diagnoses made of it (oldest first, each with the knowledge base's version and hash; the first and the latest ones, historyForgotten says how many between were forgotten), and its confirmed cause once resolved.
 */
export interface Case {
  id: string;
  source: string;
  externalId: string;
  summary: string | null;
  /**
   * resolved once an outcome is recorded.
   */
  status: 'open' | 'resolved';
  /**
   * How many diagnoses the case has had; each change adds one (an update that changes nothing under the same knowledge base adds none).
   */
  revision: number;
  /**
   * ISO 8601 time, UTC.
   */
  createdAt: string;
  /**
   * ISO 8601 time, UTC.
   */
  updatedAt: string;
  /**
   * The explicit facts sent so far, flat (artifacts' facts are in each diagnosis's facts).
   */
  facts: {
    [k: string]: string | number | boolean;
  };
  artifacts: {
    kind: string;
    text: string;
  }[];
  /**
   * The confirmed cause, null while the case is open.
   */
  outcome: {
    cause: string;
    text?: string;
    note?: string;
    confirmedBy: string;
    /**
     * ISO 8601 time, UTC.
     */
    confirmedAt: string;
  } | null;
  /**
   * How many diagnoses of the history were forgotten, 0 when none: a case keeps its first diagnosis (the ticket as it opened) and its latest ones, the server's --history-limit in all (100 by default), and besides, once resolved, the one its cause was confirmed on (which GET /v1/stats judges). Its revision less the diagnoses listed.
   */
  historyForgotten: number;
  /**
   * The diagnoses of the case it keeps, oldest first, each numbered as made (n: those between that are missing were forgotten, historyForgotten); the latest carries `similar`, the resolved cases most like it.
   */
  diagnoses: {
    n: number;
    /**
     * ISO 8601 time, UTC.
     */
    at: string;
    diagnosis: Diagnosis;
  }[];
  /**
   * The latest diagnosis, with its similar past incidents, as a report in the format asked for (GET /v1/cases/{id}?format=...).
   */
  report?: string;
}
