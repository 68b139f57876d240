import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { expectedText, meantErrors } from '../../src/core/schemas.js';

/** The errors ajv reports for `data` against `schema`, as the validators built from schemas/ report them (allErrors). */
function errorsOf(schema: Record<string, unknown>, data: unknown): ErrorObject[] {
  const validate = new Ajv({ allErrors: true }).compile(schema);
  validate(data);
  return validate.errors ?? [];
}

const expected = (schema: Record<string, unknown>, data: unknown) => errorsOf(schema, data).map(expectedText);
const meant = (schema: Record<string, unknown>, data: unknown) => meantErrors(errorsOf(schema, data)).map((e) => [e.instancePath, expectedText(e)]);

describe('expectedText', () => {
  it('says what a schema keyword expected in words, never in ajv\'s "must NOT ..." phrasing', () => {
    expect(expected({ type: 'array', maxItems: 2 }, [1, 2, 3])).toEqual(['at most 2 items']);
    expect(expected({ type: 'array', maxItems: 1 }, [1, 2])).toEqual(['at most 1 item']);
    expect(expected({ type: 'array', uniqueItems: true }, ['a', 'b', 'a'])).toEqual(['no item twice (items 0 and 2 are the same)']);
    expect(expected({ type: 'object', propertyNames: { pattern: '^[a-z]+$' } }, { Bad: 1 })).toEqual(['a string matching ^[a-z]+$', 'a valid property name, not "Bad"']);
  });

  it('keeps the phrasing of the keywords it already named', () => {
    expect(expected({ type: 'array', minItems: 1 }, [])).toEqual(['at least 1 item']);
    expect(expected({ type: 'string', maxLength: 3 }, 'abcd')).toEqual(['at most 3 characters']);
    expect(expected({ type: 'object', required: ['a'] }, {})).toEqual(['property "a"']);
  });
});

describe('meantErrors', () => {
  // An incident's cause: "none", or a list of hypothesis ids.
  const cause = { oneOf: [{ type: 'string', const: 'none' }, { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-z]+\\.[a-z_]+$' } }] };

  it('keeps the errors of the alternative of the value\'s own type, and drops the rest and the oneOf itself', () => {
    expect(meant(cause, ['a.b', 'a.b'])).toEqual([['', 'no item twice (items 0 and 1 are the same)']]);
    expect(meant(cause, ['A'])).toEqual([['/0', 'a string matching ^[a-z]+\\.[a-z_]+$']]);
    expect(meant(cause, 'nope')).toEqual([['', '"none"']]);
  });

  it('of alternatives of the same type, keeps the one the value comes closest to: the fewest errors', () => {
    const leafOrGroup = { oneOf: [{ type: 'object', required: ['fact', 'operator'] }, { type: 'object', required: ['all'], additionalProperties: false, properties: { all: {} } }] };
    expect(meant(leafOrGroup, { fact: 'ping.result' })).toEqual([['', 'property "operator"']]);
    expect(meant(leafOrGroup, {})).toEqual([['', 'property "all"']]);
  });

  it('keeps each alternative\'s most specific expectation when the value fits none of their types', () => {
    expect(meant(cause, 3)).toEqual([['', '"none" or array']]);
    expect(meant({ anyOf: [{ type: 'string' }, { type: 'number' }] }, true)).toEqual([['', 'string or number']]);
  });

  it('stays linear in the errors: a file of 20,000 failed alternatives is explained at once, not in minutes', () => {
    const errors = errorsOf({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', required: ['a'] }] } }, Array.from({ length: 20_000 }, () => ({})));
    const started = performance.now();
    const kept = meantErrors(errors);
    // A generous bound that catches a stall: every oneOf scanning every error took tens of seconds here.
    expect(performance.now() - started).toBeLessThan(2000);
    expect([kept.length, expectedText(kept[0] as ErrorObject), kept[0]?.instancePath]).toEqual([20_000, 'property "a"', '/0']);
  });

  it('leaves errors outside any alternative as they are', () => {
    expect(meant({ type: 'object', required: ['a', 'b'] }, {})).toEqual([['', 'property "a"'], ['', 'property "b"']]);
    // The same oneOf at two places of the document: each is judged on its own errors.
    const pair = { type: 'array', items: cause };
    expect(meant(pair, [3, ['x.y', 'x.y']])).toEqual([['/0', '"none" or array'], ['/1', 'no item twice (items 0 and 1 are the same)']]);
  });

  it('keeps every error of the alternative meant, each on its own: they all must be mended', () => {
    const list = { oneOf: [{ type: 'string', const: 'none' }, { type: 'array', maxItems: 3, uniqueItems: true }] };
    expect(meant(list, ['a', 'a', 'a', 'a'])).toEqual([['', 'at most 3 items'], ['', 'no item twice (items 2 and 3 are the same)']]);
  });
});
