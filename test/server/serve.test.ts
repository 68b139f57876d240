import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dump, load } from 'js-yaml';
import { sealKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { runCli } from '../cli/run.js';
import { embeddedDataDir } from '../store/stores.js';
import { editableKb, FIXTURE_KB, isProblem, parseRawResponse, rawExchange, TOKEN } from './helpers.js';
import { startServe, stopServes, type RunningServe } from './serve-run.js';

interface Server extends RunningServe {
  logs: Array<Record<string, unknown>>;
  waitForLog: (predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>;
}

const running: Server[] = [];
afterEach(() => stopServes(running));

/**
 * Starts `rca serve` on 127.0.0.1 with a free port and follows its JSON log: in-process, signals
 * sent on its io.signals, unless `spawned` (the real process, for signals only a process gets:
 * SIGHUP from the kernel, SIGSTOP, and its exit code).
 */
async function startServer(args: string[], env: Record<string, string> = {}, { spawned = false } = {}): Promise<Server> {
  const started = await startServe(['--host', '127.0.0.1', '--port', '0', ...args], { env: { RCA_DATA_DIR: await embeddedDataDir(), ...env }, spawned });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<{ predicate: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  let buffer = '';
  started.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
      buffer = buffer.slice(newline + 1);
      logs.push(line);
      for (const w of waiters.splice(0)) {
        if (w.predicate(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  const waitForLog = (predicate: (l: Record<string, unknown>) => boolean, timeoutMs = 10000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = logs.find(predicate);
      if (found) return resolve(found);
      waiters.push({ predicate, resolve });
      setTimeout(() => reject(new Error(`log line not seen; logs: ${JSON.stringify(logs)}`)), timeoutMs);
    });
  const server = { ...started, logs, waitForLog };
  running.push(server);
  return server;
}

/**
 * A sealed KB that takes seconds to load: the shipped one plus `copies` copies of its rules
 * under other ids (the reload test needs a load long enough to probe during).
 */
function slowKb(copies: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'rca-slow-kb-'));
  cpSync(defaultKbDir, dir, { recursive: true });
  const rules = readdirSync(defaultKbDir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => ((load(readFileSync(join(defaultKbDir, f), 'utf8')) as { rules?: Array<Record<string, unknown>> }).rules ?? []));
  for (let copy = 1; copy <= copies; copy++) {
    const renamed = rules.map((r) => ({ ...r, id: `${String(r.id)}_copy${copy}`, ...(r.replacedBy ? { replacedBy: `${String(r.replacedBy)}_copy${copy}` } : {}) }));
    writeFileSync(join(dir, `zz-copy${copy}.yaml`), dump({ rules: renamed }));
  }
  sealKnowledgeBase(dir);
  return dir;
}

const diagnoseBody = (facts: Record<string, unknown>) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ facts }) });

/**
 * A connection to 127.0.0.1:PORT with `partial` written: `written` once it is in the kernel's
 * hands (the server may not have read it), what came on it so far, all of it once the connection
 * closed, and the error that closed it, if any (ECONNRESET).
 */
function openRaw(port: number, partial: string) {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let error: string | undefined;
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  const written = new Promise<void>((resolve) => socket.write(partial, () => resolve()));
  return { socket, received: () => received, closed, written, error: () => error };
}

/** Whether a new connection to 127.0.0.1:PORT is accepted ('connected') or refused (its error code). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Waits for `done` to hold, polling, bounded so that a stall fails instead of hanging. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (const start = Date.now(); !done(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - start > 10_000) throw new Error(`not within 10 s: ${what}`);
  }
}

const ICMP_BODY = JSON.stringify({ facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } });
/** A diagnosis request whose headers and first 10 bytes of body are sent: in flight until the rest is. */
const IN_FLIGHT = `POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${ICMP_BODY.length}\r\n\r\n${ICMP_BODY.slice(0, 10)}`;

