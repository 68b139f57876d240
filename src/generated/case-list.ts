/* Generated from schemas/case-list.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * A page of a tenant's cases, newest first (GET /v1/cases). `next` is the cursor of the following page, null on the last.
 */
export interface CaseList {
  items: {
    id: string;
    source: string;
    externalId: string;
    summary: string | null;
    status: 'open' | 'resolved';
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
     * The most likely cause of the latest diagnosis.
     */
    topHypothesis: string | null;
    /**
     * The outcome's cause, once resolved.
     */
    confirmedCause: string | null;
  }[];
  next: string | null;
}
