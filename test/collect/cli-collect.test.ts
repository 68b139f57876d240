import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../cli/run.js';
import { expectFactsDocument } from '../schema-output.js';
import { artifactPath, withoutTimings } from './fixtures.js';
import { chain, closeAll, closedPort, makePki, startDnsServer, startHttpServer, startSilentServer, startTlsServer, type TestPki } from './servers.js';

type Facts = Record<string, unknown>;

const tmp = mkdtempSync(join(tmpdir(), 'rca-collect-'));
/** PATH with a `ping` that prints a real capture: the same facts on every machine, no ICMP needed. */
const fakePingPath = join(tmp, 'bin');
let pki: TestPki;
let rootCaFile: string;
let ports: { http: number; silent: number; closed: number; dns: number; https: number; leafOnly: number; expired: number; otherName: number; selfSigned: number; slowHandshake: number };

beforeAll(async () => {
  mkdirSync(fakePingPath);
  writeFileSync(join(fakePingPath, 'ping'), `#!/bin/sh\ncat '${artifactPath('ping', 'linux-ok.txt')}'\n`);
  chmodSync(join(fakePingPath, 'ping'), 0o755);
  pki = await makePki();
  rootCaFile = join(tmp, 'root.pem');
  writeFileSync(rootCaFile, pki.root);
  const [http, silent, closed, dns, https, leafOnly, expired, otherName, selfSigned, slowHandshake] = await Promise.all([
    startHttpServer(),
    startSilentServer(),
    closedPort(),
    startDnsServer(),
    startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate), key: pki.leaf.key }),
    startTlsServer({ cert: pki.leaf.cert, key: pki.leaf.key }),
    startTlsServer({ cert: chain(pki.expired.cert, pki.intermediate), key: pki.expired.key }),
    startTlsServer({ cert: chain(pki.otherName.cert, pki.intermediate), key: pki.otherName.key }),
    startTlsServer({ cert: pki.selfSigned.cert, key: pki.selfSigned.key }),
    // Its handshake waits 400 ms for the certificate (SNICallback), then it answers at once.
    startTlsServer({
      cert: chain(pki.leaf.cert, pki.intermediate),
      key: pki.leaf.key,
      SNICallback: (_name, done) => setTimeout(() => done(null, createSecureContext({ cert: chain(pki.leaf.cert, pki.intermediate), key: pki.leaf.key })), 400),
    }),
  ]);
  ports = { http, silent, closed, dns, https, leafOnly, expired, otherName, selfSigned, slowHandshake };
});
afterAll(closeAll);

