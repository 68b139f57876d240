import type { ErrorObject } from 'ajv';
import type { DiagnoseRequest as DiagnoseRequestDocument } from '../generated/diagnose-request.js';
import type { Diagnosis } from '../generated/diagnosis.js';
import { describeValue, InputError, pointerToken, type InputProblem } from './errors.js';
import { isUnknownFactProblem, namesFactOrGroup, normalizeFacts, unknownFactProblem, statedConflicts } from './facts.js';
import { ALL_MEASURED, ALL_STATED, FactMerge } from './merge.js';
import { readAs } from './paste.js';
import { expectedText, readSchema, validator, type SchemaFile } from './schemas.js';
import { closeTo } from './suggest.js';
import type { FactMap, Vocabulary } from './vocabulary.js';
import { counted } from './counted.js';

/** A validated diagnosis request: schemas/diagnose-request.schema.json with facts normalised. */
export interface DiagnoseRequest extends Omit<DiagnoseRequestDocument, 'facts' | 'summary' | 'unknown' | 'artifacts'> {
  /** Explicit facts merged with the facts parsed from artifacts (explicit ones win: FactMerge). */
  facts: FactMap;
  /** Which of `facts` a tool's output (an artifact) gave rather than the input stated: a statement elsewhere outranks them (FactMerge). */
  measured: ReadonlySet<string>;
  summary: string | null;
  unknown: string[];
  /** Values set aside (an artifact's beside an explicit fact, a later artifact's), for the diagnosis's `warnings`. */
  warnings: InputWarning[];
}

/**
 * A note on one fact of the input that the facts cannot hold (an artifact that contradicts an
 * explicit fact, a paste whose lines disagree): an entry of the diagnosis's `warnings`.
 */
export type InputWarning = Diagnosis['warnings'][number];

/**
 * Turns raw tool output into facts; injected so the core does not depend on the collectors.
 * `warn` hears what the text shows but the facts cannot hold (lines that disagree).
 */
export interface ArtifactParser {
  (kind: string, text: string, context?: { warn?: (warning: InputWarning) => void }): FactMap;
  /**
   * The kind TEXT is read as (KIND, or the one `auto` detects) and the facts that several outputs
   * of that kind give only when read together (dig's answers on two clients); undefined when
   * there are none or the text is not one the kind reads (its own parse says why).
   */
  readTogether?: (kind: string, text: string) => { kind: string; facts: readonly string[] } | undefined;
}

/** One artifact as jointReadings reads it: its kind as given, its text, and its name in warnings. */
export interface SourcedArtifact {
  kind: string;
  text: string;
  source: string;
}

/**
 * The facts that several artifacts of one kind give only together (ArtifactParser.readTogether):
 * for each such kind given two or more times, those facts of their texts read as one, with the
 * warnings about them, as one more input named after the artifacts it joins. One reading for a
 * request's artifacts and the CLI's --artifact files; a direct artifact is no such reading.
 */
export function jointReadings(artifacts: readonly SourcedArtifact[], parse: ArtifactParser): Array<{ source: string; facts: FactMap; warnings: InputWarning[] }> {
  const byKind = new Map<string, { facts: readonly string[]; members: SourcedArtifact[] }>();
  for (const artifact of artifacts) {
    let together: ReturnType<NonNullable<ArtifactParser['readTogether']>>;
    try {
      together = parse.readTogether?.(artifact.kind, artifact.text);
    } catch (error) {
      // A text `auto` cannot place was refused by its own reading already.
      if (error instanceof InputError) continue;
      throw error;
    }
    if (together === undefined || together.facts.length === 0) continue;
    const group = byKind.get(together.kind) ?? { facts: together.facts, members: [] };
    group.members.push(artifact);
    byKind.set(together.kind, group);
  }
  const readings: Array<{ source: string; facts: FactMap; warnings: InputWarning[] }> = [];
  for (const [kind, { facts: names, members }] of byKind) {
    if (members.length < 2) continue;
    const source = `${members.map((m) => m.source).join(' and ')}, read together`;
    const warnings: InputWarning[] = [];
    let read: FactMap;
    try {
      read = parse(kind, members.map((m) => m.text).join('\n'), { warn: ({ field, message }) => (names.includes(field) ? warnings.push({ field, message: `${source}: ${message}` }) : undefined) });
    } catch (error) {
      // Each text read alone already; what they do not give together is no fact, not an error of the input.
      if (error instanceof InputError) continue;
      throw error;
    }
    const facts = Object.fromEntries(Object.entries(read).filter(([name]) => names.includes(name)));
    if (Object.keys(facts).length > 0 || warnings.length > 0) readings.push({ source, facts, warnings });
  }
  return readings;
}

