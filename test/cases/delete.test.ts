import { afterAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseConflict, CasePreconditionFailed, CaseService, caseTag } from '../../src/cases/service.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import type { Database, Sql } from '../../src/store/database.js';
import { openStore } from '../../src/store/open.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { STORE_KINDS, stopStores, type StoreKind } from '../store/stores.js';
import { ACME, bearer, caseServer } from './helpers.js';

afterAll(stopStores, 30_000);

const kb = loadKnowledgeBase([FIXTURE_KB]);
const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok' } as const;
const ticket = (externalId: string) => ({ source: 'jira', externalId, facts: { ...ICMP }, artifacts: [] });

/**
 * DB, running `hook` once, at the `nth` statement whose text starts with `prefix` (ahead of it, or
 * `after` it), inside a transaction too: a change that lands between two statements of a request.
 */
function interrupted(db: Database, prefix: string, hook: () => Promise<unknown>, { nth = 1, after = false } = {}): Database {
  let seen = 0;
  const hooked = (sql: Sql): Sql => ({
    ...sql,
    query: async <Row>(text: string, params?: readonly unknown[]) => {
      const now = text.trimStart().startsWith(prefix) && ++seen === nth;
      if (now && !after) await hook();
      const rows = await sql.query<Row>(text, params);
      if (now && after) await hook();
      return rows;
    },
  });
  return { ...db, ...hooked(db), transaction: (work) => db.transaction((tx) => work(hooked(tx))) };
}

