import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/collect/collect.js';
import { runCli } from '../cli/run.js';
import type { SystemResolver } from '../../src/collect/probes/dns.js';
import { withoutTimings } from './fixtures.js';
import { closeAll, makePki, startDnsServer, startTlsServer, type TestPki } from './servers.js';

let pki: TestPki;
let dnsServer: string;
let leafOnly: number;

beforeAll(async () => {
  pki = await makePki();
  dnsServer = `127.0.0.1:${await startDnsServer()}`;
  leafOnly = await startTlsServer({ cert: pki.leaf.cert, key: pki.leaf.key });
});
afterAll(closeAll);

/** /etc/hosts as getaddrinfo reads it: these names only. */
const hosts =
  (table: Record<string, string>): SystemResolver =>
  (name) => {
    const address = table[name];
    return address ? Promise.resolve([address]) : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
  };

describe('rca collect, a name in /etc/hosts only', () => {
  // Lab 201 case 07 on 127.0.0.1: the name only in the hosts file (the test DNS server never
  // answers "silent"), a server that sends its leaf alone, the clients' root given with --ca.
  it('resolves as clients do, connects to that address, and reads the leaf sent alone as an incomplete chain', async () => {
    const result = await collect({
      url: `https://silent.h201.test:${leafOnly}/v1/status`,
      timeoutMs: 1000,
      ca: pki.root,
      hostFacts: false,
      path: '/nonexistent',
      systemResolver: { lookup: hosts({ 'silent.h201.test': '127.0.0.1' }), servers: [dnsServer] },
    });
    const tls = Object.fromEntries(Object.entries(result.facts).filter(([name]) => name.startsWith('tls.')));
    expect(withoutTimings(result.facts, 'dns.resolve_ms', 'tcp.connect_ms')).toEqual({
      'target.host': 'silent.h201.test',
      'target.port': leafOnly,
      'target.url': `https://silent.h201.test:${leafOnly}/v1/status`,
      'target.protocol': 'https',
      'dns.result': 'ok',
      'tcp.connect': 'ok',
      ...tls,
    });
    // The test leaf names localhost, not this name.
    expect(tls).toEqual({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': expect.closeTo(30, 1) as number, 'tls.cert_name_match': false, 'tls.failed_cert': 'leaf', 'tls.chain_complete': false });
    expect(result.notes.map((n) => n.probe)).toEqual(['dns']);
    expect(result.notes[0]?.note).toMatch(/^silent\.h201\.test resolves through the system's resolver .* but the DNS servers gave timeout: the name comes from \/etc\/hosts/);
    // The lab's diagnosis led with dns.slow_resolver (51%) from a dns.result timeout; these facts lead with the missing intermediate.
    const diagnosed = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify({ facts: result.facts }) });
    const ranked = (JSON.parse(diagnosed.stdout) as { hypotheses: Array<{ id: string }> }).hypotheses.map((h) => h.id);
    expect(ranked[0]).toBe('tls.incomplete_chain');
    expect(ranked.filter((id) => id.startsWith('dns.'))).toEqual([]);
  });

  it('--host NAME other than the URL\'s is resolved by the system\'s resolver too', async () => {
    const result = await collect({
      host: 'elsewhere.h201.test',
      url: `https://silent.h201.test:${leafOnly}/`,
      timeoutMs: 1000,
      ca: pki.root,
      hostFacts: false,
      path: '/nonexistent',
      systemResolver: { lookup: hosts({ 'silent.h201.test': '127.0.0.1', 'elsewhere.h201.test': '127.0.0.1' }), servers: [dnsServer] },
    });
    expect(result.facts['tcp.connect']).toBe('ok');
    const missing = await collect({ host: 'gone.h201.test', url: `https://silent.h201.test:${leafOnly}/`, timeoutMs: 1000, hostFacts: false, path: '/nonexistent', systemResolver: { lookup: hosts({}), servers: [dnsServer] } });
    expect(missing.skipped).toContainEqual({ probe: 'tcp', reason: 'gone.h201.test did not resolve (ENOTFOUND)' });
  });
});
