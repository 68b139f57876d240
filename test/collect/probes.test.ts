import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDns } from '../../src/collect/probes/dns.js';
import { probeHttp } from '../../src/collect/probes/http.js';
import { findOnPath, probePing } from '../../src/collect/probes/ping.js';
import { probeTcp } from '../../src/collect/probes/tcp.js';
import { probeTls } from '../../src/collect/probes/tls.js';
import { artifactPath, withoutTimings } from './fixtures.js';
import { chain, closeAll, closedPort, makePki, startDnsServer, startHttpServer, startSilentServer, startTlsServer, type TestPki } from './servers.js';

let pki: TestPki;
let http: number;
let silent: number;
let closed: number;
let dnsServer: string;

beforeAll(async () => {
  pki = await makePki();
  [http, silent, closed] = await Promise.all([startHttpServer(), startSilentServer(), closedPort()]);
  dnsServer = `127.0.0.1:${await startDnsServer()}`;
});
afterAll(closeAll);


describe('tcp probe', () => {
  it('connects, and says refused for a closed port', async () => {
    const ok = await probeTcp('127.0.0.1', http, 2000);
    expect(withoutTimings(ok.facts, 'tcp.connect_ms')).toEqual({ 'tcp.connect': 'ok' });
    expect(await probeTcp('127.0.0.1', closed, 2000)).toEqual({ facts: { 'tcp.connect': 'refused' }, skipped: [] });
  });

  it('gives up at the timeout when the handshake never completes (a socket that never connects)', async () => {
    const sockets: Socket[] = [];
    const startedAt = Date.now();
    const outcome = await probeTcp('127.0.0.1', 9, 300, () => {
      const socket = new Socket();
      sockets.push(socket);
      return socket;
    });
    expect(outcome).toEqual({ facts: { 'tcp.connect': 'timeout' }, skipped: [] });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(sockets[0]?.destroyed).toBe(true);
  });
});

