import { randomUUID } from 'node:crypto';
import { type IncomingMessage, METHODS, ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyContextConfig, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { kindsCarrying, parseArtifact } from '../collect/parsers/index.js';
import { diagnose } from '../core/diagnose.js';
import { describeValue, ERRORS, formatProblem, InputError, pointerToken, StoreUnavailable, type InputProblem } from '../core/errors.js';
import { parsedJsonError, stripByteOrderMark } from '../core/json.js';
import { whyJsonRefused } from './json-body.js';
import { decodeUtf8 } from '../core/utf8.js';
import { nextQuestion } from '../core/interview.js';
import { describeQuestion } from '../core/question.js';
import { checkAsWritten } from '../core/variants.js';
import { kbCounts, type KnowledgeBase } from '../core/kb.js';
import type { HypothesisDescription } from '../generated/hypothesis.js';
import type { KbInfo } from '../generated/kb-info.js';
import type { Readiness } from '../generated/readiness.js';
import { DEFAULT_LANG, localize, supportedLanguage } from '../core/localize.js';
import { renderReport } from '../core/render.js';
import { parseDiagnoseRequest, type DiagnoseRequest } from '../core/request.js';
import { directReadings } from '../core/paste.js';
import { readSchema, type SchemaFile } from '../core/schemas.js';
import { factsSchemaOf } from '../core/vocabulary.js';
import type { KbHolder } from './kb-holder.js';
import { Metrics } from './metrics.js';
import { headerProblem, problem, problemError, RETRY_AFTER_S, sendProblem, SHUTDOWN_RETRY_AFTER_S, type ProblemError } from './problems.js';
import { ALLOW, BEARER_CHALLENGE, CONTENT_LANGUAGE, CURRENT_CASE_ETAG, ETAG, INVALID_TOKEN_CHALLENGE, RATE_LIMIT, RATE_LIMIT_RETRY_AFTER, RCA_CACHE, referToHeaders, REQUEST_ID, REQUEST_ID_PATTERN, RETRY_AFTER, WWW_AUTHENTICATE, withHeaders, type ResponseHeader } from './headers.js';
import { acceptProblem, bodyTypesOf, JSON_TYPE, MERGE_PATCH_TYPE } from './negotiation.js';
import { LANG_PARAMETER, malformedParameters, queryProblems, type QuerySchema } from './query.js';
import { ResponseCache, type CachedAnswer, type ResponseCacheLimits } from './response-cache.js';
import { answerClientError, DEFAULT_TIMEOUTS, firstOf, settle, SHUTDOWN_FINISH_MS, type ServerTimeouts } from './connections.js';
import { BEARER_TOKEN, DEFAULT_TENANT, headerLines, isLoopbackHostHeader, targetAuthority, tokenChecker } from './auth.js';
import { CASE_SCHEMAS, caseBodyParsers, registerCaseRoutes } from '../cases/routes.js';
import type { CaseService } from '../cases/service.js';
import { conditionalGets } from './etag.js';
import { STORE_ANSWERED_MS, STORE_CHECK_MS, storeReadiness } from './readiness.js';

export interface ServerOptions {
  kb: KbHolder;
  /** Bearer tokens, each `tenant:token` or a bare token of the default tenant; empty means no authentication (the CLI then binds loopback only). */
  tokens: readonly string[];
  /**
   * The case store, opened at its first call (rca serve's at start), which case requests and
   * /readyz wait for (storeReadiness). Without it the server keeps no cases (rca serve
   * --no-cases): the case routes answer 404 cases-off, and /readyz reports the store off.
   */
  cases?: () => Promise<CaseService>;
  /** Largest accepted request body in bytes. */
  bodyLimit: number;
  /** Requests per token (or per address without auth) per minute; 0 disables the limit. */
  rateLimitPerMinute: number;
  /** Bounds of the cache of serialized answers (DEFAULT_RESPONSE_CACHE); 0 entries turns it off. */
  responseCache: ResponseCacheLimits;
  /** pino options, or false for no logs. */
  logger: boolean | Record<string, unknown>;
  version: string;
  /** How long a client may take to send a request (DEFAULT_TIMEOUTS). */
  timeouts?: ServerTimeouts;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** How a server shuts down (rcaShutdown). */
export interface ShutdownPlan {
  /** How long /readyz answers 503 shutting-down while every other route serves, before the listener closes (0: no drain). */
  drainMs: number;
  /** Resolves when the shutdown is to end at once (a second signal): no more drain, settling or waiting for requests in flight, whose connections are closed. */
  now: Promise<unknown>;
  /** How long requests in flight are waited for once the listener closed (SHUTDOWN_FINISH_MS unless given). */
  finishMs?: number;
}
/**
 * Most time a shutdown waits to take in requests already sent (see settle): it ends even if
 * clients keep connecting. Node accepts one queued connection per turn of the event loop, and
 * answers those it read in between: on a host whose CPUs are saturated a hundred queued requests
 * took 1.2 to 1.9 s to take in, and 2 s cut the rest (reset, or refused as late).
 */
const SHUTDOWN_SETTLE_CAP_MS = 5000;
/** The methods whose body a route reads (DELETE's is not: see addHttpMethod below). */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
/** What a route answers with unless its `config.produces` says otherwise (acceptProblem). */
const PRODUCES_JSON = [JSON_TYPE] as const;

/**
 * Who may call a route, from its `config.access`: by default only a client with a token (so
 * a route added later cannot forget authentication); `public` routes need none; `probe`
 * routes are public and never rate-limited, because a liveness probe answered 429 would get
 * a healthy process restarted.
 */
type Access = 'token' | 'public' | 'probe';
const PUBLIC = { access: 'public' } as const;
const PROBE = { access: 'probe' } as const;
/**
 * The request targets the router looks up: a path, or an absolute http(s) URL. It refuses any
 * other (CONNECT's authority-form example.com:443, `GET *healthz`) as a bad URL, before any hook
 * runs: find-my-way up to 9.10.1 skipped a target's first character, taking it for the slash,
 * so `GET *healthz` was served as /healthz.
 */
const ROUTABLE_TARGET = /^(?:\/|https?:\/\/)/i;
/** The answer to a path no route serves. */
const notFound = (request: FastifyRequest) => problem('E_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, request);
/** The answer of a case route on a server that keeps no cases, whatever its method. */
const casesOff = (request: FastifyRequest) => problem('E_CASES_OFF', 'cases are off: the server runs with --no-cases and opens no case store; POST /v1/diagnose and /v1/interview/next answer without one', request);
/**
 * The store of a server that keeps no cases, for the case routes it registers all the same (their
 * paths and methods are the ones refused): never asked for, as the onRequest hook answers every
 * case route with casesOff before its body is read or its handler runs.
 */
const NO_STORE = () => Promise.reject(new Error('a case route ran on a server that keeps no cases'));

/**
 * Answers 405 with `Allow`, for the routes refuseWrongMethods adds: from the onRequest hook,
 * once authentication passed and before any body is read (it is also their handler, which
 * fastify requires, though the hook has always answered by then).
 */
function refuseMethod(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const allow = request.routeOptions.config.allow ?? '';
  reply.header(ALLOW.name, allow);
  return sendProblem(reply, problem('E_METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${request.url.split('?')[0]}; allowed: ${allow}`, request));
}

/** What the routes a path was declared with say of who may call it and whether it is a case route: its refusals of other methods say the same. */
type PathConfig = Pick<FastifyContextConfig, 'access' | 'cases'>;

/**
 * Gives every path the server serves a route for each method it does not take, answering 405
 * with `Allow`: the router then matches the path, so the onRequest hook decides
 * authentication on it as on the path's own routes (a wrong method on a protected path
 * without a token is a 401, and says no more than a 404 would), and a case path on a server
 * that keeps no cases is refused as cases-off whatever the method. `routes` are the path's own
 * routes as registered (HEAD comes with every GET).
 */
function refuseWrongMethods(app: FastifyInstance, routes: ReadonlyMap<string, { methods: Set<string>; config: PathConfig }>): void {
  for (const [url, { methods, config }] of routes) {
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].sort().join(', ');
    const others = app.supportedMethods.filter((m) => !methods.has(m));
    app.route({ method: others, url, config: { allow, ...config }, schema: { hide: true }, handler: refuseMethod });
  }
}

/** A request's Content-Type without its parameters, in lower case ("" for none). */
const mediaTypeOf = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
/** The 415 answer to a body of a media type the route does not read. */
const unsupportedMediaType = (request: FastifyRequest) => problem('E_MEDIA_TYPE', `expected Content-Type ${bodyTypesOf(request.method).join(' or ')}, got ${String(request.headers['content-type'] ?? 'none')}`, request);

/** What the JSON parser hands on for a body whose answer is in the response cache: nothing to validate. */
const CACHE_HIT = Object.freeze({});
/**
 * A POST route's body once validated (see setValidatorCompiler): the request, how many
 * artifacts it carried, and the knowledge base whose vocabulary validated its facts (the
 * answer comes from that one, even if a reload swapped in another meanwhile).
 */
interface ValidatedBody {
  request: DiagnoseRequest;
  artifacts: number;
  kb: KnowledgeBase;
}

/** What the hooks and the JSON parser attach to a request. */
type RcaRequest = FastifyRequest & {
  /** Which configured token authenticated the request (absent without tokens). */
  rcaClient?: string;
  /** The tenant of that token (absent without tokens: then every request is the default tenant's). */
  rcaTenant?: string;
  /** The response cache's key for the body (with the cache on). */
  rcaCacheKey?: string;
  /** The cached answer to the body, found before parsing it. */
  rcaCachedAnswer?: CachedAnswer;
};

/** A Vary header's value with FIELD added once (compression adds Accept-Encoding to it too). */
function varyWith(current: unknown, field: string): string {
  const fields = typeof current === 'string' ? current.split(',').map((f) => f.trim()).filter(Boolean) : [];
  return fields.some((f) => f.toLowerCase() === field.toLowerCase() || f === '*') ? fields.join(', ') : [...fields, field].join(', ');
}

/**
 * Picks en or zh-CN from an Accept-Language header, honouring q-values: the first tag rca takes
 * (supportedLanguage), as served; one it does not (fr, zh-TW) is passed over. Kept by hand rather
 * than negotiator (@fastify/accepts): negotiator matches a tag only exactly or by prefix, so a
 * zh-SG or en-GB reader would be answered in English, where rca's rule is the tags its `lang`
 * takes; wrapping negotiator's ranking to add that back is as much code as this parse.
 */
export function languageFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const lang = supportedLanguage(tag);
    if (lang) return lang;
  }
  return undefined;
}

function pointerFor(problem: InputProblem): string {
  if (problem.field.startsWith('/')) return problem.field;
  if (problem.pointer !== undefined) return `/facts${problem.pointer}`;
  return `/facts/${pointerToken(problem.field)}`;
}

/** The schemas of what goes over the wire: routes refer to them, fastify serializes answers with them, OpenAPI shows them. */
const WIRE_SCHEMAS = [
  'facts.schema.json',
  'diagnosis.schema.json',
  'artifacts.schema.json',
  'diagnose-request.schema.json',
  'interview-request.schema.json',
  'question.schema.json',
  'interview-step.schema.json',
  'hypothesis.schema.json',
  'kb-info.schema.json',
  'readiness.schema.json',
  'problem.schema.json',
  ...CASE_SCHEMAS,
] as const satisfies readonly SchemaFile[];
const jsonSchemaRef = (file: (typeof WIRE_SCHEMAS)[number]) => ({ $ref: `https://rca.local/schemas/${file}#` });
/** How big a refused body was: its Content-Length, or "more" when it came chunked (read only up to the limit). */
const bodySize = (length: string | undefined) => (length !== undefined && /^\d+$/.test(length) ? `${length} bytes (Content-Length)` : 'more (a chunked body, read up to the limit)');

/** The answer to a GET whose If-None-Match holds the answer's ETag (etag.ts): no body. */
const NOT_MODIFIED = { description: 'Not Modified: the If-None-Match header holds the ETag the answer would have; no body', type: 'null' };
/** The statuses every problem of which says when to retry (RETRY_AFTER_S: 503, a store that cannot be used and a shutdown). */
const sayingWhen = [...new Set(Object.values(ERRORS).map((e) => e.status))].filter((status) => Object.entries(ERRORS).every(([code, e]) => e.status !== status || code in RETRY_AFTER_S));
/**
 * The headers a problem answer of each status carries, as the code that sends it sets them: a 401
 * its challenge (the onRequest hook), a 412 the case's current ETag (the case routes), a 429 when
 * to retry (@fastify/rate-limit), and the statuses whose problems all say when, Retry-After.
 */
const PROBLEM_HEADERS: Record<number, readonly ResponseHeader[]> = {
  401: [WWW_AUTHENTICATE],
  412: [CURRENT_CASE_ETAG],
  429: [RATE_LIMIT_RETRY_AFTER],
  ...Object.fromEntries(sayingWhen.map((status) => [status, [RETRY_AFTER]])),
};
/** A problem answer as OpenAPI documents it (fastify serializes it with problem.schema.json), described by its status or by what it means on the route, with the headers its status carries. */
const problemAnswer = (status: number, description = STATUS_CODES[status] ?? String(status)) =>
  withHeaders({ description: `${description} (application/problem+json)`, content: { 'application/problem+json': { schema: jsonSchemaRef('problem.schema.json') } } }, ...(PROBLEM_HEADERS[status] ?? []));
/** The problem answers a route can give. */
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, problemAnswer(status)]));
/** Any request: a query string the route does not take (400), a Host other than the loopback on a server without tokens (403), too slow (408), an Expect other than 100-continue (417), headers too large (431), a bug (500), shutting down (503). */
const ANY_REQUEST = [400, 403, 408, 417, 431, 500, 503];
/** A rate-limited route (every one but the probes), whose Accept is negotiated too (406). */
const LIMITED = [...ANY_REQUEST, 406, 429];
/** A route that needs a token. */
const SECURED = [...LIMITED, 401];
/** A route that takes a JSON body: too large (413), not JSON (415). */
const WITH_BODY = [...SECURED, 413, 415];
const secured = { security: [{ bearer: [] }] };
const HEALTH = { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { const: 'ok' } } };
const HEALTH_DESCRIPTION = 'Liveness: answers while the process serves requests, whatever the case store does (a database outage must not get every replica restarted).';
const READY_DESCRIPTION = `Readiness: 200 while this replica can serve, with what its case store does in \`store\` (\`{"status": "unavailable", "detail": "case store: connection refused"}\`: alert on it; \`{"status": "off"}\` on a server that keeps no cases, rca serve --no-cases, which is ready without a store). 503 only for what is this replica's own: its case store still opening after ${STORE_CHECK_MS / 1000} s (rca serve opens it at start, making a new embedded one) or failed to open, or an embedded store that does not answer within ${STORE_CHECK_MS / 1000} s or is not at this rca's schema version. A store every replica shares (PostgreSQL) that does not answer never makes a replica unready: readiness that fails on a dependency every replica shares takes every replica out of the load balancer at once (Kubernetes' guidance), stopping /v1/diagnose and the interview, which need no store; and in a rolling upgrade the first new replica to migrate the schema would make every old one unready. The store sees at most one readiness query at a time, given up after ${STORE_CHECK_MS / 1000} s; an answer that it is well holds for ${STORE_ANSWERED_MS / 1000} s. From SIGTERM on, 503 shutting-down: the server drains (rca serve --drain-seconds), every other route still serving, so that load balancers take it out before it stops listening.`;
const NOT_READY = `Not ready (store-unavailable): this replica's case store is still opening after ${STORE_CHECK_MS / 1000} s or failed to open, or its embedded store does not answer or is not at this rca's schema version, as \`detail\` says ("case store: still opening after ${STORE_CHECK_MS / 1000} s"); or the server is shutting down (shutting-down), draining before it stops listening`;
/** The answer of /v1/schema/facts: schemas/facts.schema.json with the facts the served KB's packs declare, a JSON Schema (draft-07) document, passed through whole. */
const FACTS_SCHEMA = { description: 'The JSON Schema (draft-07) of the facts', type: 'object', additionalProperties: true };
const METRICS = { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } };
const langQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG_PARAMETER } };

