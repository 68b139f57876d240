import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, runCli, type CliRun } from '../cli/run.js';
import { artifactPath, withoutTimings } from './fixtures.js';
import { chain, closeAll, closedPort, makePki, startDnsServer, startHttpServer, startSilentServer, startTlsServer, type TestPki } from './servers.js';

type Facts = Record<string, unknown>;

const tmp = mkdtempSync(join(tmpdir(), 'rca-collect-'));
/** PATH with a `ping` that prints a real capture: the same facts on every machine, no ICMP needed. */
const fakePingPath = join(tmp, 'bin');
let pki: TestPki;
let rootCaFile: string;
let ports: { http: number; silent: number; closed: number; dns: number; https: number; leafOnly: number; expired: number; otherName: number };

beforeAll(async () => {
  mkdirSync(fakePingPath);
  writeFileSync(join(fakePingPath, 'ping'), `#!/bin/sh\ncat '${artifactPath('ping', 'linux-ok.txt')}'\n`);
  chmodSync(join(fakePingPath, 'ping'), 0o755);
  pki = await makePki();
  rootCaFile = join(tmp, 'root.pem');
  writeFileSync(rootCaFile, pki.root);
  const [http, silent, closed, dns, https, leafOnly, expired, otherName] = await Promise.all([
    startHttpServer(),
    startSilentServer(),
    closedPort(),
    startDnsServer(),
    startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate), key: pki.leaf.key }),
    startTlsServer({ cert: pki.leaf.cert, key: pki.leaf.key }),
    startTlsServer({ cert: chain(pki.expired.cert, pki.intermediate), key: pki.expired.key }),
    startTlsServer({ cert: chain(pki.otherName.cert, pki.intermediate), key: pki.otherName.key }),
  ]);
  ports = { http, silent, closed, dns, https, leafOnly, expired, otherName };
});
afterAll(closeAll);

/**
 * rca collect without /proc facts (they vary), with the fake ping. In-process, except where a
 * test needs the test root CA trusted: Node reads NODE_EXTRA_CA_CERTS only when a process
 * starts, so those runs spawn the bin (smoke tests of the process-wide CA store).
 */
function collect(args: string[], options: { hostFacts?: boolean; trustTestRoot?: boolean } = {}): Promise<CliRun> {
  const argv = ['collect', ...args, ...(options.hostFacts ? [] : ['--no-host-facts'])];
  const env = { PATH: `${fakePingPath}:${process.env.PATH ?? ''}` };
  return options.trustTestRoot ? runBin(argv, { env: { ...env, NODE_EXTRA_CA_CERTS: rootCaFile } }) : runCli(argv, { env });
}

function factsOf(run: CliRun): Facts {
  expect(run.code).toBe(0);
  const output = JSON.parse(run.stdout) as Record<string, unknown>;
  // Exactly {facts}: what `rca diagnose -` accepts.
  expect(Object.keys(output)).toEqual(['facts']);
  return output.facts as Facts;
}


const PING = { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.076, 'ping.rtt_max_ms': 0.203 };
const skippedLines = (run: CliRun) => run.stderr.trimEnd().split('\n').filter(Boolean);

