/**
 * Crafted artifact texts that make backtracking regexes slow: long runs without the ending a
 * pattern waits for, each under the prefix a parser looks for, or around a real capture (so the
 * run reaches the code that reads a recognised capture). Shared by the hostile-parsers bench
 * (bench/parsers.ts) and the tests that keep every parser linear.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactParsers, parseArtifact } from '../src/collect/parsers/index.js';
import { InputError } from '../src/core/errors.js';
import { packageRoot } from '../src/core/paths.js';

/** The largest artifact text the API accepts (schemas/diagnose-request.schema.json). */
export const HOSTILE_SIZE = 256 * 1024;

export interface HostileShape {
  name: string;
  /** Only for this parser (a shape around one of its captures); for every parser when absent. */
  kind?: string;
  /** A text of exactly `size` characters (more only when a capture alone is longer). */
  make(size: number): string;
}

/** `prefix`, then `unit` repeated, then `suffix`, cut to `size` characters in all. */
function filled(name: string, unit: string, prefix = '', suffix = ''): HostileShape {
  return {
    name,
    make(size) {
      const body = Math.max(0, size - prefix.length - suffix.length);
      return `${prefix}${unit.repeat(Math.ceil(body / unit.length)).slice(0, body)}${suffix}`.slice(0, size);
    },
  };
}

/** free's column header (procps-ng and busybox), under which its Mem: row is read. */
const FREE_HEADER = '  total used free shared buff/cache available\n';

/** A dig response's header and question section (of the name "a"), before its answer section. */
const DIG_QUESTION = ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n;; QUESTION SECTION:\n;a. IN A\n\n';

/** iostat -x's device header (sysstat 12's names, fewer columns), under which its device lines are read. */
const IOSTAT_HEADER = 'Device r/s w/s r_await w_await aqu-sz %util';

/** Two ss -ltn runs listing the same thousands of sockets, each with connections waiting: every socket compared once. */
function ssTwoLooksAtManySockets(): HostileShape {
  const header = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\n';
  return {
    name: 'ss two looks at many sockets',
    make(size) {
      const rows: string[] = [];
      for (let i = 0, length = 0; length < size / 2 - header.length; i++) {
        const row = `LISTEN 5 128 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:80 b:*\n`;
        rows.push(row);
        length += row.length;
      }
      return `${header}${rows.join('')}${header}${rows.join('')}`.slice(0, size);
    },
  };
}

/**
 * top under `# app_pid: 1` with thousands of processes, then a ps table in which each pid is the
 * parent of the next: the app's descendants were once found by walking each process's chain up
 * (the square of the rows: 30 s for 2 MB).
 */
function topOverAChainOfParents(): HostileShape {
  return {
    name: 'top rows over a ps chain of parents',
    make(size) {
      const head = '# app_pid: 1\ntop - 1\n  PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND\n';
      const rows: string[] = [];
      const chain: string[] = ['  PID  PPID %CPU COMMAND\n'];
      for (let pid = 1, length = head.length + chain[0]!.length; length < size; pid++) {
        const row = `${pid} root 20 0 1 1 1 R ${pid === 1 ? '5.0' : '0.1'} 0.0 0:01.00 w\n`;
        const link = `${pid + 1} ${pid} 0.0 w\n`;
        rows.push(row);
        chain.push(link);
        length += row.length + link.length;
      }
      return `${head}${rows.join('')}${chain.join('')}`.slice(0, size);
    },
  };
}

