import { describeValue } from '../core/errors.js';
import { takenLanguageTags } from '../core/localize.js';
import type { ParameterError } from './problems.js';

/**
 * A route's querystring schema, as the routes declare it: string parameters, each optionally one of
 * an enum or matching a pattern (`x-expected` says what it stands for), and whole numbers within
 * bounds (`type: 'integer'`, with `minimum` and `maximum`), which the OpenAPI document shows as such.
 */
export interface QuerySchema {
  properties?: Record<string, { type?: string; enum?: readonly string[]; pattern?: string; 'x-expected'?: string; minimum?: number; maximum?: number }>;
}

/** Decimal digits: a query parameter of type integer as the query string spells it. */
const DIGITS = /^\d+$/;

/** What is wrong with VALUE as a whole number from MINIMUM to MAXIMUM, if anything. */
function integerProblem(value: string, { minimum = 0, maximum = Number.MAX_SAFE_INTEGER }: { minimum?: number; maximum?: number }): string | undefined {
  if (DIGITS.test(value) && Number(value) >= minimum && Number(value) <= maximum) return undefined;
  return `a whole number from ${minimum} to ${maximum}`;
}

/**
 * The `lang` parameter of the GET routes whose answers have texts: a tag rca takes, as a
 * request's `lang` (its pattern and words are that one's, the one definition of the languages).
 */
const requestLang = takenLanguageTags();
export const LANG_PARAMETER = {
  type: 'string',
  pattern: requestLang.source,
  'x-expected': requestLang.expected,
  description: "The language of the answer's texts, as a request's `lang` takes it: en, zh-CN, or a tag served in one of them (en-GB; zh, zh-Hans, zh-SG); else from Accept-Language. Content-Language names the one served",
};

/** Each route's patterns, compiled once: the hook checks every request's query. */
const patterns = new Map<string, RegExp>();
const patternOf = (source: string) => patterns.get(source) ?? patterns.set(source, new RegExp(source)).get(source) as RegExp;

const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * What is wrong with a parsed query string against the route's schema: a parameter the
 * route does not take, one given more than once (the parser then yields an array), or a
 * value outside the parameter's enum, pattern or bounds. Empty when the query is acceptable.
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
    const notInteger = spec.type === 'integer' ? integerProblem(value as string, spec) : undefined;
    if (notInteger) return [{ parameter, expected: notInteger, got: describeValue(value) }];
    return [];
  });
}

/** What a query string's names and values must be, for a problem refusing one (malformedParameters). */
const PERCENT_ENCODED = 'percent-encoded UTF-8 (RFC 3986: each byte outside the plain characters as % and two hex digits)';

/** PIECE of a query string decoded as fast-querystring decodes it ('+' a space), or undefined when it is not percent-encoded UTF-8. */
function decoded(piece: string): string | undefined {
  try {
    return decodeURIComponent(piece.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The parameters of a raw query string (what follows the `?`) whose name or value is not
 * percent-encoded UTF-8 (`%zz`, `%C3%28`), each named as the parsed query names it. fastify's
 * parser keeps such a piece as it came, so `?source=%zz` listed the cases whose source is "%zz"
 * where the path would have been a 400.
 */
export function malformedParameters(search: string): ParameterError[] {
  if (!search.includes('%')) return [];
  return search.split('&').flatMap((pair): ParameterError[] => {
    const equals = pair.indexOf('=');
    const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    const parameter = decoded(name);
    const bad = parameter === undefined ? name : decoded(value) === undefined ? value : undefined;
    return bad === undefined ? [] : [{ parameter: parameter ?? name.replace(/\+/g, ' '), expected: PERCENT_ENCODED, got: JSON.stringify(bad.slice(0, 60)) }];
  });
}
