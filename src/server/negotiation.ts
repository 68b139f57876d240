import Negotiator from 'negotiator';
import { describeValue } from '../core/errors.js';
import type { HeaderError } from '../generated/problem.js';
import { PROBLEM_TYPE } from './problems.js';

/** What every route but /metrics answers with: its Content-Type. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** The media type of a JSON Merge Patch (RFC 7396): what a PATCH's body may be declared as, besides application/json. */
export const MERGE_PATCH_TYPE = 'application/merge-patch+json';
/** The media types a request of METHOD may send its body as. */
export const bodyTypesOf = (method: string): readonly string[] => (method === 'PATCH' ? ['application/json', MERGE_PATCH_TYPE] : ['application/json']);

/**
 * What is wrong with a request's Accept header for a route whose answers are `offers`, if
 * anything: an Accept that takes none of them is refused (406) rather than answered in a type
 * the client said it cannot read. Negotiated as RFC 9110 12.5.1 says, by negotiator (the
 * media-range matching of express and of @fastify/accepts): a range's q-value, the most
 * specific range deciding for a type (`application/json;q=0, *\/*` refuses JSON), q=0 meaning
 * "not this", parameters compared when a range names them (`application/json; charset=utf-8`
 * takes the answers, `charset=latin1` does not). It parses in linear time, without regular
 * expressions, whatever the header holds. No Accept takes anything (12.5.1); nor does an empty
 * one refuse anything: the RFC lets a server disregard the field, and a connector that clears
 * the header means no preference; a route whose answer has no body (no `offers`) takes any. Errors are application/problem+json whatever the Accept (the
 * 406 itself too, as RFC 9110 15.5.7 allows): they are not a representation of what the route
 * serves, so an Accept of application/problem+json alone takes none of a route's answers.
 */
export function acceptProblem(accept: string | undefined, offers: readonly string[]): HeaderError | undefined {
  // A route that answers no body (DELETE's 204) has nothing for an Accept to refuse.
  if (accept === undefined || accept.trim() === '' || offers.length === 0) return undefined;
  if (new Negotiator({ headers: { accept } }).mediaTypes([...offers]).length > 0) return undefined;
  return { header: 'Accept', expected: `a media range that takes ${offers.join(' or ')} (errors are ${PROBLEM_TYPE})`, got: describeValue(accept) };
}
