import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import { embeddedDataDir, STORE_KINDS, stopStores } from '../store/stores.js';
import { stopServes, type RunningServe } from '../server/serve-run.js';
import { call, PING_ARTIFACT, startRca } from './helpers.js';

const running: RunningServe[] = [];
afterEach(() => stopServes(running));
afterAll(stopStores, 30_000);
/** Each test starts servers; making an embedded database runs initdb in WebAssembly, tens of seconds on a busy machine. */
const STALL_MS = 90_000;

/** In-process (see startRca), or its own process when `spawned`: only a process can be killed with SIGKILL. */
const start = async (args: string[], spawned = false) => {
  const server = await startRca(args, { spawned });
  running.push(server);
  return server;
};
const flags = (settings: { dataDir: string } | { databaseUrl: string }) => ('dataDir' in settings ? ['--data-dir', settings.dataDir] : ['--database-url', settings.databaseUrl]);
const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok' };

describe('rca serve keeps cases', () => {
  it('has a case of the embedded database after a restart', async () => {
    const dataDir = await embeddedDataDir();
    const first = await start(['--data-dir', dataDir]);
    const created = await call(first.base, 'POST', '/v1/cases', { source: 'jira', externalId: 'OPS-1', facts: ICMP });
    expect(created.status).toBe(201);
    first.signal('SIGINT');
    expect(await first.exited).toBe(0);
    const second = await start(['--data-dir', dataDir]);
    const again = await call(second.base, 'GET', `/v1/cases/${String(created.body.id)}`);
    expect({ status: again.status, externalId: again.body.externalId }).toEqual({ status: 200, externalId: 'OPS-1' });
  }, STALL_MS);

  it.each(STORE_KINDS)('refuses to start on a $name database migrated by a newer rca: exit 4, saying so', async (kind) => {
    const settings = await kind.settings();
    const { db } = await openStore(settings);
    await db.query("INSERT INTO rca_schema (version, name) VALUES ($1, 'from the future')", [SCHEMA_VERSION + 1]);
    await db.close();
    const server = startRca(flags(settings));
    await expect(server).rejects.toThrow(/^rca serve exited 4: rca: error: the case database .* has schema version \d+, newer than this rca's \d+: run a newer rca, or point --data-dir \/ --database-url elsewhere\n$/);
  }, STALL_MS);
});

describe('no acknowledged write is lost', () => {
  it('two servers on one PostgreSQL, changing one case at once, lose no change, and make one case of one ticket', async () => {
    const settings = (await STORE_KINDS[1]!.settings()) as { databaseUrl: string };
    // Started together, both migrate at once: the advisory lock lets one do it.
    const servers = await Promise.all([start(flags(settings)), start(flags(settings))]);
    const tickets = await Promise.all(Array.from({ length: 10 }, (_, i) => call(servers[i % 2]!.base, 'POST', '/v1/cases', { source: 'jira', externalId: 'RACE-1', facts: ICMP })));
    expect(tickets.map((t) => t.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const id = String(tickets[0]!.body.id);
    expect(new Set(tickets.map((t) => t.body.id))).toEqual(new Set([id]));
    const changes = await Promise.all(Array.from({ length: 16 }, (_, i) => call(servers[i % 2]!.base, 'PATCH', `/v1/cases/${id}`, { artifacts: [PING_ARTIFACT] })));
    expect(changes.map((c) => c.status)).toEqual(Array(16).fill(200));
    const final = await call(servers[0]!.base, 'GET', `/v1/cases/${id}`);
    expect(final.body.revision).toBe(17);
    expect(final.body.artifacts).toHaveLength(16);
    expect((final.body.diagnoses as Array<{ n: number }>).map((d) => d.n)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  }, STALL_MS);

  it.each(STORE_KINDS)('a $name server killed with SIGKILL in the middle of writes has every case it acknowledged after a restart', async (kind) => {
    const settings = await kind.settings();
    const server = await start(flags(settings), true);
    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    const deadline = Date.now() + 30_000;
    // Four writers; the server is killed once 20 writes were acknowledged, with others in flight.
    const writer = async () => {
      while (!killed && sent < 300 && Date.now() < deadline) {
        const n = sent++;
        try {
          const answer = await call(server.base, 'POST', '/v1/cases', { source: 'kill', externalId: `K-${n}`, facts: ICMP });
          if (answer.status === 201) acknowledged.push(String(answer.body.id));
        } catch {
          // The connection died with the server: not acknowledged.
        }
        if (acknowledged.length >= 20 && !killed) {
          killed = true;
          server.child?.kill('SIGKILL');
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    expect(killed).toBe(true);
    await server.exited;
    const restarted = await start(flags(settings));
    for (const id of acknowledged) expect((await call(restarted.base, 'GET', `/v1/cases/${id}`)).status, id).toBe(200);
    const listed = await call(restarted.base, 'GET', '/v1/cases?source=kill&limit=100');
    expect((listed.body.items as unknown[]).length).toBeGreaterThanOrEqual(acknowledged.length);
  }, STALL_MS);
});
