import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_BODY_LIMIT } from '../../src/server/app.js';
import { isProblem, testServer } from './helpers.js';

/** Generous: /healthz answers in milliseconds; behind a quadratic parser it waited over a minute. */
const HEALTHZ_BOUND_MS = 1000;
/** At most this many /healthz probes while one diagnosis runs. */
const MAX_PROBES = 2000;

// A "Tcp:" section whose counter never ends: the netstat -s parser once scanned it from every
// digit (78 s for 256 KB). The JSON around it keeps the body under the limit.
const HOSTILE_TEXT = `Tcp:\n ${'1'.repeat(DEFAULT_BODY_LIMIT - 1024)}`;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('a hostile artifact does not stall the server', () => {
  it('/healthz keeps answering promptly while a 256 KB crafted artifact is diagnosed, and the artifact gets a 400 naming it', async () => {
    app = await testServer();
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const body = JSON.stringify({ facts: {}, artifacts: [{ kind: 'netstat-s', text: HOSTILE_TEXT }] });
    expect(body.length).toBeLessThanOrEqual(DEFAULT_BODY_LIMIT);

    let diagnosing = true;
    const diagnosis = fetch(`${base}/v1/diagnose`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).finally(() => {
      diagnosing = false;
    });
    // Probe until the diagnosis is answered: a probe in flight when parsing starts waits for it to end.
    const latencies: number[] = [];
    do {
      const start = performance.now();
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      latencies.push(performance.now() - start);
    } while (diagnosing && latencies.length < MAX_PROBES);

    const answer = await diagnosis;
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const problem = (await answer.json()) as Record<string, unknown>;
    expect(isProblem(problem, 400)).toBe(true);
    expect(problem.errors).toEqual([
      {
        pointer: '/artifacts/0/text',
        expected: 'output of `netstat -s` (Linux net-tools) with its Tcp: and TcpExt: sections',
        got: 'neither segment counters in a Tcp: section nor the listen-queue, reverse-path or checksum counters in a whole section',
      },
    ]);
    expect(Math.max(...latencies)).toBeLessThan(HEALTHZ_BOUND_MS);
  });
});
