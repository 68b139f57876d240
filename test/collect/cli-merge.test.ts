import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactKinds } from '../../src/collect/parsers/index.js';
import { runCli } from '../cli/run.js';
import { artifactPath, readArtifact } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-merge-'));
const KINDS = artifactKinds.join(', ');
/** Where a kind is named, auto is one too. */
const NAMED_KINDS = ['auto', ...artifactKinds].join(', ');
/** What rca writes on stderr for a usage error of COMMAND: the one line, then where its help is. */
const usageError = (message: string, command: string) => `rca: usage error: ${message}\nRun 'rca ${command} --help' for usage.\n`;

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('rca parse tells the kind by its signature', () => {
  it('rca parse FILE and rca parse auto FILE read it as rca parse KIND FILE does, and say which kind on stderr', async () => {
    const path = artifactPath('dig', 'nxdomain.txt');
    const named = await runCli(['parse', 'dig', path]);
    for (const args of [['parse', path], ['parse', 'auto', path]]) {
      expect(await runCli(args)).toEqual({ code: 0, stdout: named.stdout, stderr: `rca: read ${path} as dig output\n` });
    }
    expect(await runCli(['parse', '-'], { input: readArtifact('dig', 'nxdomain.txt') })).toEqual({ code: 0, stdout: named.stdout, stderr: 'rca: read stdin as dig output\n' });
    const piped = await runCli(['parse', 'auto', '-'], { input: readArtifact('strace-c', 'statx-enoent.txt') });
    expect(piped).toEqual({ code: 0, stdout: (await runCli(['parse', 'strace-c', artifactPath('strace-c', 'statx-enoent.txt')])).stdout, stderr: 'rca: read stdin as strace-c output\n' });
  });

  it('text of no supported tool is a usage error listing the kinds', async () => {
    const run = await runCli(['parse', 'auto', '-'], { input: 'hello world\n' });
    expect(run).toEqual({ code: 2, stdout: '', stderr: usageError(`stdin: expected the output of one of ${KINDS}, got no tool's signature; name the kind: rca parse KIND FILE`, 'parse') });
  });

  it('text with two tools\' signatures is a usage error naming both', async () => {
    const both = file('both.txt', `${readArtifact('ping', 'linux-ok.txt')}\n${readArtifact('dig', 'noerror.txt')}`);
    const run = await runCli(['parse', both]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: usageError(`${both}: expected the output of one of ${KINDS}, got the signatures of ping and dig; name the kind: rca parse KIND FILE`, 'parse') });
  });

  it('a first word that is neither a kind nor a file keeps the did-you-mean', async () => {
    const run = await runCli(['parse', 'strace', '-'], { input: 'x' });
    expect(run.stderr).toBe(`rca: input error: artifact kind: expected one of ${NAMED_KINDS} (did you mean "strace-c"?), got "strace"\n`);
  });

  // Alone, the word may be the file (rca parse FILE) or the kind (output on stdin): one line says both.
  it('a lone word that is neither a kind nor a file names both possibilities', async () => {
    const expected = 'a readable file or a kind of output (rca parse --list shows them)';
    expect(await runCli(['parse', 'capture.txt'])).toEqual({ code: 2, stdout: '', stderr: `rca: input error: capture.txt: expected ${expected}, got neither (no such file)\n` });
    expect(await runCli(['parse', 'strace'], { input: 'x' })).toEqual({ code: 2, stdout: '', stderr: `rca: input error: strace: expected ${expected}, got neither (no such file; did you mean the kind "strace-c"?)\n` });
  });
});