/**
 * Turns ajv errors into located problems ("/summary: expected ..., got ..."). A property that
 * should not be there, or is missing, is pointed at itself (/extra, /facts), not at the object
 * that has it or lacks it.
 */
export function schemaInputProblems(errors: readonly ErrorObject[]): InputProblem[] {
  return errors.map((e) => {
    const property = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : undefined;
    const field = property === undefined ? e.instancePath || '/' : `${e.instancePath}/${pointerToken(property)}`;
    const got = e.keyword === 'additionalProperties' ? 'an unknown field' : e.keyword === 'required' ? 'nothing' : describeValue(e.data);
    return { field, expected: expectedText(e), got };
  });
}

/**
 * The problems of a request body, found in stages that do not hide one another: its schema's
 * (FILE), and what a reader of one of its properties finds there where the schema took that
 * property (the facts against the vocabulary, the names `unknown` lists). All are refused at once
 * (throwAny), in the order of the schema's properties, each property's in the order found: a
 * client mends a body in one round trip rather than hearing of its facts once its `top` is right.
 */
export class RequestProblems {
  private readonly problems: InputProblem[];
  /** Each pointer the schema refused a value at, and every one above it. */
  private readonly refusedWithin = new Set<string>();
  private readonly refusedItself: Set<string>;

  constructor(
    private readonly file: SchemaFile,
    body: unknown,
  ) {
    const validate = validator(file);
    this.problems = validate(body) ? [] : schemaInputProblems(validate.errors ?? []);
    this.refusedItself = new Set(this.problems.map((p) => p.field));
    for (const { field } of this.problems) for (let end = field.length; end > 0; end = field.lastIndexOf('/', end - 1)) this.refusedWithin.add(field.slice(0, end));
  }

  /** Whether the schema refused the value at POINTER itself (its type, its length): nothing in it is to be read. */
  refusedAt(pointer: string): boolean {
    return this.refusedItself.has(pointer);
  }

  /** Whether the schema refused the value at POINTER or anything in it. */
  refusedIn(pointer: string): boolean {
    return this.refusedWithin.has(pointer);
  }

  add(...problems: InputProblem[]): void {
    this.problems.push(...problems);
  }

  /** What READ gives, or undefined with the problems of the InputError it throws noted. */
  read<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.add(...error.problems);
      return undefined;
    }
  }

  /** Throws the problems noted, if any, in the order of the schema's properties (a fact's under `facts`; a property the schema has not, last). */
  throwAny(): void {
    if (this.problems.length === 0) return;
    const order = Object.keys((readSchema(this.file).properties as object | undefined) ?? {});
    const rank = ({ field }: InputProblem) => {
      const property = field.startsWith('/') ? field.slice(1).split('/', 1)[0] : 'facts';
      const at = order.indexOf(property as string);
      return at < 0 ? order.length : at;
    };
    // Array.prototype.sort is stable: each property's problems keep the order they were found in.
    throw new InputError([...this.problems].sort((a, b) => rank(a) - rank(b)));
  }
}

/**
 * Validates a diagnosis request against schemas/diagnose-request.schema.json (the CLI and
 * the HTTP API share it) and normalises its facts against `vocabulary`: the knowledge base's
 * in use, so a fact a pack declares is taken. `allowBareFacts`: a document without a
 * `facts` key is the facts themselves (the CLI accepts that; the API does not). `schema`: a
 * schema taking some of the request's properties with the same meaning, for a route that reads
 * only those (interview-request.schema.json), so that one it would ignore is refused instead.
 * `unknownGiven`: what a fact both given (in facts or by an artifact) and listed in `unknown`
 * gets: a warning, its value used (a diagnosis), or a refusal (an interview step, which counts
 * the facts nobody could answer). `directReadings`: what an artifact marked `direct` stands for
 * (directReadings of the knowledge base in use); without it, a direct artifact's facts are all set aside.
 */
