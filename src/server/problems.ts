import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { ERRORS, type ErrorCode } from '../core/errors.js';

/** Stable problem types (RFC 9457); clients may switch on `type`. */
export const PROBLEM_BASE = 'https://rca.local/problems/';

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
