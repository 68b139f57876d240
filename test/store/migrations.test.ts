import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseConflict, CaseCursorUnknown, CaseService } from '../../src/cases/service.js';
import { StoreError } from '../../src/core/errors.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../cli/run.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { embeddedDataDir, STORE_KINDS, stopStores } from './stores.js';

afterAll(stopStores, 30_000);

/** The migration that keeps the hash of the body each case was created with. */
const CREATE_HASH_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'the hash of the summary, facts and artifacts each case was created with') + 1;

/** The migration that gives every tombstone its place in the list. */
const TOMBSTONE_PLACE_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'tombstones of every deleted case, with its place in the list') + 1;
/** The migration that dates every deletion, for the retention. */
const DELETED_AT_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'when each case was deleted, to forget its tombstone and its idempotency keys after a retention') + 1;
/** The migration that keeps the method each idempotency key was used with. */
const KEY_METHOD_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'the method each idempotency key was used with, as a PATCH takes one too') + 1;
/** What the key method's migration did, undone. */
const UNDO_KEY_METHOD = 'ALTER TABLE idempotency_keys DROP COLUMN method;';
/** What the retention's migration did, undone (its index on deleted_cases goes with the column), with the ones after it. */
const UNDO_DELETED_AT = `${UNDO_KEY_METHOD} DROP INDEX idempotency_keys_by_deletion; ALTER TABLE deleted_cases DROP COLUMN deleted_at;`;

/** What the migrations of deleted cases (the ones after CREATE_HASH_MIGRATION) did, undone: the later ones only changed deleted_cases and an index. */
const UNDO_DELETED_CASES = `
  ${UNDO_KEY_METHOD}
  DROP TABLE deleted_cases;
  DROP INDEX idempotency_keys_by_case, idempotency_keys_by_deletion;
  ALTER TABLE idempotency_keys DROP COLUMN case_deleted_at, ALTER COLUMN request_hash SET NOT NULL, ADD CONSTRAINT idempotency_keys_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;`;

const flags = (settings: { dataDir: string } | { databaseUrl: string }) => ('dataDir' in settings ? ['--data-dir', settings.dataDir] : ['--database-url', settings.databaseUrl]);

