import { describe, expect, it } from 'vitest';
import { HOSTILE_SIZE, hostileShapes, readCapture, shapesFor } from '../../bench/hostile-artifacts.js';
import { artifactParsers, parseArtifact } from '../../src/collect/parsers/index.js';
import { MAX_ARTIFACT_LINES, MAX_LINE_CHARS } from '../../src/collect/parsers/text.js';
import { InputError } from '../../src/core/errors.js';
import { CAPTURE_DAY, readArtifact } from './fixtures.js';
import { cpuStopwatch } from '../cpu-time.js';

/** Generous: every parser reads 256 KB in well under 100 ms; a quadratic pattern took seconds to hours. */
const BOUND_MS = 1000;

/** Runs `fn` and gives its result and the milliseconds of CPU it took (cpuStopwatch). */
function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = cpuStopwatch();
  const result = fn();
  return { result, ms: start.ms() };
}

/** The crafted shapes that are, in fact, the tool's output, and the facts they give; every other shape is refused. */
const SHAPES_WITH_FACTS: Record<string, Record<string, Record<string, unknown>>> = {
  'curl-w': {
    'curl keys then a word': { 'http.status': 200, 'http.latency_ms': 1000 },
    'curl keys then a word, in 4000-character lines': { 'http.status': 200, 'http.latency_ms': 1000, 'http.error_rate_pct': 0 },
  },
  // resolv.conf's keywords, however long the line: an options line without ndots and a search list at the default ndots:1 say nothing (with a warning).
  'resolv-conf': {
    'resolv.conf options then words': {},
    'resolv.conf options then words, in 4000-character lines': {},
    'resolv.conf search suffixes': {},
    'resolv.conf search suffixes, in 4000-character lines': {},
  },
  // curl -v's own lines, however long: a connect, status lines; an alert line with no number and a meter before a Trying line give none (with a warning).
  'curl-v': {
    'curl -v Connected to then a word': { 'tcp.connect': 'ok' },
    'curl -v Connected to then a word, in 4000-character lines': { 'tcp.connect': 'ok' },
    'curl status lines': { 'http.status': 200 },
    'curl status lines, in 4000-character lines': { 'http.status': 200 },
    'curl TLS alert then letters': {},
    'curl TLS alert then letters, in 4000-character lines': {},
    'progress meter then a verbose line, in 4000-character lines': {},
  },
  // curl -i's responses, the last one read: a 503 with no tier's mark (a warning), however long a header runs.
  'curl-i': {
    'curl -i responses': { 'http.status': 503 },
    'curl -i responses, in 4000-character lines': { 'http.status': 503 },
    'curl -i header then letters': { 'http.status': 503 },
    'curl -i header then letters, in 4000-character lines': { 'http.status': 503 },
  },
  // dig's own responses, however many: a status, and run after run of one address compares as the same answer.
  dig: {
    'dig CNAME chain': { 'dns.result': 'ok' },
    'dig CNAME chain, in 4000-character lines': { 'dns.result': 'ok' },
    'dig runs repeated': { 'dns.result': 'ok', 'dns.answer_mismatch': false },
    'dig runs repeated, in 4000-character lines': { 'dns.result': 'ok', 'dns.answer_mismatch': false },
  },
  top: {
    'process rows': { 'proc.top_pid': 1, 'proc.top_name': 'x', 'proc.top_cpu_pct': 5 },
    'process rows, in 4000-character lines': { 'proc.top_pid': 1, 'proc.top_name': 'x', 'proc.top_cpu_pct': 5 },
    // Every process but the first descends from the app, through the chain: all their CPU is the app's.
    'top rows over a ps chain of parents': { 'proc.top_pid': 1, 'proc.top_name': 'w', 'proc.top_cpu_pct': 5, 'proc.top_role': 'app', 'proc.app_pid': 1, 'proc.app_cpu_pct': 470.4 },
  },
  // A -/+ line cut at the end is not one: the whole one before it gives half the Mem: row's total.
  free: {
    'free -/+ lines': { 'host.mem_available_pct': 50 },
    'free -/+ lines, in 4000-character lines': { 'host.mem_available_pct': 50 },
  },
  // Rows of a silent hop at 100% under a header, the last one the destination: cut at the end of the
  // text, it reads 10%; in 4,000-character lines the cut row has no Loss% left, so the whole one before it counts.
  mtr: {
    'mtr hop rows': { 'ping.result': 'partial_loss', 'ping.loss_pct': 10, 'ping.intermediate_loss_only': false },
    'mtr hop rows, in 4000-character lines': { 'ping.result': 'fail', 'ping.loss_pct': 100, 'ping.intermediate_loss_only': false },
  },
  // A JDK 8 line of a one-second pause at 1.0 s: the pauses overlap, so the share stops at 100%.
  // V8's nvp line of a 1 ms pause, however many pairs follow: a pause, and no window for a share.
  'gc-log': {
    'JDK 8 GC totals': { 'app.gc_pause_ms': 1000, 'app.gc_time_pct': 100 },
    'JDK 8 GC totals, in 4000-character lines': { 'app.gc_pause_ms': 1000, 'app.gc_time_pct': 100 },
    'V8 nvp pairs': { 'app.gc_pause_ms': 1 },
    'V8 nvp pairs, in 4000-character lines': { 'app.gc_pause_ms': 1 },
  },
  // ethtool -S's header, then the same allowance counter run after run: never rising.
  'ethtool-s': {
    'ethtool allowance lines': { 'host.pps_at_limit': false },
    'ethtool allowance lines, in 4000-character lines': { 'host.pps_at_limit': false },
  },
  // jstack's threads, every one queued on the one monitor; goroutines, every one under one mutex's Lock: a crowd, however many.
  'thread-dump': {
    'jstack threads on one monitor': { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true },
    'jstack threads on one monitor, in 4000-character lines': { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true },
    'goroutines on one mutex': { 'app.runtime': 'go', 'app.threads_blocked_on_lock': true },
    'goroutines on one mutex, in 4000-character lines': { 'app.runtime': 'go', 'app.threads_blocked_on_lock': true },
  },
  df: {
    'df rows': { 'host.disk_used_pct': 50 },
    'df rows, in 4000-character lines': { 'host.disk_used_pct': 50 },
  },
  // One counter run after run, never rising: no overflow now.
  nstat: {
    'nstat counter lines': { 'kernel.listen_overflows': false },
    'nstat counter lines, in 4000-character lines': { 'kernel.listen_overflows': false },
  },
  // Listening sockets with 2 waiting on a backlog of 1: accept queues full. A loop's runs of one
  // socket with 5 waiting at every look: no worker free; thousands of sockets waiting at both looks:
  // which one is the service's is unknown (no fact, a warning).
  'ss-s': {
    'ss LISTEN rows': { 'kernel.listen_overflows': true },
    'ss LISTEN rows, in 4000-character lines': { 'kernel.listen_overflows': true },
    'ss headers each with a LISTEN row': { 'proc.workers_busy_pct': 100 },
    'ss headers each with a LISTEN row, in 4000-character lines': { 'proc.workers_busy_pct': 100 },
    'ss two looks at many sockets': {},
    'ss two looks at many sockets, in 4000-character lines': {},
  },
  pidstat: {
    'pidstat rows': { 'proc.app_pid': 1, 'proc.app_cpu_pct': 20, 'proc.app_sys_share_pct': 50 },
    'pidstat rows, in 4000-character lines': { 'proc.app_pid': 1, 'proc.app_cpu_pct': 20, 'proc.app_sys_share_pct': 50 },
  },
  // iostat -x's second report, however many device lines: the mean per request of w_await (4 ms), and %util's mean.
  iostat: {
    'iostat device rows': { 'host.disk_await_ms': 4, 'host.disk_util_pct': 50 },
    'iostat device rows, in 4000-character lines': { 'host.disk_await_ms': 4, 'host.disk_util_pct': 50 },
  },
  // cpu.stat's and cpu.max's own lines, however many: nr_periods without nr_throttled gives no share (with a warning),
  // a quota of 1 ms in 100 ms is 0.01 CPU, and cfs_quota_us -1 is no quota of its own (with a warning).
  'cpu-stat': {
    'cpu.stat counter lines': {},
    'cpu.stat counter lines, in 4000-character lines': {},
    'cpu.max lines': { 'cgroup.cpu_limit_cores': 0.01 },
    'cpu.max lines, in 4000-character lines': { 'cgroup.cpu_limit_cores': 0.01 },
    'cfs file names then quota lines': {},
    'cfs file names then quota lines, in 4000-character lines': {},
  },
  // memory.stat's lines alone (no limit, no usage) give nothing; one file-name line labels only the numbers right under it.
  'cgroup-memory': {
    'memory.stat lines': {},
    'memory.stat lines, in 4000-character lines': {},
    'memory file names then numbers': {},
    'memory file names then numbers, in 4000-character lines': {},
  },
  // PSI's own lines under a header naming the host's io file: the last block's avg10.
  psi: {
    'psi some lines': { 'psi.io_some_pct': 1 },
    'psi some lines, in 4000-character lines': { 'psi.io_some_pct': 1 },
  },
  // A client pool's wait timeout, however long the line: HikariCP's count too long for any pool is no count (a full pool, as before 4.0 printed none),
  // and SQLAlchemy's "connection timed out" stays the pool's, no connect's.
  'app-errors': {
    'HikariCP pool timeout then digits': { 'app.pool_wait_timeouts': true },
    'HikariCP pool timeout then digits, in 4000-character lines': { 'app.pool_wait_timeouts': true },
    'pool wait words repeated': { 'app.pool_wait_timeouts': true },
    'pool wait words repeated, in 4000-character lines': { 'app.pool_wait_timeouts': true },
  },
  // nc's failure lines, the last one cut short of its reason: the verdict is that failure, which has no outcome (no fact, a warning).
  'tcp-connect': {
    'nc connect failure, hex words': {},
    'nc connect failure, hex words, in 4000-character lines': {},
  },
  // The same SYN sent again and again (one sequence number): retransmitted, never answered.
  tcpdump: {
    'tcpdump SYN lines': { 'tcp.syn_retransmits': true },
    'tcpdump SYN lines, in 4000-character lines': { 'tcp.syn_retransmits': true },
  },
  'nginx-error': {
    'nginx 499 then digits': { 'proxy.upstream_error': 'client_closed' },
    'nginx 499 then digits, in 4000-character lines': { 'proxy.upstream_error': 'client_closed' },
  },
  // Read timeouts line after line; the line cut at the end of the text is no line.
  'haproxy-log': {
    'haproxy log lines': { 'proxy.upstream_error': 'read_timeout', 'http.status': 504, 'http.error_source': 'lb', 'http.error_rate_pct': 100 },
    'haproxy log lines, in 4000-character lines': { 'proxy.upstream_error': 'read_timeout', 'http.status': 504, 'http.error_source': 'lb', 'http.error_rate_pct': 100 },
    // Every server down by a check, line after line: none left.
    'haproxy check events': { 'lb.backend_health': 'all_unhealthy', 'lb.health_check_status': 404 },
    'haproxy check events, in 4000-character lines': { 'lb.backend_health': 'all_unhealthy', 'lb.health_check_status': 404 },
  },
  // show stat's rows, one server over and over: up, with no other to compare; a stot that runs on is no count (no facts, a warning).
  'haproxy-stat': {
    'haproxy stat rows': { 'lb.backend_health': 'all_healthy' },
    'haproxy stat rows, in 4000-character lines': { 'lb.backend_health': 'all_healthy' },
    'haproxy stat cell then digits': {},
    'haproxy stat cell then digits, in 4000-character lines': {},
  },
};

