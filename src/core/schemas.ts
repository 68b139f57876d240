import type { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsSchema, caseCreateSchema, caseListSchema, caseOutcomeSchema, casePatchSchema, caseSchema, caseStatsSchema, diagnoseRequestSchema, diagnosisEvalRunSchema, diagnosisSchema, factListSchema, factsSchema, hypothesisSchema, incidentSchema, interviewEvalRunSchema, interviewRequestSchema, interviewStepSchema, kbDiffSchema, kbEvalSchema, kbFileSchema, kbInfoSchema, kbLintSchema, kbLockSchema, kbSealSchema, kbShowSchema, kbSuggestSchema, kbTestSchema, kbValidateSchema, problemSchema, questionSchema, readinessSchema, scenarioSchema } from '../generated/validators.js';
import { schemasDir } from './paths.js';
import { didYouMean } from './suggest.js';

export const SCHEMA_FILES = [
  'facts.schema.json',
  'kb-file.schema.json',
  'diagnosis.schema.json',
  'diagnose-request.schema.json',
  'interview-request.schema.json',
  'kb-lock.schema.json',
  'question.schema.json',
  'interview-step.schema.json',
  'problem.schema.json',
  'scenario.schema.json',
  'hypothesis.schema.json',
  'kb-info.schema.json',
  'readiness.schema.json',
  'incident.schema.json',
  'artifacts.schema.json',
  'case-create.schema.json',
  'case-patch.schema.json',
  'case-outcome.schema.json',
  'case.schema.json',
  'case-list.schema.json',
  'case-stats.schema.json',
  'kb-eval.schema.json',
  'kb-validate.schema.json',
  'kb-seal.schema.json',
  'kb-lint.schema.json',
  'kb-test.schema.json',
  'kb-diff.schema.json',
  'kb-suggest.schema.json',
  'kb-show.schema.json',
  'fact-list.schema.json',
] as const;
export type SchemaFile = (typeof SCHEMA_FILES)[number];

/** Reads a shipped JSON Schema; callers that need the raw document (vocabulary, API) share it. */
const rawSchemas = new Map<SchemaFile, Record<string, unknown>>();
export function readSchema(file: SchemaFile): Record<string, unknown> {
  let schema = rawSchemas.get(file);
  if (!schema) {
    schema = JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as Record<string, unknown>;
    rawSchemas.set(file, schema);
  }
  return schema;
}

const VALIDATORS: Record<SchemaFile, ValidateFunction> = {
  'facts.schema.json': factsSchema,
  'kb-file.schema.json': kbFileSchema,
  'diagnosis.schema.json': diagnosisSchema,
  'diagnose-request.schema.json': diagnoseRequestSchema,
  'interview-request.schema.json': interviewRequestSchema,
  'kb-lock.schema.json': kbLockSchema,
  'question.schema.json': questionSchema,
  'interview-step.schema.json': interviewStepSchema,
  'problem.schema.json': problemSchema,
  'scenario.schema.json': scenarioSchema,
  'hypothesis.schema.json': hypothesisSchema,
  'kb-info.schema.json': kbInfoSchema,
  'readiness.schema.json': readinessSchema,
  'incident.schema.json': incidentSchema,
  'artifacts.schema.json': artifactsSchema,
  'case-create.schema.json': caseCreateSchema,
  'case-patch.schema.json': casePatchSchema,
  'case-outcome.schema.json': caseOutcomeSchema,
  'case.schema.json': caseSchema,
  'case-list.schema.json': caseListSchema,
  'case-stats.schema.json': caseStatsSchema,
  'kb-eval.schema.json': kbEvalSchema,
  'kb-validate.schema.json': kbValidateSchema,
  'kb-seal.schema.json': kbSealSchema,
  'kb-lint.schema.json': kbLintSchema,
  'kb-test.schema.json': kbTestSchema,
  'kb-diff.schema.json': kbDiffSchema,
  'kb-suggest.schema.json': kbSuggestSchema,
  'kb-show.schema.json': kbShowSchema,
  'fact-list.schema.json': factListSchema,
};

/**
 * The validator for a shipped schema. All are compiled once, at build time, by one ajv
 * instance (scripts/build-validators.mjs), so starting the CLI costs no compilation.
 */
export function validator(file: SchemaFile): ValidateFunction {
  return VALIDATORS[file];
}

/** The validator of a saved `rca kb eval -f json` run of one mode (kb-eval.schema.json's diagnosisEvalRun or interviewEvalRun). */
export function evalRunValidator(mode: 'diagnosis' | 'interview'): ValidateFunction {
  return mode === 'interview' ? interviewEvalRunSchema : diagnosisEvalRunSchema;
}

/**
 * The errors of the alternative a value was meant for. A failed oneOf/anyOf reports every
 * alternative's errors and then itself. A value is meant for an alternative of its own type (an
 * array for `[a, a]` against `"none"` or a list) and, of those, for the one it comes closest to,
 * with the fewest errors at the value itself, then in all (a leaf condition missing its `operator`
 * rather than an `all` with two properties too many): its errors are kept, each one a problem of its own, and the others and
 * the oneOf itself are dropped. When the value fits no alternative's type, the oneOf alone is
 * kept, naming in `params.alternatives` each alternative's most specific expectation (its `const`
 * or `enum` rather than its `type`), which expectedText joins with "or".
 */
