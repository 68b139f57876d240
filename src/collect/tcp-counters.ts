import type { ParsedFacts } from './parsers/types.js';
import { definedFacts, percent } from './parsers/text.js';

/** Kernel TCP counters as netstat -s, nstat and /proc/net/{snmp,netstat} expose them. */
export interface TcpCounters {
  outSegs?: number;
  retransSegs?: number;
  listenOverflows?: number;
  listenDrops?: number;
}

/**
 * tcp.retransmit_pct and kernel.listen_overflows from counters (totals or deltas). Linux's
 * OutSegs leaves retransmitted segments out (RFC 1213 tcpOutSegs), so the share of segments
 * sent that were retransmissions is Retrans / (Out + Retrans); on a SYN-flooded listener
 * Retrans alone can exceed Out.
 */
export function tcpCounterFacts({ outSegs, retransSegs, listenOverflows, listenDrops }: TcpCounters): ParsedFacts {
  const retransmitPct = outSegs !== undefined && retransSegs !== undefined ? percent(retransSegs, outSegs + retransSegs) : undefined;
  const listen = listenOverflows === undefined && listenDrops === undefined ? undefined : (listenOverflows ?? 0) + (listenDrops ?? 0) > 0;
  return definedFacts({ 'tcp.retransmit_pct': retransmitPct, 'kernel.listen_overflows': listen });
}
