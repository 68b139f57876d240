import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupSystem, probeDns, type SystemResolver } from '../../src/collect/probes/dns.js';
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
    // UNABLE_TO_VERIFY_LEAF_SIGNATURE against the root given as the clients' (--ca): the leaf needs the intermediate the server leaves out.
    expect(await probeTls({ ...target(leafOnly), caGiven: true }, 3000)).toEqual({
      facts: { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf', 'tls.chain_complete': false },
      skipped: [],
    });
    // CERT_HAS_EXPIRED
    expect((await probeTls(target(expired), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': days(-10), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    // CERT_NOT_YET_VALID: counted as expired, by the days until notBefore
    expect((await probeTls(target(notYetValid), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': true, 'tls.cert_days_left': days(-10), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    // ERR_TLS_CERT_ALTNAME_INVALID, after the chain verified
    expect((await probeTls(target(otherName), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.cert_name_match': false, 'tls.chain_complete': true, 'tls.cert_days_left': days(30), 'tls.failed_cert': 'leaf' });
    // DEPTH_ZERO_SELF_SIGNED_CERT: a self-signed leaf is its whole chain
    expect((await probeTls(target(selfSigned), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.chain_complete': true, 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' });
    // SELF_SIGNED_CERT_IN_CHAIN: the whole chain, root included, sent to a client that trusts another root
    const withRoot = await startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate, pki.root), key: pki.leaf.key });
    expect((await probeTls(target(withRoot, 'localhost', pki.selfSigned.cert), 3000)).facts).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.chain_complete': true, 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'root' });
  });

  it('a leaf sent without its issuer is an incomplete chain against the clients\' root (--ca); against another store it stays unknown, with a note', async () => {
    const [leafOnly, wrongIntermediate, rootSigned, whole] = await Promise.all([
      startTlsServer({ cert: pki.leaf.cert, key: pki.leaf.key }),
      // An intermediate, but not the one that issued the leaf: the leaf's issuer is still not sent.
      startTlsServer({ cert: chain(pki.leaf.cert, pki.expiredRoot.intermediate), key: pki.leaf.key }),
      startTlsServer({ cert: pki.rootSigned.cert, key: pki.rootSigned.key }),
      startTlsServer({ cert: chain(pki.leaf.cert, pki.intermediate), key: pki.leaf.key }),
    ]);
    const givenRoot = (port: number) => ({ ...target(port), caGiven: true });
    expect((await probeTls(givenRoot(wrongIntermediate), 3000)).facts).toMatchObject({ 'tls.handshake': 'failed', 'tls.failed_cert': 'leaf', 'tls.chain_complete': false });
    // A leaf the root issued directly needs no intermediate: with that root it verifies, and the chain is whole.
    expect((await probeTls(givenRoot(rootSigned), 3000)).facts).toMatchObject({ 'tls.handshake': 'ok', 'tls.chain_complete': true });
    // Against a store that lacks the root (the system's, for a private CA), the leaf-only server
    // and the root-signed leaf fail alike (lab 195): neither says the chain is incomplete.
    const otherStore = (port: number) => ({ ...target(port, 'localhost', pki.selfSigned.cert), caGiven: false });
    const unknownIssuer = { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': days(30), 'tls.cert_name_match': true, 'tls.failed_cert': 'leaf' };
    const note = (issuer: string) => ({
      probe: 'tls',
      note:
        `the leaf's issuer (CN=${issuer}) was neither sent nor trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): the server leaves out an intermediate, or the issuer is a private CA this client lacks; ` +
        'tls.chain_complete stays unknown. Rerun with --ca FILE holding the root the clients trust: the same error then means the server leaves out an intermediate',
    });
    expect(await probeTls(otherStore(leafOnly), 3000)).toEqual({ facts: unknownIssuer, skipped: [], notes: [note('rca test intermediate')] });
    expect(await probeTls(otherStore(rootSigned), 3000)).toEqual({ facts: unknownIssuer, skipped: [], notes: [note('rca test root')] });
    // The whole chain sent to a store without its root: the top's issuer is missing, not the leaf's; no note.
    const untrustedRoot = await probeTls(otherStore(whole), 3000);
    expect(untrustedRoot.facts).not.toHaveProperty('tls.chain_complete');
    expect(untrustedRoot.notes).toBeUndefined();
  });

  it('names the certificate of the chain an expiry is about, as s_client\'s depth does (tls.failed_cert)', async () => {
    const [expiredIntermediate, expiredLeaf, expiredRoot] = await Promise.all([
      startTlsServer({ cert: chain(pki.expiredIntermediate.leaf.cert, pki.expiredIntermediate.cert), key: pki.expiredIntermediate.leaf.key }),
      startTlsServer({ cert: chain(pki.expired.cert, pki.intermediate), key: pki.expired.key }),
      startTlsServer({ cert: chain(pki.expiredRoot.leaf.cert, pki.expiredRoot.intermediate), key: pki.expiredRoot.leaf.key }),
    ]);
    const expiredAt = (failedCert: string) => ({ 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_name_match': true, 'tls.failed_cert': failedCert });
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

  /** A system resolver that reads a hosts table only, failing other names with `failure` (ENOTFOUND: not in the table, as getaddrinfo says it). */
  const hostsTable =
    (table: Record<string, string[]>, failure = 'ENOTFOUND'): SystemResolver =>
    (name) => {
      const addresses = table[name];
      return addresses ? Promise.resolve(addresses) : Promise.reject(Object.assign(new Error(`getaddrinfo ${failure} ${name}`), { code: failure }));
    };
  /** The probe as rca collect runs it without --dns-server: the system's answer, and the test DNS server queried beside it. */
  const asClients = (name: string, resolve: SystemResolver, timeoutMs = 2000) => probeDns(name, { timeoutMs, servers: [dnsServer], system: lookupSystem(name, timeoutMs, resolve) });

  it('a name only in /etc/hosts resolves as clients see it, though no DNS server answers: ok, and a note says where it came from (lab 201 case 07)', async () => {
    const hosts = hostsTable({ 'silent.h201.test': ['127.0.0.1'], 'nx.h201.test': ['127.0.0.2'] });
    const startedAt = Date.now();
    const outcome = await asClients('silent.h201.test', hosts, 500);
    expect(withoutTimings(outcome.facts, 'dns.resolve_ms')).toEqual({ 'dns.result': 'ok' });
    expect(outcome.facts['dns.resolve_ms']).toBeLessThan(100);
    expect(outcome.addresses).toEqual(['127.0.0.1']);
    const note = (name: string, servers: string) => ({
      probe: 'dns',
      note:
        `${name} resolves through the system's resolver (getaddrinfo, as curl and most clients ask it) but the DNS servers gave ${servers}: ` +
        'the name comes from /etc/hosts or another source /etc/nsswitch.conf lists, which no DNS query (dig) sees; dns.result is what clients get',
    });
    expect(outcome.notes).toEqual([note('silent.h201.test', 'timeout')]);
    expect(Date.now() - startedAt).toBeLessThan(2500);
    expect((await asClients('nx.h201.test', hosts)).notes).toEqual([note('nx.h201.test', 'nxdomain')]);
    // Where DNS answers too, nothing to note.
    const both = await asClients('shop.example.test', hostsTable({ 'shop.example.test': ['127.0.0.1'] }));
    expect([both.facts['dns.result'], both.notes]).toEqual(['ok', undefined]);
  });

  it('a name the system resolver cannot resolve: its code, and for EAI_AGAIN the servers\' reply, name the failure', async () => {
    const failing = (code: string) => hostsTable({}, code);
    const read = async (name: string, code: string) => {
      const outcome = await asClients(name, failing(code), 500);
      return { facts: outcome.facts['dns.result'] === 'timeout' ? outcome.facts : withoutTimings(outcome.facts, 'dns.resolve_ms'), notes: outcome.notes, addresses: outcome.addresses };
    };
    expect(await read('nx.example.test', 'ENOTFOUND')).toEqual({ facts: { 'dns.result': 'nxdomain' }, notes: undefined, addresses: [] });
    // glibc says EAI_AGAIN whether no server replied or each said SERVFAIL or REFUSED: the servers' own reply tells which.
    expect(await read('fail.example.test', 'EAI_AGAIN')).toEqual({ facts: { 'dns.result': 'servfail' }, notes: undefined, addresses: [] });
    expect(await read('refused.example.test', 'EAI_AGAIN')).toEqual({ facts: { 'dns.result': 'refused' }, notes: undefined, addresses: [] });
    expect(await read('silent.example.test', 'EAI_AGAIN')).toEqual({ facts: { 'dns.result': 'timeout' }, notes: undefined, addresses: [] });
    // The DNS servers answer, the system's resolver does not: what clients get, and a note.
    expect(await read('shop.example.test', 'ENOTFOUND')).toEqual({
      facts: { 'dns.result': 'nxdomain' },
      notes: [{ probe: 'dns', note: "the DNS servers answer shop.example.test, but the system's resolver (getaddrinfo) did not (ENOTFOUND): see the hosts line of /etc/nsswitch.conf; dns.result is what clients get" }],
      addresses: [],
    });
    expect(await read('shop.example.test', 'EAI_AGAIN')).toMatchObject({ facts: { 'dns.result': 'timeout' } });
    expect(await asClients('shop.example.test', failing('EAI_FAIL'))).toEqual({
      facts: {},
      skipped: [{ probe: 'dns', reason: "shop.example.test: EAI_FAIL from the system's resolver, which no dns.result value describes" }],
      addresses: [],
    });
  });

  it('a system lookup that never ends is a timeout at the bound; getaddrinfo itself reads /etc/hosts', async () => {
    const startedAt = Date.now();
    const hanging: SystemResolver = () => new Promise(() => undefined);
    expect(await asClients('silent.example.test', hanging, 300)).toEqual({ facts: { 'dns.result': 'timeout' }, skipped: [], addresses: [] });
    expect(Date.now() - startedAt).toBeLessThan(2000);
    const localhost = await lookupSystem('localhost', 2000);
    expect('addresses' in localhost && localhost.addresses.every((address) => address === '127.0.0.1' || address === '::1')).toBe(true);
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