export function parseDiagnoseRequest(
  document: unknown,
  {
    vocabulary,
    allowBareFacts = true,
    parseArtifact,
    schema = 'diagnose-request.schema.json',
    unknownGiven = 'warn',
    directReadings = {},
  }: {
    vocabulary: Vocabulary;
    allowBareFacts?: boolean;
    parseArtifact?: ArtifactParser;
    schema?: Extract<SchemaFile, 'diagnose-request.schema.json' | 'interview-request.schema.json'>;
    unknownGiven?: 'warn' | 'refuse';
    directReadings?: Readonly<Record<string, string>>;
  },
): DiagnoseRequest {
  if (allowBareFacts && typeof document === 'object' && document !== null && !Array.isArray(document) && !('facts' in document)) {
    let facts: FactMap;
    try {
      facts = normalizeFacts(document, vocabulary, 'facts');
    } catch (error) {
      throw error instanceof InputError ? withRequestKeyHint(document as Record<string, unknown>, vocabulary, error) : error;
    }
    return { facts, measured: new Set(), summary: null, unknown: [], warnings: statedConflicts(facts) };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError([{ field: '/', expected: 'a JSON object with "facts"', got: describeValue(document) }]);
  }
  const problems = new RequestProblems(schema, document);
  const doc = document as DiagnoseRequestDocument;
  const explicit = problems.refusedIn('/facts') ? undefined : problems.read(() => normalizeFacts(doc.facts, vocabulary, 'facts'));
  if (!problems.refusedAt('/unknown')) problems.add(...unknownProblems(doc.unknown ?? [], vocabulary, problems));
  problems.throwAny();
  const { summary, artifacts = [], unknown = [], ...rest } = doc;
  if (artifacts.length > 0 && !parseArtifact) throw new InputError([{ field: '/artifacts', expected: 'no artifacts here', got: counted(artifacts.length, 'artifact') }]);
  const merged = mergeArtifacts(explicit as FactMap, artifacts, parseArtifact as ArtifactParser, directReadings);
  const given = unknown.flatMap((name, i) => (Object.hasOwn(merged.facts, name) ? [{ name, i, value: describeValue(merged.facts[name]) }] : []));
  if (unknownGiven === 'refuse' && given.length > 0) {
    throw new InputError(given.map(({ name, i, value }) => ({ field: `/unknown/${i}`, expected: 'a fact not given (a fact is known or unknown, not both)', got: `${describeValue(name)}, given as ${value}` })));
  }
  // A fact said to be unknown and given too is likely a slip of the caller's: the value counts, and the caller hears of it.
  const knownAfterAll = given.map(({ name, value }) => ({ field: name, message: `listed in unknown, yet given as ${value}: the value is used` }));
  return { ...rest, facts: merged.facts, measured: merged.measured, summary: summary ?? null, unknown, warnings: [...statedConflicts(merged.facts), ...merged.warnings, ...knownAfterAll] };
}

/**
 * What is wrong with the names an `unknown` list holds, each at its pointer: a name no fact has,
 * or one listed before (the interview counts the facts nobody could answer). Items the schema
 * refused (PROBLEMS) are not read again.
 */
function unknownProblems(unknown: readonly string[], vocabulary: Vocabulary, problems: RequestProblems): InputProblem[] {
  const first = new Map<string, number>();
  return unknown.flatMap((name, i): InputProblem[] => {
    const field = `/unknown/${i}`;
    if (problems.refusedIn(field)) return [];
    if (!vocabulary.facts.has(name)) return [unknownFactProblem(vocabulary, field, name)];
    const before = first.get(name);
    if (before !== undefined) return [{ field, expected: 'each fact at most once in unknown', got: `the fact ${JSON.stringify(name)} twice (/unknown/${before} and ${field})` }];
    first.set(name, i);
    return [];
  });
}

/**
 * The request key KEY is, or likely misspells ("fact", "Facts", "artifact"): one of
 * diagnose-request.schema.json's properties by closeTo, when KEY names no fact or group of facts;
 * else undefined.
 */
function requestKeyMeant(key: string, vocabulary: Vocabulary): string | undefined {
  if (namesFactOrGroup(vocabulary, key)) return undefined;
  return closeTo(key.toLowerCase(), Object.keys(readSchema('diagnose-request.schema.json').properties as object));
}

