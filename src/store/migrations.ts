import { StoreError } from '../core/errors.js';
import type { Database, Sql } from './database.js';

/** One step of the schema: version N is the Nth entry. Never edit a shipped one; add the next. */
interface Migration {
  name: string;
  sql: string;
}

/**
 * The case database's schema, one list for the embedded store and for PostgreSQL. Times are
 * timestamptz; `seq` orders cases for cursor paging (ids are random, so they cannot); the
 * ticket (tenant, source, external id) is unique, which makes creating a case idempotent
 * across replicas.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'cases, their diagnoses and idempotency keys',
    sql: `
      CREATE TABLE cases (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        tenant text NOT NULL,
        source text NOT NULL,
        external_id text NOT NULL,
        summary text,
        facts jsonb NOT NULL,
        artifacts jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'resolved')),
        top_hypothesis text,
        confirmed_cause text,
        outcome jsonb,
        revision integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT cases_ticket UNIQUE (tenant, source, external_id)
      );
      CREATE INDEX cases_by_tenant ON cases (tenant, seq DESC);
      CREATE TABLE case_diagnoses (
        case_id text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        n integer NOT NULL,
        created_at timestamptz NOT NULL,
        kb_version text NOT NULL,
        kb_hash text NOT NULL,
        diagnosis jsonb NOT NULL,
        PRIMARY KEY (case_id, n)
      );
      CREATE TABLE idempotency_keys (
        tenant text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        case_id text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant, key)
      );`,
  },
  {
    name: 'the features of each case, for similar past incidents',
    sql: `
      ALTER TABLE cases ADD COLUMN features jsonb NOT NULL DEFAULT '[]'::jsonb;
      CREATE INDEX cases_resolved ON cases (tenant, seq DESC) WHERE status = 'resolved';`,
  },
  {
    name: 'the transaction that last changed each resolved case, for the similar-case indexes to catch up from',
    sql: `
      ALTER TABLE cases ADD COLUMN similar_xid xid8;
      UPDATE cases SET similar_xid = pg_current_xact_id() WHERE status = 'resolved';
      CREATE INDEX cases_similar_changes ON cases (tenant, similar_xid) WHERE similar_xid IS NOT NULL;`,
  },
  {
    // Nothing queries inside a stored diagnosis: json keeps the text as written (checked, not converted), which costs a create less, and reads back in its own key order.
    name: 'diagnoses kept as the JSON text they were written as',
    sql: `ALTER TABLE case_diagnoses ALTER COLUMN diagnosis TYPE json USING diagnosis::json;`,
  },
  {
    // A diagnosis is 7 to 20 kB of JSON, which PostgreSQL compresses (pglz, the only method PGlite has) before writing it out of line: on the embedded store that was about 100 us of every create's 300 us insert. Kept as written instead, it takes about 2.7 times the disk (some 14 kB a diagnosis; measured on the shipped examples' diagnoses); rows written before keep their compression.
    name: 'diagnoses stored uncompressed',
    sql: `ALTER TABLE case_diagnoses ALTER COLUMN diagnosis SET STORAGE EXTERNAL;`,
  },
  {
    // POST /v1/cases of a ticket that is a case already answers that case only for the body it was created with (an update is a PATCH; another body is a 409), so each case keeps that body's hash (CREATE_HASH in src/cases/service.ts). The body was not kept before: a case written earlier is taken as created with what it holds now.
    name: 'the hash of the summary, facts and artifacts each case was created with',
    sql: `
      ALTER TABLE cases ADD COLUMN create_hash bytea;
      UPDATE cases SET create_hash = sha256(convert_to(jsonb_build_array(summary, facts, artifacts)::text, 'UTF8'));
      ALTER TABLE cases ALTER COLUMN create_hash SET NOT NULL;`,
  },
  {
    // DELETE /v1/cases/ID (CaseService.delete). A deleted case's idempotency keys stay, without the hash of the body that made it, to refuse a retry of that request rather than make the case again; so they no longer cascade with it. A resolved case leaves its id in deleted_cases, stamped as a change is (similar_xid), for the similar-case indexes of every server to drop it.
    name: 'deleted cases: their idempotency keys kept, and tombstones for the similar-case indexes',
    sql: `
      ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_case_id_fkey;
      ALTER TABLE idempotency_keys ALTER COLUMN request_hash DROP NOT NULL;
      ALTER TABLE idempotency_keys ADD COLUMN case_deleted_at timestamptz;
      CREATE INDEX idempotency_keys_by_case ON idempotency_keys (case_id);
      CREATE TABLE deleted_cases (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        similar_xid xid8 NOT NULL
      );
      CREATE INDEX deleted_cases_changes ON deleted_cases (tenant, similar_xid);`,
  },
  {
    // A page of GET /v1/cases ends with a cursor naming its last case (CaseService.list): once that case is deleted, the next page must still start where it was. So every deleted case leaves a tombstone with its place in the list (seq), and one that was not resolved, which no similar-case index holds, has no similar_xid (the indexes read none). The tombstones written before have no seq (the case is gone): a cursor naming one of them is refused as before.
    name: 'tombstones of every deleted case, with its place in the list',
    sql: `
      ALTER TABLE deleted_cases ADD COLUMN seq bigint;
      ALTER TABLE deleted_cases ALTER COLUMN similar_xid DROP NOT NULL;`,
  },
  {
    // What a deletion leaves, its tombstone and its case's idempotency keys, is kept for a retention (--deleted-retention) and then forgotten (CaseService.forgetDeleted), so each tombstone keeps when its case was deleted, and both are found by age. The tombstones written before are taken as deleted at the migration (they are kept a whole retention from the upgrade); the default also dates those that a replica of schema 8, which names no time, writes meanwhile.
    name: 'when each case was deleted, to forget its tombstone and its idempotency keys after a retention',
    sql: `
      ALTER TABLE deleted_cases ADD COLUMN deleted_at timestamptz NOT NULL DEFAULT now();
      CREATE INDEX deleted_cases_by_age ON deleted_cases (deleted_at);
      CREATE INDEX idempotency_keys_by_deletion ON idempotency_keys (case_deleted_at) WHERE case_deleted_at IS NOT NULL;`,
  },
  {
    // PATCH /v1/cases/ID honours Idempotency-Key as POST /v1/cases does (CaseService.update): a tenant's keys are one set, each key one request, which a refusal names as the POST that made a case or the PATCH that changed one. The keys written before are POSTs'; so is one a replica of schema 9, which names no method, writes meanwhile (the default).
    name: 'the method each idempotency key was used with, as a PATCH takes one too',
    sql: `ALTER TABLE idempotency_keys ADD COLUMN method text NOT NULL DEFAULT 'POST' CHECK (method IN ('POST', 'PATCH'));`,
  },
];

/** The schema version this rca writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Any constant: replicas starting together take this advisory lock, so one migrates and the others then find it done. */
const MIGRATION_LOCK = 7_262_016;

