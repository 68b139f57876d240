import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { settle } from '../../src/server/connections.js';

// The shutdown's settling (src/server/connections.ts) on a stand-in for the HTTP server: the
// events it counts are the server's 'connection' and 'request'.

/** How long settle(server, capMs, quietMs) takes while `arrive` emits on the server. */
async function settleTime(capMs: number, quietMs: number, arrive: (server: EventEmitter) => void = () => undefined): Promise<number> {
  const server = new EventEmitter();
  const start = performance.now();
  const settled = settle(server, capMs, quietMs);
  arrive(server);
  await settled;
  expect(server.listenerCount('connection') + server.listenerCount('request')).toBe(0);
  return performance.now() - start;
}

describe('settle: the connections queued before a shutdown are taken in', () => {
  it('waits for the quiet time even when the event loop turns are quiet at once (a CPU-starved kernel delivers late)', async () => {
    const took = await settleTime(5_000, 80);
    expect(took).toBeGreaterThanOrEqual(79);
    expect(took).toBeLessThan(2_000);
  });

  it('counts the quiet time from the last arrival: a connection, then a request, each start it again', async () => {
    const took = await settleTime(5_000, 80, (server) => {
      setTimeout(() => server.emit('connection'), 50);
      setTimeout(() => server.emit('request'), 100);
    });
    expect(took).toBeGreaterThanOrEqual(179);
    expect(took).toBeLessThan(2_000);
  });

  it('ends at its cap when clients keep connecting', async () => {
    let timer: NodeJS.Timeout | undefined;
    const took = await settleTime(300, 80, (server) => {
      timer = setInterval(() => server.emit('connection'), 10);
    });
    clearInterval(timer);
    expect(took).toBeGreaterThanOrEqual(299);
    expect(took).toBeLessThan(2_000);
  });
});