export function meantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  // Dropped errors become undefined; a oneOf the value fits no alternative of is replaced.
  const out: Array<ErrorObject | undefined> = [...errors];
  errors.forEach((choice, at) => {
    if (choice.keyword !== 'oneOf' && choice.keyword !== 'anyOf') return;
    out[at] = undefined;
    const found = alternativesByBranch(errors, choice, at) ?? alternativesByDefinition(errors, choice, at);
    if (!found) return;
    const { from, alternativeOf, atTop } = found;
    const block: number[] = [];
    for (let i = from; i < at; i++) if (out[i] !== undefined) block.push(i);
    const alternative = (i: number) => alternativeOf(out[i] as ErrorObject);
    // Errors at the value itself first, then all: an `all` whose five conditions each lack an
    // operator is still an `all`, not an `any` with one property too many.
    const misses = new Map<unknown, number>();
    for (const i of block) {
      const error = out[i] as ErrorObject;
      misses.set(alternative(i), (misses.get(alternative(i)) ?? 0) + (error.instancePath === choice.instancePath ? MISS_AT_VALUE : 1));
    }
    const misfits = new Set(block.filter((i) => atTop(out[i] as ErrorObject, 'type')).map(alternative));
    const fitting = [...misses].filter(([a]) => !misfits.has(a));
    if (fitting.length > 0) {
      const fewest = Math.min(...fitting.map(([, count]) => count));
      const meant = new Set(fitting.filter(([, count]) => count === fewest).map(([a]) => a));
      for (const i of block) if (!meant.has(alternative(i))) out[i] = undefined;
    } else if (block.length > 0) {
      const valuesNamed = new Set(block.filter((i) => atTop(out[i] as ErrorObject, 'const') || atTop(out[i] as ErrorObject, 'enum')).map(alternative));
      const alternatives = block.filter((i) => !(atTop(out[i] as ErrorObject, 'type') && valuesNamed.has(alternative(i)))).map((i) => expectedText(out[i] as ErrorObject));
      for (const i of block) out[i] = undefined;
      out[at] = { ...choice, params: { ...choice.params, alternatives: [...new Set(alternatives)] } };
    }
  });
  return out.filter((e): e is ErrorObject => e !== undefined);
}

/** An error at the value itself outweighs any number deeper in it (a file holds far fewer than this many errors). */
const MISS_AT_VALUE = 1e6;

/** Where a oneOf's alternatives' errors begin, and how to tell which alternative an error is of. */
interface Alternatives {
  /** The first of the alternatives' errors: ajv reports them together, right before the oneOf. */
  from: number;
  /** A key that is the same for the errors of one alternative and differs between alternatives. */
  alternativeOf(error: ErrorObject): unknown;
  /** Whether `error` is its alternative's own `keyword` at the value itself (its type, const or enum). */
  atTop(error: ErrorObject, keyword: string): boolean;
}

/**
 * Alternatives written in place report schema paths below the oneOf's (`.../oneOf/1/uniqueItems`):
 * the branch number tells them apart. Walking back over those errors alone keeps the whole pass
 * linear in the errors (times the nesting of oneOfs).
 */
function alternativesByBranch(errors: readonly ErrorObject[], choice: ErrorObject, at: number): Alternatives | undefined {
  const prefix = `${choice.schemaPath}/`;
  const branchOf = (e: ErrorObject) => (e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(choice.instancePath) ? Number(e.schemaPath.slice(prefix.length).split('/', 1)[0]) : -1);
  let from = at;
  while (from > 0 && branchOf(errors[from - 1] as ErrorObject) >= 0) from--;
  if (from === at) return undefined;
  return { from, alternativeOf: branchOf, atTop: (e, keyword) => e.instancePath === choice.instancePath && e.schemaPath === `${prefix}${branchOf(e)}/${keyword}` };
}

/**
 * Alternatives that are each a `$ref` to a definition compiled on its own (a recursive one: a
 * rule's condition, whose `all` holds conditions) report schema paths relative to that definition
 * (`#/required`), the same for every alternative. They are told apart by the schema that reported
 * each error (ajv's `verbose` parentSchema): an error at the value itself is of the alternative
 * whose schema reported it; one deeper in the value is of the alternative that declares the
 * property it lies under (an `all` whose third condition is wrong), or, when no alternative
 * reporting at the value declares it, of one with no error at the value itself, keyed by that property.
 */