export interface MigrationResult {
  location: string;
  from: number;
  to: number;
}

/** The schema version the database is at (0 when never migrated). */
async function schemaVersion(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ version: number | null }>('SELECT max(version) AS version FROM rca_schema');
  return row?.version ?? 0;
}

/** PostgreSQL's SQLSTATE for a table that does not exist. */
const UNDEFINED_TABLE = '42P01';

/** The schema version of a database that may never have been migrated: 0 when it has no rca_schema either. */
async function schemaVersionIfAny(sql: Sql): Promise<number> {
  try {
    return await schemaVersion(sql);
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNDEFINED_TABLE) throw error;
    return 0;
  }
}

/** Why this rca cannot use a database a newer rca migrated. */
const newerSchema = (location: string, version: number) => `the case database ${location} has schema version ${version}, newer than this rca's ${SCHEMA_VERSION}: run a newer rca, or point --data-dir / --database-url elsewhere`;

/**
 * Why this rca cannot use the database as it is now, from one cheap query (what /readyz asks
 * of a store opened long ago: the database may have been replaced by an empty one, or migrated
 * by a newer rca since); undefined when it is at SCHEMA_VERSION. A database that does not
 * answer throws.
 */
export async function schemaProblem(sql: Sql): Promise<string | undefined> {
  const version = await schemaVersionIfAny(sql);
  if (version < SCHEMA_VERSION) return `not migrated: schema version ${version}, this rca needs ${SCHEMA_VERSION} (rca db migrate)`;
  if (version > SCHEMA_VERSION) return `schema version ${version}, newer than this rca's ${SCHEMA_VERSION}: run a newer rca`;
  return undefined;
}

/**
 * Brings the database to SCHEMA_VERSION in one transaction (a failed step leaves it as it was).
 * A database at a newer version than this rca knows is refused: its rows may mean what this
 * code cannot read, and writing them could lose what the newer version keeps.
 */
export async function migrate(db: Database): Promise<MigrationResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    // Only a database without it is given one: CREATE TABLE IF NOT EXISTS needs CREATE on the schema
    // even when the table is there, and a database at this rca's schema takes no DDL at all, so a
    // role that may only read and write the tables (its owner migrates) serves it.
    const [schemaTable] = await tx.query<{ found: boolean }>("SELECT to_regclass('rca_schema') IS NOT NULL AS found");
    if (!schemaTable?.found) await tx.exec('CREATE TABLE IF NOT EXISTS rca_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const from = await schemaVersion(tx);
    if (from > SCHEMA_VERSION) throw new StoreError(newerSchema(db.location, from));
    for (const [i, migration] of MIGRATIONS.entries()) {
      if (i + 1 <= from) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO rca_schema (version, name) VALUES ($1, $2)', [i + 1, migration.name]);
    }
    return { location: db.location, from, to: SCHEMA_VERSION };
  }, { long: true });
}

/**
 * Refuses (StoreError) a database to read as it is when this rca cannot: one at an older schema,
 * which only a command that writes migrates (rca db migrate, rca serve), or one a newer rca migrated.
 */
export async function checkSchema(db: Database): Promise<void> {
  const version = await schemaVersionIfAny(db);
  if (version > SCHEMA_VERSION) throw new StoreError(newerSchema(db.location, version));
  if (version < SCHEMA_VERSION) throw new StoreError(`the case database ${db.location} has schema version ${version}, older than this rca's ${SCHEMA_VERSION}: run rca db migrate (rca serve migrates at start too), as a command that only reads it migrates nothing`);
}