/** Which of a document's top-level keys a flattened fact name FIELD comes from ("fact" of "fact.http.status"). */
function topLevelKey(field: string, documentKeys: ReadonlySet<string>): string | undefined {
  if (documentKeys.has(field)) return field;
  for (let dot = field.indexOf('.'); dot > 0; dot = field.indexOf('.', dot + 1)) if (documentKeys.has(field.slice(0, dot))) return field.slice(0, dot);
  return undefined;
}

/**
 * ERROR of a document read as bare facts (it has no "facts"), each unknown fact's problem with a
 * hint when every one stands under a top-level key that is a request's own or close to one
 * ({"fact": {"http.status": 503}}: unknown fact "fact.http.status", did you mean "facts"?): the
 * document was meant as a request, with its facts' key misspelt or left out. When any unknown
 * fact stands elsewhere, the document is bare facts, and ERROR is left as it is.
 */
function withRequestKeyHint(document: Record<string, unknown>, vocabulary: Vocabulary, error: InputError): InputError {
  const documentKeys = new Set(Object.keys(document));
  const meantByKey = new Map<string, string | undefined>();
  const hints = new Map<InputProblem, string>();
  for (const problem of error.problems) {
    if (!isUnknownFactProblem(problem)) continue;
    const key = topLevelKey(problem.field, documentKeys);
    if (key === undefined) return error;
    if (!meantByKey.has(key)) meantByKey.set(key, requestKeyMeant(key, vocabulary));
    const meant = meantByKey.get(key);
    if (meant === undefined) return error;
    hints.set(problem, `${key === meant ? `"${meant}" is a request's key;` : `did you mean "${meant}"?`} without "facts", a document is read as the facts themselves`);
  }
  if (hints.size === 0) return error;
  return new InputError(error.problems.map((p) => (hints.has(p) ? { ...p, expected: `a known fact name (${hints.get(p) as string})` } : p)));
}

/**
 * Adds the facts parsed from each artifact to the explicit facts, by FactMerge's rule: an
 * explicit fact is kept over an artifact's value, an earlier artifact's over a later one's; every
 * value set aside is a warning. A document's explicit facts are one statement: nothing conflicts.
 * A `direct` artifact's facts are read by DIRECT_READINGS (readAs).
 */
function mergeArtifacts(explicit: FactMap, artifacts: NonNullable<DiagnoseRequestDocument['artifacts']>, parse: ArtifactParser, directReadings: Readonly<Record<string, string>>) {
  const merge = new FactMerge();
  merge.add(explicit, 'the explicit fact', ALL_STATED);
  const warnings: InputWarning[] = [];
  const problems: InputProblem[] = [];
  const read: SourcedArtifact[] = [];
  artifacts.forEach(({ kind, text, direct = false }, i) => {
    const source = `artifacts[${i}] (${kind}${direct ? ', direct' : ''})`;
    let parsed: FactMap;
    try {
      parsed = parse(kind, text, { warn: ({ field, message }) => warnings.push({ field, message: `${source}: ${message}` }) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, field: `/artifacts/${i}/text` })));
      return;
    }
    if (direct) parsed = readDirect(parsed, directReadings, source, warnings);
    else read.push({ kind, text, source });
    warnings.push(...merge.add(parsed, source, ALL_MEASURED));
  });
  if (problems.length > 0) throw new InputError(problems);
  for (const joint of jointReadings(read, parse)) warnings.push(...joint.warnings, ...merge.add(joint.facts, joint.source, ALL_MEASURED));
  return { facts: merge.facts, measured: merge.measured(), warnings };
}

/**
 * FACTS read from the output of a request sent straight to one backend, as the direct request's
 * (readAs), with a warning in WARNINGS naming what has no counterpart here: it is the backend's
 * (its connect, its certificate), not what the service's clients get. One reading for a request's
 * artifacts and the CLI's --direct-artifact.
 */
export function readDirect(facts: FactMap, directReadings: Readonly<Record<string, string>>, source: string, warnings: InputWarning[]): FactMap {
  const read = readAs(directReadings, facts);
  if (read.setAside.length > 0) {
    const counterparts = Object.entries(directReadings).map(([name, here]) => `${name} as ${here}`).join(', ');
    warnings.push({ field: read.setAside[0] as string, message: `${source}: the output of a request straight to a backend: ${read.setAside.join(', ')} set aside, the backend's rather than the service's (a direct request's output gives ${counterparts || 'no fact in this knowledge base'})` });
  }
  return read.facts;
}
