import type { ErrorObject } from 'ajv';
import type { DiagnoseRequest as DiagnoseRequestDocument } from '../generated/diagnose-request.js';
import { describeValue, InputError, type InputProblem } from './errors.js';
import { normalizeFacts, unknownFactProblem } from './facts.js';
import { expectedText, validator } from './schemas.js';
import { vocabulary, type FactMap } from './vocabulary.js';

/** A validated diagnosis request: schemas/diagnose-request.schema.json with facts normalised. */
export interface DiagnoseRequest extends Omit<DiagnoseRequestDocument, 'facts' | 'summary' | 'unknown'> {
  facts: FactMap;
  summary: string | null;
  unknown: string[];
}

/** Turns ajv errors into located problems ("/summary: expected ..., got ..."). */
export function schemaInputProblems(errors: readonly ErrorObject[]): InputProblem[] {
  return errors.map((e) => {
    const field = e.keyword === 'additionalProperties' ? `${e.instancePath}/${String((e.params as { additionalProperty: string }).additionalProperty)}` : e.instancePath || '/';
    const got = e.keyword === 'additionalProperties' ? 'an unknown field' : e.keyword === 'required' ? 'nothing' : describeValue(e.data);
    return { field, expected: expectedText(e), got };
  });
}

/**
 * Validates a diagnosis request against schemas/diagnose-request.schema.json (the CLI and
 * the HTTP API share it) and normalises its facts. `allowBareFacts`: a document without a
 * `facts` key is the facts themselves (the CLI accepts that; the API does not).
 */
export function parseDiagnoseRequest(document: unknown, { allowBareFacts = true } = {}): DiagnoseRequest {
  if (allowBareFacts && typeof document === 'object' && document !== null && !Array.isArray(document) && !('facts' in document)) {
    return { facts: normalizeFacts(document, 'facts'), summary: null, unknown: [] };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError([{ field: '/', expected: 'a JSON object with "facts"', got: describeValue(document) }]);
  }
  const validate = validator('diagnose-request.schema.json');
  if (!validate(document)) throw new InputError(schemaInputProblems(validate.errors ?? []));
  const doc = document as DiagnoseRequestDocument;
  const unknown = doc.unknown ?? [];
  const problems = unknown.flatMap((name, i) => (vocabulary().facts.has(name) ? [] : [unknownFactProblem(`/unknown/${i}`, name)]));
  if (problems.length > 0) throw new InputError(problems);
  const { facts, summary, ...rest } = doc;
  return { ...rest, facts: normalizeFacts(facts, 'facts'), summary: summary ?? null, unknown };
}
