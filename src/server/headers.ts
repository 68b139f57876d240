import { isDeepStrictEqual } from 'node:util';
import { SUPPORTED_LANGS } from '../core/localize.js';

/**
 * A response header rca sends beyond HTTP's own (Content-Type, Content-Length, Vary,
 * Content-Encoding, Connection): its name, which the code that sends it uses, and its schema and
 * meaning, which the OpenAPI document declares on the answers that carry it (declaredHeaders),
 * once, under `component` in components.headers (referToHeaders).
 */
export interface ResponseHeader {
  name: string;
  component: string;
  description: string;
  schema: Record<string, unknown>;
}

/** What an X-Request-Id the client sends must be to be kept (else the request gets a UUID): a plain id, nothing a log line could be forged with. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID: ResponseHeader = {
  name: 'x-request-id',
  component: 'RequestId',
  description: "The request's id, in the server's log lines and in a problem's `requestId`: the X-Request-Id the request sent when it is a plain id, else a UUID of the server's own. On every answer",
  schema: { type: 'string', pattern: REQUEST_ID_PATTERN.source },
};

export const ETAG: ResponseHeader = {
  name: 'etag',
  component: 'ETag',
  description: "The answer's entity tag (a weak tag of its bytes, or a case's own): sent back in If-None-Match, it gets a bodiless 304 while the answer is unchanged",
  schema: { type: 'string' },
};

/** The ETag of an answer about a case, as the case routes set it (caseTag). */
export const CASE_ETAG: ResponseHeader = {
  ...ETAG,
  component: 'CaseETag',
  description: "The case's version and this representation of it (the language, report format and similar past incidents it shows): If-Match takes it; a GET's If-None-Match too",
};

/** The ETag a 412 carries: the case's version now, which the request's If-Match did not name. */
export const CURRENT_CASE_ETAG: ResponseHeader = { ...ETAG, component: 'CurrentCaseETag', description: "The case's current ETag: read the case again, then send it in If-Match" };

export const LOCATION: ResponseHeader = { name: 'location', component: 'Location', description: "The case's path, /v1/cases/{id}", schema: { type: 'string' } };

export const CONTENT_LANGUAGE: ResponseHeader = {
  name: 'content-language',
  component: 'ContentLanguage',
  description: "The language of the answer's texts, as its `lang` names it (a problem's words are English whatever was asked for, and say none)",
  schema: { type: 'string', enum: [...SUPPORTED_LANGS] },
};

export const RETRY_AFTER: ResponseHeader = { name: 'retry-after', component: 'RetryAfter', description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } };
/** The Retry-After of a 429 (@fastify/rate-limit's). */
export const RATE_LIMIT_RETRY_AFTER: ResponseHeader = { ...RETRY_AFTER, component: 'RateLimitRetryAfter', description: 'Seconds until the current minute is over and requests are taken again' };

/** The challenge of a 401 to a request without a bearer token (or with another scheme): RFC 6750 3. */
export const BEARER_CHALLENGE = 'Bearer realm="rca"';
/** The challenge of a 401 to a bearer token that is not a configured one: RFC 6750 3.1. */
export const INVALID_TOKEN_CHALLENGE = `${BEARER_CHALLENGE}, error="invalid_token"`;

export const WWW_AUTHENTICATE: ResponseHeader = {
  name: 'www-authenticate',
  component: 'WWWAuthenticate',
  description: `${BEARER_CHALLENGE}; ${INVALID_TOKEN_CHALLENGE} when the bearer token sent is not a configured one (RFC 6750 3.1)`,
  schema: { type: 'string', enum: [BEARER_CHALLENGE, INVALID_TOKEN_CHALLENGE] },
};

/** The methods a path takes, on its 405 answers (no documented operation has one: OpenAPI lists only the methods a path takes). */
export const ALLOW: ResponseHeader = { name: 'allow', component: 'Allow', description: 'The methods the path takes', schema: { type: 'string' } };

