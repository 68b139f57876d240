import { createHash, randomUUID } from 'node:crypto';
import { diagnose } from '../core/diagnose.js';
import { InputError } from '../core/errors.js';
import { applyFactPatch, type FactPatch } from '../core/facts.js';
import type { KnowledgeBase } from '../core/kb.js';
import { DEFAULT_LANG, SUPPORTED_LANGS } from '../core/localize.js';
import { REPORT_FORMATS, type ReportFormat } from '../core/render.js';
import { parseDiagnoseRequest, type ArtifactParser, type DiagnoseRequest } from '../core/request.js';
import { directReadings } from '../core/paste.js';
import { didYouMean } from '../core/suggest.js';
import type { FactMap } from '../core/vocabulary.js';
import type { Diagnosis } from '../generated/diagnosis.js';
import type { Case } from '../generated/case.js';
import type { CaseList } from '../generated/case-list.js';
import type { CaseOutcome } from '../generated/case-outcome.js';
import type { Database, Sql } from '../store/database.js';
import { DEFAULT_HISTORY_LIMIT } from './history.js';
import { ResolvedIndexes } from './resolved-index.js';
import { caseFeatures } from './similar.js';
import type { ResolvedDiagnosis } from './stats.js';
import { counted } from '../core/counted.js';

/** The most artifacts one case keeps, as many as one diagnosis reads (diagnose-request.schema.json). */
export const MAX_CASE_ARTIFACTS = 20;
/** Cases per page of GET /v1/cases: the default and the most. */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;
/** Similar past incidents shown with a case's latest diagnosis. */
export const SIMILAR_SHOWN = 3;
/** The resolved cases the statistics read: the tenant's most recent ones. */
export const STATS_POOL = 10_000;

type Artifact = Case['artifacts'][number];

/** A validated change to a case: what POST and PATCH bodies carry once their facts are normalised. */
export interface CaseChange {
  summary?: string;
  facts: FactMap;
  artifacts: Artifact[];
}

/** A validated PATCH: its facts a merge patch of the case's (FactPatch), its artifacts added to the case's, its summary replacing the case's (null removes it). */
export interface CaseUpdate {
  summary?: string | null;
  facts?: FactPatch;
  artifacts?: Artifact[];
}

export interface NewCase extends CaseChange {
  source: string;
  externalId: string;
  /**
   * Its summary, facts and artifacts already read as a diagnosis request against the KB that
   * create() is given (the route's validation reads them so): create() then parses no
   * artifact a second time. Read by create() when absent.
   */
  request?: DiagnoseRequest;
}

/** The filters of GET /v1/cases, each optional, in the order a cursor keeps them. */
export const CASE_FILTERS = ['status', 'source', 'externalId', 'cause', 'hypothesis'] as const;
export interface CaseFilters {
  status?: 'open' | 'resolved';
  source?: string;
  externalId?: string;
  cause?: string;
  hypothesis?: string;
}

/** A page of GET /v1/cases: its filters, its size, and `cursor`, the id of the case the page before ended with (a CaseCursor's `after`). */
export interface CaseQuery extends CaseFilters {
  limit: number;
  cursor?: string;
}

/** The filters a query names, and only those, in CASE_FILTERS' order. */
export function filtersOf(query: CaseFilters): CaseFilters {
  return Object.fromEntries(CASE_FILTERS.flatMap((name) => (query[name] === undefined ? [] : [[name, query[name]]])));
}

/** Raised when a new case's Idempotency-Key, or its ticket, comes back with another request than the one it was first sent with. */
export class CaseConflict extends Error {}

/** A list's cursor that names no case of the tenant's, there or deleted: another tenant's, or made up. A mistake, not the end of the list. */
export class CaseCursorUnknown extends Error {}

/** A withdrawal of the confirmed cause of a case that has none (open, or withdrawn already): nothing to withdraw, as a second DELETE of a case finds no case. */
export class CaseOutcomeMissing extends Error {
  constructor(readonly id: string) {
    super(`case ${id} has no confirmed cause to withdraw: it is open (PUT /v1/cases/${id}/outcome records one)`);
  }
}

/**
 * A case's version: its revision and when it last changed, so an outcome, which adds no
 * diagnosis, changes it too.
 */
function caseVersion(c: Pick<Case, 'revision' | 'updatedAt'>): string {
  return `${c.revision}.${Date.parse(c.updatedAt).toString(36)}`;
}

/** The report formats a case can be answered with (GET /v1/cases/ID?format=). */
export type CaseReportFormat = Exclude<ReportFormat, 'json'>;
const CASE_REPORT_FORMATS = REPORT_FORMATS.filter((format): format is CaseReportFormat => format !== 'json');

/**
 * The strong entity tag of one representation of a case: its version, the language its latest
 * diagnosis is shown in, the format of the report it carries, if any, and a digest of the
 * similar past incidents it shows, if any (`"3.lq2x1k.zh-CN.html.s1x9f3k2a"`). Representations
 * that differ have tags that differ (RFC 9110 8.8.3), so a cache holding the English answer is
 * not told by a 304 that it holds the Chinese one; nor one holding the answer from before another
 * case was resolved (its similar incidents are read anew for every answer) that it holds the
 * answer naming it. Opaque to clients: they send it back in If-Match to change the case only as
 * they last saw it, in whatever language.
 */
export function caseTag(c: Pick<Case, 'revision' | 'updatedAt'> & Partial<Pick<Case, 'diagnoses'>>, lang: string, format?: CaseReportFormat): string {
  return `"${caseVersion(c)}.${lang}${format === undefined ? '' : `.${format}`}${similarDigest(c.diagnoses?.at(-1)?.diagnosis.similar)}"`;
}

/** The last part of the tag of an answer showing similar past incidents: `.s` and a digest of all they say (a case resolved again may say another note). None for none. */
function similarDigest(similar: Diagnosis['similar']): string {
  if (!similar || similar.length === 0) return '';
  return `.s${createHash('sha256').update(JSON.stringify(similar)).digest().readUIntBE(0, 6).toString(36)}`;
}

/** A similar-incidents digest as similarDigest writes it (48 bits in base 36), without its dot. */
const SIMILAR_DIGEST = /^s[0-9a-z]{1,10}$/;

