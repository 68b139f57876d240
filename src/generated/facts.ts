/* Generated from schemas/facts.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * Flat map of dotted fact names to values. This file is the source of truth for the fact vocabulary: names, types, ranges and units.
 */
export interface Facts {
  /**
   * host name or IP address of the service under investigation
   */
  'target.host'?: string;
  /**
   * the clients reach the service by an IP address, not by a name (target.host is an address): no DNS lookup is involved in reaching it as given; rca states it from target.host or the target URL, so the interview asks no DNS question whose command would look an address up
   */
  'target.host_is_ip'?: boolean;
  /**
   * TCP/UDP port of the service
   */
  'target.port'?: number;
  /**
   * full URL that shows the problem (http/https)
   */
  'target.url'?: string;
  /**
   * protocol the client speaks to the service (plain tcp: a database or message queue)
   */
  'target.protocol'?: 'http' | 'https' | 'tcp' | 'udp' | 'grpc' | 'dns' | 'other';
  /**
   * what the reporter sees
   */
  'symptom.kind'?: 'slow' | 'errors' | 'timeout' | 'unreachable' | 'connection_reset';
  /**
   * who is affected
   */
  'symptom.scope'?: 'single_client' | 'some_clients' | 'all_clients';
  /**
   * the problem comes and goes rather than being constant
   */
  'symptom.intermittent'?: boolean;
  /**
   * a deploy, config or infrastructure change happened shortly before onset
   */
  'symptom.recent_change'?: boolean;
  /**
   * services other than this one, and not merely its clients, fail or degrade at the same time (elsewhere on the same site, data centre, zone, region, cloud or provider)
   */
  'symptom.other_services_affected'?: boolean;
  /**
   * the trouble hits large transfers (downloads, uploads, big responses, bulk copies, replication, a TLS certificate flight) while small requests and pings work
   */
  'symptom.large_transfers'?: boolean;
  /**
   * client traffic passes a load balancer or reverse proxy (nginx, haproxy, ELB, envoy, ingress)
   */
  'path.via_lb'?: boolean;
  /**
   * client or server runs in Kubernetes
   */
  'path.k8s'?: boolean;
  /**
   * client connections are source-NATed (NAT gateway, SNAT, kube-proxy)
   */
  'path.via_nat'?: boolean;
  /**
   * requests and replies take different paths: the reply leaves by another interface, router or firewall than the request came in by (a multi-homed host, policy routing, a second NIC or VPN, ECMP)
   */
  'path.asymmetric'?: boolean;
  /**
   * the traffic crosses a tunnel or overlay network on the way: a VPN, IPsec, WireGuard, GRE or IPIP tunnel, a VXLAN or Geneve overlay (flannel, Calico VXLAN, Weave, a cloud's virtual network), PPPoE
   */
  'path.tunnel'?: boolean;
  /**
   * ICMP echo to the target: all replies, some lost, none
   */
  'ping.result'?: 'ok' | 'partial_loss' | 'fail';
  /**
   * share of ICMP echo requests to the target that got no reply (ping's packet loss)
   */
  'ping.loss_pct'?: number;
  /**
   * average ICMP round trip to the target (ping's rtt avg)
   */
  'ping.rtt_avg_ms'?: number;
  /**
   * worst round trip; spikes with no loss point at a stalled host, not the path
   */
  'ping.rtt_max_ms'?: number;
  /**
   * don't-fragment pings near the MTU (ping -M do -s 1472) fail while small pings pass
   */
  'ping.large_packet_fail'?: boolean;
  /**
   * mtr shows loss at intermediate hops and none at the destination (the last hop): routers rate-limiting the ICMP replies they send to traceroute probes, not packets lost on the path, since a packet lost on a link is lost for every hop after it
   */
  'ping.intermediate_loss_only'?: boolean;
  /**
   * TCP connect (telnet / nc -vz) to target.port
   */
  'tcp.connect'?: 'ok' | 'refused' | 'timeout' | 'reset';
  /**
   * time for the TCP handshake to target.port (curl's time_connect); about 1000 or 3000 ms means a SYN was re-sent
   */
  'tcp.connect_ms'?: number;
  /**
   * retransmitted segments as a share of segments sent (capture or netstat -s)
   */
  'tcp.retransmit_pct'?: number;
  /**
   * a capture shows RST ending connections
   */
  'tcp.rst_seen'?: boolean;
  /**
   * a capture shows the client re-sending SYN without SYN-ACK
   */
  'tcp.syn_retransmits'?: boolean;
  /**
   * a capture shows zero-window advertisements
   */
  'tcp.zero_window'?: boolean;
  /**
   * a capture of the TCP handshake shows no window-scale option on one side although the other offered it (the SYN offers wscale but the SYN-ACK has none, or the SYN arrives at the server without the wscale the client sent), or the advertised receive window never grows past 65,535 bytes during a long transfer
   */
  'tcp.window_scale_missing'?: boolean;
  /**
   * a capture shows out-of-order segments / 'previous segment not captured' that later arrive
   */
  'tcp.reordering'?: boolean;
  /**
   * which side the RST packets claim to come from
   */
  'tcp.rst_from'?: 'client' | 'server' | 'unknown';
  /**
   * the RST's IP TTL differs from the TTL of that peer's other packets (forged by a middlebox)
   */
  'tcp.rst_ttl_mismatch'?: boolean;
  /**
   * sockets in CLOSE-WAIT on the server (ss -tan state close-wait)
   */
  'tcp.close_wait_count'?: number;
  /**
   * the client first tries the name's IPv6 address, which fails or hangs, then connects over IPv4 (curl -v: 'Trying [IPv6]:PORT...' then 'Connected to ... (IPv4)')
   */
  'tcp.ipv6_fallback'?: boolean;
  /**
   * forcing IPv4 (curl -4, ping -4, the client's prefer-IPv4 option) makes the request work normally, with no delay and no error
   */
  'tcp.ipv4_forced_ok'?: boolean;
  /**
   * what a lookup of the name returns on the affected client (dig's status: NOERROR with an answer is ok; no servers reached is timeout)
   */
  'dns.result'?: 'ok' | 'nxdomain' | 'servfail' | 'timeout' | 'refused';
  /**
   * time a lookup of the name takes on the affected client (dig's Query time, or curl's time_namelookup)
   */
  'dns.resolve_ms'?: number;
  /**
   * lookups walk several search-domain suffixes (NXDOMAIN answers) before the real name (ndots)
   */
  'dns.search_expansion'?: boolean;
  /**
   * different resolvers or clients get different addresses for the name
   */
  'dns.answer_mismatch'?: boolean;
  /**
   * the name resolves to IPv6 (AAAA) addresses as well as IPv4 (A) ones
   */
  'dns.aaaa_present'?: boolean;
  /**
   * a lookup fails with 'Temporary failure in name resolution' (EAI_AGAIN): no resolver gave a usable answer (it timed out, or answered SERVFAIL or REFUSED: glibc says all three alike)
   */
  'dns.temporary_failure'?: boolean;
  /**
   * whether the TLS handshake with the service completes (openssl s_client, curl -v)
   */
  'tls.handshake'?: 'ok' | 'failed' | 'timeout';
  /**
   * the TLS alert that ended a failed handshake, as openssl or the client's error names it
   */
  'tls.alert'?:
    | 'handshake_failure'
    | 'protocol_version'
    | 'unknown_ca'
    | 'bad_certificate'
    | 'certificate_expired'
    | 'certificate_unknown'
    | 'unrecognized_name'
    | 'internal_error'
    | 'other';
  /**
   * days until the served certificate expires; negative when expired
   */
  'tls.cert_days_left'?: number;
  /**
   * the served certificate covers target.host
   */
  'tls.cert_name_match'?: boolean;
  /**
   * the server sends the intermediate certificates
   */
  'tls.chain_complete'?: boolean;
  /**
   * which certificate of the chain the client's verification failed on, by the depth its verify error names (openssl s_client's depth=N): leaf = depth 0, the served certificate itself; root = the trust anchor the path ends at (self-signed, or the last of the path the client built, often from its own store); intermediate = any certificate between them, an intermediate or cross-sign the server sends
   */
  'tls.failed_cert'?: 'leaf' | 'intermediate' | 'root';
  /**
   * the client's verification failed on a certificate not yet valid, its notBefore still in the client's future (OpenSSL verify error 9 "certificate is not yet valid", Python's and curl's same words, Java's CertificateNotYetValidException), rather than one past its notAfter (error 10, "certificate has expired"): a clock behind on the client, which a stale trust store cannot cause; false when the verification names an expiry and no such error
   */
  'tls.cert_not_yet_valid'?: boolean;
  /**
   * the failing client sends SNI
   */
  'tls.sni_sent'?: boolean;
  /**
   * other clients (a browser, curl from another host) complete the handshake and validate the same server
   */
  'tls.other_clients_ok'?: boolean;
  /**
   * the failing client uses an old TLS stack (Java 7, Python 2.7, OpenSSL 1.0, old CA bundle)
   */
  'tls.client_stack_old'?: boolean;
  /**
   * status the client gets
   */
  'http.status'?: number;
  /**
   * total request time seen by the client
   */
  'http.latency_ms'?: number;
  /**
   * time from sending the request to the first byte of the answer (curl's time_starttransfer less its time_pretransfer: curl counts both from the start, lookup and connect included)
   */
  'http.ttfb_ms'?: number;
  /**
   * share of requests that fail
   */
  'http.error_rate_pct'?: number;
  /**
   * status when the request bypasses the LB/proxy and goes straight to a backend
   */
  'http.direct_status'?: number;
  /**
   * latency of the same request sent straight to a backend, bypassing the load balancer, to compare with the latency through it
   */
  'http.direct_latency_ms'?: number;
  /**
   * slow requests are late by about the same amount each time (40, 200, 1000, 3000, 5000 ms ...)
   */
  'http.fixed_delay_ms'?: number;
  /**
   * size of the backend's response headers
   */
  'http.response_header_bytes'?: number;
  /**
   * which tier produced the error response (Server header, error page)
   */
  'http.error_source'?: 'lb' | 'backend' | 'cdn' | 'unknown';
  /**
   * health of the load balancer's backends as its own health checks see them
   */
  'lb.backend_health'?: 'all_healthy' | 'some_unhealthy' | 'all_unhealthy' | 'flapping';
  /**
   * HTTP status the load balancer's health check gets from a backend it marks down (HAProxy 'Layer7 wrong status, code: 404'; ALB target health 'Health checks failed with these codes: [404]'; a kubelet probe's 'HTTP probe failed with statuscode: 404'): the backend answered, with a status the check does not accept
   */
  'lb.health_check_status'?: number;
  /**
   * some backends get far more requests or CPU than others
   */
  'lb.backend_load_skew'?: boolean;
  /**
   * the LB pins clients to backends (source-IP or cookie stickiness)
   */
  'lb.session_persistence'?: boolean;
  /**
   * how long the client keeps idle pooled keep-alive connections before closing them
   */
  'client.keepalive_idle_s'?: number;
  /**
   * the load balancer's idle timeout for connections, in seconds (ALB/ELB idle_timeout.timeout_seconds, default 60; nginx upstream keepalive_timeout; HAProxy timeout http-keep-alive)
   */
  'lb.idle_timeout_s'?: number;
  /**
   * how long the backend keeps an idle keep-alive connection open before closing it (nginx keepalive_timeout, Node server.keepAliveTimeout, gunicorn --keep-alive)
   */
  'backend.keepalive_timeout_s'?: number;
  /**
   * host name or IP address the load balancer or proxy sends requests to (the backend, upstream or target behind it): what a direct check of the backend dials
   */
  'backend.host'?: string;
  /**
   * TCP port of the backend behind the load balancer or proxy
   */
  'backend.port'?: number;
  /**
   * the proxy or LB logs refusing requests itself by a rate or connection limit of its own, asking no backend (nginx's 'limiting requests, excess: ... by zone', 'limiting connections by zone'; an API gateway's or WAF's throttling): it answers 503 or its configured status, often 429
   */
  'proxy.rate_limit_refusals'?: boolean;
  /**
   * what the proxy's error log says about the upstream: connect_refused (connect() failed, 111: Connection refused), connect_timeout (timed out while connecting to upstream), read_timeout (timed out while reading response header from upstream), reset_by_peer (104: Connection reset by peer), no_live_upstreams, client_closed (the client gave up first: 499, client prematurely closed connection), premature_close (upstream prematurely closed connection while reading response header: the backend closed with no or a partial response), header_too_big (upstream sent too big header: the response headers exceed the proxy's buffer)
   */
  'proxy.upstream_error'?:
    | 'connect_refused'
    | 'connect_timeout'
    | 'read_timeout'
    | 'reset_by_peer'
    | 'no_live_upstreams'
    | 'client_closed'
    | 'premature_close'
    | 'header_too_big';
  /**
   * overall CPU busy on the server
   */
  'host.cpu_pct'?: number;
  /**
   * 1-minute load average divided by CPU count
   */
  'host.load_per_cpu'?: number;
  /**
   * share of CPU time the hypervisor gave to other guests (%st in top or vmstat, %steal in mpstat)
   */
  'host.cpu_steal_pct'?: number;
  /**
   * share of CPU time idle while waiting for disk I/O (%wa in top or vmstat, %iowait in iostat)
   */
  'host.iowait_pct'?: number;
  /**
   * tasks blocked waiting for I/O to complete (vmstat's b column, procs_blocked in /proc/stat), the mean over the samples: a count, not per CPU, since each is a thread (a request) waiting whatever the CPU count. They show even where iowait cannot: iowait is idle time, so CPUs busy with other work never count it
   */
  'host.blocked_tasks'?: number;
  /**
   * the busiest device's mean wait per I/O request, queue and service together (iostat -x r_await or w_await, whichever is higher; await before sysstat 10). It is the device's: a cgroup's I/O throttle (io.max, blkio.throttle) or a cloud volume's IOPS cap delays requests before they reach it, so tasks can block on I/O with this low
   */
  'host.disk_await_ms'?: number;
  /**
   * the busiest device's share of time with I/O in flight (iostat -x %util). Near 100 means saturated only for a device serving one request at a time (one spinning disk); SSDs, NVMe and arrays serve many in parallel, and for them it does not reflect their limit (iostat(1))
   */
  'host.disk_util_pct'?: number;
  /**
   * share of CPU time spent in the kernel on behalf of processes, all CPUs together (sy in top's %Cpu(s) line or vmstat, %sys in mpstat): system calls, page faults and kernel locks, not the application's own code
   */
  'host.cpu_sys_pct'?: number;
  /**
   * share of CPU time spent in software interrupts (si in top, %soft in mpstat) on the busiest single CPU, from per-CPU figures (mpstat -P ALL, top's 1 key), since a NIC's packet work piles onto one core; the all-CPU share stands for it only on a host of one CPU (on several it understates it, and rca's parsers leave the fact unknown)
   */
  'host.cpu_softirq_pct'?: number;
  /**
   * memory available to new work as a share of the total (MemAvailable in /proc/meminfo, free's available column)
   */
  'host.mem_available_pct'?: number;
  /**
   * pages are being swapped in/out now (vmstat si/so > 0)
   */
  'host.swapping'?: boolean;
  /**
   * OOM-killer events in the window (dmesg)
   */
  'host.oom_kills'?: number;
  /**
   * fullest filesystem the service writes to
   */
  'host.disk_used_pct'?: number;
  /**
   * packets per second sit flat at the NIC's or cloud instance's limit (sar -n DEV)
   */
  'host.pps_at_limit'?: boolean;
  /**
   * turning the NIC's or virtual interface's offloads off (ethtool -K IFACE tx off, tso off, gso off, gro off, lro off, or the CNI's checksum-offload switch) makes the problem go away
   */
  'host.offload_off_ok'?: boolean;
  /**
   * host clock minus reference time
   */
  'host.clock_skew_s'?: number;
  /**
   * pid of the busiest process
   */
  'proc.top_pid'?: number;
  /**
   * command name of the busiest process (top -c)
   */
  'proc.top_name'?: string;
  /**
   * pid of the application's main process
   */
  'proc.app_pid'?: number;
  /**
   * CPU% of the busiest process (top -c; may exceed 100 on several cores)
   */
  'proc.top_cpu_pct'?: number;
  /**
   * what the busiest process is
   */
  'proc.top_role'?:
    | 'app'
    | 'child_of_app'
    | 'apm_agent'
    | 'log_shipper'
    | 'security_agent'
    | 'backup_or_cron'
    | 'kernel_thread'
    | 'other';
  /**
   * CPU% of the application's own worker processes
   */
  'proc.app_cpu_pct'?: number;
  /**
   * share of the application process's own CPU time spent in the kernel: %system / (%usr + %system) x 100 from pidstat -u -p APP_PID (its Average line). A process burning a core in its own code stays well under 10; one entering the kernel for every lookup, read or poll (a syscall storm) spends a third or more. Unlike host.cpu_sys_pct it is not diluted by idle cores
   */
  'proc.app_sys_share_pct'?: number;
  /**
   * open descriptors as a share of the app's RLIMIT_NOFILE
   */
  'proc.fd_used_pct'?: number;
  /**
   * logs show 'Too many open files' (EMFILE)
   */
  'proc.emfile_errors'?: boolean;
  /**
   * logs show 'Cannot assign requested address' (EADDRNOTAVAIL; Windows WSAEADDRNOTAVAIL 10049 or WSAENOBUFS 10055) on outgoing connects
   */
  'proc.eaddrnotavail_errors'?: boolean;
  /**
   * logs show 'No space left on device' (ENOSPC; Windows 'There is not enough space on the disk') on the service's writes: a filesystem it writes to has no free block or no free inode left for it
   */
  'proc.enospc_errors'?: boolean;
  /**
   * worker pool use (php-fpm active/max_children, thread pool)
   */
  'proc.workers_busy_pct'?: number;
  /**
   * application process crashes/restarts in the window
   */
  'proc.restarts'?: number;
  /**
   * share of the application cgroup's CFS bandwidth periods in which it used up its CPU quota and its tasks were paused until the next period: nr_throttled / nr_periods x 100 from cpu.stat (cgroup v1 or v2), between two readings a few seconds apart (the counters count since the cgroup was created, so one reading dilutes a recent fault)
   */
  'cgroup.cpu_throttled_pct'?: number;
  /**
   * the application cgroup's CPU quota in CPUs: quota / period from cpu.max (v2) or cpu.cfs_quota_us / cpu.cfs_period_us (v1), Kubernetes' resources.limits.cpu (500m = 0.5); unknown when the group has no quota of its own (cpu.max 'max', cfs_quota_us -1)
   */
  'cgroup.cpu_limit_cores'?: number;
  /**
   * the application cgroup's working set as a share of its memory limit: usage less the inactive file cache (the pages the kernel drops first) over the limit, as the kubelet counts a container's working set; cgroup v2 memory.current - memory.stat inactive_file over memory.max (or memory.high when lower), v1 memory.usage_in_bytes - total_inactive_file over memory.limit_in_bytes; unknown when the group has no limit of its own ('max', v1's unlimited)
   */
  'cgroup.memory_working_set_pct'?: number;
  /**
   * the application cgroup met its memory limit and reclaimed (or, at memory.high, was throttled into reclaim) between two readings a few seconds apart: v1 memory.failcnt rose, v2 memory.events max or high rose (the counters count since the group was created, so one reading says nothing of now); a group reclaims at its limit even when the host has plenty of free memory
   */
  'cgroup.memory_reclaiming_at_limit'?: boolean;
  /**
   * pressure stall information for CPU: the share of the last 10 s in which at least one task was runnable but waiting for a CPU ('some' avg10 of /proc/pressure/cpu, the host's, or of a cgroup v2 group's cpu.pressure, which since Linux 5.7 also counts its time throttled by cpu.max and CPUs held by other groups)
   */
  'psi.cpu_some_pct'?: number;
  /**
   * pressure stall information for memory: the share of the last 10 s in which at least one task stalled on memory: reclaim, swap-in, refaults of pages of the working set ('some' avg10 of /proc/pressure/memory, the host's, or of a cgroup v2 group's memory.pressure); page cache dropped and read again before it was ever active counts as IO, not memory
   */
  'psi.memory_some_pct'?: number;
  /**
   * pressure stall information for IO: the share of the last 10 s in which at least one task waited for block IO, a throttled (io.max, blkio) read or write included ('some' avg10 of /proc/pressure/io, the host's, or of a cgroup v2 group's io.pressure); unlike iowait it does not hide behind a busy CPU
   */
  'psi.io_some_pct'?: number;
  /**
   * syscall with the largest share of time in strace -c (futex, poll, epoll_wait, read, write, connect, sendto, recvfrom, openat, stat, brk, mmap, nanosleep, gettimeofday, clock_gettime, ...)
   */
  'strace.top_syscall'?: string;
  /**
   * share of syscall time that the top syscall takes in strace -c (its % time column)
   */
  'strace.top_syscall_pct'?: number;
  /**
   * syscalls per second the process makes (strace -c calls divided by the seconds traced)
   */
  'strace.syscalls_per_s'?: number;
  /**
   * time the traced process spent in system calls, as % of the seconds traced (strace -c's total seconds over the trace's duration, summed over its threads, so above 100 with several busy: system CPU time by default, wall-clock time with -w): under 1 the kernel barely sees the process
   */
  'strace.syscall_time_pct'?: number;
  /**
   * share of traced syscalls that returned an error
   */
  'strace.error_pct'?: number;
  /**
   * longest single syscall seen with strace -T
   */
  'strace.slowest_call_ms'?: number;
  /**
   * the listen queue of the service's socket overflows: netstat -s / nstat listen-queue overflow / SYN-drop counters are rising between two runs (they count since boot) or ss -ltn shows its accept queue full now (Recv-Q above Send-Q on a LISTEN row) (TCP), or connects to its unix socket fail with EAGAIN, 'Resource temporarily unavailable' (nginx: connect() to unix:... failed (11: ...)), which no counter shows
   */
  'kernel.listen_overflows'?: boolean;
  /**
   * dmesg shows 'nf_conntrack: table full, dropping packet'
   */
  'kernel.conntrack_full'?: boolean;
  /**
   * conntrack -S insert_failed is rising
   */
  'kernel.conntrack_insert_failed'?: boolean;
  /**
   * the kernel log says 'neighbour table overflow' (arp_cache or ndisc_cache): the neighbour table is past gc_thresh3 and new peers on the local network are not resolved
   */
  'kernel.neigh_table_overflow'?: boolean;
  /**
   * the kernel's reverse-path filter drops incoming packets: nstat's TcpExtIPReversePathFilter (netstat -s 'IPReversePathFilter') rises while the problem happens, or, with log_martians on, dmesg logs 'martian source'
   */
  'kernel.rp_filter_drops'?: boolean;
  /**
   * the receiving host counts TCP or UDP checksum errors rising while the problem happens: nstat's TcpInCsumErrors or UdpInCsumErrors (netstat -s 'InCsumErrors', 'bad segments received')
   */
  'kernel.csum_errors'?: boolean;
  /**
   * sockets in TIME-WAIT (ss -s)
   */
  'kernel.time_wait_count'?: number;
  /**
   * local port range in use toward the target
   */
  'kernel.ephemeral_ports_used_pct'?: number;
  /**
   * an APM/profiling agent (New Relic, Datadog, Dynatrace, ...) is loaded into or beside the app
   */
  'app.apm_agent'?: boolean;
  /**
   * what the application's code runs on: a JVM (Java, Kotlin, Scala), .NET, Go, Node.js, Python, Ruby, PHP, Erlang/Elixir (BEAM), native code with no garbage collector (C, C++, Rust; nginx, HAProxy, Envoy), or other: which collector it has and which tools (jstat, gctrace, --trace-gc) see it
   */
  'app.runtime'?: 'jvm' | 'dotnet' | 'go' | 'node' | 'python' | 'ruby' | 'php' | 'beam' | 'native' | 'other';
  /**
   * traces/logs show the time going to a downstream call (database, cache, API)
   */
  'app.slow_dependency'?: boolean;
  /**
   * what the dependency the time goes to (database, cache, store) shows as its own limit: its disk (high read/write latency or await, IOPS or throughput at the volume's limit, burst balance drained), its CPU, lock waits, or none (its own query time stays short)
   */
  'app.dependency_bottleneck'?: 'disk' | 'cpu' | 'locks' | 'none';
  /**
   * the application's log shows requests timing out waiting for a connection from its own client pool to a dependency (HikariCP "Connection is not available, request timed out", HttpClient "Timeout waiting for connection from pool", SQLAlchemy "QueuePool limit ... reached", Knex "Timeout acquiring a connection", commons-pool "Timeout waiting for idle object", c3p0 "checkout a Connection has timed out"): every connection was checked out
   */
  'app.pool_wait_timeouts'?: boolean;
  /**
   * connections the application's client pool to a dependency has checked out, as a share of the pool's maximum size (HikariCP active / maximumPoolSize, HttpClient leased / max, database/sql InUse / MaxOpenConnections), while requests are slow
   */
  'app.pool_active_pct'?: number;
  /**
   * the application's log shows its calls to a downstream (database, cache, broker, internal or third-party API) failing with that downstream's own errors, fast, not waiting: refused as over its connection limit (PostgreSQL "sorry, too many clients already" or "remaining connection slots are reserved", MySQL "Too many connections"), read-only (PostgreSQL "cannot execute ... in a read-only transaction", Redis "READONLY", MySQL "--read-only option"), out of room or IDs (PostgreSQL "database is not accepting commands to avoid wraparound data loss", MySQL "Duplicate entry '2147483647'", Redis "OOM command not allowed"), a 5xx from an API it calls, or connection refused by a dependency that is down: false when the log shows its calls to downstreams succeeding
   */
  'app.dependency_errors'?: boolean;
  /**
   * longest recent garbage-collection pause (from the GC log: jstat shows only totals)
   */
  'app.gc_pause_ms'?: number;
  /**
   * share of wall-clock time the runtime spent in garbage collection over a recent window (jstat's GCT rise over the seconds sampled, or a GC log's pauses over its last minute): a few percent is healthy, above 10% the collector crowds out the application
   */
  'app.gc_time_pct'?: number;
  /**
   * a thread dump taken while requests were slow shows many of the request threads waiting to take the same lock, which one thread holds (Java jstack: BLOCKED, "waiting to lock <0x...>" on one monitor; Go's goroutine dump: many goroutines in [semacquire] under one sync.Mutex or RWMutex; Python py-spy dump: threads in acquire of one Lock; .NET dotnet-stack: Monitor.Enter): false when the dump shows them computing, in network or disk waits, or idle
   */
  'app.threads_blocked_on_lock'?: boolean;
}
