/* Generated from schemas/case-create.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {Artifacts} from './artifacts.js';

/**
 * A ticket to remember and diagnose (POST /v1/cases). Idempotent on (source, externalId): the same ticket again with the same summary, facts and artifacts answers the case it already is; with others it is refused (409), as a ticket update is a PATCH of its case (case-patch.schema.json). An artifact's text holds no NUL (U+0000), which the case store cannot keep: one is refused at its pointer (400), where POST /v1/diagnose, which keeps nothing, reads it as sent.
 */
export interface CaseCreate {
  /**
   * The ticketing system, e.g. jira or servicenow.
   */
  source: string;
  /**
   * The ticket's key in that system, e.g. OPS-1234.
   */
  externalId: string;
  /**
   * The ticket's one-line summary, shown in reports.
   */
  summary?: string;
  /**
   * Facts by dotted name, flat or nested, as in diagnose-request.schema.json. null means unknown.
   */
  facts?: {};
  artifacts?: Artifacts;
}
