import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactKinds, AUTO_KIND } from '../../src/collect/parsers/index.js';
import type { Diagnosis } from '../../src/core/diagnose.js';
import { packageRoot } from '../../src/core/paths.js';
import { readSchema } from '../../src/core/schemas.js';
import { runCli } from '../cli/run.js';
import { testServer } from '../server/helpers.js';

const capture = (kind: string, file: string) => readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', kind, file), 'utf8');
const STORM = [
  { kind: 'strace-c', text: capture('strace-c', 'attached-statx-storm.txt') },
  { kind: 'top', text: capture('top', 'statx-storm-child-of-app.txt') },
];

describe('artifacts in diagnosis input', () => {
  it('the request schema lists exactly the parser kinds and auto (in artifacts.schema.json, which the diagnose and case requests share)', () => {
    expect((readSchema('diagnose-request.schema.json').properties as Record<string, unknown>).artifacts).toEqual({ $ref: 'https://rca.local/schemas/artifacts.schema.json#' });
    const artifacts = readSchema('artifacts.schema.json') as { items: { properties: { kind: { enum: string[] } } } };
    expect(artifacts.items.properties.kind.enum).toEqual([AUTO_KIND, ...artifactKinds]);
  });

  it('rca diagnose: a pasted strace -c and top capture rank the syscall storm first', async () => {
    const run = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify({ facts: { 'symptom.kind': 'slow', 'ping.result': 'ok' }, artifacts: STORM }) });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Diagnosis;
    expect(result.hypotheses[0]?.id).toBe('system.syscall_storm');
    expect(result.facts['strace.top_syscall']).toBe('statx');
    expect(result.warnings).toEqual([]);
  });

  describe('openssl s_client output with a verify error is a failed handshake, never one that rules TLS causes out', () => {
    const diagnoseOpenssl = async (file: string, facts: Record<string, unknown> = {}) => {
      const input = { facts: { 'target.protocol': 'https', 'tcp.connect': 'ok', ...facts }, artifacts: [{ kind: 'openssl', text: capture('openssl', file) }] };
      const run = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify(input) });
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Diagnosis;
    };
    const ruledOut = (result: Diagnosis) => result.ruledOut.map((h) => h.id);

    it.each(['name-mismatch.txt', 'name-mismatch-verify-return-error.txt'])('%s: the name mismatch stays open, and ranks first once SNI is known to be sent', async (file) => {
      const alone = await diagnoseOpenssl(file);
      expect(alone.facts['tls.handshake']).toBe('failed');
      expect(ruledOut(alone)).not.toContain('tls.cert_name_mismatch');
      expect(ruledOut(alone)).not.toContain('tls.sni_missing');
      const withSni = await diagnoseOpenssl(file, { 'tls.sni_sent': true });
      expect(withSni.hypotheses[0]?.id).toBe('tls.cert_name_mismatch');
    });

    it.each([
      ['expired-verify-return-error.txt', 'tls.cert_expired'],
      ['not-yet-valid.txt', 'tls.cert_expired'],
      // A leaf signed directly by a private root, expired, read with -verify_return_error (lab 195
      // case 13): the flag stopped at the unknown issuer, the leaf's dates say expired.
      ['private-root-expired-verify-return-error.txt', 'tls.cert_expired'],
    ])('%s ranks %s first', async (file, cause) => {
      const result = await diagnoseOpenssl(file);
      expect(result.hypotheses[0]?.id).toBe(cause);
    });

    it.each(['chain-incomplete-verify-return-error.txt', 'chain-incomplete.txt'])('%s: a leaf whose issuer was neither sent nor trusted leaves both the missing intermediate and the untrusted issuer open', async (file) => {
      const result = await diagnoseOpenssl(file);
      expect(result.facts).not.toHaveProperty('tls.chain_complete');
      expect(result.hypotheses.slice(0, 2).map((h) => h.id).sort()).toEqual(['tls.incomplete_chain', 'tls.untrusted_server_cert']);
      expect(result.warnings.map((w) => w.field)).toEqual(['tls.chain_complete']);
    });

    it.each(['self-signed.txt', 'self-signed-verify-return-error.txt', 'unknown-ca.txt', 'self-signed-in-chain.txt'])('%s: an untrusted issuer rules out neither the trust store nor the name', async (file) => {
      const result = await diagnoseOpenssl(file);
      expect(result.facts).toMatchObject({ 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca' });
      expect(ruledOut(result)).not.toContain('tls.client_trust_store');
      expect(ruledOut(result)).not.toContain('tls.cert_name_mismatch');
    });
  });

  it('an explicit fact wins over an artifact, and the conflict is a warning', async () => {
    const run = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify({ facts: { 'strace.top_syscall': 'futex' }, artifacts: STORM.slice(0, 1) }) });
    const result = JSON.parse(run.stdout) as Diagnosis;
    expect(result.facts['strace.top_syscall']).toBe('futex');
    expect(result.warnings).toEqual([{ field: 'strace.top_syscall', message: 'artifacts[0] (strace-c) says "statx", the explicit fact says "futex": kept "futex"' }]);
    const text = await runCli(['diagnose', '-'], { input: JSON.stringify({ facts: { 'strace.top_syscall': 'futex' }, artifacts: STORM.slice(0, 1) }) });
    expect(text.stdout).toContain('Warnings about the input:\n  ! strace.top_syscall: artifacts[0] (strace-c) says "statx"');
  });

  it('unrecognised artifact text is an input error naming the artifact (exit 2, HTTP 400)', async () => {
    const body = { facts: {}, artifacts: [{ kind: 'dig', text: 'hello world' }] };
    const run = await runCli(['diagnose', '-'], { input: JSON.stringify(body) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rca: input error: stdin at \/artifacts\/0\/text: expected .*dig.*, got unrecognised text\n$/);
    const app = await testServer();
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/artifacts/0/text');
    const unknownKind = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: {}, artifacts: [{ kind: 'tshark', text: 'x' }] } });
    expect(unknownKind.json().errors[0]).toMatchObject({ pointer: '/artifacts/0/kind', got: 'string "tshark"' });
    await app.close();
  });

  it("an app's error output is evidence: EADDRNOTAVAIL names port exhaustion, and lines that disagree are a warning (CLI and API alike)", async () => {
    const artifacts = [
      { kind: 'app-errors', text: capture('app-errors', 'java-bindexception.txt') },
      { kind: 'app-errors', text: capture('app-errors', 'go-refused-and-timeout.txt') },
    ];
    const input = { facts: { 'symptom.kind': 'errors', 'symptom.scope': 'single_client' }, artifacts };
    const warnings = [{ field: 'tcp.connect', message: 'artifacts[1] (app-errors): the lines disagree: "refused" on 3 lines, "timeout" on 1 line; kept "refused", the commonest' }];
    const run = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify(input) });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Diagnosis;
    expect(result.facts).toMatchObject({ 'proc.eaddrnotavail_errors': true, 'tcp.connect': 'refused' });
    expect(result.warnings).toEqual(warnings);
    const alone = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify({ ...input, artifacts: artifacts.slice(0, 1) }) });
    expect((JSON.parse(alone.stdout) as Diagnosis).hypotheses[0]?.id).toBe('network.ephemeral_port_exhaustion');
    // The API (here on the test server's small knowledge base) parses the same way.
    const app = await testServer();
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: { ...input, artifacts: artifacts.slice(0, 1) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().facts['proc.eaddrnotavail_errors']).toBe(true);
    const both = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: input });
    expect(both.json().warnings).toEqual(warnings);
    await app.close();
  });

  it('an artifact of kind auto is read by its signature; text of no one tool is an input error at its text (exit 2, HTTP 400)', async () => {
    const auto = STORM.map(({ text }) => ({ kind: 'auto', text }));
    const run = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify({ facts: { 'symptom.kind': 'slow', 'ping.result': 'ok' }, artifacts: auto }) });
    expect(run.code, run.stderr).toBe(0);
    const named = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify({ facts: { 'symptom.kind': 'slow', 'ping.result': 'ok' }, artifacts: STORM }) });
    expect((JSON.parse(run.stdout) as Diagnosis).facts).toEqual((JSON.parse(named.stdout) as Diagnosis).facts);
    const app = await testServer();
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: {}, artifacts: auto } });
    expect(res.statusCode).toBe(200);
    expect(res.json().facts['strace.top_syscall']).toBe('statx');
    const unknown = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: {}, artifacts: [{ kind: 'auto', text: 'hello world' }] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ pointer: '/artifacts/0/text', got: "no tool's signature" });
    expect(unknown.json().errors[0].expected).toMatch(/^the output of one of ping, .*app-errors \(or name its kind\)$/);
    await app.close();
  });

  it('the outputs rca itself asks for never end a diagnosis (lab 205): each gives its facts or a warning, exit 0 and HTTP 200', async () => {
    const path = (kind: string, file: string) => join(packageRoot, 'test', 'fixtures', 'artifacts', kind, file);
    const lab = [
      ['tcp-connect', 'lab205-openbsd-eaddrnotavail.txt'],
      ['nstat', 'lab205-reset-counters-only.txt'],
      ['app-errors', 'lab205-curl-28-max-time-3s.txt'],
      ['app-errors', 'lab205-python-broken-pipe.txt'],
      ['curl-w', 'lab205-loop-exit-28-max-time-3s.txt'],
      ['cpu-stat', 'lab205-v1-no-quota-two-readings.txt'],
      ['strace-c', 'lab205-timeout-5-epoll-busy-poll.txt'],
    ] as const;
    const run = await runCli(['diagnose', '--format', 'json', ...lab.flatMap(([kind, file]) => ['--artifact', `${kind}=${path(kind, file)}`])]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Diagnosis;
    expect(result.facts).toEqual({
      'proc.eaddrnotavail_errors': true,
      'dns.resolve_ms': 0.017,
      'tcp.connect': 'ok',
      'tcp.connect_ms': 0.106,
      'http.error_rate_pct': 100,
      'symptom.intermittent': false,
      'cgroup.cpu_throttled_pct': 0,
      'strace.top_syscall': 'epoll_wait',
      'strace.top_syscall_pct': 100,
      'strace.error_pct': 0,
      'strace.syscalls_per_s': 101628.8,
      'strace.syscall_time_pct': 5.44,
    });
    const warned = (field: string, kind: string, file: string, start: string) => ({ field, message: expect.stringMatching(new RegExp(`^--artifact ${kind}=\\S+/${file.replaceAll('.', '\\.')}: ${start}`)) as unknown });
    expect(result.warnings).toEqual([
      warned('tcp.rst_seen', 'nstat', 'lab205-reset-counters-only.txt', 'nstat lists TcpEstabResets, TcpExtTCPAbortOnData, which gives no fact'),
      warned('http.latency_ms', 'app-errors', 'lab205-curl-28-max-time-3s.txt', 'the client gave up at its own time limit after 3001 ms'),
      warned('tcp.rst_seen', 'app-errors', 'lab205-python-broken-pipe.txt', 'a write failed with "Broken pipe"'),
      warned('http.latency_ms', 'curl-w', 'lab205-loop-exit-28-max-time-3s.txt', 'the client gave up at its own time limit after 3001 ms'),
      warned('cgroup.cpu_throttled_pct', 'cpu-stat', 'lab205-v1-no-quota-two-readings.txt', 'the group has no CPU quota of its own'),
    ]);
    const app = await testServer();
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: {}, artifacts: lab.map(([kind, file]) => ({ kind, text: capture(kind, file) })) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().facts).toEqual(result.facts);
    await app.close();
  });

  it('POST /v1/diagnose accepts artifacts too', async () => {
    const app = await testServer();
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: { 'ping.result': 'ok' }, artifacts: STORM } });
    expect(res.statusCode).toBe(200);
    expect(res.json().facts['strace.top_syscall']).toBe('statx');
    await app.close();
  });
});
