import type { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsSchema, caseCreateSchema, caseListSchema, caseOutcomeSchema, caseStatsSchema, casePatchSchema, caseSchema, diagnoseRequestSchema, diagnosisSchema, factsSchema, hypothesisSchema, incidentSchema, interviewStepSchema, kbFileSchema, kbInfoSchema, kbLockSchema, problemSchema, questionSchema, scenarioSchema } from '../generated/validators.js';
import { schemasDir } from './paths.js';

export const SCHEMA_FILES = [
  'facts.schema.json',
  'kb-file.schema.json',
  'diagnosis.schema.json',
  'diagnose-request.schema.json',
  'kb-lock.schema.json',
  'question.schema.json',
  'interview-step.schema.json',
  'problem.schema.json',
  'scenario.schema.json',
  'hypothesis.schema.json',
  'kb-info.schema.json',
  'incident.schema.json',
  'artifacts.schema.json',
  'case-create.schema.json',
  'case-patch.schema.json',
  'case-outcome.schema.json',
  'case.schema.json',
  'case-list.schema.json',
  'case-stats.schema.json',
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
  'kb-lock.schema.json': kbLockSchema,
  'question.schema.json': questionSchema,
  'interview-step.schema.json': interviewStepSchema,
  'problem.schema.json': problemSchema,
  'scenario.schema.json': scenarioSchema,
  'hypothesis.schema.json': hypothesisSchema,
  'kb-info.schema.json': kbInfoSchema,
  'incident.schema.json': incidentSchema,
  'artifacts.schema.json': artifactsSchema,
  'case-create.schema.json': caseCreateSchema,
  'case-patch.schema.json': casePatchSchema,
  'case-outcome.schema.json': caseOutcomeSchema,
  'case.schema.json': caseSchema,
  'case-list.schema.json': caseListSchema,
  'case-stats.schema.json': caseStatsSchema,
};

/**
 * The validator for a shipped schema. All are compiled once, at build time, by one ajv
 * instance (scripts/build-validators.mjs), so starting the CLI costs no compilation.
 */
export function validator(file: SchemaFile): ValidateFunction {
  return VALIDATORS[file];
}

/**
 * The errors of the alternative a value was meant for. A failed oneOf/anyOf reports every
 * alternative's errors and then itself. A value is meant for an alternative of its own type (an
 * array for `[a, a]` against `"none"` or a list) and, of those, for the one it comes closest to,
 * with the fewest errors (a leaf condition missing its `operator` rather than an `all` with two
 * properties too many): its errors are kept, each one a problem of its own, and the others and
 * the oneOf itself are dropped. When the value fits no alternative's type, the oneOf alone is
 * kept, naming in `params.alternatives` each alternative's most specific expectation (its `const`
 * or `enum` rather than its `type`), which expectedText joins with "or". Alternatives behind a
 * recursive `$ref` report paths relative to their own definition and cannot be told apart: then
 * only the oneOf is dropped.
 */
export function meantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  // Dropped errors become undefined; a oneOf the value fits no alternative of is replaced.
  const out: Array<ErrorObject | undefined> = [...errors];
  errors.forEach((choice, at) => {
    if (choice.keyword !== 'oneOf' && choice.keyword !== 'anyOf') return;
    const prefix = `${choice.schemaPath}/`;
    const branchOf = (e: ErrorObject) => (e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(choice.instancePath) ? Number(e.schemaPath.slice(prefix.length).split('/', 1)[0]) : -1);
    const atTop = (e: ErrorObject, keyword: string) => e.instancePath === choice.instancePath && e.schemaPath === `${prefix}${branchOf(e)}/${keyword}`;
    // ajv reports a oneOf's alternatives' errors together, right before its own: walking back over
    // them alone keeps the whole pass linear in the errors (times the nesting of oneOfs).
    let from = at;
    while (from > 0 && branchOf(errors[from - 1] as ErrorObject) >= 0) from--;
    const block: number[] = [];
    for (let i = from; i < at; i++) if (out[i] !== undefined) block.push(i);
    const branch = (i: number) => branchOf(out[i] as ErrorObject);
    const counts = new Map<number, number>();
    for (const i of block) counts.set(branch(i), (counts.get(branch(i)) ?? 0) + 1);
    const misfits = new Set(block.filter((i) => atTop(out[i] as ErrorObject, 'type')).map(branch));
    const fitting = [...counts].filter(([b]) => !misfits.has(b));
    out[at] = undefined;
    if (fitting.length > 0) {
      const fewest = Math.min(...fitting.map(([, count]) => count));
      const meant = new Set(fitting.filter(([, count]) => count === fewest).map(([b]) => b));
      for (const i of block) if (!meant.has(branch(i))) out[i] = undefined;
    } else if (block.length > 0) {
      const valuesNamed = new Set(block.filter((i) => atTop(out[i] as ErrorObject, 'const') || atTop(out[i] as ErrorObject, 'enum')).map(branch));
      const alternatives = block.filter((i) => !(atTop(out[i] as ErrorObject, 'type') && valuesNamed.has(branch(i)))).map((i) => expectedText(out[i] as ErrorObject));
      for (const i of block) out[i] = undefined;
      out[at] = { ...choice, params: { ...choice.params, alternatives: [...new Set(alternatives)] } };
    }
  });
  return out.filter((e): e is ErrorObject => e !== undefined);
}

/** Says in words what a failed ajv keyword wanted, for "expected X, got Y" messages. */
export function expectedText(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  // A oneOf/anyOf the value fits no alternative of: meantErrors names what each wanted.
  if (Array.isArray(p.alternatives)) return p.alternatives.join(' or ');
  switch (error.keyword) {
    case 'type':
      return String(p.type);
    case 'enum':
      return `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
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
    case 'additionalProperties':
      return `no property ${JSON.stringify(p.additionalProperty)}`;
    case 'pattern':
      // A schema names what its long patterns (host names, URLs) stand for in `x-expected`.
      return (error.parentSchema as { 'x-expected'?: string } | undefined)?.['x-expected'] ?? `a string matching ${String(p.pattern)}`;
    case 'const':
      return `${JSON.stringify(p.allowedValue)}`;
    case 'not':
      return 'a different value';
    default:
      return error.message ?? error.keyword;
  }
}
