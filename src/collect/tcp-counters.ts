import type { ParsedFacts } from './parsers/types.js';
import { definedFacts, percent } from './parsers/text.js';

/** Kernel TCP counters as netstat -s, nstat and /proc/net/{snmp,netstat} expose them. */
export interface TcpCounters {
  outSegs?: number;
  retransSegs?: number;
  listenOverflows?: number;
  listenDrops?: number;
}

/** Below this many segments between two samples a retransmit share is noise. */
export const MIN_WINDOW_SEGMENTS = 100;

type SegmentCounters = Pick<TcpCounters, 'outSegs' | 'retransSegs'>;

/**
 * The segment counters tcp.retransmit_pct is read from, given runs of a command that prints
 * them since boot: the change from the first run to the last when at least MIN_WINDOW_SEGMENTS
 * were sent in between (the share now), else the last run's totals. A share since boot is a
 * share all the same, of all the host sent: it dilutes a fault of the last minutes on a host up
 * for months, so it can hide one but not invent one.
 */
export function segmentCounters(runs: readonly SegmentCounters[]): SegmentCounters {
  const complete = runs.filter((run) => run.outSegs !== undefined && run.retransSegs !== undefined) as Array<Required<SegmentCounters>>;
  const first = complete[0];
  const last = complete[complete.length - 1];
  if (first === undefined || last === undefined) return {};
  const window = { outSegs: last.outSegs - first.outSegs, retransSegs: last.retransSegs - first.retransSegs };
  const enough = complete.length > 1 && window.outSegs >= 0 && window.retransSegs >= 0 && window.outSegs + window.retransSegs >= MIN_WINDOW_SEGMENTS;
  return enough ? window : { outSegs: last.outSegs, retransSegs: last.retransSegs };
}

/**
 * tcp.retransmit_pct and kernel.listen_overflows from counters (totals or deltas). Linux's
 * OutSegs leaves retransmitted segments out (RFC 1213 tcpOutSegs), so the share of segments
 * sent that were retransmissions is Retrans / (Out + Retrans); on a SYN-flooded listener
 * Retrans alone can exceed Out.
 */
export function tcpCounterFacts({ outSegs, retransSegs, listenOverflows, listenDrops }: TcpCounters): ParsedFacts {
  const retransmitPct = outSegs !== undefined && retransSegs !== undefined ? percent(retransSegs, outSegs + retransSegs) : undefined;
  const listened = listenCount({ listenOverflows, listenDrops });
  const listen = listened === undefined ? undefined : listened > 0;
  return definedFacts({ 'tcp.retransmit_pct': retransmitPct, 'kernel.listen_overflows': listen });
}

/** The listen-queue counters of one run, summed, or undefined when the run lists neither. */
function listenCount({ listenOverflows, listenDrops }: TcpCounters): number | undefined {
  return listenOverflows === undefined && listenDrops === undefined ? undefined : (listenOverflows ?? 0) + (listenDrops ?? 0);
}
