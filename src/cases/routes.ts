import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeValue, StoreError, type InputProblem } from '../core/errors.js';
import { normalizeFactPatch, normalizeFacts, type FactPatch } from '../core/facts.js';
import type { KnowledgeBase } from '../core/kb.js';
import { renderReport } from '../core/render.js';
import { RequestProblems, type ArtifactParser, type DiagnoseRequest } from '../core/request.js';
import { readSchema, type SchemaFile } from '../core/schemas.js';
import type { Case } from '../generated/case.js';
import type { CaseCreate } from '../generated/case-create.js';
import type { CaseOutcome } from '../generated/case-outcome.js';
import type { CasePatch } from '../generated/case-patch.js';
import type { Diagnosis } from '../generated/diagnosis.js';
import type { KbHolder } from '../server/kb-holder.js';
import type { FactMap } from '../core/vocabulary.js';
import { headerProblem, problem, problemError, sendProblem, type HeaderError, type ParameterError } from '../server/problems.js';
import { bodyTypesOf, JSON_TYPE } from '../server/negotiation.js';
import { CASE_ETAG, CONTENT_LANGUAGE, LOCATION, withHeaders } from '../server/headers.js';
import { LANG_PARAMETER } from '../server/query.js';
import { headerLines } from '../server/auth.js';
import { inLanguage } from '../core/diagnose.js';
import { DEFAULT_LANG, supportedLanguage } from '../core/localize.js';
import { caseStats } from './stats.js';
import { CaseConflict, CaseCursorUnknown, CaseOutcomeMissing, CasePreconditionFailed, CaseService, caseRequest, caseTag, CASE_FILTERS, decodeCursor, DEFAULT_PAGE, filtersOf, MAX_PAGE, type CaseChange, type CaseCursor, type CaseFilters, type CaseQuery, type CaseReportFormat, type CaseUpdate, type IfMatch, type NewCase } from './service.js';
import { redactSecrets } from '../collect/secrets.js';
import { nulCharacter } from '../core/utf8.js';

/** The schemas of the case routes' bodies and answers (the server adds them with its own). */
export const CASE_SCHEMAS = ['case-create.schema.json', 'case-patch.schema.json', 'case-outcome.schema.json', 'case.schema.json', 'case-list.schema.json', 'case-stats.schema.json'] as const satisfies readonly SchemaFile[];

/** Marks every case route (config.cases): a server that keeps no cases answers it 404 cases-off. */
const CASE_ROUTE = { cases: true } as const;

/** What the server lends the case routes: its way of naming schemas and problem answers, and who is asking. */
export interface CaseRouteKit {
  /** The store, opened at the first call (a rejection: it cannot be used). */
  cases: () => Promise<CaseService>;
  kb: KbHolder;
  tenantOf: (request: FastifyRequest) => string;
  /** The language a request asks for: `explicit` (its `lang`), else its Accept-Language's, else en. */
  languageOf: (request: FastifyRequest, explicit?: string) => string;
  ref: (file: (typeof CASE_SCHEMAS)[number]) => { $ref: string };
  /** OpenAPI's problem answers for the statuses, and the statuses of a route with a token, and of one with a body too. */
  problems: (...statuses: number[]) => Record<string, unknown>;
  secured: readonly number[];
  withBody: readonly number[];
}

/**
 * A body validated against one of the case schemas, and its facts (none given: {}) read by
 * READ_FACTS unless the schema refused them: every problem of both is refused at once, each
 * field that does not validate and each fact (RequestProblems).
 */
function checked<T, F = undefined>(file: SchemaFile, body: unknown, readFacts?: (facts: unknown) => F): { body: T; facts: F } {
  const problems = new RequestProblems(file, body);
  problems.add(...unstorableArtifacts(body, problems));
  const facts = readFacts && !problems.refusedIn('/facts') ? problems.read(() => readFacts((body as { facts?: unknown }).facts ?? {})) : undefined;
  problems.throwAny();
  return { body: body as T, facts: facts as F };
}

/** What an artifact's text a case keeps must be (unstorableArtifacts). */
const STORABLE_TEXT = 'text without NUL (\\u0000), which the case store cannot keep';

/**
 * The artifacts of a case body whose text holds a NUL, each refused at its pointer: a case keeps
 * them in jsonb, which holds no NUL (PostgreSQL and PGlite fail the statement, 22P05), while every
 * other string a case keeps is refused one by its schema (control characters) or is a name rca
 * knows. A text the schema refused already (too long, not a string) is not looked into.
 * /v1/diagnose and the interview keep nothing, and read such a text as sent.
 */