/**
 * The HTTP API: thin routes over the same core and schemas as the CLI. Every route's
 * schemas are files in schemas/ (WIRE_SCHEMAS): fastify validates request bodies with the
 * core's precompiled validators of them (so the API and the CLI report the same errors),
 * serializes answers with them (fast-json-stringify), and the OpenAPI document shows them.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const app = Fastify({
    // node answers a request not received in time through clientErrorHandler (408). It looks
    // for expired ones every connectionsCheckingInterval (30 s by default, so a timeout could
    // overshoot by that much): a quarter of the headers timeout, at most a second.
    requestTimeout: timeouts.requestMs,
    // An HTTP/1.1 request without Host is refused by the onRequest hook, as problem+json: node's
    // own refusal (requireHostHeader) is a bare 400 with an empty body.
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: Math.min(1000, Math.ceil(timeouts.headersMs / 4)), requireHostHeader: false },
    clientErrorHandler: (error, socket) => answerClientError(error, socket, timeouts),
    // Requests during shutdown are answered by the onRequest hook, as problem+json.
    return503OnClosing: false,
    // The router refused the path before any hook ran, so nothing is served: say why as a problem.
    frameworkErrors: (error, request, reply) => {
      const target = request.raw.url ?? '';
      const detail =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a path segment is longer than 100 characters'
          : ROUTABLE_TARGET.test(target)
            ? 'the path is not valid percent-encoding'
            : `expected a request target that is a path (/...) or an absolute http(s) URL, got ${JSON.stringify(target.slice(0, 100))}`;
      return sendProblem(reply, problem('E_URL', detail, request));
    },
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    // Not requestIdHeader: fastify takes that header's value as it comes, without asking genReqId,
    // so a forged id (any length, log syntax, another request's id) went into the logs and replies.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers[REQUEST_ID.name];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  const metrics = new Metrics();
  metrics.setKb(options.kb.current);
  app.decorate('rcaMetrics', metrics);

  /**
   * The language a request is answered in: its `lang` (validated: a tag rca takes), else its
   * Accept-Language's, else en; as served (en-GB: en), which the answer's `lang` and
   * Content-Language name.
   */
  const langOf = (request: FastifyRequest, explicit?: string) => (explicit === undefined ? undefined : supportedLanguage(explicit)) ?? languageFrom(request.headers['accept-language']) ?? DEFAULT_LANG;

  const cache = options.responseCache.entries > 0 ? new ResponseCache(options.responseCache) : undefined;
  if (cache) metrics.watchCache(cache);

  // No DELETE takes a body (RFC 9110 9.3.5: content in one has no defined meaning), so one is
  // not read, whatever its Content-Type: ticketing connectors send Content-Type: application/json
  // on every request, and fastify's JSON parser refused the empty body of their DELETE with a 400.
  app.addHttpMethod('DELETE', { hasBody: false, overrideExisting: true });
  // Node's parser takes every method it knows (PROPFIND, MKCOL, SEARCH, LOCK, COPY, PURGE...), while
  // fastify routes only its own few: the others matched no route, so a PROPFIND /healthz was a 401,
  // or with a token a 404, where a path that does not take a method answers 405 with Allow. Each is
  // made a method fastify routes, without a body, and refuseWrongMethods refuses it on every path
  // (CONNECT too, which the 'connect' listener below hands to fastify).
  for (const method of METHODS) if (!app.supportedMethods.includes(method)) app.addHttpMethod(method);
  // JSON only: a text/plain body is refused with 415 instead of being parsed as a string.
  app.removeContentTypeParser('text/plain');
  // fastify's own JSON parser, so poisoned bodies are refused as before, after a lookup in
  // the response cache. The POST routes' 200 answers are a pure function of the knowledge
  // base, the route, the language and the body, so the key is the raw body as received,
  // the route, the Accept-Language header's language (the body's own `lang` is in the
  // body), and the client, so that a token cannot learn from response times which tickets
  // another one sent. An answer was stored only after its body parsed and validated, so a
  // hit skips the parsing too, not only the computing and the serializing.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // As bytes: a body that is not UTF-8 (RFC 8259) is refused saying where, as the CLI refuses
  // such a file, not read with U+FFFD in its values.
  app.addContentTypeParser(['application/json', MERGE_PATCH_TYPE], { parseAs: 'buffer' }, (request, bytes, done) => {
    // A merge patch (RFC 7396) is JSON, and only a PATCH's body.
    if (!bodyTypesOf(request.method).includes(mediaTypeOf(request))) return done(problemError(unsupportedMediaType(request)), undefined);
    // JSON is UTF-8 (RFC 8259); a body declared in another charset would be read as what it is not.
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && charset.toLowerCase() !== 'utf-8') return done(problemError(problem('E_MEDIA_TYPE', `expected Content-Type ${mediaTypeOf(request)} in UTF-8, got ${String(request.headers['content-type'])}`, request)), undefined);
    // A compressed body is not read here (RFC 9110 15.5.16: 415 for a content coding not supported).
    const coding = request.headers['content-encoding'];
    if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') return done(problemError(problem('E_MEDIA_TYPE', `expected an uncompressed body (no Content-Encoding, or identity), got Content-Encoding ${JSON.stringify(coding.slice(0, 60))}`, request)), undefined);
    const decoded = decodeUtf8(bytes as Buffer);
    if ('invalid' in decoded) return done(problemError(problem('E_JSON', `body: expected UTF-8 text, got ${decoded.invalid}`, request)), undefined);
    const body = decoded.text;
    const rca = request as RcaRequest;
    if (cache) {
      rca.rcaCacheKey = `${request.routeOptions.url}\0${rca.rcaClient ?? ''}\0${langOf(request)}\0${body}`;
      rca.rcaCachedAnswer = cache.get(options.kb.current, rca.rcaCacheKey);
      if (rca.rcaCachedAnswer) return done(null, CACHE_HIT);
    }
    // A byte order mark, a key given twice and a lone surrogate mean what they mean to the CLI (src/core/json.ts).
    const text = stripByteOrderMark(body);
    parseJson(request, text, (error, document) => {
      if (!error) return done(parsedJsonError(text) ?? null, document);
      if ((error as FastifyError).code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return done(error, undefined);
      const why = whyJsonRefused(text);
      done(typeof why === 'string' ? problemError(problem('E_JSON', why, request)) : why, undefined);
    });
  });
  // Fastify validates the request bodies, with the core's precompiled validator of the
  // route's body schema (the one `rca diagnose` uses), so the API and the CLI give the same
  // "field: expected X, got Y" problems, and a body is checked once. Query strings are
  // validated against the route schemas by the onRequest hook (query.ts), before any body is
  // read or authentication is skipped; path parameters by the router.
  const requestParser =
    (schema: 'diagnose-request.schema.json' | 'interview-request.schema.json', unknownGiven: 'warn' | 'refuse') =>
    (body: unknown, kb: KnowledgeBase): ValidatedBody => ({ request: parseDiagnoseRequest(body, { vocabulary: kb.vocabulary, allowBareFacts: false, parseArtifact, schema, unknownGiven, directReadings: directReadings(kb) }), artifacts: (body as { artifacts?: unknown[] }).artifacts?.length ?? 0, kb });
  const bodyParsers: Record<string, (body: unknown, kb: KnowledgeBase) => unknown> = {
    [jsonSchemaRef('diagnose-request.schema.json').$ref]: requestParser('diagnose-request.schema.json', 'warn'),
    // The interview reads the facts, unknown, artifacts and lang of a diagnosis request, and refuses the rest (format, top, summary) rather than ignore them;
    // a fact both given and unknown too, as it counts the facts nobody could answer.
    [jsonSchemaRef('interview-request.schema.json').$ref]: requestParser('interview-request.schema.json', 'refuse'),
    // Also on a server that keeps no cases: its case routes are registered (and refused) all the same.
    ...caseBodyParsers(parseArtifact),
  };
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart !== 'body') return () => true;
    const parse = bodyParsers[(schema as { $ref?: string }).$ref ?? ''];
    if (!parse) throw new Error(`no validator for the body schema ${JSON.stringify(schema)}`);
    return (body: unknown) => {
      if (body === CACHE_HIT) return true;
      // Facts are validated against the vocabulary of the KB being served: a pack's own facts are taken.
      const kb = options.kb.current;
      try {
        return { value: parse(body, kb) };
      } catch (error) {
        // An InputError answers 400 invalid-input (the error handler); anything else is a bug (500).
        if (error instanceof InputError) return { error };
        throw error;
      }
    };
  });
  for (const file of WIRE_SCHEMAS) app.addSchema(readSchema(file));
  // Each path's methods, and who may call it and whether it is a case route, as its routes are declared, for refuseWrongMethods.
  const declared = new Map<string, { methods: Set<string>; config: PathConfig }>();
  app.addHook('onRoute', (route) => {
    const config = route.config;
    if (config?.allow !== undefined) return;
    const path = declared.get(route.url) ?? { methods: new Set<string>(), config: { ...(config?.access && { access: config.access }), ...(config?.cases && { cases: true }) } };
    for (const method of [route.method].flat()) path.methods.add(method);
    declared.set(route.url, path);
    // A server that keeps no cases documents no case route: each answers 404, as a path it does not serve would.
    if (config?.cases && !options.cases) route.schema = { ...route.schema, hide: true };
    // Where the route's answers are documented, before the OpenAPI document is built from them:
    // every answer carries its request id (the onRequest hook), and, on a route counted against
    // the rate limit, the rate limit's headers; a GET's 200 its ETag, and an If-None-Match that
    // holds it gets a 304 (conditionalGets) with the headers the 200 would have had, no body.
    const response = route.schema?.response as Record<string, object> | undefined;
    if (!response) return;
    const get = [route.method].flat().includes('GET');
    const everyAnswer = [REQUEST_ID, ...(options.rateLimitPerMinute > 0 && config?.access !== 'probe' ? RATE_LIMIT : [])];
    for (const [status, answer] of Object.entries(response)) response[status] = withHeaders(answer, ...everyAnswer, ...(get && status === '200' ? [ETAG] : []));
    const ok = response[200] as { headers?: object } | undefined;
    if (get && ok && !(304 in response)) response[304] = { ...NOT_MODIFIED, headers: ok.headers };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'rca API',
        version: options.version,
        description: `Ranked root causes and next steps from troubleshooting facts. Errors are application/problem+json (RFC 9457). A method a path does not take is answered 405 method-not-allowed, with an \`${ALLOW.name}\` header naming the methods it takes (components.headers.${ALLOW.component}).`,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      referToHeaders(document.openapiObject);
      return document.openapiObject;
    },
    // Component names must match ^[A-Za-z0-9._-]+$ (OpenAPI 3.1).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String((json as { title?: string }).title ?? `schema${i}`).replace(/[^A-Za-z0-9._-]+/g, '_') },
  });

  // Answers of 1 KB and more are compressed when the client accepts it (/v1/hypotheses is
  // 120 KB of JSON); request bodies are never decompressed: a small gzip body could inflate far
  // past the body limit, and no ticketing system sends one.
  await app.register(compress, { threshold: 1024, globalDecompression: false });
  conditionalGets(app);

  if (options.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      // Not per route: the onRequest hook below applies it to every request it should.
      global: false,
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => (request as RcaRequest).rcaClient ?? request.ip,
      // The window, not the plugin's `after` (the time left in it, "59 seconds"), which read as a window of 59 s;
      // counted as keyGenerator counts: per token, or per address for a request without a valid one.
      errorResponseBuilder: (request, context) => problemError(problem('E_RATE_LIMITED', `more than ${context.max} requests a minute from this ${(request as RcaRequest).rcaClient === undefined ? 'address' : 'token'}; retry in ${Math.ceil(context.ttl / 1000)} s (Retry-After)`, request)),
    });
  }
  const rateLimited = options.rateLimitPerMinute > 0 ? app.rateLimit() : undefined;

  const checkToken = tokenChecker(options.tokens);
  /** From the stop signal on (rcaShutdown): /readyz answers 503 shutting-down, and every answer closes its connection. */
  let draining = false;
  /** From the drain's end on: the listener is closed, and a request still arriving on an open connection is refused. */
  let shuttingDown = false;
  // Every request passes here, decided on the route it matched (the router decodes the
  // path, so the raw URL says nothing reliable about it), in this order: refused without a
  // Host header under HTTP/1.1 or with two, and on a server without tokens with a host (an
  // absolute-form target's authority, else Host) that is not the loopback (DNS rebinding), and
  // with an Expect node cannot meet; refused while shutting down; counted against its client's rate limit (its token, else its address)
  // whether or not it is authenticated, so a client guessing tokens is slowed down too;
  // refused without a token unless the route is public; refused with a query string the
  // route does not take.
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID.name, request.id);
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      return sendProblem(reply, headerProblem('E_USAGE', request, { header: 'Host', expected: 'one Host header (HTTP/1.1 requires one, RFC 9112 section 3.2)', got: 'none' }));
    }
    // RFC 9112 section 3.2: node keeps the first of two Host headers, which a proxy in front may read otherwise.
    const hosts = headerLines(request.raw.rawHeaders, 'host');
    if (hosts > 1) return sendProblem(reply, headerProblem('E_USAGE', request, { header: 'Host', expected: 'one Host header (RFC 9112 section 3.2)', got: `${hosts} headers` }));
    // An absolute-form target's authority is the request's host, whatever its Host header says (RFC 9112 section 3.2.2).
    const targeted = targetAuthority(request.raw.url ?? '');
    const host = targeted ?? request.headers.host;
    if (options.tokens.length === 0 && host !== undefined && !isLoopbackHostHeader(host)) {
      const named = `${JSON.stringify(host.slice(0, 100))}${targeted === undefined ? '' : ', the authority of the absolute-form request target, which stands for Host (RFC 9112 section 3.2.2)'}`;
      return sendProblem(reply, problem('E_HOST', `expected a Host of this machine's loopback (localhost, 127.0.0.1 or [::1], with its port) on a server without tokens, got ${named}; give the server tokens to serve other names`, request));
    }
    if (unmetExpectation.has(request.raw)) return sendProblem(reply, headerProblem('E_EXPECTATION', request, { header: 'Expect', expected: '100-continue, the only expectation HTTP/1.1 defines (RFC 9110 section 10.1.1), or no Expect', got: describeValue(request.headers.expect) }));
    if (shuttingDown) return sendProblem(reply, problem('E_SHUTTING_DOWN', `the server is shutting down; retry in ${SHUTDOWN_RETRY_AFTER_S} s`, request));
    const access: Access = request.routeOptions.config.access ?? 'token';
    const client = options.tokens.length > 0 ? checkToken(request.headers.authorization) : null;
    if (client) Object.assign(request as RcaRequest, { rcaClient: client.client, rcaTenant: client.tenant });
    if (rateLimited && access !== 'probe') await rateLimited.call(app, request, reply);
    if (options.tokens.length > 0 && access === 'token' && !client) {
      // RFC 6750 3.1: a bearer token that is not one the server has is invalid_token; a request
      // without one (or with another scheme) gets the challenge alone, no error code.
      const presented = BEARER_TOKEN.test(request.headers.authorization ?? '');
      reply.header(WWW_AUTHENTICATE.name, presented ? INVALID_TOKEN_CHALLENGE : BEARER_CHALLENGE);
      return sendProblem(reply, problem('E_UNAUTHORIZED', presented ? 'the bearer token sent is not a configured token' : 'send Authorization: Bearer <token> with a configured token', request));
    }
    // Before the method, query and Accept are judged: no request to a case path is served here.
    if (request.routeOptions.config.cases && !options.cases) throw problemError(casesOff(request));
    // No route: answered before any body is read (or asked for with 100 Continue).
    if (request.is404) throw problemError(notFound(request));
    if (request.routeOptions.config.allow !== undefined) return refuseMethod(request, reply);
    const url = request.raw.url ?? '';
    const malformed = malformedParameters(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    // A parameter that does not decode is said once, as such, not checked again as the parser kept it.
    const decodable = Object.entries(request.query as Record<string, unknown>).filter(([name]) => !malformed.some((e) => e.parameter === name));
    const errors = [...malformed, ...queryProblems(Object.fromEntries(decodable), request.routeOptions.schema?.querystring as QuerySchema | undefined)];
    if (errors.length > 0) throw problemError(problem('E_QUERY', errors.map((e) => formatProblem({ field: e.parameter, expected: e.expected, got: e.got })).join('; '), request, errors));
    // A probe is answered whatever it accepts, as it is never rate-limited: a load balancer's health
    // check asking for text/html must not see a healthy replica as down.
    const unacceptable = access === 'probe' ? undefined : acceptProblem(request.headers.accept, request.routeOptions.config.produces ?? PRODUCES_JSON);
    if (unacceptable) throw problemError(headerProblem('E_NOT_ACCEPTABLE', request, unacceptable));
  });
  // Node answers `Expect: 100-continue` with 100 Continue itself, before any hook has run, unless
  // the server listens for checkContinue: the client then sent a body only to have it refused
  // (a 413 on its Content-Length alone, a 401). So the requests Node routes there (an HTTP/1.1
  // request whose Expect holds 100-continue, in any spelling; never an HTTP/1.0 one, RFC 9110
  // 15.2) go to fastify as any other, and are told 100 Continue only once their body is to be
  // read: after the onRequest hook passed them (authentication, rate limit, route, method, query,
  // Accept), to be parsed as JSON (anything else is a 415 unread), and with a Content-Length
  // within the limit; one over it is answered 413 at once by the JSON parser, its body never
  // sent. A chunked body is asked for and read up to the limit.
  const expectingContinue = new WeakSet<IncomingMessage>();
  app.server.on('checkContinue', (req, res) => {
    expectingContinue.add(req);
    app.server.emit('request', req, res);
  });
  // Node answers an Expect it cannot meet (anything but 100-continue) with a bare 417 of its own,
  // without a body or a request id, unless the server listens for checkExpectation: then the
  // request goes to fastify as any other, and the onRequest hook answers it 417 problem+json.
  const unmetExpectation = new WeakSet<IncomingMessage>();
  app.server.on('checkExpectation', (req, res) => {
    unmetExpectation.add(req);
    app.server.emit('request', req, res);
  });
  // Node hands a CONNECT (a tunnel asked of a proxy, RFC 9110 section 9.3.6) to the 'connect'
  // listeners with its socket, and without one closes the connection unanswered. This server is
  // no proxy: the request goes to fastify as any other, with a response of its own on that
  // socket, closed once sent, and is answered as a method no path takes (405 with Allow, or 404);
  // a tunnel to host:port (authority-form, no path) is refused 400 malformed-url (ROUTABLE_TARGET).
  app.server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on('finish', () => socket.destroySoon());
    app.server.emit('request', req, res);
  });
  app.addHook('preParsing', async (request, reply, payload) => {
    const length = request.headers['content-length'];
    const fits = length === undefined || Number(length) <= options.bodyLimit;
    const json = bodyTypesOf(request.method).includes(mediaTypeOf(request));
    if (expectingContinue.has(request.raw) && BODY_METHODS.has(request.method) && fits && json && !request.is404) reply.raw.writeContinue();
    return payload;
  });
  // An answer ends its connection when sent during shutdown, the drain included: a keep-alive
  // client then opens a new one for its next request, through the load balancer, which by the
  // drain's end sends it to another replica (else it would keep this one's connection, and hold
  // the closing server open until the keep-alive timeout). And when sent before the request's
  // body was all received (a 401, 413 or 429): node would otherwise go on reading, and
  // discarding, a body that nobody will parse.
  app.addHook('onSend', async (request, reply) => {
    if (draining || !request.raw.complete) reply.header('connection', 'close');
    // The /v1 answers are in the language Accept-Language picks (langOf), so a shared cache must key on it.
    if (request.routeOptions.url?.startsWith('/v1/')) reply.header('vary', varyWith(reply.getHeader('vary'), 'Accept-Language'));
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.decorate('rcaShutdown', async ({ drainMs, now, finishMs = SHUTDOWN_FINISH_MS }: ShutdownPlan) => {
    draining = true;
    // The drain: /readyz fails while every other route serves, so that load balancers take this
    // replica out (their endpoint lists lag the signal by seconds) before it stops listening.
    // Only its time or a second signal ends it: the work it waits for never settles.
    const cut = drainMs > 0 && (await firstOf(new Promise(() => undefined), drainMs, now)) === 'now';
    // A request the kernel already holds was sent before the listener closes, even if a long
    // computation kept this process from reading it; its connection may still wait in the
    // listen backlog, and node accepts one connection per turn of the event loop. So the
    // listener is closed only once the server has taken in what was queued: after turns in
    // which nothing new arrived (see settle). A second signal skips it.
    if (!cut) await settle(app.server, SHUTDOWN_SETTLE_CAP_MS);
    shuttingDown = true;
    // Closed here, not by app.close(): a new connection is refused from now on (ECONNREFUSED), and
    // the idle keep-alive ones are closed; `answered` resolves once the last open connection ends.
    const answered = new Promise<void>((resolve) => app.server.close(() => resolve()));
    app.log.info('shutting down: no longer listening; refusing new requests, finishing those received');
    const finished = cut ? 'now' : await firstOf(answered, finishMs, now);
    if (finished !== 'done') {
      app.log.warn(finished === 'now' ? 'shutting down now (a second signal): closing every connection, the requests in flight unanswered' : `shutting down: requests still in flight after ${finishMs / 1000} s; closing their connections`);
      app.server.closeAllConnections();
    }
    await app.close();
  });

  app.setNotFoundHandler((request, reply) => sendProblem(reply, notFound(request)));

  app.setErrorHandler((error: FastifyError & { rcaProblem?: ReturnType<typeof problem> }, request, reply) => {
    if (error instanceof InputError) {
      const errors: ProblemError[] = error.problems.map((p) => ({ pointer: pointerFor(p), expected: p.expected, got: p.got }));
      return sendProblem(reply, problem('E_INPUT', error.message, request, errors));
    }
    if (error.rcaProblem) return sendProblem(reply, error.rcaProblem);
    // The database does not answer: its outage, not this server's bug (a warning, and the reason
    // without where the database is: the URL and the driver's words stay in the log).
    if (error instanceof StoreUnavailable) {
      request.log.warn({ err: error }, `case store unavailable: ${error.reason}`);
      return sendProblem(reply, problem('E_STORE', `the case database cannot be used now: ${error.reason}; retry later`, request));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, problem('E_TOO_LARGE', `body: expected at most ${options.bodyLimit} bytes, got ${bodySize(request.headers['content-length'])}`, request));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, unsupportedMediaType(request));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, problem('E_JSON', 'body: expected a JSON document, got an empty body', request));
    }
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendProblem(reply, problem('E_JSON', `expected valid JSON, got: ${error.message}`, request));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(reply, problem('E_USAGE', error.message, request, undefined, status));
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(reply, problem('E_INTERNAL', 'unexpected error; the request id is in the logs', request));
  });

  const noteCache = (request: FastifyRequest, reply: FastifyReply, hit: boolean) => {
    metrics.cacheAnswer(request.routeOptions.url ?? '', hit);
    reply.header(RCA_CACHE.name, hit ? 'hit' : 'miss');
  };

  /**
   * Answers a POST route whose 200 answer is a pure function of the request (see the JSON
   * parser): from the cache, or computed, serialized and stored. An invalid request never
   * gets here (fastify's validation refuses it): problems are never cached (each carries
   * its own request id).
   * Nor are answers to bodies with artifacts: parsing them may read the clock (a
   * certificate's days left), so the same body can mean other facts later.
   */
  const answerPure = async (request: FastifyRequest, reply: FastifyReply, compute: (kb: KnowledgeBase, body: DiagnoseRequest, lang: string) => Promise<unknown>) => {
    const { rcaCacheKey: key, rcaCachedAnswer: hit } = request as RcaRequest;
    if (hit) {
      noteCache(request, reply, true);
      return reply.type(JSON_TYPE).header(CONTENT_LANGUAGE.name, hit.language).send(hit.body);
    }
    const { request: body, artifacts, kb } = request.body as ValidatedBody;
    const lang = langOf(request, body.lang);
    // Serialized here, so that the bytes can be cached, by what fastify would use: the route's
    // 200 schema, compiled by fast-json-stringify (a string, as no custom serializer is set).
    const json = reply.serialize(await compute(kb, body, lang)) as string;
    // Only on the answer: a problem's words are English whatever the language asked for.
    reply.type(JSON_TYPE).header(CONTENT_LANGUAGE.name, lang);
    if (!cache || key === undefined || artifacts > 0) return reply.send(json);
    noteCache(request, reply, false);
    const answer = { body: Buffer.from(json), language: lang };
    cache.set(kb, key, answer);
    return reply.send(answer.body);
  };

  /** The headers of answerPure's answers: their language, and with the cache on whether they came from it. */
  const pureAnswerHeaders = [CONTENT_LANGUAGE, ...(cache ? [RCA_CACHE] : [])];

  app.post(
    '/v1/diagnose',
    {
      schema: {
        summary: 'Rank root causes for a set of facts',
        operationId: 'diagnose',
        ...secured,
        body: jsonSchemaRef('diagnose-request.schema.json'),
        response: {
          // `report` is a property of the diagnosis schema itself: an allOf with a second schema
          // for it described no answer that has one (the diagnosis refuses other properties).
          200: withHeaders({ description: 'The diagnosis, with `report` when a format was asked for', ...jsonSchemaRef('diagnosis.schema.json') }, ...pureAnswerHeaders),
          ...problems(...WITH_BODY),
        },
      },
    },
    (request, reply) =>
      answerPure(request, reply, async (kb, body, lang) => {
        const result = await diagnose(kb, body.facts, { lang, summary: body.summary, warnings: body.warnings, ...(body.top !== undefined && { top: body.top }) });
        return body.format ? { ...result, report: renderReport(result, body.format) } : result;
      }),
  );

  app.post(
    '/v1/interview/next',
    {
      schema: {
        summary: 'The next most useful question (stateless: send the facts and unknowns so far)',
        operationId: 'nextQuestion',
        ...secured,
        body: jsonSchemaRef('interview-request.schema.json'),
        response: {
          200: withHeaders({ description: 'The next question, or done (schemas/interview-step.schema.json)', ...jsonSchemaRef('interview-step.schema.json') }, ...pureAnswerHeaders),
          ...problems(...WITH_BODY),
        },
      },
    },
    (request, reply) => answerPure(request, reply, (kb, body, lang) => nextQuestion(kb, { facts: body.facts, unknown: body.unknown }, { lang, warnings: body.warnings, pasteKinds: kindsCarrying })),
  );

  const describeHypothesis = (id: string, lang: string): HypothesisDescription | undefined => {
    const h = options.kb.current.hypotheses.get(id)?.value;
    if (!h) return undefined;
    return {
      id: h.id,
      category: h.category,
      title: localize(h.title, lang),
      description: localize(h.description, lang),
      checks: h.checks.map((c) => checkAsWritten(c, lang)),
      references: h.references ?? [],
      rules: options.kb.current.rules.flatMap((r) => r.rule.evidence.filter((e) => e.hypothesis === id).slice(0, 1).map((e) => ({ id: r.id, cf: e.cf }))),
    };
  };

  /** The language of a catalog answer (its `?lang`, else Accept-Language's), named in its Content-Language as a diagnosis's is. */
  const catalogLanguage = (request: FastifyRequest, reply: FastifyReply) => {
    const lang = langOf(request, (request.query as { lang?: string }).lang);
    reply.header(CONTENT_LANGUAGE.name, lang);
    return lang;
  };

  app.get('/v1/hypotheses', { schema: { summary: 'Every root cause the knowledge base knows', operationId: 'listHypotheses', ...secured, querystring: langQuery, response: { 200: withHeaders({ type: 'array', items: jsonSchemaRef('hypothesis.schema.json') }, CONTENT_LANGUAGE), ...problems(...SECURED) } } }, async (request, reply) => {
    const lang = catalogLanguage(request, reply);
    return [...options.kb.current.hypotheses.keys()].sort().map((id) => describeHypothesis(id, lang));
  });

  app.get('/v1/hypotheses/:id', { schema: { summary: 'One root cause with its checks and rules', operationId: 'getHypothesis', ...secured, querystring: langQuery, response: { 200: withHeaders(jsonSchemaRef('hypothesis.schema.json'), CONTENT_LANGUAGE), ...problems(...SECURED, 404) } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const lang = langOf(request, (request.query as { lang?: string }).lang);
    const found = describeHypothesis(id, lang);
    // A problem's words are English whatever the language asked for: only the hypothesis names its language.
    if (!found) return sendProblem(reply, problem('E_NOT_FOUND', `no hypothesis "${id}"`, request));
    reply.header(CONTENT_LANGUAGE.name, lang);
    return found;
  });

  app.get(
    '/v1/questions',
    { schema: { summary: 'The question for each fact, with answer type and how to obtain it', operationId: 'listQuestions', ...secured, querystring: langQuery, response: { 200: withHeaders({ type: 'array', items: jsonSchemaRef('question.schema.json') }, CONTENT_LANGUAGE), ...problems(...SECURED) } } },
    async (request, reply) => {
      const lang = catalogLanguage(request, reply);
      const kb = options.kb.current;
      return [...kb.questions.keys()].map((fact) => describeQuestion(kb, fact, lang, {}, kindsCarrying));
    },
  );

  app.get('/v1/schema/facts', { schema: { summary: 'The JSON Schema of the facts (to generate a ticket form)', operationId: 'getFactsSchema', ...secured, response: { 200: FACTS_SCHEMA, ...problems(...SECURED) } } }, async () => factsSchemaOf(options.kb.current.vocabulary));

  app.get('/v1/kb', { schema: { summary: 'The knowledge base being served', operationId: 'getKb', ...secured, response: { 200: jsonSchemaRef('kb-info.schema.json'), ...problems(...SECURED) } } }, async (): Promise<KbInfo> => {
    const kb = options.kb.current;
    return {
      name: kb.meta.name,
      version: kb.meta.version,
      hash: kb.meta.hash,
      loadedAt: options.kb.loadedAt,
      counts: kbCounts(kb),
    };
  });

  app.get('/healthz', { config: PROBE, schema: { summary: 'The process is up', description: HEALTH_DESCRIPTION, operationId: 'health', response: { 200: HEALTH, ...problems(...ANY_REQUEST) } } }, async () => ({ status: 'ok' }));
  const storeCheck = options.cases && storeReadiness(options.cases, app.log);
  app.get(
    '/readyz',
    { config: PROBE, schema: { summary: "This replica can serve; what its case store (if any) does", description: READY_DESCRIPTION, operationId: 'ready', response: { 200: jsonSchemaRef('readiness.schema.json'), ...problems(...ANY_REQUEST), 503: problemAnswer(503, NOT_READY) } } },
    async (request, reply): Promise<Readiness | FastifyReply> => {
      if (draining) return sendProblem(reply, problem('E_SHUTTING_DOWN', `the server is shutting down: it serves requests while load balancers take it out, then stops listening; retry in ${SHUTDOWN_RETRY_AFTER_S} s`, request));
      const checked = await storeCheck?.();
      if (checked?.unready) return sendProblem(reply, problem('E_STORE', checked.store.detail, request));
      return { status: 'ready', kb: { version: options.kb.current.meta.version, hash: options.kb.current.meta.hash }, store: checked?.store ?? { status: 'off' } };
    },
  );
  app.get('/openapi.json', { config: PUBLIC, schema: { hide: true } }, async () => app.swagger());
  app.get('/metrics', { config: { ...PUBLIC, produces: [metrics.registry.contentType] }, schema: { summary: 'Prometheus metrics', operationId: 'metrics', response: { 200: METRICS, ...problems(...LIMITED) } } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  registerCaseRoutes(app, {
    cases: options.cases ?? NO_STORE,
    kb: options.kb,
    tenantOf: (request) => (request as RcaRequest).rcaTenant ?? DEFAULT_TENANT,
    languageOf: langOf,
    ref: jsonSchemaRef,
    problems,
    secured: SECURED,
    withBody: WITH_BODY,
  });

  refuseWrongMethods(app, declared);
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (default 'token'). */
    access?: Access;
    /** A case route: on a server that keeps no cases it answers 404 cases-off, after authentication. */
    cases?: true;
    /** Set on the routes refuseWrongMethods adds: the methods their path takes, for `Allow`. */
    allow?: string;
    /** The media types the route answers with, for content negotiation (default: JSON). */
    produces?: readonly string[];
  }
  interface FastifyInstance {
    rcaMetrics: Metrics;
    /**
     * Shuts down gracefully: drains (/readyz 503, every other route serving) for `drainMs`, stops
     * listening, answers every request already received (for at most `finishMs`), refuses later
     * ones on open connections with 503, closes. `now` resolving ends it at once.
     */
    rcaShutdown: (plan: ShutdownPlan) => Promise<void>;
  }
}
