import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { ResolvedIndexes } from '../../src/cases/resolved-index.js';
import { CLEANUP_INTERVAL_MS, forgetExpired, startCleanup } from '../../src/cases/retention.js';
import { CaseConflict, CaseCursorUnknown, CaseService, type Forgotten } from '../../src/cases/service.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import type { Database } from '../../src/store/database.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../cli/run.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { startServe, stopServes, type RunningServe } from '../server/serve-run.js';
import { STORE_KINDS, stopStores } from '../store/stores.js';

afterAll(stopStores, 30_000);
const running: RunningServe[] = [];
afterEach(() => stopServes(running));

const kb = loadKnowledgeBase([FIXTURE_KB]);
const DAY_MS = 24 * 60 * 60 * 1000;
const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok' } as const;
const ticket = (externalId: string) => ({ source: 'jira', externalId, facts: { ...ICMP }, artifacts: [] });
const count = async (db: Database, table: 'deleted_cases' | 'idempotency_keys') => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;

/** A deleted case whose deletion is `daysAgo` old, as the database keeps it: its tombstone and its key's mark dated then. */
async function deletedLongAgo(db: Database, id: string, daysAgo: number): Promise<void> {
  const at = new Date(Date.now() - daysAgo * DAY_MS);
  await db.query('UPDATE deleted_cases SET deleted_at = $2 WHERE id = $1', [id, at]);
  await db.query('UPDATE idempotency_keys SET case_deleted_at = $2 WHERE case_id = $1', [id, at]);
}

