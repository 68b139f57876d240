import { describe, expect, it } from 'vitest';
import { CURL_WRITE_OUT } from '../../src/collect/parsers/curl-w.js';
import { kindsCarrying, parseArtifact } from '../../src/collect/parsers/index.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { asPasted, pasteOf } from '../../src/core/paste.js';
import { describeQuestion } from '../../src/core/question.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { questionCommands } from '../../src/core/variants.js';
import { readArtifact } from '../collect/fixtures.js';

const kb = loadKnowledgeBase([defaultKbDir]);

/**
 * Every shipped question that names a paste kind, with the form of command the kind's capture
 * (test/fixtures/artifacts) was taken with, which the question's `how` must keep, and that
 * capture: the interview offers to paste the output of `how` and counts what the paste fills, so
 * the output of that very command must parse and carry the question's fact. A question whose
 * command prints something else (`curl -w '%{http_code}'`, a bare count from `wc -l`) names no
 * kind.
 */
// One request, bounded: a service that accepts and never answers would hold it for good (curl has no total timeout of its own).
const CURL = `curl -g -sS -o /dev/null --max-time 90 -w '${CURL_WRITE_OUT}' {{target.url}}`;
const DIRECT = "curl -g -sS -o /dev/null --max-time 90 -w 'http_code=%{http_code} time_total=%{time_total} exitcode=%{exitcode}\\n' http://{{backend.host}}:{{backend.port}}/";
const DMESG = /^dmesg -T \| grep -i -E '[^']*oom-kill[^']*\|conntrack\|table overflow\|martian'$/;
const PING = /^ping -c \d+ -i 0\.2 \{\{target\.host\}\}$/;
const STRACE_C = /^timeout \d+ strace -c -f -p \{\{proc\.top_pid\}\}$/;
// top's two snapshots, the first 14 lines of each, and the CPU count the load is divided by.
const TOP = /^top -b -n 2 -d 1 -c -w 512 -o %CPU \| grep -A \d+ '\^top - '; echo "# nproc: \$\(nproc\)"$/;
const VMSTAT = /^vmstat 1 \d+$/;
const IOSTAT = /^iostat -x 1 \d+$/;
const PIDSTAT = /^pidstat -u -p \{\{proc\.app_pid\}\} 1 \d+$/;
// Counters since boot: two runs, compared.
const NSTAT = /^nstat -az((?: \w+)+); sleep \d+; nstat -az\1$/;
const CPU_STAT = 'cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.stat; sleep 5; cat /sys/fs/cgroup/cpu.stat';
const CGROUP_MEMORY = 'cd /sys/fs/cgroup; for i in 1 2; do head -n 100 memory.max memory.current memory.events memory.stat; sleep 5; done';
const PSI = 'head /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io';
const S_CLIENT = '^openssl s_client -connect \\{\\{target\\.host\\}\\}:\\{\\{target\\.port\\}\\} -servername \\{\\{target\\.host\\}\\}';
// The capture of the target's connections, with -v's TTLs.
const TCPDUMP_V = 'tcpdump -nn -v -c 200 -i any host {{target.host}} and port {{target.port}}';
/** jstack's lock waits (monitors and ReentrantLocks) counted per lock. */
const JSTACK_WAITS = "jstack {{proc.app_pid}} | grep -oE 'waiting to lock <0x[0-9a-f]+>|parking to wait for +<0x[0-9a-f]+> \\(a java\\.util\\.concurrent\\.locks\\.Reentrant[A-Za-z]*.[A-Za-z]*Sync\\)' | sort | uniq -c | sort -rn | head -n 5";
/** One grep of the application's log for every error in its own words that app-errors reads as a fact: one paste answers each question that asks for one of them. */
const APP_LOG_ERRORS_GREP =
  "grep -iE 'Too many open files|Cannot assign requested address|EADDRNOTAVAIL|No space left on device|Connection is not available|Timeout waiting for (connection|idle object)|QueuePool limit|Timeout acquiring a connection|checkout a Connection has timed out|Could not get a resource from the pool|too many clients|remaining connection slots|Too many connections|read-only transaction|--read-only option|read only replica|avoid wraparound|OOM command not allowed' APP_LOG | tail -n 20";

/** The error log's upstream and limiter lines and the access log's 499s (nginx logs a client's early close at the info level only): one paste answers both questions. */
const NGINX_ERRORS = "{ tail -n 200 /var/log/nginx/error.log | grep -iE 'upstream|limiting (requests|connections)'; grep -E '\" 499 ' /var/log/nginx/access.log | tail -n 20; }";
const SS_CENSUS = "ss -Htan | awk '{print $1}' | sort | uniq -c";

const CAPTURES: Record<string, { how: string | RegExp; kind: string; capture: string }> = {
  'http.status': { how: CURL, kind: 'curl-w', capture: 'http-503.txt' },
  'http.latency_ms': { how: CURL, kind: 'curl-w', capture: 'http-slow.txt' },
  'http.ttfb_ms': { how: CURL, kind: 'curl-w', capture: 'http-slow.txt' },
  'tcp.connect_ms': { how: CURL, kind: 'curl-w', capture: 'http-slow.txt' },
  // A loop bounds each request: a service that accepts and never answers would hold it for good.
  'http.error_rate_pct': { how: `for i in $(seq 100); do ${CURL.replace('--max-time 90', '--max-time 10')}; done`, kind: 'curl-w', capture: 'loop.txt' },
  'dns.result': { how: 'dig {{target.host}}', kind: 'dig', capture: 'nxdomain.txt' },
  // cpu.max, then cpu.stat twice: the quota, and the share of periods throttled between the readings.
  'cgroup.cpu_throttled_pct': { how: CPU_STAT, kind: 'cpu-stat', capture: 'v2-pod-half-core-throttled-two-readings.txt' },
  'cgroup.cpu_limit_cores': { how: CPU_STAT, kind: 'cpu-stat', capture: 'v2-pod-half-core-throttled-two-readings.txt' },
  // memory.max, memory.current, memory.events and memory.stat twice: the working set, and the limit met between the readings.
  'cgroup.memory_reclaiming_at_limit': { how: CGROUP_MEMORY, kind: 'cgroup-memory', capture: 'v2-pod-limit-256m-two-readings.txt' },
  'cgroup.memory_working_set_pct': { how: CGROUP_MEMORY, kind: 'cgroup-memory', capture: 'v2-pod-limit-256m-two-readings.txt' },
  // head names each pressure file: one paste answers the three.
  'psi.cpu_some_pct': { how: PSI, kind: 'psi', capture: 'host-and-group-head.txt' },
  'psi.memory_some_pct': { how: PSI, kind: 'psi', capture: 'host-and-group-head.txt' },
  'psi.io_some_pct': { how: PSI, kind: 'psi', capture: 'host-and-group-head.txt' },
  'dns.search_expansion': { how: 'cat /etc/resolv.conf', kind: 'resolv-conf', capture: 'lab-k8s-ndots5.txt' },
  'dns.resolve_ms': { how: 'dig {{target.host}}', kind: 'dig', capture: 'noerror-slow.txt' },
  // dig's full output, run on a failing and a healthy client and pasted together: the banners separate the runs (lab 206, case 06).
  'dns.answer_mismatch': { how: 'dig {{target.host}}', kind: 'dig', capture: 'lab206-two-resolvers-old-and-new-address.txt' },
  'dns.aaaa_present': { how: 'dig AAAA {{target.host}}', kind: 'dig', capture: 'lab207-a-and-aaaa.txt' },
  'dns.temporary_failure': { how: 'ping -c 1 -W 2 {{target.host}}', kind: 'ping', capture: 'lookup-eai-again.txt' },
  // Without -verify_return_error, which stops at the first error and hides the rest (an expired leaf behind its unknown issuer);
  // with -showcerts, as the chain's questions ask it: one paste answers the four.
  'tls.handshake': { how: new RegExp(`${S_CLIENT} -showcerts </dev/null 2>&1$`), kind: 'openssl', capture: 'expired-intermediate-showcerts.txt' },
  // x509 -checkhost says whether the name matches whatever else fails; s_client says it only when verification passes.
  'tls.cert_name_match': { how: new RegExp(`${S_CLIENT} </dev/null 2>/dev/null \\| openssl x509 -noout -dates -checkhost \\{\\{target\\.host\\}\\}$`), kind: 'openssl', capture: 'x509-dates-checkhost-mismatch.txt' },
  'tls.chain_complete': { how: new RegExp(`${S_CLIENT} -showcerts </dev/null 2>&1$`), kind: 'openssl', capture: 'showcerts.txt' },
  'tls.failed_cert': { how: new RegExp(`${S_CLIENT} -showcerts </dev/null 2>&1$`), kind: 'openssl', capture: 'expired-intermediate-showcerts.txt' },
  // Lab 206 case 08: a client clock three days behind, "verify error:num=9:certificate is not yet valid".
  'tls.cert_not_yet_valid': { how: new RegExp(`${S_CLIENT} -showcerts </dev/null 2>&1$`), kind: 'openssl', capture: 'lab-client-clock-behind-not-yet-valid.txt' },
  // curl -v's own account of the handshake: the alert it sent, and the certificate problem it names (lab 201, case 07: the leaf sent alone).
  'tls.alert': { how: 'curl -g -sv -o /dev/null --connect-timeout 10 --max-time 30 {{target.url}}', kind: 'curl-v', capture: 'lab-leaf-only-unknown-ca.txt' },
  'tcp.ipv6_fallback': { how: 'curl -g -sv -o /dev/null --connect-timeout 10 --max-time 30 {{target.url}}', kind: 'curl-v', capture: 'lab207-ipv6-tried-then-ipv4.txt' },
  'tls.cert_days_left': { how: new RegExp(`${S_CLIENT} </dev/null 2>/dev/null \\| openssl x509 -noout -dates -checkhost \\{\\{target\\.host\\}\\}$`), kind: 'openssl', capture: 'x509-dates-checkhost.txt' },
  'ping.result': { how: PING, kind: 'ping', capture: 'linux-partial-loss.txt' },
  'ping.loss_pct': { how: PING, kind: 'ping', capture: 'linux-partial-loss.txt' },
  'ping.rtt_avg_ms': { how: PING, kind: 'ping', capture: 'linux-ok.txt' },
  'ping.rtt_max_ms': { how: PING, kind: 'ping', capture: 'linux-ok.txt' },
  'ping.intermediate_loss_only': { how: 'mtr -rwbzc 100 {{target.host}}', kind: 'mtr', capture: 'intermediate-ratelimit-rwbz.txt' },
  'symptom.intermittent': {
    how: "for i in $(seq 50); do curl -g -s -o /dev/null --max-time 10 -w 'http_code=%{http_code} time_total=%{time_total}\\n' {{target.url}}; done",
    kind: 'curl-w',
    capture: 'loop-50-every-third-late-by-1s.txt',
  },
  'http.fixed_delay_ms': {
    how: "for i in $(seq 50); do curl -g -s -o /dev/null --max-time 10 -w 'time_total=%{time_total} http_code=%{http_code} time_namelookup=%{time_namelookup} time_connect=%{time_connect} time_starttransfer=%{time_starttransfer}\\n' {{target.url}}; done | sort -t= -k2 -n",
    kind: 'curl-w',
    capture: 'loop-sorted-late-by-200ms.txt',
  },
  'ping.large_packet_fail': { how: /^ping -M do -s 1472 -c \d+ \{\{target\.host\}\}$/, kind: 'ping-mtu', capture: 'linux-message-too-long.txt' },
  'host.oom_kills': { how: DMESG, kind: 'dmesg', capture: 'memcg-oom-kill-T.txt' },
  'kernel.conntrack_full': { how: DMESG, kind: 'dmesg', capture: 'conntrack-table-full.txt' },
  'kernel.neigh_table_overflow': { how: DMESG, kind: 'dmesg', capture: 'neighbour-table-overflow-T.txt' },
  'kernel.conntrack_insert_failed': { how: 'conntrack -S; sleep 60; conntrack -S', kind: 'conntrack-s', capture: 'snat-insert-failed-rising.txt' },
  'kernel.listen_overflows': { how: NSTAT, kind: 'nstat', capture: 'listen-overflow-two-runs.txt' },
  'kernel.rp_filter_drops': { how: NSTAT, kind: 'nstat', capture: 'rp-filter-two-runs-rising.txt' },
  'kernel.csum_errors': { how: NSTAT, kind: 'nstat', capture: 'csum-errors-two-runs-rising.txt' },
  'tcp.retransmit_pct': { how: NSTAT, kind: 'nstat', capture: 'retrans-two-runs-no-loss.txt' },
  // The count of sockets by state: one paste gives both counts (a client pool's leak, 12 in CLOSE-WAIT).
  'kernel.time_wait_count': { how: SS_CENSUS, kind: 'ss-s', capture: 'census-ss-uniq-c.txt' },
  'tcp.close_wait_count': { how: SS_CENSUS, kind: 'ss-s', capture: 'census-ss-uniq-c.txt' },
  // Connections waiting to be accepted on one socket: no worker free (lab 202, two sync workers).
  'proc.workers_busy_pct': { how: 'for i in 1 2 3; do ss -ltn; sleep 1; done', kind: 'ss-s', capture: 'ltn-loop-standing-queue.txt' },
  // The host's CPU shares and its busiest process: one top.
  'host.cpu_pct': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'host.cpu_steal_pct': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'host.swapping': { how: VMSTAT, kind: 'vmstat', capture: 'swapping-iowait.txt' },
  'host.iowait_pct': { how: VMSTAT, kind: 'vmstat', capture: 'swapping-iowait.txt' },
  'host.cpu_sys_pct': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'host.blocked_tasks': { how: VMSTAT, kind: 'vmstat', capture: 'lab-blocked-on-throttled-fsync-busy-host.txt' },
  'host.disk_await_ms': { how: IOSTAT, kind: 'iostat', capture: 'sysstat10-hdd-saturated.txt' },
  'host.disk_util_pct': { how: IOSTAT, kind: 'iostat', capture: 'sysstat10-hdd-saturated.txt' },
  'host.mem_available_pct': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'host.disk_used_pct': { how: 'df -h; df -i', kind: 'df', capture: 'inodes-exhausted-h-i.txt' },
  // The count, then the soft limit it is a share of (lab 205 case 01: a server leaking sockets, 255 of 256).
  // The sockets to one address and port, TIME-WAIT ones among them, and the local port range (capture-tools/ephemeral-ports-count.py).
  'kernel.ephemeral_ports_used_pct': { how: 'ss -Htan dst {{target.host}} dport = :{{target.port}} | wc -l; cat /proc/sys/net/ipv4/ip_local_port_range', kind: 'ephemeral-ports', capture: 'thirty-open-twenty-time-wait.txt' },
  'proc.fd_used_pct': { how: "ls /proc/{{proc.app_pid}}/fd | wc -l; grep 'open files' /proc/{{proc.app_pid}}/limits", kind: 'fd-count', capture: 'lab205-close-wait-leak-255-of-256.txt' },
  // Every CPU's line beside "all": the busiest CPU's softirq share, and the host's shares too.
  'host.cpu_softirq_pct': { how: /^mpstat -P ALL 1 \d+$/, kind: 'mpstat', capture: 'softirq-one-cpu.txt' },
  'proc.app_cpu_pct': { how: PIDSTAT, kind: 'pidstat', capture: 'pure-cpu.txt' },
  'proc.app_sys_share_pct': { how: PIDSTAT, kind: 'pidstat', capture: 'stat-storm.txt' },
  'host.load_per_cpu': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'proc.top_cpu_pct': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'proc.top_name': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'proc.top_pid': { how: TOP, kind: 'top', capture: 'question-command-nproc-busy-node.txt' },
  'strace.top_syscall': { how: STRACE_C, kind: 'strace-c', capture: 'attached-statx-storm.txt' },
  'strace.top_syscall_pct': { how: STRACE_C, kind: 'strace-c', capture: 'attached-statx-storm.txt' },
  'strace.error_pct': { how: STRACE_C, kind: 'strace-c', capture: 'attached-statx-storm.txt' },
  'strace.syscalls_per_s': { how: STRACE_C, kind: 'strace-c', capture: 'attached-statx-storm.txt' },
  'strace.syscall_time_pct': { how: STRACE_C, kind: 'strace-c', capture: 'attached-statx-storm.txt' },
  'strace.slowest_call_ms': { how: /^timeout \d+ strace -f -T -p \{\{proc\.app_pid\}\}$/, kind: 'strace-t', capture: 'f-tt-node.txt' },
  'tcp.connect': { how: 'nc -vz -w 5 {{target.host}} {{target.port}}', kind: 'tcp-connect', capture: 'openbsd-refused.txt' },
  // The sender's reordering counters ten seconds apart (counter names as this machine's nstat prints them; the counts written for the test: nothing here reorders packets).
  'tcp.reordering': { how: NSTAT, kind: 'nstat', capture: 'reordering-two-runs-rising.txt' },
  // Captures on a client namespace (test/fixtures/artifacts/README.md): a server without window scaling, a firewall dropping
  // SYNs, an RST forged as the server's with TTL 250 into an open connection, a client that reads nothing.
  'tcp.window_scale_missing': { how: "tcpdump -nn -c 4 -i any '(tcp[tcpflags] & tcp-syn != 0 or ip6[40+13] & 0x02 != 0)' and host {{target.host}}", kind: 'tcpdump', capture: 'syn-ack-without-wscale-any.txt' },
  'tcp.syn_retransmits': { how: "tcpdump -nn -c 20 -i any host {{target.host}} and port {{target.port}} and '(tcp[tcpflags] & tcp-syn != 0 or ip6[40+13] & 0x02 != 0)'", kind: 'tcpdump', capture: 'syn-retransmits-any.txt' },
  'tcp.rst_seen': { how: TCPDUMP_V, kind: 'tcpdump', capture: 'forged-rst-ttl-250-v-any.txt' },
  'tcp.zero_window': { how: TCPDUMP_V, kind: 'tcpdump', capture: 'zero-window-then-client-rst-any.txt' },
  'tcp.rst_ttl_mismatch': { how: TCPDUMP_V, kind: 'tcpdump', capture: 'forged-rst-ttl-250-v-any.txt' },
  // The SYNs beside the RSTs tell which side is the server.
  'tcp.rst_from': { how: "tcpdump -nn -c 50 -i any port {{target.port}} and '(tcp[tcpflags] & (tcp-syn|tcp-rst) != 0 or ip6[40+13] & 0x06 != 0)'", kind: 'tcpdump', capture: 'forged-rst-syn-rst-any.txt' },
  // One grep of the application's log for its client pool's waits and its downstreams' refusals answers both questions.
  'app.pool_wait_timeouts': { how: APP_LOG_ERRORS_GREP, kind: 'app-errors', capture: 'java-hikari-pool-exhausted.txt' },
  // Its output over a service's log of PostgreSQL refusing connections (captured here: test/fixtures/capture-tools/dependency-errors-app.py).
  'app.dependency_errors': { how: APP_LOG_ERRORS_GREP, kind: 'app-errors', capture: 'grep-dependency-pg-slots-and-too-many.txt' },
  'proc.emfile_errors': { how: APP_LOG_ERRORS_GREP, kind: 'app-errors', capture: 'python-log-emfile-accept.txt' },
  'proc.eaddrnotavail_errors': { how: APP_LOG_ERRORS_GREP, kind: 'app-errors', capture: 'python-log-eaddrnotavail.txt' },
  'proc.enospc_errors': { how: APP_LOG_ERRORS_GREP, kind: 'app-errors', capture: 'python-log-enospc.txt' },
  // AWS ENA's allowance counters in two runs (written for the test in ethtool's format: no ENA interface here).
  'host.pps_at_limit': { how: 'ethtool -S eth0 | grep allowance_exceeded; sleep 10; ethtool -S eth0 | grep allowance_exceeded', kind: 'ethtool-s', capture: 'ena-grep-two-runs-pps-rising.txt' },
  'app.gc_time_pct': { how: 'jstat -gcutil -t {{proc.app_pid}} 1000 10', kind: 'jstat', capture: 't-h5-parallel-thrashing.txt' },
  // jstack's waits counted per lock, of 20 threads on one synchronized appender (test/collect/parsers.test.ts, session 34).
  'app.threads_blocked_on_lock': { how: JSTACK_WAITS, kind: 'thread-dump', capture: 'jstack-count-contended.txt' },
  'app.gc_pause_ms': { how: 'jcmd {{proc.app_pid}} VM.log output=/tmp/rca-gc.log what=gc; sleep 60; cat /tmp/rca-gc.log', kind: 'gc-log', capture: 'jcmd-vm-log-g1-healthy.txt' },
  // HAProxy's health-check events, the grep of lab 201 case 05's log: every server down by a check answered 404.
  'lb.backend_health': { how: "grep -E 'is (UP|DOWN)|has no server available' /var/log/haproxy.log | tail -n 50", kind: 'haproxy-log', capture: 'lab-health-check-404-grep-events.txt' },
  'lb.health_check_status': { how: "grep -E 'is (UP|DOWN)|has no server available' /var/log/haproxy.log | tail -n 50", kind: 'haproxy-log', capture: 'lab-health-check-404-grep-events.txt' },
  // HAProxy's request log counts the requests per server (the course's two backends behind balance source).
  'lb.backend_load_skew': { how: 'tail -n 5000 /var/log/haproxy.log', kind: 'haproxy-log', capture: 'balance-source-skew.txt' },
  // The status line, the headers and the start of the body: HAProxy's own 503 page.
  'http.error_source': { how: 'curl -g -sS -i --max-time 90 {{target.url}} | head -n 20', kind: 'curl-i', capture: 'haproxy-503-no-server.txt' },
  // nginx's limit_req refusing one client (lab 201 case 04).
  'proxy.rate_limit_refusals': { how: NGINX_ERRORS, kind: 'nginx-error', capture: 'lab-limit-req-perip.txt' },
  'proxy.upstream_error': { how: NGINX_ERRORS, kind: 'nginx-error', capture: 'read-timeout-and-reset.txt' },
  // A curl straight to one backend: what curl-w reads is the backend's, the direct facts (pasteAs).
  'http.direct_status': { how: DIRECT, kind: 'curl-w', capture: 'named-subset-direct-200.txt' },
  'http.direct_latency_ms': { how: DIRECT, kind: 'curl-w', capture: 'named-subset-direct-200.txt' },
};

/**
 * The variants of a question's command (howBy) that name a paste kind, by question and the value
 * that chooses them, with their capture as CAPTURES has the default's.
 */
// Lab 206, case 07: node --trace-gc of a service whose heap is capped at 64 MB.
const NODE_TRACE = 'NODE_OPTIONS=--trace-gc APP_START_COMMAND > /tmp/rca-trace-gc.log 2>&1 & sleep 60; cat /tmp/rca-trace-gc.log';
const VARIANT_CAPTURES: Record<string, { how: string | RegExp; kind: string; capture: string }> = {
  // net/http/pprof's goroutines counted per state, of 40 goroutines taking one RWMutex (session 34).
  'app.threads_blocked_on_lock when app.runtime = go': {
    how: "curl -s --max-time 30 'http://localhost:6060/debug/pprof/goroutine?debug=2' | grep -oE '^goroutine [0-9]+ \\[[^],]*' | cut -d '[' -f 2 | sort | uniq -c | sort -rn | head -n 5",
    kind: 'thread-dump',
    capture: 'go-count-contended.txt',
  },
  'app.gc_time_pct when app.runtime = node': { how: NODE_TRACE, kind: 'gc-log', capture: 'lab-node20-old-space-64m-thrashing-tail.txt' },
  // A pod's description: its containers' restarts, how the last one ended, the kubelet's probes (written for the test in kubectl's layout).
  'proc.restarts when path.k8s = true': { how: 'kubectl describe pod POD', kind: 'kubectl-describe', capture: 'oomkilled-crashloop-readiness-503.txt' },
  'app.gc_pause_ms when app.runtime = node': { how: NODE_TRACE, kind: 'gc-log', capture: 'lab-node20-old-space-64m-thrashing-tail.txt' },
};

describe("the shipped questions' pastes", () => {
  const pasting = [...kb.questions].filter(([, q]) => q.value.paste !== undefined);

  it('are exactly the questions with a capture of their command', () => {
    expect(pasting.map(([fact]) => fact).sort()).toEqual(Object.keys(CAPTURES).sort());
  });

  for (const [fact, { value }] of pasting) {
    it(`${fact}: ${value.paste} reads the output of its command and carries the fact`, () => {
      const expected = CAPTURES[fact];
      expect(expected, `no capture of ${fact}'s command`).toBeDefined();
      if (!expected) return;
      expect(value.paste).toBe(expected.kind);
      if (typeof expected.how === 'string') expect(value.how).toBe(expected.how);
      else expect(value.how).toMatch(expected.how);
      const facts = parseArtifact(expected.kind, readArtifact(expected.kind, expected.capture), { now: new Date('2026-11-24T18:07:00Z') });
      // Another endpoint's output is read under the facts it stands for at this question.
      const paste = pasteOf(kb, fact, kindsCarrying);
      const here = asPasted(paste, expected.kind, facts);
      expect(Object.keys(here)).toContain(fact);
      // What the command's own output gave is what the choice and the replay count it as giving (carries).
      expect(Object.keys(here).filter((read) => !paste?.carries.includes(read))).toEqual([]);
    });
  }

  const pastingVariants = [...kb.questions].flatMap(([fact, { value }]) =>
    questionCommands(value).flatMap(({ how, paste, variant }) => (variant === undefined || paste === undefined ? [] : [{ fact, name: `${fact} when ${value.howBy?.fact} = ${variant}`, how, paste, facts: { [value.howBy?.fact as string]: variant } }])),
  );

  it('and their variants are exactly those with a capture of their command', () => {
    expect(pastingVariants.map((v) => v.name).sort()).toEqual(Object.keys(VARIANT_CAPTURES).sort());
  });

  for (const { fact, name, how, paste, facts: chosen } of pastingVariants) {
    it(`${name}: ${paste} reads the output of its command and carries the fact`, () => {
      const expected = VARIANT_CAPTURES[name];
      expect(expected, `no capture of ${name}'s command`).toBeDefined();
      if (!expected) return;
      expect(paste).toBe(expected.kind);
      if (typeof expected.how === 'string') expect(how).toBe(expected.how);
      else expect(how).toMatch(expected.how);
      const pasted = pasteOf(kb, fact, kindsCarrying, chosen);
      expect(pasted?.kind).toBe(paste);
      const facts = parseArtifact(expected.kind, readArtifact(expected.kind, expected.capture), { now: new Date('2026-11-24T18:07:00Z') });
      expect(Object.keys(facts)).toContain(fact);
      expect(Object.keys(facts).filter((read) => !pasted?.carries.includes(read))).toEqual([]);
    });
  }

  it('are shown with the question (its paste: the kind and what the command prints), as the choice counts them', () => {
    // The count by state prints both counts, not the accept queues the ss-s kind reads from ss -ltn.
    for (const fact of ['kernel.time_wait_count', 'tcp.close_wait_count']) {
      expect(describeQuestion(kb, fact, 'en', {}, kindsCarrying).paste).toEqual({ kind: 'ss-s', carries: ['tcp.close_wait_count', 'kernel.time_wait_count'], direct: false });
    }
    // A curl straight to a backend: its output is sent as a direct artifact, read as the backend's.
    expect(describeQuestion(kb, 'http.direct_status', 'en', {}, kindsCarrying).paste).toEqual({ kind: 'curl-w', carries: ['http.direct_status', 'http.direct_latency_ms'], direct: true });
    // Without the parsers' kinds (the core alone), none is shown.
    expect(describeQuestion(kb, 'kernel.time_wait_count', 'en').paste).toBeNull();
    expect(describeQuestion(kb, 'ping.intermediate_loss_only', 'en', {}, kindsCarrying).paste?.kind).toBe('mtr');
    for (const [fact] of pasting) {
      const paste = pasteOf(kb, fact, kindsCarrying);
      expect(describeQuestion(kb, fact, 'en', {}, kindsCarrying).paste).toEqual(paste && { kind: paste.kind, carries: paste.carries, direct: paste.as !== undefined });
    }
  });

  it('answer together where one command answers several: its paste fills each of their facts', () => {
    // The kernel log's grep keeps the martian lines too (log_martians): the reverse-path drops the dmesg kind reads.
    const martians = parseArtifact('dmesg', readArtifact('dmesg', 'martian-source-rp-filter-T.txt'), { now: new Date('2026-11-24T18:07:00Z') });
    expect(martians).toMatchObject({ 'kernel.rp_filter_drops': true });
    expect(pasteOf(kb, 'host.oom_kills', kindsCarrying)?.carries).toContain('kernel.rp_filter_drops');
    // One grep of the application's log: every error it prints in its own words, one paste.
    const appLog = ['proc.emfile_errors', 'proc.eaddrnotavail_errors', 'proc.enospc_errors', 'app.pool_wait_timeouts', 'app.dependency_errors'];
    expect(new Set(appLog.map((fact) => kb.questions.get(fact)?.value.how)).size).toBe(1);
    for (const fact of appLog) expect([...(pasteOf(kb, fact, kindsCarrying)?.carries ?? [])].sort()).toEqual([...appLog].sort());
    // The kernel's counters: one nstat of them all, read twice.
    const counters = ['tcp.retransmit_pct', 'tcp.reordering', 'kernel.rp_filter_drops', 'kernel.csum_errors', 'kernel.listen_overflows'];
    expect(new Set(counters.map((fact) => kb.questions.get(fact)?.value.how)).size).toBe(1);
    expect(new Set([...appLog, ...counters].map((fact) => kb.questions.get(fact)?.value.run))).toEqual(new Set(['app_log_errors', 'nstat_counters']));
  });

  it('run a command they share by its name, written once (rules/commands.yaml), so that no copy drifts', () => {
    const byCommand = new Map<string, string[]>();
    for (const [fact, { value: q }] of kb.questions) {
      if (q.how === undefined) continue;
      const key = JSON.stringify([q.how, q.paste, q.carries]);
      byCommand.set(key, [...(byCommand.get(key) ?? []), fact]);
    }
    const writtenOut = [...byCommand.values()].filter((facts) => facts.length > 1).flatMap((facts) => facts.filter((fact) => kb.questions.get(fact)?.value.run === undefined));
    expect(writtenOut).toEqual([]);
    // Each named command is what its questions ask: the how, paste and carries as written there.
    for (const { value: q } of kb.questions.values()) {
      if (q.run !== undefined) expect({ how: q.how, paste: q.paste, carries: q.carries }).toEqual({ carries: undefined, paste: undefined, ...kb.commands.get(q.run)?.value });
    }
    // And a check that runs one shows its command line, the questions' very command (the CPU causes' first check is the CPU questions' top).
    const checks = [...kb.hypotheses.values()].flatMap(({ value: h }) => h.checks.filter((c) => c.run !== undefined));
    expect(checks.length).toBe(22);
    for (const c of checks) expect(c.command).toBe(kb.commands.get(c.run as string)?.value.how);
    expect(kb.hypotheses.get('system.agent_cpu_overhead')?.value.checks[0]?.command).toBe(kb.questions.get('host.cpu_pct')?.value.how);
  });

  it('offer no paste where the command prints what no parser reads', () => {
    // ps sorted by CPU: the top kind reads a process's role only from top's rows with an app_pid line and a ps table of parents.
    expect(kb.questions.get('proc.top_role')?.value).toMatchObject({ how: 'ps -eo pid,ppid,user,pcpu,etime,args --sort=-pcpu | head -n 10' });
    expect(kb.questions.get('proc.top_role')?.value.paste).toBeUndefined();
    // gctrace and dotnet-counters have no parser: Go's and .NET's GC commands offer none.
    expect(Object.fromEntries(Object.entries(kb.questions.get('app.gc_time_pct')?.value.howBy?.variants ?? {}).map(([runtime, v]) => [runtime, v.paste ?? null]))).toEqual({ node: 'gc-log', go: null, dotnet: null });
  });
});
