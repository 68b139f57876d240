import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { expectedText } from '../../src/core/schemas.js';

/** The errors ajv reports for `data` against `schema`, as the validators built from schemas/ report them. */
function errorsOf(schema: Record<string, unknown>, data: unknown): ErrorObject[] {
  const validate = new Ajv({ allErrors: true }).compile(schema);
  validate(data);
  return validate.errors ?? [];
}

const expected = (schema: Record<string, unknown>, data: unknown) => errorsOf(schema, data).map(expectedText);

describe('expectedText', () => {
  it('says what a schema keyword expected in words, never in ajv\'s "must NOT ..." phrasing', () => {
    expect(expected({ type: 'array', maxItems: 2 }, [1, 2, 3])).toEqual(['at most 2 items']);
    expect(expected({ type: 'array', maxItems: 1 }, [1, 2])).toEqual(['at most 1 item']);
    expect(expected({ type: 'array', uniqueItems: true }, ['a', 'b', 'a'])).toEqual(['no item twice (items 0 and 2 are the same)']);
    expect(expected({ oneOf: [{ const: 'none' }, { type: 'array' }] }, 3)).toEqual(['"none"', 'array', 'one of the forms the schema allows']);
    expect(expected({ anyOf: [{ type: 'string' }, { type: 'number' }] }, true)).toEqual(['string', 'number', 'one of the forms the schema allows']);
    expect(expected({ type: 'object', propertyNames: { pattern: '^[a-z]+$' } }, { Bad: 1 })).toEqual(['a string matching ^[a-z]+$', 'a valid property name, not "Bad"']);
  });

  it('keeps the phrasing of the keywords it already named', () => {
    expect(expected({ type: 'array', minItems: 1 }, [])).toEqual(['at least 1 item']);
    expect(expected({ type: 'string', maxLength: 3 }, 'abcd')).toEqual(['at most 3 characters']);
    expect(expected({ type: 'object', required: ['a'] }, {})).toEqual(['property "a"']);
  });
});