/**
 * Whether what follows the version in an entity tag is what follows it in a tag rca gives
 * (caseTag): a language, then a report format if any, then a similar-incidents digest if any;
 * or nothing, as releases before language-specific tags tagged every representation with the
 * bare version (`"3.lq2x1k"`), so a client holding one from then still changes the case it read.
 * Read part by part, so any digest of the version's answers holds, whichever incidents it saw.
 */
function isRepresentationSuffix(suffix: string): boolean {
  if (suffix === '') return true;
  const parts = suffix.split('.');
  // A suffix starts with its dot: the first part is empty.
  if (parts.shift() !== '' || !(SUPPORTED_LANGS as readonly string[]).includes(parts.shift() as string)) return false;
  if ((CASE_REPORT_FORMATS as readonly string[]).includes(parts[0] as string)) parts.shift();
  if (SIMILAR_DIGEST.test(parts[0] ?? '')) parts.shift();
  return parts.length === 0;
}

/** What follows the version VERSION in a strong entity tag, or undefined when the tag names another version (or is weak: If-Match compares strongly). */
function suffixAfter(tag: string, version: string): string | undefined {
  const start = `"${version}`;
  if (!tag.startsWith(start) || !tag.endsWith('"')) return undefined;
  const suffix = tag.slice(start.length, -1);
  return suffix === '' || suffix.startsWith('.') ? suffix : undefined;
}

/** Whether an If-Match's entity tag is one of the tags of the version VERSION, in any representation (strongly: a weak tag never is). */
function tagOfVersion(tag: string, version: string): boolean {
  const suffix = suffixAfter(tag, version);
  return suffix !== undefined && isRepresentationSuffix(suffix);
}

/** The entity tags an If-Match header lists, or `*` (any current version). */
export type IfMatch = '*' | readonly string[];

/**
 * An If-Match that holds no tag of the case's current version, in any language or format (RFC
 * 9110 13.1.1: strong comparison, so a weak W/ tag never matches). `current` is the tag a
 * change's answer carries (diagnoses are made in DEFAULT_LANG), which a retry can send. One
 * holding only weak tags is told so, not that the case changed: a proxy that weakens ETags would
 * have its client GET the case and send the same tag again, for ever. Nor is one naming the
 * current version with a language or format rca never tags (`"3.lq2x1k.fr"`): the case did not change.
 */
export class CasePreconditionFailed extends Error {
  constructor(
    readonly id: string,
    readonly current: string,
    given: readonly string[],
    version: string,
  ) {
    // Tags of the current version that did not match: their language and format part is none rca gives.
    const madeUp = given.find((tag) => suffixAfter(tag, version) !== undefined);
    const why = given.every((tag) => tag.startsWith('W/'))
      ? 'a weak entity tag (W/"...") never matches, as If-Match compares strongly (RFC 9110 13.1.1): send the ETag as an answer about the case gives it, and have a proxy that weakens it pass it unchanged'
      : madeUp !== undefined
        ? `${madeUp} is not an entity tag rca gives: its part after the version, ${JSON.stringify(suffixAfter(madeUp, version))}, is not a language (${SUPPORTED_LANGS.join(' or ')}) followed, each if any, by a report format (${CASE_REPORT_FORMATS.join(', ')}) and a digest of similar past incidents (.s...); send the ETag as an answer about the case gives it`
        : `case ${id} changed since that version was read; GET it again`;
    super(`If-Match: expected an entity tag of the case's current version, such as ${current} (its ETag, in any language or format), got ${given.join(', ')}: ${why}`);
  }
}

/**
 * A change's updated_at: NOW, or a millisecond past the row's own when that is not earlier. Two
 * changes in one millisecond, or from servers whose clocks differ, each give the case a later
 * time, so no two versions share an ETag (caseTag) and updatedAt never goes back.
 */
const LATER_THAN_BEFORE = (now: string) => `GREATEST(${now}::timestamptz, updated_at + interval '1 millisecond')`;

/** Refuses a change to a case when If-Match lists no tag of its current version, in any representation (tagOfVersion). */
function checkIfMatch(ifMatch: IfMatch | undefined, row: CaseRow): void {
  if (ifMatch === undefined || ifMatch === '*') return;
  const header = caseHeader(row);
  const version = caseVersion(header);
  if (!ifMatch.some((tag) => tagOfVersion(tag, version))) throw new CasePreconditionFailed(row.id, caseTag(header, DEFAULT_LANG), ifMatch, version);
}

interface CaseRow {
  id: string;
  source: string;
  external_id: string;
  summary: string | null;
  status: 'open' | 'resolved';
  revision: number;
  created_at: Date | string;
  updated_at: Date | string;
  facts: Record<string, string | number | boolean>;
  artifacts: Artifact[];
  outcome: Case['outcome'];
  top_hypothesis: string | null;
  confirmed_cause: string | null;
  features: string[];
}

/** A case's row read with its history (CASE_WITH_HISTORY); `at` as the database writes a time in JSON. */
interface CaseWithHistoryRow extends CaseRow {
  diagnoses: Array<{ n: number; at: string; diagnosis: Diagnosis }>;
}

const LIST_COLUMNS = 'id, source, external_id, summary, status, revision, created_at, updated_at, top_hypothesis, confirmed_cause';
const CASE_COLUMNS = `${LIST_COLUMNS}, facts, artifacts, outcome, features`;
/**
 * A case's columns and the history it keeps, oldest first, from a row named `c`: one statement
 * where reading the history took a second round trip. json_agg copies each stored
 * diagnosis's text as it is.
 */
const CASE_WITH_HISTORY = `${CASE_COLUMNS}, (SELECT json_agg(json_build_object('n', d.n, 'at', d.created_at, 'diagnosis', d.diagnosis) ORDER BY d.n) FROM case_diagnoses d WHERE d.case_id = c.id) AS diagnoses`;
/** One case of a tenant with its history, by id: no row for another tenant's case, or none. */
const CASE_BY_ID = `SELECT ${CASE_WITH_HISTORY} FROM cases c WHERE id = $1 AND tenant = $2`;
const iso = (time: Date | string) => new Date(time).toISOString();

