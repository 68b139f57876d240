import { afterEach, expect, it } from 'vitest';
import { startPostgres } from '../../bench/postgres-cluster.js';
import { STORE_RETRY_AFTER_S } from '../../src/server/problems.js';
import { stopServes, type RunningServe } from '../server/serve-run.js';
import { call, startRca } from './helpers.js';

const running: RunningServe[] = [];
afterEach(() => stopServes(running));

const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok' };

it('rca serve whose PostgreSQL goes down answers the case routes 503 store-unavailable, logged as the outage it is, not as a bug; diagnoses go on', async () => {
  const cluster = await startPostgres();
  try {
    const server = await startRca(['--database-url', await cluster.createDatabase()]);
    running.push(server);
    let log = '';
    server.stdout.on('data', (d: Buffer) => (log += d.toString()));
    const created = await call(server.base, 'POST', '/v1/cases', { source: 'jira', externalId: 'DOWN-1', facts: ICMP });
    expect(created.status).toBe(201);
    await cluster.stop();
    const detail = 'the case database cannot be used now: connection refused; retry later';
    for (const [method, path, body] of [
      ['GET', '/v1/cases'],
      ['GET', `/v1/cases/${String(created.body.id)}`],
      ['POST', '/v1/cases', { source: 'jira', externalId: 'DOWN-2', facts: ICMP }],
      ['PATCH', `/v1/cases/${String(created.body.id)}`, { facts: { 'http.status': 503 } }],
      ['DELETE', `/v1/cases/${String(created.body.id)}`],
      ['GET', '/v1/stats'],
    ] as const) {
      const answer = await call(server.base, method, path, body);
      expect([answer.status, answer.body.type, answer.body.title, answer.body.detail], `${method} ${path}`).toEqual([503, 'https://rca.local/problems/store-unavailable', 'The case database cannot be used', detail]);
    }
    // When to try again, as a shutdown's 503 says it.
    expect((await fetch(`${server.base}/v1/cases`)).headers.get('retry-after')).toBe(String(STORE_RETRY_AFTER_S));
    expect((await call(server.base, 'POST', '/v1/diagnose', { facts: ICMP })).status).toBe(200);
    const lines = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => line.msg === 'case store unavailable: connection refused').length).toBeGreaterThanOrEqual(6);
  } finally {
    await cluster.stop();
  }
}, 60_000);
