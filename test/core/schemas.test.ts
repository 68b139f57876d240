import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { expectedText, meantErrors } from '../../src/core/schemas.js';
import { cpuStopwatch } from '../cpu-time.js';

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

  it('tells apart alternatives that are each a recursive definition, whose errors name paths relative to it, by the schema that reported them', () => {
    // A rule's condition: a group of conditions or a leaf, the group's items conditions again.
    const condition = {
      definitions: {
        group: { type: 'object', additionalProperties: false, required: ['all'], properties: { all: { type: 'array', items: { $ref: '#/definitions/condition' } } } },
        leaf: { type: 'object', additionalProperties: false, required: ['fact', 'operator'], properties: { fact: { type: 'string' }, operator: { type: 'string' } } },
        condition: { oneOf: [{ $ref: '#/definitions/group' }, { $ref: '#/definitions/leaf' }] },
      },
      $ref: '#/definitions/condition',
    };
    const errors = (data: unknown) => {
      const validate = new Ajv({ allErrors: true, verbose: true }).compile(condition);
      validate(data);
      return validate.errors ?? [];
    };
    // The premise: no error names its alternative's branch (`#/oneOf/0/...`), so the branch cannot tell them apart.
    expect(errors({ fact: 'a' }).map((e) => e.schemaPath)).toEqual(['#/required', '#/additionalProperties', '#/definitions/leaf/required', '#/oneOf']);
    const kept = (data: unknown) => meantErrors(errors(data)).map((e) => [e.instancePath, expectedText(e)]);
    expect(kept({ fact: 'a' })).toEqual([['', 'property "operator"']]);
    expect(kept({ all: [{ fact: 'a' }, { all: [{ fact: 'b', operator: 'x', extra: 1 }] }] })).toEqual([
      ['/all/0', 'property "operator"'],
      ['/all/1/all/0', 'no property "extra"'],
    ]);
    expect(kept('a')).toEqual([['', 'object']]);
  });

  it('stays linear in the errors: a file of 20,000 failed alternatives is explained at once, not in minutes', () => {
    const errors = errorsOf({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', required: ['a'] }] } }, Array.from({ length: 20_000 }, () => ({})));
    const started = cpuStopwatch();
    const kept = meantErrors(errors);
    // A generous bound that catches a stall: every oneOf scanning every error took tens of seconds here.
    expect(started.ms()).toBeLessThan(2000);
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