describe.each(STORE_KINDS)('what a deletion leaves, forgotten after the retention, on the $name store', (kind) => {
  /** Runs `work` on a fresh database of the kind, closed after. */
  const onStore = async (work: (service: CaseService, db: Database) => Promise<void>) => {
    const { db } = await openStore(await kind.settings());
    try {
      await work(new CaseService(db, parseArtifact), db);
    } finally {
      await db.close();
    }
  };

  it('keeps the tombstone and the idempotency key for the retention (a cursor naming the case pages on, a retry is refused), then forgets both: the cursor is unknown, a retry makes the case again; a live case keeps its key', () =>
    onStore(async (service, db) => {
      const older = await service.create('acme', ticket('R-0'), kb);
      const gone = await service.create('acme', ticket('R-1'), kb, 'key-r1');
      const resolved = await service.create('acme', ticket('R-2'), kb);
      await service.resolve('acme', resolved.case.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      const live = await service.create('acme', ticket('R-3'), kb, 'key-r3');
      await service.delete('acme', gone.case.id);
      await service.delete('acme', resolved.case.id);
      const deletedAt = Date.now();
      const paged = { items: [{ id: older.case.id }], next: null };
      const page = async () => {
        const list = await service.list('acme', { limit: 5, cursor: gone.case.id });
        return { items: list.items.map((c) => ({ id: c.id })), next: list.next };
      };
      // The clock is the cleanup's: a day short of the retention, nothing goes.
      expect(await forgetExpired(service, 30, deletedAt + 29 * DAY_MS)).toEqual({ tombstones: 0, keys: 0 });
      expect(await page()).toEqual(paged);
      await expect(service.create('acme', ticket('R-1'), kb, 'key-r1')).rejects.toThrow(CaseConflict);
      expect(await forgetExpired(service, 30, deletedAt + 30 * DAY_MS + 1000)).toEqual({ tombstones: 2, keys: 1 });
      expect([await count(db, 'deleted_cases'), await db.query('SELECT key FROM idempotency_keys')]).toEqual([0, [{ key: 'key-r3' }]]);
      await expect(page()).rejects.toThrow(CaseCursorUnknown);
      const again = await service.create('acme', ticket('R-1'), kb, 'key-r1');
      expect([again.created, again.case.id === gone.case.id]).toEqual([true, false]);
      // Nothing left to forget: a second turn (another replica's, say) finds none.
      expect(await forgetExpired(service, 30, deletedAt + 30 * DAY_MS + 1000)).toEqual({ tombstones: 0, keys: 0 });
      expect((await service.create('acme', ticket('R-3'), kb, 'key-r3')).case.id).toBe(live.case.id);
    }));

  it('forgets the key of a deleted case that its deletion could not see to mark, with the tombstone', () =>
    onStore(async (service, db) => {
      const { case: made } = await service.create('acme', ticket('R-4'), kb, 'key-r4');
      await service.delete('acme', made.id);
      // As a DELETE that began before the key's transaction committed leaves it (CaseService.replay).
      await db.query('UPDATE idempotency_keys SET request_hash = $2, case_deleted_at = NULL WHERE case_id = $1', [made.id, 'hash']);
      await db.query("UPDATE deleted_cases SET deleted_at = deleted_at - interval '31 days' WHERE id = $1", [made.id]);
      expect(await forgetExpired(service, 30, Date.now())).toEqual({ tombstones: 1, keys: 1 });
      expect(await count(db, 'idempotency_keys')).toBe(0);
    }));

  it("a similar-case index that never read a forgotten tombstone drops the case once a lookup finds its row gone", () =>
    onStore(async (service, db) => {
      const { case: past } = await service.create('initech', ticket('S-1'), kb);
      await service.resolve('initech', past.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, kb);
      const { case: now } = await service.create('initech', ticket('S-2'), kb);
      expect((await service.get('initech', now.id))?.diagnoses[0]?.diagnosis.similar?.map((s) => s.id)).toEqual([past.id]);
      await service.delete('initech', past.id);
      // Forgotten before any lookup read it: the index still holds the case.
      await deletedLongAgo(db, past.id, 31);
      expect(await forgetExpired(service, 30, Date.now())).toEqual({ tombstones: 1, keys: 0 });
      const features = (await db.query<{ features: string[] }>('SELECT features FROM cases WHERE id = $1', [now.id]))[0]?.features ?? [];
      expect((await ResolvedIndexes.of(db).of('initech')).nearest(features, 3, now.id).map((n) => n.case.id)).toEqual([past.id]);
      expect((await service.get('initech', now.id))?.diagnoses[0]?.diagnosis.similar).toEqual([]);
      expect((await ResolvedIndexes.of(db).of('initech')).nearest(features, 3, now.id)).toEqual([]);
    }));

  it('rca serve forgets what is past --deleted-retention once the store opens, and keeps it with 0', async () => {
    const settings = await kind.settings();
    const { db } = await openStore(settings);
    const service = new CaseService(db, parseArtifact);
    await service.create('default', ticket('V-0'), kb);
    const { case: made } = await service.create('default', ticket('V-1'), kb, 'key-v1');
    await service.delete('default', made.id);
    await deletedLongAgo(db, made.id, 8);
    await db.close();
    const store = 'dataDir' in settings ? ['--data-dir', settings.dataDir] : ['--database-url', settings.databaseUrl];
    const serve = (retention: string) => startServe(['--host', '127.0.0.1', '--port', '0', '--kb', FIXTURE_KB, '--rate-limit', '0', '--log-level', 'info', '--deleted-retention', retention, ...store]);
    const cursor = Buffer.from(`after:${made.id}`).toString('base64url');
    const kept = await serve('0');
    running.push(kept);
    expect((await fetch(`${kept.base}/v1/cases?cursor=${cursor}`)).status).toBe(200);
    await stopServes(running);
    const log: string[] = [];
    const forgetting = await serve('7');
    running.push(forgetting);
    forgetting.stdout.on('data', (d: Buffer) => log.push(d.toString()));
    await vi.waitFor(() => expect(log.join('')).toContain('"msg":"forgot 1 deleted cases and 1 of their idempotency keys, deleted over 7 days ago"'), { timeout: 20_000, interval: 50 });
    const unknown = await fetch(`${forgetting.base}/v1/cases?cursor=${cursor}`);
    expect([unknown.status, ((await unknown.json()) as { errors: unknown }).errors]).toEqual([400, [{ parameter: 'cursor', expected: 'the `next` of an earlier page of your cases', got: 'a cursor naming no case of yours' }]]);
  }, 120_000);
});

describe('the cleanup on its own (startCleanup)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A store that records the cut-offs it is asked to forget before, answering `answer`. */
  const recording = (answer: () => Promise<Forgotten>) => {
    const before: string[] = [];
    const cases = { forgetDeleted: (cutoff: Date) => (before.push(cutoff.toISOString()), answer()) } as unknown as CaseService;
    return { cases, before };
  };
  const logged = () => {
    const lines: string[] = [];
    return { lines, log: { info: (_: object, message: string) => lines.push(`info: ${message}`), warn: (_: object, message: string) => lines.push(`warn: ${message}`) } };
  };

  it('forgets by its own clock, hourly, only once the store is open; a failed turn is logged and the next one tries again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clock = Date.parse('2026-12-01T00:00:00.000Z');
    let fails = false;
    const { cases, before } = recording(async () => {
      if (fails) throw new Error('connection refused');
      return { tombstones: 2, keys: 1 };
    });
    let opened: Promise<CaseService> | undefined = undefined;
    const { lines, log } = logged();
    const cleanup = startCleanup({ cases: () => opened, days: 30, log, now: () => clock });
    await vi.advanceTimersByTimeAsync(CLEANUP_INTERVAL_MS);
    expect(before).toEqual([]);
    opened = Promise.resolve(cases);
    clock += CLEANUP_INTERVAL_MS;
    await vi.advanceTimersByTimeAsync(CLEANUP_INTERVAL_MS);
    fails = true;
    clock += CLEANUP_INTERVAL_MS;
    await vi.advanceTimersByTimeAsync(CLEANUP_INTERVAL_MS);
    fails = false;
    clock += CLEANUP_INTERVAL_MS;
    await cleanup.run();
    await cleanup.stop();
    await vi.advanceTimersByTimeAsync(3 * CLEANUP_INTERVAL_MS);
    // Every turn once the store was open, the failed one too, each 30 days before its clock.
    expect(before).toEqual(['2026-11-01T01:00:00.000Z', '2026-11-01T02:00:00.000Z', '2026-11-01T03:00:00.000Z']);
    expect(lines).toEqual([
      'info: forgot 2 deleted cases and 1 of their idempotency keys, deleted over 30 days ago',
      'warn: could not forget the deleted cases past their 30 days; trying again in 60 minutes',
      'info: forgot 2 deleted cases and 1 of their idempotency keys, deleted over 30 days ago',
    ]);
  });

  it('runs one turn at a time, and stop waits for the one running', async () => {
    let finish: (forgotten: Forgotten) => void = () => undefined;
    const { cases, before } = recording(() => new Promise<Forgotten>((resolve) => (finish = resolve)));
    const { lines, log } = logged();
    const cleanup = startCleanup({ cases: () => Promise.resolve(cases), days: 1, log, now: () => Date.parse('2026-12-02T00:00:00.000Z') });
    const first = cleanup.run();
    const second = cleanup.run();
    await vi.waitFor(() => expect(before).toEqual(['2026-12-01T00:00:00.000Z']));
    let stopped = false;
    const stopping = cleanup.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish({ tombstones: 0, keys: 0 });
    await Promise.all([first, second, stopping]);
    expect([stopped, before.length, lines]).toEqual([true, 1, []]);
  });
});