function unstorableArtifacts(body: unknown, schema: RequestProblems): InputProblem[] {
  const artifacts = (body as { artifacts?: unknown } | null)?.artifacts;
  if (!Array.isArray(artifacts)) return [];
  return artifacts.flatMap((artifact: unknown, i) => {
    const field = `/artifacts/${i}/text`;
    const text = (artifact as { text?: unknown } | null)?.text;
    const got = typeof text === 'string' && !schema.refusedAt(field) ? nulCharacter(text) : undefined;
    return got ? [{ field, expected: STORABLE_TEXT, got }] : [];
  });
}

/**
 * Artifacts as a case keeps them: their text without the secrets a command line or header
 * carried (redactSecrets), read and stored the same, so a later diagnosis reads what the first did.
 */
function keptArtifacts(artifacts: CaseCreate['artifacts']): NonNullable<CaseCreate['artifacts']> {
  return (artifacts ?? []).map((artifact) => ({ ...artifact, text: redactSecrets(artifact.text) }));
}

/**
 * A new case's facts and artifacts, validated as a diagnosis request validates them (each
 * artifact must parse; errors point into the body), with its explicit facts normalised, and
 * the request they make on their own.
 */
function changeOf(body: CaseCreate, facts: FactMap, parseArtifact: ArtifactParser, kb: KnowledgeBase): { change: CaseChange; request: DiagnoseRequest } {
  const artifacts = keptArtifacts(body.artifacts);
  const request = caseRequest(kb, parseArtifact, { summary: body.summary ?? null, facts, artifacts });
  return { change: { ...(body.summary !== undefined && { summary: body.summary }), facts, artifacts }, request };
}

/**
 * A PATCH body, validated: its facts read as a merge patch (a null removes a fact, so it is no
 * "unknown" to drop as in a diagnosis request), its artifacts checked to parse as a request's.
 * The case is diagnosed with its earlier facts and artifacts (CaseService.update), so the
 * request its own facts and artifacts make is only checked here.
 */
function updateOf(body: CasePatch, facts: FactPatch, parseArtifact: ArtifactParser, kb: KnowledgeBase): CaseUpdate {
  const artifacts = keptArtifacts(body.artifacts);
  caseRequest(kb, parseArtifact, { summary: null, facts: facts.set, artifacts });
  return { ...(body.summary !== undefined && { summary: body.summary }), facts, artifacts };
}

/** The PATCH route's description in the OpenAPI document: what a ticket update does to each field. */
const PATCH_DESCRIPTION =
  'A ticket update: `facts` is a JSON Merge Patch (RFC 7396) of the case\'s facts (a fact given replaces its value, a fact given as null is removed, {"tcp": null} removes every tcp.* fact, a fact not named stays), `artifacts` are added to the case\'s, `summary` replaces its summary (null removes it, as it does a fact). Sent as application/json or application/merge-patch+json. The case is diagnosed again and the diagnosis added to its history (which keeps the first diagnosis and the latest ones, the server\'s --history-limit in all: historyForgotten counts those forgotten), unless the update changes nothing and the knowledge base is the one of its last diagnosis: then the case is answered as it is, with no new revision. A resolved case stays resolved with its cause, and GET /v1/stats judges the diagnosis it had when the cause was confirmed. With an Idempotency-Key the change is made once: a retry answers the case as it is now.';

/** The DELETE route's description in the OpenAPI document: what goes, and what a retry or a repost of its ticket then gets. */
const DELETE_DESCRIPTION =
  'The case goes with its facts, artifacts, summary and every diagnosis: GET answers 404 after, as does a second DELETE; it leaves the list, the similar past incidents of other cases and GET /v1/stats. A POST /v1/cases with the Idempotency-Key that made it is a 409 with any body (a retry would make it again, with what it was deleted for); its ticket posted without that key is a new case. Honours If-Match as PATCH does. Takes no body: one sent is not read, whatever its Content-Type (so never a 413 or 415), and an empty one with Content-Type: application/json is no error.';
const DELETED = { description: 'Deleted; no body', type: 'null' };

