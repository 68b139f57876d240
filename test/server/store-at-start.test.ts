import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startRca } from '../cases/helpers.js';
import { emptyDataDir } from '../store/stores.js';
import { stopServes, type RunningServe } from './serve-run.js';

const running: RunningServe[] = [];
afterEach(() => stopServes(running));

/** PGlite makes a new cluster in WebAssembly: seconds, and over ten on a busy machine. */
const STALL_MS = 120_000;

/**
 * Generous: a case created on an open store takes well under a second. Made at the first case,
 * the store made that case wait 11 to 30 s on a busy 2-core machine, past a ticketing
 * connector's 10 s timeout.
 */
const FIRST_CASE_BOUND_MS = 5000;

const CASE = { source: 'jira', externalId: 'OPS-1', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } };

describe('rca serve opens its case store at start', () => {
  it('makes and migrates a new embedded store before it says it serves: ready with the store ok, and the first case does not wait for the store', async () => {
    const dataDir = emptyDataDir();
    const server = await startRca(['--data-dir', dataDir]);
    running.push(server);
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    // "ok": it answers at this rca's schema version, so it is migrated too.
    const ready = await call(server.base, 'GET', '/readyz');
    expect([ready.status, ready.body.status, ready.body.store]).toEqual([200, 'ready', { status: 'ok' }]);
    const started = performance.now();
    const created = await call(server.base, 'POST', '/v1/cases', CASE);
    expect(created.status).toBe(201);
    expect(performance.now() - started).toBeLessThan(FIRST_CASE_BOUND_MS);
  }, STALL_MS);

  it('exits 4 at start, naming the data directory and what is wrong with it, when the store cannot be opened', async () => {
    const locked = emptyDataDir();
    // Another live process holds the directory (pid 1: a process that does not run would be taken over).
    writeFileSync(join(locked, 'rca.lock'), '1');
    await expect(startRca(['--data-dir', locked])).rejects.toThrow(
      `rca serve exited 4: rca: error: --data-dir ${locked}: expected a data directory no other process uses, got one locked by process 1 (${join(locked, 'rca.lock')}); while it runs (rca serve, say), reach the cases through its API (/v1/cases) or stop it first; for several processes at once keep the cases in PostgreSQL (--database-url)\n`,
    );
    const file = join(emptyDataDir(), 'cases');
    writeFileSync(file, 'not a directory\n');
    await expect(startRca(['--data-dir', file])).rejects.toThrow(`rca serve exited 4: rca: error: --data-dir ${file}: expected a directory rca can create, got a file in the way\n`);
  }, STALL_MS);
});
