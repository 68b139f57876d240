/* Generated from schemas/artifacts.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * Raw tool output pasted from a ticket (`rca parse --list` names the kinds). Parsed facts merge with `facts`; an explicit fact wins, and a conflict (with an explicit fact, another artifact, or between the lines of one artifact) is reported in the diagnosis's `warnings`.
 *
 * @maxItems 20
 */
export type Artifacts = {
  /**
   * The command whose output `text` is; `auto` tells it from the text's signature (text of no one tool is refused, naming the kinds).
   */
  kind:
    | 'auto'
    | 'ping'
    | 'ping-mtu'
    | 'mtr'
    | 'tcp-connect'
    | 'tcpdump'
    | 'strace-c'
    | 'strace-t'
    | 'curl-w'
    | 'curl-v'
    | 'curl-i'
    | 'top'
    | 'vmstat'
    | 'iostat'
    | 'mpstat'
    | 'pidstat'
    | 'cpu-stat'
    | 'cgroup-memory'
    | 'psi'
    | 'free'
    | 'df'
    | 'fd-count'
    | 'netstat-s'
    | 'nstat'
    | 'ss-s'
    | 'ss-i'
    | 'ephemeral-ports'
    | 'conntrack-s'
    | 'ethtool-s'
    | 'dig'
    | 'resolv-conf'
    | 'openssl'
    | 'dmesg'
    | 'jstat'
    | 'gc-log'
    | 'thread-dump'
    | 'nginx-error'
    | 'haproxy-log'
    | 'haproxy-stat'
    | 'kubectl-describe'
    | 'app-errors';
  text: string;
  /**
   * true when `text` is the output of a request sent straight to one backend, bypassing the load balancer or proxy (curl against a backend's address and port): what it reads stands for the direct request's facts, by the knowledge base's questions on it (`http.status` is `http.direct_status`, `http.latency_ms` `http.direct_latency_ms`), and its other facts, the backend's rather than the service's, are set aside with a warning.
   */
  direct?: boolean;
}[];