describe('rca serve', () => {
  it('refuses to bind beyond loopback without tokens', async () => {
    const run = await runCli(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('rca: usage error: refusing to listen on 0.0.0.0 without API tokens: give --tokens-file or RCA_API_TOKENS, or bind 127.0.0.1');
  });

  it('refuses a cache size that is not a whole number >= 0, from the flag or RCA_CACHE_SIZE', async () => {
    const flag = await runCli(['serve', '--port', '0', '--cache-size', '-3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.split('\n')[0]).toBe('rca: usage error: --cache-size (or RCA_CACHE_SIZE): expected a whole number >= 0, got -3');
    const env = await runCli(['serve', '--port', '0'], { env: { RCA_CACHE_SIZE: 'abc' } });
    expect(env.code).toBe(2);
    expect(env.stderr.split('\n')[0]).toBe('rca: usage error: --cache-size (or RCA_CACHE_SIZE): expected a whole number >= 0, got abc');
    // A blank RCA_RATE_LIMIT was 0 (no rate limit at all), 0x10 was 16: only decimal digits are a number.
    for (const value of [' ', '0x10', '1e3']) {
      const odd = await runCli(['serve', '--port', '0'], { env: { RCA_RATE_LIMIT: value } });
      expect([odd.code, odd.stderr.split('\n')[0]]).toEqual([2, `rca: usage error: --rate-limit (or RCA_RATE_LIMIT): expected a whole number >= 0, got ${value === ' ' ? '" "' : value}`]);
    }
  });

  it('takes tokens from a file or RCA_API_TOKENS and logs JSON lines with request ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-serve-'));
    writeFileSync(join(dir, 'tokens'), `# ticketing\n${TOKEN}\n\n`);
    const server = await startServer(['--kb', FIXTURE_KB, '--tokens-file', join(dir, 'tokens')], { RCA_API_TOKENS: 'env-token-0123456789abc' });
    expect((await fetch(`${server.base}/v1/kb`)).status).toBe(401);
    expect((await fetch(`${server.base}/v1/kb`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const res = await fetch(`${server.base}/v1/kb`, { headers: { authorization: 'Bearer env-token-0123456789abc', 'x-request-id': 'ticket-4711' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('ticket-4711');
    await server.waitForLog((l) => l.reqId === 'ticket-4711' && l.msg === 'request completed');
  });

  it('gives each of 200 concurrent diagnoses its sequential answer', async () => {
    // Without the response cache, or the concurrent answers would all be cached ones.
    const server = await startServer(['--kb', FIXTURE_KB, '--rate-limit', '0', '--log-level', 'warn', '--cache-size', '0']);
    const results = ['ok', 'partial_loss', 'fail'];
    const connects = ['ok', 'refused', 'timeout', 'reset'];
    const factSets = Array.from({ length: 200 }, (_, i) => ({
      'ping.result': results[i % 3],
      'tcp.connect': connects[i % 4],
      'http.status': 500 + (i % 4),
      'lb.backend_health': i % 5 === 0 ? 'all_unhealthy' : 'all_healthy',
      'http.direct_status': i % 7 === 0 ? 200 : 503,
      'path.via_lb': i % 2 === 0,
      'ping.loss_pct': i % 11,
    }));
    const ask = async (facts: Record<string, unknown>) => {
      const res = await fetch(`${server.base}/v1/diagnose`, diagnoseBody(facts));
      expect(res.headers.get('x-rca-cache')).toBeNull();
      return (await res.json()) as { hypotheses: Array<{ id: string }> };
    };
    const sequential = [];
    for (const facts of factSets) sequential.push(await ask(facts));
    const concurrent = await Promise.all(factSets.map(ask));
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential.map((d) => JSON.stringify(d.hypotheses.map((h) => h.id)))).size).toBeGreaterThan(4);
  });

  // Spawned: SIGHUP from the kernel reaches the reload (the other reload tests send it on io.signals).
  it('reloads the knowledge base on SIGHUP, rejecting a broken one and keeping the old one serving', async () => {
    const edited = editableKb();
    const server = await startServer(['--kb', edited.dir], {}, { spawned: true });
    const kb = async () => (await (await fetch(`${server.base}/v1/kb`)).json()) as { version: string; hash: string };
    const before = await kb();

    // An edit that was not sealed (here a broken one, which `rca kb seal` would refuse) is rejected by the lock.
    edited.setIcmpFilteredCf(1.8);
    server.signal('SIGHUP');
    const rejected = await server.waitForLog((l) => l.level === 50 && String(l.msg).startsWith('knowledge base reload rejected'));
    expect(String(rejected.msg)).toMatch(/kb\.yaml: expected sha256:[0-9a-f]{12}\.\.\. as sealed in .*kb\.lock\.json, got sha256:[0-9a-f]{12}\.\.\.: changed since sealing/);
    expect(await kb()).toEqual(before);
    const still = (await (await fetch(`${server.base}/v1/diagnose`, diagnoseBody({ 'ping.result': 'fail', 'tcp.connect': 'ok' }))).json()) as { hypotheses: unknown[] };
    expect(still.hypotheses[0]).toMatchObject({ id: 'network.icmp_filtered', belief: 0.8 });

    edited.write((text) => text.replace('version: 1.0.0', 'version: 1.1.0'));
    edited.seal();
    server.signal('SIGHUP');
    await server.waitForLog((l) => l.msg === 'knowledge base reloaded');
    const after = await kb();
    expect(after.version).toBe('1.1.0');
    expect(after.hash).not.toBe(before.hash);
    expect(await (await fetch(`${server.base}/metrics`)).text()).toContain('rca_kb_reloads_total{result="rejected"} 1');
  });

  it('serves repeated diagnoses from the cache until a SIGHUP reload, then answers with the new knowledge base', async () => {
    const edited = editableKb();
    const server = await startServer(['--kb', edited.dir]);
    const ask = async () => {
      const res = await fetch(`${server.base}/v1/diagnose`, diagnoseBody({ 'ping.result': 'fail', 'tcp.connect': 'ok' }));
      return { cache: res.headers.get('x-rca-cache'), body: await res.text() };
    };
    const [first, second] = [await ask(), await ask()];
    expect([first.cache, second.cache]).toEqual(['miss', 'hit']);
    expect(second.body).toBe(first.body);
    expect(JSON.parse(first.body).hypotheses[0]).toMatchObject({ id: 'network.icmp_filtered', belief: 0.8 });

    edited.setIcmpFilteredCf(0.6);
    edited.seal();
    server.signal('SIGHUP');
    await server.waitForLog((l) => l.msg === 'knowledge base reloaded');
    const after = await ask();
    expect(after.cache).toBe('miss');
    expect(JSON.parse(after.body).hypotheses[0]).toMatchObject({ id: 'network.icmp_filtered', belief: 0.6 });
    expect((await ask()).cache).toBe('hit');
  });

  it('refuses to start on a KB without a lock or not matching it (exit 3, naming the directory or file)', async () => {
    const unsealed = mkdtempSync(join(tmpdir(), 'rca-kb-'));
    cpSync(join(FIXTURE_KB, 'kb.yaml'), join(unsealed, 'kb.yaml'));
    const refused = await runCli(['serve', '--port', '0', '--kb', unsealed]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(`rca: knowledge-base error: ${unsealed}: expected a sealed knowledge base (kb.lock.json), got none: validate it and run \`rca kb seal ${unsealed}\`\n`);
    const edited = editableKb();
    edited.write((text) => text.replace('version: 1.0.0', 'version: 1.1.0'));
    const mismatch = await runCli(['serve', '--port', '0', '--kb', edited.dir]);
    expect(mismatch.code).toBe(3);
    expect(mismatch.stderr).toMatch(new RegExp(`^rca: knowledge-base error: ${edited.dir}/kb\\.yaml: expected sha256:[0-9a-f]{12}\\.\\.\\. as sealed in ${edited.dir}/kb\\.lock\\.json, got sha256:[0-9a-f]{12}\\.\\.\\.: changed since sealing`));
  });

  it('rejects a SIGHUP reload of a KB cut short at a line boundary, and keeps serving the old one', async () => {
    const edited = editableKb();
    const server = await startServer(['--kb', edited.dir]);
    const kb = async () => (await (await fetch(`${server.base}/v1/kb`)).json()) as { hash: string; counts: Record<string, number> };
    const before = await kb();
    expect(before.counts).toEqual({ hypotheses: 4, rules: 6, questions: 7, conditions: 0, commands: 0 });
    // Cut before the questions: still valid YAML and a valid KB, with 0 questions.
    edited.write((text) => text.slice(0, text.indexOf('\nquestions:') + 1));
    server.signal('SIGHUP');
    const rejected = await server.waitForLog((l) => l.level === 50 && String(l.msg).startsWith('knowledge base reload rejected'));
    expect(String(rejected.msg)).toMatch(/kb\.yaml: expected sha256:[0-9a-f]{12}\.\.\. as sealed in .*kb\.lock\.json, got sha256:[0-9a-f]{12}\.\.\.: changed since sealing/);
    expect(await kb()).toEqual(before);
  });

  it('answers /healthz promptly while a slow KB reloads, then serves it', async () => {
    const dir = slowKb(10);
    const server = await startServer(['--kb', dir]);
    const kb = async () => (await (await fetch(`${server.base}/v1/kb`)).json()) as { loadedAt: string; counts: { rules: number } };
    const before = await kb();
    server.signal('SIGHUP');
    const latencies: number[] = [];
    let reloaded = false;
    void server.waitForLog((l) => l.msg === 'knowledge base reloaded', 30_000).then(() => (reloaded = true));
    for (const start = Date.now(); !reloaded && Date.now() - start < 30_000; ) {
      const sent = performance.now();
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      latencies.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(reloaded).toBe(true);
    expect(Math.max(...latencies)).toBeLessThan(500);
    expect(latencies.length).toBeGreaterThan(5);
    const after = await kb();
    expect(after.loadedAt).not.toBe(before.loadedAt);
    expect(after.counts.rules).toBe(before.counts.rules);
  }, 60_000);

  it('drains on SIGTERM (RCA_DRAIN_SECONDS, a fraction of a second), then refuses new connections and finishes the request in flight; exit 0', async () => {
    const server = await startServer(['--kb', FIXTURE_KB], { RCA_DRAIN_SECONDS: '0.3' });
    const port = Number(new URL(server.base).port);
    const inFlight = openRaw(port, IN_FLIGHT);
    await new Promise((r) => setTimeout(r, 200));
    server.signal('SIGTERM');
    const draining = await server.waitForLog((l) => String(l.msg).startsWith('shutting down'));
    expect(draining).toMatchObject({ signal: 'SIGTERM', drainSeconds: 0.3, msg: 'shutting down: draining for 0.3 s (/readyz answers 503, every other route serves)' });
    const stopped = await server.waitForLog((l) => l.msg === 'shutting down: no longer listening; refusing new requests, finishing those received');
    expect(Number(stopped.time) - Number(draining.time)).toBeGreaterThanOrEqual(290);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    inFlight.socket.end(ICMP_BODY.slice(10));
    const answered = parseRawResponse(await inFlight.closed);
    expect([answered.status, answered.headers.connection]).toEqual([200, 'close']);
    expect(answered.body).toContain('"network.icmp_filtered"');
    expect(await server.exited).toBe(0);
  });

  it('answers /readyz 503 shutting-down during the drain while every other route serves, closing each connection after its answer; a second signal ends it at once', async () => {
    // A drain longer than any stall bound here: only the second signal ends it.
    const server = await startServer(['--kb', FIXTURE_KB, '--drain-seconds', '60']);
    const port = Number(new URL(server.base).port);
    // A keep-alive connection that has had an answer already, and a request in flight.
    const kept = openRaw(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until(() => kept.received().endsWith('{"status":"ok"}'), 'the keep-alive connection answered');
    expect(parseRawResponse(kept.received()).headers.connection).toBe('keep-alive');
    const inFlight = openRaw(port, IN_FLIGHT);
    await new Promise((r) => setTimeout(r, 200));
    server.signal('SIGTERM');
    await server.waitForLog((l) => l.msg === 'shutting down: draining for 60 s (/readyz answers 503, every other route serves)');

    const ready = await fetch(`${server.base}/readyz`);
    expect([ready.status, ready.headers.get('content-type'), ready.headers.get('retry-after'), ready.headers.get('connection')]).toEqual([503, 'application/problem+json; charset=utf-8', '5', 'close']);
    const problem = (await ready.json()) as Record<string, unknown>;
    expect(isProblem(problem, 503)).toBe(true);
    expect(problem).toMatchObject({ type: 'https://rca.local/problems/shutting-down', detail: 'the server is shutting down: it serves requests while load balancers take it out, then stops listening; retry in 5 s' });
    const diagnosis = await fetch(`${server.base}/v1/diagnose`, diagnoseBody({ 'ping.result': 'fail', 'tcp.connect': 'ok' }));
    expect([diagnosis.status, diagnosis.headers.get('connection')]).toEqual([200, 'close']);
    expect(((await diagnosis.json()) as { hypotheses: Array<{ id: string }> }).hypotheses[0]?.id).toBe('network.icmp_filtered');
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    // The keep-alive connection is served once more, told Connection: close, and closed.
    const before = kept.received().length;
    kept.socket.write('GET /v1/kb HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const again = parseRawResponse((await kept.closed).slice(before));
    expect([again.status, again.headers.connection, JSON.parse(again.body).name]).toEqual([200, 'close', 'interview-fixture']);

    const asked = Date.now();
    server.signal('SIGINT');
    expect(await server.exited).toBe(0);
    // A stall bound, far below the 60 s drain.
    expect(Date.now() - asked).toBeLessThan(10_000);
    // Ended at once: the request in flight is not waited for, its connection closed unanswered.
    expect(await inFlight.closed).toBe('');
    expect(server.logs.find((l) => l.level === 40)?.msg).toBe('shutting down now (a second signal): closing every connection, the requests in flight unanswered');
  });

  it('refuses a --drain-seconds (or RCA_DRAIN_SECONDS) that is not a number of seconds from 0 to 600: a usage error, exit 2', async () => {
    const expected = 'expected a number of seconds from 0 to 600 (0.5 for half a second)';
    const soon = await runCli(['serve', '--port', '0', '--drain-seconds', 'soon']);
    expect([soon.code, soon.stderr.split('\n')[0]]).toEqual([2, 'rca: usage error: --drain-seconds: expected a number, got "soon"']);
    for (const [args, env, got] of [
      [['--drain-seconds', '-1'], {}, '-1'],
      [['--drain-seconds', '601'], {}, '601'],
      [[], { RCA_DRAIN_SECONDS: '5000' }, '5000'],
      [[], { RCA_DRAIN_SECONDS: '1e1' }, '1e1'],
      [[], { RCA_DRAIN_SECONDS: '.5' }, '.5'],
      [[], { RCA_DRAIN_SECONDS: ' 5' }, '" 5"'],
    ] as const) {
      const run = await runCli(['serve', '--port', '0', ...args], { env });
      expect([run.code, run.stderr.split('\n')[0]], `${args.join(' ')} ${JSON.stringify(env)}`).toEqual([2, `rca: usage error: --drain-seconds (or RCA_DRAIN_SECONDS): ${expected}, got ${got}`]);
    }
  });

  it('answers every request already sent when SIGTERM comes, even those queued while the server could not run', async () => {
    // Spawned: only a process can be stopped (SIGSTOP), and its exit code is the bin's.
    // No drain, so that what answers them is the settling before the listener closes.
    const server = await startServer(['--kb', FIXTURE_KB, '--rate-limit', '0', '--cache-size', '0', '--log-level', 'warn', '--drain-seconds', '0'], {}, { spawned: true });
    const port = Number(new URL(server.base).port);
    const body = JSON.stringify({ facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } });
    // Stopped, the server cannot accept or read: every request below waits in the kernel, as
    // behind a long computation. Half ask to keep the connection alive: it must close anyway.
    server.child!.kill('SIGSTOP');
    const sent = Array.from({ length: 100 }, (_, i) => openRaw(port, `POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: ${i % 2 ? 'close' : 'keep-alive'}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    // Every request sent before the signal: a busy test runner took longer than a fixed wait to send them all.
    await Promise.all(sent.map((request) => request.written));
    server.signal('SIGTERM');
    server.child!.kill('SIGCONT');
    const statuses = await Promise.all(sent.map(async (request) => (await request.closed) ? `${parseRawResponse(request.received()).status}` : (request.error() ?? 'closed unanswered')));
    expect(statuses.filter((s) => s !== '200')).toEqual([]);
    expect(await server.exited).toBe(0);
  });

  it('stops without a drain on SIGINT, refusing a request whose headers arrive after with 503 problem+json and Retry-After, and answers the one in flight', async () => {
    const server = await startServer(['--kb', FIXTURE_KB]);
    const port = Number(new URL(server.base).port);
    // In flight: its headers are in, its body is not.
    const inFlight = openRaw(port, IN_FLIGHT);
    // Not yet a request: half of its headers.
    const late = openRaw(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((r) => setTimeout(r, 200));
    server.signal('SIGINT');
    expect(await server.waitForLog((l) => String(l.msg).startsWith('shutting down'))).toMatchObject({ signal: 'SIGINT', drainSeconds: 0, msg: 'shutting down' });
    await server.waitForLog((l) => l.msg === 'shutting down: no longer listening; refusing new requests, finishing those received');
    late.socket.write('Accept: application/json\r\n\r\n');
    const refused = parseRawResponse(await late.closed);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers.connection).toBe('close');
    const problem = JSON.parse(refused.body) as Record<string, unknown>;
    expect(isProblem(problem, 503)).toBe(true);
    expect(problem).toMatchObject({ type: 'https://rca.local/problems/shutting-down', detail: 'the server is shutting down; retry in 5 s' });
    inFlight.socket.write(ICMP_BODY.slice(10));
    const answered = parseRawResponse(await inFlight.closed);
    expect(answered.status).toBe(200);
    expect(answered.body).toContain('"network.icmp_filtered"');
    expect(await server.exited).toBe(0);
  });

  it('answers 408 problem+json to a partial body after --request-timeout, and refuses timeouts that cannot work', async () => {
    const server = await startServer(['--kb', FIXTURE_KB, '--headers-timeout', '200', '--request-timeout', '400']);
    const port = Number(new URL(server.base).port);
    const started = Date.now();
    const answer = parseRawResponse(await rawExchange(port, 'POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"facts":', 10_000));
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'https://rca.local/problems/request-timeout', detail: 'send the headers within 200 ms and the whole request within 400 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
    const env = await runCli(['serve', '--port', '0'], { env: { RCA_HEADERS_TIMEOUT: '5000', RCA_REQUEST_TIMEOUT: '1000' } });
    expect(env.code).toBe(2);
    expect(env.stderr.split('\n')[0]).toBe('rca: usage error: --request-timeout (or RCA_REQUEST_TIMEOUT): expected at least the headers timeout (5000 ms), got 1000');
    const zero = await runCli(['serve', '--port', '0', '--headers-timeout', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr.split('\n')[0]).toBe('rca: usage error: --headers-timeout (or RCA_HEADERS_TIMEOUT): expected at least 1 ms, got 0');
  });
});
