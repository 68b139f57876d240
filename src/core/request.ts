import { describeValue, InputError } from './errors.js';
import { normalizeFacts } from './facts.js';
import type { FactMap } from './vocabulary.js';

export interface DiagnoseRequest {
  facts: FactMap;
  summary: string | null;
}

const ENVELOPE_FIELDS = new Set(['facts', 'summary']);
const MAX_SUMMARY = 500;

/**
 * A diagnosis input is either the facts themselves or an envelope
 * `{"summary": "...", "facts": {...}}` (what the shipped examples use).
 */
export function parseDiagnoseRequest(document: unknown): DiagnoseRequest {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError([{ field: '(document)', expected: 'a JSON object of facts', got: describeValue(document) }]);
  }
  const doc = document as Record<string, unknown>;
  if (!('facts' in doc)) return { facts: normalizeFacts(doc, 'facts'), summary: null };
  const unknown = Object.keys(doc).filter((k) => !ENVELOPE_FIELDS.has(k));
  if (unknown.length > 0) {
    throw new InputError(unknown.map((k) => ({ field: k, expected: 'only "facts" and "summary" beside facts', got: `unknown field "${k}"` })));
  }
  const summary = doc.summary;
  if (summary !== undefined && (typeof summary !== 'string' || summary.length > MAX_SUMMARY)) {
    throw new InputError([{ field: 'summary', expected: `a string of at most ${MAX_SUMMARY} characters`, got: describeValue(summary) }]);
  }
  return { facts: normalizeFacts(doc.facts, 'facts'), summary: summary ?? null };
}