describe.each(STORE_KINDS)('deleting a case on the $name store', (kind) => {
  it('removes the case and its history, keeps its idempotency keys without the request hash, and leaves a tombstone with its place in the list, stamped for the similar-case indexes only when resolved', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const service = new CaseService(db, parseArtifact);
      const open = await service.create('acme', ticket('D-1'), kb, 'key-d1');
      await service.update('acme', open.case.id, { facts: { set: { 'path.via_lb': true }, remove: [] } }, kb);
      const resolved = await service.create('acme', ticket('D-2'), kb);
      await service.resolve('acme', resolved.case.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      const placed = await db.query<{ seq: string }>('SELECT seq::text AS seq FROM cases WHERE id = ANY($1::text[]) ORDER BY cases.seq', [[open.case.id, resolved.case.id]]);
      // Another tenant cannot delete it, nor learn that it exists.
      expect(await service.delete('globex', open.case.id)).toBe(false);
      expect(await service.delete('acme', open.case.id)).toBe(true);
      expect(await service.get('acme', open.case.id)).toBeUndefined();
      expect(await service.delete('acme', open.case.id)).toBe(false);
      expect(await service.delete('acme', resolved.case.id)).toBe(true);
      const rows = async (sql: string) => (await db.query<{ n: number }>(sql, [[open.case.id, resolved.case.id]]))[0]?.n;
      expect(await rows('SELECT count(*)::int AS n FROM case_diagnoses WHERE case_id = ANY($1::text[])')).toBe(0);
      expect(await db.query('SELECT key, request_hash, case_id FROM idempotency_keys WHERE case_id = ANY($1::text[])', [[open.case.id, resolved.case.id]])).toEqual([{ key: 'key-d1', request_hash: null, case_id: open.case.id }]);
      expect(await db.query('SELECT id, tenant, seq::text AS seq, similar_xid IS NOT NULL AS stamped FROM deleted_cases ORDER BY deleted_cases.seq')).toEqual([
        { id: open.case.id, tenant: 'acme', seq: placed[0]?.seq, stamped: false },
        { id: resolved.case.id, tenant: 'acme', seq: placed[1]?.seq, stamped: true },
      ]);
      // A retry of the request that made the case is refused, with any body; the ticket without the key is a new case.
      const deletedAt = /^Idempotency-Key "key-d1" made case [0-9a-f-]{36}, which was deleted at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z: expected a new key to make the case again$/;
      await expect(service.create('acme', ticket('D-1'), kb, 'key-d1')).rejects.toThrow(deletedAt);
      await expect(service.create('acme', ticket('D-other'), kb, 'key-d1')).rejects.toThrow(deletedAt);
      const again = await service.create('acme', ticket('D-1'), kb);
      expect({ created: again.created, same: again.case.id === open.case.id }).toEqual({ created: true, same: false });
    } finally {
      await db.close();
    }
  });

  it('honours If-Match: a version not the current one is refused and the case kept; the current one or * deletes it', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const service = new CaseService(db, parseArtifact);
      const { case: created } = await service.create('acme', ticket('D-3'), kb);
      const changed = (await service.update('acme', created.id, { facts: { set: { 'path.via_lb': true }, remove: [] } }, kb))!;
      await expect(service.delete('acme', created.id, [caseTag(created, 'en')])).rejects.toThrow(CasePreconditionFailed);
      expect((await service.get('acme', created.id))?.revision).toBe(2);
      // Any representation's tag of the current version holds: here that of its Chinese HTML report.
      expect(await service.delete('acme', created.id, [caseTag(changed, 'zh-CN', 'html')])).toBe(true);
      const { case: other } = await service.create('acme', ticket('D-4'), kb);
      expect(await service.delete('acme', other.id, '*')).toBe(true);
      expect(await service.delete('acme', other.id, '*')).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('a POST of a ticket whose case is deleted between its two statements makes a new case, and one deleted as it is read back is a conflict to send again, never a crash', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const service = new CaseService(db, parseArtifact);
      const first = await service.create('acme', ticket('D-5'), kb);
      // After the insert found the ticket taken, before it read which case has it.
      const between = new CaseService(interrupted(db, 'SELECT id, create_hash', () => service.delete('acme', first.case.id)), parseArtifact);
      const made = await between.create('acme', ticket('D-5'), kb);
      expect({ created: made.created, same: made.case.id === first.case.id }).toEqual({ created: true, same: false });
      // After it found the case, before it read the case back.
      const reading = new CaseService(interrupted(db, 'SELECT id, source, external_id, summary, status, revision, created_at, updated_at, top_hypothesis, confirmed_cause, facts', () => service.delete('acme', made.case.id)), parseArtifact);
      await expect(reading.create('acme', ticket('D-5'), kb)).rejects.toThrow(new CaseConflict(`case ${made.case.id}, which this request names, was deleted while the request was answered: send it again`));
      expect((await service.create('acme', ticket('D-5'), kb)).created).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('an Idempotency-Key left naming a case that is gone, unmarked, is a deleted case\'s key: every retry is the same 409 asking for a new key, never "send it again"', async () => {
    const { db } = await openStore(await kind.settings());
    try {
      const service = new CaseService(db, parseArtifact);
      const { case: made } = await service.create('acme', ticket('D-6'), kb, 'key-d6');
      // What a DELETE racing the POST that recorded the key leaves on PostgreSQL (see the test below): the case gone, its key as it was.
      await db.query('DELETE FROM cases WHERE id = $1', [made.id]);
      const refused = new CaseConflict(`Idempotency-Key "key-d6" made case ${made.id}, which was deleted: expected a new key to make the case again`);
      for (const body of [ticket('D-6'), ticket('D-6'), ticket('D-other')]) await expect(service.create('acme', body, kb, 'key-d6')).rejects.toThrow(refused);
      expect((await service.create('acme', ticket('D-6'), kb, 'key-d6-new')).created).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe('an Idempotency-Key racing a DELETE of its case on PostgreSQL (statements of two transactions interleaved; the embedded store runs one transaction at a time)', () => {
  const [, postgres] = STORE_KINDS;

  it('a DELETE that commits while the POST of the same ticket under a key is in its transaction, after it read the key back: the POST is a conflict asking for a new key, and so is every retry with the old one', async () => {
    const { db } = await openStore(await postgres!.settings());
    try {
      const service = new CaseService(db, parseArtifact);
      const { case: made } = await service.create('acme', ticket('R-1'), kb);
      // The POST found the ticket's case, recorded the key for it and read the key back; the DELETE's statement, run now, cannot see the uncommitted key to mark it.
      const racing = new CaseService(interrupted(db, 'SELECT k.request_hash', () => service.delete('acme', made.id), { nth: 2, after: true }), parseArtifact);
      await expect(racing.create('acme', ticket('R-1'), kb, 'key-r1')).rejects.toThrow(new CaseConflict(`case ${made.id}, which this request names, was deleted while the request was answered: send it again with a new Idempotency-Key`));
      expect(await db.query('SELECT case_id, case_deleted_at FROM idempotency_keys WHERE key = $1', ['key-r1'])).toEqual([{ case_id: made.id, case_deleted_at: null }]);
      const refused = new CaseConflict(`Idempotency-Key "key-r1" made case ${made.id}, which was deleted: expected a new key to make the case again`);
      for (let retry = 0; retry < 3; retry++) await expect(service.create('acme', ticket('R-1'), kb, 'key-r1')).rejects.toThrow(refused);
      expect((await service.create('acme', ticket('R-1'), kb, 'key-r1-new')).created).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('a DELETE that commits after the POST found the case, before it recorded the key: the POST is refused and records nothing, so the key makes the ticket a new case', async () => {
    const { db } = await openStore(await postgres!.settings());
    try {
      const service = new CaseService(db, parseArtifact);
      const { case: made } = await service.create('acme', ticket('R-2'), kb);
      const racing = new CaseService(interrupted(db, 'INSERT INTO idempotency_keys', () => service.delete('acme', made.id)), parseArtifact);
      await expect(racing.create('acme', ticket('R-2'), kb, 'key-r2')).rejects.toThrow(new CaseConflict(`Idempotency-Key "key-r2" made case ${made.id}, which was deleted: expected a new key to make the case again`));
      expect(await db.query('SELECT key FROM idempotency_keys WHERE key = $1', ['key-r2'])).toEqual([]);
      const again = await service.create('acme', ticket('R-2'), kb, 'key-r2');
      expect({ created: again.created, same: again.case.id === made.id }).toEqual({ created: true, same: false });
    } finally {
      await db.close();
    }
  });
});

describe('the API log of deletions', () => {
  it('a DELETE, answered 204, 404 or 412, logs no warning (no reply sent twice) and only its request and response at info', async () => {
    const lines: string[] = [];
    const { app, close } = await caseServer(STORE_KINDS[0] as StoreKind, { tokens: [ACME], logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    try {
      const headers = { 'content-type': 'application/json', ...bearer(ACME) };
      const created = await app.inject({ method: 'POST', url: '/v1/cases', headers, payload: JSON.stringify({ source: 'jira', externalId: 'DEL-LOG', facts: ICMP }) });
      const { id } = created.json();
      const answers = [];
      answers.push((await app.inject({ method: 'DELETE', url: `/v1/cases/${id}`, headers: { ...bearer(ACME), 'if-match': '"0.0"' } })).statusCode);
      answers.push((await app.inject({ method: 'DELETE', url: `/v1/cases/${id}`, headers: bearer(ACME) })).statusCode);
      answers.push((await app.inject({ method: 'DELETE', url: `/v1/cases/${id}`, headers: bearer(ACME) })).statusCode);
      expect(answers).toEqual([412, 204, 404]);
      const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
      // pino's levels: 30 info, 40 warn.
      expect(logged.filter((entry) => entry.level >= 40)).toEqual([]);
      expect(logged.map((entry) => entry.msg)).toEqual(Array.from({ length: 4 }, () => ['incoming request', 'request completed']).flat());
    } finally {
      await close();
    }
  }, 60_000);
});