/** rca collect without /proc facts (they vary), with the fake ping and the test root CA trusted (--ca), unless `systemTrust`. */
function collect(args: string[], options: { hostFacts?: boolean; systemTrust?: boolean } = {}): Promise<CliRun> {
  const flags = [...(options.hostFacts ? [] : ['--no-host-facts']), ...(options.systemTrust ? [] : ['--ca', rootCaFile])];
  return runCli(['collect', ...args, ...flags], { env: { PATH: `${fakePingPath}:${process.env.PATH ?? ''}` } });
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

  it('HTTPS with SNI: a complete chain, the name, the days left', async () => {
    const facts = factsOf(await collect(['--host', '127.0.0.1', '--url', `https://localhost:${ports.https}/`]));
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

  it('prints a diagnose request of facts only, with the host facts too: diagnose-request.schema.json, each fact of facts.schema.json', async () => {
    const run = await collect(['--host', '127.0.0.1', '--url', `https://localhost:${ports.https}/`], { hostFacts: true });
    expect(run.code).toBe(0);
    expectFactsDocument(JSON.parse(run.stdout));
  });

  it('HTTPS: the first byte is counted from the request, once the handshake is up, as the fact and curl -w say', async () => {
    const facts = factsOf(await collect(['--host', '127.0.0.1', '--url', `https://localhost:${ports.slowHandshake}/`]));
    expect([facts['tls.handshake'], facts['http.status']]).toEqual(['ok', 200]);
    // The 400 ms the handshake waited count in the whole request, not in the server's answer.
    expect(facts['http.latency_ms']).toBeGreaterThanOrEqual(400);
    expect(facts['http.ttfb_ms']).toBeLessThan(300);
  });

  it('HTTPS: a missing intermediate, an expired certificate, one for another name fail the handshake, as curl does', async () => {
    const tlsRun = async (port: number) => {
      const run = await collect(['--host', '127.0.0.1', '--port', String(port), '--url', `https://localhost:${port}/`]);
      const facts = factsOf(run);
      expect(facts).not.toHaveProperty('http.status');
      return { tls: Object.fromEntries(Object.entries(facts).filter(([name]) => name.startsWith('tls.'))), skipped: skippedLines(run) };
    };
    // The leaf alone, its issuer neither sent nor the root given with --ca: the server leaves the intermediate out.
    const leafOnly = await tlsRun(ports.leafOnly);
    expect(leafOnly.tls).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': expect.closeTo(30, 1) as number, 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf', 'tls.chain_complete': false });
    expect(leafOnly.skipped).toContain('rca: collect: skipped http: certificate verification failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE), as curl would refuse it: see the tls facts, or give --ca FILE / --insecure');
    expect((await tlsRun(ports.expired)).tls).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': expect.closeTo(-10, 1) as number, 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    const otherName = await tlsRun(ports.otherName);
    expect(otherName.tls).toEqual({ 'tls.handshake': 'failed', 'tls.cert_days_left': expect.closeTo(30, 1) as number, 'tls.cert_name_match': false, 'tls.chain_complete': true, 'tls.failed_cert': 'leaf' });
    expect(otherName.skipped).toContain('rca: collect: skipped http: certificate verification failed (ERR_TLS_CERT_ALTNAME_INVALID), as curl would refuse it: see the tls facts, or give --ca FILE / --insecure');
  });

  it('a self-signed certificate (curl exit 60) fails against the system trust store, and --diagnose rules out only what the facts refute', async () => {
    const url = `https://localhost:${ports.selfSigned}/`;
    const run = await collect(['--host', '127.0.0.1', '--url', url], { systemTrust: true });
    const facts = factsOf(run);
    expect(withoutTimings(facts, 'tcp.connect_ms')).toEqual({
      'target.host': '127.0.0.1',
      'target.port': ports.selfSigned,
      'target.url': url,
      'target.protocol': 'https',
      'tcp.connect': 'ok',
      'tls.handshake': 'failed',
      'tls.alert': 'unknown_ca',
      'tls.chain_complete': true,
      'tls.cert_days_left': expect.closeTo(30, 1) as number,
      'tls.cert_name_match': true,
      'tls.failed_cert': 'leaf',
      ...PING,
    });
    expect(skippedLines(run)).toContain('rca: collect: skipped http: certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT), as curl would refuse it: see the tls facts, or give --ca FILE / --insecure');
    // Without --ca a leaf sent alone may be a private root's: the chain stays unknown, and a note says how to tell.
    const leafOnly = await collect(['--host', '127.0.0.1', '--url', `https://localhost:${ports.leafOnly}/`], { systemTrust: true });
    expect(factsOf(leafOnly)).not.toHaveProperty('tls.chain_complete');
    expect(skippedLines(leafOnly)).toContain(
      "rca: collect: note: tls: the leaf's issuer (CN=rca test intermediate) was neither sent nor trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): the server leaves out an intermediate, " +
        'or the issuer is a private CA this client lacks; tls.chain_complete stays unknown. Rerun with --ca FILE holding the root the clients trust: the same error then means the server leaves out an intermediate',
    );
    const diagnosed = await runCli(['diagnose', '-', '--format', 'json'], { input: run.stdout });
    const ruledOut = (JSON.parse(diagnosed.stdout) as { ruledOut: Array<{ id: string }> }).ruledOut.map((h) => h.id).filter((id) => id.startsWith('tls.'));
    // Each refuted by a fact the probe saw: 30 days left, the name covered (so SNI got the right
    // certificate), an unknown-CA verdict (versions were agreed), a self-signed leaf that is its
    // whole chain (no intermediate to leave out). The trust store stays open.
    expect(ruledOut.sort()).toEqual(['tls.cert_expired', 'tls.cert_name_mismatch', 'tls.incomplete_chain', 'tls.sni_missing', 'tls.version_mismatch']);
    const report = await collect(['--host', '127.0.0.1', '--url', url, '--diagnose'], { systemTrust: true });
    expect(report.code).toBe(0);
    expect(report.stdout).not.toContain('tls.handshake_completes');
  });

  it('--ca trusts a private CA; --insecure requests anyway, says so, and still reports the failed verification', async () => {
    const url = `https://localhost:${ports.selfSigned}/`;
    const selfSignedCa = join(tmp, 'self-signed.pem');
    writeFileSync(selfSignedCa, pki.selfSigned.cert);
    const trusted = factsOf(await runCli(['collect', '--host', '127.0.0.1', '--url', url, '--ca', selfSignedCa, '--no-host-facts'], { env: { PATH: `${fakePingPath}:${process.env.PATH ?? ''}` } }));
    expect(trusted).toMatchObject({ 'tls.handshake': 'ok', 'tls.cert_name_match': true, 'tls.chain_complete': true, 'http.status': 200 });
    const insecure = await collect(['--host', '127.0.0.1', '--url', url, '--insecure'], { systemTrust: true });
    expect(factsOf(insecure)).toMatchObject({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'http.status': 200 });
    expect(skippedLines(insecure)).toContain('rca: collect: note: http: certificate not verified (--insecure): the tls facts say whether it would have been');
  });

  it('a closed port: refused, and TLS and HTTP are not tried', async () => {
    const run = await collect(['--url', `https://127.0.0.1:${ports.closed}/`]);
    expect(factsOf(run)).toEqual({ 'target.host': '127.0.0.1', 'target.port': ports.closed, 'target.url': `https://127.0.0.1:${ports.closed}/`, 'target.protocol': 'https', 'tcp.connect': 'refused', ...PING });
    expect(skippedLines(run)).toContain('rca: collect: skipped tls: the TCP connect was refused');
    expect(skippedLines(run)).toContain('rca: collect: skipped http: the TCP connect was refused');
  });

  it('--port other than the URL\'s: the connections go to --port, and a note says so', async () => {
    const run = await collect(['--url', `http://127.0.0.1:${ports.closed}/`, '--port', String(ports.http)]);
    expect(factsOf(run)).toMatchObject({ 'target.port': ports.http, 'target.url': `http://127.0.0.1:${ports.closed}/`, 'http.status': 200 });
    expect(skippedLines(run)).toContain(`rca: collect: note: target: connecting to port ${ports.http} (--port), not the --url's port ${ports.closed}: the facts are those of port ${ports.http}`);
  });

  // HTTPS: the TLS handshake times out first; HTTP: the request. Either way the user sees a timeout.
  it.each([
    ['https', '1', { 'tls.handshake': 'timeout' }],
    ['http', '1', {}],
  ] as const)('a server that accepts and never answers over %s: the timeout is a fact (symptom.kind), within the bound', async (protocol, seconds, tls) => {
    const startedAt = Date.now();
    const url = `${protocol}://127.0.0.1:${ports.silent}/`;
    const run = await collect(['--url', url, '--timeout', seconds]);
    expect(withoutTimings(factsOf(run), 'tcp.connect_ms')).toEqual({
      'target.host': '127.0.0.1',
      'target.port': ports.silent,
      'target.url': url,
      'target.protocol': protocol,
      'tcp.connect': 'ok',
      ...tls,
      'symptom.kind': 'timeout',
      ...PING,
    });
    expect(skippedLines(run)).toContain(`rca: collect: skipped http: no HTTP response within ${Number(seconds) * 1000} ms`);
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

  it('--diagnose takes the report options of rca diagnose: --format, --top, --lang', async () => {
    const run = await collect(['--url', `http://127.0.0.1:${ports.closed}/`, '--diagnose', '-f', 'json', '--top', '1', '--lang', 'zh-CN']);
    expect(run.code).toBe(0);
    const diagnosis = JSON.parse(run.stdout) as { lang: string; hypotheses: unknown[]; facts: Facts };
    expect([diagnosis.lang, diagnosis.hypotheses.length, diagnosis.facts['tcp.connect']]).toEqual(['zh-CN', 1, 'refused']);
    expect((await collect(['--url', `http://127.0.0.1:${ports.closed}/`, '--diagnose', '--format', 'markdown'])).stdout).toMatch(/^### rca diagnosis\n/);
  });

  it('refuses the report options without --diagnose, and those the report cannot take, before probing', async () => {
    const usage = (line: string) => ({ code: 2, stdout: '', stderr: `rca: usage error: ${line}\nRun 'rca collect --help' for usage.\n` });
    const url = `http://127.0.0.1:${ports.closed}/`;
    expect(await collect(['--url', url, '-f', 'json'])).toEqual(usage('--format: expected --diagnose beside it (collect alone prints the facts as JSON), got no --diagnose'));
    expect(await collect(['--url', url, '--top', '2'])).toEqual(usage('--top: expected --diagnose beside it (collect alone prints the facts as JSON), got no --diagnose'));
    expect(await collect(['--url', url, '--diagnose', '--top', '0'])).toEqual(usage('--top: expected a whole number >= 1, got 0'));
    expect(await collect(['--url', url, '--diagnose', '--lang', 'fr'])).toEqual(usage('--lang: expected a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY, got "fr"'));
  });

  it('refuses bad options', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /^rca: usage error: give --host HOST \(or --url URL\)/],
      [['--url', 'ftp://example.test/'], /^rca: usage error: --url: expected an http:\/\/ or https:\/\/ URL, got "ftp:\/\/example.test\/"/],
      [['--host', '127.0.0.1', '--port', '70000'], /^rca: usage error: --port: expected a whole number from 1 to 65535, got 70000/],
      [['--host', '127.0.0.1', '--timeout', '0'], /^rca: usage error: --timeout: expected seconds from 1 to 600, got 0\n/],
      // Under 1 s a path that drops one SYN reads as a connect timeout, and /proc rates span a clock tick (0.001 gave 2000% CPU).
      [['--host', '127.0.0.1', '--timeout', '0.001'], /^rca: usage error: --timeout: expected seconds from 1 to 600, got 0.001\n/],
      [['--host', '127.0.0.1', '--timeout', '600.5'], /^rca: usage error: --timeout: expected seconds from 1 to 600, got 600.5\n/],
      [['--host', '127.0.0.1', '--pid', '-3'], /^rca: usage error: --pid: expected a process id/],
      // Refused before any probe sends it, and not echoed.
      [['--url', 'http://user:s3cret@127.0.0.1:9/x'], /^rca: usage error: --url: expected a URL without user:password@ \(probes would send it and the facts keep it\), got one with credentials\n/],
    ];
    const notPem = join(tmp, 'not-pem.txt');
    writeFileSync(notPem, 'hello\n');
    const badPem = join(tmp, 'bad.pem');
    writeFileSync(badPem, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    const inputCases: Array<[string[], string]> = [
      [['--ca', join(tmp, 'missing.pem')], `rca: input error: --ca: expected a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----), got ${join(tmp, 'missing.pem')}: nothing there (not found)\n`],
      [['--ca', notPem], `rca: input error: --ca: expected a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----), got ${notPem}: no certificate in it\n`],
      [['--ca', badPem], `rca: input error: --ca: expected a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----), got ${badPem}: certificate 1 does not parse\n`],
    ];
    for (const [args, message] of inputCases) {
      const run = await runCli(['collect', '--host', '127.0.0.1', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(message);
    }
    for (const [args, message] of cases) {
      const run = await collect(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    }
  });
});
