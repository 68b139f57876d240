import type { InputWarning } from '../../core/request.js';
import { listenCount, segmentCounters, tcpCounterFacts } from '../tcp-counters.js';
import { risingSinceBoot } from './since-boot.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
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

/** Every "Name:" section in the text, in order: one per run of netstat -s pasted. */
function sections(all: readonly string[], name: string): Section[] {
  const found: Section[] = [];
  for (let headerAt = 0; headerAt < all.length - 1; headerAt++) {
    if (all[headerAt] !== `${name}:`) continue;
    let end = headerAt + 1;
    while (end < all.length && /^[ \t]/.test(all[end] ?? '')) end++;
    found.push({ lines: all.slice(headerAt + 1, end), whole: SECTION_HEADER.test(all[end] ?? '') });
    headerAt = end - 1;
  }
  return found;
}

// Counts start where a digit run starts (the look-behind): a long run of digits is read once.
const SENT = /(?<!\d)(\d+) segments sen[dt] out/;
const RETRANSMITTED = /(?<!\d)(\d+) segments retransmit+ed/;
const OVERFLOWED = /(?<!\d)(\d+) times the listen queue of a socket overflowed/;
const DROPPED = /(?<!\d)(\d+) SYNs to LISTEN sockets (?:dropped|ignored)/;

/** The listen-queue counters of one TcpExt section, summed, if it shows them. */
function listenCounters(tcpExt: Section): number | undefined {
  // netstat -s leaves out TcpExt counters that are zero, so a missing line means 0, but only in
  // a whole TcpExt section that holds counters: a cut or made-up one says nothing.
  const zeroWhenMissing = tcpExt.whole && tcpExt.lines.some((line) => COUNTER_LINE.test(line));
  const counter = (pattern: RegExp) => numberAfter(tcpExt.lines, pattern) ?? (zeroWhenMissing ? 0 : undefined);
  return listenCount({ listenOverflows: counter(OVERFLOWED), listenDrops: counter(DROPPED) });
}

export const netstatSParser: ArtifactParser = {
  kind: 'netstat-s',
  describe:
    'netstat -s (Linux; counters since boot), run twice a few seconds apart for kernel.listen_overflows: true when "times the listen queue ' +
    'of a socket overflowed" + "SYNs to LISTEN sockets dropped" rose from the first run to the last (one run: false only when both are 0, ' +
    'else unknown, with a warning); tcp.retransmit_pct = segments retransmitted / all segments sent, between the first and the last run ' +
    '(at least 100 segments apart), else since boot',
  parse(text, context) {
    const all = artifactLines(text);
    const tcp = sections(all, 'Tcp');
    const tcpExt = sections(all, 'TcpExt');
    if (tcp.length === 0 && tcpExt.length === 0) throw notRecognised('netstat-s', EXPECTED);
    // Older net-tools spell it "segments send out".
    const facts: ParsedFacts = tcpCounterFacts(segmentCounters(tcp.map((section) => ({ outSegs: numberAfter(section.lines, SENT), retransSegs: numberAfter(section.lines, RETRANSMITTED) }))));
    const warnings: InputWarning[] = [];
    const counts = tcpExt.map(listenCounters).filter((count) => count !== undefined);
    const listen = risingSinceBoot(
      {
        fact: 'kernel.listen_overflows',
        name: 'listen queue overflows + SYNs to LISTEN sockets dropped',
        runs: counts,
        tool: 'netstat -s',
        twice: 'a few seconds apart while the problem happens (netstat -s; sleep 10; netstat -s)',
      },
      (warning) => warnings.push(warning),
    );
    if (listen !== undefined) facts['kernel.listen_overflows'] = listen;
    // A count one run cannot judge is told as a warning (the paste reads as no fact, as parseArtifact
    // allows once warned); with nothing to warn of either, the text held no counter rca reads.
    if (Object.keys(facts).length === 0 && warnings.length === 0) throw notRecognised('netstat-s', EXPECTED, 'neither segment counters in a Tcp: section nor listen-queue counters in a whole TcpExt: section');
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