export const RCA_CACHE: ResponseHeader = {
  name: 'x-rca-cache',
  component: 'RcaCache',
  description: 'Whether the answer came from the response cache (rca serve --cache-size); none on a server without it, nor for a request with artifacts, which is always computed',
  schema: { type: 'string', enum: ['hit', 'miss'] },
};

/**
 * The headers @fastify/rate-limit sends on every answer of a rate-limited route once the request
 * was counted (rca serve --rate-limit, per token or per address), under its default names.
 */
export const RATE_LIMIT: readonly ResponseHeader[] = [
  { name: 'x-ratelimit-limit', component: 'RateLimitLimit', description: 'Requests a minute this token (or address, without a valid token) may send', schema: { type: 'integer', minimum: 1 } },
  { name: 'x-ratelimit-remaining', component: 'RateLimitRemaining', description: 'Requests left in the current minute', schema: { type: 'integer', minimum: 0 } },
  { name: 'x-ratelimit-reset', component: 'RateLimitReset', description: 'Seconds until the current minute is over', schema: { type: 'integer', minimum: 0 } },
];

/** What a route's answer schema (under `response`) says of the headers that answer carries, for the OpenAPI document. */
export type DeclaredHeaders = Record<string, Record<string, unknown>>;

/** The `headers` of an answer's schema that carries HEADERS (@fastify/swagger makes each a Header Object: its schema and description). */
export const declaredHeaders = (...headers: readonly ResponseHeader[]): DeclaredHeaders => Object.fromEntries(headers.map(({ name, description, schema }) => [name, { ...schema, description }]));

/** An answer's schema with HEADERS declared too, after the ones it declares already (a route's own description of a header is kept). */
export function withHeaders<T extends object>(answer: T, ...headers: readonly ResponseHeader[]): T & { headers: DeclaredHeaders } {
  const own = (answer as { headers?: DeclaredHeaders }).headers;
  return { ...answer, headers: { ...declaredHeaders(...headers), ...own } };
}

/** Every header above: the OpenAPI document's components.headers. */
const EVERY_HEADER: readonly ResponseHeader[] = [REQUEST_ID, ETAG, CASE_ETAG, CURRENT_CASE_ETAG, LOCATION, CONTENT_LANGUAGE, RETRY_AFTER, RATE_LIMIT_RETRY_AFTER, WWW_AUTHENTICATE, ALLOW, RCA_CACHE, ...RATE_LIMIT];

/** A Header Object as @fastify/swagger makes one of a declared header (declaredHeaders): its schema and description. */
const headerObject = ({ schema, description }: ResponseHeader) => ({ schema, description });

interface OpenApiResponses {
  paths?: Record<string, Record<string, { responses?: Record<string, { headers?: Record<string, unknown> }> }> | undefined>;
  components?: { headers?: Record<string, unknown> };
}

/**
 * Gives the OpenAPI document every header defined once, in components.headers (Allow too, which
 * no documented answer carries: a 405 answers a method the path does not take), and each answer's
 * header a reference to it: the same header on every answer of every route would otherwise be
 * written out on each, more than doubling the document.
 */
export function referToHeaders(openapi: object): void {
  const document = openapi as OpenApiResponses;
  const components = Object.fromEntries(EVERY_HEADER.map((header) => [header.component, headerObject(header)]));
  for (const operations of Object.values(document.paths ?? {})) {
    for (const { responses } of Object.values(operations ?? {})) {
      for (const response of Object.values(responses ?? {})) {
        for (const [name, header] of Object.entries(response.headers ?? {})) {
          const defined = EVERY_HEADER.find((h) => h.name === name && isDeepStrictEqual(headerObject(h), header));
          if (defined) (response.headers as Record<string, unknown>)[name] = { $ref: `#/components/headers/${defined.component}` };
        }
      }
    }
  }
  document.components = { ...document.components, headers: components };
}
