import { InputError, type InputProblem } from './errors.js';
import { keptEarlier, type DiagnoseRequest } from './request.js';
import type { FactValue } from './vocabulary.js';

/** One input of a diagnosis (a document, an artifact) and where it came from, for errors. */
export interface RequestSource {
  source: string;
  request: DiagnoseRequest;
  /** A tool's output (--artifact): what it says are readings, not statements. */
  measured?: boolean;
}

/** The envelope fields an input may set besides its facts; several inputs must agree on them too. */
const SETTINGS = ['summary', 'lang', 'format', 'top'] as const;

/**
 * Merges the requests read from several inputs into one. No input outranks another, so a fact or
 * a setting two of them give differently is an input error naming it and both sources, never the
 * last one winning in silence (within one document, an explicit fact still outranks its own
 * artifacts: see parseDiagnoseRequest). Two tools' outputs (--artifact) are readings, not
 * statements: curl's and dig's lookup time, 5004.871 and 5003 ms, are no contradiction. Between
 * them the earlier is kept and the disagreement is a warning, as between the artifacts of one
 * document and a paste in the interview (addParsedFacts). The same value twice is no conflict;
 * facts nobody could answer are the union, warnings are kept in input order.
 */
export function mergeRequests(inputs: readonly RequestSource[]): DiagnoseRequest {
  const [first, ...rest] = inputs;
  if (!first) throw new Error('mergeRequests: no inputs');
  if (rest.length === 0) return first.request;
  const problems: InputProblem[] = [];
  const conflict = (field: string, a: unknown, from: string, b: unknown, other: string) =>
    problems.push({ field, expected: 'one value from every input that gives it', got: `${JSON.stringify(a)} from ${from} and ${JSON.stringify(b)} from ${other}` });

  const facts: Record<string, FactValue> = {};
  const factSource = new Map<string, RequestSource>();
  const merged: DiagnoseRequest = { ...first.request, facts, unknown: [], warnings: [] };
  const readings: DiagnoseRequest['warnings'] = [];
  const settingSource = new Map<string, string>();
  for (const input of inputs) {
    const { source, request } = input;
    for (const [name, value] of Object.entries(request.facts)) {
      const earlier = factSource.get(name);
      if (earlier === undefined) {
        facts[name] = value;
        factSource.set(name, input);
      } else if (facts[name] === value) continue;
      else if (earlier.measured && input.measured) readings.push(keptEarlier(name, facts[name] as FactValue, earlier.source, value, source));
      else conflict(name, facts[name], earlier.source, value, source);
    }
    for (const key of SETTINGS) {
      const value = request[key];
      if (value === undefined || value === null) continue;
      const earlier = settingSource.get(key);
      if (earlier === undefined) {
        Object.assign(merged, { [key]: value });
        settingSource.set(key, source);
      } else if (merged[key] !== value) conflict(`/${key}`, merged[key], earlier, value, source);
    }
    merged.unknown = [...new Set([...merged.unknown, ...request.unknown])];
    merged.warnings.push(...request.warnings);
  }
  if (problems.length > 0) throw new InputError(problems);
  merged.warnings.push(...readings);
  return merged;
}
