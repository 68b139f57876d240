import { InputError, type InputProblem } from './errors.js';
import { keptWarning, statedConflicts, statedFacts, type Given } from './facts.js';
import type { DiagnoseRequest, InputWarning } from './request.js';
import type { FactMap, FactValue } from './vocabulary.js';

/** One input of a diagnosis (a document, an artifact, --target) and where it came from, for warnings and errors. */
export interface RequestSource {
  source: string;
  request: DiagnoseRequest;
}

/** The envelope fields an input may set besides its facts; several inputs must agree on them too. */
const SETTINGS = ['summary', 'lang', 'format', 'top'] as const;

const warningKey = (w: InputWarning): string => `${w.field}\u0000${w.message}`;

/** The error that two inputs give a fact or a setting differently. */
const disagreement = (field: string, kept: Given, other: Given): InputProblem => ({
  field,
  expected: 'one value from every input that gives it',
  got: `${JSON.stringify(kept.value)} from ${kept.source} and ${JSON.stringify(other.value)} from ${other.source}`,
});

/** A value of a fact, where it came from, and whether that input read it from a tool's output. */
interface Origin extends Given {
  value: FactValue;
  measured: boolean;
}

/**
 * Facts that describe one process, and the fact naming it: the busy share, CPU and kernel split
 * pidstat read are those of the pid it read them for. An input whose pid is set aside describes
 * another process, so its other facts of that process are set aside with it (lab review 195, via
 * helper 199: a pidstat of another pid gave the app its kernel share).
 */
const PROCESS_FACTS: ReadonlyArray<{ pid: string; prefix: string }> = [
  { pid: 'proc.app_pid', prefix: 'proc.app_' },
  { pid: 'proc.top_pid', prefix: 'proc.top_' },
];

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
 * - What a statement implies of another fact (statedFacts: a TLS alert means the handshake
 *   failed) outranks a reading of that fact as the statement itself would: the ticket's client
 *   got unknown_ca, and an openssl run on the engineer's own host that completes says nothing of
 *   that client (lab review 206, H2: it ruled out the client's trust store, the cause).
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
    const otherProcess = this.otherProcesses(facts, measured);
    let stated = false;
    // What the statements imply, read once for the readings of this input, again after a statement joins them.
    let impliedNow: Record<string, { value: FactValue; by: string }> | undefined;
    for (const [name, value] of Object.entries(facts)) {
      const incoming: Origin = { value, source, measured: measured(name) };
      const about = otherProcess.get(name);
      if (about !== undefined) {
        warnings.push({ field: name, message: `${source} says ${JSON.stringify(value)} of process ${JSON.stringify(about.theirs)}, not of ${about.pid} ${JSON.stringify(about.kept)}: set aside` });
        continue;
      }
      const known = this.origins.get(name);
      const implied = incoming.measured && known === undefined ? (impliedNow ??= this.impliedByStatements())[name] : undefined;
      if (implied !== undefined && implied.value !== value) {
        warnings.push(keptWarning(name, { value: implied.value, source: implied.by }, incoming));
        continue;
      }
      if (!incoming.measured) {
        stated = true;
        impliedNow = undefined;
      }
      if (known === undefined || (known.value === value && known.measured && !incoming.measured)) {
        // A statement of the value a reading gave makes it stated: a later statement of another is a conflict.
        this.facts[name] = value;
        this.origins.set(name, incoming);
      } else if (known.value === value) continue;
      else if (incoming.measured) warnings.push(keptWarning(name, known, incoming));
      else if (known.measured) {
        warnings.push(keptWarning(name, incoming, known), ...this.replace(name, incoming));
      } else this.conflicts.push(disagreement(name, known, incoming));
    }
    if (stated) warnings.push(...this.readingsStatementsContradict());
    return warnings;
  }

  /** What the statements kept so far imply of other facts (statedFacts), each with what says it. */
  private impliedByStatements(): Record<string, { value: FactValue; by: string }> {
    return statedFacts(Object.fromEntries([...this.origins].filter(([, origin]) => !origin.measured).map(([name, origin]) => [name, origin.value])));
  }

  /** Sets aside each reading kept before a statement that implies another value of it came. */
  private readingsStatementsContradict(): InputWarning[] {
    const warnings: InputWarning[] = [];
    for (const [name, { value, by }] of Object.entries(this.impliedByStatements())) {
      const read = this.origins.get(name);
      if (read === undefined || !read.measured || read.value === value) continue;
      warnings.push(keptWarning(name, { value, source: by }, read));
      delete this.facts[name];
      this.origins.delete(name);
    }
    return warnings;
  }

  /**
   * The facts of FACTS that describe a process other than the one kept: those of PROCESS_FACTS
   * whose pid FACTS reads and the merge keeps another of (a reading against a pid stated or read
   * before). The pid itself goes through the usual rule, with its own warning.
   */
  private otherProcesses(facts: FactMap, measured: (name: string) => boolean): Map<string, { pid: string; kept: FactValue; theirs: FactValue }> {
    const aside = new Map<string, { pid: string; kept: FactValue; theirs: FactValue }>();
    for (const { pid, prefix } of PROCESS_FACTS) {
      const theirs = facts[pid];
      const known = this.origins.get(pid);
      if (theirs === undefined || known === undefined || known.value === theirs || !measured(pid)) continue;
      for (const name of Object.keys(facts)) if (name !== pid && name.startsWith(prefix)) aside.set(name, { pid, kept: known.value, theirs });
    }
    return aside;
  }

  /**
   * Keeps INCOMING's statement of NAME over a reading. When NAME is a process's pid, the facts that
   * reading's source gave of its process go with it (they describe the process set aside): the
   * warnings say which.
   */
  private replace(name: string, incoming: Origin): InputWarning[] {
    const read = this.origins.get(name);
    this.facts[name] = incoming.value;
    this.origins.set(name, incoming);
    const prefix = PROCESS_FACTS.find((p) => p.pid === name)?.prefix;
    if (prefix === undefined || read === undefined) return [];
    const warnings: InputWarning[] = [];
    for (const [fact, origin] of this.origins) {
      if (fact === name || !fact.startsWith(prefix) || !origin.measured || origin.source !== read.source) continue;
      warnings.push({ field: fact, message: `${origin.source} says ${JSON.stringify(origin.value)} of process ${JSON.stringify(read.value)}, not of ${name} ${JSON.stringify(incoming.value)}: set aside` });
      delete this.facts[fact];
      this.origins.delete(fact);
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
  // A statement's implication against a fact another input states (a facts file's target.host
  // beside --target's URL naming another host): the stated fact is kept, with the warning one
  // document giving both would get; one input's own are among its warnings already.
  const own = new Set(merged.warnings.map(warningKey));
  merged.warnings.push(...statedConflicts(merge.facts).filter((w) => !own.has(warningKey(w))), ...setAside);
  return { ...merged, measured: merge.measured() };
}
