import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { numberAfter, percent, round } from './text.js';

/** The statistics block every ping prints at the end, whatever the platform. */
export interface PingSummary {
  transmitted: number;
  received: number;
  avgMs?: number;
  maxMs?: number;
  /** Payload size from the PING header line, when shown. */
  payloadBytes?: number;
}

// iputils: "5 packets transmitted, 5 received, 0% packet loss"; BSD, macOS and busybox:
// "3 packets transmitted, 2 packets received, 33.3% packet loss".
const UNIX_COUNTS = /(\d+) packets transmitted, (\d+) (?:packets )?received/;
// Windows: "Packets: Sent = 4, Received = 3, Lost = 1 (25% loss),"
const WINDOWS_COUNTS = /Sent = (\d+), Received = (\d+)/;
// iputils "rtt min/avg/max/mdev = a/b/c/d ms", BSD "round-trip min/avg/max/stddev = ...",
// busybox "round-trip min/avg/max = a/b/c ms".
const UNIX_RTT = /(?:rtt|round-trip) min\/avg\/max(?:\/\w+)? = [\d.]+\/([\d.]+)\/([\d.]+)/;
const PAYLOAD = /^PING .*?\)?:? (\d+)(?:\(\d+\))? (?:data )?bytes/m;
const WINDOWS_PAYLOAD = /^Pinging .* with (\d+) bytes of data/m;

export function readPingSummary(text: string): PingSummary | undefined {
  const counts = UNIX_COUNTS.exec(text) ?? WINDOWS_COUNTS.exec(text);
  if (!counts) return undefined;
  const summary: PingSummary = { transmitted: Number(counts[1]), received: Number(counts[2]) };
  const rtt = UNIX_RTT.exec(text);
  if (rtt) {
    summary.avgMs = Number(rtt[1]);
    summary.maxMs = Number(rtt[2]);
  } else {
    summary.avgMs = numberAfter(text, /Average = (\d+)ms/);
    summary.maxMs = numberAfter(text, /Maximum = (\d+)ms/);
  }
  summary.payloadBytes = numberAfter(text, PAYLOAD) ?? numberAfter(text, WINDOWS_PAYLOAD);
  return summary;
}

const EXPECTED = 'output of `ping -c N HOST` (Linux iputils, BSD/macOS, busybox or Windows) with its statistics summary';

export const pingParser: ArtifactParser = {
  kind: 'ping',
  describe: 'ping -c 10 HOST: ping.result, ping.loss_pct, ping.rtt_avg_ms, ping.rtt_max_ms (Linux, BSD/macOS, busybox, Windows)',
  parse(text) {
    const summary = readPingSummary(text);
    if (!summary) throw notRecognised('ping', EXPECTED, /bytes from|Reply from/.test(text) ? 'replies but no statistics summary (truncated?)' : undefined);
    const { transmitted, received } = summary;
    if (transmitted === 0) throw notRecognised('ping', EXPECTED, 'a summary with 0 packets transmitted');
    const facts: ParsedFacts = {
      'ping.result': received >= transmitted ? 'ok' : received === 0 ? 'fail' : 'partial_loss',
      'ping.loss_pct': percent(Math.max(0, transmitted - received), transmitted) ?? 0,
    };
    if (received > 0 && summary.avgMs !== undefined) facts['ping.rtt_avg_ms'] = round(summary.avgMs, 3);
    if (received > 0 && summary.maxMs !== undefined) facts['ping.rtt_max_ms'] = round(summary.maxMs, 3);
    return facts;
  },
};