describe('rca diagnose --artifact KIND=FILE and several documents', () => {
  const strace = artifactPath('strace-c', 'attached-statx-storm.txt');
  const top = artifactPath('top', 'statx-storm-child-of-app.txt');

  it("--artifact app-errors=FILE: the error lines' disagreement is a warning of the diagnosis, naming the flag", async () => {
    const go = artifactPath('app-errors', 'go-refused-and-timeout.txt');
    const run = await runCli(['diagnose', file('errors.json', '{"symptom.kind": "errors"}'), '--artifact', `app-errors=${go}`, '-f', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
    expect(result.facts['tcp.connect']).toBe('refused');
    expect(result.warnings).toEqual([{ field: 'tcp.connect', message: `--artifact app-errors=${go}: the lines disagree: "refused" on 3 lines, "timeout" on 1 line; kept "refused", the commonest` }]);
  });

  it('diagnoses the facts of each artifact, as the same artifacts inside the document do', async () => {
    const inside = await runCli(['diagnose', '-', '-f', 'json'], {
      input: JSON.stringify({ facts: { 'symptom.kind': 'slow' }, artifacts: [{ kind: 'strace-c', text: readArtifact('strace-c', 'attached-statx-storm.txt') }, { kind: 'top', text: readArtifact('top', 'statx-storm-child-of-app.txt') }] }),
    });
    const flags = await runCli(['diagnose', file('symptom.json', '{"symptom.kind": "slow"}'), '--artifact', `strace-c=${strace}`, '--artifact', `top=${top}`, '-f', 'json']);
    expect(flags.stderr).toBe('');
    expect(flags.code).toBe(0);
    expect(flags.stdout).toBe(inside.stdout);
    expect(JSON.parse(flags.stdout).hypotheses[0].id).toBe('system.syscall_storm');
  });

  it('needs no document: the artifacts alone, stdin unread; auto=FILE tells the kind', async () => {
    const alone = await runCli(['diagnose', '--artifact', `strace-c=${strace}`, '--artifact', `auto=${top}`, '-f', 'json'], { input: 'not read' });
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.stdout).hypotheses[0].id).toBe('system.syscall_storm');
  });

  it('merges several documents (rca parse outputs) into one; the same value twice is no conflict', async () => {
    const parsed = file('strace.json', (await runCli(['parse', 'strace-c', strace])).stdout);
    const again = file('top.json', (await runCli(['parse', 'top', top])).stdout);
    const merged = await runCli(['diagnose', file('symptom.yaml', 'symptom.kind: slow\n'), parsed, again, '-f', 'json']);
    const flags = await runCli(['diagnose', file('symptom2.json', '{"symptom.kind": "slow"}'), '--artifact', `strace-c=${strace}`, '--artifact', `top=${top}`, '-f', 'json']);
    expect(merged).toEqual({ code: 0, stdout: flags.stdout, stderr: '' });
    expect((await runCli(['diagnose', parsed, parsed, '-f', 'json'])).code).toBe(0);
  });

  it('a fact two documents state differently is an input error naming the fact and both sources, never last-wins', async () => {
    const ok = file('ping-ok.json', '{"facts": {"ping.result": "ok", "tcp.connect": "ok"}}');
    const fail = file('ping-fail.yaml', 'ping.result: fail\n');
    const run = await runCli(['diagnose', ok, fail]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `rca: input error: ping.result: expected one value from every input that gives it, got "ok" from ${ok} and "fail" from ${fail}\n` });
    const summaries = await runCli(['diagnose', file('a.json', '{"summary": "a", "facts": {}}'), file('b.yaml', 'summary: b\nfacts: {}\n')]);
    expect(summaries.stderr).toBe(`rca: input error: /summary: expected one value from every input that gives it, got "a" from ${join(tmp, 'a.json')} and "b" from ${join(tmp, 'b.yaml')}\n`);
  });

  it("a ticket's fact is kept over an --artifact output that measured another value, with a warning naming both, in every format", async () => {
    const ticket = file('ticket.json', '{"summary": "p99 5s", "facts": {"symptom.kind": "slow", "http.latency_ms": 5000}}');
    const curl = artifactPath('curl-w', 'http-slow.txt');
    const run = await runCli(['diagnose', ticket, '--artifact', `curl-w=${curl}`, '-f', 'json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const report = JSON.parse(run.stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
    const warning = `--artifact curl-w=${curl} says 307.051, ${ticket} says 5000: kept 5000`;
    expect([report.facts['http.latency_ms'], report.facts['http.ttfb_ms'], report.warnings]).toEqual([5000, 306.728, [{ field: 'http.latency_ms', message: warning }]]);
    const text = await runCli(['diagnose', ticket, '--artifact', `curl-w=${curl}`]);
    expect([text.code, text.stdout]).toEqual([0, expect.stringContaining(`Warnings about the input:\n  ! http.latency_ms: ${warning}\n`)]);
    const markdown = await runCli(['diagnose', ticket, '--artifact', `curl-w=${curl}`, '-f', 'markdown']);
    expect(markdown.stdout).toContain(`- \`http.latency_ms\`: ${warning}\n`);
    // A document's own artifacts are readings too: the other document's statement is kept, whichever comes first.
    const measuredDoc = file('measured.json', JSON.stringify({ facts: {}, artifacts: [{ kind: 'curl-w', text: readArtifact('curl-w', 'http-slow.txt') }] }));
    for (const order of [[ticket, measuredDoc], [measuredDoc, ticket]]) {
      const both = JSON.parse((await runCli(['diagnose', ...order, '-f', 'json'])).stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
      expect([both.facts['http.latency_ms'], both.warnings]).toEqual([5000, [{ field: 'http.latency_ms', message: `${measuredDoc} says 307.051, ${ticket} says 5000: kept 5000` }]]);
    }
    // Two statements stay an error, though a reading gave one of their values first.
    const other = file('other.json', '{"facts": {"http.latency_ms": 307.051}}');
    const stated = await runCli(['diagnose', other, ticket, '--artifact', `curl-w=${curl}`]);
    expect([stated.code, stated.stderr]).toEqual([2, `rca: input error: http.latency_ms: expected one value from every input that gives it, got 307.051 from ${other} and 5000 from ${ticket}\n`]);
    const readFirst = await runCli(['diagnose', measuredDoc, other, ticket]);
    expect([readFirst.code, readFirst.stderr]).toEqual([2, `rca: input error: http.latency_ms: expected one value from every input that gives it, got 307.051 from ${other} and 5000 from ${ticket}\n`]);
  });

  it('two tools\' outputs that disagree are readings, not statements: the earlier is kept and a warning names both, as between one document\'s artifacts; a document\'s fact is kept over both', async () => {
    const dig = artifactPath('dig', 'noerror-slow.txt');
    const curl = artifactPath('curl-w', 'http-slow.txt');
    const run = await runCli(['diagnose', '--artifact', `dig=${dig}`, '--artifact', `curl-w=${curl}`, '-f', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
    expect(report.facts['dns.resolve_ms']).toBe(252);
    expect(report.warnings).toContainEqual({ field: 'dns.resolve_ms', message: `--artifact curl-w=${curl} says 0.019, --artifact dig=${dig} says 252: kept 252` });
    // The other order keeps the other reading.
    const swapped = JSON.parse((await runCli(['diagnose', '--artifact', `curl-w=${curl}`, '--artifact', `dig=${dig}`, '-f', 'json'])).stdout) as { facts: Record<string, unknown> };
    expect(swapped.facts['dns.resolve_ms']).toBe(0.019);
    // Two pings: what happened as well as how much, each kept from the first.
    const partial = artifactPath('ping', 'linux-partial-loss.txt');
    const ok = artifactPath('ping', 'linux-ok.txt');
    const pings = JSON.parse((await runCli(['diagnose', '--artifact', `ping=${partial}`, '--artifact', `ping=${ok}`, '-f', 'json'])).stdout) as { facts: Record<string, unknown>; warnings: Array<{ field: string }> };
    expect([pings.facts['ping.result'], pings.warnings.map((w) => w.field)]).toEqual(['partial_loss', expect.arrayContaining(['ping.result', 'ping.loss_pct'])]);
    // A document's number is a statement, kept over the reading.
    const stated = await runCli(['diagnose', '--artifact', `dig=${dig}`, file('dns.json', '{"facts": {"dns.resolve_ms": 5000}}'), '-f', 'json']);
    expect(stated.code).toBe(0);
    const kept = JSON.parse(stated.stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
    expect([kept.facts['dns.resolve_ms'], kept.warnings]).toEqual([5000, [{ field: 'dns.resolve_ms', message: `--artifact dig=${dig} says 252, ${join(tmp, 'dns.json')} says 5000: kept 5000` }]]);
  });

  it('KIND gets the did-you-mean of rca parse; a value that is not KIND=FILE is a usage error, never an option', async () => {
    const typo = await runCli(['diagnose', '--artifact', `strace=${strace}`]);
    expect(typo).toEqual({ code: 2, stdout: '', stderr: `rca: input error: --artifact: expected one of ${NAMED_KINDS} (did you mean "strace-c"?), got "strace"\n` });
    const noFile = await runCli(['diagnose', '--artifact', 'strace-c']);
    expect(noFile.stderr).toBe(usageError('--artifact: expected KIND=FILE (rca parse --list shows the kinds), got "strace-c"', 'diagnose'));
    const flag = await runCli(['diagnose', '--artifact', '--top=3', '-f', 'json']);
    expect(flag.stderr).toBe(usageError(`--artifact: expected a value, got the option "--top=3" after it (a value that starts with '-' is given as --artifact=VALUE)`, 'diagnose'));
    const dashFile = await runCli(['diagnose', '--artifact=top=--help']);
    expect(dashFile.code).toBe(2);
    expect(dashFile.stderr).toBe('rca: input error: --help: expected a readable file, got nothing there (not found)\n');
  });

  it('a directory or a device where a file belongs is refused by name and kind, for documents and artifacts alike', async () => {
    for (const args of [['diagnose', 'examples'], ['diagnose', '--artifact', 'ping=examples'], ['parse', 'ping', 'examples'], ['parse', 'examples']]) {
      expect(await runCli(args), args.join(' ')).toEqual({ code: 2, stdout: '', stderr: 'rca: input error: examples: expected a regular file or a pipe, got a directory\n' });
    }
    for (const args of [['diagnose', '/dev/zero'], ['parse', 'ping', '/dev/zero']]) {
      expect(await runCli(args), args.join(' ')).toEqual({ code: 2, stdout: '', stderr: 'rca: input error: /dev/zero: expected a regular file or a pipe, got a device\n' });
    }
  });

  it('--direct-artifact KIND=FILE: a request straight to one backend gives the direct status and time; the rest, the backend\'s, is set aside with a warning (lab 203, M4)', async () => {
    const ticket = file('lb-504.json', '{"facts": {"symptom.kind": "errors", "http.status": 504, "path.via_lb": true}}');
    const curl = artifactPath('curl-w', 'http-slow.txt');
    const run = await runCli(['diagnose', ticket, '--direct-artifact', `curl-w=${curl}`, '-f', 'json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const report = JSON.parse(run.stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
    expect(report.facts).toEqual({ 'symptom.kind': 'errors', 'http.status': 504, 'path.via_lb': true, 'http.direct_status': 200, 'http.direct_latency_ms': 307.051 });
    const setAside = 'dns.resolve_ms, tcp.connect, tcp.connect_ms, http.ttfb_ms set aside, the backend\'s rather than the service\'s (a direct request\'s output gives http.status as http.direct_status, http.latency_ms as http.direct_latency_ms)';
    expect(report.warnings).toEqual([{ field: 'dns.resolve_ms', message: `--direct-artifact curl-w=${curl}: the output of a request straight to a backend: ${setAside}` }]);
    // The same file as --artifact is the front end's: its 200 meets the ticket's 504.
    const front = JSON.parse((await runCli(['diagnose', ticket, '--artifact', `curl-w=${curl}`, '-f', 'json'])).stdout) as { facts: Record<string, unknown> };
    expect([front.facts['http.status'], front.facts['http.direct_status']]).toEqual([504, undefined]);
    const noFile = await runCli(['diagnose', '--direct-artifact', 'curl-w']);
    expect(noFile.stderr).toBe(usageError('--direct-artifact: expected KIND=FILE (rca parse --list shows the kinds), got "curl-w"', 'diagnose'));
    const typo = await runCli(['diagnose', '--direct-artifact', `curl=${curl}`]);
    expect(typo.stderr).toBe(`rca: input error: --direct-artifact: expected one of ${NAMED_KINDS} (did you mean "curl-w"?), got "curl"\n`);
  });

  it('two dig outputs saved as separate files, from a failing and a healthy client, are compared as one paste of both would be (lab 206, 06)', async () => {
    const failing = artifactPath('dig', 'lab206-failing-client-stale-ttl-86400.txt');
    const healthy = artifactPath('dig', 'lab206-healthy-client-current-ttl-300.txt');
    const run = await runCli(['diagnose', '--artifact', `dig=${failing}`, '--artifact', `auto=${healthy}`, '-f', 'json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const report = JSON.parse(run.stdout) as { facts: Record<string, unknown>; warnings: Array<{ field: string; message: string }> };
    expect(report.facts).toEqual({ 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.answer_mismatch': true });
    expect(report.warnings.map((w) => [w.field, w.message.slice(0, w.message.indexOf(': the 2 dig runs'))])).toEqual([
      ['dns.answer_mismatch', `--artifact dig=${failing} and --artifact auto=${healthy}, read together`],
    ]);
    expect(report.warnings[0]?.message).toContain('run 1 (server 10.206.0.53): 10.206.0.2 (TTL 86400); run 2 (server 10.206.0.54): 10.206.0.3 (TTL 300)');
    // Alone, each file compares with nothing; the same answer twice is no mismatch; a direct request's output joins nothing.
    const alone = JSON.parse((await runCli(['diagnose', '--artifact', `dig=${failing}`, '-f', 'json'])).stdout) as { facts: Record<string, unknown> };
    expect(alone.facts['dns.answer_mismatch']).toBeUndefined();
    const same = JSON.parse((await runCli(['diagnose', '--artifact', `dig=${healthy}`, '--artifact', `dig=${healthy}`, '-f', 'json'])).stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
    expect([same.facts['dns.answer_mismatch'], same.warnings]).toEqual([false, []]);
  });

  it('stdin is read once: - and KIND=- together are a usage error', async () => {
    const run = await runCli(['diagnose', '-', '--artifact', 'ping=-'], { input: '{}' });
    expect(run.stderr).toBe(usageError('stdin: expected at most one input read from stdin, got 2 (- and --artifact ping=-)', 'diagnose'));
    const direct = await runCli(['diagnose', '--artifact', 'ping=-', '--direct-artifact', 'curl-w=-'], { input: '{}' });
    expect(direct.stderr).toBe(usageError('stdin: expected at most one input read from stdin, got 2 (--artifact ping=- and --direct-artifact curl-w=-)', 'diagnose'));
  });
});
