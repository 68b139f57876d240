import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Stable problem types (RFC 9457); clients may switch on `type`. */
export const PROBLEM_BASE = 'https://rca.local/problems/';

export type ProblemSlug =
  | 'invalid-input'
  | 'invalid-query'
  | 'malformed-url'
  | 'malformed-json'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'rate-limited'
  | 'request-timeout'
  | 'headers-too-large'
  | 'shutting-down'
  | 'bad-request'
  | 'internal';

const TITLES: Record<ProblemSlug, string> = {
  'invalid-input': 'The request does not validate',
  'invalid-query': 'The query string does not validate',
  'malformed-url': 'The request path is malformed',
  'malformed-json': 'The body is not valid JSON',
  'payload-too-large': 'The body is larger than the limit',
  'unsupported-media-type': 'The body must be application/json',
  unauthorized: 'A valid bearer token is required',
  'not-found': 'No such resource',
  'method-not-allowed': 'Method not allowed',
  'rate-limited': 'Too many requests for this token',
  'request-timeout': 'The request was not received in time',
  'headers-too-large': 'The request headers are larger than the limit',
  'shutting-down': 'The server is shutting down',
  'bad-request': 'Bad request',
  internal: 'Internal error',
};

/** One thing wrong in a request body, located by a JSON pointer. */
export interface PointerError {
  pointer: string;
  expected: string;
  got: string;
}

/** One thing wrong in a query string, located by the parameter's name. */
export interface ParameterError {
  parameter: string;
  expected: string;
  got: string;
}

export type ProblemError = PointerError | ParameterError;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: ProblemError[];
}

/** What a problem says about the request it answers (a FastifyRequest is one). */
export interface ProblemSource {
  url: string;
  id: string;
}

export function problem(slug: ProblemSlug, status: number, detail: string, request: ProblemSource, errors?: ProblemError[]): Problem {
  return {
    type: `${PROBLEM_BASE}${slug}`,
    title: TITLES[slug],
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
    ...(errors && { errors }),
  };
}

/** An error the error handler answers with `body` as it is (thrown from hooks and plugins). */
export function problemError(body: Problem): Error & { statusCode: number; rcaProblem: Problem } {
  return Object.assign(new Error(body.detail), { statusCode: body.status, rcaProblem: body });
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

/**
 * A whole HTTP/1.1 response carrying `body`, for answers written straight to a socket: to a
 * request fastify never saw (a timeout, headers too large, a malformed request line).
 */
export function rawProblemResponse(body: Problem): string {
  const json = JSON.stringify(body);
  return `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? 'Error'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`;
}
