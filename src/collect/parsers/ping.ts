import { readErrorLines } from './app-errors.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, firstMatch, numberAfter, percent, round, toNumber } from './text.js';

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
// "3 packets transmitted, 2 packets received, 33.3% packet loss". A count starts where a digit
// run starts (the look-behind), so a long run of digits is read once, not once per digit.
const UNIX_COUNTS = /(?<!\d)(\d+) packets transmitted, (\d+) (?:packets )?received/;
// Windows: "Packets: Sent = 4, Received = 3, Lost = 1 (25% loss),"
const WINDOWS_COUNTS = /Sent = (\d+), Received = (\d+)/;
// iputils "rtt min/avg/max/mdev = a/b/c/d ms", BSD "round-trip min/avg/max/stddev = ...",
// busybox "round-trip min/avg/max = a/b/c ms".
const UNIX_RTT = /(?:rtt|round-trip) min\/avg\/max(?:\/\w+)? = [\d.]+\/([\d.]+)\/([\d.]+)/;
const PAYLOAD = /^PING .*?\)?:? (\d+)(?:\(\d+\))? (?:data )?bytes/;
const WINDOWS_PAYLOAD = /^Pinging .* with (\d+) bytes of data/;

export function readPingSummary(all: readonly string[]): PingSummary | undefined {
  const counts = firstMatch(all, UNIX_COUNTS) ?? firstMatch(all, WINDOWS_COUNTS);
  if (!counts) return undefined;
  const summary: PingSummary = { transmitted: Number(counts[1]), received: Number(counts[2]) };
  const rtt = firstMatch(all, UNIX_RTT);
  if (rtt) {
    summary.avgMs = toNumber(rtt[1]);
    summary.maxMs = toNumber(rtt[2]);
  } else {
    summary.avgMs = numberAfter(all, /Average = (\d+)ms/);
    summary.maxMs = numberAfter(all, /Maximum = (\d+)ms/);
  }
  summary.payloadBytes = numberAfter(all, PAYLOAD) ?? numberAfter(all, WINDOWS_PAYLOAD);
  return summary;
}

const EXPECTED = 'output of `ping -c N HOST` (Linux iputils, BSD/macOS, busybox or Windows) with its statistics summary';

export const pingParser: ArtifactParser = {
  kind: 'ping',
  describe: 'ping -c 10 HOST: ping.result, ping.loss_pct, ping.rtt_avg_ms, ping.rtt_max_ms (Linux, BSD/macOS, busybox, Windows); a name that did not resolve ("ping: NAME: Name or service not known"): dns.result or dns.temporary_failure as the error text says it (app-errors), no ping.result',
  parse(text, context) {
    const all = artifactLines(text);
    const summary = readPingSummary(all);
    if (!summary) {
      // A name that did not resolve sends nothing ("ping: NAME: Temporary failure in name
      // resolution"): no ping.result, but the lookup's failure, as app-errors reads the line.
      const lookup = readErrorLines(all.filter((line) => line.startsWith('ping: ')), context);
      if (lookup) return lookup;
      throw notRecognised('ping', EXPECTED, all.some((line) => /bytes from|Reply from/.test(line)) ? 'replies but no statistics summary (truncated?)' : undefined);
    }
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
