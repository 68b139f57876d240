import { isResponseHead } from './curl-i.js';
import { isCurlVerboseLine } from './curl-v.js';
import { isEthtoolStatistics } from './ethtool-s.js';
import { isFdCountText } from './fd-count.js';
import { isRequestLine } from './curl-w.js';
import { latestMemBlock } from './free.js';
import { isCheckEvent, readLogLine } from './haproxy-log.js';
import { isJstatHeader } from './jstat.js';
import { isSocketInfoText } from './ss-i.js';
import { isStateCensus } from './ss-s.js';
import { isConnectTestLine } from './tcp-connect.js';
import { isTcpdumpLine } from './tcpdump.js';
import { isThreadDump } from './thread-dump.js';

/**
 * Tells which tool wrote a text by its signature: the header, summary or line format only that
 * tool prints. Each signature is a test of its own, so a text may match none (not a supported
 * tool's output), one, or several (two captures pasted together): the caller decides.
 */

/** Only the head is read, each line cut short, so a hostile text costs at most this much. */
const HEAD_BYTES = 64 * 1024;
const LINE_CHARS = 512;

/** A ping's header: Linux and BSD/macOS/busybox ("56(84) bytes of data", "56 data bytes"), Windows ("with 32 bytes of data"). */
const PING_HEADER = /^(?:PING \S+ ?(?:\([^)\s]*\))?:? (\d+)(?:\(\d+\))? (?:data )?bytes|Pinging \S+ (?:\[[^\]\s]*\] )?with (\d+) bytes of data:)/m;
/** iputils's ping of a name whose lookup failed: gai_strerror's text after the name (getaddrinfo(3)). */
const PING_LOOKUP_FAILED = /^ping: [^\s:]{1,253}: (?:Name or service not known|Temporary failure in name resolution|No address associated with hostname)$/m;
/** What only a path-MTU probe (ping -M do -s 1472) shows: the kernel or a router refusing the size. */
const MTU_REFUSED = /Frag needed and DF set|[Mm]essage too long/;
/** A payload this large is a path-MTU probe, not a reachability ping (default 56 or 32 bytes). */
const MTU_PROBE_BYTES = 1000;

function pingPayload(head: string): number | undefined {
  const match = PING_HEADER.exec(head);
  return match ? Number(match[1] ?? match[2]) : undefined;
}

function isPingMtu(head: string): boolean {
  const payload = pingPayload(head);
  return payload !== undefined && (payload >= MTU_PROBE_BYTES || MTU_REFUSED.test(head));
}

/** The head of a text, read once for every signature: its text, its lines, and whether one of them is a curl -w request line or a line only curl -v prints. */
interface Head {
  text: string;
  lines: readonly string[];
  /** curl-w's signature, which curl-v's and app-errors' also ask about. */
  curlRequestLine: boolean;
  /** curl-v's signature, which app-errors' also asks about. */
  curlVerboseLine: boolean;
}

