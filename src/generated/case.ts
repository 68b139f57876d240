/* Generated from schemas/case.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Diagnosis} from './diagnosis.js';

/**
 * One ticket as rca remembers it: its facts and artifacts, every diagnosis made of it (oldest first, each with the knowledge base's version and hash), and its confirmed cause once resolved.
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
   * Every diagnosis of the case, oldest first; the latest carries `similar`, the resolved cases most like it.
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