/** The outcome routes' descriptions in the OpenAPI document: what a repeated PUT does, and what withdrawing a cause undoes. */
const RESOLVE_DESCRIPTION =
  'Replaces the confirmed cause the case holds, if any, and resolves it; the case is not diagnosed again. The outcome it holds already (the same cause, text, note and confirmedBy) changes nothing: the answer is the case as it is, with its confirmedAt and ETag, so a sync that puts it again moves no If-Match off the case.';
const REOPEN_DESCRIPTION =
  'Withdraws the confirmed cause (one recorded by mistake): the case is open again with no outcome, under a new version (ETag), with the same history; it leaves the similar past incidents of other cases and GET /v1/stats until a cause is put again. 404 when there is no such case and when it has no confirmed cause (a second DELETE). Honours If-Match as PATCH does. Takes no body: one sent is not read.';

/** A validated POST /v1/cases body: the new case, already read as a request against `kb`, which diagnoses it. */
interface ValidatedCase {
  input: NewCase;
  kb: KnowledgeBase;
}

/** How fastify's validation step reads each case body (see the server's validator compiler): the parsed value, or an InputError. */
export function caseBodyParsers(parseArtifact: ArtifactParser): Record<string, (body: unknown, kb: KnowledgeBase) => unknown> {
  const at = (file: SchemaFile) => `https://rca.local/schemas/${file}#`;
  return {
    [at('case-create.schema.json')]: (body, kb): ValidatedCase => {
      const { body: create, facts } = checked<CaseCreate, FactMap>('case-create.schema.json', body, (given) => normalizeFacts(given, kb.vocabulary, 'facts'));
      // A new case is its change alone: the request its validation read is the one it is diagnosed from.
      const { change, request } = changeOf(create, facts, parseArtifact, kb);
      return { input: { source: create.source, externalId: create.externalId, ...change, request }, kb };
    },
    [at('case-patch.schema.json')]: (body, kb) => {
      const { body: patch, facts } = checked<CasePatch, FactPatch>('case-patch.schema.json', body, (given) => normalizeFactPatch(given, kb.vocabulary, 'facts'));
      return updateOf(patch, facts, parseArtifact, kb);
    },
    [at('case-outcome.schema.json')]: (body) => checked<CaseOutcome>('case-outcome.schema.json', body).body,
  };
}

/** The schemas a new case's answer is written with, piece by piece (newCaseJson); constants, as fastify keeps what it compiles by schema object. */
const DIAGNOSIS = { $ref: 'https://rca.local/schemas/diagnosis.schema.json#' };
const SIMILAR_CASES = { type: 'array', items: { $ref: 'https://rca.local/schemas/diagnosis.schema.json#/definitions/similarCase' } };

/** The route's serializer of a schema, compiled once per route (fastify keeps it by the schema object); typed for what it writes, which fastify's type cannot say. */
const serializerOf = <T>(reply: FastifyReply, schema: object) => reply.compileSerializationSchema(schema as Record<string, unknown>) as unknown as (value: T) => string;

/**
 * The answer to a new case, as the route's 201 schema (case.schema.json) writes it, around the
 * diagnosis's stored text (written by the same compiled diagnosis schema) instead of
 * serializing the diagnosis again: the case with no history ends `"diagnoses":[]}` (its last
 * property, `report`, is absent), and the diagnosis's last property, `similar`, goes after
 * the stored text's own.
 */
function newCaseJson(reply: FastifyReply, found: Case, diagnosisJson: string): string {
  const [first] = found.diagnoses as [Case['diagnoses'][number]];
  const head = reply.serialize({ ...found, diagnoses: [] }) as string;
  const similar = serializerOf<Diagnosis['similar']>(reply, SIMILAR_CASES)(first.diagnosis.similar ?? []);
  return `${head.slice(0, -'[]}'.length)}[{"n":${first.n},"at":${JSON.stringify(first.at)},"diagnosis":${diagnosisJson.slice(0, -1)},"similar":${similar}}}]}`;
}

/** What a change that leaves nothing to show (a deletion) answers, as a 204 without a body (changeCase). */
const NO_CONTENT = Symbol('no content');

/** Visible ASCII, as an HTTP token: what an Idempotency-Key may be. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * What is wrong with a request's Idempotency-Key, if anything: node joins a header given twice
 * into one value ("k1, k2"), so the raw headers are counted; then its length; then the first
 * character that is not visible ASCII, by place (a space is the commonest).
 */