describe.each(STORE_KINDS)('schema migrations on the $name store', (kind) => {
  it('rca db migrate brings a new database to the schema version, once; a second run has nothing to do', async () => {
    const settings = await kind.settings();
    const location = 'dataDir' in settings ? settings.dataDir : settings.databaseUrl;
    const first = await runCli(['db', 'migrate', ...flags(settings)]);
    expect(first).toEqual({ code: 0, stdout: `case database ${location}: migrated from schema version 0 to ${SCHEMA_VERSION}\n`, stderr: '' });
    const second = await runCli(['db', 'migrate', ...flags(settings)]);
    expect(second).toEqual({ code: 0, stdout: `case database ${location}: at schema version ${SCHEMA_VERSION}, nothing to do\n`, stderr: '' });
    const { db } = await openStore(settings);
    const rows = await db.query<{ version: number; name: string }>('SELECT version, name FROM rca_schema ORDER BY version');
    await db.close();
    expect(rows).toEqual(MIGRATIONS.map((m, i) => ({ version: i + 1, name: m.name })));
  });

  it('keeps each stored diagnosis as written, not compressed: compressing (pglz) a diagnosis of 10 to 20 kB was a third of the insert of a create', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const text = JSON.stringify({ hypotheses: Array.from({ length: 400 }, (_, i) => ({ id: `h${i % 3}`, confidence: 0.5 })) });
      await db.query("INSERT INTO cases (id, tenant, source, external_id, facts, artifacts, status, revision, created_at, updated_at, create_hash) VALUES ('c', 't', 's', 'e', '{}', '[]', 'open', 1, now(), now(), '')");
      await db.query("INSERT INTO case_diagnoses (case_id, n, created_at, kb_version, kb_hash, diagnosis) VALUES ('c', 1, now(), 'v', 'h', $1::json)", [text]);
      const [row] = await db.query<{ stored: number; text: string }>("SELECT pg_column_size(diagnosis) AS stored, diagnosis::text AS text FROM case_diagnoses WHERE case_id = 'c'");
      expect(row?.text).toBe(text);
      // Compressed, this text would take a few hundred bytes.
      expect(row?.stored).toBeGreaterThanOrEqual(text.length);
    } finally {
      await db.close();
    }
  });

  it('a case written before its creation hash was kept is taken as created with what it holds: that body again is the case, another a conflict', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const kb = loadKnowledgeBase([FIXTURE_KB]);
      const cases = new CaseService(db, parseArtifact);
      const created = { source: 'jira', externalId: 'OLD-1', summary: 'checkout down', facts: { 'ping.result': 'fail' }, artifacts: [] };
      const { id } = (await cases.create('acme', created, kb)).case;
      await cases.update('acme', id, { facts: { set: { 'tcp.connect': 'ok' }, remove: [] } }, kb);
      // The database as the migration before this one left it: the ones after it undone too.
      await db.exec(UNDO_DELETED_CASES);
      await db.exec(`ALTER TABLE cases DROP COLUMN create_hash; DELETE FROM rca_schema WHERE version >= ${CREATE_HASH_MIGRATION}`);
      expect(await migrate(db)).toMatchObject({ from: CREATE_HASH_MIGRATION - 1, to: SCHEMA_VERSION });
      const now = await cases.create('acme', { ...created, facts: { 'tcp.connect': 'ok', 'ping.result': 'fail' } }, kb);
      expect({ created: now.created, id: now.case.id }).toEqual({ created: false, id });
      await expect(cases.create('acme', created, kb)).rejects.toThrow(CaseConflict);
    } finally {
      await db.close();
    }
  });

  it('keeps the tombstones written before every deleted case had its place as they were, stamped for the similar-case indexes; a cursor naming one is refused as before', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const kb = loadKnowledgeBase([FIXTURE_KB]);
      const cases = new CaseService(db, parseArtifact);
      const { id } = (await cases.create('acme', { source: 'jira', externalId: 'TOMB-1', facts: { 'ping.result': 'fail' }, artifacts: [] }, kb)).case;
      await cases.resolve('acme', id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      await cases.delete('acme', id);
      // The database as the migration before TOMBSTONE_PLACE_MIGRATION left it: a resolved case's tombstone without its place.
      await db.exec(`${UNDO_DELETED_AT} ALTER TABLE deleted_cases DROP COLUMN seq, ALTER COLUMN similar_xid SET NOT NULL; DELETE FROM rca_schema WHERE version >= ${TOMBSTONE_PLACE_MIGRATION}`);
      expect(await migrate(db)).toMatchObject({ from: TOMBSTONE_PLACE_MIGRATION - 1, to: SCHEMA_VERSION });
      expect(await db.query('SELECT id, seq, similar_xid IS NOT NULL AS stamped FROM deleted_cases')).toEqual([{ id, seq: null, stamped: true }]);
      await expect(cases.list('acme', { limit: 2, cursor: id })).rejects.toThrow(CaseCursorUnknown);
    } finally {
      await db.close();
    }
  });

  it('dates the tombstones written before deletions were dated as deleted at the migration, and those a replica of the schema before writes meanwhile as written', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const cases = new CaseService(db, parseArtifact);
      const kb = loadKnowledgeBase([FIXTURE_KB]);
      const { id } = (await cases.create('acme', { source: 'jira', externalId: 'DATED-1', facts: { 'ping.result': 'fail' }, artifacts: [] }, kb)).case;
      await cases.delete('acme', id);
      await db.exec(`${UNDO_DELETED_AT} DELETE FROM rca_schema WHERE version >= ${DELETED_AT_MIGRATION}`);
      const before = Date.now();
      expect(await migrate(db)).toMatchObject({ from: DELETED_AT_MIGRATION - 1, to: SCHEMA_VERSION });
      // A replica of the schema before deletes a case as it did, naming no time.
      await db.query("INSERT INTO deleted_cases (id, tenant, seq) VALUES ('00000000-0000-4000-8000-000000000001', 'acme', 1)");
      const dated = await db.query<{ id: string; deleted_at: Date }>('SELECT id, deleted_at FROM deleted_cases ORDER BY id');
      expect(dated.map((t) => t.id).sort()).toEqual(['00000000-0000-4000-8000-000000000001', id].sort());
      for (const { deleted_at } of dated) expect(deleted_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
      // So nothing is forgotten before a whole retention from the upgrade.
      expect(await cases.forgetDeleted(new Date(before - 1000))).toEqual({ tombstones: 0, keys: 0 });
    } finally {
      await db.close();
    }
  });

  it('takes the idempotency keys written before keys named their method, and those a replica of the schema before writes meanwhile, as POSTs\' keys', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const cases = new CaseService(db, parseArtifact);
      const kb = loadKnowledgeBase([FIXTURE_KB]);
      const ticket = { source: 'jira', externalId: 'KEYED-1', facts: { 'ping.result': 'fail' }, artifacts: [] };
      const { id } = (await cases.create('acme', ticket, kb, 'old-key')).case;
      await db.exec(`${UNDO_KEY_METHOD} DELETE FROM rca_schema WHERE version >= ${KEY_METHOD_MIGRATION}`);
      expect(await migrate(db)).toMatchObject({ from: KEY_METHOD_MIGRATION - 1, to: SCHEMA_VERSION });
      // A replica of the schema before records a key as it did, naming no method.
      const other = (await cases.create('acme', { ...ticket, externalId: 'KEYED-2' }, kb)).case.id;
      await db.query("INSERT INTO idempotency_keys (tenant, key, request_hash, case_id, created_at) VALUES ('acme', 'replica-key', 'h', $1, now())", [other]);
      expect(await db.query('SELECT key, method FROM idempotency_keys ORDER BY key')).toEqual([
        { key: 'old-key', method: 'POST' },
        { key: 'replica-key', method: 'POST' },
      ]);
      // The POST's retry is that case still; a PATCH with its key is refused as another request's.
      expect(await cases.create('acme', ticket, kb, 'old-key')).toMatchObject({ created: false, case: { id } });
      await expect(cases.update('acme', id, { facts: { set: { 'tcp.connect': 'ok' }, remove: [] } }, kb, undefined, 'old-key')).rejects.toThrow(`Idempotency-Key "old-key" was used for another request, which made case ${id}: expected a new key (a key is one request, and a POST used this one)`);
    } finally {
      await db.close();
    }
  });

  it('rca cases list, show and report migrate no database of an older schema: exit 4 saying to run rca db migrate, the schema left as it was', async () => {
    const settings = await kind.settings();
    const { db } = await openStore(settings);
    await db.exec(`${UNDO_DELETED_AT} DELETE FROM rca_schema WHERE version >= ${DELETED_AT_MIGRATION}`);
    await db.close();
    const location = 'dataDir' in settings ? settings.dataDir : settings.databaseUrl;
    for (const read of [['cases', 'list'], ['cases', 'show', '00000000-0000-4000-8000-000000000000'], ['cases', 'report']]) {
      expect(await runCli([...read, ...flags(settings)]), read.join(' ')).toEqual({
        code: 4,
        stdout: '',
        stderr: `rca: error: the case database ${location} has schema version ${DELETED_AT_MIGRATION - 1}, older than this rca's ${SCHEMA_VERSION}: run rca db migrate (rca serve migrates at start too), as a command that only reads it migrates nothing\n`,
      });
    }
    // A command that writes migrates it, as before.
    expect(await runCli(['db', 'migrate', ...flags(settings)])).toEqual({ code: 0, stdout: `case database ${location}: migrated from schema version ${DELETED_AT_MIGRATION - 1} to ${SCHEMA_VERSION}\n`, stderr: '' });
    expect(await runCli(['cases', 'list', ...flags(settings)])).toEqual({ code: 0, stdout: '', stderr: `rca: no cases of tenant default in ${location}\n` });
  });

  it('refuses a database migrated by a newer rca: exit 4, naming both versions', async () => {
    const settings = await kind.settings();
    const { db } = await openStore(settings);
    await db.query("INSERT INTO rca_schema (version, name) VALUES ($1, 'from the future')", [SCHEMA_VERSION + 1]);
    await expect(migrate(db)).rejects.toThrow(StoreError);
    await db.close();
    const location = 'dataDir' in settings ? settings.dataDir : settings.databaseUrl;
    // Refused by the commands that read it as it is too.
    for (const command of [['db', 'migrate'], ['cases', 'list']]) {
      expect(await runCli([...command, ...flags(settings)]), command.join(' ')).toEqual({
        code: 4,
        stdout: '',
        stderr: `rca: error: the case database ${location} has schema version ${SCHEMA_VERSION + 1}, newer than this rca's ${SCHEMA_VERSION}: run a newer rca, or point --data-dir / --database-url elsewhere\n`,
      });
    }
  });
});