/**
 * The hash of a new case's summary, facts and artifacts (SQL parameters), which the case keeps
 * (migration 6 has the same expression): a POST of its ticket is that case only with the
 * same body. It hashes jsonb's text, which is canonical (keys sorted, one spacing), so neither
 * key order nor the nesting of facts (normalised to flat names before) tells bodies apart.
 */
const CREATE_HASH = (summary: string, facts: string, artifacts: string) => `sha256(convert_to(jsonb_build_array(${summary}::text, ${facts}::jsonb, ${artifacts}::jsonb)::text, 'UTF8'))`;

/**
 * A ticket's new case and its first diagnosis, in one statement: atomic without a
 * transaction's extra round trips. No row when the ticket has a case already.
 */
const INSERT_CASE = `
  WITH inserted AS (
    INSERT INTO cases (id, tenant, source, external_id, summary, facts, artifacts, status, top_hypothesis, features, revision, created_at, updated_at, create_hash)
    VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, 'open', $8, $9::jsonb, 1, $10, $10, ${CREATE_HASH('$5', '$6', '$7')})
    ON CONFLICT ON CONSTRAINT cases_ticket DO NOTHING RETURNING id
  ), first_diagnosis AS (
    INSERT INTO case_diagnoses (case_id, n, created_at, kb_version, kb_hash, diagnosis) SELECT id, 1, $10, $11, $12, $13::json FROM inserted
  )
  SELECT id FROM inserted`;

/**
 * The n of the diagnosis the case row `c` had when its cause was confirmed, the latest made by
 * then: what GET /v1/stats judges (resolvedDiagnoses). NULL for an open case, which has no outcome.
 */
const CONFIRMED_N = (c: string) => `(SELECT max(e.n) FROM case_diagnoses e WHERE e.case_id = ${c}.id AND e.created_at <= (${c}.outcome->>'confirmedAt')::timestamptz)`;

/**
 * Adds diagnosis $2 to case $1's history and, in the same statement, forgets those of its
 * diagnoses from 2 to $7 (the newest that the history's bound leaves out, CaseService.historyLimit),
 * but the one a resolved case's cause was confirmed on, which GET /v1/stats judges: a case keeps
 * its first diagnosis, the ticket as it opened, and its latest ones. All that an earlier,
 * larger bound kept past this one goes at once. The DELETE does not see the row the INSERT adds
 * (one snapshot), which it never forgets ($7 < $2). The case's revision counts every diagnosis
 * made, so how many were forgotten is its revision less the diagnoses kept (caseOf).
 */
const APPEND_DIAGNOSIS = `
  WITH added AS (
    INSERT INTO case_diagnoses (case_id, n, created_at, kb_version, kb_hash, diagnosis) VALUES ($1, $2, $3, $4, $5, $6::json)
  ), forgotten AS (
    DELETE FROM case_diagnoses WHERE case_id = $1 AND n > 1 AND n <= $7
      AND n IS DISTINCT FROM (SELECT ${CONFIRMED_N('c')} FROM cases c WHERE c.id = $1)
    RETURNING 1
  )
  SELECT count(*)::int AS forgotten FROM forgotten`;

/**
 * How many forgotten diagnoses (7 to 20 kB each) a CaseService lets pile up before it has their
 * space made reusable (Database.reclaim): an embedded store, which no autovacuum tends, would
 * otherwise grow by every diagnosis made, kept or not. Measured on PGlite, vacuuming 200
 * forgotten diagnoses took 3 to 12 ms.
 */
const RECLAIM_AFTER = 1000;

/**
 * Deletes a case and, by cascade, its history, in one statement: its idempotency keys are kept
 * without their request's hash, marked with the time (replay refuses them), and it leaves a
 * tombstone with its place in the list (a cursor naming it pages on from there), stamped as a
 * change is when it was resolved (the similar-case indexes, which hold it, then drop it). Its
 * row when the tenant had the case.
 */
const DELETE_CASE = `
  WITH gone AS (
    DELETE FROM cases WHERE id = $1 AND tenant = $2 RETURNING id, tenant, seq, similar_xid IS NOT NULL AS indexed
  ), keys AS (
    UPDATE idempotency_keys k SET request_hash = NULL, case_deleted_at = $3 FROM gone WHERE k.case_id = gone.id AND k.tenant = gone.tenant
  ), tombstone AS (
    INSERT INTO deleted_cases (id, tenant, seq, similar_xid, deleted_at) SELECT id, tenant, seq, CASE WHEN indexed THEN pg_current_xact_id() END, $3 FROM gone
  )
  SELECT indexed FROM gone`;

/**
 * Forgets what the deletions before $1 left, in one statement: their tombstones, and their
 * cases' idempotency keys, marked by the deletion with its time, or, for a key the deletion could
 * not see to mark (replay), found by the tombstone forgotten now. The counts of each.
 */
const FORGET_DELETED = `
  WITH tombstones AS (
    DELETE FROM deleted_cases WHERE deleted_at < $1 RETURNING id, tenant
  ), marked AS (
    DELETE FROM idempotency_keys WHERE case_deleted_at < $1 RETURNING 1
  ), unmarked AS (
    DELETE FROM idempotency_keys k USING tombstones t WHERE k.case_id = t.id AND k.tenant = t.tenant AND k.case_deleted_at IS NULL RETURNING 1
  )
  SELECT (SELECT count(*) FROM tombstones)::int AS tombstones, ((SELECT count(*) FROM marked) + (SELECT count(*) FROM unmarked))::int AS keys`;

/** What a change applied to a case did (CaseService.applyUpdate): whether it changed a resolved case, and how many diagnoses its history forgot. */
interface Applied {
  resolved: boolean;
  forgotten: number;
}
/** A change that changed nothing. */
const UNCHANGED: Applied = { resolved: false, forgotten: 0 };

/** What a cleanup forgot (CaseService.forgetDeleted). */
export interface Forgotten {
  tombstones: number;
  keys: number;
}

/** A case's summary, facts and artifacts read as a diagnosis request: what its diagnosis reads, and where a bad artifact is refused. */
export function caseRequest(kb: KnowledgeBase, parseArtifact: ArtifactParser, { summary, facts, artifacts }: { summary: string | null; facts: FactMap; artifacts: readonly Artifact[] }): DiagnoseRequest {
  return parseDiagnoseRequest({ facts, artifacts, ...(summary !== null && { summary }) }, { vocabulary: kb.vocabulary, allowBareFacts: false, parseArtifact, directReadings: directReadings(kb) });
}