const texts = new Map(hostileShapes.map((shape) => [shape.name, shape.make(HOSTILE_SIZE)]));

type Outcome = { facts: Record<string, unknown> } | { field: string; expected: string };

function parseError(kind: string, text: string): { field: string; expected: string } {
  const result = outcome(kind, text);
  if ('facts' in result) throw new Error(`${kind} accepted ${JSON.stringify(text.slice(0, 40))}`);
  return result;
}

function outcome(kind: string, text: string): Outcome {
  try {
    return { facts: parseArtifact(kind, text, { now: CAPTURE_DAY }) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const [problem, ...more] = error.problems;
    expect(more).toEqual([]);
    return { field: problem?.field ?? '', expected: problem?.expected ?? '' };
  }
}

describe('artifact parsers on 256 KB of crafted text', () => {
  it('has shapes of exactly 256 KB', () => {
    for (const [name, text] of texts) expect(text, name).toHaveLength(HOSTILE_SIZE);
  });

  it.each(artifactParsers.map((p) => p.kind))(`%s answers each shape in under ${BOUND_MS} ms, with facts only where the text is its output`, (kind) => {
    const refusal = parseError(kind, 'not a capture').expected;
    const captureFacts = outcome(kind, readCapture(kind));
    expect(captureFacts).toHaveProperty('facts');
    const slow: string[] = [];
    for (const { name, kind: aroundCaptureOf } of shapesFor(kind)) {
      const text = texts.get(name) ?? '';
      const { result, ms } = timed(() => outcome(kind, text));
      // A run over the bound runs once more and the faster counts: a busy machine's pause is
      // not a failure, while a quadratic parser is slow both times.
      if (ms > BOUND_MS && timed(() => outcome(kind, text)).ms > BOUND_MS) slow.push(`${name}: ${Math.round(ms)} ms`);
      const expectedFacts = SHAPES_WITH_FACTS[kind]?.[name];
      // Around a capture, the run changes nothing: the capture's facts come out.
      if (aroundCaptureOf) expect(result, name).toEqual(captureFacts);
      else expect(result, name).toEqual(expectedFacts ? { facts: expectedFacts } : { field: `artifact ${kind}`, expected: refusal });
    }
    expect(slow).toEqual([]);
  });
});

describe('text of more lines than any tool prints', () => {
  it('is refused by every parser before it reads a line: 16 MiB of newlines, the most an artifact may be', () => {
    const newlines = '\n'.repeat(16 * 1024 * 1024);
    const slow: string[] = [];
    for (const { kind } of artifactParsers) {
      const { result, ms } = timed(() => outcome(kind, newlines));
      expect(result, kind).toEqual({ field: `artifact ${kind}`, expected: "at most 1,000,000 lines (no tool's output runs to more)" });
      if (ms > BOUND_MS) slow.push(`${kind}: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
  });

  it('near miss: a million lines are read, and refused by the parser as no output of its tool', () => {
    const refusal = parseError('openssl', 'not a capture').expected;
    expect(outcome('openssl', '\n'.repeat(MAX_ARTIFACT_LINES - 1))).toEqual({ field: 'artifact openssl', expected: refusal });
  });
});

describe('top over a ps table that chains every pid to the next', () => {
  it('finds the app\'s descendants in one walk: 2 MB, eight times the shapes\' size, within the same bound', () => {
    // Walking each process's chain up cost the square of the rows: 14 to 31 s for 1.8 MB.
    const shape = hostileShapes.find((s) => s.name === 'top rows over a ps chain of parents');
    const text = shape?.make(8 * HOSTILE_SIZE) ?? '';
    const { result, ms } = timed(() => parseArtifact('top', text, { now: new Date(0) }));
    expect(result).toMatchObject({ 'proc.top_role': 'app', 'proc.app_pid': 1 });
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe('artifact lines longer than any tool prints', () => {
  it('are read only up to MAX_LINE_CHARS', () => {
    const text = readArtifact('dmesg', 'quiet.txt');
    const pastTheCut = `[ 1.000000] ${'x'.repeat(MAX_LINE_CHARS)} nf_conntrack: table full, dropping packet\n`;
    const beforeTheCut = '[ 1.000000] nf_conntrack: table full, dropping packet\n';
    expect(parseArtifact('dmesg', text + pastTheCut)).toEqual({ 'host.oom_kills': 0, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': false });
    expect(parseArtifact('dmesg', text + beforeTheCut)).toEqual({ 'host.oom_kills': 0, 'kernel.conntrack_full': true, 'kernel.neigh_table_overflow': false });
  });

  it('keep what comes before the cut: an nginx line with a long request still counts', () => {
    const line = `2024/03/01 10:00:00 [error] 31#31: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.1, request: "GET /${'a'.repeat(2 * MAX_LINE_CHARS)} HTTP/1.1"`;
    expect(parseArtifact('nginx-error', line)).toEqual({ 'proxy.upstream_error': 'connect_refused' });
  });

  it('take the backend from nginx\'s own upstream field, the last on its line, not from text a client put in its request', () => {
    const line = (request: string, upstream: string) => `2024/03/01 10:00:00 [error] 31#31: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.1, request: "${request}", upstream: "${upstream}", host: "shop.example"`;
    expect(parseArtifact('nginx-error', line('GET /, upstream: "http://198.51.100.66:22/ HTTP/1.1', 'http://10.0.0.5:8080/'))).toEqual({ 'proxy.upstream_error': 'connect_refused', 'backend.host': '10.0.0.5', 'backend.port': 8080 });
    expect(parseArtifact('nginx-error', line('GET / HTTP/1.1', 'http://[2001:db8::5]:8443/api'))).toEqual({ 'proxy.upstream_error': 'connect_refused', 'backend.host': '2001:db8::5', 'backend.port': 8443 });
    // No port (an upstream block's name), a port out of range, a unix socket, an option-like host: no backend.
    for (const upstream of ['http://backend/', 'http://10.0.0.5:0/', 'http://10.0.0.5:70000/', 'fastcgi://unix:/run/php.sock:', 'http://-oProxyCommand=x:22/', 'http://-evil:22/', 'http://a..b:80/', 'http://[::1::2]:80/']) {
      expect(parseArtifact('nginx-error', line('GET / HTTP/1.1', upstream)), upstream).toEqual({ 'proxy.upstream_error': 'connect_refused' });
    }
    // A line longer than any nginx writes is cut, and nginx's own field may be past the cut: a
    // client's text before it (here a megabyte of would-be fields) names no backend.
    const long = line(`GET /${', upstream: "http://198.51.100.66:22/'.repeat(25_000)} HTTP/1.1`, 'http://10.0.0.5:8080/');
    expect(parseArtifact('nginx-error', long)).toEqual({ 'proxy.upstream_error': 'connect_refused' });
  });

  it('are read whole by strace-t, whose lines end with the duration and grow with strace -s', () => {
    const line = `read(3, "${'a'.repeat(4 * MAX_LINE_CHARS)}"..., 65536) = 65536 <0.250000>`;
    expect(parseArtifact('strace-t', line)).toEqual({ 'strace.slowest_call_ms': 250 });
  });
});

describe('openssl verify errors and validity lines on 256 KB of crafted text', () => {
  const fill = (unit: string) => unit.repeat(Math.ceil(HOSTILE_SIZE / unit.length)).slice(0, HOSTILE_SIZE);

  it.each([
    // every final code distinct from the verify errors: each looked up among those already seen
    ['distinct verify codes', fill('verify error:num=7:x\nVerify return code: 8 (x)\n').replace(/\d+/g, () => String(Math.floor(Math.random() * 1e6)))],
    // a validity line of many "; NotAfter: " with no date: two greedy groups would backtrack on each
    ['validity lines without dates', ` 0 s:CN = x\n${fill(`   v:NotBefore: ${'GMT; NotAfter: '.repeat(250)}\n`)}`],
    // long subjects and issuers to compare, each under its own depth and verify error
    ['chain listings under verify errors', fill(` 1 s:${'CN = x, '.repeat(400)}\n   i:${'CN = x, '.repeat(400)}\ndepth=1 CN = x\nverify error:num=10:x\nnotAfter=x\n`)],
  ])(`%s: answered in under ${BOUND_MS} ms`, (_name, text) => {
    const run = () => timed(() => outcome('openssl', text)).ms;
    expect(Math.min(run(), run())).toBeLessThan(BOUND_MS);
  });
});