function alternativesByDefinition(errors: readonly ErrorObject[], choice: ErrorObject, at: number): Alternatives | undefined {
  const refs = choice.schema;
  if (!Array.isArray(refs) || !refs.every((r) => typeof (r as { $ref?: unknown } | null)?.$ref === 'string')) return undefined;
  const here = choice.instancePath;
  const within = (e: ErrorObject) => e.instancePath === here || e.instancePath.startsWith(`${here}/`);
  // The alternatives' errors lie within the value and name the schema that reported them. One
  // that the schema holding the oneOf reported at the value itself is a keyword beside the oneOf,
  // not an alternative's; deeper in the value, the same schema is a nested condition's oneOf.
  const besideTheChoice = (e: ErrorObject) => e.parentSchema === choice.parentSchema && e.instancePath === here;
  let from = at;
  while (from > 0 && within(errors[from - 1] as ErrorObject) && isSchema((errors[from - 1] as ErrorObject).parentSchema) && !besideTheChoice(errors[from - 1] as ErrorObject)) from--;
  if (from === at) return undefined;
  const reportingHere = new Set<Record<string, unknown>>();
  for (let i = from; i < at; i++) if ((errors[i] as ErrorObject).instancePath === here) reportingHere.add((errors[i] as ErrorObject).parentSchema as Record<string, unknown>);
  const alternativeOf = (e: ErrorObject): unknown => {
    if (e.instancePath === here) return e.parentSchema;
    const step = e.instancePath.slice(here.length + 1).split('/', 1)[0] as string;
    const property = step.replace(/~1/g, '/').replace(/~0/g, '~');
    for (const schema of reportingHere) if (declares(schema, property)) return schema;
    return `/${property}`;
  };
  return { from, alternativeOf, atTop: (e, keyword) => e.instancePath === here && e.keyword === keyword };
}

const isSchema = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Whether a schema says what the value's `property` (an item's index, for an array) holds. */
function declares(schema: Record<string, unknown>, property: string): boolean {
  const properties = schema.properties;
  if (isSchema(properties) && Object.hasOwn(properties, property)) return true;
  return schema.items !== undefined && /^\d+$/.test(property);
}

/** What the schema holding a failed keyword says its value must be, in words (`x-expected`). */
const expectedInWords = (error: ErrorObject): string | undefined => (error.parentSchema as { 'x-expected'?: string } | undefined)?.['x-expected'];

/** A number or boolean sent as a string (a ticket form's "502", "true"): the hint to send it bare. */
function quotedLiteralHint(type: unknown, data: unknown): string {
  if (typeof data !== 'string' || data.length > 32) return '';
  const number = (type === 'number' || type === 'integer') && /^-?\d+(?:\.\d+)?$/.test(data) && (type === 'number' || !data.includes('.'));
  const boolean = type === 'boolean' && (data === 'true' || data === 'false');
  return number || boolean ? ` (write ${data} unquoted)` : '';
}

/** Says in words what a failed ajv keyword wanted, for "expected X, got Y" messages. */
export function expectedText(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  // A oneOf/anyOf the value fits no alternative of: meantErrors names what each wanted.
  if (Array.isArray(p.alternatives)) return p.alternatives.join(' or ');
  switch (error.keyword) {
    case 'type':
      // JSON Schema's numbers are finite: Infinity and NaN (YAML's .inf, .nan) fail "number" too.
      // A type list (["string", "null"]) is one of its types, in words, not ajv's "string,null".
      if (Array.isArray(p.type)) return p.type.join(' or ');
      if (typeof error.data === 'number' && !Number.isFinite(error.data) && (p.type === 'number' || p.type === 'integer')) return `a finite ${p.type}`;
      return `${String(p.type)}${quotedLiteralHint(p.type, error.data)}`;
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      const meant = typeof error.data === 'string' ? didYouMean(error.data, allowed.filter((v): v is string => typeof v === 'string')) : '';
      return `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${meant}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(p.comparison)} ${String(p.limit)}`;
    case 'maxLength':
      return `at most ${String(p.limit)} characters`;
    case 'minLength':
      return `at least ${String(p.limit)} character${p.limit === 1 ? '' : 's'}`;
    case 'minItems':
      return `at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `at most ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return `no item twice (items ${Math.min(Number(p.i), Number(p.j))} and ${Math.max(Number(p.i), Number(p.j))} are the same)`;
    case 'propertyNames':
      return `a valid property name, not ${JSON.stringify(p.propertyName)}`;
    case 'required':
      return `property ${JSON.stringify(p.missingProperty)}`;
    case 'dependencies':
      return `property ${JSON.stringify(p.missingProperty)} beside ${JSON.stringify(p.property)}`;
    case 'additionalProperties': {
      // A misspelt key (`alternate:` for `alternates:`, `rule:` for `rules:`) is named with the key meant, of those the object takes.
      const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
      return `no property ${JSON.stringify(p.additionalProperty)}${properties ? didYouMean(String(p.additionalProperty), Object.keys(properties)) : ''}`;
    }
    case 'pattern':
      // A schema names what its long patterns (host names, URLs) stand for in `x-expected`.
      return expectedInWords(error) ?? `a string matching ${String(p.pattern)}`;
    case 'const':
      return `${JSON.stringify(p.allowedValue)}`;
    case 'not':
      // A `not` says what is refused, never what is wanted: the schema says that in `x-expected`.
      return expectedInWords(error) ?? 'a different value';
    default:
      return error.message ?? error.keyword;
  }
}
