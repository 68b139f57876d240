import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { artifactKinds, artifactParsers, kindsCarrying, parseArtifact } from '../../src/collect/parsers/index.js';
import { detectKinds } from '../../src/collect/parsers/detect.js';
import { InputError } from '../../src/core/errors.js';
import { normalizeFacts } from '../../src/core/facts.js';
import { artifactsDir, CAPTURE_DAY, readArtifact } from './fixtures.js';
import { baseVocabulary } from '../../src/core/vocabulary.js';

type Expected = Record<string, string | number | boolean>;
type Warning = { field: string; message: string };
/** ethtool-s's warning for an interface without AWS ENA's allowance counters. */
const ES_NO_SHARE = (worst: string) => ({
  field: 'app.gc_time_pct',
  message: `the GC monitor of an Elasticsearch node logs only the intervals above its thresholds, so no share of a minute; the worst interval its overhead lines report spent ${worst}% of its time collecting: the JVM's GC log (-Xlog:gc, gc.log beside the node's log) gives it`,
});
const ES_OLD = 'the longest is an old collection: a stop-the-world pause under G1 and Parallel, but under CMS (Elasticsearch\'s default on JDK 8 before 7.x) it counts the concurrent phases too: the GC log\'s "Pause" lines say';
const NO_ALLOWANCE =
  "this interface's driver counts no pps_allowance_exceeded (an AWS ENA counter), so the output does not say whether packets hit the instance's limit: watch sar -n DEV 1 10 for rxpck/s + txpck/s flat at one value while traffic should grow";
/** thread-dump's warning for a few threads on one lock. */
const FEW_WAITERS = (n: number) =>
  `${n} threads wait on one lock in this dump: a few waiters come and go on any lock a busy service shares; take two or three dumps a few seconds apart while it is slow, and a lock that holds 5 or more in each is the queue`;

/** The warning for curl 7.88's "Couldn't connect to server" (exit 7), which names no cause. */
const couldNotConnect = (host: string, port: string): Warning => ({
  field: 'tcp.connect',
  message: `the connect to ${host} port ${port} failed in words that do not say how: curl 7.88 and later print "Couldn't connect to server" (exit 7) for a refused connect, a spent source port range (EADDRNOTAVAIL) and no route to the host alike; run \`nc -vz ${host} ${port}\` or \`curl -v\` to tell`,
});
/** The warning for a lookup that failed in words that name no cause (curl's exit 6, a bare UnknownHostException). */
const lookupFailed = (name: string): Warning => ({
  field: 'dns.result',
  message: `the lookup of ${name} failed in words that do not say how (curl's "Could not resolve host" is the same for every resolver error, a bare UnknownHostException names only the host): the name may not exist (NXDOMAIN) or the resolver may not have answered; run \`dig ${name}\` to tell`,
});
/** The warning beside EAI_AGAIN read as a timeout. */
const noAnswer = (name: string): Warning => ({
  field: 'dns.result',
  message: `"Temporary failure in name resolution" (EAI_AGAIN) says no resolver gave a usable answer, in the same words whether they timed out or answered SERVFAIL or REFUSED: \`dig ${name}\` shows which (status: SERVFAIL or REFUSED, or "no servers could be reached")`,
});

/** The warning for curl's own time limit running out once connected (exit 28, "Operation timed out after N milliseconds"). */
const clientTimeLimit = (ms: number, received: string): Warning => ({
  field: 'http.latency_ms',
  message:
    `the client gave up at its own time limit after ${ms} ms${received} (curl's exit 28, "Operation timed out": --max-time, or a libcurl client's CURLOPT_TIMEOUT): ` +
    'the answer takes longer than that, how much longer is not measured, so http.latency_ms stays unknown; time the same request without the short limit ' +
    "(`curl -sS -o /dev/null --max-time 90 -w 'http_code=%{http_code} time_total=%{time_total}\\n' URL`), and through a proxy look for the abort in its access log " +
    "(nginx logs it as 499, an AWS ALB as 460: `awk '$9 == 499' /var/log/nginx/access.log | tail`)",
});
/** The warning for a write that failed with EPIPE. */
const BROKEN_PIPE: Warning = {
  field: 'tcp.rst_seen',
  message:
    'a write failed with "Broken pipe" (EPIPE): the other end had closed the connection before it (a client or proxy that gave up on a slow answer, often at its own timeout; or a server or dependency that closed it); ' +
    "it does not say who closed it or why, so it gives no fact: compare the request's time with the client's timeout, and through a proxy look for 499 in its access log " +
    "(`awk '$9 == 499' /var/log/nginx/access.log | tail`)",
};
/** tcp-connect's warning for a failure it has no outcome for. */
const unplacedConnect = (message: string): Warning => ({ field: 'tcp.connect', message });
const NO_ROUTE = unplacedConnect(
  'the connect failed with "No route to host" (EHOSTUNREACH): an ICMP host unreachable answered the SYN (no ARP answer on the local network, a router without a route, or a firewall\'s REJECT with icmp-host-prohibited), so nothing answered at the port and tcp.connect has no outcome for it; `ip route get ADDRESS`, `ip neigh` and the firewall rules on the path tell which',
);

/** The warning for HikariCP's pool timeout with no connection in the pool (total=0). */
const emptyHikariPool: Warning = {
  field: 'app.pool_wait_timeouts',
  message:
    "HikariCP timed out with no connection in its pool (total=0): it could open none, so the database refused, was not reached or was slow to accept, and no request held the pool full; the exception's cause says which: `grep -A 3 'Connection is not available' APP_LOG`",
};

/** nginx-error's warning for lines that name no upstream error. */
const NO_UPSTREAM_ERROR = 'these nginx error.log lines show no upstream error, so proxy.upstream_error stays unknown (the failure may be in lines not pasted: `grep -i upstream` on the log of its minutes)';

/** haproxy-log's warnings: for lines whose ending names no upstream error, and for a client pinned to a busy server. */
const HAPROXY_NO_FAILURE = {
  field: 'proxy.upstream_error',
  message: 'these HAProxy log lines show no server failing, so proxy.upstream_error stays unknown (the failure may be in lines not pasted: those of its minutes whose termination state, the field after the two cookie fields, is not ----)',
};
const haproxyClosedOrReset = (n: number): Warning => ({
  field: 'proxy.upstream_error',
  message:
    `${n} lines ended SH or SD: the server closed or reset the connection before its whole response (configuration manual 8.5); HAProxy logs a close (FIN) and a reset (RST) alike, ` +
    "so proxy.upstream_error (premature_close or reset_by_peer) stays unknown: capture the backend's FINs and RSTs on the HAProxy host, " +
    "`tcpdump -ni any 'tcp port PORT and tcp[tcpflags] & (tcp-fin|tcp-rst) != 0'` with the server line's PORT from haproxy.cfg, and read the server's own log for a crash",
});

/** dig's warning for two runs of NAME (its A records) whose addresses differ, ANSWERS naming who gave which. */
const answersDiffer = (name: string, answers: string): Warning => ({
  field: 'dns.answer_mismatch',
  message: `the 2 dig runs of ${name} A get different addresses: ${answers}. The address the failing clients get is the one to check; a high remaining TTL is a cached copy, and \`dig +trace ${name}\` gives the authoritative answer (a CDN or geo-DNS answers each resolver differently by design)`,
});
/** Lab 206's two resolvers: the stale one and the current one. */
const LAB206_ANSWERS = 'run 1 (server 10.206.0.53): 10.206.0.2 (TTL 86400); run 2 (server 10.206.0.54): 10.206.0.3 (TTL 300)';

