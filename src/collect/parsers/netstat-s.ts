import { tcpCounterFacts } from '../tcp-counters.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, numberAfter } from './text.js';

const EXPECTED = 'output of `netstat -s` (Linux net-tools) with its Tcp: and TcpExt: sections';

/** One "Name:" section: the indented lines under its header, up to the next unindented line. */
interface Section {
  lines: string[];
  /** Whether another section's header ("IpExt:") follows, so the section is known to be whole. */
  whole: boolean;
}

const SECTION_HEADER = /^\w+:$/;
// A counter line: "    914 TCP sockets finished time wait in fast timer" or "    TCPTimeouts: 2".
const COUNTER_LINE = /^[ \t]+(?:\d+ \S|\w+: \d+$)/;

function section(all: readonly string[], name: string): Section | undefined {
  const headerAt = all.findIndex((line, i) => line === `${name}:` && i + 1 < all.length);
  if (headerAt < 0) return undefined;
  let end = headerAt + 1;
  while (end < all.length && /^[ \t]/.test(all[end] ?? '')) end++;
  return { lines: all.slice(headerAt + 1, end), whole: SECTION_HEADER.test(all[end] ?? '') };
}

// Counts start where a digit run starts (the look-behind): a long run of digits is read once.
const SENT = /(?<!\d)(\d+) segments sen[dt] out/;
const RETRANSMITTED = /(?<!\d)(\d+) segments retransmit+ed/;
const OVERFLOWED = /(?<!\d)(\d+) times the listen queue of a socket overflowed/;
const DROPPED = /(?<!\d)(\d+) SYNs to LISTEN sockets (?:dropped|ignored)/;

export const netstatSParser: ArtifactParser = {
  kind: 'netstat-s',
  describe:
    'netstat -s (Linux): tcp.retransmit_pct = segments retransmitted / all segments sent; kernel.listen_overflows when ' +
    '"times the listen queue of a socket overflowed" or "SYNs to LISTEN sockets dropped" is above 0 (counters since boot)',
  parse(text) {
    const all = artifactLines(text);
    const tcp = section(all, 'Tcp');
    const tcpExt = section(all, 'TcpExt');
    if (tcp === undefined && tcpExt === undefined) throw notRecognised('netstat-s', EXPECTED);
    // netstat -s leaves out TcpExt counters that are zero, so a missing line means 0, but only in
    // a whole TcpExt section that holds counters: a cut or made-up one says nothing.
    const zeroWhenMissing = tcpExt !== undefined && tcpExt.whole && tcpExt.lines.some((line) => COUNTER_LINE.test(line));
    const extCounter = (pattern: RegExp) => (tcpExt === undefined ? undefined : (numberAfter(tcpExt.lines, pattern) ?? (zeroWhenMissing ? 0 : undefined)));
    const facts = tcpCounterFacts({
      // Older net-tools spell it "segments send out".
      outSegs: tcp === undefined ? undefined : numberAfter(tcp.lines, SENT),
      retransSegs: tcp === undefined ? undefined : numberAfter(tcp.lines, RETRANSMITTED),
      listenOverflows: extCounter(OVERFLOWED),
      listenDrops: extCounter(DROPPED),
    });
    if (Object.keys(facts).length === 0) {
      throw notRecognised('netstat-s', EXPECTED, 'neither segment counters in a Tcp: section nor listen-queue counters in a whole TcpExt: section');
    }
    return facts;
  },
};
