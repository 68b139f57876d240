import { describeValue } from '../core/errors.js';
import { SUPPORTED_LANG_TAG, SUPPORTED_LANGS_EXPECTED } from '../core/localize.js';
import type { ParameterError } from './problems.js';

/** A route's querystring schema, as the routes declare it: string parameters, each optionally one of an enum or matching a pattern (`x-expected` says what it stands for). */
export interface QuerySchema {
  properties?: Record<string, { enum?: readonly string[]; pattern?: string; 'x-expected'?: string }>;
}

/** The `lang` parameter of the GET routes whose answers have texts: any tag of a supported language (en-GB, zh), as the body's `lang`, --lang and Accept-Language take. */
export const LANG_PARAMETER = {
  type: 'string',
  pattern: SUPPORTED_LANG_TAG.source,
  'x-expected': SUPPORTED_LANGS_EXPECTED,
  description: 'The language of the answer, en or zh-CN or another tag of those languages (else from Accept-Language)',
} as const;

/** Each route's patterns, compiled once: the hook checks every request's query. */
const patterns = new Map<string, RegExp>();
const patternOf = (source: string) => patterns.get(source) ?? patterns.set(source, new RegExp(source)).get(source) as RegExp;

const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * What is wrong with a parsed query string against the route's schema: a parameter the
 * route does not take, one given more than once (the parser then yields an array), or a
 * value outside the parameter's enum or pattern. Empty when the query is acceptable.
 */
export function queryProblems(query: Record<string, unknown>, schema: QuerySchema | undefined): ParameterError[] {
  const known = schema?.properties ?? {};
  const names = Object.keys(known);
  return Object.entries(query).flatMap(([parameter, value]): ParameterError[] => {
    const spec = Object.hasOwn(known, parameter) ? known[parameter] : undefined;
    if (!spec) return [{ parameter, expected: names.length > 0 ? `one of the parameters ${quoted(names)}` : 'no query parameters', got: 'an unknown parameter' }];
    if (Array.isArray(value)) return [{ parameter, expected: 'the parameter at most once', got: `${value.length} values` }];
    if (spec.enum && !spec.enum.includes(value as string)) return [{ parameter, expected: `one of ${quoted(spec.enum)}`, got: describeValue(value) }];
    if (spec.pattern && !patternOf(spec.pattern).test(value as string)) return [{ parameter, expected: spec['x-expected'] ?? `a string matching ${spec.pattern}`, got: describeValue(value) }];
    return [];
  });
}