describe('rca collect against servers on 127.0.0.1', () => {
  it('HTTP: target, TCP, HTTP and ping facts on stdout, skipped probes on stderr', async () => {
    const run = await collect(['--url', `http://127.0.0.1:${ports.http}/slow`, '--timeout', '3']);
    const facts = factsOf(run);
    expect(withoutTimings(facts, 'tcp.connect_ms', 'http.ttfb_ms', 'http.latency_ms')).toEqual({
      'target.host': '127.0.0.1',
      'target.port': ports.http,
      'target.url': `http://127.0.0.1:${ports.http}/slow`,
      'target.protocol': 'http',
      'tcp.connect': 'ok',
      'http.status': 200,
      ...PING,
    });
    expect(facts['http.ttfb_ms']).toBeGreaterThanOrEqual(290);
    expect(skippedLines(run)).toEqual([
      'rca: collect: skipped dns: 127.0.0.1 is an IP address: nothing to resolve',
      'rca: collect: skipped ping-mtu: ping gave no statistics: PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.',
      'rca: collect: skipped host: turned off (--no-host-facts)',
    ]);
  });

  it('HTTPS with SNI: a complete chain, the name, the days left (smoke: spawned, trusting the test root CA)', async () => {
    const facts = factsOf(await collect(['--host', '127.0.0.1', '--url', `https://localhost:${ports.https}/`], { trustTestRoot: true }));
    expect(withoutTimings(facts, 'tcp.connect_ms', 'http.ttfb_ms', 'http.latency_ms')).toEqual({
      'target.host': '127.0.0.1',
      'target.port': ports.https,
      'target.url': `https://localhost:${ports.https}/`,
      'target.protocol': 'https',
      'tcp.connect': 'ok',
      'tls.handshake': 'ok',
      'tls.cert_days_left': expect.closeTo(30, 1) as number,
      'tls.cert_name_match': true,
      'tls.chain_complete': true,
      'http.status': 200,
      ...PING,
    });
  });

  it('HTTPS: a missing intermediate, an expired certificate, one for another name (smoke: spawned, trusting the test root CA)', async () => {
    const tlsFacts = async (port: number) => {
      const facts = factsOf(await collect(['--host', '127.0.0.1', '--port', String(port), '--url', `https://localhost:${port}/`], { trustTestRoot: true }));
      return Object.fromEntries(Object.entries(facts).filter(([name]) => name.startsWith('tls.')));
    };
    expect(await tlsFacts(ports.leafOnly)).toEqual({ 'tls.handshake': 'ok', 'tls.cert_days_left': expect.closeTo(30, 1) as number, 'tls.cert_name_match': true, 'tls.chain_complete': false });
    expect(await tlsFacts(ports.expired)).toEqual({ 'tls.handshake': 'ok', 'tls.cert_days_left': expect.closeTo(-10, 1) as number, 'tls.cert_name_match': true });
    expect(await tlsFacts(ports.otherName)).toEqual({ 'tls.handshake': 'ok', 'tls.cert_days_left': expect.closeTo(30, 1) as number, 'tls.cert_name_match': false, 'tls.chain_complete': true });
  });

  it('a closed port: refused, and TLS and HTTP are not tried', async () => {
    const run = await collect(['--url', `https://127.0.0.1:${ports.closed}/`]);
    expect(factsOf(run)).toEqual({ 'target.host': '127.0.0.1', 'target.port': ports.closed, 'target.url': `https://127.0.0.1:${ports.closed}/`, 'target.protocol': 'https', 'tcp.connect': 'refused', ...PING });
    expect(skippedLines(run)).toContain('rca: collect: skipped tls: the TCP connect was refused');
    expect(skippedLines(run)).toContain('rca: collect: skipped http: the TCP connect was refused');
  });

  it('a server that accepts and never answers: TLS times out and HTTP gives up, within the bound', async () => {
    const startedAt = Date.now();
    const run = await collect(['--url', `https://127.0.0.1:${ports.silent}/`, '--timeout', '1']);
    expect(withoutTimings(factsOf(run), 'tcp.connect_ms')).toEqual({
      'target.host': '127.0.0.1',
      'target.port': ports.silent,
      'target.url': `https://127.0.0.1:${ports.silent}/`,
      'target.protocol': 'https',
      'tcp.connect': 'ok',
      'tls.handshake': 'timeout',
      ...PING,
    });
    expect(skippedLines(run)).toContain('rca: collect: skipped http: no HTTP response within 1000 ms');
    expect(Date.now() - startedAt).toBeLessThan(8000);
  });

  it('DNS through a given resolver: the answer is used to connect; NXDOMAIN stops what needs an address', async () => {
    const dns = ['--dns-server', `127.0.0.1:${ports.dns}`];
    const ok = factsOf(await collect(['--url', `http://shop.example.test:${ports.http}/`, ...dns]));
    expect(withoutTimings(ok, 'dns.resolve_ms', 'tcp.connect_ms', 'http.ttfb_ms', 'http.latency_ms')).toMatchObject({ 'dns.result': 'ok', 'tcp.connect': 'ok', 'http.status': 200 });
    const nx = await collect(['--url', `http://nx.example.test:${ports.http}/`, ...dns]);
    expect(withoutTimings(factsOf(nx), 'dns.resolve_ms')).toEqual({
      'target.host': 'nx.example.test',
      'target.port': ports.http,
      'target.url': `http://nx.example.test:${ports.http}/`,
      'target.protocol': 'http',
      'dns.result': 'nxdomain',
    });
    expect(skippedLines(nx)).toContain('rca: collect: skipped tcp: nx.example.test did not resolve (nxdomain)');
  });

  it('host facts from /proc for the app given with --pid', async () => {
    const app = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      const facts = factsOf(await collect(['--url', `http://127.0.0.1:${ports.http}/`, '--pid', String(app.pid)], { hostFacts: true }));
      expect(facts['proc.app_pid']).toBe(app.pid);
      for (const name of ['host.cpu_pct', 'host.iowait_pct', 'host.cpu_steal_pct', 'host.mem_available_pct', 'proc.fd_used_pct']) {
        expect(facts[name], name).toBeTypeOf('number');
        expect(facts[name] as number, name).toBeGreaterThanOrEqual(0);
        expect(facts[name] as number, name).toBeLessThanOrEqual(100);
      }
      expect(facts['host.load_per_cpu']).toBeTypeOf('number');
      expect(facts['kernel.time_wait_count']).toBeTypeOf('number');
      expect(facts['tcp.close_wait_count']).toBeTypeOf('number');
      expect(facts['host.swapping']).toBeTypeOf('boolean');
      expect(facts['kernel.listen_overflows']).toBeTypeOf('boolean');
    } finally {
      app.kill();
    }
  });

  it('pipes into rca diagnose -, and --diagnose prints the report itself', async () => {
    const collected = await collect(['--url', `http://127.0.0.1:${ports.closed}/`]);
    const diagnosed = await runCli(['diagnose', '-', '--format', 'json'], { input: collected.stdout });
    expect(diagnosed.code).toBe(0);
    expect((JSON.parse(diagnosed.stdout) as { hypotheses: unknown[] }).hypotheses.length).toBeGreaterThan(0);
    const report = await collect(['--url', `http://127.0.0.1:${ports.closed}/`, '--diagnose']);
    expect(report.code).toBe(0);
    expect(report.stdout).not.toMatch(/^\{/);
    expect(report.stdout).toContain('tcp.connect');
  });

  it('refuses bad options', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /^rca: usage error: give --host HOST \(or --url URL\)/],
      [['--url', 'ftp://example.test/'], /^rca: usage error: --url: expected an http:\/\/ or https:\/\/ URL, got "ftp:\/\/example.test\/"/],
      [['--host', '127.0.0.1', '--port', '70000'], /^rca: usage error: --port: expected a whole number from 1 to 65535, got 70000/],
      [['--host', '127.0.0.1', '--timeout', '0'], /^rca: usage error: --timeout: expected seconds between 0 and 600, got 0/],
      [['--host', '127.0.0.1', '--pid', '-3'], /^rca: usage error: --pid: expected a process id/],
    ];
    for (const [args, message] of cases) {
      const run = await collect(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    }
  });
});
