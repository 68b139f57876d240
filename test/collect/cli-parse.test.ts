import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactKinds } from '../../src/collect/parsers/index.js';
import type { Diagnosis } from '../../src/core/diagnose.js';
import { runCli, type CliRun } from '../cli/run.js';
import { expectFactsDocument } from '../schema-output.js';
import { artifactPath, readArtifact } from './fixtures.js';

function factsOf(run: CliRun): Record<string, unknown> {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { facts: Record<string, unknown> }).facts;
}

function expectInputError(run: CliRun, line: string | RegExp) {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
}

describe('rca parse', () => {
  it('lists the kinds with the command each reads', async () => {
    const run = await runCli(['parse', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((line) => line.split(/\s+/)[0])).toEqual([...artifactKinds]);
  });

  it('prints {facts} from a file and from stdin alike', async () => {
    const expected = { 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 };
    expect(factsOf(await runCli(['parse', 'ping', artifactPath('ping', 'linux-partial-loss.txt')]))).toEqual(expected);
    expect(factsOf(await runCli(['parse', 'ping', '-'], { input: readArtifact('ping', 'linux-partial-loss.txt') }))).toEqual(expected);
  });

  it('prints a diagnose request of facts only: diagnose-request.schema.json, each fact of facts.schema.json', async () => {
    for (const [kind, file] of [['ping', artifactPath('ping', 'linux-partial-loss.txt')], ['auto', artifactPath('app-errors', 'python-eaddrnotavail.txt')]] as const) {
      const run = await runCli(['parse', kind, file]);
      expect(run.code).toBe(0);
      expectFactsDocument(JSON.parse(run.stdout));
    }
  });

  it("app-errors: prints the facts of an app's error output, and each disagreement between its lines on stderr", async () => {
    expect(factsOf(await runCli(['parse', 'app-errors', artifactPath('app-errors', 'python-eaddrnotavail.txt')]))).toEqual({ 'proc.eaddrnotavail_errors': true });
    const file = artifactPath('app-errors', 'go-refused-and-timeout.txt');
    const run = await runCli(['parse', 'app-errors', file]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ facts: { 'tcp.connect': 'refused' } });
    expect(run.stderr).toBe(`rca: warning: ${file}: tcp.connect: the lines disagree: "refused" on 3 lines, "timeout" on 1 line; kept "refused", the commonest\n`);
    const auto = await runCli(['parse', 'auto', artifactPath('app-errors', 'java-bindexception.txt')]);
    expect(auto.stderr).toBe(`rca: read ${artifactPath('app-errors', 'java-bindexception.txt')} as app-errors output\n`);
  });

  it('a failure the text does not tell apart is no input error: exit 0, no fact, and a warning naming what to run', async () => {
    // curl's exit 6 as the -w format rca prints gives it (lab 195, case 12): it used to exit 2, "add exitcode= and errormsg=".
    const file = artifactPath('curl-w', 'lookup-failed-resolver-down.txt');
    const run = await runCli(['parse', 'auto', file]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ facts: {} });
    expect(run.stderr.split('\n')).toEqual([
      `rca: read ${file} as curl-w output`,
      `rca: warning: ${file}: dns.result: the lookup of orders.internal failed in words that do not say how (curl's "Could not resolve host" is the same for every resolver error, a bare UnknownHostException names only the host): the name may not exist (NXDOMAIN) or the resolver may not have answered; run \`dig orders.internal\` to tell`,
      '',
    ]);
    // curl 7.88's exit 7 on its own (lab 195, case 02b) is told as app-errors and read without error.
    const connect = await runCli(['parse', 'auto', artifactPath('app-errors', 'curl-7-couldnt-connect.txt')]);
    expect(connect.code).toBe(0);
    expect(JSON.parse(connect.stdout)).toEqual({ facts: {} });
    expect(connect.stderr).toContain('tcp.connect: the connect to 10.195.0.2 port 9091 failed in words that do not say how');
  });

  it('counts certificate days from --now', async () => {
    const run = await runCli(['parse', 'openssl', artifactPath('openssl', 'expired.txt'), '--now', '2026-11-24T18:07:00Z']);
    expect(factsOf(run)).toEqual({ 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': -10, 'tls.chain_complete': true, 'tls.failed_cert': 'leaf' });
  });

  it('refuses text it does not recognise in one line, exit 2', async () => {
    expectInputError(
      await runCli(['parse', 'strace-c', '-'], { input: 'Segmentation fault (core dumped)\n' }),
      'rca: input error: artifact strace-c: expected output of `strace -c` (optionally -f, -w) with its "% time ... syscall" table, got unrecognised text',
    );
    expectInputError(await runCli(['parse', 'top', '-'], { input: '' }), /^rca: input error: artifact top: expected output of `top -b -n 2 -d 1 -c -w 512`.*, got unrecognised text$/);
  });

  it('refuses an unknown kind, a missing kind and a bad --now', async () => {
    expectInputError(await runCli(['parse', 'tshark', '-'], { input: 'x' }), `rca: input error: artifact kind: expected one of auto, ${artifactKinds.join(', ')}, got "tshark"`);
    expectInputError(await runCli(['parse', 'strace', '-'], { input: 'x' }), `rca: input error: artifact kind: expected one of auto, ${artifactKinds.join(', ')} (did you mean "strace-c"?), got "strace"`);
    expectInputError(await runCli(['parse', 'netstat', '-'], { input: 'x' }), `rca: input error: artifact kind: expected one of auto, ${artifactKinds.join(', ')} (did you mean "netstat-s"?), got "netstat"`);
    const missing = await runCli(['parse']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^rca: usage error: give the KIND of output to parse \(rca parse --list shows them\)/);
    const badNow = await runCli(['parse', 'openssl', artifactPath('openssl', 'ok.txt'), '--now', 'yesterday']);
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toMatch(/^rca: usage error: --now: expected an ISO date/);
  });
});

describe('parsed captures diagnosed end to end', () => {
  async function diagnoseMerged(...parsed: Array<[string, string]>): Promise<Diagnosis> {
    const facts: Record<string, unknown> = {};
    for (const [kind, file] of parsed) Object.assign(facts, factsOf(await runCli(['parse', kind, file])));
    const run = await runCli(['diagnose', '-', '--format', 'json'], { input: JSON.stringify({ facts }) });
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Diagnosis;
  }

  it('a worker spinning on failing statx (strace -c at 29k calls/s) under top: system.syscall_storm first', async () => {
    const diagnosis = await diagnoseMerged(['strace-c', artifactPath('strace-c', 'attached-statx-storm.txt')], ['top', artifactPath('top', 'statx-storm-child-of-app.txt')]);
    expect(diagnosis.hypotheses[0]?.id).toBe('system.syscall_storm');
  });

  it("a spent source port range behind curl's exit 7 (lab 195, case 09) is no confident port_closed; curl -v's EADDRNOTAVAIL makes it ephemeral_port_exhaustion", async () => {
    const ticket = join(mkdtempSync(join(tmpdir(), 'rca-parse-')), 'ticket.json');
    writeFileSync(ticket, JSON.stringify({ facts: { 'symptom.kind': 'errors', 'symptom.scope': 'single_client', 'target.url': 'http://10.195.0.2:8089/quote' } }));
    const diagnose = async (...artifacts: string[]) => {
      const run = await runCli(['diagnose', ticket, ...artifacts.flatMap((a) => ['--artifact', a]), '--format', 'json']);
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as Diagnosis;
    };
    const curlW = await diagnose(`curl-w=${artifactPath('curl-w', 'loop-couldnt-connect-eaddrnotavail.txt')}`);
    expect(curlW.facts).not.toHaveProperty('tcp.connect');
    expect(curlW.hypotheses.find((h) => h.id === 'network.port_closed')?.confidence ?? 0).toBeLessThan(0.2);
    const withVerbose = await diagnose(`curl-w=${artifactPath('curl-w', 'loop-couldnt-connect-eaddrnotavail.txt')}`, `auto=${artifactPath('curl-v', 'lab195-eaddrnotavail.txt')}`);
    expect(withVerbose.hypotheses[0]?.id).toBe('network.ephemeral_port_exhaustion');
  });

  it('a futex-dominated strace -c -f capture (with its 7 s duration): system.lock_contention first', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rca-parse-')), 'futex.txt');
    writeFileSync(file, `# duration_s: 7\n${readFileSync(artifactPath('strace-c', 'f-futex-dominant.txt'), 'utf8')}`);
    const diagnosis = await diagnoseMerged(['strace-c', file]);
    expect(diagnosis.hypotheses[0]?.id).toBe('system.lock_contention');
  });
});
