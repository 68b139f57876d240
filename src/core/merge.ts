import { InputError, type InputProblem } from './errors.js';
import type { DiagnoseRequest, InputWarning } from './request.js';
import type { FactMap, FactValue } from './vocabulary.js';

/** One input of a diagnosis (a document, an artifact, --target) and where it came from, for warnings and errors. */
export interface RequestSource {
  source: string;
  request: DiagnoseRequest;
}

/** The envelope fields an input may set besides its facts; several inputs must agree on them too. */
const SETTINGS = ['summary', 'lang', 'format', 'top'] as const;

/** A value of a fact and the input that gives it, as a warning or an error names them. */
interface Given {
  value: unknown;
  source: string;
}

/** The error that two inputs give a fact or a setting differently. */
const disagreement = (field: string, kept: Given, other: Given): InputProblem => ({
  field,
  expected: 'one value from every input that gives it',
  got: `${JSON.stringify(kept.value)} from ${kept.source} and ${JSON.stringify(other.value)} from ${other.source}`,
});

/** The warning that OTHER's value of a fact was set aside for KEPT's. */
export function keptWarning(field: string, kept: Given, other: Given): InputWarning {
  return { field, message: `${other.source} says ${JSON.stringify(other.value)}, ${kept.source} says ${JSON.stringify(kept.value)}: kept ${JSON.stringify(kept.value)}` };
}

/** A value of a fact, where it came from, and whether that input read it from a tool's output. */
interface Origin extends Given {
  value: FactValue;
  measured: boolean;
}

/**
 * The facts of several inputs merged by the one rule every entry follows: rca diagnose's
 * documents, --artifact outputs and --target; a request's facts and its `artifacts` (rca
 * diagnose, POST /v1/diagnose, a case); a paste in the interview over the answers given.
 * - The same value twice is no conflict.
 * - A fact stated (a facts file or document's `facts`, --target, an interview answer) is kept
 *   over the value a tool's output (an artifact, a paste) gives, whichever came first: the
 *   ticket says p99 is 5 s, the engineer's curl measured 2 s once; what the user states is what
 *   the diagnosis reads, and the warning shows the measurement beside it.
 * - Between two tools' outputs the earlier is kept: curl's and dig's lookup time, 0.019 and 252
 *   ms, are two readings, not a contradiction.
 * - Two statements that disagree are a conflict, an input error the user must settle: two
 *   people's words, neither of which rca can prefer.
 * Each value set aside is a warning naming both sources and both values.
 */
export class FactMerge {
  readonly facts: Record<string, FactValue> = {};
  /** The disagreements between statements, for the caller to throw as one InputError. */
  readonly conflicts: InputProblem[] = [];
  private readonly origins = new Map<string, Origin>();

  /**
   * Adds the facts SOURCE gives; `measured` tells which of them it read from a tool's output.
   * Returns the warnings of the values set aside, in the order of FACTS.
   */
  add(facts: FactMap, source: string, measured: (name: string) => boolean): InputWarning[] {
    const warnings: InputWarning[] = [];
    for (const [name, value] of Object.entries(facts)) {
      const incoming: Origin = { value, source, measured: measured(name) };
      const known = this.origins.get(name);
      if (known === undefined || (known.value === value && known.measured && !incoming.measured)) {
        // A statement of the value a reading gave makes it stated: a later statement of another is a conflict.
        this.facts[name] = value;
        this.origins.set(name, incoming);
      } else if (known.value === value) continue;
      else if (incoming.measured) warnings.push(keptWarning(name, known, incoming));
      else if (known.measured) {
        warnings.push(keptWarning(name, incoming, known));
        this.facts[name] = value;
        this.origins.set(name, incoming);
      } else this.conflicts.push(disagreement(name, known, incoming));
    }
    return warnings;
  }

  /** The facts kept from a tool's output: what a merged request says it read rather than was told. */
  measured(): Set<string> {
    return new Set([...this.origins].filter(([, origin]) => origin.measured).map(([name]) => name));
  }
}

/** Every fact of an input read from a tool's output (an --artifact, a paste). */
export const ALL_MEASURED = () => true;
/** Every fact of an input stated (a facts document, an answer). */
export const ALL_STATED = () => false;

/**
 * Merges the requests read from several inputs into one, their facts by FactMerge's rule (each
 * request says which of its facts its own artifacts gave). A setting two inputs give differently
 * is an input error naming it and both sources, never the last one winning in silence. Facts
 * nobody could answer are the union; warnings are kept in input order, then the values set aside.
 */
export function mergeRequests(inputs: readonly RequestSource[]): DiagnoseRequest {
  const [first, ...rest] = inputs;
  if (!first) throw new Error('mergeRequests: no inputs');
  if (rest.length === 0) return first.request;
  const merge = new FactMerge();
  const settingProblems: InputProblem[] = [];
  const merged: DiagnoseRequest = { ...first.request, facts: merge.facts, unknown: [], warnings: [] };
  const setAside: InputWarning[] = [];
  const settingSource = new Map<string, string>();
  for (const { source, request } of inputs) {
    setAside.push(...merge.add(request.facts, source, (name) => request.measured.has(name)));
    for (const key of SETTINGS) {
      const value = request[key];
      if (value === undefined || value === null) continue;
      const earlier = settingSource.get(key);
      if (earlier === undefined) {
        Object.assign(merged, { [key]: value });
        settingSource.set(key, source);
      } else if (merged[key] !== value) settingProblems.push(disagreement(`/${key}`, { value: merged[key], source: earlier }, { value, source }));
    }
    merged.unknown = [...new Set([...merged.unknown, ...request.unknown])];
    merged.warnings.push(...request.warnings);
  }
  const problems = [...merge.conflicts, ...settingProblems];
  if (problems.length > 0) throw new InputError(problems);
  merged.warnings.push(...setAside);
  return { ...merged, measured: merge.measured() };
}