export function idempotencyKeyProblem(rawHeaders: readonly string[], key: string | string[]): string | undefined {
  const given = headerLines(rawHeaders, 'idempotency-key');
  if (given > 1) return `${given} headers`;
  const value = [key].flat().join(', ');
  if (IDEMPOTENCY_KEY.test(value)) return undefined;
  if (value.length < 1 || value.length > 200) return `${value.length} characters`;
  const at = value.search(/[^\x21-\x7e]/);
  const char = value[at] as string;
  // Node reads a header's bytes as latin1: a UTF-8 key ("ключ") would be quoted as mojibake, so bytes past ASCII are named as bytes.
  if (char.charCodeAt(0) > 0x7e) return `a value with bytes outside ASCII (byte ${at + 1} is 0x${char.charCodeAt(0).toString(16).toUpperCase()})`;
  return `${describeValue(value)}, whose character ${at + 1} is ${char === ' ' ? 'a space' : `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`}`;
}

/** A request's Idempotency-Key, undefined when it sends none; one that is no key (idempotencyKeyProblem) is a 400 naming what came. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  const wrong = idempotencyKeyProblem(request.raw.rawHeaders, key);
  if (wrong) throw problemError(headerProblem('E_USAGE', request, { header: 'Idempotency-Key', expected: 'one header of 1 to 200 visible ASCII characters', got: wrong }));
  // A key that passed idempotencyKeyProblem is one header's value: a string.
  return key as string;
}

/** One entity tag of a list (RFC 9110 8.8.3: optionally weak, quoted, no quote inside), and the comma after it. */
const ENTITY_TAG = /[ \t]*((?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")[ \t]*(?:,|$)/y;
const EMPTY_ELEMENT = /[ \t]*(?:,|[ \t]+$)/y;

/** What an If-Match header must be, for a problem refusing one (ifMatchOf). */
const IF_MATCH_EXPECTED = '* or entity tags in quotes as an ETag gives them ("3.lq2x1k.en")';

/**
 * An If-Match header read: `*`, or the entity tags it lists; undefined when absent. Anything
 * else is a usage problem naming what came (a bare revision, a tag without its quotes).
 */
export function ifMatchOf(header: string | undefined): IfMatch | undefined | { problem: HeaderError } {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  ENTITY_TAG.lastIndex = 0;
  while (ENTITY_TAG.lastIndex < header.length) {
    // Empty list elements (", x", "x,,y") are allowed (RFC 9110 5.6.1.2).
    EMPTY_ELEMENT.lastIndex = ENTITY_TAG.lastIndex;
    if (EMPTY_ELEMENT.test(header)) {
      ENTITY_TAG.lastIndex = EMPTY_ELEMENT.lastIndex;
      continue;
    }
    const at = ENTITY_TAG.lastIndex;
    const match = ENTITY_TAG.exec(header);
    if (!match) return { problem: { header: 'If-Match', expected: IF_MATCH_EXPECTED, got: `${describeValue(header.slice(0, 200))}, unreadable from character ${at + 1}` } };
    tags.push(match[1] as string);
  }
  return tags.length > 0 ? tags : { problem: { header: 'If-Match', expected: IF_MATCH_EXPECTED, got: 'an empty header' } };
}

/** A filter compared with what cases store: one line of text, with the pattern and words case-create.schema.json gives externalId. */
const EXTERNAL_ID = (readSchema('case-create.schema.json') as { properties: { externalId: { pattern: string; 'x-expected': string } } }).properties.externalId;
const ONE_LINE = { pattern: EXTERNAL_ID.pattern, 'x-expected': EXTERNAL_ID['x-expected'] };
const caseQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'resolved'] },
    source: { type: 'string', ...ONE_LINE },
    externalId: { type: 'string', ...ONE_LINE },
    cause: { type: 'string', ...ONE_LINE, description: 'The confirmed cause (a hypothesis id or "other")' },
    hypothesis: { type: 'string', ...ONE_LINE, description: "The latest diagnosis's most likely cause" },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE, description: 'Cases per page' },
    cursor: { type: 'string', description: 'The `next` of the page before, with the same filters (another filter is a 400 naming it)' },
  },
} as const;
const reportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: { type: 'string', enum: ['text', 'markdown', 'html'], description: 'Also render the latest diagnosis, with its similar past incidents, as `report`' },
    lang: { ...LANG_PARAMETER, description: `${LANG_PARAMETER.description}: of the latest diagnosis and its report, when it was made under the knowledge base served (earlier ones keep their own; Content-Language says which)` },
  },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;