/** The diagnosis of a case's request: the explicit facts over those parsed from the artifacts (as `rca diagnose` merges them). */
const diagnoseRequest = (kb: KnowledgeBase, request: DiagnoseRequest) => diagnose(kb, request.facts, { summary: request.summary, warnings: request.warnings });

/** What a case and a list item both say of a case, from its row. */
function caseHeader(row: CaseRow): Pick<Case, 'id' | 'source' | 'externalId' | 'summary' | 'status' | 'revision' | 'createdAt' | 'updatedAt'> {
  return { id: row.id, source: row.source, externalId: row.external_id, summary: row.summary, status: row.status, revision: row.revision, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

/**
 * A list's cursor, read: the case after which the next page starts, and the filters of the list
 * it pages on, which the next page's query must name again (a cursor of a release before
 * cursors kept them has none, and pages on whatever the query names, as it did).
 */
export interface CaseCursor {
  after: string;
  filters?: CaseFilters;
}

/**
 * The cursor of the page after a case: that case's id and the list's filters, as JSON, opaque to
 * clients and checked when it comes back. Not the case's seq, which numbers the cases of every
 * tenant: two cursors a minute apart would tell a tenant how many cases the others opened
 * meanwhile. The id, not a place, so a cursor naming a case deleted since pages on from its
 * tombstone (list).
 */
const encodeCursor = (id: string, filters: CaseFilters) => Buffer.from(JSON.stringify({ after: id, filters })).toString('base64url');

/** A cursor of the releases before cursors kept the list's filters: the case id alone. */
const UNFILTERED_CURSOR = /^after:(.{36})$/;

/** A cursor as encodeCursor writes it (or an earlier release did), or undefined for anything else. */
export function decodeCursor(cursor: string): CaseCursor | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const unfiltered = UNFILTERED_CURSOR.exec(text);
  if (unfiltered) {
    const after = caseIdOf(unfiltered[1] as string);
    return after === undefined ? undefined : { after };
  }
  let read: unknown;
  try {
    read = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof read !== 'object' || read === null || Object.keys(read).length !== 2) return undefined;
  const { after, filters } = read as Record<string, unknown>;
  if (typeof after !== 'string' || !isCaseId(after) || typeof filters !== 'object' || filters === null || Array.isArray(filters)) return undefined;
  const named = Object.entries(filters);
  if (!named.every(([name, value]) => (CASE_FILTERS as readonly string[]).includes(name) && typeof value === 'string')) return undefined;
  return { after: after.toLowerCase(), filters: filtersOf(Object.fromEntries(named)) };
}

/** How a CaseService keeps cases. */
export interface CaseServiceOptions {
  /** The most diagnoses one case keeps, from MIN_HISTORY_LIMIT (src/cases/history.ts): the first and the latest ones (APPEND_DIAGNOSIS). */
  historyLimit?: number;
}

/**
 * Cases of every tenant in one database: each call names its tenant, and every query is
 * scoped to it, so another tenant's case is simply not found. Each change diagnoses the case
 * with the knowledge base given and keeps the diagnosis in its history, which keeps at most
 * `historyLimit` of them.
 */
export class CaseService {
  private readonly resolved: ResolvedIndexes;
  private readonly historyLimit: number;
  /** Diagnoses this service forgot since it last had their space reclaimed (RECLAIM_AFTER). */
  private forgottenSinceReclaim = 0;

  constructor(
    readonly db: Database,
    private readonly parseArtifact: ArtifactParser,
    { historyLimit = DEFAULT_HISTORY_LIMIT }: CaseServiceOptions = {},
  ) {
    this.resolved = ResolvedIndexes.of(db);
    this.historyLimit = historyLimit;
  }

  /**
   * Adds diagnosis N to a case's history, forgetting what the history's bound leaves out
   * (APPEND_DIAGNOSIS): the first and the latest historyLimit - 1 stay. How many it forgot.
   */
  private async appendDiagnosis(tx: Sql, id: string, n: number, at: Date, diagnosis: Awaited<ReturnType<typeof diagnoseRequest>>): Promise<number> {
    const [row] = await tx.query<{ forgotten: number }>(APPEND_DIAGNOSIS, [id, n, at, diagnosis.kb.version, diagnosis.kb.hash, JSON.stringify(diagnosis), n - (this.historyLimit - 1)]);
    return row?.forgotten ?? 0;
  }

  /** Counts diagnoses forgotten by a committed change, and has their space reclaimed once RECLAIM_AFTER piled up (outside any transaction, as VACUUM must be). */
  private async reclaimForgotten(forgotten: number): Promise<void> {
    this.forgottenSinceReclaim += forgotten;
    if (this.forgottenSinceReclaim < RECLAIM_AFTER) return;
    this.forgottenSinceReclaim = 0;
    await this.db.reclaim('case_diagnoses');
  }

  /**
   * Creates and diagnoses the case of a ticket, or answers the one the ticket already is
   * (same source and external id) when it was created with the same body, and refuses another
   * body (CaseConflict): `created` says which. With an idempotency key, the same
   * key with the same request answers that request's case; with another request it is refused.
   * A new case is answered from what was written, not read back, with its diagnosis's stored
   * JSON text (`diagnosisJson`, written by `serializeDiagnosis`: the API passes the serializer
   * of its answers, so that the answer can carry the same text instead of serializing the
   * diagnosis a second time).
   */
  async create(tenant: string, input: NewCase, kb: KnowledgeBase, idempotencyKey?: string, serializeDiagnosis: (diagnosis: Diagnosis) => string = JSON.stringify): Promise<{ case: Case; created: true; diagnosisJson: string } | { case: Case; created: false }> {
    const summary = input.summary ?? null;
    const diagnosis = await diagnoseRequest(kb, input.request ?? caseRequest(kb, this.parseArtifact, { summary, facts: input.facts, artifacts: input.artifacts }));
    const features = caseFeatures(diagnosis);
    const id = randomUUID();
    const now = new Date();
    const diagnosisJson = serializeDiagnosis(diagnosis);
    const row = [id, tenant, input.source, input.externalId, summary, JSON.stringify(input.facts), JSON.stringify(input.artifacts), diagnosis.hypotheses[0]?.id ?? null, JSON.stringify(features), now, diagnosis.kb.version, diagnosis.kb.hash, diagnosisJson];
    const inserted = idempotencyKey === undefined ? this.insertCase(this.db, tenant, input, row) : this.db.transaction((tx) => this.insertCaseOnce(tx, tenant, input, row, idempotencyKey, now));
    // The lookup does not depend on the insert (a new case is not resolved): on PostgreSQL both go at once, on two connections.
    const [existing, similar] = await Promise.all([inserted, this.similarTo(tenant, id, features)]);
    if (existing !== undefined) {
      const found = await this.get(tenant, existing);
      // With a key, that key now names a deleted case (replay refuses it): the request goes again under another.
      if (!found) throw new CaseConflict(`case ${existing}, which this request names, was deleted while the request was answered: send it again${idempotencyKey === undefined ? '' : ' with a new Idempotency-Key'}`);
      return { case: found, created: false };
    }
    const at = now.toISOString();
    const latest = { ...diagnosis, similar };
    return {
      case: { id, source: input.source, externalId: input.externalId, summary, status: 'open', revision: 1, createdAt: at, updatedAt: at, facts: input.facts, artifacts: input.artifacts, outcome: null, historyForgotten: 0, diagnoses: [{ n: 1, at, diagnosis: latest }] },
      created: true,
      diagnosisJson,
    };
  }

  /**
   * Inserts a ticket's case (`row`, as INSERT_CASE takes it) unless the ticket has one already:
   * then that case's id, when it was created with the same summary, facts and artifacts. With
   * others it is refused, not answered: the new body would be lost without a word, and an update
   * of a ticket is a PATCH of its case.
   */
  private async insertCase(sql: Sql, tenant: string, input: NewCase, row: readonly unknown[]): Promise<string | undefined> {
    if ((await sql.query(INSERT_CASE, row)).length > 0) return undefined;
    const [summary, facts, artifacts] = row.slice(4, 7);
    const [found] = await sql.query<{ id: string; same: boolean }>(`SELECT id, create_hash = ${CREATE_HASH('$4', '$5', '$6')} AS same FROM cases WHERE tenant = $1 AND source = $2 AND external_id = $3`, [tenant, input.source, input.externalId, summary, facts, artifacts]);
    // The ticket's case was deleted between the two statements: the ticket is free again.
    if (!found) return this.insertCase(sql, tenant, input, row);
    const { id, same } = found;
    if (!same) throw new CaseConflict(`source ${JSON.stringify(input.source)} and externalId ${JSON.stringify(input.externalId)} are case ${id} already, created with another summary, facts or artifacts: expected the same body again, or PATCH /v1/cases/${id} to change the case`);
    return id;
  }

  /** insertCase under an idempotency key: the case the key was first used for, if any; else it inserts and records the key. */
  private async insertCaseOnce(tx: Sql, tenant: string, input: NewCase, row: readonly unknown[], key: string, now: Date): Promise<string | undefined> {
    const keyed: KeyedRequest = { key, method: 'POST', hash: requestHash([input.source, input.externalId, input.summary ?? null, input.facts, input.artifacts]) };
    const replayed = await this.replay(tx, tenant, keyed);
    if (replayed) return replayed;
    const existing = await this.insertCase(tx, tenant, input, row);
    await this.rememberKey(tx, tenant, keyed, existing ?? (row[0] as string), now);
    return existing;
  }

  /** Records the key of a request that made or changed case ID; another replica may have stored it meanwhile, for another request, which is refused (replay). */
  private async rememberKey(tx: Sql, tenant: string, keyed: KeyedRequest, id: string, now: Date): Promise<void> {
    await tx.query('INSERT INTO idempotency_keys (tenant, key, request_hash, case_id, created_at, method) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [tenant, keyed.key, keyed.hash, id, now, keyed.method]);
    await this.replay(tx, tenant, keyed);
  }

  /**
   * The case an idempotency key was first used for, when the request is the same (the same
   * method and hash); refused when it is not, and when that case was deleted: a retry of the
   * request that made it would make it again, with what it was deleted for. A key whose case is
   * gone though the deletion did not mark it is a deleted case's key too: on PostgreSQL a DELETE
   * whose statement began before the key's transaction committed cannot see the key to mark it,
   * and every retry would otherwise find the key but not its case, and be told to send the
   * request again, for ever. A tenant's keys are one set for both methods: a key is one request.
   */
  private async replay(tx: Sql, tenant: string, keyed: KeyedRequest): Promise<string | undefined> {
    const [row] = await tx.query<{ request_hash: string | null; case_id: string; case_deleted_at: Date | string | null; method: KeyedRequest['method']; gone: boolean }>(
      'SELECT k.request_hash, k.case_id, k.case_deleted_at, k.method, NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = k.case_id) AS gone FROM idempotency_keys k WHERE k.tenant = $1 AND k.key = $2',
      [tenant, keyed.key],
    );
    if (!row) return undefined;
    const key = `Idempotency-Key ${JSON.stringify(keyed.key)}`;
    const used = `${row.method === 'POST' ? 'made' : 'changed'} case ${row.case_id}`;
    const creating = row.method === 'POST' && keyed.method === 'POST';
    if (row.case_deleted_at !== null || row.gone) {
      const when = row.case_deleted_at === null ? '' : ` at ${iso(row.case_deleted_at)}`;
      throw new CaseConflict(`${key} ${used}, which was deleted${when}: expected a new key${creating ? ' to make the case again' : ''}`);
    }
    if (row.method === keyed.method && row.request_hash === keyed.hash) return row.case_id;
    const expected = creating
      ? `the same body again, a new key, or PATCH /v1/cases/${row.case_id} to change that case`
      : row.method === keyed.method
        ? 'the same change of the same case again, or a new key'
        : `a new key (a key is one request, and a ${row.method} used this one)`;
    throw new CaseConflict(`${key} was used for another request, which ${used}: expected ${expected}`);
  }

  /**
   * Changes a case's facts (a merge patch), adds artifacts and diagnoses it again, under a
   * lock on the case's row: changes from any number of servers apply one after another, and
   * none is lost. Undefined when the tenant has no such case. Under an idempotency key the change
   * is made once: a retry (the same key, case and change) answers the case as it is now, under
   * any If-Match (the first attempt moved the version on), and the key with another request is
   * refused (replay). A change refused (If-Match, the artifact budget) binds no key. A diagnosis
   * past the history's bound forgets the oldest but the first (APPEND_DIAGNOSIS).
   */
  async update(tenant: string, given: string, change: CaseUpdate, kb: KnowledgeBase, ifMatch?: IfMatch, idempotencyKey?: string): Promise<Case | undefined> {
    const id = caseIdOf(given);
    if (id === undefined) return undefined;
    const keyed: KeyedRequest | undefined = idempotencyKey === undefined ? undefined : { key: idempotencyKey, method: 'PATCH', hash: updateHash(id, change) };
    const found = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 AND tenant = $2 FOR UPDATE`, [id, tenant]);
      if (!row) return undefined;
      if (keyed && (await this.replay(tx, tenant, keyed))) return UNCHANGED;
      checkIfMatch(ifMatch, row);
      const applied = await this.applyUpdate(tx, row, change, kb);
      if (keyed) await this.rememberKey(tx, tenant, keyed, id, new Date());
      return applied;
    });
    if (!found) return undefined;
    if (found.resolved) this.resolved.changed(tenant);
    await this.reclaimForgotten(found.forgotten);
    return this.get(tenant, id);
  }

  /** Applies a change to a case's row, locked by update: whether it changed a resolved case (for the similar-case indexes), and how many diagnoses its history forgot. */
  private async applyUpdate(tx: Sql, row: CaseRow, change: CaseUpdate, kb: KnowledgeBase): Promise<Applied> {
    const artifacts = [...row.artifacts, ...(change.artifacts ?? [])];
    if (artifacts.length > MAX_CASE_ARTIFACTS) {
      throw new InputError([{ field: '/artifacts', expected: `${row.artifacts.length >= MAX_CASE_ARTIFACTS ? 'no more artifacts' : `at most ${counted(MAX_CASE_ARTIFACTS - row.artifacts.length, 'more artifact', 'more artifacts')}`} (a case keeps ${MAX_CASE_ARTIFACTS}, this one has ${row.artifacts.length})`, got: counted(change.artifacts?.length ?? 0, 'artifact') }]);
    }
    const facts = change.facts ? applyFactPatch(row.facts, change.facts) : row.facts;
    // As a merge patch reads it: absent leaves the summary, null removes it.
    const summary = change.summary === undefined ? row.summary : change.summary;
    // A PATCH that changes nothing (a ticketing system syncing the same fields again) adds no
    // revision, unless the knowledge base changed since the last diagnosis: then it diagnoses again.
    if (artifacts.length === row.artifacts.length && summary === row.summary && sameFacts(facts, row.facts)) {
      const [last] = await tx.query<{ kb_hash: string }>('SELECT kb_hash FROM case_diagnoses WHERE case_id = $1 ORDER BY n DESC LIMIT 1', [row.id]);
      if (last?.kb_hash === kb.meta.hash) return UNCHANGED;
    }
    const diagnosis = await diagnoseRequest(kb, caseRequest(kb, this.parseArtifact, { summary, facts, artifacts }));
    const now = new Date();
    const revision = row.revision + 1;
    const forgotten = await this.appendDiagnosis(tx, row.id, revision, now, diagnosis);
    // A resolved case's new features are a change the similar-case indexes must read (ResolvedIndexes):
    // one statement text, stamped by the row's own status. An open case keeps its stamp: a case
    // reopened (reopen) is stamped so, for the indexes to drop it, and one that had not read it yet must still.
    await tx.query(`UPDATE cases SET facts = $2::jsonb, artifacts = $3::jsonb, summary = $4, top_hypothesis = $5, features = $6::jsonb, revision = $7, updated_at = ${LATER_THAN_BEFORE('$8')}, similar_xid = CASE WHEN status = 'resolved' THEN pg_current_xact_id() ELSE similar_xid END WHERE id = $1`, [
      row.id,
      JSON.stringify(facts),
      JSON.stringify(artifacts),
      summary,
      diagnosis.hypotheses[0]?.id ?? null,
      JSON.stringify(caseFeatures(diagnosis)),
      revision,
      now,
    ]);
    return { resolved: row.status === 'resolved', forgotten };
  }

  /**
   * Records the confirmed cause (replacing an earlier one) and resolves the case; undefined when
   * the tenant has no such case. The cause the case holds already (the same cause, text, note and
   * confirmedBy) changes nothing, not when it was confirmed nor the case's version: a ticketing
   * system that puts it again with every sync moves no other syncer's If-Match off the case.
   */
  async resolve(tenant: string, given: string, outcome: CaseOutcome, kb: KnowledgeBase, ifMatch?: IfMatch): Promise<Case | undefined> {
    const id = caseIdOf(given);
    if (id === undefined) return undefined;
    if (outcome.cause !== 'other' && !kb.hypotheses.has(outcome.cause)) {
      const expected = `a hypothesis id of the knowledge base (GET /v1/hypotheses) or "other"${didYouMean(outcome.cause, [...kb.hypotheses.keys(), 'other'])}`;
      throw new InputError([{ field: '/cause', expected, got: `string ${JSON.stringify(outcome.cause.slice(0, 60))}` }]);
    }
    if (outcome.cause === 'other' && outcome.text === undefined) throw new InputError([{ field: '/text', expected: 'the cause in words when cause is "other"', got: 'nothing' }]);
    const now = new Date();
    const recorded = { ...outcome, confirmedAt: now.toISOString() };
    // The answer is read by the same statement, as the change left the case; one that changed nothing reads the case as it is.
    const record = async (sql: Sql) => {
      const [changed] = await sql.query<CaseWithHistoryRow>(
        `WITH c AS (UPDATE cases SET outcome = $3::jsonb, confirmed_cause = $4, status = 'resolved', updated_at = ${LATER_THAN_BEFORE('$5')}, similar_xid = pg_current_xact_id() WHERE id = $1 AND tenant = $2 AND outcome - 'confirmedAt' IS DISTINCT FROM $6::jsonb RETURNING *) SELECT ${CASE_WITH_HISTORY} FROM c`,
        [id, tenant, JSON.stringify(recorded), outcome.cause, now, JSON.stringify(outcome)],
      );
      if (changed) return { row: changed, changed: true };
      const [current] = await sql.query<CaseWithHistoryRow>(CASE_BY_ID, [id, tenant]);
      return current && { row: current, changed: false };
    };
    const done = await this.ifMatched(tenant, id, ifMatch, record);
    if (!done) return undefined;
    if (done.changed) this.resolved.changed(tenant);
    return this.caseOf(tenant, done.row);
  }

  /**
   * Withdraws the confirmed cause of a case (one recorded by mistake): the case is open again,
   * and leaves the similar past incidents of other cases (its row is stamped as a change of a
   * resolved case is, and the similar-case indexes drop a stamped case that is not resolved) and
   * GET /v1/stats (which reads the resolved cases). Undefined when the tenant has no such case;
   * CaseOutcomeMissing when it has no confirmed cause.
   */
  async reopen(tenant: string, given: string, ifMatch?: IfMatch): Promise<Case | undefined> {
    const id = caseIdOf(given);
    if (id === undefined) return undefined;
    const withdraw = async (sql: Sql) => {
      const [reopened] = await sql.query<CaseWithHistoryRow>(
        `WITH c AS (UPDATE cases SET outcome = NULL, confirmed_cause = NULL, status = 'open', updated_at = ${LATER_THAN_BEFORE('$3')}, similar_xid = pg_current_xact_id() WHERE id = $1 AND tenant = $2 AND status = 'resolved' RETURNING *) SELECT ${CASE_WITH_HISTORY} FROM c`,
        [id, tenant, new Date()],
      );
      if (reopened) return reopened;
      if ((await sql.query(CASE_BY_ID, [id, tenant])).length > 0) throw new CaseOutcomeMissing(id);
      return undefined;
    };
    const row = await this.ifMatched(tenant, id, ifMatch, withdraw);
    if (!row) return undefined;
    this.resolved.changed(tenant);
    return this.caseOf(tenant, row);
  }

  /**
   * Deletes a case with its history (DELETE_CASE); false when the tenant has no such case. A
   * retry of the POST that made it with the same Idempotency-Key is refused (replay); its ticket
   * posted again is a new case. A resolved case leaves the statistics, which read the cases there
   * are, and every server's similar-case index (ResolvedIndexes reads the tombstone); a list's
   * cursor naming the case pages on from where it was (list reads the tombstone).
   */
  async delete(tenant: string, given: string, ifMatch?: IfMatch): Promise<boolean> {
    const id = caseIdOf(given);
    if (id === undefined) return false;
    const [gone] = (await this.ifMatched(tenant, id, ifMatch, (sql) => sql.query<{ indexed: boolean }>(DELETE_CASE, [id, tenant, new Date()]))) ?? [];
    if (gone?.indexed) this.resolved.changed(tenant);
    return gone !== undefined;
  }

  /**
   * Forgets what the deletions before `before` left (FORGET_DELETED), of every tenant: after it a
   * retry with a key of such a case makes the case again, and a list's cursor naming one is
   * unknown (CaseCursorUnknown), as a made-up one. A similar-case index that had not read such a
   * tombstone drops the case when a lookup finds its row gone (similarTo).
   */
  async forgetDeleted(before: Date): Promise<Forgotten> {
    // One statement for the whole backlog, which may be large after a long stop: upkeep, not a request.
    const [forgotten] = await this.db.transaction((tx) => tx.query<Forgotten>(FORGET_DELETED, [before]), { long: true });
    return forgotten ?? { tombstones: 0, keys: 0 };
  }

  /**
   * Runs `work` on a case without a transaction when there is no If-Match; under one, the
   * version is read and `work` done with the row locked, so no change slips between. Undefined
   * when the tenant has no such case; CasePreconditionFailed when its version is not one named.
   */
  private async ifMatched<T>(tenant: string, id: string, ifMatch: IfMatch | undefined, work: (sql: Sql) => Promise<T>): Promise<T | undefined> {
    if (ifMatch === undefined) return work(this.db);
    return this.db.transaction(async (tx) => {
      const [current] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 AND tenant = $2 FOR UPDATE`, [id, tenant]);
      if (!current) return undefined;
      checkIfMatch(ifMatch, current);
      return work(tx);
    });
  }

  /** The tenant's resolved cases most like a case's features, leaving the case itself out (ResolvedIndexes keeps them indexed). */
  async similarTo(tenant: string, id: string, features: readonly string[]): Promise<NonNullable<Diagnosis['similar']>> {
    const nearest = (await this.resolved.of(tenant)).nearest(features, SIMILAR_SHOWN, id);
    if (nearest.length === 0) return [];
    const rows = await this.db.query<Pick<CaseRow, 'id' | 'source' | 'external_id' | 'outcome'>>('SELECT id, source, external_id, outcome FROM cases WHERE tenant = $1 AND id = ANY($2::text[])', [tenant, nearest.map((n) => n.case.id)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // A case deleted (on another server) since the index caught up has no row: it is left out, and
    // out of the index, which its tombstone would tell at the next catch-up, unless the retention
    // forgot the tombstone first.
    const gone = nearest.filter((n) => !byId.has(n.case.id)).map((n) => n.case.id);
    if (gone.length > 0) this.resolved.forget(tenant, gone);
    return nearest.flatMap(({ case: { id: caseId, cause }, similarity }) => {
      const c = byId.get(caseId);
      if (!c) return [];
      return [
        {
          id: caseId,
          source: c.source,
          externalId: c.external_id,
          cause,
          ...(c.outcome?.text !== undefined && { text: c.outcome.text }),
          ...(c.outcome?.note !== undefined && { note: c.outcome.note }),
          similarity,
        },
      ];
    });
  }

  /** The case with the history it keeps (the latest diagnosis with its similar past incidents), or undefined when the tenant has no such case. */
  async get(tenant: string, given: string): Promise<Case | undefined> {
    const id = caseIdOf(given);
    if (id === undefined) return undefined;
    const [row] = await this.db.query<CaseWithHistoryRow>(CASE_BY_ID, [id, tenant]);
    return row && this.caseOf(tenant, row);
  }

  /**
   * The case a row with its history says, the latest diagnosis with its similar past incidents.
   * Its revision counts every diagnosis made (n runs from 1 to it): those it does not list were
   * forgotten (APPEND_DIAGNOSIS).
   */
  private async caseOf(tenant: string, row: CaseWithHistoryRow): Promise<Case> {
    const diagnoses = row.diagnoses.map((d) => ({ n: d.n, at: iso(d.at), diagnosis: d.diagnosis }));
    const latest = diagnoses.at(-1);
    if (latest) latest.diagnosis = { ...latest.diagnosis, similar: await this.similarTo(tenant, row.id, row.features) };
    return { ...caseHeader(row), facts: row.facts, artifacts: row.artifacts, outcome: row.outcome, historyForgotten: row.revision - diagnoses.length, diagnoses };
  }

  /**
   * The tenant's resolved cases (the STATS_POOL most recent), each with the diagnosis it had when
   * its cause was confirmed, for caseStats: a ticket updated after it was resolved does not
   * rewrite how right rca was when the engineer confirmed the cause (nor does the history's
   * bound forget that diagnosis: APPEND_DIAGNOSIS).
   */
  async resolvedDiagnoses(tenant: string): Promise<ResolvedDiagnosis[]> {
    const rows = await this.db.query<{ cause: string; outcome: NonNullable<Case['outcome']>; diagnosis: Diagnosis }>(
      `SELECT c.confirmed_cause AS cause, c.outcome, d.diagnosis FROM cases c JOIN case_diagnoses d ON d.case_id = c.id AND d.n = ${CONFIRMED_N('c')}
       WHERE c.tenant = $1 AND c.status = 'resolved' ORDER BY c.seq DESC LIMIT $2`,
      [tenant, STATS_POOL],
    );
    return rows.map((r) => ({ cause: r.cause, confirmedAt: r.outcome.confirmedAt, diagnosis: r.diagnosis }));
  }

  /**
   * Every tenant with cases (in this state, when given) and how many, most first: for the CLI,
   * whose user holds the whole database; the API never answers it, as its tokens see one tenant.
   */
  async tenantCounts(status?: 'open' | 'resolved'): Promise<Array<{ tenant: string; cases: number }>> {
    return this.db.query<{ tenant: string; cases: number }>('SELECT tenant, count(*)::int AS cases FROM cases WHERE $1::text IS NULL OR status = $1 GROUP BY tenant ORDER BY cases DESC, tenant', [status ?? null]);
  }

  /** A page of the tenant's cases, newest first, matching every filter given. A cursor naming no case of the tenant's, there or deleted, is a CaseCursorUnknown. */
  async list(tenant: string, query: CaseQuery): Promise<CaseList> {
    // The place of the case the cursor names, its seq (as text: int8 does not fit a JS number in
    // every driver): the case's, or its tombstone's once it is deleted, so that deleting the last
    // case of a page does not end the paging.
    let afterSeq: string | undefined;
    if (query.cursor !== undefined) {
      const [after] = await this.db.query<{ seq: string }>('SELECT seq::text AS seq FROM cases WHERE id = $1 AND tenant = $2 UNION ALL SELECT seq::text FROM deleted_cases WHERE id = $1 AND tenant = $2 AND seq IS NOT NULL', [query.cursor, tenant]);
      if (!after) throw new CaseCursorUnknown();
      afterSeq = after.seq;
    }
    const where = ['tenant = $1'];
    const params: unknown[] = [tenant];
    const filter = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    filter('status', query.status);
    filter('source', query.source);
    filter('external_id', query.externalId);
    filter('confirmed_cause', query.cause);
    filter('top_hypothesis', query.hypothesis);
    if (afterSeq !== undefined) {
      params.push(afterSeq);
      where.push(`seq < $${params.length}::bigint`);
    }
    params.push(query.limit + 1);
    const rows = await this.db.query<CaseRow>(`SELECT ${LIST_COLUMNS} FROM cases WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`, params);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        ...caseHeader(row),
        topHypothesis: row.top_hypothesis,
        confirmedCause: row.confirmed_cause,
      })),
      next: rows.length > query.limit && last ? encodeCursor(last.id, filtersOf(query)) : null,
    };
  }
}