/** Every fixture and the exact facts it must give: [kind, file, facts, and where given, the exact warnings]. */
const CASES: Array<[string, string, Expected, Warning[]?]> = [
  ['ping', 'linux-ok.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.076, 'ping.rtt_max_ms': 0.203 }],
  // A name that did not resolve: ping sends nothing, and its line says the lookup's failure (lab 200, case 12: the resolver dropped).
  [
    'ping',
    'lookup-eai-again.txt',
    { 'dns.temporary_failure': true },
    [noAnswer('orders.internal')],
  ],
  ['ping', 'lookup-noname.txt', { 'dns.result': 'nxdomain' }, []],
  // The direct status question's command, against one backend (python3 -m http.server on 127.0.0.1).
  // Lab 201: a middlebox reset the transfer after the status line (curl exit 56): the status holds, and so does the RST its message names.
  // curl is the client: the reset it reports claims the server's side (lab 207 case 02, a forged one).
  ['curl-w', 'lab-reset-after-200.txt', { 'tcp.rst_seen': true, 'tcp.rst_from': 'server', 'http.status': 200, 'dns.resolve_ms': 0.018, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.52, 'http.ttfb_ms': 0.568, 'http.latency_ms': 1.415 }],
  ['curl-w', 'named-subset-direct-200.txt', { 'http.status': 200, 'http.latency_ms': 2.145 }],
  ['ping', 'linux-ipv6.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.056, 'ping.rtt_max_ms': 0.09 }],
  ['ping', 'linux-partial-loss.txt', { 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 }],
  ['ping', 'linux-all-lost.txt', { 'ping.result': 'fail', 'ping.loss_pct': 100 }],
  ['ping', 'linux-host-unreachable.txt', { 'ping.result': 'fail', 'ping.loss_pct': 100 }],
  ['ping', 'macos-partial-loss.txt', { 'ping.result': 'partial_loss', 'ping.loss_pct': 25, 'ping.rtt_avg_ms': 30.146, 'ping.rtt_max_ms': 48.907 }],
  ['ping', 'macos-all-lost.txt', { 'ping.result': 'fail', 'ping.loss_pct': 100 }],
  ['ping', 'freebsd-ok.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 11.749, 'ping.rtt_max_ms': 11.911 }],
  ['ping', 'busybox-ok.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.4, 'ping.rtt_max_ms': 0.412 }],
  ['ping', 'windows-partial-loss.txt', { 'ping.result': 'partial_loss', 'ping.loss_pct': 25, 'ping.rtt_avg_ms': 20, 'ping.rtt_max_ms': 31 }],
  ['ping-mtu', 'linux-replies.txt', { 'ping.large_packet_fail': false }],
  ['ping-mtu', 'linux-message-too-long.txt', { 'ping.large_packet_fail': true }],
  ['ping-mtu', 'linux-silent-drop.txt', { 'ping.large_packet_fail': true }],
  ['ping-mtu', 'linux-frag-needed.txt', { 'ping.large_packet_fail': true }],
  ['ping-mtu', 'macos-message-too-long.txt', { 'ping.large_packet_fail': true }],
  // mtr: the last hop is the destination, its row is ping's; loss before it that it does not show is no loss.
  ['mtr', 'clean-rwbz.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.1, 'ping.rtt_max_ms': 0.3, 'ping.intermediate_loss_only': false }],
  ['mtr', 'intermediate-ratelimit-rwbz.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.1, 'ping.rtt_max_ms': 0.3, 'ping.intermediate_loss_only': true }],
  ['mtr', 'intermediate-ratelimit-r.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.1, 'ping.rtt_max_ms': 0.3, 'ping.intermediate_loss_only': true }],
  // Loss from hop 3 on, the destination's included: real loss.
  ['mtr', 'forward-loss-rwbz.txt', { 'ping.result': 'partial_loss', 'ping.loss_pct': 8, 'ping.rtt_avg_ms': 0.1, 'ping.rtt_max_ms': 0.2, 'ping.intermediate_loss_only': false }],
  ['mtr', 'destination-loss-r.txt', { 'ping.result': 'partial_loss', 'ping.loss_pct': 7, 'ping.rtt_avg_ms': 0.1, 'ping.rtt_max_ms': 0.3, 'ping.intermediate_loss_only': false }],
  // A router that never answers ("???", "100.0" without its "%"): the extreme of rate limiting.
  ['mtr', 'silent-hop-rwn.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.2, 'ping.rtt_max_ms': 8.3, 'ping.intermediate_loss_only': true }],
  // The destination never answered: ping to it fails, and no round trip is known.
  ['mtr', 'no-answer-rwbz.txt', { 'ping.result': 'fail', 'ping.loss_pct': 100, 'ping.intermediate_loss_only': false }],
  // The more addresses of a load-balanced hop, and an MPLS label, are no hops of their own.
  ['mtr', 'load-balanced-rwn.txt', { 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 12.5, 'ping.rtt_max_ms': 13.9, 'ping.intermediate_loss_only': true }],
  ['tcp-connect', 'openbsd-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'openbsd-ok-name.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'openbsd-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'openbsd-timeout.txt', { 'tcp.connect': 'timeout' }],
  ['tcp-connect', 'traditional-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'traditional-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'traditional-timeout.txt', { 'tcp.connect': 'timeout' }],
  ['tcp-connect', 'busybox-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'busybox-timeout.txt', { 'tcp.connect': 'timeout' }],
  ['tcp-connect', 'ncat-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'ncat-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'ncat-timeout.txt', { 'tcp.connect': 'timeout' }],
  ['tcp-connect', 'telnet-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'telnet-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'telnet-timeout.txt', { 'tcp.connect': 'timeout' }],
  ['tcp-connect', 'bash-dev-tcp-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'macos-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'macos-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'powershell-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'openbsd-fallback-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'telnet-fallback-ok.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'telnet-both-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'busybox-telnet-refused.txt', { 'tcp.connect': 'refused' }],
  ['tcp-connect', 'busybox-full-open.txt', { 'tcp.connect': 'ok' }],
  ['tcp-connect', 'busybox-full-refused.txt', { 'tcp.connect': 'refused' }],
  // tcpdump 4.99 on a client namespace, a veth to a server namespace (test/fixtures/artifacts/README.md).
  // A request: handshake with wscale both ways, data, FINs (-v, -i any): no RST ends it.
  ['tcpdump', 'handshake-data-fin-v-any.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': false }, []],
  // -e's link-level header before the addresses ("MAC > MAC, ethertype IPv4 (0x0800), length 74: "; under -i any "ifindex 1 MAC ethertype ..."), also with -v's IP header.
  ['tcpdump', 'e-lo-handshake-data-fin.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': false }, []],
  ['tcpdump', 'e-any-handshake.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok' }, []],
  ['tcpdump', 'e-v-lo-handshake.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok' }, []],
  ['tcpdump', 'e-vlan-handshake-rst.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': true, 'tcp.rst_from': 'server' }, []],
  ['tcpdump', 'e-vlan-dei-handshake-rst.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': true, 'tcp.rst_from': 'server' }, []],
  ['tcpdump', 'e-v-qinq-handshake-rst.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': true, 'tcp.rst_from': 'server', 'tcp.rst_ttl_mismatch': false }, []],
  // The tcp.window_scale_missing question's command against a server with tcp_window_scaling=0: SYN-ACKs without wscale.
  ['tcpdump', 'syn-ack-without-wscale-any.txt', { 'tcp.window_scale_missing': true, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok' }, []],
  // The same on one interface (-i c0): no interface column.
  ['tcpdump', 'syn-ack-without-wscale-i-c0.txt', { 'tcp.window_scale_missing': true, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok' }, []],
  // The server's firewall drops SYNs: the same SYN at 1, 2 and 4 s; nothing says whether its SYN-ACK would lack wscale.
  ['tcpdump', 'syn-retransmits-any.txt', { 'tcp.syn_retransmits': true }, []],
  // A closed port: each SYN answered by an RST is a refusal, no RST ending a connection (the SYN and RST filter of the tcp.rst_from question).
  ['tcpdump', 'closed-port-syn-rst-any.txt', { 'tcp.syn_retransmits': false, 'tcp.connect': 'refused' }, []],
  ['tcpdump', 'closed-port-v-i-c0.txt', { 'tcp.syn_retransmits': false, 'tcp.connect': 'refused' }, []],
  // An RST a raw socket in the server's namespace sent as the server's address and port with TTL 250, into an open connection whose packets have TTL 64.
  // A client that does not read while the server writes 2 MB: its ACKs advertise win 0; closing with data unread, it resets (the client's RST).
  ['tcpdump', 'zero-window-then-client-rst-any.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.zero_window': true, 'tcp.rst_seen': true, 'tcp.rst_from': 'client' }, []],
  // The same forged RST under the tcp.rst_from question's filter (SYNs and RSTs): the SYN's destination sent it.
  ['tcpdump', 'forged-rst-syn-rst-any.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': true, 'tcp.rst_from': 'server' }, []],
  ['tcpdump', 'forged-rst-ttl-250-v-any.txt', { 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': true, 'tcp.rst_from': 'server', 'tcp.rst_ttl_mismatch': true }, []],
  ['tcp-connect', 'bash-login-timeout.txt', { 'tcp.connect': 'timeout' }],
  // A name that did not resolve was never connected to: its dns.result only.
  ['tcp-connect', 'openbsd-getaddrinfo-noname.txt', { 'dns.result': 'nxdomain' }, []],
  ['tcp-connect', 'openbsd-getaddrinfo-eai-again.txt', { 'dns.temporary_failure': true }, [noAnswer('orders.internal')]],
  // Lab 205 case 03: the client's source ports toward the server spent. The connect never left the
  // host, so no tcp.connect; its EADDRNOTAVAIL reads as app-errors reads it (the deciding fact).
  ['tcp-connect', 'lab205-openbsd-eaddrnotavail.txt', { 'proc.eaddrnotavail_errors': true }, []],
  // Failures tcp.connect has no outcome for: no fact, and a warning naming what to check.
  ['tcp-connect', 'openbsd-no-route.txt', {}, [NO_ROUTE]],
  ['tcp-connect', 'powershell-failed.txt', {}, [unplacedConnect('TcpTestSucceeded False does not say whether the connect was refused or timed out, so it gives no fact; `nc -vz HOST PORT` or `telnet HOST PORT` tells')]],
  // Lab 202: a Python server throttled to a tenth of a CPU; futex tops a table of 0.065 s in 10 s (the "# duration_s" line added).
  ['strace-c', 'python-futex-parked-10s.txt', { 'strace.top_syscall': 'futex', 'strace.top_syscall_pct': 84.73, 'strace.error_pct': 22.98, 'strace.syscalls_per_s': 168.4, 'strace.syscall_time_pct': 0.65 }],
  ['strace-c', 'attached-statx-storm.txt', { 'strace.top_syscall': 'statx', 'strace.top_syscall_pct': 99.87, 'strace.error_pct': 99.87, 'strace.syscalls_per_s': 28932.2, 'strace.syscall_time_pct': 7.17 }],
  ['strace-c', 'statx-enoent.txt', { 'strace.top_syscall': 'statx', 'strace.top_syscall_pct': 94.98, 'strace.error_pct': 99.17 }],
  ['strace-c', 'f-futex-dominant.txt', { 'strace.top_syscall': 'futex', 'strace.top_syscall_pct': 75.08, 'strace.error_pct': 98.73 }],
  ['strace-c', 'w-f-wall-clock.txt', { 'strace.top_syscall': 'futex', 'strace.top_syscall_pct': 73.76, 'strace.error_pct': 0.01 }],
  ['strace-c', 'python-epoll-wait-zero-timeout-5s.txt', { 'strace.top_syscall': 'epoll_wait', 'strace.top_syscall_pct': 100, 'strace.error_pct': 0, 'strace.syscalls_per_s': 101628.8, 'strace.syscall_time_pct': 5.44 }],
  // Lab 205 case 04: a busy-polling event loop with no traffic, saved under its own `$ timeout 5 strace -c -f -p PID` line: 508,144 calls in 5 s.
  ['strace-c', 'lab205-timeout-5-epoll-busy-poll.txt', { 'strace.top_syscall': 'epoll_wait', 'strace.top_syscall_pct': 100, 'strace.error_pct': 0, 'strace.syscalls_per_s': 101628.8, 'strace.syscall_time_pct': 5.44 }],
  ['strace-t', 'curl.txt', { 'strace.slowest_call_ms': 196.517 }],
  ['strace-t', 'f-tt-node.txt', { 'strace.slowest_call_ms': 366.062 }],
  // time_namelookup is the lookup's time (tcp.connect_ms has it taken out).
  ['curl-w', 'http-slow.txt', { 'http.status': 200, 'dns.resolve_ms': 0.019, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.24, 'http.ttfb_ms': 306.728, 'http.latency_ms': 307.051 }],
  ['curl-w', 'http-503.txt', { 'http.status': 503, 'dns.resolve_ms': 0.018, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.07, 'http.ttfb_ms': 0.636, 'http.latency_ms': 0.76 }],
  ['curl-w', 'https.txt', { 'http.status': 200, 'dns.resolve_ms': 0.013, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.228, 'tls.handshake': 'ok', 'http.ttfb_ms': 0.226, 'http.latency_ms': 4.293 }],
  ['curl-w', 'json.txt', { 'http.status': 200, 'dns.resolve_ms': 0.013, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.279, 'http.ttfb_ms': 301.781, 'http.latency_ms': 302.153 }],
  // A loop: the slowest request's facts but the status, the error's where a request got one; a 503 and a request late by 300 ms among
  // fast ones come and go (one late request is no fixed delay).
  ['curl-w', 'loop.txt', { 'http.status': 503, 'dns.resolve_ms': 0.013, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.049, 'http.ttfb_ms': 301.532, 'http.latency_ms': 301.67, 'http.error_rate_pct': 20, 'symptom.intermittent': true }],
  // Two of six requests late by the same 5 s: intermittent, and the delay over the fast ones.
  ['curl-w', 'loop-6-two-late-by-5s.txt', { 'http.status': 200, 'tcp.connect': 'ok', 'tcp.connect_ms': 1.228, 'http.ttfb_ms': 5052.545, 'http.latency_ms': 5053.983, 'http.error_rate_pct': 0, 'symptom.intermittent': true, 'http.fixed_delay_ms': 5015 }, []],
  // symptom.intermittent's own loop, http_code and time_total alone: no connect or first-byte time to read.
  ['curl-w', 'loop-50-every-third-late-by-1s.txt', { 'http.status': 200, 'http.latency_ms': 1003.173, 'http.error_rate_pct': 0, 'symptom.intermittent': true, 'http.fixed_delay_ms': 1000 }, []],
  // http.fixed_delay_ms's own command: ten of fifty late by 200 ms, one of them slower still (a stray does not hide the delay).
  ['curl-w', 'loop-sorted-late-by-200ms.txt', { 'http.status': 200, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.31, 'http.ttfb_ms': 291.36, 'http.latency_ms': 291.848, 'http.error_rate_pct': 0, 'symptom.intermittent': true, 'http.fixed_delay_ms': 200 }, []],
  // A closed port, and curl 7.88's exit 7 names no cause: no tcp.connect, a warning naming what tells.
  ['curl-w', 'couldnt-connect-closed-port.txt', {}, [couldNotConnect('127.0.0.1', '18099')]],
  // The same words for a spent source port range (lab 195, case 09): never "refused".
  ['curl-w', 'loop-couldnt-connect-eaddrnotavail.txt', { 'http.error_rate_pct': 100, 'symptom.intermittent': false }, [couldNotConnect('10.195.0.2', '8089')]],
  // Lab 205 case 07: `curl --max-time 3` through nginx to an 8 s endpoint, 5 of 5 exit 28 after 3.0 s:
  // connected, and no latency (the answer takes longer, by how much is not measured), but the limit named.
  [
    'curl-w',
    'lab205-loop-exit-28-max-time-3s.txt',
    { 'dns.resolve_ms': 0.017, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.106, 'http.error_rate_pct': 100, 'symptom.intermittent': false },
    [clientTimeLimit(3001, ' with 0 bytes received')],
  ],
  // exit 6 is the same words for every resolver error (lab 195, case 12: the resolver unreachable).
  ['curl-w', 'lookup-failed-resolver-down.txt', {}, [lookupFailed('orders.internal')]],
  // errormsg read as app-errors reads the same text (app-errors/curl-60-cert-expired.txt).
  ['curl-w', 'tls-cert-expired.txt', { 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false }, []],
  ['curl-w', 'tls-protocol-version.txt', { 'tls.handshake': 'failed', 'tls.alert': 'protocol_version' }],
  // The shorter named formats of the knowledge base's commands: any subset with http_code and a time_ variable, in any order.
  ['curl-w', 'named-subset-exit-7.txt', {}, [couldNotConnect('HOST', 'PORT')]],
  // With 2>&1: curl's own numbered error on stderr comes first, beside the -w line.
  ['curl-w', 'couldnt-connect-with-stderr.txt', {}, [couldNotConnect('HOST', 'PORT')]],
  // Behind a full queue (lab 195, case 14): every request slow by a different amount, none fast: no fixed delay, not intermittent.
  [
    'curl-w',
    'loop-bufferbloat-none-fast.txt',
    { 'http.status': 200, 'dns.resolve_ms': 0.018, 'tcp.connect': 'ok', 'tcp.connect_ms': 582.601, 'http.ttfb_ms': 609.578, 'http.latency_ms': 1192.375, 'http.error_rate_pct': 0 },
    [
      {
        field: 'http.fixed_delay_ms',
        message:
          "every answered request took 286 ms or more (up to 1192 ms), and none is fast beside the others: the times vary, but no group shows the service's usual time, so neither a fixed delay nor an intermittent slowness can be read (a slow path shows in every request: compare ping's round trip and time_connect)",
      },
    ],
  ],
  // 15% loss (lab 195, case 01): two stalls of 2.1 and 2.3 s over 3 ms, wider apart than a timer's slack: intermittent, no fixed delay.
  [
    'curl-w',
    'loop-packet-loss-stalls.txt',
    { 'http.status': 200, 'dns.resolve_ms': 0.015, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.288, 'http.ttfb_ms': 201.611, 'http.latency_ms': 2309.023, 'http.error_rate_pct': 0, 'symptom.intermittent': true },
    [
      {
        field: 'http.fixed_delay_ms',
        message: "2 late requests take 2104 ms to 2309 ms, 6 fast ones about 3 ms: the late ones spread wider than a timer's slack (55 ms of their median), as retransmissions after loss or queueing do, so no one fixed delay",
      },
    ],
  ],
  ['curl-w', 'named-subset-no-total.txt', { 'http.status': 200, 'tcp.connect': 'ok', 'tcp.connect_ms': 0.292 }],
  // Sorted on time_total, printed first: the slowest request is the last line.
  // Late by 40 ms or by 1 s: intermittent, but no one fixed delay.
  ['curl-w', 'loop-sorted-by-total.txt', { 'http.status': 200, 'tcp.connect': 'ok', 'tcp.connect_ms': 5.068, 'http.ttfb_ms': 1008.659, 'http.latency_ms': 1013.851, 'http.error_rate_pct': 0, 'symptom.intermittent': true }],
  // top -c while a curl -w loop runs (lab 195, case 06): the loop's command lines are no requests.
  [
    'top',
    'curl-w-loop-in-command-lines.txt',
    {
      'host.cpu_pct': 50.4,
      'host.iowait_pct': 0,
      'host.cpu_steal_pct': 0,
      'host.cpu_sys_pct': 18.3,
      'proc.top_pid': 11454,
      'proc.top_name': '/root/.pyenv/versions/3.11.7/bin/python3',
      'proc.top_cpu_pct': 97,
      'host.mem_available_pct': 97.86,
    },
    [],
  ],
  [
    'top',
    'statx-storm-child-of-app.txt',
    {
      'host.cpu_pct': 85.7,
      'host.iowait_pct': 0,
      'host.cpu_steal_pct': 0,
      'host.cpu_sys_pct': 3.9,
      'proc.top_pid': 26607,
      'proc.top_name': '/usr/bin/node',
      'proc.top_cpu_pct': 96,
      'proc.app_pid': 26599,
      'proc.top_role': 'child_of_app',
      'proc.app_cpu_pct': 96,
      'host.load_per_cpu': 0.74,
      'host.mem_available_pct': 98.23,
    },
  ],
  [
    'top',
    'app-busy-per-cpu.txt',
    {
      'host.cpu_pct': 50.45,
      'host.iowait_pct': 0,
      'host.cpu_steal_pct': 0,
      // top -1: the mean of the CPUs' sy (0 and 0.9), and the busiest CPU's si.
      'host.cpu_sys_pct': 0.45,
      'host.cpu_softirq_pct': 0,
      'proc.top_pid': 7896,
      'proc.top_name': 'node',
      'proc.top_cpu_pct': 100,
      'proc.app_pid': 7896,
      'proc.top_role': 'app',
      'proc.app_cpu_pct': 100,
      'host.load_per_cpu': 0.56,
      'host.mem_available_pct': 98.44,
    },
  ],
  // The questions' own command (top -b -n 2 ... | grep -A 14 '^top - '): no app_pid line, no per-CPU lines, so no role, app share or load per CPU.
  [
    'top',
    'question-command-busy-node.txt',
    {
      'host.cpu_pct': 50.4,
      'host.iowait_pct': 0,
      'host.cpu_steal_pct': 0,
      'host.cpu_sys_pct': 0.4,
      'proc.top_pid': 26221,
      'proc.top_name': 'node',
      'proc.top_cpu_pct': 100,
      'host.mem_available_pct': 97.84,
    },
  ],
  // The questions' command since session 37, with nproc's count under it (and its own command line above): the load per CPU too.
  [
    'top',
    'question-command-nproc-busy-node.txt',
    {
      'host.cpu_pct': 50.6,
      'host.iowait_pct': 0,
      'host.cpu_steal_pct': 0,
      'host.cpu_sys_pct': 0.4,
      'proc.top_pid': 28971,
      'proc.top_name': 'node',
      'proc.top_cpu_pct': 101,
      'host.load_per_cpu': 0.12,
      'host.mem_available_pct': 98.01,
    },
  ],
  // top -b -n 1: the %Cpu line counts three ticks (66.7 us, 33.3 sy), so no CPU share is read.
  [
    'top',
    'one-snapshot.txt',
    {
      'proc.top_pid': 8317,
      'proc.top_name': 'node',
      'proc.top_cpu_pct': 47.1,
      'host.mem_available_pct': 91.04,
    },
  ],
  [
    'top',
    'softirq-kernel-thread.txt',
    {
      'host.cpu_pct': 37.3,
      'host.iowait_pct': 0.4,
      'host.cpu_steal_pct': 0.3,
      // Only the %Cpu(s) line, the mean of 4 CPUs: no busiest CPU's si (a warning below).
      'host.cpu_sys_pct': 4,
      'proc.top_pid': 30,
      'proc.top_name': 'ksoftirqd/3',
      'proc.top_cpu_pct': 97,
      'proc.top_role': 'kernel_thread',
      'host.load_per_cpu': 0.98,
      'host.mem_available_pct': 39.54,
    },
    [
      { field: 'host.cpu_pct', message: "one snapshot: top's first %Cpu line covers only the moment it started, so the host's CPU shares may be far off; top -b -n 2 -d 1 measures them over a second" },
      {
        field: 'host.cpu_softirq_pct',
        message: "not read: the %Cpu(s) line's si (24.9%) is the mean of 4 CPUs, and one CPU can drown in softirqs while the mean reads low; top -1 or mpstat -P ALL 1 5 shows each CPU's",
      },
    ],
  ],
  // Lab 201: the first snapshot of an idle host read "100.0 sy": only the memory is read.
  ['top', 'first-snapshot-idle-host.txt', { 'host.mem_available_pct': 97.85 }],
  // No listed process used a tick of CPU (every row 0.0): no busiest process, only the host's facts.
  // The host was busy with processes `-p` left out.
  [
    'top',
    'no-process-busy.txt',
    { 'host.cpu_pct': 100, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 15.5, 'host.mem_available_pct': 83.32 },
  ],
  // Three ticks in the second, under 5% of one CPU: no busiest process (the host was busy with processes -p left out).
  [
    'top',
    'busiest-at-3-pct.txt',
    { 'host.cpu_pct': 99.6, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 16.9, 'host.mem_available_pct': 82.2 },
  ],
  // Lab 195 case 01: an idle host, PID 1 at 1.0% tied with the app: neither is named.
  [
    'top',
    'idle-pid1-tied-with-app.txt',
    { 'host.cpu_pct': 1.7, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 0.4, 'host.mem_available_pct': 97.97 },
  ],
  // Without -c -w top prints 80 columns and cuts the name with a '+': it is kept, with a warning.
  [
    'top',
    'names-cut-without-c-w.txt',
    {
      'host.cpu_pct': 100,
      'host.iowait_pct': 0,
      'host.cpu_steal_pct': 0,
      'host.cpu_sys_pct': 7.8,
      'proc.top_pid': 2252,
      'proc.top_name': 'checkout-+',
      'proc.top_cpu_pct': 56.4,
      'host.mem_available_pct': 83.36,
    },
  ],
  // vmstat's si is swap-in (host.swapping), never softirq: vmstat gives no host.cpu_softirq_pct.
  ['vmstat', 'busy.txt', { 'host.cpu_pct': 58.5, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 0.5, 'host.swapping': false, 'host.blocked_tasks': 0 }],
  ['vmstat', 'wide.txt', { 'host.cpu_pct': 30, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 4, 'host.swapping': false, 'host.blocked_tasks': 0 }],
  ['vmstat', 'swapping-iowait.txt', { 'host.cpu_pct': 18, 'host.iowait_pct': 55.5, 'host.cpu_steal_pct': 1, 'host.cpu_sys_pct': 8.5, 'host.swapping': true, 'host.blocked_tasks': 6.5 }],
  // Lab 202 case 07: b 4-6 (mean of the four samples after the since-boot line: 5) while wa reads 0-1, the CPUs busy with another tenant.
  ['vmstat', 'lab-blocked-on-throttled-fsync-busy-host.txt', { 'host.cpu_pct': 99.5, 'host.iowait_pct': 0.5, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 8, 'host.swapping': false, 'host.blocked_tasks': 5 }],
  ['vmstat', 'lab-memory-cgroup-refaults.txt', { 'host.cpu_pct': 99.75, 'host.iowait_pct': 0.25, 'host.cpu_steal_pct': 3.5, 'host.cpu_sys_pct': 34.5, 'host.swapping': false, 'host.blocked_tasks': 2 }],
  // The busiest device's await is the mean per request (an idle second's 0.00 is no request), its %util the mean of the reports after the since-boot one.
  ['iostat', 'lab-loop-throttled-fsync-two-devices.txt', { 'host.disk_await_ms': 0.71, 'host.disk_util_pct': 0.3 }, [{ field: 'host.disk_await_ms', message: 'read device loop0, the busiest by queue (aqu-sz) and %util of 2: for another, iostat -x DEVICE 1 5' }]],
  ['iostat', 'lab-memory-cgroup-refaults.txt', { 'host.disk_await_ms': 0.81, 'host.disk_util_pct': 1.7 }, []],
  ['iostat', 'dsync-writes-sysstat12.txt', { 'host.disk_await_ms': 0.15, 'host.disk_util_pct': 4.4 }, [{ field: 'host.disk_await_ms', message: 'read device vda, the busiest by queue (aqu-sz) and %util of 2: for another, iostat -x DEVICE 1 5' }]],
  ['iostat', 'sysstat10-hdd-saturated.txt', { 'host.disk_await_ms': 247.77, 'host.disk_util_pct': 99.6 }, [{ field: 'host.disk_await_ms', message: 'read device sda, the busiest by queue (aqu-sz) and %util of 2: for another, iostat -x DEVICE 1 5' }, { field: 'host.disk_util_pct', message: 'sda was busy 99.6% of the time: saturated only if it serves one request at a time (one spinning disk); SSDs, NVMe and arrays serve many in parallel (iostat(1)), so read its queue (aqu-sz) and await' }]],
  ['iostat', 'sysstat11-nvme-util-100-fast.txt', { 'host.disk_await_ms': 0.14, 'host.disk_util_pct': 100 }, [{ field: 'host.disk_util_pct', message: 'nvme0n1 was busy 100% of the time: saturated only if it serves one request at a time (one spinning disk); SSDs, NVMe and arrays serve many in parallel (iostat(1)), so read its queue (aqu-sz) and await' }]],
  ['iostat', 'sysstat9-await-only-decimal-comma.txt', { 'host.disk_await_ms': 87.15, 'host.disk_util_pct': 98.7 }, [{ field: 'host.disk_util_pct', message: 'sda was busy 98.7% of the time: saturated only if it serves one request at a time (one spinning disk); SSDs, NVMe and arrays serve many in parallel (iostat(1)), so read its queue (aqu-sz) and await' }]],
  // Only the "all" lines of a host of 2 CPUs: no busiest CPU's %soft.
  ['mpstat', 'interval.txt', { 'host.cpu_pct': 50.25, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 0.25 }],
  ['mpstat', 'per-cpu.txt', { 'host.cpu_pct': 19.1, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 2.51, 'host.cpu_softirq_pct': 0 }],
  // mpstat -P ALL with CPU 0 drowning in softirq: the all-CPU %soft (24.41) understates it; CPU 0's Average (97) is the fact.
  ['mpstat', 'softirq-one-cpu.txt', { 'host.cpu_pct': 33.67, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 2.88, 'host.cpu_softirq_pct': 97 }],
  // pidstat -u -p PID: the process's own split between its code and the kernel, %system / (%usr + %system),
  // from the Average line. A stat() storm on a deep path (41%), and on a short missing one (28%: the
  // interpreter's loop costs as much as the cheap calls); a pure arithmetic loop (0.27%).
  ['pidstat', 'stat-storm.txt', { 'proc.app_pid': 19716, 'proc.app_cpu_pct': 90.22, 'proc.app_sys_share_pct': 41.38 }],
  ['pidstat', 'stat-enoent-short-path.txt', { 'proc.app_pid': 1109, 'proc.app_cpu_pct': 42.51, 'proc.app_sys_share_pct': 28.17 }],
  ['pidstat', 'pure-cpu.txt', { 'proc.app_pid': 20315, 'proc.app_cpu_pct': 74.75, 'proc.app_sys_share_pct': 0.27 }],
  // -t: the process's own line (TID "-"), which sums its threads; the threads' lines (TGID "-") are not read.
  ['pidstat', 't-threads-stat-storm.txt', { 'proc.app_pid': 22841, 'proc.app_cpu_pct': 85.43, 'proc.app_sys_share_pct': 41.12 }],
  // -h: one line per sample under "# Time", no Average block: the mean of the samples (18.67 %usr, 12.33 %system).
  ['pidstat', 'h-stat-storm.txt', { 'proc.app_pid': 23885, 'proc.app_cpu_pct': 31, 'proc.app_sys_share_pct': 39.78 }],
  // sysstat before 11.5.5 (no %wait column), in a 12-hour locale ("11:31:34 AM").
  ['pidstat', 'sysstat10-12h-no-wait.txt', { 'proc.app_pid': 2231, 'proc.app_cpu_pct': 96.81, 'proc.app_sys_share_pct': 38.97 }],
  // An idle process: its CPU is known (0), its split is not (nothing to split; a warning says so).
  ['pidstat', 'idle-process.txt', { 'proc.app_pid': 24092, 'proc.app_cpu_pct': 0 }],
  // cgroup cpu.stat read twice (lab 202 case 06, cgroup v1: a quota of 10% of a CPU, ~30 ms of CPU per request):
  // 41 of the 43 periods between the readings throttled; the quota and period are labelled by the command line.
  ['cpu-stat', 'lab-v1-quota-10pct-two-readings.txt', { 'cgroup.cpu_throttled_pct': 95.35, 'cgroup.cpu_limit_cores': 0.1 }, []],
  // Half a core for a process using ~4% of one: none of the 50 periods between the readings throttled (the one before is its start-up).
  ['cpu-stat', 'v1-quota-half-core-light-load-two-readings.txt', { 'cgroup.cpu_throttled_pct': 0, 'cgroup.cpu_limit_cores': 0.5 }, []],
  // Lab 205 case 02: the root v1 group, cfs_quota_us -1, read twice: no quota of its own, so none of its periods is throttled.
  [
    'cpu-stat',
    'lab205-v1-no-quota-two-readings.txt',
    { 'cgroup.cpu_throttled_pct': 0 },
    [{ field: 'cgroup.cpu_throttled_pct', message: `the group has no CPU quota of its own (cpu.max "max", cfs_quota_us -1), so no period of its own is throttled: read as 0; a parent group's quota (a systemd slice's CPUQuota=) may still pause it, counted in that group's cpu.stat` }],
  ],
  // One reading: the share since the group was created, with a warning that it dilutes a recent fault.
  [
    'cpu-stat',
    'v1-one-reading-throttled.txt',
    { 'cgroup.cpu_throttled_pct': 97.5 },
    [{ field: 'cgroup.cpu_throttled_pct', message: 'nr_throttled 39 of nr_periods 40 counts since the cgroup was created, in one reading, which dilutes a recent fault: paste two readings a few seconds apart while the problem happens (cat /sys/fs/cgroup/cpu.stat; sleep 5; cat /sys/fs/cgroup/cpu.stat (v1: /sys/fs/cgroup/cpu,cpuacct/cpu.stat))' }],
  ],
  // Lab 202 case 05 (cgroup v1, a 64 MiB limit): limit, usage and failcnt labelled by the command line, then memory.stat.
  // Working set (67088384 - total_inactive_file 9211904) / 67108864; failcnt in one reading says nothing of now.
  [
    'cgroup-memory',
    'lab202-v1-limit-64m-one-reading.txt',
    { 'cgroup.memory_working_set_pct': 86.24 },
    [{ field: 'cgroup.memory_reclaiming_at_limit', message: 'the limit was met 647507 times (v1 failcnt, v2 memory.events max + high) since the group was created, in one reading: whether it reclaims now takes two readings a few seconds apart while it is slow (cd /sys/fs/cgroup; for i in 1 2; do head -n 100 memory.max memory.current memory.events memory.stat; sleep 5; done (v1: cd /sys/fs/cgroup/memory/GROUP; head -n 100 memory.limit_in_bytes memory.usage_in_bytes memory.failcnt memory.stat, twice))' }],
  ],
  // The lab's repro here, read twice 5 s apart by one command line: failcnt 234581 -> 260147, working set of the last reading.
  ['cgroup-memory', 'v1-limit-64m-cache-thrash-two-readings.txt', { 'cgroup.memory_working_set_pct': 78.44, 'cgroup.memory_reclaiming_at_limit': true }, []],
  // The same group under head's ==> FILE <== headers, one reading.
  [
    'cgroup-memory',
    'v1-limit-64m-head-one-reading.txt',
    { 'cgroup.memory_working_set_pct': 78.44 },
    [{ field: 'cgroup.memory_reclaiming_at_limit', message: 'the limit was met 260147 times (v1 failcnt, v2 memory.events max + high) since the group was created, in one reading: whether it reclaims now takes two readings a few seconds apart while it is slow (cd /sys/fs/cgroup; for i in 1 2; do head -n 100 memory.max memory.current memory.events memory.stat; sleep 5; done (v1: cd /sys/fs/cgroup/memory/GROUP; head -n 100 memory.limit_in_bytes memory.usage_in_bytes memory.failcnt memory.stat, twice))' }],
  ],
  // cgroup v2 in a pod, twice: memory.events max 48213 -> 49870; (268279808 - 30261248) / 268435456.
  ['cgroup-memory', 'v2-pod-limit-256m-two-readings.txt', { 'cgroup.memory_working_set_pct': 88.67, 'cgroup.memory_reclaiming_at_limit': true }, []],
  // memory.max "max": no limit of its own, no working set share.
  [
    'cgroup-memory',
    'v2-no-limit.txt',
    {},
    [{ field: 'cgroup.memory_working_set_pct', message: 'the group has no memory limit of its own (memory.max "max", v1 limit_in_bytes unlimited): its usage meets no bound here, but a parent group\'s limit may bound it (v1 memory.stat hierarchical_memory_limit); read the group that holds the limit' }],
  ],
  // Lab 202 case 05's host PSI, memory and io read twice under cat's command lines: the last reading of each.
  [
    'psi',
    'lab202-host-memory-io-two-readings.txt',
    { 'psi.memory_some_pct': 0.02, 'psi.io_some_pct': 41.88 },
    [
      { field: 'psi.memory_some_pct', message: "/proc/pressure/memory is the host's: it counts every task on the host, so a busy neighbour raises it and one container's stalls are diluted; a cgroup v2 container has its own (/sys/fs/cgroup/memory.pressure inside it)" },
      { field: 'psi.io_some_pct', message: "/proc/pressure/io is the host's: it counts every task on the host, so a busy neighbour raises it and one container's stalls are diluted; a cgroup v2 container has its own (/sys/fs/cgroup/io.pressure inside it)" },
    ],
  ],
  // The repro's host and group files under head: the group's win (its memory 0.00 while it reclaimed at its limit), the host's named.
  [
    'psi',
    'host-and-group-head.txt',
    { 'psi.cpu_some_pct': 0, 'psi.memory_some_pct': 0, 'psi.io_some_pct': 69.67 },
    [
      { field: 'psi.cpu_some_pct', message: "/sys/fs/cgroup/unified/h214/cpu.pressure is a cgroup's own: it counts only that group's tasks, and (Linux 5.7 and later) their time throttled by its cpu.max (the host's /proc/pressure/cpu said 24.17)" },
      { field: 'psi.memory_some_pct', message: "/sys/fs/cgroup/unified/h214/memory.pressure is a cgroup's own: it counts only that group's tasks (the host's /proc/pressure/memory said 0)" },
      { field: 'psi.io_some_pct', message: "/sys/fs/cgroup/unified/h214/io.pressure is a cgroup's own: it counts only that group's tasks (the host's /proc/pressure/io said 63.08)" },
    ],
  ],
  // The group's memory and io under cat's command line: the blocks given to the files in its order.
  [
    'psi',
    'group-cat-memory-io.txt',
    { 'psi.memory_some_pct': 0, 'psi.io_some_pct': 69.67 },
    [
      { field: 'psi.memory_some_pct', message: "/sys/fs/cgroup/unified/h214/memory.pressure is a cgroup's own: it counts only that group's tasks" },
      { field: 'psi.io_some_pct', message: "/sys/fs/cgroup/unified/h214/io.pressure is a cgroup's own: it counts only that group's tasks" },
    ],
  ],
  // cgroup v2 in a pod (cpu.max, then usage_usec ... throttled_usec twice): 31 of 50 periods throttled at half a core.
  ['cpu-stat', 'v2-pod-half-core-throttled-two-readings.txt', { 'cgroup.cpu_throttled_pct': 62, 'cgroup.cpu_limit_cores': 0.5 }, []],
  // cpu.max "max": no quota of its own, nr_throttled 0: throttled 0, with the warning that a parent group's quota may still pause it.
  [
    'cpu-stat',
    'v2-no-quota.txt',
    { 'cgroup.cpu_throttled_pct': 0 },
    [{ field: 'cgroup.cpu_throttled_pct', message: `the group has no CPU quota of its own (cpu.max "max", cfs_quota_us -1), so no period of its own is throttled: read as 0; a parent group's quota (a systemd slice's CPUQuota=) may still pause it, counted in that group's cpu.stat` }],
  ],
  // free: available / total of the Mem: row, whatever the unit; Swap: gives nothing.
  ['free', 'procps-kib.txt', { 'host.mem_available_pct': 97.31 }],
  ['free', 'procps-m.txt', { 'host.mem_available_pct': 97.3 }],
  // -h: 22Gi of 23Gi, as coarse as free prints it.
  ['free', 'procps-h.txt', { 'host.mem_available_pct': 95.65 }],
  ['free', 'procps-w-m.txt', { 'host.mem_available_pct': 97.3 }],
  ['free', 'procps-t-m.txt', { 'host.mem_available_pct': 97.3 }],
  ['free', 'procps-l.txt', { 'host.mem_available_pct': 97.31 }],
  // The last of two blocks (23463 of 24105; the first block's 23455 would read 97.3).
  ['free', 'procps-s1-c2-m.txt', { 'host.mem_available_pct': 97.34 }],
  ['free', 'procps-si-h.txt', { 'host.mem_available_pct': 96 }],
  ['free', 'busybox.txt', { 'host.mem_available_pct': 97.34 }],
  ['free', 'busybox-m.txt', { 'host.mem_available_pct': 97.34 }],
  // No available column: the -/+ line's free (2148492 of 3924912; 29996 of 255328).
  ['free', 'procps-3.3.9-buffers-cache.txt', { 'host.mem_available_pct': 54.74 }],
  ['free', 'busybox-old-buffers.txt', { 'host.mem_available_pct': 11.75 }],
  // busybox without MemAvailable: its available column reads 0; the -/+ line holds the truth (67560 of 126272).
  ['free', 'busybox-kernel-before-3.14.txt', { 'host.mem_available_pct': 53.5 }],
  ['free', 'low-memory-m.txt', { 'host.mem_available_pct': 3.02 }],
  ['free', 'h-decimal-comma.txt', { 'host.mem_available_pct': 10 }],
  // Lab 195 case 07: the tmpfs the app wrote to, alone (df -h PATH) and among the others (df -h, with a warning naming it).
  ['df', 'tmpfs-full-h.txt', { 'host.disk_used_pct': 100 }],
  ['df', 'tmpfs-full-h-all.txt', { 'host.disk_used_pct': 100 }],
  // A tmpfs with its 8 inodes spent and no block used: the inodes' 100% counts.
  ['df', 'inodes-exhausted-h-i.txt', { 'host.disk_used_pct': 100 }],
  ['df', 'P-two-filesystems.txt', { 'host.disk_used_pct': 74 }],
  // ls /proc/PID/fd | wc -l; grep 'open files' /proc/PID/limits: lab 205 case 01's leaking server under its command line, a process
  // holding 50 descriptors under ulimit -n 256 (ls -1 under a root prompt), and bash's own, the output alone (6 of 20000: 0.03).
  ['fd-count', 'lab205-close-wait-leak-255-of-256.txt', { 'proc.fd_used_pct': 99.61 }, []],
  ['fd-count', 'ls-1-root-prompt-55-of-256.txt', { 'proc.fd_used_pct': 21.48 }, []],
  ['fd-count', 'bash-own-no-command-line.txt', { 'proc.fd_used_pct': 0.03 }, []],
  // The same process: lsof's 81 lines for its 55 descriptors are refused; run as nobody, ls fails and wc prints 0.
  [
    'fd-count',
    'lsof-counts-81-lines-for-55-fds.txt',
    {},
    [
      {
        field: 'proc.fd_used_pct',
        message:
          'lsof -p counts lines, not descriptors: its header, the cwd, rtd and txt lines and a mem line for every mapped library ' +
          '(tens to hundreds more than the descriptors open), so proc.fd_used_pct stays unknown: run ls /proc/13329/fd | wc -l',
      },
    ],
  ],
  [
    'fd-count',
    'another-users-process-permission-denied.txt',
    {},
    [
      {
        field: 'proc.fd_used_pct',
        message: "ls could not list /proc/13329/fd (wc -l printed 0 all the same); only the process's own user and root may, so proc.fd_used_pct stays unknown: run sudo ls /proc/13329/fd | wc -l",
      },
    ],
  ],
  // netstat -s prints the reverse-path and checksum counters only above 0: whole sections without them count 0.
  ['netstat-s', 'quiet.txt', { 'tcp.retransmit_pct': 0, 'kernel.listen_overflows': false, 'kernel.rp_filter_drops': false, 'kernel.csum_errors': false, 'tcp.reordering': false }],
  // One run: overflows since boot say nothing of now (a warning says so); the share sent since boot is a share all the same.
  ['netstat-s', 'listen-overflow.txt', { 'tcp.retransmit_pct': 56.25, 'kernel.rp_filter_drops': false, 'kernel.csum_errors': false, 'tcp.reordering': false }],
  // Two runs 3 s apart at a listen(1) socket that never accepts: the overflows rose. Too few
  // segments between them for a share of their own: the one since boot.
  ['netstat-s', 'listen-overflow-two-runs.txt', { 'tcp.retransmit_pct': 77.78, 'kernel.listen_overflows': true, 'kernel.rp_filter_drops': false, 'kernel.csum_errors': false, 'tcp.reordering': false }],
  // The server's namespace of the nstat fixture's setup (strict rp_filter, the route back to the
  // client's second address by the other interface) before and after a client's SYN retries: 4 then 10.
  ['netstat-s', 'rp-filter-two-runs-rising.txt', { 'kernel.listen_overflows': false, 'kernel.rp_filter_drops': true, 'kernel.csum_errors': false, 'tcp.reordering': false }, []],
  // A namespace's loopback before and after 5 TCP segments and 5 UDP datagrams sent by a raw socket with a wrong checksum.
  ['netstat-s', 'csum-errors-two-runs-rising.txt', { 'kernel.listen_overflows': false, 'kernel.rp_filter_drops': false, 'kernel.csum_errors': true, 'tcp.reordering': false }, []],
  ['nstat', 'quiet.txt', { 'tcp.retransmit_pct': 0, 'kernel.listen_overflows': false, 'kernel.rp_filter_drops': false, 'kernel.csum_errors': false, 'tcp.reordering': false }],
  ['nstat', 'listen-overflow.txt', { 'tcp.retransmit_pct': 56.25, 'kernel.rp_filter_drops': false, 'kernel.csum_errors': false, 'tcp.reordering': false }],
  // The kernel.listen_overflows question's command, as pasted with its command line.
  ['nstat', 'listen-overflow-two-runs.txt', { 'kernel.listen_overflows': true }],
  // The tcp.retransmit_pct question's command: 600 segments sent between the runs, none again.
  ['nstat', 'retrans-two-runs-no-loss.txt', { 'tcp.retransmit_pct': 0 }, []],
  // Strict rp_filter on a two-interface namespace, the route back to the client's address by the other interface: 0 then 9 over ten seconds of SYN retries.
  ['nstat', 'rp-filter-two-runs-rising.txt', { 'kernel.rp_filter_drops': true }, []],
  // The kernel.csum_errors question's command (counter names as this machine's nstat prints
  // them; the counts written for the test: netem, which corrupts packets, is not here): TCP's rose.
  ['nstat', 'csum-errors-two-runs-rising.txt', { 'kernel.csum_errors': true }, []],
  // The tcp.reordering question's command, a minute apart (counter names as this machine's nstat prints them; the counts written
  // for the test: netem, the prio qdisc and bonding's round robin, which could reorder packets, are not here): SACK and timestamp reordering rose.
  ['nstat', 'reordering-two-runs-rising.txt', { 'tcp.reordering': true }, []],
  // Lab 195 case 03, taken after the fix: 117 + 117 since boot in one run, which says nothing of
  // now: no fact, and the warning says how to tell (read, not refused: a scripted interview goes on).
  [
    'nstat',
    'listen-overflow-since-boot-after-fix.txt',
    {},
    [{ field: 'kernel.listen_overflows', message: 'TcpExtListenOverflows + TcpExtListenDrops is 234 since boot in one run of nstat -az, which does not say whether it is rising: paste two runs a few seconds apart while the problem happens (nstat -az TcpExtListenOverflows TcpExtListenDrops; sleep 10; nstat -az TcpExtListenOverflows TcpExtListenDrops)' }],
  ],
  // Lab 205 case 08: client_abortive_close's own check, `nstat -az TcpEstabResets TcpExtTCPAbortOnData`: nstat's output,
  // but none of the counters read; the reset counters are the host's and not only RSTs, so no fact, but a warning.
  [
    'nstat',
    'lab205-reset-counters-only.txt',
    {},
    [
      {
        field: 'tcp.rst_seen',
        message:
          'nstat lists TcpEstabResets, TcpExtTCPAbortOnData, which gives no fact: it reads TcpOutSegs and TcpRetransSegs (tcp.retransmit_pct), TcpExtListenOverflows and TcpExtListenDrops (kernel.listen_overflows), TcpExtIPReversePathFilter (kernel.rp_filter_drops), TcpInCsumErrors, UdpInCsumErrors, Udp6InCsumErrors (kernel.csum_errors), TcpExtTCPSACKReorder, TcpExtTCPTSReorder, TcpExtTCPRenoReorder (tcp.reordering), the retransmit share only with both of its counters. ' +
          'The reset counters are the whole host\'s and count more than RSTs (TcpEstabResets also counts connections dropped after their retransmissions ran out, and RSTs this host sent), so they give no tcp.rst_seen; ' +
          "a capture on the server shows the RSTs and who sends them: `tcpdump -nn -c 20 'tcp[tcpflags] & tcp-rst != 0 and port PORT'`",
      },
    ],
  ],
  ['ss-s', 'summary-and-close-wait.txt', { 'kernel.time_wait_count': 6, 'tcp.close_wait_count': 5 }],
  // ss -s alone: TIME-WAIT counted, no CLOSE-WAIT count (the summary has none).
  ['ss-s', 's-timewait-after-curl-loop.txt', { 'kernel.time_wait_count': 204 }, []],
  ['ss-s', 'tan-filtered.txt', { 'kernel.time_wait_count': 6, 'tcp.close_wait_count': 5 }],
  // The census of states as two classic one-liners count it (iproute2 6.1, net-tools 2.10;
  // test/fixtures/capture-tools/tcp-state-census.py): a client pool that never releases its
  // responses leaves 12 sockets in CLOSE-WAIT, the server's closes 17 in TIME-WAIT.
  ['ss-s', 'census-ss-uniq-c.txt', { 'kernel.time_wait_count': 17, 'tcp.close_wait_count': 12 }, []],
  ['ss-s', 'census-netstat-awk.txt', { 'kernel.time_wait_count': 17, 'tcp.close_wait_count': 12 }, []],
  // ss -tni dst on a client namespace, a veth to a server namespace (iproute2 6.1; this machine's veth reorders across CPUs, which
  // every connection's reordering:300 and reord_seen show).
  // An upload with 2% of the client's packets dropped by iptables' statistic match: wscale both ways, 4961 of 723913 segments sent again.
  ['ss-i', 'tni-upload-loss.txt', { 'tcp.window_scale_missing': false, 'tcp.reordering': true, 'tcp.retransmit_pct': 0.69 }, []],
  // The server with tcp_window_scaling=0: no wscale on the connection (and snd_wnd 65535).
  ['ss-i', 'tni-no-wscale.txt', { 'tcp.window_scale_missing': true, 'tcp.reordering': true, 'tcp.retransmit_pct': 0.02 }, []],
  // A download: the client sent 29952 segments (ACKs), none again.
  ['ss-i', 'tni-download.txt', { 'tcp.window_scale_missing': false, 'tcp.reordering': true, 'tcp.retransmit_pct': 0 }, []],
  // Read as ss-s, ss -tni's table counts its rows past the lines under them; ss without -a lists no TIME-WAIT rows: no count from it.
  ['ss-s', '../ss-i/tni-upload-loss.txt', { 'tcp.close_wait_count': 0 }, []],
  // Lab 195 case 03: a listen(1) socket whose app accepts slowly, 2 waiting: the accept queue is full.
  ['ss-s', 'ltn-accept-queue-full.txt', { 'kernel.listen_overflows': true }],
  // ss -ltn with room in every accept queue: no fact (a warning says so).
  ['ss-s', 'listening.txt', {}],
  // One look at a queue of 32 (lab 202): no worker free.
  ['ss-s', 'ltn-connections-waiting.txt', { 'proc.workers_busy_pct': 100 }],
  // Three looks a second apart at one sync worker taking 2 s a request, 12 clients waiting: a queue that stands.
  ['ss-s', 'ltn-loop-standing-queue.txt', { 'proc.workers_busy_pct': 100 }, [{ field: 'proc.workers_busy_pct', message: "connections keep waiting to be accepted on 127.0.0.1:8081 (at least 10 in each of 3 looks), read as every worker of the service busy: check that it is the service's port" }]],
  // curl -i's status line and headers, and whose error page it is (HAProxy 2.6 and nginx 1.22 in front of a closed port or a slow python
  // backend, 127.0.0.1; the python backend's own JSON 500; lab 203's HAProxy 504 with its command line and CRLF; lab 201's nginx limit_req 429).
  ['curl-i', 'haproxy-503-no-server.txt', { 'http.status': 503, 'http.error_source': 'lb' }],
  ['curl-i', 'haproxy-504-timeout.txt', { 'http.status': 504, 'http.error_source': 'lb' }],
  ['curl-i', 'nginx-502-refused.txt', { 'http.status': 502, 'http.error_source': 'lb' }],
  ['curl-i', 'backend-500-json.txt', { 'http.status': 500, 'http.error_source': 'backend' }],
  ['curl-i', 'lab-haproxy-504-with-command-crlf.txt', { 'http.status': 504, 'http.error_source': 'lb' }],
  ['curl-i', 'lab-nginx-limit-req-429.txt', { 'http.status': 429, 'http.error_source': 'lb' }],
  // Lab 202: a pod's resolv.conf, ndots:5 and three suffixes: every service name walks the list first.
  ['resolv-conf', 'lab-k8s-ndots5.txt', { 'dns.search_expansion': true }],
  // systemd-resolved's stub file: "search ." is the root alone, no suffix.
  ['resolv-conf', 'systemd-resolved-stub.txt', { 'dns.search_expansion': false }],
  ['conntrack-s', 'quiet.txt', { 'kernel.conntrack_insert_failed': false, 'kernel.conntrack_full': false }],
  ['conntrack-s', 'quiet-two-runs.txt', { 'kernel.conntrack_insert_failed': false, 'kernel.conntrack_full': false }],
  // One run: insert_failed since boot says nothing of a rise (a warning says so).
  ['conntrack-s', 'snat-insert-failed.txt', { 'kernel.conntrack_full': false }],
  ['conntrack-s', 'snat-insert-failed-rising.txt', { 'kernel.conntrack_insert_failed': true, 'kernel.conntrack_full': false }],
  ['conntrack-s', 'snat-insert-failed-flat.txt', { 'kernel.conntrack_insert_failed': false, 'kernel.conntrack_full': false }],
  ['conntrack-s', 'table-full.txt', { 'kernel.conntrack_insert_failed': false, 'kernel.conntrack_full': true }],
  ['dig', 'noerror.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 4 }],
  ['dig', 'noerror-slow.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 252 }],
  ['dig', 'nxdomain.txt', { 'dns.result': 'nxdomain', 'dns.resolve_ms': 0 }],
  ['dig', 'servfail.txt', { 'dns.result': 'servfail', 'dns.resolve_ms': 0 }],
  ['dig', 'refused.txt', { 'dns.result': 'refused', 'dns.resolve_ms': 4 }],
  ['dig', 'timeout.txt', { 'dns.result': 'timeout' }],
  ['dig', 'timeout-tries-1.txt', { 'dns.result': 'timeout' }],
  // Nothing listens on the resolver port: no server answers, which the system resolver reports
  // as it does a timeout (EAI_AGAIN) and dig as "no servers could be reached".
  ['dig', 'conn-refused.txt', { 'dns.result': 'timeout' }],
  // A CNAME chain to two addresses (dnsmasq): one run compares with nothing, so no dns.answer_mismatch.
  ['dig', 'cname-chain-two-addresses.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 4 }, []],
  // Two runs of one name, each under its command line: the addresses at the chain's end differ, and the warning says who gave which.
  ['dig', 'cname-chain-two-servers-differ.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.answer_mismatch': true }, [answersDiffer('www.shop.example.test', 'run 1 (server 127.0.0.1#15354): 198.51.100.20 (TTL 0), 198.51.100.21 (TTL 0); run 2 (server 127.0.0.1#15355): 198.51.100.30 (TTL 0)')]],
  // The same server twice, its round robin rotating the two addresses: the same set.
  ['dig', 'cname-chain-same-server-rotated.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.answer_mismatch': false }, []],
  // Lab 206 case 06: the failing client's resolver still answers the service's old address (TTL 86400), the other resolver the new one.
  ['dig', 'lab206-failing-client-stale-ttl-86400.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0 }, []],
  ['dig', 'lab206-two-resolvers-old-and-new-address.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.answer_mismatch': true }, [answersDiffer('cart.l206.test', LAB206_ANSWERS)]],
  ['dig', 'lab206-failing-client-own-resolver-then-at-54.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.answer_mismatch': true }, [answersDiffer('cart.l206.test', LAB206_ANSWERS)]],
  // One run alone compares with nothing (given beside another dig file, rca diagnose reads the two together).
  ['dig', 'lab206-healthy-client-current-ttl-300.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0 }, []],
  ['dig', 'lab206-same-address-at-54-and-healthy-client.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.answer_mismatch': false }, []],
  // dig AAAA: an IPv6 address in the answer, or NOERROR with none (the name exists without one); an A run says nothing of it.
  ['dig', 'lab207-a-and-aaaa.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.aaaa_present': true }, [{ field: 'dns.answer_mismatch', message: 'the dig runs ask different questions (api6.example.net A, api6.example.net AAAA), so their answers compare nothing: run the same `dig NAME` on a failing and on a healthy client' }]],
  ['dig', 'aaaa-nodata.txt', { 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.aaaa_present': false }, []],
  ['openssl', 'ok.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'ok', 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.cert_name_match': true }],
  // A verify error fails the handshake, as curl and browsers see it, with what the error proves.
  // The leaf alone, its issuer neither sent nor trusted (20, 21 at depth 0): an intermediate left
  // out here, but a private root signing the leaf reads the same, so the chain stays unknown.
  ['openssl', 'chain-incomplete.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 30, 'tls.failed_cert': 'leaf' }],
  // Lab 201 case 07, taken on 2026-12-02 (the leaf not yet valid on CAPTURE_DAY); read on its own day below.
  ['openssl', 'lab201-leaf-alone-cafile-root.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': true, 'tls.cert_days_left': -7.84, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'chain-incomplete-verify-return-error.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 30, 'tls.failed_cert': 'leaf' }],
  // Lab 195 case 13, a leaf signed directly by a private root, captured the day it was 2 days
  // expired; read here 6 days before its notAfter. Its -verify_return_error capture stops at 20
  // (unknown_ca); without the flag 10 follows at depth 0 (certificate_expired).
  ['openssl', 'private-root-expired-verify-return-error.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 5.73, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'private-root-expired-verify-hostname.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 5.73, 'tls.failed_cert': 'leaf' }],
  // The same made again (OpenSSL 3.0.19, see the README) and read with the tls.handshake question's command.
  ['openssl', 'private-root-expired.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 5.25, 'tls.failed_cert': 'leaf' }],
  // With -verify_hostname and a name the leaf does not carry: 62 between 20 and 21.
  ['openssl', 'private-root-expired-name-mismatch.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 5.25, 'tls.cert_name_match': false, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'expired.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': -10, 'tls.chain_complete': true, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'expired-verify-return-error.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': -10, 'tls.chain_complete': true, 'tls.failed_cert': 'leaf' }],
  // "certificate has expired" above a leaf with 30 days left: the depth says which certificate.
  // The server still sends an intermediate past its notAfter (depth 1), with and without
  // -verify_return_error (which stops at it, before the leaf is checked).
  ['openssl', 'expired-intermediate-showcerts.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'intermediate' }],
  ['openssl', 'expired-intermediate-verify-return-error.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'intermediate' }],
  // Depth 2: a cross-sign the server sends (its issuer is not itself, the path goes on to depth 3)
  // is an intermediate; a root the client's store ends the path with is the root.
  ['openssl', 'expired-cross-sign.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'intermediate' }],
  ['openssl', 'expired-root-in-store.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'root' }],
  // Lab 206 case 08, on the client whose clock is three days behind: error 9 at the leaf (the table's day is before its notBefore too).
  ['openssl', 'lab-client-clock-behind-not-yet-valid.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.cert_not_yet_valid': true, 'tls.alert': 'certificate_expired', 'tls.failed_cert': 'leaf', 'tls.cert_days_left': -7.08, 'tls.chain_complete': true }],
  // Lab 206 case 06, the same old address through s_client without -verify_hostname: a complete chain that verifies, for the other site's name.
  ['openssl', 'lab206-stale-address-other-site-chain.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'ok', 'tls.cert_days_left': 173.08, 'tls.chain_complete': true }],
  ['openssl', 'not-yet-valid.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': true, 'tls.cert_days_left': -37.25, 'tls.chain_complete': true, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'name-mismatch.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.cert_name_match': false, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'name-mismatch-verify-return-error.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.cert_name_match': false, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'self-signed.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'self-signed-verify-return-error.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'leaf' }],
  ['openssl', 'self-signed-in-chain.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'root' }],
  // The intermediate's issuer is in no store the client reads: the error names the intermediate.
  ['openssl', 'unknown-ca.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'intermediate' }],
  ['openssl', 'showcerts.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'ok', 'tls.cert_days_left': 30, 'tls.chain_complete': true }],
  ['openssl', 'alert-protocol-version.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'protocol_version' }],
  ['openssl', 'alert-handshake-failure.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'handshake_failure' }],
  ['openssl', 'refused.txt', { 'tcp.connect': 'refused' }],
  // Lab 206 case 06b: OpenSSL 3.0.19's BIO_connect errors and errno 111 from a client dialing a moved service's old address.
  ['openssl', 'lab206-old-address-refused-after-move.txt', { 'tcp.connect': 'refused' }],
  // OpenSSL 1.1.1 lists no v: dates, and its verify callback prints a notAfter= under every depth
  // once an intermediate has expired: the leaf's days are those under depth=0, not the first.
  ['openssl', 'expired-intermediate-openssl111.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': 30, 'tls.chain_complete': true, 'tls.failed_cert': 'intermediate' }],
  ['openssl', 'x509-enddate.txt', { 'tls.cert_days_left': 30 }],
  // s_client | openssl x509 -noout -dates -checkhost NAME: the name's verdict whatever else fails.
  ['openssl', 'x509-dates-checkhost.txt', { 'tls.cert_days_left': 30, 'tls.cert_name_match': true }],
  ['openssl', 'x509-dates-checkhost-mismatch.txt', { 'tls.cert_days_left': 30, 'tls.cert_name_match': false }],
  ['dmesg', 'memcg-oom-kill.txt', { 'host.oom_kills': 1, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': false }, [{ field: 'host.oom_kills', message: "1 OOM kill logged at 2376 s after boot: count only those in the incident's window (the kernel log keeps older ones)" }]],
  ['dmesg', 'memcg-oom-kill-T.txt', { 'host.oom_kills': 1, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': false }, [{ field: 'host.oom_kills', message: "1 OOM kill logged at Tue Nov 24 18:08:09 2026: count only those in the incident's window (the kernel log keeps older ones)" }]],
  // Each kill's time is named: the kernel log keeps kills from long before the incident (lab 203).
  ['dmesg', 'journalctl-oom-two-kills.txt', { 'host.oom_kills': 2, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': false }, [{ field: 'host.oom_kills', message: "2 OOM kills logged from Mar 03 02:14:07 to Mar 03 02:31:52: count only those in the incident's window (the kernel log keeps older ones)" }]],
  ['dmesg', 'conntrack-table-full.txt', { 'host.oom_kills': 0, 'kernel.conntrack_full': true, 'kernel.neigh_table_overflow': false }],
  // neigh_alloc past gc_thresh3 (arp(7)): today's words, ndisc_cache for IPv6, and older kernels'.
  ['dmesg', 'neighbour-table-overflow-T.txt', { 'host.oom_kills': 0, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': true }],
  ['dmesg', 'neighbour-table-overflow-old.txt', { 'host.oom_kills': 0, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': true }],
  // log_martians on a namespace whose strict rp_filter drops a client's SYNs (the route back leaves by another interface).
  ['dmesg', 'martian-source-rp-filter-T.txt', { 'host.oom_kills': 0, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': false, 'kernel.rp_filter_drops': true }, []],
  ['dmesg', 'quiet.txt', { 'host.oom_kills': 0, 'kernel.conntrack_full': false, 'kernel.neigh_table_overflow': false }, []],
  // The backend: the address the lines of that error dialled most (192.0.2.42 three times, .41 twice).
  // jstat -gcutil: GCT's rise over the seconds sampled. The lab's Serial collector thrashing on a
  // 60 MB heap (O at 100%, FGC +60 a second): 2.305 s to 3.731 s over 4 samples a second apart
  // (assumed, with a warning: the paste says no interval).
  ['jstat', 'lab-serial-thrashing.txt', { 'app.gc_time_pct': 35.65 }],
  // -t's timestamps (2.2 s to 9.3 s) and -h5's repeated header: 1.489 s to 6.615 s.
  ['jstat', 't-h5-parallel-thrashing.txt', { 'app.gc_time_pct': 72.2 }],
  // The near miss: a healthy G1 heap, GCT barely moving (0.002 s to 0.007 s in 9.1 s).
  ['jstat', 't-g1-healthy.txt', { 'app.gc_time_pct': 0.05 }],
  // JDK 8's columns (no CGC CGCT) under the command pasted with them: 250 ms apart, 0.078 s in 1.5 s.
  ['jstat', 'jdk8-command-250ms.txt', { 'app.gc_time_pct': 5.2 }],
  // GC logs: the longest pause, and the pauses' share of the last minute from the first pause on.
  // The lab's: 1,000 full collections of at most 21 ms, 5.8 s of 19 s in GC.
  ['gc-log', 'lab-serial-thrashing.txt', { 'app.gc_pause_ms': 20.774, 'app.gc_time_pct': 30.41 }],
  // -Xlog:gc* with G1: the gc,start and gc,phases lines are no pauses of their own.
  ['gc-log', 'g1-healthy-gcstar.txt', { 'app.gc_pause_ms': 5.56, 'app.gc_time_pct': 0.3 }],
  // A JVM that ran out of heap in a tenth of a second: concurrent cycles are no pause, and 30 ms is no window for a share.
  ['gc-log', 'g1-humongous-tenth-of-a-second.txt', { 'app.gc_pause_ms': 1.763 }],
  // app.gc_pause_ms's own command: a minute of a running G1 JVM's log recorded with jcmd VM.log, under jcmd's own lines.
  ['gc-log', 'jcmd-vm-log-g1-healthy.txt', { 'app.gc_pause_ms': 18.155, 'app.gc_time_pct': 0.07 }],
  // JDK 8 -XX:+PrintGCDetails: full collections of 4.2 to 4.6 s; the first young one falls before the last minute.
  ['gc-log', 'jdk8-parallel-details.txt', { 'app.gc_pause_ms': 4598.765, 'app.gc_time_pct': 22.62 }],
  // CMS: ParNew's own time is inside the collection's total; the concurrent phases (1.2 s of marking) are no pause.
  ['gc-log', 'jdk8-cms-details.txt', { 'app.gc_pause_ms': 55.308, 'app.gc_time_pct': 2.39 }],
  // V8's --trace-gc, lab 206: a Node.js service at --max-old-space-size=64, 20 s of back-to-back Mark-Compacts. 4.6 s of
  // pauses and 4.2 s of incremental marking steps on the main thread: 44% of the time (V8's current mu falls to 0.07).
  ['gc-log', 'lab-node20-old-space-64m-thrashing-tail.txt', { 'app.gc_pause_ms': 97.63, 'app.gc_time_pct': 43.67 }],
  // The same service out of heap: the trace, then V8's "Last few GCs" (a repeat of the last line, cut short) and its native stack.
  ['gc-log', 'lab-node20-heap-limit-oom.txt', { 'app.gc_pause_ms': 58.98, 'app.gc_time_pct': 34.81 }],
  // Short-lived objects only: Scavenges of under 9 ms, 3% of 3 s.
  ['gc-log', 'node20-scavenges-only.txt', { 'app.gc_pause_ms': 8.64, 'app.gc_time_pct': 2.96 }],
  // --trace-gc-nvp: pause= of every event, and a Mark-Compact's incremental= (its marking steps).
  ['gc-log', 'node20-nvp-cache-fill.txt', { 'app.gc_pause_ms': 68.1, 'app.gc_time_pct': 49.62 }],
  // An Elasticsearch node's GC monitor (JvmGcMonitorService's lines in its format, written for the test: no Elasticsearch here).
  // A 49.1 s old collection, which under CMS counts concurrent phases too; no share of a minute from lines logged only above a threshold.
  ['gc-log', 'es7-monitor-old-49s.txt', { 'app.gc_pause_ms': 49100 }, [ES_NO_SHARE('99.4'), { field: 'app.gc_pause_ms', message: ES_OLD }]],
  // Two young collections in one interval, 1.4 s between them: 700 ms each on average, the longest at least that.
  ['gc-log', 'es-monitor-young-two-collections.txt', { 'app.gc_pause_ms': 700 }, [ES_NO_SHARE('56')]],
  // Elasticsearch 8's JSON layout: the same message inside "message".
  ['gc-log', 'es8-json-monitor-young.txt', { 'app.gc_pause_ms': 1200 }, [ES_NO_SHARE('75')]],
  // Overhead lines alone name no collection: no fact, two warnings.
  ['gc-log', 'es-monitor-overhead-only.txt', {}, [ES_NO_SHARE('63.16'), { field: 'app.gc_pause_ms', message: "the GC monitor's lines name no collection that took any time (an overhead line says how much of an interval went to collecting, not how long one collection took): no longest pause" }]],
  // The kernel.ephemeral_ports_used_pct question's command on this machine: 30 open and 20 TIME-WAIT sockets to one port of
  // 127.0.0.1 (capture-tools/ephemeral-ports-count.py), 50 of 28,232; and sysctl's form of the range, a count written for the test.
  ['ephemeral-ports', 'thirty-open-twenty-time-wait.txt', { 'kernel.ephemeral_ports_used_pct': 0.18 }],
  ['ephemeral-ports', 'sysctl-nearly-spent.txt', { 'kernel.ephemeral_ports_used_pct': 96.03 }],
  // kubectl describe pod (in kubectl's layout, written for the test: no cluster here). A container in CrashLoopBackOff that last
  // ended OOMKilled, 5 restarts, readiness probes answered 503, limited to 500m; its init container's restarts and end are left out.
  [
    'kubectl-describe',
    'oomkilled-crashloop-readiness-503.txt',
    { 'proc.restarts': 5, 'host.oom_kills': 1, 'lb.health_check_status': 503, 'cgroup.cpu_limit_cores': 0.5 },
    [{ field: 'host.oom_kills', message: "checkout ended OOMKilled (the kernel's OOM killer, at the container's memory limit): the pod shows each container's last end only, so earlier kills are counted by dmesg on its node" }],
  ],
  // The near miss: an app and its sidecar, neither restarted; which one's CPU limit is the service's is not said.
  [
    'kubectl-describe',
    'sidecar-no-restarts.txt',
    { 'proc.restarts': 0 },
    [
      { field: 'proc.restarts', message: 'the pod has 2 containers (api 0, istio-proxy 0): none restarted since the pod started' },
      { field: 'cgroup.cpu_limit_cores', message: "the pod has 2 containers and none restarted: which one's CPU limit is the service's is not said (kubectl describe pod POD shows each under Limits)" },
    ],
  ],
  // ethtool -S: this machine's virtio_net interface (no allowance counter: no fact, a warning naming sar); AWS ENA's ENI counters
  // (ena_ethtool.c's names, in ethtool's format, values written for the test: no ENA interface here), as the question's grep
  // prints them in two runs and as ethtool -S prints them whole.
  ['ethtool-s', 'virtio-net-full.txt', {}, [{ field: 'host.pps_at_limit', message: NO_ALLOWANCE }]],
  ['ethtool-s', 'ena-grep-two-runs-pps-rising.txt', { 'host.pps_at_limit': true }, []],
  ['ethtool-s', 'ena-grep-two-runs-pps-flat.txt', { 'host.pps_at_limit': false }, []],
  ['ethtool-s', 'ena-full-one-run-quiet.txt', { 'host.pps_at_limit': false }, []],
  [
    'ethtool-s',
    'ena-grep-one-run-pps-above-zero.txt',
    {},
    [{ field: 'host.pps_at_limit', message: 'pps_allowance_exceeded is 5123 since the driver loaded in one run of ethtool -S, which does not say whether it is rising: paste two runs ten seconds apart while it is slow (ethtool -S eth0 | grep allowance_exceeded; sleep 10; ethtool -S eth0 | grep allowance_exceeded)' }],
  ],
  [
    'ethtool-s',
    'ena-grep-two-runs-linklocal-rising.txt',
    { 'host.pps_at_limit': false },
    [
      {
        field: 'host.pps_at_limit',
        message: 'linklocal_allowance_exceeded rose from 88412 to 91377 between the runs: the link-local allowance: packets to the Amazon DNS resolver, the instance metadata service or the time service dropped over 1024 per second per interface (lookups time out: dns.slow_resolver)',
      },
    ],
  ],
  // Session 34, this machine (OpenJDK 17.0.19, Go 1.19.8): jstack of a Java program whose 20 pool threads each log through one
  // synchronized appender that sleeps 200 ms (19 waiting to lock one monitor), of the same pool sleeping in turn (none waits),
  // of 16 threads taking one ReentrantLock (15 parked on its NonfairSync), of 3 threads on the monitor (2 waiting: a few, a
  // warning); the question's command over them (waits counted per lock; the idle pool's count is empty, so no capture);
  // net/http/pprof's goroutine?debug=2 of a Go program whose 40 goroutines take one RWMutex for 200 ms each (39 in semacquire
  // under changeCache.processEntry) and of the same goroutines sleeping between HTTP requests; the Go question's command over them.
  ['thread-dump', 'jstack-contended.txt', { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true }, []],
  ['thread-dump', 'jstack-healthy.txt', { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': false }, []],
  ['thread-dump', 'jstack-reentrantlock.txt', { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true }, []],
  ['thread-dump', 'jstack-three-threads.txt', { 'app.runtime': 'jvm' }, [{ field: 'app.threads_blocked_on_lock', message: FEW_WAITERS(2) }]],
  ['thread-dump', 'jstack-count-contended.txt', { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true }, []],
  ['thread-dump', 'jstack-count-reentrantlock.txt', { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true }, []],
  ['thread-dump', 'jstack-count-three-threads.txt', { 'app.runtime': 'jvm' }, [{ field: 'app.threads_blocked_on_lock', message: FEW_WAITERS(2) }]],
  // jcmd PID Thread.print, the JDK's supported way to the same dump (its first line the pid): 11 of 12 threads on the appender.
  ['thread-dump', 'jcmd-thread-print-contended.txt', { 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true }, []],
  ['thread-dump', 'go-goroutines-contended.txt', { 'app.runtime': 'go', 'app.threads_blocked_on_lock': true }, []],
  ['thread-dump', 'go-goroutines-healthy.txt', { 'app.runtime': 'go', 'app.threads_blocked_on_lock': false }, []],
  ['thread-dump', 'go-count-contended.txt', { 'app.runtime': 'go', 'app.threads_blocked_on_lock': true }, []],
  ['thread-dump', 'go-count-healthy.txt', { 'app.runtime': 'go', 'app.threads_blocked_on_lock': false }, []],
  // nginx's own log with no upstream error: read, no upstream error, a warning; lab 201, case 04: limit_req refused a client's requests itself (429).
  // Lab 205 case 07: clients giving up at 3 s before an 8 s report; error.log (warn) is empty, the access log's 499s (a log_format without the ident fields) are what the question's command greps.
  ['nginx-error', 'lab-access-499-only.txt', { 'proxy.upstream_error': 'client_closed' }, []],
  ['nginx-error', 'no-upstream-errors.txt', {}, [{ field: 'proxy.upstream_error', message: NO_UPSTREAM_ERROR }]],
  [
    'nginx-error',
    'lab-limit-req-perip.txt',
    { 'proxy.rate_limit_refusals': true },
    [
      {
        field: 'proxy.upstream_error',
        message: `${NO_UPSTREAM_ERROR}; 183 lines say nginx refused requests itself by its limit_req zone "perip": it answered them without asking any upstream, with 503 or the status limit_req_status / limit_conn_status sets (often 429)`,
      },
    ],
  ],
  ['nginx-error', 'connect-refused.txt', { 'proxy.upstream_error': 'connect_refused', 'backend.host': '192.0.2.42', 'backend.port': 8080 }],
  // A tie among the timeouts' addresses goes to the first seen; the reset's address is another error's.
  ['nginx-error', 'read-timeout-and-reset.txt', { 'proxy.upstream_error': 'read_timeout', 'backend.host': '192.0.2.51', 'backend.port': 9000 }],
  // `http://backend/` names an upstream block, not an address: no backend.host.
  ['nginx-error', 'no-live-upstreams.txt', { 'proxy.upstream_error': 'no_live_upstreams' }],
  ['nginx-error', 'client-closed.txt', { 'proxy.upstream_error': 'client_closed', 'backend.host': '192.0.2.41', 'backend.port': 8080 }],
  ['nginx-error', 'premature-close.txt', { 'proxy.upstream_error': 'premature_close', 'backend.host': '10.0.3.12', 'backend.port': 8080 }],
  // One line dialled a unix socket (no host), the other 127.0.0.1:8000.
  ['nginx-error', 'header-too-big.txt', { 'proxy.upstream_error': 'header_too_big', 'backend.host': '127.0.0.1', 'backend.port': 8000 }],
  // php-fpm's unix socket with its listen queue full (EAGAIN), then the reads that time out behind it.
  ['nginx-error', 'unix-socket-backlog-full.txt', { 'proxy.upstream_error': 'read_timeout', 'kernel.listen_overflows': true }],
  // HAProxy 2.6.12 in front of python3 http.server backends on 127.0.0.1 (haproxy-log/README.md): one case per termination state.
  // timeout server 1s before a 3 s answer: three 504s, then a fast 200.
  ['haproxy-log', 'server-timeout-sH.txt', { 'proxy.upstream_error': 'read_timeout', 'http.status': 504, 'http.error_source': 'lb', 'http.error_rate_pct': 75 }, []],
  // The same through `log stdout format rfc3164` with a hostname: syslog headers, and the health check's own lines beside.
  ['haproxy-log', 'syslog-rfc3164-sH.txt', { 'proxy.upstream_error': 'read_timeout', 'http.status': 504, 'http.error_source': 'lb', 'http.error_rate_pct': 66.67 }, []],
  // A server port with no listener: three retries, then 503.
  ['haproxy-log', 'server-refused-SC.txt', { 'proxy.upstream_error': 'connect_refused', 'http.status': 503, 'http.error_source': 'lb', 'http.error_rate_pct': 100 }, []],
  // Every server down by its health check: <NOSRV>, SC. Lab 201 case 05's log (health check at a path that answers 404) has HAProxy's stderr and a stats page request beside.
  ['haproxy-log', 'health-check-down-nosrv.txt', { 'proxy.upstream_error': 'no_live_upstreams', 'http.status': 503, 'http.error_source': 'lb', 'http.error_rate_pct': 100 }, []],
  [
    'haproxy-log',
    'lab-health-check-404-nosrv.txt',
    { 'proxy.upstream_error': 'no_live_upstreams', 'http.status': 503, 'http.error_source': 'lb', 'http.error_rate_pct': 100, 'lb.backend_health': 'all_unhealthy', 'lb.health_check_status': 404 },
    [
      {
        field: 'lb.health_check_status',
        message:
          "the health check got an HTTP status it does not expect from shop_app/app1 (404), shop_app/app2 (404): the server answered, so the check's request (option httpchk's path, Host, expected status) may be what is wrong; " +
          'compare `curl -si http://SERVER:PORT/CHECK_PATH` with a page the application serves',
      },
    ],
  ],
  // The lb.backend_health question's grep of that log: the events alone, no request line, so no status or upstream error.
  [
    'haproxy-log',
    'lab-health-check-404-grep-events.txt',
    { 'lb.backend_health': 'all_unhealthy', 'lb.health_check_status': 404 },
    [
      {
        field: 'lb.health_check_status',
        message:
          "the health check got an HTTP status it does not expect from shop_app/app1 (404), shop_app/app2 (404): the server answered, so the check's request (option httpchk's path, Host, expected status) may be what is wrong; " +
          'compare `curl -si http://SERVER:PORT/CHECK_PATH` with a page the application serves',
      },
    ],
  ],
  // Lab 204 case 04: /health checks a database that is stopped, so it answers 500 and every server goes down (a grep of the events alone).
  [
    'haproxy-log',
    'lab-health-check-500-events.txt',
    { 'lb.backend_health': 'all_unhealthy', 'lb.health_check_status': 500 },
    [
      {
        field: 'lb.health_check_status',
        message:
          "the health check got a server error from shop_app/app2 (500), shop_app/app1 (500): the server's own check endpoint fails, so the check may be telling the truth (a check that tests a database or another dependency fails with it); " +
          'a page that answers directly does not clear it: `curl -si http://SERVER:PORT/CHECK_PATH` shows what the endpoint reports',
      },
    ],
  ],
  // The server closing (FIN) and resetting (RST) before its headers log alike, SH, and after 10 of 1000 bytes alike, SD (the status was the server's).
  ['haproxy-log', 'server-close-and-reset-SH.txt', { 'http.status': 502, 'http.error_source': 'lb', 'http.error_rate_pct': 100 }, [haproxyClosedOrReset(2)]],
  ['haproxy-log', 'server-close-and-reset-in-data-SD.txt', { 'http.error_rate_pct': 0 }, [haproxyClosedOrReset(2)]],
  // A 20 kB response header over tune.bufsize 16384: PH, which the manual names for invalid responses, not for large ones.
  [
    'haproxy-log',
    'header-too-big-PH.txt',
    { 'proxy.upstream_error': 'header_too_big', 'http.status': 502, 'http.error_source': 'lb', 'http.error_rate_pct': 100 },
    [
      {
        field: 'proxy.upstream_error',
        message:
          "2 lines ended PH: HAProxy refused the server's response headers and answered 502 itself (configuration manual 8.5): read as headers larger than its buffer (tune.bufsize less tune.maxrewrite), the common case; " +
          'an invalid header ends so too: `echo "show errors" | socat stdio /run/haproxy/admin.sock` (the `stats socket` of haproxy.cfg) shows the response it refused and where it stopped reading it',
      },
    ],
  ],
  // maxconn 1 and timeout queue 1s: three of four requests expire in the queue.
  [
    'haproxy-log',
    'queue-timeout-sQ.txt',
    { 'http.status': 503, 'http.error_source': 'lb', 'http.error_rate_pct': 75, 'proc.workers_busy_pct': 100 },
    [
      {
        field: 'proxy.upstream_error',
        message:
          "3 lines ended sQ: the request waited in HAProxy's queue until timeout queue expired, every server of its backend being at its maxconn, and HAProxy answered 503 itself without asking one (configuration manual 8.5); " +
          "no proxy.upstream_error says that: compare the server lines' maxconn and timeout queue (`grep -nE 'maxconn|timeout queue' /etc/haproxy/haproxy.cfg`) with the queue columns (srv_queue/backend_queue) of these lines",
      },
      { field: 'proc.workers_busy_pct', message: "3 lines timed out in HAProxy's queue (sQ): every server was at its maxconn, read as the servers' workers all busy (100)" },
    ],
  ],
  // curl --max-time 1 during a 3 s download: the client gave up, the server's 200 stands.
  ['haproxy-log', 'client-gave-up-CD.txt', { 'proxy.upstream_error': 'client_closed', 'http.error_rate_pct': 0 }, []],
  // balance source: one client of five sends 60 of 80 requests, all to app4 (70 against app5's 10).
  [
    'haproxy-log',
    'balance-source-skew.txt',
    { 'http.error_rate_pct': 0, 'lb.backend_load_skew': true },
    [
      HAPROXY_NO_FAILURE,
      {
        field: 'lb.session_persistence',
        message:
          'client 127.0.0.2 sent 60 of the 80 requests to backend catalog_app, every one to app4 (which served 70): clients look pinned to servers, by source-IP balancing (balance source), a stick table or a cookie; ' +
          "the log does not show which, so lb.session_persistence stays unknown: `grep -nE '^[[:space:]]*(balance|hash-type|stick|cookie)' /etc/haproxy/haproxy.cfg`",
      },
    ],
  ],
  // roundrobin, the same clients: 40 and 40, the heavy client on both servers.
  ['haproxy-log', 'roundrobin-even.txt', { 'http.error_rate_pct': 0, 'lb.backend_load_skew': false }, [HAPROXY_NO_FAILURE]],
  // option tcplog: a connection that went through, then one refused (no HTTP status in a TCP log).
  ['haproxy-log', 'tcplog-refused-and-ok.txt', { 'proxy.upstream_error': 'connect_refused' }, []],
  // show stat's CSV (HAProxy 2.6.12): lab 203's health check answered 404 (every server DOWN, L7STS 404), its balance source
  // with one busy server, its killed server without checks (failed connects, no sessions served: no skew); and here, a backend
  // pinned by source with four requests queued at a2's maxconn beside a checked backend with a server down.
  ['haproxy-stat', 'lab-health-check-404-all-down.csv', { 'lb.backend_health': 'all_unhealthy', 'lb.health_check_status': 404 }, []],
  ['haproxy-stat', 'lab-balance-source-skew.csv', { 'lb.backend_health': 'all_healthy', 'lb.backend_load_skew': true }, []],
  [
    'haproxy-stat',
    'lab-server-refusing-no-checks.csv',
    {},
    [
      { field: 'lb.backend_health', message: 'backend orders_app runs no health checks ("no check"): HAProxy sends to its servers whatever they answer' },
      { field: 'proxy.upstream_error', message: "connects failed to orders_app/app2 (6) (econ): a server refusing or not answering them, which the log's termination state tells (SC refused, sC timed out; rca parse haproxy-log)" },
    ],
  ],
  [
    'haproxy-stat',
    'source-pinned-queue-and-a-down-server.csv',
    { 'lb.backend_load_skew': true, 'proc.workers_busy_pct': 100 },
    [
      { field: 'lb.backend_health', message: 'read backend app, whose servers took the most sessions, of 2: for another, echo "show stat BACKEND -1 -1" shows its rows alone' },
      { field: 'lb.backend_health', message: 'backend app runs no health checks ("no check"): HAProxy sends to its servers whatever they answer' },
      { field: 'proc.workers_busy_pct', message: "requests are queued in HAProxy for app/a2 (4): at its maxconn, read as the servers' workers all busy (100)" },
    ],
  ],
  // curl -g -sv -o /dev/null URL (curl 7.88.1, OpenSSL 3.0.19) against python3 -m http.server, openssl s_server and closed ports on 127.0.0.1, and the labs' TLS faults.
  ['curl-v', 'http-200.txt', { 'tcp.connect': 'ok', 'http.status': 200, 'tcp.ipv6_fallback': false }, []],
  ['curl-v', 'http-404.txt', { 'tcp.connect': 'ok', 'http.status': 404, 'tcp.ipv6_fallback': false }, []],
  // A resolver that takes the queries and never answers, and --connect-timeout 2: the lookup outlasted the wait, no address was tried.
  ['curl-v', 'lookup-unanswered-connect-timeout-2s.txt', { 'dns.result': 'timeout' }, []],
  // Without -s: the progress meter's last redraw runs into the next verbose line.
  ['curl-v', 'http-200-progress-meter.txt', { 'tcp.connect': 'ok', 'http.status': 200, 'tcp.ipv6_fallback': false }, []],
  // Lab 195 (case 09, and a closed port): curl -v says what exit 7's "Couldn't connect to server" does not, EADDRNOTAVAIL or a refusal (a near miss of the warning).
  ['curl-v', 'lab195-refused-progress-meter.txt', { 'tcp.connect': 'refused' }, []],
  ['curl-v', 'lab195-eaddrnotavail.txt', { 'proc.eaddrnotavail_errors': true }, []],
  // RFC 8305: the IPv6 address tried first, given up, and the connection made over IPv4 (lab 207, a black-holed IPv6 path).
  ['curl-v', 'lab207-ipv6-tried-then-ipv4.txt', { 'tcp.connect': 'ok', 'http.status': 200, 'tcp.ipv6_fallback': true }, []],
  // The last status line: -L's 301 then 200; a 100 Continue then the 503.
  ['curl-v', 'redirect-301-then-200.txt', { 'tcp.connect': 'ok', 'http.status': 200, 'tcp.ipv6_fallback': false }, []],
  ['curl-v', 'continue-100-then-503.txt', { 'tcp.connect': 'ok', 'http.status': 503, 'tcp.ipv6_fallback': false }, []],
  // The last connect decides: ::1 refused, then 127.0.0.1 connected; a 302 answered, then its Location refused (no status for the request).
  ['curl-v', 'ipv6-refused-ipv4-200.txt', { 'tcp.connect': 'ok', 'http.status': 200, 'tcp.ipv6_fallback': true }, []],
  ['curl-v', 'redirect-302-to-refused.txt', { 'tcp.connect': 'refused' }, []],
  // "connect to ... failed: Connection refused" says what "Couldn't connect to server" does not.
  ['curl-v', 'refused.txt', { 'tcp.connect': 'refused' }, []],
  ['curl-v', 'tls-cacert-200.txt', { 'tcp.connect': 'ok', 'http.status': 200, 'tls.handshake': 'ok', 'tcp.ipv6_fallback': false }, []],
  // The certificate problem's words, as app-errors and the openssl parser read its verify error (18: the leaf is its whole chain).
  ['curl-v', 'tls-self-signed.txt', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.chain_complete': true, 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  ['curl-v', 'tls-private-ca-unknown.txt', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  // Lab 206 case 06: a stale answer sends the client to the old address, where another site's certificate is served.
  ['curl-v', 'lab206-stale-address-other-site-cert.txt', { 'tls.handshake': 'failed', 'tls.cert_name_match': false, 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  ['curl-v', 'tls-expired-cacert.txt', { 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  // The certificate problem's words outrank the alert curl sent for it: OpenSSL sends bad_certificate (554) for a leaf not yet valid, which the knowledge base reads as expired.
  ['curl-v', 'tls-not-yet-valid-cacert.txt', { 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': true, 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  // The alert the server sent (s_server -tls1_3, curl --tls-max 1.2): "TLS alert, protocol version (582)", 2 * 256 + 70.
  ['curl-v', 'tls-server-alert-protocol-version.txt', { 'tls.handshake': 'failed', 'tls.alert': 'protocol_version', 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  // https to a plain-HTTP port: OpenSSL's "wrong version number" fails the handshake, and names no alert.
  ['curl-v', 'tls-https-to-http-port.txt', { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tcp.ipv6_fallback': false }, []],
  // Lab 201 case 07 (the server sends the leaf alone), case 08 with the client's --cacert (the handshake completes, the name does not match), lab 202 case 11 (the client's clock a year ahead).
  ['curl-v', 'lab-leaf-only-unknown-ca.txt', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  ['curl-v', 'lab-name-mismatch-cacert.txt', { 'tls.handshake': 'failed', 'tls.cert_name_match': false, 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  ['curl-v', 'lab-client-clock-ahead-expired.txt', { 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tcp.connect': 'ok', 'tcp.ipv6_fallback': false }, []],
  ['app-errors', 'python-refused.txt', { 'tcp.connect': 'refused' }],
  // Lab 204: the service's own log, its database refusing (libpq's "connection to server at ... failed: Connection refused"):
  // the dependency's connect, not the service's, so no tcp.connect, but a warning; the dependency refused it.
  [
    'app-errors',
    'lab-python-psycopg2-db-refused.txt',
    { 'app.dependency_errors': true },
    [
      {
        field: 'tcp.connect',
        message:
          "a database's or cache's client says its own connect failed (the dependency refused or did not answer it): that is the service's dependency, not a connect to the service, so tcp.connect stays unknown; the service's own port answers `nc -vz HOST PORT`",
      },
    ],
  ],
  ['app-errors', 'node-refused.txt', { 'tcp.connect': 'refused' }],
  ['app-errors', 'python-eaddrnotavail.txt', { 'proc.eaddrnotavail_errors': true }],
  ['app-errors', 'java-bindexception.txt', { 'proc.eaddrnotavail_errors': true }],
  // Lab 205 case 07: the clients' own `curl --max-time 3` lines (exit 28), and the backend's log of the answers it could no longer write.
  ['app-errors', 'lab205-curl-28-max-time-3s.txt', {}, [clientTimeLimit(3001, ' with 0 bytes received')]],
  ['app-errors', 'lab205-python-broken-pipe.txt', {}, [BROKEN_PIPE]],
  ['app-errors', 'dotnet-wsaenobufs.txt', { 'proc.eaddrnotavail_errors': true }],
  ['app-errors', 'go-refused-and-timeout.txt', { 'tcp.connect': 'refused' }],
  ['app-errors', 'go-lookup-and-x509.txt', { 'dns.result': 'nxdomain', 'tls.handshake': 'failed', 'tls.cert_name_match': false }],
  // ssl.match_hostname's "hostname 'B' doesn't match 'A'" (lab 201, case 09: a client sending no SNI got the default server's certificate) and its "either of" form.
  ['app-errors', 'python-match-hostname-lab.txt', { 'tls.handshake': 'failed', 'tls.cert_name_match': false }, []],
  ['app-errors', 'python-match-hostname-either-of.txt', { 'tls.handshake': 'failed', 'tls.cert_name_match': false }, []],
  ['app-errors', 'python-tls-local-issuer.txt', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca' }],
  ['app-errors', 'java-enospc.txt', { 'proc.enospc_errors': true }],
  ['app-errors', 'node-enospc.txt', { 'proc.enospc_errors': true }],
  // The inodes spent while df -h shows the filesystem empty: the same ENOSPC.
  ['app-errors', 'python-enospc-inodes.txt', { 'proc.enospc_errors': true }],
  ['app-errors', 'php-fpm-max-children.txt', { 'proc.workers_busy_pct': 100 }],
  // Lab 195's plain Python logs (cases 05, 07, 09): "[Errno N] TEXT" after the app's own words.
  ['app-errors', 'python-log-emfile-accept.txt', { 'proc.emfile_errors': true }, []],
  ['app-errors', 'python-log-enospc.txt', { 'proc.enospc_errors': true }, []],
  ['app-errors', 'python-log-eaddrnotavail.txt', { 'proc.eaddrnotavail_errors': true }, []],
  ['app-errors', 'curl-7-couldnt-connect.txt', {}, [couldNotConnect('10.195.0.2', '9091')]],
  ['app-errors', 'curl-6-could-not-resolve.txt', {}, [lookupFailed('orders.internal')]],
  ['app-errors', 'curl-60-cert-expired.txt', { 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false }, []],
  // EAI_AGAIN: timeout, with the warning that SERVFAIL prints it too; Python's gaierror names no host.
  ['app-errors', 'python-gaierror-eai-again.txt', { 'dns.temporary_failure': true }, [noAnswer('NAME')]],
  ['app-errors', 'java-unknown-host-eai-again.txt', { 'dns.temporary_failure': true }, [noAnswer('orders.internal')]],
  // Socket's constructor names only the host.
  ['app-errors', 'java-unknown-host-bare.txt', {}, [lookupFailed('orders.internal')]],
  // The application's own client pool, every connection checked out past its wait timeout (the messages as each library's source
  // writes them: HikariPool.createTimeoutException, HttpClient's ConnectionPoolTimeoutException, SQLAlchemy's error 3o7r, Knex's
  // acquireConnection, commons-pool's borrowObject under Jedis). HikariCP's housekeeping "Pool stats" line is no timeout.
  ['app-errors', 'java-hikari-pool-exhausted.txt', { 'app.pool_wait_timeouts': true }, []],
  // SQLAlchemy's "connection timed out" is its pool's wait: no tcp.connect.
  ['app-errors', 'python-sqlalchemy-queuepool.txt', { 'app.pool_wait_timeouts': true }, []],
  ['app-errors', 'java-httpclient-pool-timeout.txt', { 'app.pool_wait_timeouts': true }, []],
  ['app-errors', 'node-knex-acquire-timeout.txt', { 'app.pool_wait_timeouts': true }, []],
  ['app-errors', 'java-jedis-idle-object.txt', { 'app.pool_wait_timeouts': true }, []],
  // Near misses. Jedis's "Could not get a resource from the pool" over Redis refusing the connect: the cause line's refusal, no pool.
  ['app-errors', 'java-jedis-redis-refused.txt', { 'tcp.connect': 'refused' }, []],
  // HikariCP's timeout with no connection in the pool (total=0) under PostgreSQL's own limit ("sorry, too many clients already"):
  // the server refusing, no pool held full: a warning naming the cause line, and the cause line's refusal.
  ['app-errors', 'java-hikari-empty-pool-too-many-clients.txt', { 'app.dependency_errors': true }, [emptyHikariPool]],
  // Captured here (test/fixtures/capture-tools/dependency-errors-app.py, psycopg2 2.9 against PostgreSQL 15 with max_connections 4,
  // redis-py 4.3 against Redis 7.0): a service's log of its downstream refusing its calls, in the downstream's own words.
  ['app-errors', 'python-psycopg2-pg-slots-reserved.txt', { 'app.dependency_errors': true }, []],
  ['app-errors', 'python-psycopg2-pg-too-many-clients.txt', { 'app.dependency_errors': true }, []],
  ['app-errors', 'python-psycopg2-pg-read-only.txt', { 'app.dependency_errors': true }, []],
  ['app-errors', 'python-redis-oom.txt', { 'app.dependency_errors': true }, []],
  ['app-errors', 'python-redis-read-only-replica.txt', { 'app.dependency_errors': true }, []],
  // PyMySQL 1.0 against MariaDB 10.11: max_connections (10) held by other sessions (1040), then read_only set (1290).
  ['app-errors', 'python-pymysql-mariadb-too-many-connections.txt', { 'app.dependency_errors': true }, []],
  ['app-errors', 'python-pymysql-mariadb-read-only.txt', { 'app.dependency_errors': true }, []],
  // PostgreSQL down: its client's connect refused (the dependency's, so no tcp.connect, but a warning).
  [
    'app-errors',
    'python-psycopg2-pg-refused.txt',
    { 'app.dependency_errors': true },
    [
      {
        field: 'tcp.connect',
        message:
          "a database's or cache's client says its own connect failed (the dependency refused or did not answer it): that is the service's dependency, not a connect to the service, so tcp.connect stays unknown; the service's own port answers `nc -vz HOST PORT`",
      },
    ],
  ],
  // The interview's question's grep (rules/app/questions.yaml, app.dependency_errors) over the log of the two captures above.
  ['app-errors', 'grep-dependency-pg-slots-and-too-many.txt', { 'app.dependency_errors': true }, []],
  // urllib3's "Connection pool is full, discarding connection" (a returned connection beyond the pool's size) and requests'
  // HTTPConnectionPool(...) around a refused connect: no pool waited on.
  ['app-errors', 'python-requests-pool-near-misses.txt', { 'tcp.connect': 'refused' }, []],
];

/** Fixtures that are real output yet hold nothing a fact can say: [kind, file, what the error must name]. */
const REFUSED: Array<[string, string, RegExp]> = [
  // iostat -x without an interval prints one report, the average since boot.
  ['iostat', 'since-boot-only.txt', /^only the since-boot report \(give an interval: iostat -x 1 5\)$/],
  ['jstat', 'one-sample.txt', /^one sample, whose GCT counts since the JVM started \(give an interval and a count: jstat -gcutil -t PID 1000 10\)$/],
  ['dig', 'short.txt', /bare answers \(dig \+short\), which carry no status/],
  ['ping-mtu', '../ping/linux-ok.txt', /pings of 56 bytes \(too small to test the MTU\)/],
  // pidstat -p of a pid that is gone prints its header and no row.
  ['pidstat', 'pid-gone.txt', /^a header without a row of a process \(pidstat prints none for a pid that is gone\)$/],
];

function parseError(kind: string, text: string): InputError {
  try {
    parseArtifact(kind, text, { now: CAPTURE_DAY });
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`${kind} accepted the text`);
}

describe('artifact parsers on captured and documented outputs', () => {
  it.each(CASES)('%s %s', (kind, file, expected, expectedWarnings) => {
    const warnings: Warning[] = [];
    const facts = parseArtifact(kind, readArtifact(kind, file), { now: CAPTURE_DAY, warn: (warning) => warnings.push(warning) });
    expect(facts).toStrictEqual(expected);
    expect(normalizeFacts(facts, baseVocabulary())).toStrictEqual(expected);
    if (expectedWarnings !== undefined) expect(warnings).toStrictEqual(expectedWarnings);
  });

  it('has a case for every fixture file, and fixtures for every kind', () => {
    const tested = new Set([...CASES, ...REFUSED].map(([kind, file]) => `${kind}/${file}`));
    const files = artifactKinds.flatMap((kind) => readdirSync(`${artifactsDir}/${kind}`).map((file) => `${kind}/${file}`));
    expect(files.filter((f) => !tested.has(f))).toEqual([]);
    for (const kind of artifactKinds) expect(CASES.some(([k]) => k === kind)).toBe(true);
  });

  it.each(REFUSED)('%s %s is refused with a reason', (kind, file, reason) => {
    const error = parseError(kind, readArtifact(kind, file));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.field).toBe(`artifact ${kind}`);
    expect(error.problems[0]?.got).toMatch(reason);
  });
});

describe('artifact parsers on text they do not read', () => {
  const garbage = ['', '   \n\n', 'hello world\nthis is not a command output\n', '{"facts": {"ping.result": "ok"}}', '\u0000\u0001\u0002 binary'];

  it.each(artifactParsers.map((p) => p.kind))('%s refuses garbage with an InputError naming what it expected', (kind) => {
    for (const text of garbage) {
      const error = parseError(kind, text);
      expect(error.problems[0]).toMatchObject({ field: `artifact ${kind}` });
      expect(error.problems[0]?.expected).toMatch(/\S{3,}/);
    }
  });

  it.each(artifactParsers.map((p) => p.kind))("%s refuses another tool's output", (kind) => {
    const other = kind === 'dig' ? readArtifact('ping', 'linux-ok.txt') : readArtifact('dig', 'noerror.txt');
    expect(() => parseArtifact(kind, other)).toThrow(InputError);
  });

  it('refuses truncated captures instead of returning partial shares', () => {
    const strace = readArtifact('strace-c', 'statx-enoent.txt').split('\n').slice(0, 6).join('\n');
    expect(parseError('strace-c', strace).problems[0]?.got).toBe('a table without its "total" row (truncated?)');
    const ping = readArtifact('ping', 'linux-ok.txt').split('\n').slice(0, 4).join('\n');
    expect(parseError('ping', ping).problems[0]?.got).toBe('replies but no statistics summary (truncated?)');
    const vmstat = readArtifact('vmstat', 'busy.txt').split('\n').slice(0, 3).join('\n');
    expect(parseError('vmstat', vmstat).problems[0]?.got).toBe('only the since-boot line (give an interval: vmstat 1 5)');
    const mpstat = readArtifact('mpstat', 'interval.txt').split('\n').slice(0, 4).join('\n');
    expect(parseError('mpstat', mpstat).problems[0]?.got).toBe('one since-boot line without an interval');
  });

  it('refuses an unknown kind and names the known ones', () => {
    const error = parseError('tshark', 'x');
    expect(error.problems[0]).toEqual({ field: 'artifact kind', expected: `one of auto, ${artifactKinds.join(', ')}`, got: '"tshark"' });
  });

  it('lists each kind once, with a description naming the command', () => {
    expect(new Set(artifactKinds).size).toBe(artifactKinds.length);
    expect(artifactKinds).toEqual(['ping', 'ping-mtu', 'mtr', 'tcp-connect', 'tcpdump', 'strace-c', 'strace-t', 'curl-w', 'curl-v', 'curl-i', 'top', 'vmstat', 'iostat', 'mpstat', 'pidstat', 'cpu-stat', 'cgroup-memory', 'psi', 'free', 'df', 'fd-count', 'netstat-s', 'nstat', 'ss-s', 'ss-i', 'ephemeral-ports', 'conntrack-s', 'ethtool-s', 'dig', 'resolv-conf', 'openssl', 'dmesg', 'jstat', 'gc-log', 'thread-dump', 'nginx-error', 'haproxy-log', 'haproxy-stat', 'kubectl-describe', 'app-errors']);
    for (const parser of artifactParsers) expect(parser.describe.length).toBeGreaterThan(20);
  });

  it('carries a fact only where its description names it as read: jstat, which shows no single pause, does not carry app.gc_pause_ms', () => {
    expect(kindsCarrying('app.gc_pause_ms')).toEqual(['gc-log']);
    expect(kindsCarrying('app.gc_time_pct')).toEqual(['jstat', 'gc-log']);
    // curl -w's time_connect says whether a request connected.
    expect(kindsCarrying('tcp.connect')).toContain('curl-w');
  });
});

describe('artifact parser details', () => {
  it('dig: runs of different questions compare nothing, and the warning says to ask the same one', () => {
    const warnings: Warning[] = [];
    const a = readArtifact('dig', 'lab206-failing-client-stale-ttl-86400.txt');
    const aaaa = a.replace(';cart.l206.test.\t\t\tIN\tA', ';cart.l206.test.\t\t\tIN\tAAAA').replace('IN\tA\t10.206.0.2', 'IN\tAAAA\tfd00::2');
    expect(aaaa).toContain('IN\tAAAA\tfd00::2');
    expect(parseArtifact('dig', `${a}${aaaa}`, { warn: (warning) => warnings.push(warning) })).toEqual({ 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.aaaa_present': true });
    expect(warnings).toEqual([
      { field: 'dns.answer_mismatch', message: 'the dig runs ask different questions (cart.l206.test A, cart.l206.test AAAA), so their answers compare nothing: run the same `dig NAME` on a failing and on a healthy client' },
    ]);
  });

  it("dig: the additional section's glue addresses and a run without an answer are not the name's addresses", () => {
    const withGlue = readArtifact('dig', 'lab206-failing-client-stale-ttl-86400.txt').replace(';; Query time', ';; ADDITIONAL SECTION:\ncart.l206.test.\t300\tIN\tA\t10.206.0.9\n\n;; Query time');
    expect(withGlue).toContain('10.206.0.9');
    expect(parseArtifact('dig', `${withGlue}${readArtifact('dig', 'nxdomain.txt')}${readArtifact('dig', 'lab206-failing-client-stale-ttl-86400.txt')}`)).toEqual({ 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.answer_mismatch': false });
  });

  it("curl-v: a paste indented as a ticket quotes it, with a terminal's trailing spaces, reads as curl printed it", () => {
    for (const file of ['http-200.txt', 'tls-server-alert-protocol-version.txt', 'ipv6-refused-ipv4-200.txt', 'lab-name-mismatch-cacert.txt']) {
      const text = readArtifact('curl-v', file).replace(/^(.*)$/gm, '    $1  ');
      expect(parseArtifact('curl-v', text), file).toEqual(parseArtifact('curl-v', readArtifact('curl-v', file)));
      expect(detectKinds(text), file).toEqual(['curl-v']);
    }
  });

  it('curl-v: the alert the server sent outranks the certificate problem curl names', () => {
    const text = ['* Connected to pay.example (192.0.2.7) port 443 (#0)', '* TLSv1.3 (IN), TLS alert, handshake failure (552):', '* SSL certificate problem: certificate has expired'].join('\n');
    expect(parseArtifact('curl-v', text)).toEqual({ 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'handshake_failure', 'tls.cert_not_yet_valid': false });
  });

  it('curl-v: a warning alert (close notify, 256) says nothing of the handshake', () => {
    const text = readArtifact('curl-v', 'tls-cacert-200.txt');
    expect(text).toContain('TLS alert, close notify (256)');
    expect(parseArtifact('curl-v', text)['tls.handshake']).toBe('ok');
  });

  it('curl-v: output that ends before the connect did gives no fact, and a warning naming what to run', () => {
    const warnings: Warning[] = [];
    const text = readArtifact('curl-v', 'http-200.txt').split('\n').slice(0, 1).join('\n');
    expect(text).toBe('*   Trying 127.0.0.1:18203...');
    expect(parseArtifact('curl-v', text, { warn: (warning) => warnings.push(warning) })).toEqual({});
    expect(warnings).toEqual([
      {
        field: 'tcp.connect',
        message: 'the curl -v output shows no connect outcome, TLS handshake result or HTTP status line (cut short, or a connect that never ended): paste all of `curl -g -sv -o /dev/null --connect-timeout 10 --max-time 30 URL` 2>&1',
      },
    ]);
  });

  it("curl-v: refuses text with none of curl -v's own lines, a list of bullets or the server's headers alone", () => {
    expect(parseError('curl-v', '* checked the LB\n* restarted the app\n').problems[0]).toMatchObject({ field: 'artifact curl-v', got: 'unrecognised text' });
    expect(parseError('curl-v', '< Server: nginx\n< Content-Type: text/html\n').problems[0]).toMatchObject({ field: 'artifact curl-v', got: 'unrecognised text' });
  });

  it("curl-v: the server's header values and the body are not read as curl's error text", () => {
    const text = ['* Connected to api.example (192.0.2.7) port 80 (#0)', '< HTTP/1.1 502 Bad Gateway', '< X-Upstream-Error: Connection refused', '', 'upstream: Connection reset by peer'].join('\n');
    expect(parseArtifact('curl-v', text)).toEqual({ 'tcp.connect': 'ok', 'http.status': 502 });
  });

  it('nginx-error: a limit_req dry run refuses nothing, and limit_conn names its own zone', () => {
    const warnings: Warning[] = [];
    const text = [
      '2026/12/02 14:00:25 [error] 27869#27869: *25 limiting requests, dry run, excess: 10.600 by zone "perip", client: 10.201.1.1, server: , request: "GET / HTTP/1.1"',
      '2026/12/02 14:00:26 [error] 27869#27869: *26 limiting connections by zone "addr", client: 10.201.1.2, server: , request: "GET / HTTP/1.1"',
      '2026/12/02 14:00:27 [error] 27869#27869: *27 limiting connections, dry run, by zone "addr", client: 10.201.1.2, server: , request: "GET / HTTP/1.1"',
    ].join('\n');
    expect(parseArtifact('nginx-error', text, { warn: (warning) => warnings.push(warning) })).toEqual({ 'proxy.rate_limit_refusals': true });
    // The dry runs alone refuse nothing.
    expect(parseArtifact('nginx-error', [text.split('\n')[0], text.split('\n')[2]].join('\n'))).toEqual({});
    expect(warnings).toEqual([
      {
        field: 'proxy.upstream_error',
        message: `${NO_UPSTREAM_ERROR}; 1 line says nginx refused requests itself by its limit_conn zone "addr": it answered them without asking any upstream, with 503 or the status limit_req_status / limit_conn_status sets (often 429)`,
      },
    ]);
  });

  it('tcp-connect: a success after failed addresses is the test\'s (nc and telnet try each address in turn), and the failures are said', () => {
    const warnings: unknown[] = [];
    const text = readArtifact('tcp-connect', 'openbsd-fallback-ok.txt');
    expect(parseArtifact('tcp-connect', text, { warn: (warning) => warnings.push(warning) })).toEqual({ 'tcp.connect': 'ok' });
    expect(warnings).toEqual([{ field: 'tcp.connect', message: 'it connected, after failed attempts (refused on 1 line) to another address of the host or another port; kept "ok"' }]);
  });

  it('tcp-connect: without a success the last failure is the verdict, and failures that differ are said', () => {
    const warnings: unknown[] = [];
    const text = ['nc: connect to 192.0.2.10 port 80 (tcp) failed: Connection refused', 'nc: connect to 192.0.2.10 port 8080 (tcp) failed: Connection refused', 'nc: connect to 192.0.2.10 port 8443 (tcp) timed out: Operation now in progress'].join('\n');
    expect(parseArtifact('tcp-connect', text, { warn: (warning) => warnings.push(warning) })).toEqual({ 'tcp.connect': 'timeout' });
    expect(warnings).toEqual([{ field: 'tcp.connect', message: 'the attempts failed differently (refused on 2 lines before the last); kept "timeout", the last' }]);
    const quiet: unknown[] = [];
    expect(parseArtifact('tcp-connect', readArtifact('tcp-connect', 'telnet-timeout.txt'), { warn: (warning) => quiet.push(warning) })).toEqual({ 'tcp.connect': 'timeout' });
    expect(quiet).toEqual([]);
  });

  it('tcp-connect: a paste indented as a ticket quotes it, with a terminal\'s trailing spaces, reads as the tool printed it', () => {
    for (const file of ['openbsd-ok.txt', 'traditional-ok.txt', 'ncat-ok.txt', 'telnet-ok.txt', 'busybox-full-open.txt', 'busybox-timeout.txt']) {
      const text = readArtifact('tcp-connect', file).replace(/^(.*)$/gm, '    $1  ');
      expect(parseArtifact('tcp-connect', text), file).toEqual(parseArtifact('tcp-connect', readArtifact('tcp-connect', file)));
      expect(detectKinds(text), file).toEqual(['tcp-connect']);
    }
  });

  it('tcp-connect: a failure on the testing host is no connect outcome: EADDRNOTAVAIL gives the source ports spent, as app-errors reads it, the others a warning naming what to check', () => {
    const read = (text: string) => {
      const warnings: Warning[] = [];
      return { facts: parseArtifact('tcp-connect', text, { warn: (warning) => warnings.push(warning) }), warnings };
    };
    const spent = { facts: { 'proc.eaddrnotavail_errors': true }, warnings: [] };
    // OpenBSD nc, ncat, telnet, bash, and busybox on musl ("Address not available"), macOS ("Can't assign").
    expect(read('nc: connect to 10.205.0.2 port 9203 (tcp) failed: Cannot assign requested address')).toEqual(spent);
    expect(read('Ncat: Cannot assign requested address.')).toEqual(spent);
    expect(read('telnet: connect to address 10.205.0.2: Cannot assign requested address\ntelnet: Unable to connect to remote host: Cannot assign requested address')).toEqual(spent);
    expect(read('bash: connect: Cannot assign requested address\nbash: line 1: /dev/tcp/10.205.0.2/9203: Cannot assign requested address')).toEqual(spent);
    expect(read("nc: can't connect to remote host (10.205.0.2): Address not available")).toEqual(spent);
    expect(read("nc: connectx to 10.205.0.2 port 9203 (tcp) failed: Can't assign requested address")).toEqual(spent);
    // To an IPv6 address it is as often no IPv6 source address: nothing proved.
    const ipv6 = read('nc: connect to localhost (::1) port 80 (tcp) failed: Cannot assign requested address');
    expect(ipv6.facts).toEqual({});
    expect(ipv6.warnings).toEqual([
      unplacedConnect(
        'the connect failed with "Cannot assign requested address" (EADDRNOTAVAIL) to an IPv6 address: the host has no IPv6 source address for it (IPv6 off, no ::1) as often as its source ports are spent, so no SYN reached the target and tcp.connect has no outcome for it; test the IPv4 address (`nc -4 -vz HOST PORT`), and count the ports in use with `ss -s` against `sysctl net.ipv4.ip_local_port_range`',
      ),
    ]);
    // ::1 failing before 127.0.0.1 connects (IPv6 off, localhost named): the verdict is the success, the failure only said.
    expect(read('nc: connect to localhost (::1) port 80 (tcp) failed: Cannot assign requested address\nConnection to localhost (127.0.0.1) 80 port [tcp/http] succeeded!')).toEqual({
      facts: { 'tcp.connect': 'ok' },
      warnings: [unplacedConnect('it connected, after failed attempts ("Cannot assign requested address" on 1 line) to another address of the host or another port; kept "ok"')],
    });
    // A refused connect after a failure of another address is the verdict; the failure before it is said.
    expect(read('nc: connect to localhost (::1) port 81 (tcp) failed: Cannot assign requested address\nnc: connect to localhost (127.0.0.1) port 81 (tcp) failed: Connection refused')).toEqual({
      facts: { 'tcp.connect': 'refused' },
      warnings: [unplacedConnect('the attempts failed differently ("Cannot assign requested address" on 1 line before the last); kept "refused", the last')],
    });
    expect(read('nc: connect to 10.0.0.9 port 80 (tcp) failed: Network is unreachable')).toEqual({
      facts: {},
      warnings: [unplacedConnect('the connect failed with "Network is unreachable" (ENETUNREACH): this host has no route to the address, so no SYN reached the target and tcp.connect has no outcome for it; `ip route get ADDRESS` shows the route it lacks')],
    });
    expect(read("nc: can't connect to remote host (10.0.0.9): Host is unreachable").warnings).toEqual([NO_ROUTE].map((w) => ({ ...w, message: w.message.replace('"No route to host"', '"Host is unreachable"') })));
    // nc's own descriptor limit is not the application's: no proc.emfile_errors.
    expect(read('nc: connect to 10.0.0.9 port 80 (tcp) failed: Too many open files')).toEqual({
      facts: {},
      warnings: [
        unplacedConnect(
          "the connect failed with \"Too many open files\" (EMFILE, or ENFILE for the whole host): the test tool could not open a socket, so no SYN reached the target and tcp.connect has no outcome for it; it is the tool's own descriptor limit (ulimit -n), not the application's, whose use `ls /proc/PID/fd | wc -l` and `grep 'open files' /proc/PID/limits` show",
        ),
      ],
    });
    expect(read('bash: connect: Operation not permitted\nbash: line 1: /dev/tcp/10.0.0.9/80: Operation not permitted').warnings).toEqual([
      unplacedConnect("the connect failed with \"Operation not permitted\" (EPERM, EACCES): this host's own firewall (an OUTPUT rule that drops or rejects) or a security policy refused the connect, so no SYN reached the target and tcp.connect has no outcome for it; `iptables -S OUTPUT` or `nft list ruleset` shows the rule"),
    ]);
    expect(read('nc: connect to 10.0.0.9 port 80 (tcp) failed: Protocol not available')).toEqual({
      facts: {},
      warnings: [unplacedConnect('the connect failed with "Protocol not available", which tcp.connect has no outcome for (ok, refused, timeout, reset), so it gives no fact')],
    });
  });

  it('tcp-connect: only the tools\' own sentences count, not the same words elsewhere', () => {
    expect(() => parseArtifact('tcp-connect', 'upstream: connect() failed (111: Connection refused)\nConnection to the database succeeded after retry')).toThrow(InputError);
    expect(() => parseArtifact('tcp-connect', 'Ncat: Version 7.93 ( https://nmap.org/ncat )\nNcat: 0 bytes sent, 0 bytes received in 0.09 seconds.')).toThrow(InputError);
  });

  it('strace-c: rates need the trace duration, and ignore a duration that is not positive', () => {
    const text = readArtifact('strace-c', 'statx-enoent.txt');
    expect(parseArtifact('strace-c', `# duration_s: 3.3\n${text}`)['strace.syscalls_per_s']).toBe(61116.36);
    expect(parseArtifact('strace-c', `# duration_s: 0\n${text}`)).not.toHaveProperty('strace.syscalls_per_s');
  });

  it('strace-c: the duration of a trace the command bounds (`timeout N strace -c`, as the interview asked), when the output says none', () => {
    const text = readArtifact('strace-c', 'statx-enoent.txt');
    expect(parseArtifact('strace-c', text, { command: 'timeout 10 strace -c -f -p 4242' })['strace.syscalls_per_s']).toBe(20168.4);
    expect(parseArtifact('strace-c', text, { command: 'sudo timeout 2.5s strace -c -p 4242' })['strace.syscalls_per_s']).toBe(80673.6);
    // The output's own line wins; a command that bounds nothing, or another tool's, says no duration.
    expect(parseArtifact('strace-c', `# duration_s: 3.3\n${text}`, { command: 'timeout 10 strace -c -p 1' })['strace.syscalls_per_s']).toBe(61116.36);
    for (const command of ['strace -c -f -p 4242', 'timeout 10 strace -T -p 4242', 'timeout 0 strace -c -p 1', 'timeout 10 perf stat -p 1']) {
      expect(parseArtifact('strace-c', text, { command })).not.toHaveProperty('strace.syscalls_per_s');
    }
  });

  it('strace-c: the command line saved above the table (`$ timeout 5 strace -c ...`) is read as the question\'s command is, and wins over it; a "# duration_s" line over both', () => {
    const text = readArtifact('strace-c', 'statx-enoent.txt');
    expect(parseArtifact('strace-c', `$ timeout 5 strace -c -f -p 4242\n${text}`)['strace.syscalls_per_s']).toBe(40336.8);
    expect(parseArtifact('strace-c', `root@web1:~# sudo timeout 2.5s strace -c -p 4242\n${text}`)['strace.syscalls_per_s']).toBe(80673.6);
    expect(parseArtifact('strace-c', `$ timeout 5 strace -c -f -p 4242\n${text}`, { command: 'timeout 10 strace -c -f -p 4242' })['strace.syscalls_per_s']).toBe(40336.8);
    expect(parseArtifact('strace-c', `# duration_s: 3.3\n$ timeout 5 strace -c -p 1\n${text}`)['strace.syscalls_per_s']).toBe(61116.36);
    // A command that bounds no strace -c, or a line under the table (the program's own output), says no duration.
    expect(parseArtifact('strace-c', `$ timeout 5 strace -T -p 4242\n${text}`)).not.toHaveProperty('strace.syscalls_per_s');
    expect(parseArtifact('strace-c', `${text}\n$ timeout 5 strace -c -p 4242`)).not.toHaveProperty('strace.syscalls_per_s');
  });

  it('openssl: days left follow the clock given', () => {
    const text = readArtifact('openssl', 'x509-enddate.txt');
    expect(parseArtifact('openssl', text, { now: new Date('2026-12-25T18:07:15Z') })).toEqual({ 'tls.cert_days_left': -1 });
  });

  it('openssl: an expired leaf from a CA the client lacks is certificate_expired (errors 20, 21, then 10 at depth 0), and TCP connected', () => {
    // s_client against a private CA's expired leaf, from a box without that CA (a user's capture, trimmed).
    const privateCaExpired = [
      'depth=0 CN = payments.local',
      'verify error:num=20:unable to get local issuer certificate',
      'verify return:1',
      'depth=0 CN = payments.local',
      'verify error:num=21:unable to verify the first certificate',
      'verify return:1',
      'depth=0 CN = payments.local',
      'verify error:num=10:certificate has expired',
      'notAfter=Jan  1 00:00:00 2021 GMT',
      'verify return:1',
      'CONNECTED(00000003)',
      '---',
      'Certificate chain',
      ' 0 s:CN = payments.local',
      '   i:CN = TestCA',
      '---',
      'Verify return code: 10 (certificate has expired)',
    ].join('\n');
    expect(parseArtifact('openssl', privateCaExpired, { now: CAPTURE_DAY })).toMatchObject({ 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.failed_cert': 'leaf' });
    // Near miss: the issuer alone is unknown, the leaf is in its validity: unknown_ca.
    const issuerOnly = privateCaExpired
      .replace('verify error:num=10:certificate has expired\nnotAfter=Jan  1 00:00:00 2021 GMT\n', '')
      .replace('Verify return code: 10 (certificate has expired)', 'Verify return code: 21 (unable to verify the first certificate)');
    expect(parseArtifact('openssl', issuerOnly, { now: CAPTURE_DAY })['tls.alert']).toBe('unknown_ca');
    // An expired certificate above the leaf does not outrank the leaf's own error.
    const intermediateExpired = issuerOnly.replace('depth=0 CN = payments.local\nverify error:num=20', 'depth=1 CN = TestCA\nverify error:num=10:certificate has expired\nverify return:1\ndepth=0 CN = payments.local\nverify error:num=20');
    expect(parseArtifact('openssl', intermediateExpired, { now: CAPTURE_DAY })['tls.alert']).toBe('certificate_expired');
    // No CONNECTED line (connect:errno=111): refused, not ok.
    expect(parseArtifact('openssl', 'connect:errno=111\n')).toEqual({ 'tcp.connect': 'refused' });
  });

  it('openssl: a leaf past its dates is certificate_expired though -verify_return_error stopped at its unknown issuer; the chain stays unknown, with a warning', () => {
    // Lab 195 case 13 on the day it was taken: rca's own command (-verify_return_error) stopped
    // at error 20, before OpenSSL checks the dates; the listing shows the leaf 2 days expired.
    const labDay = new Date('2026-12-02T11:48:00Z');
    const read = (file: string) => {
      const warnings: unknown[] = [];
      const facts = parseArtifact('openssl', readArtifact('openssl', file), { now: labDay, warn: (warning) => warnings.push(warning) });
      return { facts, warnings };
    };
    const warning = {
      field: 'tls.chain_complete',
      message:
        "the leaf's issuer (i:CN = H195 Lab Root CA) was neither sent nor trusted (verify error 20/21 at depth 0): the server leaves out an intermediate, or the issuer is a private CA " +
        "this client lacks; the text does not say which. Rerun with -CAfile set to that CA's certificate (20 or 21 again: an intermediate is missing), " +
        'or check whether the issuer is a root (its own issuer; servers do not send roots)',
    };
    const expired = { 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false, 'tls.cert_days_left': -2.01, 'tls.failed_cert': 'leaf' };
    expect(read('private-root-expired-verify-return-error.txt')).toEqual({ facts: expired, warnings: [warning] });
    expect(read('private-root-expired-verify-hostname.txt')).toEqual({ facts: expired, warnings: [warning] });
    // Not yet valid by its own dates: the same verdict (error 9, which the flag hid as well).
    const early = parseArtifact('openssl', readArtifact('openssl', 'private-root-expired-verify-return-error.txt'), { now: new Date('2026-08-01T00:00:00Z') });
    expect(early).toMatchObject({ 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': true, 'tls.cert_days_left': -31.48 });
    // A verification that passed says the dates were fine when it ran: a clock past them adds no error.
    const passed = parseArtifact('openssl', readArtifact('openssl', 'ok.txt'), { now: new Date('2027-06-01T00:00:00Z') });
    expect(passed).toMatchObject({ 'tls.handshake': 'ok' });
    expect(passed).not.toHaveProperty('tls.alert');
    // A chain listed deeper than the leaf was sent: no warning.
    const told: unknown[] = [];
    parseArtifact('openssl', readArtifact('openssl', 'unknown-ca.txt'), { now: CAPTURE_DAY, warn: (w) => told.push(w) });
    expect(told).toEqual([]);
  });

  it('openssl: a leaf sent alone stays unknown even run with -CAfile of the clients\' root, which the text does not show (lab 201 case 07; rca collect --ca tells)', () => {
    const warnings: unknown[] = [];
    const facts = parseArtifact('openssl', readArtifact('openssl', 'lab201-leaf-alone-cafile-root.txt'), { now: new Date('2026-12-02T14:15:00Z'), warn: (warning) => warnings.push(warning) });
    expect(facts).toEqual({ 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca', 'tls.cert_days_left': 90, 'tls.failed_cert': 'leaf' });
    expect(warnings).toEqual([
      {
        field: 'tls.chain_complete',
        message:
          "the leaf's issuer (i:CN = H201 Lab Issuing CA 1) was neither sent nor trusted (verify error 20/21 at depth 0): the server leaves out an intermediate, or the issuer is a private CA " +
          "this client lacks; the text does not say which. Rerun with -CAfile set to that CA's certificate (20 or 21 again: an intermediate is missing), " +
          'or check whether the issuer is a root (its own issuer; servers do not send roots)',
      },
    ]);
  });

  it('openssl: of several failed certificates the one nearest the leaf is named; an error without its depth names none', () => {
    const failedOn = (text: string) => parseArtifact('openssl', text, { now: CAPTURE_DAY })['tls.failed_cert'];
    const intermediate = readArtifact('openssl', 'expired-intermediate-openssl111.txt');
    // A clock far ahead fails the leaf as well as the intermediate: the leaf.
    const bothExpired = intermediate.replace('depth=0 CN = localhost\n', 'depth=0 CN = localhost\nverify error:num=10:certificate has expired\n');
    expect(failedOn(bothExpired)).toBe('leaf');
    // Only the summary: which certificate failed is not said.
    expect(parseArtifact('openssl', 'CONNECTED(00000003)\n---\nVerify return code: 10 (certificate has expired)\n')).toEqual({ 'tcp.connect': 'ok', 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false });
    // Without the chain's listing the top of the printed path is the root, a depth below it an intermediate.
    const verifyLinesOnly = (failing: number) =>
      [2, 1, 0].map((depth) => `depth=${depth} CN = c${depth}\n${depth === failing ? 'verify error:num=10:certificate has expired\n' : ''}verify return:1\n`).join('');
    expect(failedOn(verifyLinesOnly(2))).toBe('root');
    expect(failedOn(verifyLinesOnly(1))).toBe('intermediate');
  });

  it('top: one snapshot of top -b -n 1, whose %Cpu line counts the few ticks since top started, gives no CPU share and says so; two are read without', () => {
    const warned = (file: string) => {
      const warnings: unknown[] = [];
      const facts = parseArtifact('top', readArtifact('top', file), { warn: (warning) => warnings.push(warning) });
      return { facts, warnings };
    };
    const told = [{ field: 'host.cpu_pct', message: "one snapshot whose %Cpu line counts a few clock ticks (top's first covers only the moment it started): no CPU share is read from it; top -b -n 2 -d 1 measures them over a second" }];
    // Captured: a node process spinning on one of two CPUs; the first %Cpu line said 66.7 us, 33.3 sy. The process table and memory hold.
    expect(warned('one-snapshot.txt')).toEqual({ facts: { 'proc.top_pid': 8317, 'proc.top_name': 'node', 'proc.top_cpu_pct': 47.1, 'host.mem_available_pct': 91.04 }, warnings: told });
    // Lab 201: an idle host whose first %Cpu line read "100.0 sy" (a syscall storm it was not); nothing else to read, which is no error.
    expect(warned('first-snapshot-idle-host.txt')).toEqual({ facts: { 'host.mem_available_pct': 97.85 }, warnings: told });
    expect(warned('statx-storm-child-of-app.txt').warnings).toEqual([]);
    expect(warned('statx-storm-child-of-app.txt').facts['host.cpu_pct']).toBe(85.7);
    // Near miss: one snapshot whose shares are finer than a few ticks (8.1 us, 24.9 si) is a screen of an interactive top: read, warned.
    expect(warned('softirq-kernel-thread.txt')).toMatchObject({
      facts: { 'host.cpu_pct': 37.3 },
      warnings: [
        { field: 'host.cpu_pct', message: "one snapshot: top's first %Cpu line covers only the moment it started, so the host's CPU shares may be far off; top -b -n 2 -d 1 measures them over a second" },
        { field: 'host.cpu_softirq_pct', message: expect.stringMatching(/^not read: the %Cpu\(s\) line's si \(24\.9%\) is the mean of 4 CPUs/) as unknown },
      ],
    });
  });

  it('top: a busiest row under 5% of one CPU names no process; the app\'s own share is still told', () => {
    const idle = readArtifact('top', 'no-process-busy.txt');
    // The app at 0.0 is worth saying: it is not what loads the host.
    const withApp = parseArtifact('top', `# app_pid: 2299\n${idle}`);
    expect(withApp).toMatchObject({ 'proc.app_pid': 2299, 'proc.app_cpu_pct': 0 });
    expect(Object.keys(withApp).filter((fact) => fact.startsWith('proc.top_'))).toEqual([]);
    // Both snapshots' row of the sleeping process, so the one read is the one changed.
    const sleeperRows = /( S +)0\.0( +0\.0 +0:00\.00 sleep 600)$/gm;
    expect(idle.match(sleeperRows)).toHaveLength(2);
    const busiestAt = (pct: string) => parseArtifact('top', idle.replace(sleeperRows, `$1${pct}$2`))['proc.top_cpu_pct'];
    // Just under and at the threshold.
    expect(busiestAt('4.9')).toBeUndefined();
    expect(busiestAt('5.0')).toBe(5);
  });

  it('top: warns when the busiest process\'s name is one top cut, and only then', () => {
    const warnings = (text: string, processNaming?: 'command_line') => {
      const told: unknown[] = [];
      parseArtifact('top', text, { warn: (warning) => told.push(warning), ...(processNaming && { processNaming }) });
      return told;
    };
    const cut = readArtifact('top', 'names-cut-without-c-w.txt');
    expect(warnings(cut)).toEqual([{ field: 'proc.top_name', message: '"checkout-+" is cut (top ends a name it cuts with \'+\'); top -b -n 2 -d 1 -c -w 512 shows whole command lines' }]);
    // A C++ compiler's own name is whole.
    expect(warnings(cut.replaceAll('checkout-+', 'g++'))).toEqual([]);
    // Cut in its arguments: the program is whole, the command line is not.
    const cutArguments = readArtifact('top', 'busiest-at-3-pct.txt')
      .replace(/(node -e setInterval).*$/gm, '$1(()=>{const e=Date.now()+6+')
      .replace(/ 3\.0( +0\.2 )/, ' 30.0$1');
    expect(warnings(cutArguments)).toEqual([]);
    expect(warnings(cutArguments, 'command_line')).toMatchObject([{ field: 'proc.top_name', message: expect.stringMatching(/^"node -e setInterval\(\(\)=>\{const e=Date.now\(\)\+6\+" is cut/) }]);
    // No process is named on an idle host, so no name is cut, although top cut the kernel threads' names.
    expect(warnings(cut.replace(/ R +(86\.7|56\.4) /g, ' S   0.0 '))).toEqual([]);
  });

  it('top: without an app pid there is no role for a user process, and no CPU count means no load per CPU', () => {
    const text = readArtifact('top', 'statx-storm-child-of-app.txt').replace(/^# (app_pid|nproc).*\n/gm, '');
    const facts = parseArtifact('top', text);
    expect(facts).not.toHaveProperty('proc.top_role');
    expect(facts).not.toHaveProperty('proc.app_pid');
    expect(facts).not.toHaveProperty('host.load_per_cpu');
  });

  it('top: only a bracketed name of at most 15 characters (the kernel cuts its threads\' names there) is a kernel thread; a longer bracketed command line is named by its program, its arguments kept only when asked', () => {
    const text = readArtifact('top', 'softirq-kernel-thread.txt').replace('[ksoftirqd/3]', '[sh -c mysql -pS3cret]');
    const facts = parseArtifact('top', text);
    expect(facts['proc.top_name']).toBe('[sh');
    expect(facts).not.toHaveProperty('proc.top_role');
    expect(parseArtifact('top', text, { processNaming: 'command_line' })['proc.top_name']).toBe('[sh -c mysql -pS3cret]');
    // NVIDIA's driver names its threads with spaces, cut to 15 characters by the kernel.
    const uvm = parseArtifact('top', readArtifact('top', 'softirq-kernel-thread.txt').replace('[ksoftirqd/3]', '[UVM global queu]'));
    expect([uvm['proc.top_name'], uvm['proc.top_role']]).toEqual(['UVM global queu', 'kernel_thread']);
  });

  it('ss-s: a headerless table counts as close-wait only when the command before it says so', () => {
    const text = readArtifact('ss-s', 'summary-and-close-wait.txt').replace('$ ss -tan state close-wait', '$ ss -tan state established');
    expect(parseArtifact('ss-s', text)).toEqual({ 'kernel.time_wait_count': 6 });
  });

  it('nginx-error: ties go to the first kind in the documented order, whatever the line order', () => {
    const refused = '2024/03/01 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.1';
    const timeout = '2024/03/01 10:00:01 [error] 1#1: *2 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 192.0.2.1';
    expect(parseArtifact('nginx-error', `${timeout}\n${refused}`)).toEqual({ 'proxy.upstream_error': 'connect_refused' });
    expect(parseArtifact('nginx-error', `${refused}\n${timeout}`)).toEqual({ 'proxy.upstream_error': 'connect_refused' });
  });

  it('nginx-error: the client closing early is client_closed, the upstream closing early is premature_close', () => {
    const line = (who: string) => `2024/03/01 10:00:00 [info] 1#1: *1 ${who} prematurely closed connection while reading upstream, client: 192.0.2.1, upstream: "http://10.0.0.2:80/"`;
    expect(parseArtifact('nginx-error', line('client'))).toEqual({ 'proxy.upstream_error': 'client_closed', 'backend.host': '10.0.0.2', 'backend.port': 80 });
    expect(parseArtifact('nginx-error', line('upstream'))).toEqual({ 'proxy.upstream_error': 'premature_close', 'backend.host': '10.0.0.2', 'backend.port': 80 });
  });
});

describe('facts only from text shaped like the tool output', () => {
  const STATE_HEADER = 'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process';

  it('netstat-s: a TcpExt: line over anything but counters is not recognised, never "no listen overflows"', () => {
    for (const text of ['TcpExt:\nfoo\n', 'TcpExt:\n    garbage here\n', 'TcpExt:\n    garbage here\nIpExt:\n', 'hello\nTcpExt:\n\n']) {
      expect(parseError('netstat-s', text).problems[0]).toEqual({
        field: 'artifact netstat-s',
        expected: 'output of `netstat -s` (Linux net-tools) with its Tcp: and TcpExt: sections',
        got: 'neither segment counters in a Tcp: section nor the listen-queue, reverse-path or checksum counters in a whole section',
      });
    }
  });

  it('netstat-s: a missing listen line means 0 only in a whole TcpExt section; a cut one leaves listen overflows unknown', () => {
    const text = readArtifact('netstat-s', 'quiet.txt');
    const cut = text.slice(0, text.indexOf('    Quick ack mode'));
    // The cut falls in TcpExt: the listen and reverse-path counters are unknown; the whole Tcp and Udp sections say no checksum errors.
    expect(parseArtifact('netstat-s', cut)).toEqual({ 'tcp.retransmit_pct': 0, 'kernel.csum_errors': false });
    expect(parseArtifact('netstat-s', 'TcpExt:\n    914 TCP sockets finished time wait in fast timer\nIpExt:\n')).toEqual({ 'kernel.listen_overflows': false, 'kernel.rp_filter_drops': false, 'tcp.reordering': false });
    const once = withWarnings('netstat-s', 'TcpExt:\n    3 SYNs to LISTEN sockets dropped\n');
    expect(once.facts).toEqual({});
    expect(once.warnings).toEqual([{ field: 'kernel.listen_overflows', message: expect.stringMatching(/^listen queue overflows \+ SYNs to LISTEN sockets dropped is 3 since boot in one run of netstat -s/) as unknown }]);
    // The first section is whole (another header follows): it says IPReversePathFilter is 0 since boot.
    expect(parseArtifact('netstat-s', 'TcpExt:\n    3 SYNs to LISTEN sockets dropped\nTcpExt:\n    5 SYNs to LISTEN sockets dropped\n')).toEqual({ 'kernel.listen_overflows': true, 'kernel.rp_filter_drops': false, 'tcp.reordering': false });
  });

  it('netstat-s: checksum errors sum Tcp and Udp run by run, in either spelling; one run above 0 says nothing; cut or misaligned sections add nothing', () => {
    const run = (tcp: string, udp: string) => `Tcp:\n    10 segments received\n    12 segments sent out\n${tcp}Udp:\n    2 packets received\n${udp}TcpExt:\n    1 packet headers predicted\nIpExt:\n`;
    // net-tools 2.10 prints "InCsumErrors: N" (no sentence of its own); later ones "N packets with invalid checksum" for UDP.
    expect(parseArtifact('netstat-s', run('', '    InCsumErrors: 2\n') + run('', '    7 packets with invalid checksum\n'))).toMatchObject({ 'kernel.csum_errors': true });
    expect(parseArtifact('netstat-s', run('    InCsumErrors: 4\n', '') + run('    InCsumErrors: 4\n', ''))).toMatchObject({ 'kernel.csum_errors': false });
    const once = withWarnings('netstat-s', run('    InCsumErrors: 4\n', ''));
    expect(once.facts['kernel.csum_errors']).toBeUndefined();
    expect(once.warnings).toEqual([{ field: 'kernel.csum_errors', message: 'InCsumErrors (Tcp + Udp) is 4 since boot in one run of netstat -s, which does not say whether it is rising: paste two runs a few seconds apart while the traffic fails (netstat -s; sleep 10; netstat -s)' }]);
    // Two Tcp sections and one Udp (the second run cut before it): only Tcp's counts are compared.
    expect(parseArtifact('netstat-s', run('', '    InCsumErrors: 9\n') + 'Tcp:\n    10 segments received\n    InCsumErrors: 1\nUdp:')).toMatchObject({ 'kernel.csum_errors': true });
    // A whole Tcp section without the segments netstat always prints is not its output: no 0 is read from it.
    expect(parseArtifact('netstat-s', 'Tcp:\n    12 segments sent out\nTcp:\n    12 segments sent out\n    InCsumErrors: 1\nIpExt:\n')).toEqual({});
    // A section cut at the end of the paste is not whole: a missing line there is unknown, not 0.
    expect(parseArtifact('netstat-s', 'Tcp:\n    12 segments sent out\n    3 segments retransmitted\n')).toEqual({ 'tcp.retransmit_pct': 20 });
    expect(parseArtifact('netstat-s', 'TcpExt:\n    IPReversePathFilter: 3\nIpExt:\nTcpExt:\n    IPReversePathFilter: 3\nIpExt:\n')).toEqual({ 'kernel.listen_overflows': false, 'kernel.rp_filter_drops': false, 'tcp.reordering': false });
    // Reordering the sender detected, in net-tools' sentences, summed over SACK, time stamps and reno, rising between runs.
    const reordered = (sack: number, ts: number) => `TcpExt:\n    Detected reordering ${sack} times using SACK\n    Detected reordering ${ts} times using time stamp\nIpExt:\n`;
    expect(parseArtifact('netstat-s', reordered(40, 2) + reordered(40, 9))).toMatchObject({ 'tcp.reordering': true });
    expect(parseArtifact('netstat-s', reordered(40, 2) + reordered(40, 2))).toMatchObject({ 'tcp.reordering': false });
  });

  it('curl-v: a refusal at ::1 is told only when no later connect succeeded (IPv4 answering after it is the fallback working)', () => {
    const refusedAtLoopback = '* connect to ::1 port 3000 failed: Connection refused\n* Failed to connect to localhost port 3000 after 0 ms: Couldn\'t connect to server\n';
    const refused = withWarnings('curl-v', refusedAtLoopback);
    expect(refused.facts).toEqual({ 'tcp.connect': 'refused' });
    expect(refused.warnings).toEqual([{ field: 'tcp.connect', message: expect.stringMatching(/^the refused connect went to ::1, the IPv6 loopback: a server listening on 127\.0\.0\.1 or 0\.0\.0\.0 \(IPv4 only\)/) as unknown }]);
    expect(withWarnings('curl-v', readArtifact('curl-v', 'ipv6-refused-ipv4-200.txt')).warnings).toEqual([]);
  });

  it('ss -i: the line under each socket is its own, not a row; only established connections say what was negotiated', () => {
    const info = (extra: string) => `\t cubic wscale:7,7 rto:204 rtt:12.5/3 mss:1448 cwnd:10 segs_out:400 segs_in:380 ${extra}`;
    const rows = [
      'ESTAB      0      0          10.0.0.1:41154    10.0.0.2:443',
      info('retrans:0/8'),
      'TIME-WAIT  0      0          10.0.0.1:41156    10.0.0.2:443',
      'ESTAB      0      0          10.0.0.1:41158    10.0.0.2:443',
      info('reordering:12'),
    ];
    // ss -tani lists every state: as ss-s, both ESTAB rows and the TIME-WAIT one count, past the info lines; as ss-i, the connections' lines.
    const tani = ['$ ss -tani dst 10.0.0.2', STATE_HEADER, ...rows].join('\n');
    expect(parseArtifact('ss-s', tani)).toEqual({ 'kernel.time_wait_count': 1, 'tcp.close_wait_count': 0 });
    expect(parseArtifact('ss-i', tani)).toEqual({ 'tcp.window_scale_missing': false, 'tcp.reordering': true, 'tcp.retransmit_pct': 1 });
    // A connection still in its handshake negotiated nothing yet: no wscale there is no strip, and the warning says so.
    const handshake = withWarnings('ss-i', [STATE_HEADER, 'SYN-SENT   0      1          10.0.0.1:41160    10.0.0.2:443', '\t cubic rto:1000 mss:524 cwnd:1 segs_out:3'].join('\n'));
    expect(handshake).toEqual({ facts: {}, warnings: [{ field: 'tcp.window_scale_missing', message: 'ss -i lists no established connection (one still in its handshake has negotiated nothing yet): run `ss -tni dst HOST` while a transfer is under way' }] });
    // A few segments say nothing of reordering, nor of a retransmit share.
    expect(parseArtifact('ss-i', ['$ ss -tni', STATE_HEADER, 'ESTAB      0      0          10.0.0.1:41154    10.0.0.2:443', '\t cubic wscale:7,7 rto:204 rtt:1/0.5 mss:1448 segs_out:9 segs_in:8'].join('\n'))).toEqual({
      'tcp.window_scale_missing': false,
    });
    // Without ss -i's lines it is not ss-i's output.
    expect(parseError('ss-i', [STATE_HEADER, rows[0]].join('\n')).problems[0]?.field).toBe('artifact ss-i');
  });

  it('ethtool-s: name: value lines are its output only under its header or as its allowance counters; a counter that fell says nothing', () => {
    // Another tool's "name: value" lines (a grep of ethtool -S without its header or an allowance counter) are not read as it.
    const refused = parseError('ethtool-s', '     rx_packets: 12\n     tx_packets: 3\n').problems[0];
    expect(refused?.field).toBe('artifact ethtool-s');
    expect(refused?.got).toBe('unrecognised text');
    // Under the header, an interface without the allowance counters: read, no fact.
    expect(withWarnings('ethtool-s', 'NIC statistics:\n     rx_packets: 12\n').facts).toEqual({});
    // A counter lower in the later run (the driver reloaded): no fact, and a warning says why.
    const fell = withWarnings('ethtool-s', '     pps_allowance_exceeded: 900\n     pps_allowance_exceeded: 12\n');
    expect(fell.facts).toEqual({});
    expect(fell.warnings).toEqual([{ field: 'host.pps_at_limit', message: 'pps_allowance_exceeded fell from 900 to 12 between the first and the last run (a reboot, or the runs out of order), which says nothing of a rise' }]);
  });

  it("thread-dump: only a lock's waiters count, not threads waiting for work; a few on one lock, or a lock state that is not the commonest, is no verdict", () => {
    const javaThread = (i: number, state: string, frames: string) => `"http-nio-8080-exec-${i}" #${i} daemon prio=5 os_prio=0 cpu=1.00ms elapsed=9.00s tid=0x${i} nid=0x${i} waiting on condition  [0x1]\n   java.lang.Thread.State: ${state}\n${frames}\n`;
    const parked = (sync: string) => `\tat jdk.internal.misc.Unsafe.park(java.base@17.0.19/Native Method)\n\t- parking to wait for  <0x000000069ec19528> (a ${sync})\n`;
    const dump = (n: number, frames: string) => Array.from({ length: n }, (_, i) => javaThread(i + 1, 'WAITING (parking)', frames)).join('\n');
    // Idle executor threads park on their queue's condition, a pool's borrowers on its queue: they wait for work, not for a lock.
    expect(parseArtifact('thread-dump', dump(12, parked('java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject')))).toEqual({ 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': false });
    expect(parseArtifact('thread-dump', dump(12, parked('java.util.concurrent.locks.ReentrantReadWriteLock$FairSync')))).toEqual({ 'app.runtime': 'jvm', 'app.threads_blocked_on_lock': true });
    // Monitors counted apart: 4 and 4 on two locks is no crowd on one.
    const monitor = (address: string) => '\t- waiting to lock <' + address + '> (a java.lang.Object)';
    const split = [...Array.from({ length: 4 }, (_, i) => javaThread(i, 'BLOCKED (on object monitor)', monitor('0xa'))), ...Array.from({ length: 4 }, (_, i) => javaThread(i + 4, 'BLOCKED (on object monitor)', monitor('0xb')))].join('\n');
    expect(withWarnings('thread-dump', split).facts).toEqual({ 'app.runtime': 'jvm' });
    // Go: a WaitGroup's waiters sit in semacquire too (Go 1.19), without a mutex's frame; Go 1.20 names a mutex wait sync.Mutex.Lock.
    const goroutine = (i: number, state: string, frames: string) => `goroutine ${i} [${state}]:\n${frames}\n`;
    const waitGroup = 'sync.runtime_Semacquire(0xc000012345?)\n\t/usr/lib/go/src/runtime/sema.go:62 +0x25\nsync.(*WaitGroup).Wait(0xc000012340?)\n\t/usr/lib/go/src/sync/waitgroup.go:139 +0x52\nmain.main()\n\t/src/main.go:20 +0x1d\n';
    const mutex = 'sync.runtime_SemacquireMutex(0x1?, 0x0?, 0x1?)\n\t/usr/lib/go/src/runtime/sema.go:77 +0x25\nsync.(*Mutex).lockSlow(0xc0000c44a0)\n\t/usr/lib/go/src/sync/mutex.go:171 +0x165\nsync.(*Mutex).Lock(...)\n\t/usr/lib/go/src/sync/mutex.go:90\nmain.(*store).put(0xc0000c44a0, 0x1)\n\t/src/store.go:30 +0x3a\n';
    const goroutines = (n: number, state: string, frames: string) => Array.from({ length: n }, (_, i) => goroutine(i + 1, state, frames)).join('\n');
    expect(parseArtifact('thread-dump', goroutines(30, 'semacquire', waitGroup))).toEqual({ 'app.runtime': 'go', 'app.threads_blocked_on_lock': false });
    expect(parseArtifact('thread-dump', goroutines(30, 'sync.Mutex.Lock, 2 minutes', mutex))).toEqual({ 'app.runtime': 'go', 'app.threads_blocked_on_lock': true });
    // Counted states: a lock state that is not the commonest is no crowd the dump stands out for; a list without one is false.
    expect(withWarnings('thread-dump', '    120 IO wait\n     12 semacquire\n      3 select\n').facts).toEqual({ 'app.runtime': 'go' });
    expect(parseArtifact('thread-dump', '    120 IO wait\n      3 select\n')).toEqual({ 'app.runtime': 'go', 'app.threads_blocked_on_lock': false });
    // Counts of anything else (a word that is no goroutine state) are not this output.
    expect(parseError('thread-dump', '    120 GET /\n      3 POST /login\n').problems[0]?.field).toBe('artifact thread-dump');
    expect(parseError('thread-dump', 'java.lang.Thread.State: BLOCKED\n\t- waiting to lock <0x1>\n').problems[0]?.field).toBe('artifact thread-dump');
  });

  it('tcpdump: packets only from its own lines; a payload cannot pass for one; what a capture cannot say is a warning', () => {
    const syn = (from: string, to: string, options: string) => `10:00:00.000001 IP ${from} > ${to}: Flags [S], seq 7, win 64240, options [${options}], length 0`;
    const synAck = (from: string, to: string, options: string) => `10:00:00.000002 IP ${from} > ${to}: Flags [S.], seq 9, ack 8, win 65160, options [${options}], length 0`;
    // -v's payload lines are indented by a tab, its TCP part by four spaces right under the IP header.
    const payload = '10:00:00.000003 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 40)\n\t10.0.0.2.80 > 10.0.0.1.40000: Flags [R], seq 1, win 0, length 0\n';
    expect(parseArtifact('tcpdump', `${syn('10.0.0.1.40000', '10.0.0.2.80', 'mss 1460')}\n${synAck('10.0.0.2.80', '10.0.0.1.40000', 'mss 1460')}\n${payload}`)).toEqual({ 'tcp.syn_retransmits': false, 'tcp.connect': 'ok' });
    // SYNs that offer no wscale say nothing of a strip: the client may not offer it.
    const bare = withWarnings('tcpdump', `${syn('10.0.0.1.40000', '10.0.0.2.80', 'mss 1460')}\n${synAck('10.0.0.2.80', '10.0.0.1.40000', 'mss 1460')}\n`);
    expect(bare.warnings).toEqual([{ field: 'tcp.window_scale_missing', message: 'the SYNs carry no window-scale option: the client does not offer it, or a box on the way took it out before this capture; capture on the client itself to tell' }]);
    // IPv6 (-v puts hlim on the packet's own line), -tttt's date; RSTs from both ends name no sender.
    const v6 = '2026-12-03 10:00:00.000001 IP6 (flowlabel 0x1, hlim 64, next-header TCP (6) payload length: 40) 2001:db8::1.40000 > 2001:db8::2.443: Flags [S], seq 1, win 1, options [mss 1440,wscale 7], length 0';
    const v6SynAck = '2026-12-03 10:00:00.000002 IP6 (flowlabel 0x2, hlim 64, next-header TCP (6) payload length: 40) 2001:db8::2.443 > 2001:db8::1.40000: Flags [S.], seq 5, ack 2, win 1, options [mss 1440,wscale 7], length 0';
    const rst = (from: string, to: string) => `2026-12-03 10:00:01.000000 IP6 (flowlabel 0x3, hlim 64, next-header TCP (6) payload length: 20) ${from} > ${to}: Flags [R], seq 2, win 0, length 0`;
    const both = withWarnings('tcpdump', [v6, v6SynAck, rst('2001:db8::2.443', '2001:db8::1.40000'), rst('2001:db8::1.40000', '2001:db8::2.443')].join('\n'));
    expect(both.facts).toEqual({ 'tcp.window_scale_missing': false, 'tcp.syn_retransmits': false, 'tcp.connect': 'ok', 'tcp.rst_seen': true, 'tcp.rst_ttl_mismatch': false });
    expect(both.warnings).toEqual([{ field: 'tcp.rst_from', message: 'the capture shows RSTs from both the server and the client side, so it gives no one sender' }]);
    // -i any on a bridge: one SYN captured on the pod's veth and on the uplink is not sent twice; the same interface twice is.
    const bridged = (device: string, time: string) => `10:00:0${time}.000001 ${device} In  IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 7, win 64240, options [mss 1460,wscale 7], length 0`;
    expect(parseArtifact('tcpdump', [bridged('veth1a2b', '0'), bridged('eth0', '0')].join('\n'))).toEqual({});
    expect(parseArtifact('tcpdump', [bridged('veth1a2b', '0'), bridged('eth0', '0'), bridged('veth1a2b', '1'), bridged('eth0', '1')].join('\n'))).toEqual({ 'tcp.syn_retransmits': true });
    // Data packets alone: read, but no fact, and the warning says what to capture.
    const data = withWarnings('tcpdump', '10:00:00.000001 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:80, ack 1, win 63, length 79\n');
    expect(data.facts).toEqual({});
    expect(data.warnings).toEqual([{ field: 'tcp.rst_seen', message: 'tcpdump shows 1 TCP packet but no handshake, RST, FIN or zero window, which gives no fact: capture from before the connection opens until it fails (tcpdump -nn -v -i any host HOST and port PORT)' }]);
    expect(parseError('tcpdump', 'IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 40)\n').problems[0]?.field).toBe('artifact tcpdump');
    // -e on a trunk port: the 802.1Q tags stand between the link-level header and the packet; a
    // tagged frame that is not IP (ARP) is no packet, and a tag missing its inner ethertype is no head.
    const tagged = (inner: string) => `10:00:00.000001 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q (0x8100), length 78: vlan 100, p 0, ${inner}`;
    const tcpSyn = '10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 7, win 64240, options [mss 1460,wscale 7], length 0';
    expect(parseArtifact('tcpdump', [tagged(`ethertype IPv4 (0x0800), ${tcpSyn}`), tagged(`ethertype IPv4 (0x0800), ${tcpSyn}`).replace('10:00:00', '10:00:01')].join('\n'))).toEqual({ 'tcp.syn_retransmits': true });
    expect(parseError('tcpdump', tagged('ethertype ARP (0x0806), Request who-has 10.0.0.2 tell 10.0.0.1, length 46')).problems[0]?.field).toBe('artifact tcpdump');
    expect(parseError('tcpdump', tagged(tcpSyn)).problems[0]?.field).toBe('artifact tcpdump');
  });

  it('ss-s: a count of sockets by state counts a state it does not name as none only when it lists every state (LISTEN) or, for CLOSE-WAIT, connected ones (ESTAB)', () => {
    const census = (...lines: string[]) => `$ ss -Htan | awk '{print $1}' | sort | uniq -c\n${lines.join('\n')}\n`;
    expect(parseArtifact('ss-s', census('      6 ESTAB', '      2 LISTEN'))).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0 });
    // Near misses: ss -tn (no -a) lists no TIME-WAIT or LISTEN sockets, so none listed is no count; a state filter's census, only its state.
    expect(parseArtifact('ss-s', census('      6 ESTAB', '     12 CLOSE-WAIT'))).toEqual({ 'tcp.close_wait_count': 12 });
    expect(parseArtifact('ss-s', census('     40 TIME-WAIT'))).toEqual({ 'kernel.time_wait_count': 40 });
    // Without -H, ss's header is counted as a state named State: skipped. A loop's later count is a later look: the first is read.
    expect(parseArtifact('ss-s', census('     12 CLOSE-WAIT', '      1 State', '      2 LISTEN', '', '     99 CLOSE-WAIT'))).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 12 });
    // Absences: UDP's census names no TCP state it counts; words that are no state, or counts past any socket table, are not a census.
    expect(parseError('ss-s', census('      4 UNCONN')).problems[0]?.field).toBe('artifact ss-s');
    expect(parseError('ss-s', 'hello 12\n12 apples\n').problems[0]?.field).toBe('artifact ss-s');
    expect(parseError('ss-s', `${'9'.repeat(12)} CLOSE-WAIT\n`).problems[0]?.field).toBe('artifact ss-s');
  });

  it('ss-s: text under a table header that is not rows of ss is not counted', () => {
    expect(parseError('ss-s', `${STATE_HEADER}\nhello world\nTIME-WAIT x y z w\n`).problems[0]?.field).toBe('artifact ss-s');
    expect(parseError('ss-s', '$ ss -tan state close-wait\nRecv-Q Send-Q Local Address:Port  Peer Address:Port Process\nnot a row\n').problems[0]?.field).toBe('artifact ss-s');
    // Rows end at a line that is not one, such as the shell prompt after a pasted command.
    expect(parseArtifact('ss-s', `${STATE_HEADER}\nTIME-WAIT  0      0          127.0.0.1:41154    127.0.0.1:18080\nroot@web1:~$ \n`)).toEqual({ 'kernel.time_wait_count': 1, 'tcp.close_wait_count': 0 });
    // A header with no rows is ss's answer when no socket matches.
    expect(parseArtifact('ss-s', `${STATE_HEADER}\n`)).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0 });
    expect(parseArtifact('ss-s', `${STATE_HEADER}\nTIME-WAIT  0      0          127.0.0.1:41154    127.0.0.1:18080\n`)).toEqual({ 'kernel.time_wait_count': 1, 'tcp.close_wait_count': 0 });
  });

  it('df: the fullest filesystem a service may write to, pseudo filesystems and snaps left out, the mount named when there are several', () => {
    const header = 'Filesystem      Size  Used Avail Use% Mounted on';
    const rows = ['udev            3.9G     0  3.9G   0% /dev', '/dev/loop3       56M   56M     0 100% /snap/core18/2829', 'overlay          20G   19G  1.0G  95% /var/lib/docker/overlay2/abc/merged', '/dev/sda1        50G   20G   30G  40% /'];
    expect(withWarnings('df', [header, ...rows].join('\n'))).toEqual({
      facts: { 'host.disk_used_pct': 95 },
      warnings: [{ field: 'host.disk_used_pct', message: 'the fullest of 2 filesystems is /var/lib/docker/overlay2/abc/merged (overlay, 95% used): check that the service writes there (df -h PATH shows the one a path is on)' }],
    });
    // A long device name on a line of its own (older coreutils), and a mount point with a space.
    expect(parseArtifact('df', `${header}\n/dev/mapper/vg0-a-very-long-logical-volume\n                 50G   48G  2.0G  97% /srv/my data\n`)).toEqual({ 'host.disk_used_pct': 97 });
    // BSD: Capacity and %iused on one row; the fuller counts.
    expect(parseArtifact('df', 'Filesystem     Size   Used  Avail Capacity iused ifree %iused  Mounted on\n/dev/disk3s5  460Gi  200Gi  240Gi    46%  3.1M  2.5G   99%   /System/Volumes/Data\n')).toEqual({ 'host.disk_used_pct': 99 });
    // Only pseudo filesystems, or rows that are not df's: refused.
    expect(parseError('df', `${header}\n${rows[0]}\n`).problems[0]?.field).toBe('artifact df');
    expect(parseError('df', `${header}\nhello 100% world\n`).problems[0]?.field).toBe('artifact df');
  });

  it('ss-s: a LISTEN row with Recv-Q above Send-Q is an accept queue full now, named in a warning; one alone whose queue stands at every look is a pool in full use', () => {
    expect(withWarnings('ss-s', readArtifact('ss-s', 'ltn-accept-queue-full.txt'))).toEqual({
      facts: { 'kernel.listen_overflows': true },
      warnings: [{ field: 'kernel.listen_overflows', message: "the accept queue is full on 10.195.0.2:8081 (Recv-Q 2 above its backlog 1): check that it is the service's port" }],
    });
    // Recv-Q equal to the backlog still has room (the kernel overflows above it), and in a table of all states too.
    const atBacklog = 'LISTEN     1      1            0.0.0.0:8000       0.0.0.0:*';
    const estab = 'ESTAB      0      0          192.0.2.1:8000    192.0.2.9:41154';
    expect(parseArtifact('ss-s', `${STATE_HEADER}\n${atBacklog.replace('LISTEN     1', 'LISTEN     2')}\n${estab}\n`)).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0, 'kernel.listen_overflows': true });
    // Full in any look of a loop is an overflow under way.
    expect(parseArtifact('ss-s', `${STATE_HEADER}\n${atBacklog}\n${STATE_HEADER}\n${atBacklog.replace('LISTEN     1', 'LISTEN     2')}\n`)).toEqual({ 'kernel.listen_overflows': true });
    // Connections waiting on one socket, 3 or more at every look: no worker drains the queue (lab
    // 202's two sync workers behind nginx, Recv-Q 32 of 128, in one look), in a table of all states too.
    expect(withWarnings('ss-s', readArtifact('ss-s', 'ltn-connections-waiting.txt'))).toEqual({
      facts: { 'proc.workers_busy_pct': 100 },
      warnings: [{ field: 'proc.workers_busy_pct', message: "connections wait to be accepted on 127.0.0.1:8081 (32), read as every worker of the service busy: check that it is the service's port" }],
    });
    const standing = (counts: number[], extra = '') => counts.map((n) => `${STATE_HEADER}\nLISTEN     ${n}      128          0.0.0.0:8000       0.0.0.0:*\n${extra}`).join('');
    expect(parseArtifact('ss-s', standing([32, 30, 35], `${estab}\n`))).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0, 'proc.workers_busy_pct': 100 });
    // Near misses: one or two waiting in one look (lab 208: 1 of a backlog of 5 at 1,000 connections
    // a second), whose warning names the loop that tells; a queue that drains between looks (lab 208's
    // 2, 1, 1 and 0, 2, 1, 5); one of 2 at every look.
    expect(withWarnings('ss-s', standing([1]))).toEqual({
      facts: {},
      warnings: [{ field: 'kernel.listen_overflows', message: 'no accept queue is full now; connections wait to be accepted on 0.0.0.0:8000 (1), too few to tell from connections that just arrived at a busy acceptor: run `for i in 1 2 3; do ss -ltn; sleep 1; done`, 3 or more at every look is no worker free' }],
    });
    expect(withWarnings('ss-s', standing([2, 1, 1]))).toEqual({
      facts: {},
      warnings: [{ field: 'kernel.listen_overflows', message: 'no accept queue is full now; connections wait to be accepted on 0.0.0.0:8000 (1), but not 3 or more at every look: the workers drain it' }],
    });
    expect(parseArtifact('ss-s', standing([0, 2, 1, 5]))).toEqual({});
    expect(parseArtifact('ss-s', standing([3, 2, 3]))).toEqual({});
    expect(parseArtifact('ss-s', `${STATE_HEADER}\n${atBacklog}\n${estab}\n`)).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0 });
    // Two sockets whose queues stand: which serves the ticket is unknown.
    const second = 'LISTEN     30     511          0.0.0.0:9000       0.0.0.0:*';
    expect(withWarnings('ss-s', standing([32, 30], `${second}\n`))).toEqual({
      facts: {},
      warnings: [{ field: 'kernel.listen_overflows', message: "no accept queue is full now; connections keep waiting to be accepted on 0.0.0.0:8000, 0.0.0.0:9000: the applications accept them slower than they come, their workers all busy or stalled (ss -ltn 'sport = :PORT' lists the service's socket alone)" }],
    });
    expect(parseArtifact('ss-s', `${STATE_HEADER}\n${atBacklog.replace('LISTEN     1', 'LISTEN     0')}\n${estab}\n`)).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0 });
    // Without the State column (a filtered table) the row is not known to be a listening socket.
    expect(parseArtifact('ss-s', `$ ss -tan state close-wait\nRecv-Q Send-Q Local Address:Port  Peer Address:Port Process\n5      1      192.0.2.1:8000    192.0.2.9:41154\n`)).toEqual({ 'tcp.close_wait_count': 1 });
  });

  it('ss-s: a table of listening sockets (ss -l) counts no TIME-WAIT or CLOSE-WAIT, since it shows no connection', () => {
    // No fact, and a warning that none is full (it may have been a moment ago).
    const listening = { facts: {}, warnings: [{ field: 'kernel.listen_overflows', message: 'no accept queue is full now and none has a connection waiting: that says nothing of overflows a moment ago (nstat -az TcpExtListenOverflows twice, seconds apart, counts them)' }] };
    // Without the command line, by its rows: listening TCP and unconnected UDP sockets only.
    const listen = 'LISTEN     0      511          0.0.0.0:8000       0.0.0.0:*';
    const unconn = 'UNCONN     0      0            0.0.0.0:5353       0.0.0.0:*';
    expect(withWarnings('ss-s', `${STATE_HEADER}\n${listen}\n${unconn}\n`)).toEqual(listening);
    // The command line says so even when no socket matched.
    expect(withWarnings('ss-s', `$ ss -lnt\n${STATE_HEADER}\n`)).toEqual(listening);
    expect(withWarnings('ss-s', `$ ss --listening -t\n${STATE_HEADER}\n`)).toEqual(listening);
    expect(withWarnings('ss-s', readArtifact('ss-s', 'listening.txt'))).toEqual(listening);
    // Near misses: one connection among them makes it a table of all states, counted; -a and -n are not -l.
    expect(parseArtifact('ss-s', `${STATE_HEADER}\n${listen}\nESTAB      0      0          192.0.2.1:8000    192.0.2.9:41154\n`)).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0 });
    expect(parseArtifact('ss-s', `$ ss -tan\n${STATE_HEADER}\n`)).toEqual({ 'kernel.time_wait_count': 0, 'tcp.close_wait_count': 0 });
    // ss -s beside it still gives its summary's count.
    expect(parseArtifact('ss-s', `TCP:   12 (estab 3, closed 4, orphaned 0, timewait 4)\n\n${readArtifact('ss-s', 'listening.txt')}`)).toEqual({ 'kernel.time_wait_count': 4 });
  });

  it('conntrack-s: a cpu= line with cells of another shape is not read, and without drop counters the table state is unknown', () => {
    expect(parseError('conntrack-s', 'cpu=0 hello insert_failed=0 drop=0 early_drop=0\n').problems[0]?.field).toBe('artifact conntrack-s');
    expect(parseArtifact('conntrack-s', 'cpu=0 insert_failed=0\n')).toEqual({ 'kernel.conntrack_insert_failed': false });
  });

  /** The facts and the warnings of one parse. */
  function withWarnings(kind: string, text: string): { facts: Record<string, unknown>; warnings: unknown[] } {
    const warnings: unknown[] = [];
    const facts = parseArtifact(kind, text, { warn: (warning) => warnings.push(warning) });
    return { facts, warnings };
  }

  it("host.cpu_softirq_pct is the busiest CPU's: a mean over several CPUs is not read (a warning names it), over one CPU it is", () => {
    // Two snapshots of the questions' command whose %Cpu(s) line shows 12.5 si: on 8 CPUs one core may be at 100.
    const top = readArtifact('top', 'question-command-nproc-busy-node.txt').replace(/\d+\.\d si/g, '12.5 si');
    const eight = withWarnings('top', top.replace(/# nproc: \d+/, '# nproc: 8'));
    expect(eight.facts).not.toHaveProperty('host.cpu_softirq_pct');
    expect(eight.warnings).toEqual([
      { field: 'host.cpu_softirq_pct', message: "not read: the %Cpu(s) line's si (12.5%) is the mean of 8 CPUs, and one CPU can drown in softirqs while the mean reads low; top -1 or mpstat -P ALL 1 5 shows each CPU's" },
    ]);
    expect(withWarnings('top', top.replace(/# nproc: \d+/, '# nproc: 1')).facts['host.cpu_softirq_pct']).toBe(12.5);
    // No softirq worth naming: nothing said.
    expect(withWarnings('top', readArtifact('top', 'question-command-busy-node.txt')).warnings).toEqual([]);
    // mpstat's "all" lines alike, by the header's CPU count; -P ALL's rows give the busiest.
    const mpstat = readArtifact('mpstat', 'interval.txt').replace(/(all(?:\s+[\d.]+){5}\s+)0\.00/g, '$17.50');
    const two = withWarnings('mpstat', mpstat);
    expect(two.facts).not.toHaveProperty('host.cpu_softirq_pct');
    expect(two.warnings).toEqual([
      { field: 'host.cpu_softirq_pct', message: 'not read: the "all" line\'s %soft (7.5%) is the mean of 2 CPUs, and one CPU can drown in softirqs while the mean reads low; mpstat -P ALL 1 5 shows each CPU\'s' },
    ]);
    expect(parseArtifact('mpstat', mpstat.replace('(2 CPU)', '(1 CPU)'))['host.cpu_softirq_pct']).toBe(7.5);
    expect(parseArtifact('mpstat', readArtifact('mpstat', 'softirq-one-cpu.txt'))['host.cpu_softirq_pct']).toBe(97);
  });

  it('conntrack-s: one run says insert_failed is rising only when it is 0 (false); above 0 it says nothing, and a warning asks for two runs', () => {
    expect(withWarnings('conntrack-s', readArtifact('conntrack-s', 'snat-insert-failed.txt'))).toEqual({
      facts: { 'kernel.conntrack_full': false },
      warnings: [{ field: 'kernel.conntrack_insert_failed', message: 'insert_failed is 2090 since boot in one run of conntrack -S, which does not say whether it is rising: paste two runs a minute apart (conntrack -S; sleep 60; conntrack -S)' }],
    });
    expect(withWarnings('conntrack-s', readArtifact('conntrack-s', 'quiet.txt')).warnings).toEqual([]);
  });

  it('nstat, netstat-s: listen overflows since boot rise only between runs; one run above 0 says nothing, with a warning; nstat without -a prints changes', () => {
    const nstat = (...runs: number[]) => runs.map((n) => `#kernel\nTcpExtListenOverflows           ${n}                  0.0\nTcpExtListenDrops               ${n}                  0.0\n`).join('');
    expect(parseArtifact('nstat', nstat(0))).toEqual({ 'kernel.listen_overflows': false });
    expect(parseArtifact('nstat', nstat(7, 7))).toEqual({ 'kernel.listen_overflows': false });
    expect(parseArtifact('nstat', nstat(7, 9))).toEqual({ 'kernel.listen_overflows': true });
    // Runs that lost their "#kernel" lines: a counter seen again starts the next.
    expect(parseArtifact('nstat', nstat(7, 9).replaceAll('#kernel\n', ''))).toEqual({ 'kernel.listen_overflows': true });
    const fell = withWarnings('nstat', `${nstat(9, 7)}TcpOutSegs 1000\nTcpRetransSegs 10\n`);
    expect(fell).toEqual({
      facts: { 'tcp.retransmit_pct': 0.99 },
      warnings: [{ field: 'kernel.listen_overflows', message: 'TcpExtListenOverflows + TcpExtListenDrops fell from 18 to 14 between the first and the last run (a reboot, or the runs out of order), which says nothing of a rise' }],
    });
    // nstat without -a prints the change since its own last run: above 0 is a rise; -a, -az or --ignore count since boot.
    expect(parseArtifact('nstat', `$ nstat -z TcpExtListenOverflows TcpExtListenDrops\n${nstat(3)}`)).toEqual({ 'kernel.listen_overflows': true });
    expect(parseArtifact('nstat', `root@web1:~# nstat\n${nstat(0)}`)).toEqual({ 'kernel.listen_overflows': false });
    for (const command of ['$ nstat -az', '$ nstat -a -z', '$ nstat --ignore']) {
      const once = withWarnings('nstat', `${command}\n${nstat(3)}`);
      expect(once.facts).toEqual({});
      expect(once.warnings).toEqual([{ field: 'kernel.listen_overflows', message: expect.stringMatching(/is 6 since boot in one run/) as unknown }]);
    }
    // The retransmit share: between the first and the last run once 100 segments were sent in between, else since boot.
    const segments = (out: number, retrans: number) => `#kernel\nTcpOutSegs ${out} 0.0\nTcpRetransSegs ${retrans} 0.0\n`;
    expect(parseArtifact('nstat', `${segments(100_000, 100)}${segments(100_900, 200)}`)).toEqual({ 'tcp.retransmit_pct': 10 });
    expect(parseArtifact('nstat', `${segments(100_000, 100)}${segments(100_050, 100)}`)).toEqual({ 'tcp.retransmit_pct': 0.1 });
  });

  it('nstat: counters none of which is read give no fact but a warning naming those read (never an error: it is nstat\'s output)', () => {
    expect(withWarnings('nstat', '#kernel\nTcpOutSegs 1000 0.0\nIpInReceives 5000 0.0\n')).toEqual({
      facts: {},
      warnings: [
        {
          field: 'tcp.retransmit_pct',
          message:
            'nstat lists TcpOutSegs, IpInReceives, which gives no fact: it reads TcpOutSegs and TcpRetransSegs (tcp.retransmit_pct), TcpExtListenOverflows and TcpExtListenDrops (kernel.listen_overflows), TcpExtIPReversePathFilter (kernel.rp_filter_drops), TcpInCsumErrors, UdpInCsumErrors, Udp6InCsumErrors (kernel.csum_errors), TcpExtTCPSACKReorder, TcpExtTCPTSReorder, TcpExtTCPRenoReorder (tcp.reordering), the retransmit share only with both of its counters (`nstat -az TcpOutSegs TcpRetransSegs TcpExtListenOverflows TcpExtListenDrops` prints them)',
        },
      ],
    });
    const many = Array.from({ length: 8 }, (_, i) => `TcpExtTCPAbortOn${['Data', 'Close', 'Memory', 'Timeout', 'Linger', 'Failed', 'X', 'Y'][i]} ${i} 0.0`).join('\n');
    expect((withWarnings('nstat', `#kernel\n${many}\n`).warnings[0] as Warning).message).toMatch(/^nstat lists TcpExtTCPAbortOnData, TcpExtTCPAbortOnClose, TcpExtTCPAbortOnMemory, TcpExtTCPAbortOnTimeout, TcpExtTCPAbortOnLinger, TcpExtTCPAbortOnFailed, \.\.\., which gives no fact/);
  });

  it('conntrack-s: runs compared first to last, a CPU number that does not rise starting the next; a count that fell says nothing', () => {
    const run = (insertFailed: number) => `cpu=0 insert_failed=${insertFailed} drop=${insertFailed} early_drop=0\ncpu=1 insert_failed=0 drop=0 early_drop=0\n`;
    expect(parseArtifact('conntrack-s', `${run(5)}$ sleep 60\n${run(5)}\n${run(9)}`)).toEqual({ 'kernel.conntrack_insert_failed': true, 'kernel.conntrack_full': false });
    expect(withWarnings('conntrack-s', `${run(9)}${run(5)}`)).toEqual({
      facts: { 'kernel.conntrack_full': false },
      warnings: [{ field: 'kernel.conntrack_insert_failed', message: 'insert_failed fell from 9 to 5 between the first and the last run (a reboot, or the runs out of order), which says nothing of a rise' }],
    });
    // The table's state is the last run's: early drops since boot mean it filled.
    expect(parseArtifact('conntrack-s', `${run(0)}cpu=0 insert_failed=0 drop=7 early_drop=3\n`)).toEqual({ 'kernel.conntrack_insert_failed': false, 'kernel.conntrack_full': true });
  });

  it('mtr: only numbered rows under a HOST: header are hops, and of two reports the last is read', () => {
    const header = 'HOST: web-01                      Loss%   Snt   Last   Avg  Best  Wrst StDev\n';
    const row = (hop: number, name: string, loss: string, avg: string) => `  ${hop}.|-- ${name.padEnd(25)} ${loss.padStart(5)}   100    0.1 ${avg.padStart(5)}   0.1   0.9   0.1\n`;
    const lossy = `${header}${row(1, '192.0.2.1', '0.0%', '0.1')}${row(2, '198.51.100.9', '12.0%', '9.8')}`;
    const clean = `${header}${row(1, '192.0.2.1', '0.0%', '0.2')}${row(2, '198.51.100.9', '0.0%', '9.7')}`;
    expect(parseArtifact('mtr', `${lossy}${clean}`)).toEqual({ 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 9.7, 'ping.rtt_max_ms': 0.9, 'ping.intermediate_loss_only': false });
    expect(parseArtifact('mtr', `${clean}${lossy}`)).toEqual({ 'ping.result': 'partial_loss', 'ping.loss_pct': 12, 'ping.rtt_avg_ms': 9.8, 'ping.rtt_max_ms': 0.9, 'ping.intermediate_loss_only': false });
    // A hop row before any header, or a header with no hop under it, is not a report.
    expect(parseError('mtr', row(1, '192.0.2.1', '0.0%', '0.1')).problems[0]?.got).toBe('unrecognised text');
    expect(parseError('mtr', `Start: 2026-12-01T09:12:40+0000\n${header}`).problems[0]?.got).toBe('a report header without hop rows');
    // A row without every column of the header (cut short) is no hop.
    expect(parseError('mtr', `${header}  1.|-- 192.0.2.1   0.0%   100\n`).problems[0]?.got).toBe('a report header without hop rows');
  });

  it('mtr: the columns are read by their titles, whatever -o chose; without Avg and Wrst the round trips are unknown', () => {
    const text = 'HOST: web-01   Snt  Loss%  Drop\n  1.|-- 192.0.2.1   100  30.0%    30\n  2.|-- 198.51.100.9   100  0.0%     0\n';
    expect(parseArtifact('mtr', text)).toEqual({ 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.intermediate_loss_only': true });
  });

  it("curl-w: exit 28 once connected is the client's own limit: no latency, a warning naming it (from errormsg, else time_total); before the connect, a connect timeout", () => {
    const line = (connect: string, total: string, message: string) => `http_code=000 time_connect=${connect} time_total=${total} exitcode=28${message === '' ? '' : ` errormsg=${message}`}\n`;
    expect(withWarnings('curl-w', line('0.000200', '10.001234', ''))).toEqual({ facts: { 'tcp.connect': 'ok', 'tcp.connect_ms': 0.2 }, warnings: [clientTimeLimit(10001, '')] });
    expect(withWarnings('curl-w', line('0.000200', '3.000500', 'Operation timed out after 3000 milliseconds with 512 out of 2048 bytes received'))).toEqual({
      facts: { 'tcp.connect': 'ok', 'tcp.connect_ms': 0.2 },
      warnings: [clientTimeLimit(3000, ' with 512 out of 2048 bytes received')],
    });
    expect(withWarnings('curl-w', line('0.000000', '5.001000', 'Connection timed out after 5001 milliseconds'))).toEqual({ facts: { 'tcp.connect': 'timeout' }, warnings: [] });
  });

  it('curl-w: a loop with requests late by different amounts gives no fixed delay, and says why', () => {
    expect(withWarnings('curl-w', readArtifact('curl-w', 'loop-sorted-by-total.txt')).warnings).toEqual([
      { field: 'http.fixed_delay_ms', message: 'the requests fall into 3 groups by time_total (30 at about 5 ms, 10 at about 47 ms, 10 at about 1008 ms): slow requests are late by different amounts, so no one fixed delay' },
    ]);
  });

  it('curl-w: every request of a loop failing is constant from five requests on; a loop without a late or failed request says nothing of it', () => {
    const line = (code: number, total: number) => `http_code=${code} time_total=${total}\n`;
    const failing = (n: number) => line(503, 0.01).repeat(n);
    expect(parseArtifact('curl-w', failing(5))).toMatchObject({ 'http.error_rate_pct': 100, 'symptom.intermittent': false });
    expect(parseArtifact('curl-w', failing(4))).not.toHaveProperty('symptom.intermittent');
    const even = [0.1, 0.12, 0.11, 0.13, 0.1].map((t) => line(200, t)).join('');
    expect(parseArtifact('curl-w', even)).not.toHaveProperty('symptom.intermittent');
    expect(parseArtifact('curl-w', even)).not.toHaveProperty('http.fixed_delay_ms');
  });

  it("curl-w: late requests spread wider than a timer's slack are late by no fixed amount, and a warning says so", () => {
    const line = (total: number) => `http_code=200 time_total=${total}\n`;
    const loop = (times: number[]) => withWarnings('curl-w', times.map(line).join(''));
    const ramp = loop([0.01, 0.01, 0.01, 1, 1.4, 1.9, 2.6]);
    expect(ramp.facts).toMatchObject({ 'symptom.intermittent': true });
    expect(ramp.facts).not.toHaveProperty('http.fixed_delay_ms');
    expect(ramp.warnings).toEqual([
      { field: 'http.fixed_delay_ms', message: "4 late requests take 1000 ms to 2600 ms, 3 fast ones about 10 ms: the late ones spread wider than a timer's slack (43 ms of their median), as retransmissions after loss or queueing do, so no one fixed delay" },
    ]);
    // The near miss: a SYN retransmitted after 1 s, the late ones as close as the fast ones plus a jiffy.
    const fixed = loop([0.01, 0.012, 0.011, 1.012, 1.013, 1.016, 1.021]);
    expect(fixed).toEqual({ facts: { 'http.status': 200, 'http.latency_ms': 1021, 'http.error_rate_pct': 0, 'symptom.intermittent': true, 'http.fixed_delay_ms': 1004 }, warnings: [] });
    // Linux's delayed ACK behind Nagle: 40 ms over requests of about 1 ms.
    const nagle = loop([0.0011, 0.0009, 0.0012, 0.0414, 0.0013, 0.0421, 0.001, 0.0418, 0.0409]);
    expect(nagle).toEqual({ facts: { 'http.status': 200, 'http.latency_ms': 42.1, 'http.error_rate_pct': 0, 'symptom.intermittent': true, 'http.fixed_delay_ms': 41 }, warnings: [] });
    // One stray in ten is let by; two strays in ten are a spread.
    const delayed = [0.002, 0.003, 0.002, 0.201, 0.202, 0.203, 0.204, 0.202, 0.201, 0.203, 0.202, 0.204];
    expect(loop([...delayed, 0.29, 0.205]).facts).toMatchObject({ 'http.fixed_delay_ms': 201 });
    expect(loop([...delayed, 0.29, 0.28]).facts).not.toHaveProperty('http.fixed_delay_ms');
  });

  it('curl-w: with no request fast beside the step up to the late ones, neither a fixed delay nor intermittence is read', () => {
    const line = (total: number) => `http_code=200 time_total=${total}\n`;
    const loop = (times: number[]) => withWarnings('curl-w', times.map(line).join(''));
    // 300 ms, then 800 ms to 1.2 s: the "fast" ones take as long as a third of the step.
    const slow = loop([0.3, 0.31, 0.29, 0.3, 1.1, 1.12, 1.11]);
    expect(slow.facts).not.toHaveProperty('http.fixed_delay_ms');
    expect(slow.facts).not.toHaveProperty('symptom.intermittent');
    expect(slow.warnings).toHaveLength(1);
    // The near miss: the same step over requests of 100 ms, a third of it or less.
    expect(loop([0.1, 0.11, 0.09, 0.1, 0.91, 0.92, 0.91]).facts).toMatchObject({ 'symptom.intermittent': true, 'http.fixed_delay_ms': 810 });
    // Failures among slow answers still come and go.
    expect(withWarnings('curl-w', `${[0.3, 0.31, 1.1, 1.12].map(line).join('')}http_code=000 time_total=0.001\n`).facts).toMatchObject({ 'symptom.intermittent': true });
  });

  it('pidstat: an idle process gives its CPU and, with a warning, no split; a busy one gives both without', () => {
    expect(withWarnings('pidstat', readArtifact('pidstat', 'idle-process.txt'))).toEqual({
      facts: { 'proc.app_pid': 24092, 'proc.app_cpu_pct': 0 },
      warnings: [{ field: 'proc.app_sys_share_pct', message: 'the process used 0% of a CPU, too little to tell its own code from the kernel; run pidstat -u -p PID 1 5 while it is busy' }],
    });
    expect(withWarnings('pidstat', readArtifact('pidstat', 'stat-storm.txt')).warnings).toEqual([]);
    // Just under and at 5% of a CPU: a split of 4.8 is noise, of 5 it is read.
    const row = (usr: string, system: string) => `12:00:00 UID PID %usr %system %guest %wait %CPU CPU Command\nAverage: 0 42 ${usr} ${system} 0.00 0.00 ${(Number(usr) + Number(system)).toFixed(2)} - app\n`;
    expect(parseArtifact('pidstat', row('4.00', '0.80'))).toStrictEqual({ 'proc.app_pid': 42, 'proc.app_cpu_pct': 4.8 });
    expect(parseArtifact('pidstat', row('4.00', '1.00'))).toStrictEqual({ 'proc.app_pid': 42, 'proc.app_cpu_pct': 5, 'proc.app_sys_share_pct': 20 });
  });

  it('pidstat: the rows of several processes name none the application, so they are refused with the command that shows one', () => {
    const two = 'Average: UID PID %usr %system %guest %wait %CPU CPU Command\nAverage: 0 41 50.00 10.00 0.00 0.00 60.00 - app\nAverage: 0 42 5.00 45.00 0.00 0.00 50.00 - agent\n';
    expect(parseError('pidstat', two).problems[0]?.got).toBe("the rows of 2 processes, none of them named the application's: run pidstat -u -p APP_PID 1 5");
  });

  it('cpu-stat: cpu.max alone gives the limit; v1 numbers count only under the command line naming their files, in its order', () => {
    expect(withWarnings('cpu-stat', '250000 100000\n')).toEqual({ facts: { 'cgroup.cpu_limit_cores': 2.5 }, warnings: [] });
    // The period first on the command line: the numbers follow its order.
    expect(parseArtifact('cpu-stat', '# cat cpu.cfs_period_us cpu.cfs_quota_us\n100000\n20000\n')).toEqual({ 'cgroup.cpu_limit_cores': 0.2 });
    // A quota or period the kernel would refuse (period under 1 ms or over 1 s, quota under 1 ms) is no cpu.max line.
    expect(parseError('cpu-stat', '500 100000\n').problems[0]?.field).toBe('artifact cpu-stat');
    expect(parseError('cpu-stat', '50000 2000000\n').problems[0]?.field).toBe('artifact cpu-stat');
    // Bare numbers with no command line: which is the quota is not said.
    expect(withWarnings('cpu-stat', '10000\n100000\nnr_periods 50\nnr_throttled 0\n')).toEqual({
      facts: { 'cgroup.cpu_throttled_pct': 0 },
      warnings: [{ field: 'cgroup.cpu_limit_cores', message: 'bare numbers under no command line naming cpu.cfs_quota_us and cpu.cfs_period_us: which is the quota cannot be told; paste the command line with them, or cat cpu.max' }],
    });
  });

  it('cpu-stat: two readings too close together, or counters that fell, give no share, with the reason', () => {
    const readings = (a: [number, number], b: [number, number]) => `nr_periods ${a[0]}\nnr_throttled ${a[1]}\nnr_periods ${b[0]}\nnr_throttled ${b[1]}\n`;
    expect(withWarnings('cpu-stat', readings([100, 10], [109, 19]))).toEqual({
      facts: {},
      warnings: [{ field: 'cgroup.cpu_throttled_pct', message: 'only 9 CFS periods between the readings: the group hardly ran, or has no quota of its own; read the counters further apart while the problem happens (cat /sys/fs/cgroup/cpu.stat; sleep 10; cat /sys/fs/cgroup/cpu.stat (v1: /sys/fs/cgroup/cpu,cpuacct/cpu.stat))' }],
    });
    expect(withWarnings('cpu-stat', readings([100, 10], [110, 19]))).toEqual({ facts: { 'cgroup.cpu_throttled_pct': 90 }, warnings: [] });
    expect(withWarnings('cpu-stat', readings([500, 40], [20, 2]))).toEqual({
      facts: {},
      warnings: [{ field: 'cgroup.cpu_throttled_pct', message: 'the counters fell between the first and the last reading (nr_periods 500 to 20): the cgroup was created again, or the readings are out of order' }],
    });
    // No quota of its own: 0 while nr_throttled does not rise; a count left from a former quota in one reading is the share since creation, as with a quota.
    expect(withWarnings('cpu-stat', `max 100000\n${readings([0, 0], [0, 0])}`).facts).toEqual({ 'cgroup.cpu_throttled_pct': 0 });
    expect(withWarnings('cpu-stat', `max 100000\n${readings([400, 40], [400, 40])}`).facts).toEqual({ 'cgroup.cpu_throttled_pct': 0 });
    expect(withWarnings('cpu-stat', 'max 100000\nnr_periods 400\nnr_throttled 40\n').facts).toEqual({ 'cgroup.cpu_throttled_pct': 10 });
    // One reading never throttled says so without a warning: 0 since creation is 0 now.
    expect(withWarnings('cpu-stat', 'nr_periods 5000\nnr_throttled 0\nthrottled_time 0\n')).toEqual({ facts: { 'cgroup.cpu_throttled_pct': 0 }, warnings: [] });
  });

  it('cgroup-memory: v1\'s unlimited is no limit; counters that fell or bare numbers under no file name give nothing, with the reason', () => {
    const v1 = (limit: string, usage: number, failcnt: number) => `$ cat memory.limit_in_bytes memory.usage_in_bytes memory.failcnt\n${limit}\n${usage}\n${failcnt}\ninactive_file 1000\nactive_file 10\n`;
    expect(parseArtifact('cgroup-memory', v1('9223372036854771712', 5000, 0) + v1('9223372036854771712', 5000, 0))).toEqual({ 'cgroup.memory_reclaiming_at_limit': false });
    expect(withWarnings('cgroup-memory', v1('10000', 9000, 50) + v1('10000', 9000, 7))).toEqual({
      facts: { 'cgroup.memory_working_set_pct': 80 },
      warnings: [{ field: 'cgroup.memory_reclaiming_at_limit', message: 'the limit counters fell between the readings (50 to 7): the group was created again, or the readings are out of order' }],
    });
    expect(withWarnings('cgroup-memory', '67108864\n67088384\ninactive_file 1\nactive_file 1\n')).toEqual({
      facts: {},
      warnings: [{ field: 'cgroup.memory_working_set_pct', message: 'bare numbers under no command line or ==> FILE <== header naming memory.max, memory.current (v1 limit_in_bytes, usage_in_bytes, failcnt): which is which cannot be told; paste them with the command that printed them (cd /sys/fs/cgroup; for i in 1 2; do head -n 100 memory.max memory.current memory.events memory.stat; sleep 5; done (v1: cd /sys/fs/cgroup/memory/GROUP; head -n 100 memory.limit_in_bytes memory.usage_in_bytes memory.failcnt memory.stat, twice))' }],
    });
    expect(parseError('cgroup-memory', '67108864\n').problems[0]?.field).toBe('artifact cgroup-memory');
  });

  it('psi: a block under no file name is not told as any resource; a file name without a path is a group\'s', () => {
    expect(withWarnings('psi', '$ cat /proc/pressure/*\nsome avg10=5.00 avg60=1.00 avg300=0.50 total=10\nfull avg10=1.00 avg60=0.00 avg300=0.00 total=2\n')).toEqual({
      facts: {},
      warnings: [{ field: 'psi.memory_some_pct', message: "1 pressure block under no file name: whether each is CPU, memory or IO, the host's or a group's, cannot be told; paste them as head prints them (head /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io (a container's own: head /sys/fs/cgroup/cpu.pressure /sys/fs/cgroup/memory.pressure /sys/fs/cgroup/io.pressure))" }],
    });
    expect(parseArtifact('psi', "# cat 'io.pressure';\nsome avg10=12.50 avg60=1.00 avg300=0.50 total=10\n")).toEqual({ 'psi.io_some_pct': 12.5 });
    expect(parseError('psi', 'some avg10=1 avg60=1 avg300=1 total=1\n').problems[0]?.field).toBe('artifact psi');
  });

  it('fd-count: the last count of ls over the soft limit; none for unlimited, a bare 0 or a missing half, each with what to run; over the limit reads 100', () => {
    const limit = (soft: string, hard = soft) => `Max open files            ${soft.padEnd(20)} ${hard.padEnd(20)} files     `;
    const lsOf = (pid: number) => `$ ls /proc/${pid}/fd | wc -l; grep 'open files' /proc/${pid}/limits`;
    // Three counts of a leak (a loop), BSD's padded wc, a hard limit above the soft: the last count over the soft one.
    expect(withWarnings('fd-count', `${lsOf(7)}\n1000\n1010\n     1020\n${limit('1024', '524288')}\n`)).toEqual({ facts: { 'proc.fd_used_pct': 99.61 }, warnings: [] });
    // lsof's count first, then ls's: ls's is read, whatever the order.
    expect(withWarnings('fd-count', `$ lsof -p 7 | wc -l\n400\n${lsOf(7)}\n300\n${limit('1024')}\n`)).toEqual({ facts: { 'proc.fd_used_pct': 29.3 }, warnings: [] });
    expect(withWarnings('fd-count', `${lsOf(7)}\n300\n$ lsof -p 7 | wc -l\n400\n${limit('1024')}\n`)).toEqual({ facts: { 'proc.fd_used_pct': 29.3 }, warnings: [] });
    expect(withWarnings('fd-count', `${lsOf(7)}\n512\n${limit('unlimited')}\n`)).toEqual({
      facts: {},
      warnings: [{ field: 'proc.fd_used_pct', message: 'the soft "Max open files" limit is unlimited: no share of it is used, so proc.fd_used_pct stays unknown' }],
    });
    // No ls error pasted (stderr went to the terminal), but a 0 all the same.
    expect(withWarnings('fd-count', `0\n${limit('1024')}\n`)).toEqual({
      facts: {},
      warnings: [
        {
          field: 'proc.fd_used_pct',
          message: "a count of 0, and a running process holds descriptors (its standard ones at least): ls could not list /proc/PID/fd; only the process's own user and root may, so proc.fd_used_pct stays unknown: run sudo ls /proc/PID/fd | wc -l",
        },
      ],
    });
    expect(withWarnings('fd-count', `${lsOf(42)}\n255\n`)).toEqual({
      facts: {},
      warnings: [{ field: 'proc.fd_used_pct', message: `no "Max open files" line of /proc/42/limits, so proc.fd_used_pct stays unknown: run grep 'open files' /proc/42/limits` }],
    });
    // cat /proc/PID/limits alone: the limit, no count.
    expect(withWarnings('fd-count', readArtifact('fd-count', 'bash-own-no-command-line.txt').replace(/^6\n/, 'Limit                     Soft Limit           Hard Limit           Units     \n'))).toEqual({
      facts: {},
      warnings: [{ field: 'proc.fd_used_pct', message: "no count of open descriptors (wc -l's number on a line of its own), so proc.fd_used_pct stays unknown: run ls /proc/PID/fd | wc -l" }],
    });
    // The limit lowered under descriptors already open (prlimit --nofile=100).
    expect(withWarnings('fd-count', `${lsOf(7)}\n150\n${limit('100', '4096')}\n`)).toEqual({
      facts: { 'proc.fd_used_pct': 100 },
      warnings: [{ field: 'proc.fd_used_pct', message: '150 descriptors open over a soft limit of 100 (it was lowered after they were opened, by prlimit or the process itself): read as 100' }],
    });
    // A bare count is no tool's output, unless the interview's question printed the command; a limits line of other words is none.
    expect(parseError('fd-count', '255\n').problems[0]).toEqual({ field: 'artifact fd-count', expected: expect.stringContaining('ls /proc/PID/fd | wc -l'), got: 'unrecognised text' });
    expect(parseArtifact('fd-count', '255\n', { command: "ls /proc/31103/fd | wc -l; grep 'open files' /proc/31103/limits" })).toEqual({});
    expect(parseError('fd-count', `255\n${limit('256')} seconds\n`).problems[0]?.field).toBe('artifact fd-count');
    expect(detectKinds(`${lsOf(7)}\n255\n${limit('256')}\n`)).toEqual(['fd-count']);
    expect(detectKinds('$ lsof -p 7 | wc -l\n81\n')).toEqual(['fd-count']);
    expect(detectKinds('255\n')).toEqual([]);
  });

  it('cpu-stat: a cpu.stat without the bandwidth counters (the controller off, the root group) gives nothing, with what to read instead', () => {
    expect(withWarnings('cpu-stat', 'usage_usec 29534026399\nuser_usec 25534509734\nsystem_usec 3999516664\n')).toEqual({
      facts: {},
      warnings: [{ field: 'cgroup.cpu_throttled_pct', message: "cpu.stat has no nr_periods / nr_throttled: the cpu controller is not enabled for this group (or it is the root group); read the container's own group (cat /sys/fs/cgroup/cpu.stat; sleep 5; cat /sys/fs/cgroup/cpu.stat (v1: /sys/fs/cgroup/cpu,cpuacct/cpu.stat))" }],
    });
  });

  it('pidstat: a locale\'s decimal comma, -l\'s command line with spaces, and sysstat 8\'s %user read as pidstat prints them', () => {
    const comma = '12:00:00 UID PID %usr %system %guest %wait %CPU CPU Command\nAverage: 0 42 61,00 38,00 0,00 0,00 99,00 - node\n';
    expect(parseArtifact('pidstat', comma)).toStrictEqual({ 'proc.app_pid': 42, 'proc.app_cpu_pct': 99, 'proc.app_sys_share_pct': 38.38 });
    const longCommand = '12:00:00 UID PID %usr %system %guest %wait %CPU CPU Command\nAverage: 0 42 61.00 38.00 0.00 0.00 99.00 - /usr/bin/node /srv/api/server.js --port 8080\n';
    expect(parseArtifact('pidstat', longCommand)).toStrictEqual({ 'proc.app_pid': 42, 'proc.app_cpu_pct': 99, 'proc.app_sys_share_pct': 38.38 });
    const sysstat8 = '12:00:00 PID %user %system %CPU CPU Command\n12:00:01 42 60.00 40.00 100.00 1 php-fpm\n12:00:02 42 62.00 38.00 100.00 1 php-fpm\n';
    expect(parseArtifact('pidstat', sysstat8)).toStrictEqual({ 'proc.app_pid': 42, 'proc.app_cpu_pct': 100, 'proc.app_sys_share_pct': 39 });
  });

  it('pidstat: a row short of its header\'s columns, a pid that is no number, or a header without %CPU or Command is no sample', () => {
    const header = '12:00:00 UID PID %usr %system %guest %wait %CPU CPU Command\n';
    expect(parseError('pidstat', `${header}Average: 0 42 61.00 38.00 99.00\n`).problems[0]?.got).toBe('a header without a row of a process (pidstat prints none for a pid that is gone)');
    expect(parseError('pidstat', `${header}Average: 0 x 61.00 38.00 0.00 0.00 99.00 - app\n`).problems[0]?.field).toBe('artifact pidstat');
    expect(parseError('pidstat', '12:00:00 UID PID %usr %system Command\nAverage: 0 42 61.00 38.00 app\n').problems[0]?.got).toBe('unrecognised text');
  });

  it('mpstat: an "all" line without a number under every % column is not a sample', () => {
    expect(parseError('mpstat', '12:00:00 CPU %usr %idle\n12:00:01 all x y\n12:00:02 all x y\n').problems[0]?.field).toBe('artifact mpstat');
    expect(parseArtifact('mpstat', '12:00:00 CPU %usr %idle\nAverage: all 25.00 75.00\n')).toStrictEqual({ 'host.cpu_pct': 25 });
  });

  it('top and ping: a value that is not a number ("1.1.1") is not read, instead of becoming NaN', () => {
    expect(parseError('top', 'top - 12:00:00 up 1 min\n%Cpu(s): 1.1.1 id,  2.0 us\n').problems[0]?.got).toBe('a "top -" header without %Cpu lines, memory lines or a process table');
    expect(parseArtifact('ping', '2 packets transmitted, 2 received, 0% packet loss\nrtt min/avg/max/mdev = 1.0/1.1.1/2.2.2/0 ms\n')).toStrictEqual({ 'ping.result': 'ok', 'ping.loss_pct': 0 });
  });

  const FREE_HEADER = '               total        used        free      shared  buff/cache   available';
  const freeGot = (text: string) => parseError('free', text).problems[0]?.got;

  it('free: a Mem: row that is not sizes under every column it needs is refused, never NaN', () => {
    expect(freeGot(`${FREE_HEADER}\nMem: x y z w v u\n`)).toBe('a Mem: row whose total is not a size above 0');
    expect(freeGot(`${FREE_HEADER}\nMem: 0 0 0 0 0 0\n`)).toBe('a Mem: row whose total is not a size above 0');
    expect(freeGot(`${FREE_HEADER}\nMem: ${'9'.repeat(400)} 1 1 0 0 1\n`)).toBe('a Mem: row whose total is not a size above 0');
    expect(freeGot(`${FREE_HEADER}\nMem: 1.2.3 1 1 0 0 1\n`)).toBe('a Mem: row whose total is not a size above 0');
    expect(freeGot(`${FREE_HEADER}\nMem: 1e5 1 1 0 0 1\n`)).toBe('a Mem: row whose total is not a size above 0');
    expect(freeGot(`${FREE_HEADER}\nMem: 100 50 50 0 0 -5\n`)).toBe('a Mem: row without a size for the available memory');
    expect(freeGot(`${FREE_HEADER}\nMem: 100Gi 50Gi 50Gi 0B 0B 12Xi\n`)).toBe('a Mem: row without a size for the available memory');
    expect(freeGot(`${FREE_HEADER}\nMem: 100 0 100 0 0 150\n`)).toBe('a Mem: row with more memory available than in total');
    // Cells that do not line up with the header's columns are not guessed at.
    expect(freeGot(`${FREE_HEADER}\nMem: 100 50 50\n`)).toBe('a Mem: row of 3 cells under a header of 6 columns');
    expect(freeGot(`${FREE_HEADER}\nMem: 100 50 50 0 0 40 7\n`)).toBe('a Mem: row of 7 cells under a header of 6 columns');
    // A -/+ line present but unreadable is not replaced by the available column's 0.
    const kernel = readArtifact('free', 'busybox-kernel-before-3.14.txt').replace('67560', '67,5,60');
    expect(freeGot(kernel)).toBe('a Mem: row without a size for the available memory');
  });

  it('free: a Mem: row without the header, or only Swap:, Low:, High: and Total: rows, is not free\'s reading', () => {
    expect(freeGot('Mem:        24683620      665004    18974544        8952     5382336    24018616\n')).toBe('unrecognised text');
    expect(freeGot(`${FREE_HEADER}\nSwap:           2047        1890         157\nTotal:         24105         649       18529\nLow:        24683620     5709076    18974544\n`)).toBe('unrecognised text');
    // top's memory lines say "Mem :" under no free header.
    expect(freeGot('MiB Mem :  24105.6 total,  18026.0 free,   1132.0 used,   5276.0 buff/cache\nMiB Swap:      0.0 total,      0.0 free,      0.0 used.  22972.0 avail Mem\n')).toBe('unrecognised text');
    // A header of other names (vmstat's has free too) is not free's.
    expect(freeGot(' r  b   swpd   free   buff  cache   si   so\nMem: 1 1 1 1 1 1 1 1\n')).toBe('unrecognised text');
  });

  it('free: without an available column or a -/+ line, available is free + buffers + cached', () => {
    const noBuffersCacheLine = readArtifact('free', 'procps-3.3.9-buffers-cache.txt').replace(/^-\/\+.*\n/m, '');
    expect(parseArtifact('free', noBuffersCacheLine)).toEqual({ 'host.mem_available_pct': 54.74 });
    // busybox's oldest form (its usage example): no cached column, indented labels, a Total: row; (8904 + 93124) / 257628.
    const oldest = '              total         used         free       shared      buffers\n  Mem:       257628       248724         8904        59644        93124\n Swap:       128516         8404       120112\nTotal:       386144       257128       129016\n';
    expect(parseArtifact('free', oldest)).toEqual({ 'host.mem_available_pct': 39.6 });
    expect(detectKinds(oldest)).toEqual(['free']);
  });

  it('free: of -s/-c blocks the last whole one, each -/+ line with the Mem: row above it', () => {
    const blocks = readArtifact('free', 'procps-s1-c2-m.txt');
    expect(parseArtifact('free', `${blocks}\n${FREE_HEADER}\n`)).toEqual({ 'host.mem_available_pct': 97.34 });
    expect(parseArtifact('free', blocks.slice(0, blocks.indexOf('\n\n')))).toEqual({ 'host.mem_available_pct': 97.3 });
    const old = readArtifact('free', 'procps-3.3.9-buffers-cache.txt');
    const current = readArtifact('free', 'procps-m.txt');
    expect(parseArtifact('free', `${old}\n${current}`)).toEqual({ 'host.mem_available_pct': 97.3 });
    expect(parseArtifact('free', `${current}\n${old}`)).toEqual({ 'host.mem_available_pct': 54.74 });
  });

  it('free: -h sizes in different units, with a decimal point or comma, are compared in one unit', () => {
    // 512Mi of 1.9Gi.
    expect(parseArtifact('free', `${FREE_HEADER}\nMem: 1,9Gi 1,2Gi 100Mi 0B 400Mi 512Mi\n`)).toEqual({ 'host.mem_available_pct': 26.32 });
    expect(parseArtifact('free', `${FREE_HEADER}\nMem: 1.9Gi 1.2Gi 100Mi 0B 400Mi 512Mi\n`)).toEqual({ 'host.mem_available_pct': 26.32 });
    // Older procps-ng's and busybox's letters are powers of 1024 too: 1536G of 2T.
    expect(parseArtifact('free', `${FREE_HEADER}\nMem: 2T 1T 1T 0B 1T 1536G\n`)).toEqual({ 'host.mem_available_pct': 75 });
    expect(parseArtifact('free', `${FREE_HEADER}\nMem: 1Pi 1Ti 1Ti 0B 1Ti 512Ti\n`)).toEqual({ 'host.mem_available_pct': 50 });
  });

  it('free: a paste indented as a ticket quotes it, with CRLF line ends, reads as free printed it', () => {
    const text = readArtifact('free', 'procps-3.3.9-buffers-cache.txt').replace(/^(.*)$/gm, '    $1  ').replace(/\n/g, '\r\n');
    expect(parseArtifact('free', text)).toEqual({ 'host.mem_available_pct': 54.74 });
    expect(detectKinds(text)).toEqual(['free']);
  });

  it('jstat: the interval comes from -t, a "# interval_ms:" line or the pasted command, and only without them is 1000 ms assumed, with a warning', () => {
    const read = (text: string) => {
      const warnings: unknown[] = [];
      return { facts: parseArtifact('jstat', text, { warn: (warning) => warnings.push(warning) }), warnings };
    };
    const lab = readArtifact('jstat', 'lab-serial-thrashing.txt');
    expect(read(lab)).toEqual({
      facts: { 'app.gc_time_pct': 35.65 },
      warnings: [{ field: 'app.gc_time_pct', message: `jstat's output does not say how far apart its samples are: took 1000 ms, as in jstat -gcutil PID 1000 10; jstat -gcutil -t PID 1000 10 prints the timestamps (or add a line "# interval_ms: N")` }],
    });
    expect(read(`# interval_ms: 2000\n${lab}`)).toEqual({ facts: { 'app.gc_time_pct': 17.82 }, warnings: [] });
    expect(read(`$ jstat -gcutil -h10 19298 2s 5\n${lab}`)).toEqual({ facts: { 'app.gc_time_pct': 17.82 }, warnings: [] });
    expect(read(`$ jstat -gcutil 19298 500ms 5\n${lab}`)).toEqual({ facts: { 'app.gc_time_pct': 71.3 }, warnings: [] });
  });

  it('jstat: samples that cannot give a share are refused, saying why', () => {
    const healthy = readArtifact('jstat', 't-g1-healthy.txt');
    const rows = healthy.split('\n');
    // The same timestamp twice: no time passed.
    expect(parseError('jstat', [rows[0], rows[1], rows[1]].join('\n')).problems[0]?.got).toBe('timestamps that do not rise (3.1 to 3.1 s)');
    // The last sample before the first: another JVM, or pasted out of order.
    expect(parseError('jstat', [rows[0], rows[10], rows[1]].join('\n')).problems[0]?.got).toBe('GCT falling from 0.007 to 0.002 s between the first and the last sample (another JVM, or samples out of order)');
    expect(parseError('jstat', rows[0] ?? '').problems[0]?.got).toBe('a header without samples');
  });

  it('gc-log: a log a restarted JVM appended to is read from the restart', () => {
    const lab = readArtifact('gc-log', 'lab-serial-thrashing.txt');
    const healthy = readArtifact('gc-log', 'g1-healthy-gcstar.txt');
    expect(parseArtifact('gc-log', `${lab}${healthy}`)).toEqual({ 'app.gc_pause_ms': 5.56, 'app.gc_time_pct': 0.3 });
    expect(parseArtifact('gc-log', `${healthy}${lab}`)).toEqual({ 'app.gc_pause_ms': 20.774, 'app.gc_time_pct': 30.41 });
  });

  it("gc-log: an Elasticsearch node's log is told by its GC monitor's lines; beside a JVM GC log, the log's own pauses are read", () => {
    const node = readArtifact('gc-log', 'es7-monitor-old-49s.txt');
    expect(detectKinds(node)).toEqual(['gc-log']);
    expect(detectKinds(readArtifact('gc-log', 'es8-json-monitor-young.txt'))).toEqual(['gc-log']);
    // The JVM's own log names each pause: the monitor's means give way to it.
    expect(parseArtifact('gc-log', `${node}${readArtifact('gc-log', 'g1-healthy-gcstar.txt')}`)).toEqual({ 'app.gc_pause_ms': 5.56, 'app.gc_time_pct': 0.3 });
    // Near misses: a collection of 0 ms, or a line without its counts, names no pause.
    expect(parseArtifact('gc-log', '[gc][young][1][1] duration [0s], collections [1]/[1s], total [0s]/[1s]\n')).toEqual({});
    expect(parseError('gc-log', '[gc][young][1][1] duration [2s], total [2s]/[9s]\n').problems[0]?.expected).toContain("node's log lines of its GC monitor");
  });

  it('ephemeral-ports: a count over the range, told by the range\'s name; a count alone is refused; more sockets than ports read 100', () => {
    expect(detectKinds(readArtifact('ephemeral-ports', 'thirty-open-twenty-time-wait.txt'))).toEqual(['ephemeral-ports']);
    // The range's two numbers alone are any text's: without its name, auto does not claim them.
    expect(detectKinds('50\n32768\t60999\n')).toEqual([]);
    expect(parseArtifact('ephemeral-ports', '50\n32768\t60999\n')).toEqual({ 'kernel.ephemeral_ports_used_pct': 0.18 });
    const warnings: unknown[] = [];
    expect(parseArtifact('ephemeral-ports', '90000\n32768 60999\n', { warn: (warning) => warnings.push(warning) })).toEqual({ 'kernel.ephemeral_ports_used_pct': 100 });
    expect(warnings).toEqual([
      { field: 'kernel.ephemeral_ports_used_pct', message: '90000 sockets to one destination, more than the 28232 ports of 32768-60999: several source addresses share the load, or the count was not of one address and port (ss -Htan dst HOST dport = :PORT); read as 100' },
    ]);
    // Near misses, refused: a count alone (any number is one), a range upside down or past 65535, a range without a count.
    expect(parseError('ephemeral-ports', '12\n').problems[0]?.got).toBe('a count, 12, without the local port range to divide it by (cat /proc/sys/net/ipv4/ip_local_port_range prints it: 32768 60999 by default)');
    expect(parseError('ephemeral-ports', '50\n60999 32768\n').problems[0]?.got).toContain('without the local port range');
    expect(parseError('ephemeral-ports', '50\n32768 65536\n').problems[0]?.got).toContain('without the local port range');
    expect(parseError('ephemeral-ports', '32768\t60999\n').problems[0]?.got).toBe('a port range without a count of sockets');
  });

  it('kubectl-describe: a pod is told by its Name, Containers and Restart Count; the container that restarted most is the one read', () => {
    const pod = readArtifact('kubectl-describe', 'oomkilled-crashloop-readiness-503.txt');
    expect(detectKinds(pod)).toEqual(['kubectl-describe']);
    // A node's description has no Containers section: not a pod's.
    expect(parseError('kubectl-describe', 'Name:               worker-2\nRoles:              <none>\nConditions:\n  Type   Status\n').problems[0]?.expected).toContain('kubectl describe pod POD');
    // The sidecar restarted, the app did not: the sidecar's count and limit are read, and a warning names both.
    const sidecar = readArtifact('kubectl-describe', 'sidecar-no-restarts.txt').replace(/(istio-proxy:[\s\S]*?Restart Count: {2})0/, '$13');
    const warnings: unknown[] = [];
    expect(parseArtifact('kubectl-describe', sidecar, { warn: (warning) => warnings.push(warning) })).toEqual({ 'proc.restarts': 3, 'cgroup.cpu_limit_cores': 2 });
    expect(warnings).toEqual([{ field: 'proc.restarts', message: "the pod has 2 containers (api 0, istio-proxy 3): the most restarts, istio-proxy's, are read (a Restart Count counts since the pod started, not only in the incident's window)" }]);
    // A text naming any number of containers gets a warning of bounded length: eight named, the rest counted.
    const many = `Name: p\nContainers:\n${Array.from({ length: 20 }, (_, i) => `  c${i}:\n    Restart Count:  ${i}\n`).join('')}`;
    const manyWarnings: Array<{ message: string }> = [];
    expect(parseArtifact('kubectl-describe', many, { warn: (warning) => manyWarnings.push(warning) })).toEqual({ 'proc.restarts': 19 });
    expect(manyWarnings[0]?.message).toBe("the pod has 20 containers (c0 0, c1 1, c2 2, c3 3, c4 4, c5 5, c6 6, c7 7 and 12 more): the most restarts, c19's, are read (a Restart Count counts since the pod started, not only in the incident's window)");
    // A probe that timed out has no status: no lb.health_check_status.
    expect(parseArtifact('kubectl-describe', pod.replace(/^.*statuscode: 503$/m, ''))).not.toHaveProperty('lb.health_check_status');
  });

  it('gc-log: without time stamps only the longest pause is read, with a warning naming the flags that print them', () => {
    const unstamped = readArtifact('gc-log', 'jdk8-parallel-details.txt').replace(/^\S+: \d+\.\d+: /gm, '');
    const warnings: unknown[] = [];
    expect(parseArtifact('gc-log', unstamped, { warn: (warning) => warnings.push(warning) })).toEqual({ 'app.gc_pause_ms': 4598.765 });
    expect(warnings).toEqual([{ field: 'app.gc_time_pct', message: 'the log has no time stamps, so no share of time in GC: -XX:+PrintGCTimeStamps (JDK 8) or -Xlog:gc with its default uptime decoration prints them' }]);
  });

  it('gc-log: any unified-logging clock is read, uptime before wall-clock time; a log without a pause is refused', () => {
    const lab = readArtifact('gc-log', 'lab-serial-thrashing.txt');
    // time only, then uptimemillis only: the same share.
    expect(parseArtifact('gc-log', lab.replace(/^(\[[^\]]+\])\[[\d.]+s\]/gm, '$1'))).toEqual({ 'app.gc_pause_ms': 20.774, 'app.gc_time_pct': 30.41 });
    expect(parseArtifact('gc-log', lab.replace(/^\[[^\]]+\]\[(\d+)\.(\d{3})s\]/gm, '[$1$2ms]'))).toEqual({ 'app.gc_pause_ms': 20.774, 'app.gc_time_pct': 30.41 });
    expect(parseError('gc-log', '[0.003s][info][gc] Using Serial\n[0.9s][info][gc] GC(0) Concurrent Mark Cycle 7.160ms\n').problems[0]?.got).toBe('GC log lines without a stop-the-world pause (for ZGC or Shenandoah, -Xlog:gc* logs the pauses)');
  });

  it("gc-log: V8's incremental marking steps count as time in GC, a restarted process is read from the restart, older V8's names too", () => {
    const lab = readArtifact('gc-log', 'lab-node20-old-space-64m-thrashing-tail.txt');
    // Without the steps, the pauses alone: 23% (lab 206 measured 4.6 s of pauses in 20 s).
    expect(parseArtifact('gc-log', lab.replace(/\(\+ [\d.]+ ms in \d+ steps[^)]*\) /g, ''))).toEqual({ 'app.gc_pause_ms': 97.63, 'app.gc_time_pct': 22.89 });
    const healthy = readArtifact('gc-log', 'node20-scavenges-only.txt');
    expect(parseArtifact('gc-log', `${lab}${healthy}`)).toEqual({ 'app.gc_pause_ms': 8.64, 'app.gc_time_pct': 2.96 });
    // Node 10 (V8 6.8): Mark-sweep, one decimal, no mu before V8 6.9.
    const node10 = ['[8:0x3d2d4e0]     1200 ms: Scavenge 1380.2 (1425.6) -> 1379.9 (1425.6) MB, 3.1 / 0.0 ms  allocation failure ', '[8:0x3d2d4e0]     4400 ms: Mark-sweep 1384.8 (1425.6) -> 1384.6 (1425.6) MB, 1200.5 / 0.0 ms  (+ 54.1 ms in 8 steps since start of marking, biggest step 10.2 ms, walltime since start of marking 1311 ms) allocation failure GC in old space requested'];
    expect(detectKinds(node10.join('\n'))).toEqual(['gc-log']);
    expect(parseArtifact('gc-log', node10.join('\n'))).toEqual({ 'app.gc_pause_ms': 1200.5, 'app.gc_time_pct': 39.27 });
  });

  it('vmstat and nstat: a header or a counter name over other text is not recognised', () => {
    expect(parseError('vmstat', ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\nhello\nworld\n').problems[0]?.got).toBe('no samples');
    expect(parseError('nstat', 'TcpOutSegs many\nTcpRetransSegs none\n').problems[0]?.got).toBe('unrecognised text');
  });
});

describe('haproxy-log details', () => {
  /** An option httplog line of HAProxy 2.6 (the fixtures' version), its fields given. */
  const httpLine = (fields: { client?: string; server?: string; timers?: string; status?: number; state?: string }) =>
    `${fields.client ?? '192.0.2.7'}:51234 [02/Dec/2026:16:21:05.178] shop shop_app/${fields.server ?? 'app1'} ${fields.timers ?? '0/0/0/5/5'} ${fields.status ?? 200} 117 - - ${fields.state ?? '----'} 1/1/0/0/0 0/0 "GET / HTTP/1.1"`;
  const read = (text: string) => {
    const warnings: Warning[] = [];
    return { facts: parseArtifact('haproxy-log', text, { warn: (warning) => warnings.push(warning) }), warnings };
  };

  it("reads the configuration manual's own examples: 1.x timers (Tq/Tw/Tc/Tr/Tt) after a syslog header, and option tcplog", () => {
    const http = 'Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"';
    expect(read(http).facts).toEqual({ 'http.error_rate_pct': 0 });
    const tcp = 'Feb  6 12:12:56 localhost haproxy[14387]: 10.0.1.2:33313 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 0/0/0/0/3 0/0';
    expect(() => parseArtifact('haproxy-log', tcp)).not.toThrow();
    expect(detectKinds(`${http}\n${tcp}\n`)).toEqual(['haproxy-log']);
  });

  it('names the endings when several show, and the commonest counts; a tie goes to the earlier in the documented order', () => {
    const timeout = httpLine({ timers: '0/0/0/-1/1000', status: 504, state: 'sH--' });
    const refused = httpLine({ timers: '0/0/-1/-1/3000', status: 503, state: 'SC--' });
    const { facts, warnings } = read([timeout, timeout, refused].join('\n'));
    expect(facts).toEqual({ 'proxy.upstream_error': 'read_timeout', 'http.status': 504, 'http.error_source': 'lb', 'http.error_rate_pct': 100 });
    expect(warnings).toEqual([{ field: 'proxy.upstream_error', message: 'these lines end in several ways: 1 SC (connect_refused), 2 sH/sD (read_timeout); the commonest counts, read_timeout' }]);
    expect(read(`${timeout}\n${refused}`).facts['proxy.upstream_error']).toBe('connect_refused');
    expect(read(`${refused}\n${timeout}`).facts['proxy.upstream_error']).toBe('connect_refused');
  });

  it("haproxy-stat: the servers' status, a going-up DOWN 1/2 and maintenance counted down; columns found by name; no header or no server row refused", () => {
    const header = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,econ,wretr,status,check_status,check_code';
    const row = (server: string, stot: number, status: string, check = '', code = '') => `be,${server},0,0,0,0,,${stot},0,0,${status},${check},${code}`;
    expect(parseArtifact('haproxy-stat', [header, row('s1', 30, 'UP', 'L7OK', '200'), row('s2', 28, 'DOWN 1/2', 'L7STS', '503')].join('\n'))).toEqual({
      'lb.backend_health': 'some_unhealthy',
      'lb.health_check_status': 503,
      'lb.backend_load_skew': false,
    });
    expect(parseArtifact('haproxy-stat', [header, row('s1', 5, 'MAINT'), row('s2', 5, 'DOWN', 'L4CON')].join('\n'))).toEqual({ 'lb.backend_health': 'all_unhealthy' });
    // Columns are found by name after pxname and svname (a version with fewer, or more).
    expect(parseArtifact('haproxy-stat', '# pxname,svname,status,stot\nbe,s1,UP,10\nbe,s2,UP,40\n')).toEqual({ 'lb.backend_health': 'all_healthy', 'lb.backend_load_skew': true });
    expect(parseError('haproxy-stat', 'be,s1,0,0,0,0,,30,0,0,UP\n').problems[0]?.field).toBe('artifact haproxy-stat');
    expect(parseError('haproxy-stat', `${header}\nfe,FRONTEND,,,0,0,,0,,,OPEN\n`).problems[0]?.got).toBe('no server row');
    expect(detectKinds(`${header}\n${row('s1', 1, 'UP')}\n`)).toEqual(['haproxy-stat']);
  });

  it("health checks' events: none left, a server down twice, one down at the end, all back; only the failing backend's; a grep of them alone", () => {
    const down = (server: string, left: number, reason = 'Layer4 connection problem, info: "Connection refused"') =>
      `Server shop_app/${server} is DOWN, reason: ${reason}, check duration: 0ms. ${left} active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`;
    const up = (server: string, online: number) => `Server shop_app/${server} is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. ${online} active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`;
    const failing = httpLine({ timers: '0/0/0/-1/1000', status: 504, state: 'sH--' });
    const health = (...events: string[]) => read([...events, failing].join('\n')).facts['lb.backend_health'];
    expect(health(down('app1', 1), down('app2', 0))).toBe('all_unhealthy');
    expect(health(down('app1', 1), down('app2', 0), 'backend shop_app has no server available!', up('app1', 1))).toBe('some_unhealthy');
    expect(health(down('app1', 1), up('app1', 2), down('app1', 1))).toBe('flapping');
    expect(health(down('app1', 1))).toBe('some_unhealthy');
    expect(health(down('app1', 1), up('app1', 2))).toBe('all_healthy');
    // HAProxy writes each event to stderr and to its log: the same state twice is one change.
    expect(health(down('app1', 1), `[WARNING]  (11097) : ${down('app1', 1)}`, up('app1', 2))).toBe('all_healthy');
    // Another backend's checks say nothing of the failing one's.
    expect(health(down('app1', 0).replace('shop_app', 'orders_app'))).toBeUndefined();
    // The events alone, as the question's grep prints them; a 404 from the check is named.
    const grepped = read([down('app1', 1, 'Layer7 wrong status, code: 404, info: "Not Found"'), down('app2', 0, 'Layer7 wrong status, code: 404, info: "Not Found"')].join('\n'));
    expect(grepped.facts).toEqual({ 'lb.backend_health': 'all_unhealthy', 'lb.health_check_status': 404 });
    expect(grepped.warnings.map((warning) => warning.message.split(':')[0])).toEqual(['the health check got an HTTP status it does not expect from shop_app/app1 (404), shop_app/app2 (404)']);
    expect(detectKinds(down('app1', 1))).toEqual(['haproxy-log']);
    expect(detectKinds('Server app1 is DOWN for maintenance\n')).toEqual([]);
  });

  it('a commonest ending that names no upstream error gives none, though a rarer one does', () => {
    const queued = httpLine({ server: '<NOSRV>', timers: '0/1000/-1/-1/1000', status: 503, state: 'sQ--' });
    const timeout = httpLine({ timers: '0/0/0/-1/1000', status: 504, state: 'sH--' });
    const { facts, warnings } = read([queued, queued, timeout].join('\n'));
    expect(facts).toEqual({ 'http.status': 503, 'http.error_source': 'lb', 'http.error_rate_pct': 100, 'proc.workers_busy_pct': 100 });
    expect(warnings.map((warning) => warning.message.split(':')[0])).toEqual(['2 lines ended sQ', 'these lines end in several ways', "2 lines timed out in HAProxy's queue (sQ)"]);
    expect(warnings[1]?.message).toBe('these lines end in several ways: 1 sH/sD (read_timeout), 2 sQ; the commonest counts, sQ, which gives none');
  });

  it("a server's 5xx is the backend's error, a deny or rate limit HAProxy answered is the LB's, a server's 404 is no failure", () => {
    expect(read(httpLine({ status: 500 })).facts).toEqual({ 'http.status': 500, 'http.error_source': 'backend', 'http.error_rate_pct': 100 });
    const denied = httpLine({ server: '<NOSRV>', timers: '0/-1/-1/-1/0', status: 429, state: 'PR--' });
    expect(read(`${denied}\n${httpLine({})}`).facts).toEqual({ 'http.status': 429, 'http.error_source': 'lb', 'http.error_rate_pct': 0 });
    expect(read(httpLine({ status: 404 })).facts).toEqual({ 'http.error_rate_pct': 0 });
  });

  it('load skew needs two servers of one backend and 20 lines; the time a server spends counts too', () => {
    const on = (server: string, n: number, serverMs = 5) => Array.from({ length: n }, (_, i) => httpLine({ client: `192.0.2.${i + 1}`, server, timers: `0/0/0/${serverMs}/${serverMs}` }));
    expect(read(on('app1', 30).join('\n')).facts).toEqual({ 'http.error_rate_pct': 0 });
    expect(read([...on('app1', 12), ...on('app2', 6)].join('\n')).facts).toEqual({ 'http.error_rate_pct': 0 });
    expect(read([...on('app1', 14), ...on('app2', 7)].join('\n')).facts['lb.backend_load_skew']).toBe(true);
    expect(read([...on('app1', 13), ...on('app2', 7)].join('\n')).facts['lb.backend_load_skew']).toBe(false);
    // As many requests, app1 twice as slow: 2 s against 1 s is a skew, 200 ms against 100 ms too little time to tell one.
    expect(read([...on('app1', 10, 200), ...on('app2', 10, 100)].join('\n')).facts['lb.backend_load_skew']).toBe(true);
    expect(read([...on('app1', 10, 20), ...on('app2', 10, 10)].join('\n')).facts['lb.backend_load_skew']).toBe(false);
    // One client's requests, all of them on the busy server, but fewer than half: no persistence warning.
    const { warnings } = read([...on('app1', 14), ...on('app2', 7)].join('\n'));
    expect(warnings.map((warning) => warning.field)).toEqual(['proxy.upstream_error']);
  });

  it("IPv6 clients read; requests to HAProxy's own stats page are no traffic of the service", () => {
    expect(read(httpLine({ client: '2001:db8::7', timers: '0/0/-1/-1/3000', status: 503, state: 'SC--' })).facts).toEqual({ 'proxy.upstream_error': 'connect_refused', 'http.status': 503, 'http.error_source': 'lb', 'http.error_rate_pct': 100 });
    const stats = '10.201.2.1:39438 [02/Dec/2026:14:12:33.765] stats stats/<STATS> 0/0/0/0/0 200 2883 - - LR-- 1/1/0/0/0 0/0 "GET /stats;csv HTTP/1.1"';
    expect(parseError('haproxy-log', stats).problems[0]?.got).toBe("only requests to HAProxy's own services (<STATS>, ...)");
  });

  it("another proxy's log is not HAProxy's, nor HAProxy's error log format without timers", () => {
    expect(detectKinds(readArtifact('nginx-error', 'client-closed.txt'))).not.toContain('haproxy-log');
    const sslError = '10.0.1.2:33317 [06/Feb/2009:12:14:14.655] https-in/1: SSL handshake failure';
    expect(detectKinds(sslError)).toEqual([]);
    expect(parseError('haproxy-log', sslError).problems[0]?.field).toBe('artifact haproxy-log');
  });
});