/** The E_QUERY problem naming query parameters of REQUEST, what each expected and what came. */
function queryProblem(request: FastifyRequest, ...errors: ParameterError[]): Error {
  return problemError(problem('E_QUERY', errors.map(({ parameter, expected, got }) => `${parameter}: expected ${expected}, got ${got}`).join('; '), request, errors));
}

/** A query parameter's value as a problem quotes it: at most 60 characters of it. */
const quoted = (value: string) => JSON.stringify(value.slice(0, 60));

/**
 * The filters a query names that are not those of the list its cursor pages on (a page of
 * another list would skip or repeat cases without a word), each a problem naming the parameter.
 */
function cursorMismatches(cursor: CaseCursor, filters: CaseFilters): ParameterError[] {
  const listed = cursor.filters;
  if (!listed) return [];
  return CASE_FILTERS.filter((name) => listed[name] !== filters[name]).map((name) => {
    const was = listed[name];
    const is = filters[name];
    return {
      parameter: name,
      expected: was === undefined ? `no ${name}, as the list the cursor pages on has none (a list by ${name} starts without a cursor)` : `${quoted(was)}, the ${name} of the list the cursor pages on (a list by another starts without a cursor)`,
      got: is === undefined ? 'nothing' : quoted(is),
    };
  });
}

/** The page size and cursor of a list query with these filters, or the E_QUERY problem naming the parameter. */
function pageOf(query: Record<string, string | undefined>, filters: CaseFilters, request: FastifyRequest): Pick<CaseQuery, 'limit' | 'cursor'> {
  const fail = (...errors: ParameterError[]): never => {
    throw queryProblem(request, ...errors);
  };
  // A whole number within the bounds of caseQuery: the onRequest hook refused any other (queryProblems).
  const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit);
  if (query.cursor === undefined) return { limit };
  const cursor = decodeCursor(query.cursor) ?? fail({ parameter: 'cursor', expected: 'the `next` of an earlier page', got: quoted(query.cursor) });
  const mismatches = cursorMismatches(cursor, filters);
  if (mismatches.length > 0) fail(...mismatches);
  return { limit, cursor: cursor.after };
}

/**
 * The case routes: thin, over CaseService. Every one is scoped to the caller's tenant, so
 * another tenant's case answers 404 exactly as a case that does not exist.
 */
