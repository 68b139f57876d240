import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../cli/run.js';
import { withoutTimings } from './fixtures.js';
import { closeAll, startRawServer } from './servers.js';

/** rca collect without /proc facts and without ping (an empty PATH): only what the server sends. */
function collect(args: string[]): Promise<CliRun> {
  return runCli(['collect', ...args, '--no-host-facts', '--timeout', '2'], { env: { PATH: '' } });
}

const lines = (text: string) => text.trimEnd().split('\n');

describe('rca collect against servers on 127.0.0.1 that send what no HTTP server should', () => {
  let ports: { status999: number; status099: number };
  beforeAll(async () => {
    const [status999, status099] = await Promise.all([
      startRawServer('HTTP/1.1 999 Weird\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
      startRawServer('HTTP/1.1 099 Low\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
    ]);
    ports = { status999, status099 };
  });
  afterAll(closeAll);

  it.each([
    ['status999', 'http.status: expected a number <= 599, got number 999'],
    ['status099', 'http.status: expected a number >= 100, got number 99'],
  ] as const)('a status out of HTTP\'s range (%s) is left out and said, the other facts kept: never the whole collection refused as the user\'s input', async (server, problem) => {
    const url = `http://127.0.0.1:${ports[server]}/`;
    const run = await collect(['--url', url]);
    expect(run.code).toBe(0);
    const { facts } = JSON.parse(run.stdout) as { facts: Record<string, unknown> };
    expect(withoutTimings(facts, 'tcp.connect_ms', 'http.ttfb_ms', 'http.latency_ms')).toEqual({
      'target.host': '127.0.0.1',
      'target.port': ports[server],
      'target.url': url,
      'target.protocol': 'http',
      'tcp.connect': 'ok',
    });
    expect(facts['http.ttfb_ms']).toBeTypeOf('number');
    expect(lines(run.stderr)).toContain(`rca: collect: skipped http: left out what the facts' schema refuses: ${problem}`);
  });
});