describe('tls probe', () => {
  /** Verified against the test root, as with --ca. */
  const target = (port: number, serverName = 'localhost', ca = pki.root) => ({ address: '127.0.0.1', port, serverName, ca });
  const days = (n: number) => expect.closeTo(n, 1) as number;

  it('verifies a complete chain from a trusted root: days left, the name, the chain', async () => {
    const port = await startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate), key: pki.leaf.key });
    const { facts } = await probeTls(target(port), 3000);
    expect(facts).toEqual({ 'tls.handshake': 'ok', 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.chain_complete': true });
  });

  it('fails the handshake for a root it does not trust, as curl does (a chain sent up to it says nothing about completeness)', async () => {
    const port = await startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate), key: pki.leaf.key });
    // No ca: Node's own list, which lacks the test root.
    const { facts } = await probeTls({ address: '127.0.0.1', port, serverName: 'localhost' }, 3000);
    // UNABLE_TO_GET_ISSUER_CERT_LOCALLY at the intermediate, whose issuer is in no store
    expect(facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'intermediate' });
  });

  it('turns each verification error into a failed handshake with its facts', async () => {
    const [leafOnly, expired, notYetValid, otherName, selfSigned] = await Promise.all([
      startTlsServer({ cert: pki.leaf.cert, key: pki.leaf.key }),
      startTlsServer({ cert: chain(pki.expired.cert, pki.intermediate), key: pki.expired.key }),
      startTlsServer({ cert: chain(pki.notYetValid.cert, pki.intermediate), key: pki.notYetValid.key }),
      startTlsServer({ cert: chain(pki.otherName.cert, pki.intermediate), key: pki.otherName.key }),
      startTlsServer({ cert: pki.selfSigned.cert, key: pki.selfSigned.key }),
    ]);
    // UNABLE_TO_VERIFY_LEAF_SIGNATURE: the intermediate is left out, which a leaf signed by a
    // root the client lacks would also give, so the chain's completeness stays unknown.
    expect((await probeTls(target(leafOnly), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    // CERT_HAS_EXPIRED
    expect((await probeTls(target(expired), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_days_left': days(-10), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    // CERT_NOT_YET_VALID: counted as expired, by the days until notBefore
    expect((await probeTls(target(notYetValid), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_days_left': days(-10), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    // ERR_TLS_CERT_ALTNAME_INVALID, after the chain verified
    expect((await probeTls(target(otherName), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.cert_name_match': false, 'tls.chain_complete': true, 'tls.cert_days_left': days(30), 'tls.failed_cert': 'leaf' });
    // DEPTH_ZERO_SELF_SIGNED_CERT: a self-signed leaf is its whole chain
    expect((await probeTls(target(selfSigned), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.chain_complete': true, 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    // SELF_SIGNED_CERT_IN_CHAIN: the whole chain, root included, sent to a client that trusts another root
    const withRoot = await startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate, pki.root), key: pki.leaf.key });
    expect((await probeTls(target(withRoot, 'localhost', pki.selfSigned.cert), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.chain_complete': true, 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'root' });
  });

  it('names the certificate of the chain an expiry is about, as s_client\'s depth does (tls.failed_cert)', async () => {
    const [expiredIntermediate, expiredLeaf, expiredRoot] = await Promise.all([
      startTlsServer({ cert: chain(pki.expiredIntermediate.leaf.cert, pki.expiredIntermediate.cert), key: pki.expiredIntermediate.leaf.key }),
      startTlsServer({ cert: chain(pki.expired.cert, pki.intermediate), key: pki.expired.key }),
      startTlsServer({ cert: chain(pki.expiredRoot.leaf.cert, pki.expiredRoot.intermediate), key: pki.expiredRoot.leaf.key }),
    ]);
    const expiredAt = (failedCert: string) => ({ 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_name_match': true, 'tls.failed_cert': failedCert });
    // The leaf has 30 days left: the intermediate the server sends is what expired.
    expect((await probeTls(target(expiredIntermediate), 3000)).facts).toEqual({ ...expiredAt('intermediate'), 'tls.cert_days_left': days(30) });
    expect((await probeTls(target(expiredLeaf), 3000)).facts).toEqual({ ...expiredAt('leaf'), 'tls.cert_days_left': days(-10) });
    // The root in the client's store expired: the top of the path.
    expect((await probeTls(target(expiredRoot, 'localhost', pki.expiredRoot.root), 3000)).facts).toEqual({ ...expiredAt('root'), 'tls.cert_days_left': days(30) });
    // Absence: a chain that verifies names no certificate.
    const valid = await startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate), key: pki.leaf.key });
    expect((await probeTls(target(valid), 3000)).facts).not.toHaveProperty('tls.failed_cert');
  });

  it('names the alert a server sends, and times out on a server that never answers the hello', async () => {
    // TLS 1.2 server demanding a client certificate the probe does not have: handshake_failure alert.
    const demanding = await startTlsServer({ cert: pki.leaf.cert, key: pki.leaf.key, maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true, ca: [pki.root] });
    expect(await probeTls(target(demanding), 3000)).toEqual({ facts: { 'tls.handshake': 'failed', 'tls.alert': 'handshake_failure' }, skipped: [] });
    const startedAt = Date.now();
    expect(await probeTls(target(silent), 400)).toEqual({ facts: { 'tls.handshake': 'timeout' }, skipped: [] });
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('leaves TCP failures to the tcp probe', async () => {
    expect(await probeTls(target(closed), 2000)).toEqual({ facts: {}, skipped: [{ probe: 'tls', reason: `TCP connect to 127.0.0.1:${closed} failed (ECONNREFUSED)` }] });
  });
});

describe('http probe', () => {
  it('times the first byte and the whole response', async () => {
    const slow = await probeHttp({ url: new URL(`http://127.0.0.1:${http}/slow`), address: '127.0.0.1', port: http }, 3000);
    expect(withoutTimings(slow.facts, 'http.ttfb_ms', 'http.latency_ms')).toEqual({ 'http.status': 200 });
    expect(slow.facts['http.ttfb_ms']).toBeGreaterThanOrEqual(290);
    const down = await probeHttp({ url: new URL(`http://127.0.0.1:${http}/down`), address: '127.0.0.1', port: http }, 3000);
    expect(withoutTimings(down.facts, 'http.ttfb_ms', 'http.latency_ms')).toEqual({ 'http.status': 503 });
  });

  it('a server that accepts and never answers: a timeout, which is what the user sees (symptom.kind), within the bound', async () => {
    const startedAt = Date.now();
    const outcome = await probeHttp({ url: new URL(`http://127.0.0.1:${silent}/`), address: '127.0.0.1', port: silent }, 400);
    expect(outcome).toEqual({ facts: { 'symptom.kind': 'timeout' }, skipped: [{ probe: 'http', reason: 'no HTTP response within 400 ms' }] });
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('over HTTPS verifies the certificate as curl does; --insecure requests anyway and says so', async () => {
    const selfSigned = await startTlsServer({ cert: pki.selfSigned.cert, key: pki.selfSigned.key });
    const target = { url: new URL(`https://localhost:${selfSigned}/`), address: '127.0.0.1', port: selfSigned };
    expect(await probeHttp(target, 3000, { ca: pki.root })).toEqual({
      facts: {},
      skipped: [{ probe: 'http', reason: 'certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT), as curl would refuse it: see the tls facts, or give --ca FILE / --insecure' }],
    });
    const insecure = await probeHttp(target, 3000, { ca: pki.root, insecure: true });
    expect(withoutTimings(insecure.facts, 'http.ttfb_ms', 'http.latency_ms')).toEqual({ 'http.status': 200 });
    expect(insecure.notes).toEqual([{ probe: 'http', note: 'certificate not verified (--insecure): the tls facts say whether it would have been' }]);
    const trusted = await probeHttp(target, 3000, { ca: pki.selfSigned.cert });
    expect(withoutTimings(trusted.facts, 'http.ttfb_ms', 'http.latency_ms')).toEqual({ 'http.status': 200 });
    expect(trusted.notes).toBeUndefined();
  });
});

describe('dns probe', () => {
  const ask = (name: string, timeoutMs = 2000) => probeDns(name, { timeoutMs, servers: [dnsServer] });

  it('maps answers and errors to dns.result', async () => {
    const ok = await ask('shop.example.test');
    expect(ok.addresses).toEqual(['127.0.0.1']);
    expect(withoutTimings(ok.facts, 'dns.resolve_ms')).toEqual({ 'dns.result': 'ok' });
    for (const [name, result] of [['nx.example.test', 'nxdomain'], ['fail.example.test', 'servfail'], ['refused.example.test', 'refused']] as const) {
      const outcome = await ask(name);
      expect(withoutTimings(outcome.facts, 'dns.resolve_ms')).toEqual({ 'dns.result': result });
      expect(outcome.addresses).toEqual([]);
    }
  });

  it('times out on a server that never answers, within the bound', async () => {
    const startedAt = Date.now();
    expect(await ask('silent.example.test', 500)).toEqual({ facts: { 'dns.result': 'timeout' }, skipped: [], addresses: [] });
    expect(Date.now() - startedAt).toBeLessThan(2500);
  });

  it('a closed resolver port: no server answers, a timeout as dig and the system resolver see it', async () => {
    const outcome = await probeDns('shop.example.test', { timeoutMs: 1000, servers: [`127.0.0.1:${closed}`] });
    expect(outcome).toEqual({ facts: { 'dns.result': 'timeout' }, skipped: [], addresses: [] });
  });
});

describe('ping probe', () => {
  const fakePingDir = mkdtempSync(join(tmpdir(), 'rca-ping-'));
  /** A `ping` that prints a captured output, to test the probe without ICMP. */
  function fakePing(output: string, exitCode = 0): string {
    const dir = mkdtempSync(join(fakePingDir, 'bin-'));
    writeFileSync(join(dir, 'ping'), `#!/bin/sh\ncat '${output}'\nexit ${exitCode}\n`);
    chmodSync(join(dir, 'ping'), 0o755);
    return dir;
  }

  it('reads ping and, when small pings pass, the don\'t-fragment ping', async () => {
    const outcome = await probePing('127.0.0.1', { timeoutMs: 3000, path: fakePing(artifactPath('ping', 'linux-ok.txt')), platform: 'linux' });
    // The fake answers both runs with the same 56-byte capture, which the MTU check refuses as too small.
    expect(outcome.facts).toEqual({ 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.076, 'ping.rtt_max_ms': 0.203 });
    expect(outcome.skipped).toEqual([{ probe: 'ping-mtu', reason: 'ping gave no statistics: PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.' }]);
  });

  it('reports loss without the MTU check, and BSD ping the same way', async () => {
    const loss = await probePing('192.0.2.10', { timeoutMs: 3000, path: fakePing(artifactPath('ping', 'macos-partial-loss.txt')), platform: 'darwin' });
    expect(loss).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 25, 'ping.rtt_avg_ms': 30.146, 'ping.rtt_max_ms': 48.907 }, skipped: [] });
  });

  it('is skipped, with the reason, when there is no ping or it cannot run', async () => {
    expect(await probePing('127.0.0.1', { timeoutMs: 1000, path: '/nonexistent' })).toEqual({ facts: {}, skipped: [{ probe: 'ping', reason: 'no ping binary on PATH' }] });
    const denied = join(fakePingDir, 'denied.txt');
    writeFileSync(denied, 'ping: socket: Operation not permitted\n');
    expect(await probePing('127.0.0.1', { timeoutMs: 1000, path: fakePing(denied, 2), platform: 'linux' })).toEqual({
      facts: {},
      skipped: [{ probe: 'ping', reason: 'ping gave no statistics: ping: socket: Operation not permitted' }],
    });
  });

  // .ci/run installs iputils-ping, so this runs (and must pass) everywhere the suite runs.
  it('pings 127.0.0.1 with the real ping', async () => {
    expect(findOnPath('ping', process.env.PATH ?? ''), 'ping on PATH (apt-get install iputils-ping)').toBeDefined();
    const outcome = await probePing('127.0.0.1', { timeoutMs: 4000 });
    expect(outcome.skipped).toEqual([]);
    expect(withoutTimings(outcome.facts, 'ping.rtt_avg_ms', 'ping.rtt_max_ms')).toEqual({ 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.large_packet_fail': false });
  });
});