export function registerCaseRoutes(app: FastifyInstance, kit: CaseRouteKit): void {
  const { kb, tenantOf, languageOf, ref, problems, secured, withBody } = kit;
  /** The store for a request: waits while it opens; a store that cannot be used is a 503 (the log says why; the client is not told where it is). */
  const store = async (request: FastifyRequest): Promise<CaseService> => {
    try {
      return await kit.cases();
    } catch (error) {
      if (error instanceof StoreError) throw problemError(problem('E_STORE', 'the case database cannot be used; the server log says why', request));
      throw error;
    }
  };
  const security = { security: [{ bearer: [] }] };
  const notFound = (request: FastifyRequest, reply: FastifyReply, id: string) => sendProblem(reply, problem('E_NOT_FOUND', `no case "${id}"`, request));
  /** A case as an answer: with its ETag and the language of its latest diagnosis (tagged). */
  const caseAnswer = { 200: withHeaders(ref('case.schema.json'), CASE_ETAG, CONTENT_LANGUAGE) };
  /**
   * A case answered with the ETag of its representation (caseTag: its version, the language of
   * its latest diagnosis, the one its report is in, the report's format, and the similar past
   * incidents it shows), which a later If-Match names, and with that language as
   * Content-Language (no case: nothing to tag).
   */
  const tagged = <T extends Pick<Case, 'revision' | 'updatedAt' | 'diagnoses'> | undefined>(reply: FastifyReply, answer: T, format?: CaseReportFormat): T => {
    if (!answer) return answer;
    const lang = supportedLanguage(answer.diagnoses.at(-1)?.diagnosis.lang ?? DEFAULT_LANG) ?? DEFAULT_LANG;
    reply.header(CASE_ETAG.name, caseTag(answer, lang, format)).header(CONTENT_LANGUAGE.name, lang);
    return answer;
  };
  const ifMatchProperty = { type: 'string', description: 'Change the case only if it is still at this version: its ETag (from any answer about it, in any language or format), or *. Otherwise 412, naming the current one' } as const;
  const ifMatchHeader = { type: 'object', properties: { 'if-match': ifMatchProperty } } as const;
  const patchHeaders = {
    type: 'object',
    properties: {
      'if-match': ifMatchProperty,
      'idempotency-key': { type: 'string', description: "The same key with the same change of the same case answers the case as it is now, changed once (under any If-Match, which the first attempt moved on); with another change or case, or a key a POST used, 409 (a tenant's keys are one set for POST and PATCH)" },
    },
  } as const;
  /**
   * Runs a change under the request's If-Match, answered as `change` says: the case as it is
   * now, or NO_CONTENT (a deletion) as a 204 without a body. A malformed header is a 400, a
   * version the case has moved past a 412 naming the current one; no case (undefined) is a 404,
   * as is no cause to withdraw; an Idempotency-Key used for another request a 409.
   */
  const changeCase = async (request: FastifyRequest, reply: FastifyReply, id: string, change: (ifMatch: IfMatch | undefined) => Promise<Case | typeof NO_CONTENT | undefined>) => {
    const ifMatch = ifMatchOf(request.headers['if-match']);
    if (ifMatch !== undefined && typeof ifMatch === 'object' && 'problem' in ifMatch) return sendProblem(reply, headerProblem('E_USAGE', request, ifMatch.problem));
    try {
      const changed = await change(ifMatch);
      if (changed === undefined) return notFound(request, reply, id);
      // Sent here, not by `change`: a reply is thenable, settling (with nothing) once sent, so one
      // returned by an async `change` was awaited into undefined, and a 404 sent after the 204.
      return changed === NO_CONTENT ? reply.code(204).send() : changed;
    } catch (error) {
      if (error instanceof CasePreconditionFailed) return sendProblem(reply.header(CASE_ETAG.name, error.current), problem('E_PRECONDITION', error.message, request));
      if (error instanceof CaseOutcomeMissing) return sendProblem(reply, problem('E_NOT_FOUND', error.message, request));
      if (error instanceof CaseConflict) return sendProblem(reply, problem('E_CONFLICT', error.message, request));
      throw error;
    }
  };

  app.post(
    '/v1/cases',
    {
      config: CASE_ROUTE,
      schema: {
        summary: 'Remember a ticket as a case and diagnose it (idempotent on source and externalId, and on Idempotency-Key)',
        description: 'The same ticket (source and externalId) again with the same summary, facts and artifacts answers the case it is (200); with others it is a 409 naming the case, as a ticket update is a PATCH of its case (updateCase).',
        operationId: 'createCase',
        ...security,
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', description: "The same key with the same body answers the same case; with another body, once that case is deleted, or a key a PATCH used, 409 (a tenant's keys are one set for POST and PATCH)" } } },
        body: ref('case-create.schema.json'),
        response: {
          201: withHeaders({ description: 'Created and diagnosed', ...ref('case.schema.json') }, LOCATION, CASE_ETAG, CONTENT_LANGUAGE),
          200: withHeaders({ description: 'The case this ticket (or this Idempotency-Key) already is, posted with the same body', ...ref('case.schema.json') }, LOCATION, CASE_ETAG, CONTENT_LANGUAGE),
          ...problems(...withBody, 409),
        },
      },
    },
    async (request, reply) => {
      const key = idempotencyKeyOf(request);
      try {
        const { input, kb: reading } = request.body as ValidatedCase;
        const answer = await (await store(request)).create(tenantOf(request), input, reading, key, serializerOf<Diagnosis>(reply, DIAGNOSIS));
        reply.header(LOCATION.name, `/v1/cases/${answer.case.id}`);
        tagged(reply, answer.case);
        if (!answer.created) return reply.code(200).send(answer.case);
        return reply.code(201).type(JSON_TYPE).send(newCaseJson(reply, answer.case, answer.diagnosisJson));
      } catch (error) {
        if (error instanceof CaseConflict) return sendProblem(reply, problem('E_CONFLICT', error.message, request));
        throw error;
      }
    },
  );

  app.get('/v1/cases', { config: CASE_ROUTE, schema: { summary: "The tenant's cases, newest first, filtered, a page at a time", operationId: 'listCases', ...security, querystring: caseQuery, response: { 200: ref('case-list.schema.json'), ...problems(...secured) } } }, async (request) => {
    const query = request.query as Record<string, string | undefined>;
    // The query schema allows only the statuses there are.
    const filters = filtersOf(query as CaseFilters);
    try {
      return await (await store(request)).list(tenantOf(request), { ...filters, ...pageOf(query, filters, request) });
    } catch (error) {
      if (!(error instanceof CaseCursorUnknown)) throw error;
      throw queryProblem(request, { parameter: 'cursor', expected: 'the `next` of an earlier page of your cases', got: 'a cursor naming no case of yours' });
    }
  });

  app.get('/v1/stats', { config: CASE_ROUTE, schema: { summary: "How right rca was on the tenant's resolved cases: accuracy by KB version and month, per hypothesis and rule, calibration", operationId: 'caseStats', ...security, response: { 200: ref('case-stats.schema.json'), ...problems(...secured) } } }, async (request) =>
    caseStats(await (await store(request)).resolvedDiagnoses(tenantOf(request))),
  );

  app.get(
    '/v1/cases/:id',
    { config: CASE_ROUTE, schema: { summary: 'One case with the diagnoses it keeps (its first and its latest), the latest with similar past incidents', operationId: 'getCase', ...security, params: idParams, querystring: reportQuery, response: { ...caseAnswer, ...problems(...secured, 404) } } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const found = await (await store(request)).get(tenantOf(request), id);
      if (!found) return notFound(request, reply, id);
      const { format, lang } = request.query as { format?: CaseReportFormat; lang?: string };
      const latest = found.diagnoses.at(-1);
      const shown = latest ? { ...found, diagnoses: [...found.diagnoses.slice(0, -1), { ...latest, diagnosis: await inLanguage(kb.current, latest.diagnosis, languageOf(request, lang)) }] } : found;
      const report = format && shown.diagnoses.at(-1)?.diagnosis;
      tagged(reply, shown, report ? format : undefined);
      return report ? { ...shown, report: renderReport(report, format) } : shown;
    },
  );

  app.patch(
    '/v1/cases/:id',
    { config: CASE_ROUTE, schema: { summary: 'Change the facts of a case (a JSON Merge Patch), add artifacts, and diagnose it again (once per Idempotency-Key)', description: PATCH_DESCRIPTION, operationId: 'updateCase', consumes: [...bodyTypesOf('PATCH')], ...security, params: idParams, headers: patchHeaders, body: ref('case-patch.schema.json'), response: { ...caseAnswer, ...problems(...withBody, 404, 409, 412) } } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const key = idempotencyKeyOf(request);
      const cases = await store(request);
      return changeCase(request, reply, id, async (ifMatch) => tagged(reply, await cases.update(tenantOf(request), id, request.body as CaseUpdate, kb.current, ifMatch, key)));
    },
  );

  app.put(
    '/v1/cases/:id/outcome',
    { config: CASE_ROUTE, schema: { summary: 'Record the confirmed cause of a case, which resolves it', description: RESOLVE_DESCRIPTION, operationId: 'resolveCase', ...security, params: idParams, headers: ifMatchHeader, body: ref('case-outcome.schema.json'), response: { ...caseAnswer, ...problems(...withBody, 404, 412) } } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const cases = await store(request);
      return changeCase(request, reply, id, async (ifMatch) => tagged(reply, await cases.resolve(tenantOf(request), id, request.body as CaseOutcome, kb.current, ifMatch)));
    },
  );

  app.delete(
    '/v1/cases/:id/outcome',
    { config: CASE_ROUTE, schema: { summary: 'Withdraw the confirmed cause of a case, which reopens it', description: REOPEN_DESCRIPTION, operationId: 'reopenCase', ...security, params: idParams, headers: ifMatchHeader, response: { ...caseAnswer, ...problems(...secured, 404, 412) } } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const cases = await store(request);
      return changeCase(request, reply, id, async (ifMatch) => tagged(reply, await cases.reopen(tenantOf(request), id, ifMatch)));
    },
  );

  app.delete(
    '/v1/cases/:id',
    // Its answer has no body, so no Accept can refuse it (no 406).
    { config: { ...CASE_ROUTE, produces: [] }, schema: { summary: 'Delete a case with its whole history (a secret or personal data that slipped through redaction)', description: DELETE_DESCRIPTION, operationId: 'deleteCase', ...security, params: idParams, headers: ifMatchHeader, response: { 204: DELETED, ...problems(...secured.filter((status) => status !== 406), 404, 412) } } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const cases = await store(request);
      return changeCase(request, reply, id, async (ifMatch) => ((await cases.delete(tenantOf(request), id, ifMatch)) ? NO_CONTENT : undefined));
    },
  );
}

