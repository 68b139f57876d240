import { describeValue, InputError } from './errors.js';
import { normalizeFacts, unknownFactProblem } from './facts.js';
import { vocabulary, type FactMap } from './vocabulary.js';

export interface DiagnoseRequest {
  facts: FactMap;
  summary: string | null;
  /** Facts the reporter could not answer (an interview does not ask them again). */
  unknown: string[];
}

const ENVELOPE_FIELDS = new Set(['facts', 'summary', 'unknown']);
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
  if (!('facts' in doc)) return { facts: normalizeFacts(doc, 'facts'), summary: null, unknown: [] };
  const unknown = Object.keys(doc).filter((k) => !ENVELOPE_FIELDS.has(k));
  if (unknown.length > 0) {
    throw new InputError(unknown.map((k) => ({ field: k, expected: 'only "facts", "summary" and "unknown"', got: `unknown field "${k}"` })));
  }
  const summary = doc.summary;
  if (summary !== undefined && (typeof summary !== 'string' || summary.length > MAX_SUMMARY)) {
    throw new InputError([{ field: 'summary', expected: `a string of at most ${MAX_SUMMARY} characters`, got: describeValue(summary) }]);
  }
  return { facts: normalizeFacts(doc.facts, 'facts'), summary: summary ?? null, unknown: parseUnknown(doc.unknown) };
}

function parseUnknown(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new InputError([{ field: 'unknown', expected: 'a list of fact names', got: describeValue(value) }]);
  }
  const names = value as string[];
  const problems = names.filter((n) => !vocabulary().facts.has(n)).map((n) => unknownFactProblem(`unknown[${names.indexOf(n)}]`, n));
  if (problems.length > 0) throw new InputError(problems);
  return names;
}