const baseShapes: readonly HostileShape[] = [
  filled('digits', '1'),
  filled('digits then a letter', '1', '', 'x'),
  filled('spaces', ' '),
  filled('newlines', '\n'),
  filled('CRLF', '\r\n'),
  filled('space-newline', ' \n'),
  filled('tabs', '\t'),
  filled('one long line of letters', 'a'),
  filled('many short lines', 'a\n'),
  filled('a= repeated', 'a='),
  filled('= repeated', '='),
  filled('digit-space', '1 '),
  filled('dots', '.'),
  filled('digit-dot', '1.'),
  filled('# lines', '#\n'),
  filled('call without end', 'a('),
  filled('call then = without <', '=', 'a('),
  filled('a(= repeated', 'a(='),
  filled('< repeated', '<'),
  filled('%Cpu0 : then digits', '1', '%Cpu0 :'),
  filled('%Cpu0 : then fields', ' 1 us,', '%Cpu0 :'),
  filled('%Cpu then digits', '1', '%Cpu'),
  filled('%Cpu0 : repeated', '%Cpu0 : 1'),
  filled('PID USER then %CPU', ' %CPU', 'top - 1\n  PID USER'),
  filled('Mem : then digits', '1', 'MiB Mem : '),
  filled('process rows', '  1 root 20 0 1 1 1 R 5.0 0.0 0:01.00 x\n', 'top - 1\n  PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND\n'),
  filled('strace -c header then digit rows', ' 1.00 1.00 1 1 1 1 1 1 1 1\n', '% time     seconds  usecs/call     calls    errors syscall\n'),
  filled('strace -c header then long row', ' 1', '% time     seconds  usecs/call     calls    errors syscall\n 1.0 1.0'),
  filled('cpu= then a word', 'a', 'cpu=0 '),
  filled('cpu= lines', 'cpu=0 insert_failed=1 a\n'),
  filled('curl keys then a word', 'a', 'http_code=200 time_total=1 '),
  // curl -v: a connect line whose host runs on, a progress meter before a verbose line, an alert's description without its number, status lines.
  filled('curl -v Connected to then a word', 'a', '* Connected to x ('),
  filled('progress meter then a verbose line', '  0', '', '*   Trying 127.0.0.1:80...'),
  filled('curl TLS alert then letters', 'a', '* TLSv1.3 (IN), TLS alert, '),
  filled('curl status lines', '< HTTP/1.1 200 OK\n'),
  // curl -i: a status line and a header, over and over; a header whose value runs on.
  filled('curl -i responses', 'HTTP/1.1 503 Service Unavailable\nserver: x\n'),
  filled('curl -i header then letters', 'a', 'HTTP/1.1 503 Service Unavailable\nx-a: '),
  filled('dig header repeated', '->>HEADER<<-'),
  filled('dig communications error repeated', ';; communications error to '),
  filled('dig communications error then colons', ':', ';; communications error to '),
  filled('dig +short-like dots', 'a.'),
  // One response's answer section of CNAMEs, each to the next name, then addresses; and run after run of one answer (a paste of many digs).
  filled('dig CNAME chain', 'a. 1 IN CNAME a.\nb. 1 IN A 192.0.2.1\n', `${DIG_QUESTION};; ANSWER SECTION:\n`),
  filled('dig runs repeated', `; <<>> DiG 9.18 <<>> @192.0.2.53 a\n${DIG_QUESTION};; ANSWER SECTION:\na. 1 IN A 192.0.2.1\n\n;; SERVER: 192.0.2.53#53(192.0.2.53) (UDP)\n`),
  filled('mpstat header repeated', 'CPU %usr '),
  filled('mpstat header then spaces', ' ', '12:00:00 CPU %usr'),
  // Every short row was once checked against every column of a 4 KB header (9 s for 256 KB).
  filled('a 2,000-column mpstat header then short rows', 'all 1 2\n', `${'x '.repeat(2040)}CPU %usr %idle\n`),
  filled('pidstat header repeated', 'UID PID %usr %system %CPU Command '),
  // Rows of one process under its header: pidstat's own output, which gives facts however long.
  filled('pidstat rows', 'Average: 0 1 10.00 10.00 20.00 x\n', 'Average: UID PID %usr %system %CPU Command\n'),
  // A header of 2,000 columns, rows that fall short of it: each is dropped by its cell count.
  filled('a 2,000-column pidstat header then short rows', 'Average: 0 1 1.00\n', `12:00:00 UID PID ${'x '.repeat(2000)}%usr %system %CPU Command\n`),
  filled('free header repeated', FREE_HEADER),
  filled('free header then a Mem: cell of digits', '1', `${FREE_HEADER}Mem: `),
  filled('free header then Mem: cells', ' 1', `${FREE_HEADER}Mem:`),
  filled('free -h sizes', ' 1,1Gi', `${FREE_HEADER}Mem:`),
  filled('free Mem: rows', 'Mem: 2 1 1 0 0 1\n', FREE_HEADER),
  filled('free -/+ lines', '-/+ buffers/cache: 1 1\n', '  total used free shared buffers cached\nMem: 2 1 1 0 0 0\n'),
  // tcpdump: the same SYN over and over; -v's IP headers with no TCP part under them; an address that never ends; parentheses that never close.
  filled('tcpdump SYN lines', 'IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1, win 64240, options [mss 1460,wscale 7], length 0\n'),
  filled('tcpdump -v headers', 'IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 40)\n'),
  filled('tcpdump address then digits', '1.', 'IP '),
  filled('tcpdump -v header then parentheses', '(', 'IP ('),
  filled('netstat Tcp: then digits', '1', 'Tcp:\n '),
  filled('netstat TcpExt: then digits', '1', 'Tcp:\n 1 segments sent out\nTcpExt:\n '),
  filled('netstat indented lines', ' a\n', 'Tcp:\n'),
  filled('nstat counter then digits', '1', 'TcpOutSegs '),
  filled('nstat counter then dots', '1.', 'TcpOutSegs 1 '),
  filled('df header then a row of % cells', ' 1%', 'Filesystem Size Used Avail Use% Mounted on\na'),
  filled('df rows', 'a 1 1 1 50% /a\n', 'Filesystem Size Used Avail Use% Mounted on\n'),
  filled('nstat command then options', ' -z', '$ nstat'),
  filled('nstat counter lines', 'TcpExtListenDrops 1\n'),
  filled('ss LISTEN rows', 'LISTEN 2 1 a:1 b:*\n', 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\n'),
  // A loop of ss -ltn runs: a table per run, each read once.
  filled('ss headers each with a LISTEN row', 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 5 128 a:1 b:*\n'),
  ssTwoLooksAtManySockets(),
  filled('x509 checkhost then a word', 'a', 'Hostname '),
  filled('ss TCP: then timewait', ' timewait', 'TCP: 1 ('),
  filled('ss TCP: then newlines', '\n', 'TCP:'),
  filled('ss state lines', 'state close-wait\n'),
  // iostat -x: its device header over and over (no device line), a header whose columns run on, and a
  // second report's device lines under it (its own output, which gives facts however long).
  filled('iostat header repeated', `${IOSTAT_HEADER}\n`),
  filled('iostat header then columns', ' %util', 'Device r/s w/s'),
  filled('iostat device rows', 'sda 1 1 2 4 1 50\n', `${IOSTAT_HEADER}\nsda 1 1 2 4 1 50\n${IOSTAT_HEADER}\n`),
  filled('vmstat header then si so', ' si so', 'r b swpd'),
  filled('vmstat header then spaces', ' ', ' r b swpd'),
  filled('PING then digits', ' 1', 'PING x'),
  filled('mtr header then digits', '1', 'HOST: h Loss%\n'),
  filled('mtr header then hop numbers', '  1.|--', 'HOST: h Loss%\n'),
  filled('mtr hop rows', '  1.|-- ??? 100.0\n', 'HOST: h Loss%\n'),
  filled('mtr headers', 'HOST: h Loss% '),
  filled('rtt then digits', '1.', 'rtt min/avg/max = '),
  filled('openssl chain lines', '   a:x\n', '0 s:x\n'),
  filled('openssl depth lines', ' 0 s:\n'),
  filled('openssl PEM without end', 'A', '-----BEGIN CERTIFICATE-----\n'),
  filled('openssl notAfter then GMT', ' GMT', 'notAfter='),
  filled('dmesg [ then digits', '1', '['),
  filled('dmesg [ then spaces', ' ', '['),
  filled('journal prefix then word', 'a', 'Nov 1 1:1 '),
  filled('nginx 499 then digits', '1', '" 499 '),
  // HAProxy's log: whole lines (its own output, facts however long), a line whose timers field runs on, an accept date then spaces.
  filled('haproxy log lines', '192.0.2.7:1 [02/Dec/2026:16:21:05.178] f b/s 0/0/0/-1/1 504 1 - - sH-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"\n'),
  filled('haproxy accept date then timers', '/1', '192.0.2.7:1 [02/Dec/2026:16:21:05.178] f b/s 0'),
  filled('haproxy accept dates', ' [02/Dec/2026:16:21:05.178]', '192.0.2.7:1'),
  // Health-check events, and a server name that runs on where a check event's slash should come.
  filled('haproxy check events', 'Server b/s is DOWN, reason: Layer7 wrong status, code: 404, info: x. 0 active and 0 backup servers left.\n'),
  filled('haproxy server words', 'Server b', 'Server '),
  // show stat's rows under its header, and a cell that runs on.
  filled('haproxy stat rows', 'be,s,0,0,0,0,,30,0,0,UP\n', '# pxname,svname,qcur,qmax,scur,smax,slim,stot,econ,wretr,status\n'),
  filled('haproxy stat cell then digits', '1', '# pxname,svname,stot\nbe,s,'),
  filled('jstat header then dashes', ' -', '  S0     S1     E      O      M     CCS    YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT\n'),
  filled('unified-logging decorations', '[1s]'),
  filled('unified-logging brackets without end', '[', '[1s]'),
  filled('a GC pause then digits', ' 1', '[1s][gc] GC(1) Pause Full '),
  filled('JDK 8 GC totals', ', 1 secs]', '1.0: [GC '),
  // V8's --trace-gc: a collector's name that runs on ("Mark-Mark-..."), a pause's numbers that run on, nvp pairs that run on.
  filled('V8 collector name then words', '-Mark', '[1:0x1] 1 ms: Mark'),
  filled('V8 trace-gc sizes then digits', '1', '[1:0x1] 1 ms: Scavenge 1.0 (1.0) -> 1.0 (1.0) MB, '),
  filled('V8 nvp pairs', ' incremental=1', '[1:0x1] 1 ms: pause=1 mutator=1 gc=mc'),
  filled('JDK 8 date stamp then digits', '1', '2026-12-02T11:35:20.'),
  // ethtool -S: allowance lines run after run, a statistic's name that runs on, a value whose digits run on.
  filled('ethtool allowance lines', '     pps_allowance_exceeded: 1\n', 'NIC statistics:\n'),
  filled('ethtool statistic name then letters', 'a', '     pps_'),
  filled('ethtool statistic value then digits', '1', '     pps_allowance_exceeded: '),
  // Thread dumps: jstack's thread headers each queued on one monitor, a header whose name runs on
  // without its closing quote; goroutine headers each under a mutex's frame, a state that runs on;
  // counted waits whose digits run on.
  filled('jstack threads on one monitor', '"t" os_prio=0 tid=0x1 nid=0x1 waiting for monitor entry\n\t- waiting to lock <0x1> (a x)\n'),
  filled('jstack thread name without end', 'a', '"'),
  filled('goroutines on one mutex', 'goroutine 1 [semacquire]:\nsync.(*Mutex).Lock(...)\nmain.f()\n\n'),
  filled('goroutine state then letters', 'a', 'goroutine 1 ['),
  filled('counted lock waits then digits', '1', ' 1'),
  filled('annotation-like lines', '# app_pid\n'),
  filled('resolv.conf options then words', ' a', 'options'),
  filled('resolv.conf search suffixes', ' a.b', 'search'),
  // cgroup cpu.stat and cpu.max lines, a counter whose digits run on, v1 file names on a command line.
  filled('cpu.stat counter lines', 'nr_periods 1\n'),
  filled('cpu.stat counter then digits', '1', 'nr_periods '),
  filled('cpu.max lines', '1000 100000\n'),
  filled('cfs file names then quota lines', 'cpu.cfs_quota_us cpu.cfs_period_us\n-1\n', '$ cat '),
  // cgroup memory files: stat lines, a value whose digits run on, file names on a command line then bare numbers, a word of pressure file names.
  filled('memory.stat lines', 'inactive_file 1\n'),
  filled('memory.stat value then digits', '1', 'inactive_file '),
  filled('memory file names then numbers', 'memory.usage_in_bytes memory.failcnt\n1\n', '$ cat memory.limit_in_bytes '),
  // PSI lines, an avg10 whose digits run on, a path of slashes where a pressure file's name should come.
  filled('psi some lines', 'some avg10=1.00 avg60=0.00 avg300=0.00 total=1\n', '==> /proc/pressure/io <==\n'),
  filled('psi avg10 then digits', '1', 'some avg10='),
  filled('psi path of slashes', '/', '==> ', ' memory.pressure <==\n'),
  // HikariCP's pool timeout with a count no pool has (read as no count), and a client pool's words with a connect's inside them.
  filled('HikariCP pool timeout then digits', '1', 'Connection is not available, request timed out after 1ms (total='),
  filled('pool wait words repeated', 'QueuePool limit of size connection timed out '),
  // nc's failure line with words of hex digits and colons where the address goes (the IPv6 test), and curl's exit 28 whose digits run on.
  filled('nc connect failure, hex words', ' a:aaaa', 'nc: connect to ', ' port 1 (tcp) failed: Address not available'),
  filled('curl timeout then digits', '1', 'curl: (28) Operation timed out after '),
];

/** Just under the parsers' line cut (MAX_LINE_CHARS): what a line-by-line pattern sees at most. */
const WRAP_CHARS = 4000;

/** The same shape as many lines of WRAP_CHARS characters, each starting with the shape's prefix. */
function wrapped(shape: HostileShape): HostileShape {
  return {
    name: `${shape.name}, in ${WRAP_CHARS}-character lines`,
    make(size) {
      const line = `${shape.make(WRAP_CHARS - 1)}\n`;
      return line.repeat(Math.ceil(size / line.length)).slice(0, size);
    },
  };
}

/**
 * A capture of each kind that gives facts (test/fixtures/artifacts/KIND/FILE). strace-c's has
 * no "# duration_s:" line, so the search for one reads the whole run.
 */
export const HOSTILE_CAPTURES: Readonly<Record<string, string>> = {
  ping: 'linux-ok.txt',
  'ping-mtu': 'linux-message-too-long.txt',
  mtr: 'intermediate-ratelimit-rwbz.txt',
  'tcp-connect': 'telnet-ok.txt',
  tcpdump: 'forged-rst-ttl-250-v-any.txt',
  'strace-c': 'statx-enoent.txt',
  'strace-t': 'f-tt-node.txt',
  'curl-w': 'loop.txt',
  'curl-v': 'tls-cacert-200.txt',
  'curl-i': 'haproxy-503-no-server.txt',
  top: 'statx-storm-child-of-app.txt',
  vmstat: 'busy.txt',
  iostat: 'lab-loop-throttled-fsync-two-devices.txt',
  mpstat: 'interval.txt',
  pidstat: 'stat-storm.txt',
  'cpu-stat': 'lab-v1-quota-10pct-two-readings.txt',
  'cgroup-memory': 'v1-limit-64m-cache-thrash-two-readings.txt',
  psi: 'host-and-group-head.txt',
  free: 'procps-s1-c2-m.txt',
  df: 'tmpfs-full-h-all.txt',
  'fd-count': 'lab205-close-wait-leak-255-of-256.txt',
  'netstat-s': 'listen-overflow.txt',
  nstat: 'listen-overflow.txt',
  'ss-s': 'summary-and-close-wait.txt',
  'ss-i': 'tni-upload-loss.txt',
  'conntrack-s': 'table-full.txt',
  'ethtool-s': 'ena-grep-two-runs-pps-rising.txt',
  dig: 'noerror.txt',
  'resolv-conf': 'lab-k8s-ndots5.txt',
  openssl: 'ok.txt',
  dmesg: 'memcg-oom-kill.txt',
  jstat: 't-h5-parallel-thrashing.txt',
  'gc-log': 'g1-healthy-gcstar.txt',
  'thread-dump': 'jstack-contended.txt',
  'nginx-error': 'read-timeout-and-reset.txt',
  'haproxy-log': 'server-timeout-sH.txt',
  'haproxy-stat': 'source-pinned-queue-and-a-down-server.csv',
  'kubectl-describe': 'oomkilled-crashloop-readiness-503.txt',
  'ephemeral-ports': 'thirty-open-twenty-time-wait.txt',
  'app-errors': 'java-bindexception.txt',
};

export function readCapture(kind: string): string {
  return readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', kind, HOSTILE_CAPTURES[kind] ?? ''), 'utf8');
}

// Runs that cost the most around a recognised capture: newlines under a multiline `^\s*`, digits.
const CAPTURE_RUNS: ReadonlyArray<[string, string]> = [
  ['newlines', '\n'],
  ['space-newline', ' \n'],
  ['digits', '1'],
  ['spaces', ' '],
  ['# lines', '#\n'],
];

/** A run before and after a real capture of each kind, for that kind's parser only. */
function aroundCaptures(): HostileShape[] {
  return Object.keys(HOSTILE_CAPTURES).flatMap((kind) =>
    CAPTURE_RUNS.flatMap(([runName, unit]): HostileShape[] => {
      /** The capture with the run filling the rest of `size`, the run first (on lines of its own) or last. */
      const around = (size: number, runFirst: boolean) => {
        const capture = runFirst ? `\n${readCapture(kind)}` : readCapture(kind);
        const run = filled(runName, unit).make(Math.max(0, size - capture.length));
        return runFirst ? run + capture : capture + run;
      };
      return [
        { name: `${kind} capture then ${runName}`, kind, make: (size) => around(size, false) },
        { name: `${runName} then ${kind} capture`, kind, make: (size) => around(size, true) },
      ];
    }),
  );
}

/** Shell prompts whose spaces run on, line after line, above strace-c's capture: the lines it reads a `timeout N strace -c` command from. */
const PROMPTS_ABOVE_STRACE: HostileShape = {
  name: 'prompts of spaces then strace-c capture',
  kind: 'strace-c',
  make(size) {
    const capture = `\n${readCapture('strace-c')}`;
    return filled('prompts', `$${' '.repeat(WRAP_CHARS - 2)}\n`).make(Math.max(0, size - capture.length)) + capture;
  },
};

export const hostileShapes: readonly HostileShape[] = [...baseShapes, ...baseShapes.map(wrapped), ...aroundCaptures(), PROMPTS_ABOVE_STRACE, topOverAChainOfParents()];

/** The shapes a parser is timed and tested on. */
export function shapesFor(kind: string): HostileShape[] {
  return hostileShapes.filter((shape) => shape.kind === undefined || shape.kind === kind);
}

export interface ParserTiming {
  kind: string;
  /** The slowest shape, and its time at HOSTILE_SIZE (measured or extrapolated). */
  worstShape: string;
  worstMs: number;
  /** True when the run was stopped below HOSTILE_SIZE and the time is extrapolated. */
  extrapolated: boolean;
  /** The largest size actually run for the worst shape, and its time there. */
  measuredAtBytes: number;
  measuredMs: number;
}

function timeOnce(kind: string, text: string): number {
  const start = process.hrtime.bigint();
  try {
    parseArtifact(kind, text, { now: new Date(0) });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** The middle one of three runs: a garbage collection in one run is not the parser's time. */
function medianOfThree(a: number, b: number, c: number): number {
  return [a, b, c].sort((x, y) => x - y)[1] ?? a;
}

/**
 * One parser on one shape at doubling sizes up to HOSTILE_SIZE. A run over `capMs` stops the
 * doubling, and the time at HOSTILE_SIZE is extrapolated with the growth seen between the last
 * two sizes (a quadratic parser would otherwise run for minutes). At HOSTILE_SIZE itself, the
 * median of three runs.
 */
function timeShape(kind: string, shape: HostileShape, capMs: number): Omit<ParserTiming, 'kind' | 'worstShape'> {
  let previous: number | undefined;
  for (let size = 1024; ; size *= 2) {
    const text = shape.make(size);
    const ms = timeOnce(kind, text);
    if (size >= HOSTILE_SIZE) {
      const median = medianOfThree(ms, timeOnce(kind, text), timeOnce(kind, text));
      return { worstMs: median, extrapolated: false, measuredAtBytes: size, measuredMs: median };
    }
    if (ms > capMs) {
      const growth = previous !== undefined && previous > 1 ? Math.log2(ms / previous) : 2;
      const exponent = Math.min(3, Math.max(1, growth));
      return { worstMs: ms * (HOSTILE_SIZE / size) ** exponent, extrapolated: true, measuredAtBytes: size, measuredMs: ms };
    }
    previous = ms;
  }
}

/** The worst time of every parser over every hostile shape. */
export function timeHostileParsers(capMs = 500): ParserTiming[] {
  return artifactParsers.map(({ kind }) => {
    let worst: ParserTiming = { kind, worstShape: '', worstMs: -1, extrapolated: false, measuredAtBytes: 0, measuredMs: 0 };
    for (const shape of shapesFor(kind)) {
      const timing = timeShape(kind, shape, capMs);
      if (timing.worstMs > worst.worstMs) worst = { kind, worstShape: shape.name, ...timing, worstMs: tenths(timing.worstMs), measuredMs: tenths(timing.measuredMs) };
    }
    return worst;
  });
}

/** The bench section: every parser's worst time on HOSTILE_SIZE characters of crafted text. */
export function hostileParsersReport(capMs = 500) {
  const parsers = timeHostileParsers(capMs);
  return { bytes: HOSTILE_SIZE, shapes: hostileShapes.length, worstMs: Math.max(...parsers.map((p) => p.worstMs)), parsers };
}
