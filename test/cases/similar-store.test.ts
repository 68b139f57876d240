import { afterAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { SimilarCases, type ResolvedCase } from '../../src/cases/similar.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import type { Database } from '../../src/store/database.js';
import { openStore } from '../../src/store/open.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { STORE_KINDS, stopStores } from '../store/stores.js';

afterAll(stopStores, 30_000);

const kb = loadKnowledgeBase([FIXTURE_KB]);
const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok' } as const;
const TICKETS = [ICMP, { ...ICMP, 'path.via_lb': true }, { 'http.status': 503, 'lb.backend_health': 'all_unhealthy' }, { 'http.status': 503 }, { 'ping.result': 'partial_loss' }, { 'tcp.connect': 'refused', 'http.status': 502 }] as const;
const CAUSES = ['network.icmp_filtered', 'lb.no_healthy_backend', 'network.packet_loss', 'other'] as const;

/** Every resolved case of the tenant read from the database and scored one by one: what a lookup must answer. */
async function fromScratch(db: Database, tenant: string, features: readonly string[], exclude: string) {
  const rows = await db.query<ResolvedCase>("SELECT id, confirmed_cause AS cause, features FROM cases WHERE tenant = $1 AND status = 'resolved'", [tenant]);
  return new SimilarCases(rows).nearest(features, 3, exclude).map((n) => ({ id: n.case.id, cause: n.case.cause, similarity: n.similarity }));
}

const shown = (similar: ReadonlyArray<{ id: string; cause: string; similarity: number }>) => similar.map(({ id, cause, similarity }) => ({ id, cause, similarity }));

describe.each(STORE_KINDS)('similar past incidents on the $name store, two servers sharing it', (kind) => {
  it("each server's index shows every case the other resolved, re-resolved, changed, reopened or deleted, as scoring every resolved case would", async () => {
    const settings = await kind.settings();
    const { db } = await openStore(settings);
    // Two replicas: on PostgreSQL two connections, each with its own index; the embedded database is one process's (it locks it), whose services share one.
    const other = kind.name === 'postgres' ? (await openStore(settings)).db : db;
    const [one, two] = [new CaseService(db, parseArtifact), new CaseService(other, parseArtifact)];
    const outcome = (i: number) => ({ cause: CAUSES[i % CAUSES.length] as string, confirmedBy: 'ana', ...(CAUSES[i % CAUSES.length] === 'other' && { text: 'a cable' }), note: `note ${i}` });
    const ids: string[] = [];
    for (let i = 0; i < 18; i++) {
      const writer = i % 2 === 0 ? one : two;
      const created = await writer.create('acme', { source: 'jira', externalId: `S-${i}`, facts: { ...TICKETS[i % TICKETS.length] }, artifacts: [] }, kb);
      ids.push(created.case.id);
      if (i % 3 !== 2) await writer.resolve('acme', created.case.id, outcome(i), kb);
    }
    // Another tenant's resolved case is never similar.
    const theirs = await one.create('globex', { source: 'jira', externalId: 'S-0', facts: { ...ICMP }, artifacts: [] }, kb);
    await one.resolve('globex', theirs.case.id, outcome(0), kb);

    const check = async () => {
      for (const [i, id] of ids.entries()) {
        for (const reader of [one, two]) {
          const found = await reader.get('acme', id);
          const latest = found?.diagnoses.at(-1)?.diagnosis;
          const features = (await db.query<{ features: string[] }>('SELECT features FROM cases WHERE id = $1', [id]))[0]?.features ?? [];
          expect(shown(latest?.similar ?? []), `case ${i}`).toEqual(await fromScratch(db, 'acme', features, id));
          expect(latest?.similar?.map((s) => s.id)).not.toContain(theirs.case.id);
        }
      }
    };
    await check();
    // Re-resolved with another cause on one server, and a resolved case given new facts on the other.
    await one.resolve('acme', ids[0] as string, { cause: 'network.packet_loss', confirmedBy: 'bo' }, kb);
    await two.update('acme', ids[1] as string, { facts: { set: { 'http.status': 503 }, remove: [] } }, kb);
    await check();
    // Case 6 is case 0's ticket again.
    const twin = (await two.get('acme', ids[6] as string))?.diagnoses.at(-1)?.diagnosis.similar?.find((s) => s.id === ids[0]);
    expect(twin).toEqual({ id: ids[0], source: 'jira', externalId: 'S-0', cause: 'network.packet_loss', similarity: 1 });
    // Resolved cases deleted, each on one server: both indexes drop them, weights and all.
    const [deleted, alsoDeleted] = ids.splice(0, 1).concat(ids.splice(2, 1)) as [string, string];
    expect([await two.delete('acme', deleted), await one.delete('acme', alsoDeleted)]).toEqual([true, true]);
    await check();
    expect((await one.get('acme', ids[5] as string))?.diagnoses.at(-1)?.diagnosis.similar?.map((s) => s.id)).not.toContain(deleted);
    // A cause withdrawn on one server, and the case, open again, changed there before the other looks: both indexes drop it.
    const reopened = ids[0] as string;
    expect((await one.reopen('acme', reopened))?.status).toBe('open');
    await one.update('acme', reopened, { facts: { set: { 'http.status': 502 }, remove: [] } }, kb);
    await check();
    expect((await two.get('acme', ids[4] as string))?.diagnoses.at(-1)?.diagnosis.similar?.map((s) => s.id)).not.toContain(reopened);
    if (other !== db) await other.close();
    await db.close();
  }, 60_000);
});

describe('similar past incidents on PostgreSQL, with transactions in flight', () => {
  it('a case resolved by a transaction that commits after a later one is still found', async () => {
    const { db } = await openStore(await (STORE_KINDS[1] as (typeof STORE_KINDS)[number]).settings());
    const reader = new CaseService(db, parseArtifact);
    const writer = new CaseService(db, parseArtifact);
    const early = await writer.create('acme', { source: 'jira', externalId: 'EARLY', facts: { ...ICMP }, artifacts: [] }, kb);
    const late = await writer.create('acme', { source: 'jira', externalId: 'LATE', facts: { ...ICMP }, artifacts: [] }, kb);
    const ticket = await writer.create('acme', { source: 'jira', externalId: 'NEW', facts: { ...ICMP }, artifacts: [] }, kb);
    let commit: () => void = () => undefined;
    let resolvedEarly: () => void = () => undefined;
    const earlyResolved = new Promise<void>((resolve) => (resolvedEarly = resolve));
    // The early resolution takes its transaction id first, and holds its commit back.
    const held = db.transaction(async (tx) => {
      await new CaseService({ ...db, ...tx }, parseArtifact).resolve('acme', early.case.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      resolvedEarly();
      await new Promise<void>((resolve) => (commit = resolve));
    });
    await earlyResolved;
    await writer.resolve('acme', late.case.id, { cause: 'network.packet_loss', confirmedBy: 'bo' }, kb);
    const before = await reader.get('acme', ticket.case.id);
    expect(before?.diagnoses.at(-1)?.diagnosis.similar?.map((s) => s.externalId)).toEqual(['LATE']);
    commit();
    await held;
    const after = await reader.get('acme', ticket.case.id);
    expect(
      after?.diagnoses
        .at(-1)
        ?.diagnosis.similar?.map((s) => s.externalId)
        .sort(),
    ).toEqual(['EARLY', 'LATE']);
    await db.close();
  }, 60_000);
});

/** The database, recording the first `words` words of each statement run outside a transaction, and each transaction begun. */
function recording(db: Database, words: number): { counted: Database; statements: string[]; transactions: unknown[] } {
  const statements: string[] = [];
  const transactions: unknown[] = [];
  const counted: Database = {
    ...db,
    query: (text, params) => {
      statements.push(text.trim().split(/\s+/).slice(0, words).join(' '));
      return db.query(text, params);
    },
    transaction: (work) => {
      transactions.push(work);
      return db.transaction(work);
    },
  };
  return { counted, statements, transactions };
}

describe('answering a case', () => {
  it.each(STORE_KINDS)(
    'on the $name store reads it with its whole history in one statement, and records an outcome in that same statement',
    async (kind) => {
      const { db } = await openStore(await kind.settings());
      const { counted, statements } = recording(db, 3);
      const service = new CaseService(counted, parseArtifact);
      const created = await service.create('acme', { source: 'jira', externalId: 'READ-1', facts: { ...ICMP }, artifacts: [] }, kb);
      await service.update('acme', created.case.id, { facts: { set: { 'path.via_lb': true }, remove: [] } }, kb);
      statements.length = 0;
      const read = await service.get('acme', created.case.id);
      expect(read?.diagnoses.map((d) => d.n)).toEqual([1, 2]);
      // The similar-case catch-up reads the database on PostgreSQL only (the embedded store's one writer knows nothing changed).
      const catchUp = kind.name === 'postgres' ? ['SELECT id, confirmed_cause'] : [];
      expect(statements).toEqual(['SELECT id, source,', ...catchUp]);
      statements.length = 0;
      const resolved = await service.resolve('acme', created.case.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      expect(statements).toEqual(['WITH c AS', 'SELECT id, confirmed_cause']);
      expect(resolved).toEqual(await service.get('acme', created.case.id));
      expect(resolved?.diagnoses.map((d) => ({ n: d.n, at: d.at }))).toEqual(read?.diagnoses.map((d) => ({ n: d.n, at: d.at })));
      expect(resolved?.diagnoses[0]?.at).toBe(created.case.diagnoses[0]?.at);
      // The same outcome again changes nothing: the update finds no row to change, and the case is read as it is.
      statements.length = 0;
      const again = await service.resolve('acme', created.case.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      expect(statements).toEqual(['WITH c AS', 'SELECT id, source,', ...catchUp]);
      expect(again).toEqual(resolved);
      await db.close();
    },
    60_000,
  );
});

describe('creating a case', () => {
  it.each(STORE_KINDS)(
    'on the $name store costs two statements without a transaction: the case with its diagnosis, and the similar-case catch-up (on the embedded store, only after a change)',
    async (kind) => {
      const { db } = await openStore(await kind.settings());
      const { counted, statements, transactions } = recording(db, 2);
      const service = new CaseService(counted, parseArtifact);
      const created = await service.create('acme', { source: 'jira', externalId: 'ONE', facts: { ...ICMP }, artifacts: [] }, kb);
      expect({ statements, transactions: transactions.length }).toEqual({ statements: ['WITH inserted', 'SELECT id,'], transactions: 0 });
      // What it answers from what it wrote is what reading the case back gives.
      expect(created.case).toEqual(await service.get('acme', created.case.id));
      // The embedded store has one writer, this process: with no resolved case changed since, nothing to catch up on.
      statements.length = 0;
      await service.create('acme', { source: 'jira', externalId: 'TWO', facts: { ...ICMP }, artifacts: [] }, kb);
      expect(statements).toEqual(kind.name === 'embedded' ? ['WITH inserted'] : ['WITH inserted', 'SELECT id,']);
      await service.resolve('acme', created.case.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      statements.length = 0;
      const third = await service.create('acme', { source: 'jira', externalId: 'THREE', facts: { ...ICMP }, artifacts: [] }, kb);
      // The outcome's answer read the change already; then the similar case's ticket and note are read.
      expect(statements).toEqual(kind.name === 'embedded' ? ['WITH inserted', 'SELECT id,'] : ['WITH inserted', 'SELECT id,', 'SELECT id,']);
      expect(third.case.diagnoses[0]?.diagnosis.similar?.map((s) => s.externalId)).toEqual(['ONE']);
      await db.close();
    },
    60_000,
  );
});
