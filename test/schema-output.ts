import { expect } from 'vitest';
import { validator, type SchemaFile } from '../src/core/schemas.js';
import { runCli, type CliOptions } from './cli/run.js';

/**
 * DOC is of FILE's schema, and the schema is strict: the same document with one property more,
 * at the object POINTER names, is refused at that place.
 */
export function expectOfSchema(file: SchemaFile, doc: unknown, pointer = ''): void {
  const validate = validator(file);
  expect([validate(doc), validate.errors ?? null]).toEqual([true, null]);
  const nearMiss = structuredClone(doc);
  const target = pointer.split('/').slice(1).reduce<Record<string, unknown>>((object, key) => object[key] as Record<string, unknown>, nearMiss as Record<string, unknown>);
  target.unexpected = true;
  expect(validate(nearMiss)).toBe(false);
  expect(validate.errors?.filter((e) => e.keyword === 'additionalProperties').map((e) => [e.instancePath, e.params])).toContainEqual([pointer, { additionalProperty: 'unexpected' }]);
}

/** What `rca ARGS` prints, with exit EXIT and nothing on stderr, is of FILE's schema (the one the command's code is typed by), strictly: see expectOfSchema. */
export async function printsAsSchema(file: SchemaFile, args: string[], exit = 0, pointer = '', options: CliOptions = {}): Promise<Record<string, unknown>> {
  const run = await runCli(args, options);
  expect([run.code, run.stderr]).toEqual([exit, '']);
  const printed = JSON.parse(run.stdout) as Record<string, unknown>;
  expectOfSchema(file, printed, pointer);
  return printed;
}

/**
 * DOC is what `rca diagnose` reads (diagnose-request.schema.json), its facts flat and each of the
 * shipped vocabulary (facts.schema.json): what rca parse and rca collect print, and what rca
 * interview --save writes. Both schemas refuse a property more: the document's, and a fact
 * of no such name.
 */
export function expectFactsDocument(doc: unknown): void {
  expectOfSchema('diagnose-request.schema.json', doc);
  expectOfSchema('facts.schema.json', (doc as { facts: unknown }).facts);
}