describe('rca cases, rca db and --deleted-retention', () => {
  /** The hash of every file of an embedded store's data directory but PGlite's control file and write-ahead log, which every opening writes, by path. */
  const storeFiles = (dir: string) =>
    Object.fromEntries(
      (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
        .filter((entry) => entry.isFile())
        .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
        .filter((path) => path !== join('pgdata', 'global', 'pg_control') && !path.startsWith(join('pgdata', 'pg_wal')))
        .map((path) => [path, createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')]),
    );
  /** An embedded store with a live case and a case deleted 3 days ago (past a retention of 2 days), and that live case's id. */
  const storeWithDeletion = async () => {
    const settings = (await STORE_KINDS[0]!.settings()) as { dataDir: string };
    const { db } = await openStore(settings);
    const service = new CaseService(db, parseArtifact);
    const { case: live } = await service.create('default', ticket('C-0'), kb);
    const { case: made } = await service.create('default', ticket('C-1'), kb, 'key-c1');
    await service.delete('default', made.id);
    await deletedLongAgo(db, made.id, 3);
    await db.close();
    return { dataDir: settings.dataDir, live: live.id };
  };
  const leftByDeletions = async (settings: { dataDir: string }) => {
    const { db } = await openStore(settings);
    try {
      return [await count(db, 'deleted_cases'), await count(db, 'idempotency_keys')];
    } finally {
      await db.close();
    }
  };

  it('rca cases list, show and report write nothing: what is past the retention stays, and no file of the store changes but the control file and write-ahead log PGlite writes at every opening', async () => {
    const { dataDir, live } = await storeWithDeletion();
    const reads = [['cases', 'list'], ['cases', 'show', live], ['cases', 'report'], ['cases', 'list', '--format', 'json'], ['cases', 'show', live, '--format', 'html']];
    // Once each first, so the pages that reading marks (PostgreSQL's hint bits) are written before the files are compared.
    for (const read of reads) expect((await runCli([...read, '--data-dir', dataDir])).code, read.join(' ')).toBe(0);
    const before = storeFiles(dataDir);
    expect(Object.keys(before)).toContain(join('pgdata', 'PG_VERSION'));
    // A retention the deletion is past, as an environment that serves the store would set it.
    for (const read of reads) expect((await runCli([...read, '--data-dir', dataDir], { env: { RCA_DELETED_RETENTION: '2' } })).code, read.join(' ')).toBe(0);
    expect(storeFiles(dataDir)).toEqual(before);
    expect(await leftByDeletions({ dataDir })).toEqual([1, 1]);
  }, 120_000);

  it('rca db --help names both actions, forget-deleted too', async () => {
    const run = await runCli(['db', '--help']);
    // yargs wraps the description at the terminal's width.
    expect([run.code, run.stdout.split('\n\n')[1]?.replace(/\s+/g, ' ')]).toEqual([0, 'The case database: migrate (to the schema of this rca), forget-deleted (what deletions left past --deleted-retention)']);
  });

  it('a command that only reads refuses --deleted-retention (exit 2) rather than ignoring it', async () => {
    const { dataDir, live } = await storeWithDeletion();
    for (const [command, action, forgetting] of [
      [['cases', 'list'], 'list', 'cases delete'],
      [['cases', 'show', live], 'show', 'cases delete'],
      [['cases', 'report'], 'report', 'cases delete'],
      [['db', 'migrate'], 'migrate', 'db forget-deleted'],
    ] as const) {
      const run = await runCli([...command, '--data-dir', dataDir, '--deleted-retention', '2']);
      expect(run, command.join(' ')).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^rca: usage error: --deleted-retention: expected only with ${forgetting}, which forget what deletions left past it; ${command[0]} ${action} forgets no deleted case, got --deleted-retention 2\n`)) });
    }
    expect(await leftByDeletions({ dataDir })).toEqual([1, 1]);
  }, 60_000);

  it('rca cases delete forgets on an embedded store what is past the retention (--deleted-retention, else RCA_DELETED_RETENTION)', async () => {
    const { dataDir, live } = await storeWithDeletion();
    const { db } = await openStore({ dataDir });
    const service = new CaseService(db, parseArtifact);
    const others = await Promise.all(['C-2', 'C-3'].map(async (id) => (await service.create('default', ticket(id), kb)).case.id));
    await db.close();
    expect(await runCli(['cases', 'delete', others[0]!, '--data-dir', dataDir, '--deleted-retention', '5'])).toEqual({ code: 0, stdout: '', stderr: `rca: deleted case ${others[0]} of tenant default\n` });
    // The deletion 3 days ago is within 5 days; the one just made is a tombstone more.
    expect(await leftByDeletions({ dataDir })).toEqual([2, 1]);
    expect((await runCli(['cases', 'delete', others[1]!, '--data-dir', dataDir], { env: { RCA_DELETED_RETENTION: '2' } })).code).toBe(0);
    expect(await leftByDeletions({ dataDir })).toEqual([2, 0]);
    expect((await runCli(['cases', 'show', live, '--data-dir', dataDir])).code).toBe(0);
  }, 60_000);

  it.each(STORE_KINDS)('rca db forget-deleted forgets on the $name store what is past the retention, and nothing with 0', async (kind) => {
    const settings = await kind.settings();
    const { db } = await openStore(settings);
    const service = new CaseService(db, parseArtifact);
    const { case: made } = await service.create('default', ticket('F-1'), kb, 'key-f1');
    await service.delete('default', made.id);
    await deletedLongAgo(db, made.id, 3);
    const { location } = db;
    await db.close();
    const store = 'dataDir' in settings ? ['--data-dir', settings.dataDir] : ['--database-url', settings.databaseUrl];
    for (const [args, env, done] of [
      [['--deleted-retention', '0'], {}, 'a retention of 0 keeps what deletions left for ever: nothing forgotten'],
      [[], {}, 'forgot 0 deleted cases and 0 of their idempotency keys, deleted over 30 days ago'],
      [['--deleted-retention', '5'], { RCA_DELETED_RETENTION: '1' }, 'forgot 0 deleted cases and 0 of their idempotency keys, deleted over 5 days ago'],
      [[], { RCA_DELETED_RETENTION: '2' }, 'forgot 1 deleted cases and 1 of their idempotency keys, deleted over 2 days ago'],
      [[], { RCA_DELETED_RETENTION: '2' }, 'forgot 0 deleted cases and 0 of their idempotency keys, deleted over 2 days ago'],
    ] as const) {
      expect(await runCli(['db', 'forget-deleted', ...store, ...args], { env }), `${args.join(' ')} ${JSON.stringify(env)}`).toEqual({ code: 0, stdout: `case database ${location}: ${done}\n`, stderr: '' });
    }
  }, 120_000);

  it('refuses a retention that is not a whole number of days from 0 to 36500, on serve, cases delete and db forget-deleted (exit 2)', async () => {
    for (const [args, env, got] of [
      [['--deleted-retention', '-1'], {}, '-1'],
      [['--deleted-retention', '1.5'], {}, '1.5'],
      [[], { RCA_DELETED_RETENTION: 'month' }, 'month'],
      // Number() read these as 0 (keep for ever), 30, 10 and 3.
      [[], { RCA_DELETED_RETENTION: ' ' }, '" "'],
      [[], { RCA_DELETED_RETENTION: '0x1e' }, '0x1e'],
      [[], { RCA_DELETED_RETENTION: '1e1' }, '1e1'],
      [[], { RCA_DELETED_RETENTION: '0b11' }, '0b11'],
      [['--deleted-retention', '36501'], {}, '36501'],
    ] as const) {
      for (const command of [['cases', 'delete', '00000000-0000-4000-8000-000000000000'], ['db', 'forget-deleted'], ['serve', '--port', '0']]) {
        const run = await runCli([...command, '--data-dir', '/nonexistent/rca', ...args], { env });
        expect([run.code, run.stderr.split('\n')[0]], `${command[0]} ${args.join(' ')}`).toEqual([2, `rca: usage error: --deleted-retention (or RCA_DELETED_RETENTION): expected a whole number of days from 0 (for ever) to 36500, got ${got}`]);
      }
    }
  });
});