/** A request an Idempotency-Key names: the key, the request's method, and the hash of what it asks (replay compares them). */
interface KeyedRequest {
  key: string;
  method: 'POST' | 'PATCH';
  hash: string;
}

/**
 * The hash of a PATCH as its Idempotency-Key keeps it: the case and the change, its facts in
 * name order and its absent parts as empty ones (two bodies that ask the same are one), a
 * summary given as null apart from one not given.
 */
function updateHash(id: string, change: CaseUpdate): string {
  const byName = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : 1);
  const facts = { set: Object.entries(change.facts?.set ?? {}).sort(byName), remove: [...(change.facts?.remove ?? [])].sort() };
  return requestHash({ id: id.toLowerCase(), summary: change.summary, facts, artifacts: change.artifacts ?? [] });
}

/** What an idempotency key keeps of its request (KeyedRequest's hash): the SHA-256 of what it asks, as JSON. */
const requestHash = (asked: unknown) => createHash('sha256').update(JSON.stringify(asked)).digest('hex');

/** Whether two flat fact maps hold the same facts with the same values, in any order. */
function sameFacts(a: FactMap, b: FactMap): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => Object.hasOwn(b, name) && a[name] === b[name]);
}

/**
 * Whether an id can be a case's: create gives every case a UUID. Anything else is no case, found
 * without asking the database (which refuses a NUL in a text with an error, not an empty answer).
 */
function isCaseId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

/**
 * The case id a caller gave, as the store keeps it (create writes UUIDs in lower case), or
 * undefined for one that is no case's. A UUID is the same in either case (RFC 9562): a ticketing
 * system that keeps it in upper case (SQL Server's uniqueidentifier does) names the same case.
 */
function caseIdOf(given: string): string | undefined {
  return isCaseId(given) ? given.toLowerCase() : undefined;
}
