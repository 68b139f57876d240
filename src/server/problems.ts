import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { ERRORS, formatProblem, listedProblems, type ErrorCode } from '../core/errors.js';
import type { HeaderError, Problem } from '../generated/problem.js';
import { REQUEST_ID, RETRY_AFTER } from './headers.js';

/** The media type of every error answer (RFC 9457). */
export const PROBLEM_TYPE = 'application/problem+json';

/** Stable problem types (RFC 9457); clients may switch on `type`. */
export const PROBLEM_BASE = 'https://rca.local/problems/';

export type { HeaderError, ParameterError, PointerError, Problem } from '../generated/problem.js';
/** One thing wrong in the request: in its body or in its query string. */
export type ProblemError = NonNullable<Problem['errors']>[number];

/** What a problem says about the request it answers (a FastifyRequest is one). */
export interface ProblemSource {
  url: string;
  id: string;
}

/**
 * The problem answering `code` (its status, type and title from ERRORS). `status` overrides
 * the table's only for E_USAGE, which also answers fastify's other 4xx errors with theirs.
 */
export function problem(code: ErrorCode, detail: string, request: ProblemSource, errors?: ProblemError[], status: number = ERRORS[code].status): Problem {
  const { slug, title } = ERRORS[code];
  return {
    type: `${PROBLEM_BASE}${slug}`,
    title,
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
    // At most MAX_LISTED_PROBLEMS, as the detail (an InputError's message) lists and counts them.
    ...(errors && { errors: listedProblems(errors).listed }),
  };
}

/** The problem answering `code` for what is wrong with the request's headers: each in `errors`, and in the detail as a body's problems are said. */
export function headerProblem(code: ErrorCode, request: ProblemSource, ...errors: HeaderError[]): Problem {
  return problem(code, errors.map(({ header, expected, got }) => formatProblem({ field: header, expected, got })).join('; '), request, errors);
}

/** An error the error handler answers with `body` as it is (thrown from hooks and plugins). */
export function problemError(body: Problem): Error & { statusCode: number; rcaProblem: Problem } {
  return Object.assign(new Error(body.detail), { statusCode: body.status, rcaProblem: body });
}

/** Seconds a client is told to wait before retrying a request the case store could not serve: a failed opening is retried after 1 s, then longer. */
export const STORE_RETRY_AFTER_S = 5;
/** Seconds a client is told to wait before retrying a request refused because the server is shutting down (by then another replica takes it). */
export const SHUTDOWN_RETRY_AFTER_S = 5;

/**
 * The problems that say when to try again (RFC 9110 10.2.3), and in how many seconds: a case store
 * that cannot be used is an outage a client waits out, and a server shutting down is one to come
 * back to, rather than leave each ticketing system to guess. The OpenAPI document declares
 * Retry-After on their statuses from here.
 */
export const RETRY_AFTER_S: Partial<Record<ErrorCode, number>> = { E_STORE: STORE_RETRY_AFTER_S, E_SHUTTING_DOWN: SHUTDOWN_RETRY_AFTER_S };
const retryAfterOf = new Map(Object.entries(RETRY_AFTER_S).map(([code, seconds]) => [`${PROBLEM_BASE}${ERRORS[code as ErrorCode].slug}`, seconds]));

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  const retryAfter = retryAfterOf.get(body.type);
  if (retryAfter !== undefined) reply.header(RETRY_AFTER.name, String(retryAfter));
  return reply.code(body.status).type(PROBLEM_TYPE).send(body);
}

/**
 * A whole HTTP/1.1 response carrying `body`, for answers written straight to a socket: to a
 * request fastify never saw (a timeout, headers too large, a malformed request line).
 */
export function rawProblemResponse(body: Problem): string {
  const json = JSON.stringify(body);
  // The request id in a header too, as every answer fastify sends has it (ids are made here: plain).
  return `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? 'Error'}\r\nContent-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(json)}\r\n${REQUEST_ID.name}: ${body.requestId}\r\nConnection: close\r\n\r\n${json}`;
}