/** Each kind's signature, in the order of `rca parse --list`. */
const SIGNATURES: ReadonlyArray<readonly [kind: string, matches: (head: Head) => boolean]> = [
  // Or iputils's own line for a name that did not resolve ("ping: NAME: Name or service not known"): it sends nothing.
  ['ping', ({ text: head }) => (pingPayload(head) !== undefined && !isPingMtu(head)) || PING_LOOKUP_FAILED.test(head)],
  ['ping-mtu', ({ text }) => isPingMtu(text)],
  // mtr's report: its "HOST: NAME" header with the Loss% column (ui/report.c).
  ['mtr', ({ lines }) => lines.some((line) => line.startsWith('HOST: ') && line.includes(' Loss%'))],
  // A line its parser reads as a tool's sentence (netcat, ncat, telnet, bash's /dev/tcp, PowerShell), indented or not.
  ['tcp-connect', ({ lines }) => lines.some(isConnectTestLine)],
  ['strace-c', ({ text: head }) => /^% time +seconds +usecs\/call +calls +errors +syscall/m.test(head)],
  // strace -T: `syscall(args) = result <seconds>`, with -f's pid and -t/-tt's time in front.
  ['strace-t', ({ text: head }) => /^(?:\d+ +)?(?:\d\d:\d\d:\d\d(?:\.\d+)? )?[a-z_][a-z0-9_]*\(.* = .*<\d+\.\d+>$/m.test(head)],
  // -w with name=value pairs, a line its parser reads as a request (http_code and a time_
  // variable, in any order), or -w '%{json}' (keys sorted: http_code, then http_connect), whose
  // line is longer than the head keeps.
  ['curl-w', ({ text, curlRequestLine }) => curlRequestLine || /^\{.*"http_code":\d+,"http_connect":\d+/m.test(text)],
  // A line only curl -v prints ("*   Trying ...", "* Connected to ...", "< HTTP/1.1 200 OK"), but not beside a -w request line:
  // `curl -sv -w ... 2>&1` is curl-w's output, which reads the same request with its times.
  ['curl-v', ({ curlRequestLine, curlVerboseLine }) => curlVerboseLine && !curlRequestLine],
  // curl -i: a status line first, a header line under it.
  ['curl-i', ({ lines }) => isResponseHead(lines)],
  ['top', ({ text: head }) => /^top - \d\d:\d\d:\d\d up /m.test(head) || /^ *PID +USER +PR +NI +VIRT +RES /m.test(head)],
  ['vmstat', ({ text: head }) => /^ *-*procs -+ *-+memory-+/m.test(head) || /^ *r +b +swpd +free +/m.test(head)],
  // iostat -x's device header: "Device" ("Device:" before sysstat 11) with the request columns, %util last.
  ['iostat', ({ text: head }) => /^Device:? +(?:r\/s|rrqm\/s) .*%util *$/m.test(head)],
  ['mpstat', ({ text: head }) => /\bCPU +%usr +%nice +%sys +%iowait/.test(head)],
  // pidstat -u's header: the task's pid (or, under -t, its thread's) then %usr (sysstat 8 and older: %user) and %system.
  ['pidstat', ({ text: head }) => /\b(?:PID|TID) +%use?r +%system\b/.test(head)],
  // cpu.stat's throttling counters (cgroup v1 and v2), one per line.
  ['cpu-stat', ({ text: head }) => /^nr_periods \d+$/m.test(head) && /^nr_throttled \d+$/m.test(head)],
  // memory.stat's page lists (cgroup v1 and v2): the inactive and active file caches, one per line,
  // or head's header over one of its single-value files (a group with no memory.stat pasted).
  ['cgroup-memory', ({ text: head }) => (/^inactive_file \d+$/m.test(head) && /^active_file \d+$/m.test(head)) || /^==> \S*\bmemory\.(?:max|current|limit_in_bytes|usage_in_bytes) <==$/m.test(head)],
  // A pressure file's own line (psi.rst): "some avg10=... avg60=... avg300=... total=...".
  ['psi', ({ text: head }) => /^some avg10=\d+\.\d+ avg60=\d+\.\d+ avg300=\d+\.\d+ total=\d+$/m.test(head)],
  // free's header ("total used free shared ...") with a Mem: row under it, as its parser reads them.
  ['free', ({ lines }) => latestMemBlock(lines) !== undefined],
  // df's header: "Filesystem ... Use% Mounted on" (-h, -k), Capacity (-P, BSD) or IUse% (-i).
  ['df', ({ text: head }) => /^Filesystem\s.*\s(?:Use%|Capacity|IUse%)\s.*Mounted on\s*$/m.test(head)],
  // /proc/PID/limits' "Max open files" line, or a count under the command line of ls /proc/PID/fd (or lsof -p) | wc -l.
  ['fd-count', ({ lines }) => isFdCountText(lines)],
  // A TCP packet as tcpdump -nn prints it: time stamp, protocol, then addresses and flags (or -v's IP header).
  ['tcpdump', ({ lines }) => lines.some(isTcpdumpLine)],
  ['netstat-s', ({ text: head }) => /^Ip:$/m.test(head) && /^Tcp:$/m.test(head)],
  ['nstat', ({ text: head }) => /^#kernel$/m.test(head) && /^(?:Ip|Tcp|TcpExt)[A-Z]\w* +\d+/m.test(head)],
  // ss's table or summary, but not with ss -i's lines under the rows (ss-i's); or a count of sockets by state (uniq -c of ss -tan's states, netstat's awk count).
  ['ss-s', ({ text: head, lines }) => (/^Total: \d+/m.test(head) || /^TCP: +\d+ \(estab/m.test(head) || /^(?:State +)?Recv-Q +Send-Q +Local Address:Port +Peer Address:Port/m.test(head) || isStateCensus(lines)) && !isSocketInfoText(lines)],
  ['ss-i', ({ lines }) => isSocketInfoText(lines)],
  // A count of sockets and the local port range, told by the range's name (sysctl's line, or the command pasted with it): its two numbers alone are any text's.
  ['ephemeral-ports', ({ text: head }) => /ip_local_port_range/.test(head) && /^\s*\d{1,9}\s*$/m.test(head)],
  ['conntrack-s', ({ text: head }) => /^cpu=\d+\s+found=\d+/m.test(head)],
  // ethtool -S's header, or its allowance counters alone (a grep of them).
  ['ethtool-s', ({ lines }) => isEthtoolStatistics(lines)],
  ['dig', ({ text: head }) => /^; <<>> DiG /m.test(head) || /^;; (?:communications error to|connection timed out; no servers could be reached)/m.test(head)],
  // resolv.conf's own lines: a nameserver address, or options with ndots.
  ['resolv-conf', ({ text: head }) => /^nameserver\s+[\d.:a-fA-F]+\s*$/m.test(head) || /^options\s.*\bndots:\d/m.test(head)],
  ['openssl', ({ text: head }) => /^CONNECTED\(\d+\)$/m.test(head) || /^(?:depth=\d+ |verify (?:error|return):|notAfter=|connect:errno=)/m.test(head) || /^(?:Hostname|IP) \S+ does (?:NOT )?match certificate$/m.test(head) || /:error:[0-9A-F]{8}:(?:SSL|BIO) routines:|:error:[0-9A-F]{8}:system library:BIO_connect:/.test(head)],
  // The kernel ring buffer as dmesg prints it (seconds since boot, or -T's dates) or journalctl -k.
  ['dmesg', ({ text: head }) => /^\[ *\d+\.\d{6}\] /m.test(head) || /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\] /m.test(head) || /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: /m.test(head)],
  ['jstat', ({ lines }) => lines.some(isJstatHeader)],
  // Unified logging's decorations before a GC(N) event or the collector's name (-Xlog:gc, JDK 9+),
  // or JDK 8's "[GC (", "[GC pause (", "[Full GC (" (JDK 7: "[GC [PSYoungGen:", "[GC 65536K->") after its optional date and uptime stamps,
  // or V8's --trace-gc ("[4242:0x5a3c2e0]  5579 ms: Mark-Compact 61.9 (65.4) -> ...", --trace-gc-nvp's "... ms: pause=0.9 mutator="),
  // or Elasticsearch's GC monitor lines.
  [
    'gc-log',
    ({ text: head }) =>
      /^(?:\[[^\][\n]*\])+ *(?:GC\(\d+\) |Using (?:Serial|Parallel|G1|The Z Garbage Collector|Shenandoah|Epsilon)$)/m.test(head) ||
      /^(?:\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d{4}): )?(?:\d+\.\d+: )?\[(?:Full GC|GC(?: pause)?) [([\d]/m.test(head) ||
      /^\[\d+(?::0x[0-9a-f]+)?\] +\d+(?:\.\d+)? ms: (?:(?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Sweep) |pause=\d)/m.test(head) ||
      // Or an Elasticsearch node's GC monitor (JvmGcMonitorService): "[gc][old][7210][31] duration [49.1s]", "[gc][7210] overhead, spent [".
      /\[gc\]\[(?:\w{1,32}\]\[\d{1,20}\]\[\d{1,20}\] duration|\d{1,20}\] overhead, spent) \[/.test(head),
  ],
  // jstack's thread headers or Go's goroutine headers, or their waits counted with uniq -c.
  ['thread-dump', ({ lines }) => isThreadDump(lines)],
  // Or the access log's 499 lines alone, which the parser reads as client_closed: 499 is nginx's
  // own status (a client that closed first), in any log_format that keeps "$request" $status.
  [
    'nginx-error',
    ({ text: head }) =>
      /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(?:debug|info|notice|warn|error|crit|alert|emerg)\] \d+#\d+: /m.test(head) ||
      /^\S+ [^[\n]*\[\d\d\/[A-Z][a-z]{2}\/\d{4}(?::\d\d){3} [+-]\d{4}\] "[^"\n]*" 499 /m.test(head),
  ],
  // A traffic line of option httplog or tcplog, as its parser reads it (client, [accept date],
  // frontend, backend/server, timers, ...), or its health checks' events alone (a grep of them).
  ['haproxy-log', ({ lines }) => lines.some((line) => readLogLine(line) !== undefined || isCheckEvent(line))],
  // show stat's CSV header.
  ['haproxy-stat', ({ text: head }) => /^# pxname,svname,/m.test(head)],
  // kubectl describe pod: its Name line and its Containers section, each container's Restart Count.
  ['kubectl-describe', ({ text: head }) => /^Name: +\S/m.test(head) && /^Containers:$/m.test(head) && /^ {4}Restart Count: +\d/m.test(head)],
  // Only what a runtime or client prints about its own failure (an exception's class, an error
  // code in its own spelling, curl's numbered error): the bare strerror texts ("Connection
  // refused") appear in nginx's, dig's and strace's output too, so they tell nothing here.
  ['app-errors', isAppErrors],
];

/**
 * App-errors' signature, but not for curl's own numbered error beside a -w or -v line: `curl
 * -sS -w` or `curl -v` with 2>&1 prints both, and that paste is curl-w's or curl-v's output
 * (its exitcode or its "* " lines say the same).
 */
function isAppErrors(head: Head): boolean {
  const text = head.curlRequestLine || head.curlVerboseLine ? head.text.replace(/^curl: \(\d+\) .*$/gm, '') : head.text;
  return APP_ERROR.test(text) || PYTHON_ERRNO.test(text) || (text.includes('dial tcp ') && GO_DIAL_ERROR.test(text));
}

/**
 * Exception classes and error codes of Java, .NET, Python, Node, Windows Sockets, curl and
 * libcurl's users (PHP's "cURL error 28: ..."), php-fpm's pool warning, the client pools' wait
 * timeouts, the database and cache clients' own connect failures and their servers' refusals
 * (error-text.ts lists the spellings).
 */
const APP_ERROR =
  /\b(?:java\.net\.(?:Connect|Bind|Socket|SocketTimeout|UnknownHost|NoRouteToHost)Exception|javax\.net\.ssl\.SSL[A-Za-z]*Exception|java\.io\.IOException: No space left on device|System\.Net\.Sockets\.SocketException|System\.Net\.Http\.HttpRequestException|System\.IO\.IOException: There is not enough space on the disk|Connection(?:Refused|Reset)Error|socket\.gaierror|\[WinError \d+\]|WSAE(?:CONNREFUSED|TIMEDOUT|CONNRESET|ADDRNOTAVAIL|NOBUFS|MFILE)|Error: (?:connect|read|write|getaddrinfo|query[A-Za-z]*) E[A-Z]+|Error: ENOSPC: |curl: \(\d+\) |cURL error \d+: |x509: certificate|SSLCertVerificationError|CertificateError|CERTIFICATE_VERIFY_FAILED|\] server reached (?:pm\.)?max_children setting|Connection is not available, request timed out|Connection(?:Pool|Request)TimeoutException|Timeout waiting for connection from pool|QueuePool limit of size|Knex: Timeout acquiring a connection|Timeout waiting for idle object|checkout a Connection has timed out|Could not get a resource from the pool|psycopg2?\.OperationalError|sqlalchemy\.exc\.OperationalError|could not connect to server|Can't connect to MySQL server|Communications link failure|redis\.exceptions\.ConnectionError|MongoServerSelectionError|sorry, too many clients already|remaining connection slots are reserved|Too many connections|in a read-only transaction|running with the --read-only option|You can't write against a read only replica|not accepting commands to avoid wraparound|OOM command not allowed|urllib3\.exceptions\.[A-Za-z]+Error|\b(?:ConnectTimeout|NewConnection)Error\()/;
/**
 * Python's OSError as a log line prints it, after any text: "failed: [Errno 99] Cannot assign
 * requested address", gaierror's "[Errno -3] ...", or its repr, "OSError(28, 'No space left on
 * device')" (lab 209, case 08).
 */
const PYTHON_ERRNO = /\[Errno -?\d+\] |\b[A-Z][A-Za-z]*Error\(-?\d+, '/;
/** Go's net package: "dial tcp 10.0.0.5:9000: connect: connection refused", "...: i/o timeout". */
const GO_DIAL_ERROR = /: connect: [a-z]|: i\/o timeout/;

/** The kinds whose signature the head of TEXT carries, in the order of `rca parse --list`. */
export function detectKinds(text: string): string[] {
  const cut = text
    .slice(0, HEAD_BYTES)
    .split('\n')
    .map((line) => line.slice(0, LINE_CHARS).replace(/\r$/, ''));
  // A capture's payload, which tcpdump -v prints indented by a tab, is the application's bytes
  // (an HTTP response, a log line), not another tool's output.
  const lines = cut.some(isTcpdumpLine) ? cut.filter((line) => !line.startsWith('\t')) : cut;
  const head: Head = { text: lines.join('\n'), lines, curlRequestLine: lines.some(isRequestLine), curlVerboseLine: lines.some(isCurlVerboseLine) };
  return SIGNATURES.filter(([, matches]) => matches(head)).map(([kind]) => kind);
}

