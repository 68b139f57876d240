import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../cli/run.js';
import { withoutTimings } from './fixtures.js';
import { closeAll, startRawServer } from './servers.js';

/** rca collect without /proc facts and without ping (an empty PATH): only what the server sends. */
function collect(args: string[], timeout = '2'): Promise<CliRun> {
  return runCli(['collect', ...args, '--no-host-facts', '--timeout', timeout], { env: { PATH: '' } });
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

describe('rca collect refuses, before probing, what its probes could not take', () => {
  const usage = (line: string) => ({ code: 2, stdout: '', stderr: `rca: usage error: ${line}\nRun 'rca collect --help' for usage.\n` });
  const expectedServer = "--dns-server: expected a resolver's IP address, with a port from 1 to 65535 after it if not 53 (127.0.0.1:5353, [::1]:5353), got";

  // Node's resolver threw on the first (an internal error, exit 1) and aborted the process on port 0 (exit 134).
  it('--dns-server "": an empty word is refused as every string option refuses it', async () => {
    expect(await collect(['--host', 'shop.example.test', '--port', '9', '--dns-server', ''])).toEqual(usage('--dns-server: expected a value, got an empty one ("")'));
  });

  it.each(['garbage', '127.0.0.1:0', '127.0.0.1:65536', '[127.0.0.1]:53', '::1:', '[::1]:0'])('--dns-server %j', async (server) => {
    expect(await collect(['--host', 'shop.example.test', '--port', '9', '--dns-server', server])).toEqual(usage(`${expectedServer} ${JSON.stringify(server)}`));
  });

  it('--dns-server=-oX: a value that looks like an option is refused as no address', async () => {
    expect(await collect(['--host', 'shop.example.test', '--port', '9', '--dns-server=-oX'])).toEqual(usage(`${expectedServer} "-oX"`));
  });

  it('--dns-server takes an address, with a port after an IPv4 one or a bracketed IPv6 one; an IPv6 one unbracketed is all address', async () => {
    for (const server of ['127.0.0.1', '127.0.0.1:1', '::1', '::1:53', '[::1]', '[::1]:65535']) {
      // A closed port on ::1 or 127.0.0.1: each is asked, and no name resolves.
      const run = await collect(['--host', 'shop.example.test', '--port', '9', '--dns-server', server], '1');
      expect(run.code, server).toBe(0);
    }
  });

  it('--ca that is no regular file (a device, a directory) is refused unread: /dev/zero would be read for ever', async () => {
    const refused = (file: string, kind: string) => ({ code: 2, stdout: '', stderr: `rca: input error: --ca: expected a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----), got ${file}: ${kind}, not a regular file\n` });
    expect(await collect(['--host', '127.0.0.1', '--port', '9', '--ca', '/dev/zero'])).toEqual(refused('/dev/zero', 'a device'));
    expect(await collect(['--host', '127.0.0.1', '--port', '9', '--ca', '/'])).toEqual(refused('/', 'a directory'));
  });
});

describe('rca collect refuses a target the facts cannot hold before any probe reaches it', () => {
  // 127.1 is 127.0.0.1 to getaddrinfo, and no name RFC 1123 allows (its top label is all digits).
  it('--host 127.1: exit 2 at once, no connection made (it was made, the HTTP request sent, then the host refused)', async () => {
    const problem = 'target.host: expected a host name (RFC 1123) or an IPv4 or IPv6 address, got string "127.1"';
    const connections: Socket[] = [];
    const server = createServer((socket) => {
      connections.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const run = await collect(['--host', '127.1', '--url', `http://127.0.0.1:${port}/`]);
      expect(run).toEqual({ code: 2, stdout: '', stderr: `rca: input error: ${problem}\n` });
      expect(connections.length).toBe(0);
    } finally {
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('rca collect --host takes an internationalised name as --url does', () => {
  it('in punycode, as the URL\'s host is: it was refused as no host name; one with characters that end a URL\'s host is refused', async () => {
    // Asked only of a resolver on 127.0.0.1 that is not there: no name leaves this machine.
    const run = await collect(['--host', 'bücher.example', '--port', '9', '--dns-server', '127.0.0.1:9'], '1');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ facts: { 'target.host': 'xn--bcher-kva.example', 'target.port': 9, 'target.protocol': 'tcp', 'dns.result': 'timeout' } });
    expect(await collect(['--host', 'bücher.example\\evil', '--port', '9'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rca: input error: target.host: expected a host name (RFC 1123) or an internationalised one (IDNA: bücher.example), or an IPv4 or IPv6 address, got string "bücher.example\\\\evil"\n',
    });
  });
});