describe('on PostgreSQL, a role without the grants the case tables need', () => {
  /** The URL of a new database as a new login role that owns nothing there, and the owner's URL. */
  async function withRole(role: string): Promise<{ owner: string; weak: string }> {
    const owner = ((await STORE_KINDS[1]!.settings()) as { databaseUrl: string }).databaseUrl;
    // A client of its own: openStore would migrate the new database.
    const admin = new pg.Client({ connectionString: owner });
    await admin.connect();
    try {
      // PostgreSQL 15 on grants CREATE on schema public to its owner alone; older ones to every role.
      await admin.query(`CREATE ROLE ${role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    } finally {
      await admin.end();
    }
    return { owner, weak: owner.replace('postgres://rca@', `postgres://${role}@`) };
  }

  it('is refused with exit 4 saying what the role needs, not an internal error to report', async () => {
    const { weak } = await withRole('rca_no_grants');
    expect(await runCli(['db', 'migrate', '--database-url', weak])).toEqual({
      code: 4,
      stdout: '',
      stderr: `rca: error: the case database ${weak}: expected a role that may read and write the case tables (and create them: rca db migrate, rca serve), got: permission denied for schema public (SQLSTATE 42501)\n`,
    });
  }, 60_000);

  it('that may read and write the tables (its owner migrates) serves a database at this schema: opening it takes no DDL', async () => {
    const { owner, weak } = await withRole('rca_dml_only');
    await (await openStore({ databaseUrl: owner })).db.close();
    const { db: grants } = await openStore({ databaseUrl: owner });
    try {
      await grants.exec('GRANT USAGE ON SCHEMA public TO rca_dml_only; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rca_dml_only; GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO rca_dml_only');
    } finally {
      await grants.close();
    }
    // What rca serve does at start, and rca cases delete and db forget-deleted before their work.
    const { db, migration } = await openStore({ databaseUrl: weak });
    await db.close();
    expect(migration).toEqual({ location: weak, from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(await runCli(['db', 'forget-deleted', '--database-url', weak])).toEqual({ code: 0, stdout: `case database ${weak}: forgot 0 deleted cases and 0 of their idempotency keys, deleted over 30 days ago\n`, stderr: '' });

    // A grant revoked while a server runs: the store cannot be used (503 store-unavailable, exit 4), not a bug to report.
    const { db: running } = await openStore({ databaseUrl: weak });
    try {
      const { db: owning } = await openStore({ databaseUrl: owner });
      await owning.exec('REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM rca_dml_only');
      await owning.close();
      await expect(running.query('SELECT count(*) FROM cases')).rejects.toMatchObject({ name: 'StoreUnavailable', reason: 'the database refuses this role the case tables (SQLSTATE 42501)' });
    } finally {
      await running.close();
    }
  }, 60_000);
});

describe('the stores refuse what they cannot serve', () => {
  it('two processes on one embedded data directory: the second is refused (exit 4), naming the holder', async () => {
    const settings = (await STORE_KINDS[0]!.settings()) as { dataDir: string };
    const { db } = await openStore(settings);
    try {
      // The lock names this process; a process that does not run would be taken over, so the test claims another live one: pid 1.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${settings.dataDir}/rca.lock`, '1');
      const run = await runCli(['db', 'migrate', '--data-dir', settings.dataDir]);
      expect(run).toEqual({
        code: 4,
        stdout: '',
        stderr: `rca: error: --data-dir ${settings.dataDir}: expected a data directory no other process uses, got one locked by process 1 (${settings.dataDir}/rca.lock); while it runs (rca serve, say), reach the cases through its API (/v1/cases) or stop it first; for several processes at once keep the cases in PostgreSQL (--database-url)\n`,
      });
    } finally {
      await db.close();
    }
  });

  it('a PostgreSQL that does not answer is exit 4, the URL shown without its password', async () => {
    const run = await runCli(['db', 'migrate', '--database-url', 'postgres://rca:s3cret@127.0.0.1:1/none']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^rca: error: --database-url postgres:\/\/rca:\*\*\*@127\.0\.0\.1:1\/none: expected a PostgreSQL server that accepts the connection, got: connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
    expect(run.stderr).not.toContain('s3cret');
  });

  it('a password given as a query parameter (which pg reads, as libpq does) is not shown either', async () => {
    const run = await runCli(['db', 'migrate', '--database-url', 'postgres://rca@127.0.0.1:1/none?password=s3cret&sslmode=disable&sslpassword=k3y']);
    expect(run).toEqual({ code: 4, stdout: '', stderr: 'rca: error: --database-url postgres://rca@127.0.0.1:1/none?password=***&sslmode=disable&sslpassword=***: expected a PostgreSQL server that accepts the connection, got: connect ECONNREFUSED 127.0.0.1:1\n' });
  });

  it('an embedded data directory that is not a database, or not a directory, is exit 4 in one line', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const corrupt = mkdtempSync(join(tmpdir(), 'rca-corrupt-'));
    mkdirSync(join(corrupt, 'pgdata'));
    writeFileSync(join(corrupt, 'pgdata', 'PG_VERSION'), 'garbage\n');
    expect(await runCli(['db', 'migrate', '--data-dir', corrupt])).toEqual({ code: 4, stdout: '', stderr: `rca: error: --data-dir ${corrupt}: the embedded database does not open: PGlite failed to initialize properly\n` });
    const file = join(corrupt, 'a-file');
    writeFileSync(file, 'x');
    expect(await runCli(['db', 'migrate', '--data-dir', file])).toEqual({ code: 4, stdout: '', stderr: `rca: error: --data-dir ${file}: expected a directory rca can create, got a file in the way\n` });
  }, 60_000);

  it("an embedded cluster that does not start says the backend's own reason, not PGlite's \"failed to initialize properly\"", async () => {
    const { chmodSync } = await import('node:fs');
    const { join } = await import('node:path');
    // A cluster restored read-only (PGlite checks the mode bits itself, so this holds for root too).
    const dataDir = await embeddedDataDir();
    chmodSync(join(dataDir, 'pgdata'), 0o555);
    try {
      expect(await runCli(['cases', 'list', '--data-dir', dataDir])).toEqual({ code: 4, stdout: '', stderr: `rca: error: --data-dir ${dataDir}: the embedded database does not open: could not create lock file "postmaster.pid": Permission denied\n` });
    } finally {
      chmodSync(join(dataDir, 'pgdata'), 0o755);
    }
  }, 60_000);

  it('a URL that is not postgres:// is a usage error (exit 2)', async () => {
    const run = await runCli(['db', 'migrate', '--database-url', 'mysql://x@127.0.0.1/db']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('rca: usage error: --database-url: expected postgres://user:password@host:port/database, got "mysql://x@127.0.0.1/db"');
  });
});
