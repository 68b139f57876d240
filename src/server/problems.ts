import type { FastifyReply, FastifyRequest } from 'fastify';

/** Stable problem types (RFC 9457); clients may switch on `type`. */
export const PROBLEM_BASE = 'https://rca.local/problems/';

export type ProblemSlug =
  | 'invalid-input'
  | 'malformed-json'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'rate-limited'
  | 'bad-request'
  | 'internal';

const TITLES: Record<ProblemSlug, string> = {
  'invalid-input': 'The request does not validate',
  'malformed-json': 'The body is not valid JSON',
  'payload-too-large': 'The body is larger than the limit',
  'unsupported-media-type': 'The body must be application/json',
  unauthorized: 'A valid bearer token is required',
  'not-found': 'No such resource',
  'method-not-allowed': 'Method not allowed',
  'rate-limited': 'Too many requests for this token',
  'bad-request': 'Bad request',
  internal: 'Internal error',
};

export interface ProblemError {
  pointer: string;
  expected: string;
  got: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: ProblemError[];
}

export function problem(slug: ProblemSlug, status: number, detail: string, request: FastifyRequest, errors?: ProblemError[]): Problem {
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

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}
