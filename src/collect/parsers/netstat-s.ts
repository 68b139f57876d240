import type { InputWarning } from '../../core/request.js';
import { segmentCounters, tcpCounterFacts } from '../tcp-counters.js';
import { RISING_DURING, risingSinceBoot, type RisingFactName } from './since-boot.js';
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
// A counter net-tools has no sentence for, printed by its kernel name and only when above 0
// (statistics.c, printval: "try our best"): the reverse-path counter (TcpExt), the checksum ones.
const REVERSE_PATH = /^\s+IPReversePathFilter: (\d+)$/;
const CHECKSUM = /^\s+InCsumErrors: (\d+)$/;
// net-tools after 2.10 gives UDP's checksum counter a sentence ("statistics: Add checksum errors for UDP").
const CHECKSUM_SENTENCE = /(?<!\d)(\d+) packets with invalid checksum/;
// Reordering the sender detected, printed only above 0 (Tcpexttab's opt_number entries).
const REORDERING = [/Detected reordering (\d+) times using SACK/, /Detected reordering (\d+) times using time stamp/, /Detected reordering (\d+) times using reno fast retransmit/];

/** Lines net-tools prints in every Tcp: and Udp: section, zero or not (statistics.c's `number` entries). */
const TCP_ALWAYS = /(?<!\d)\d+ segments received$/;
const UDP_ALWAYS = /(?<!\d)\d+ packets received$/;

/** Where a fact's counters are: a section, their lines, and a line that shows the section is netstat's own. */
interface CountersIn {
  section: string;
  patterns: readonly RegExp[];
  shownBy: RegExp;
}

/**
 * The sum of a section's counters, if it shows one. netstat -s leaves out counters that are zero
 * (TcpExt's, and any it prints by the kernel's name), so a missing line means 0, but only in a
 * whole section that shows a line netstat always prints there: a cut or made-up one says nothing.
 */
function countIn(section: Section, { patterns, shownBy }: CountersIn): number | undefined {
  const zeroWhenMissing = section.whole && section.lines.some((line) => shownBy.test(line));
  const counts = patterns.map((pattern) => numberAfter(section.lines, pattern) ?? (zeroWhenMissing ? 0 : undefined));
  return counts.every((count) => count === undefined) ? undefined : counts.reduce<number>((sum, count) => sum + (count ?? 0), 0);
}

/** A fact read from counters netstat -s prints since boot: which sections of a run, and which lines. */
interface RisingFact {
  fact: RisingFactName;
  name: string;
  counters: readonly CountersIn[];
}

const RISING_FACTS: readonly RisingFact[] = [
  { fact: 'kernel.listen_overflows', name: 'listen queue overflows + SYNs to LISTEN sockets dropped', counters: [{ section: 'TcpExt', patterns: [OVERFLOWED, DROPPED], shownBy: COUNTER_LINE }] },
  // Packets strict reverse-path filtering dropped (LINUX_MIB_IPRPFILTER, /proc/net/netstat's TcpExt line).
  { fact: 'kernel.rp_filter_drops', name: 'IPReversePathFilter', counters: [{ section: 'TcpExt', patterns: [REVERSE_PATH], shownBy: COUNTER_LINE }] },
  // Segments and datagrams received with a bad checksum and dropped (docs.kernel.org/networking/snmp_counter.html).
  // The kernel has counted them since 3.10, so a whole section without the line means none.
  {
    fact: 'kernel.csum_errors',
    name: 'InCsumErrors (Tcp + Udp)',
    counters: [
      { section: 'Tcp', patterns: [CHECKSUM], shownBy: TCP_ALWAYS },
      { section: 'Udp', patterns: [CHECKSUM, CHECKSUM_SENTENCE], shownBy: UDP_ALWAYS },
    ],
  },
  // Times the sender found a segment it took for lost had only come late (snmp_counter.html).
  { fact: 'tcp.reordering', name: 'Detected reordering (SACK + time stamp + reno)', counters: [{ section: 'TcpExt', patterns: REORDERING, shownBy: COUNTER_LINE }] },
];

/**
 * A fact's count in each run: the i-th section of each kind it reads is the i-th run (one run of
 * netstat -s prints each section once); a kind with fewer sections than another (a cut paste)
 * adds nothing, so the runs are never misaligned.
 */
function runCounts(all: readonly string[], { counters }: RisingFact): number[] {
  const bySection = counters.map((where) => sections(all, where.section).map((found) => countIn(found, where)));
  const runs = Math.max(0, ...bySection.map((found) => found.length));
  const counts: number[] = [];
  for (let run = 0; run < runs; run++) {
    const listed = bySection.map((found) => (found.length === runs ? found[run] : undefined)).filter((count) => count !== undefined);
    if (listed.length > 0) counts.push(listed.reduce((sum, count) => sum + count, 0));
  }
  return counts;
}

export const netstatSParser: ArtifactParser = {
  kind: 'netstat-s',
  describe:
    'netstat -s (Linux; counters since boot), run twice a few seconds apart for kernel.listen_overflows: true when "times the listen queue ' +
    'of a socket overflowed" + "SYNs to LISTEN sockets dropped" rose from the first run to the last (one run: false only when both are 0, ' +
    'else unknown, with a warning); kernel.rp_filter_drops from TcpExt\'s "IPReversePathFilter: N" and kernel.csum_errors from Tcp\'s and Udp\'s ' +
    '"InCsumErrors: N" (newer net-tools: "N packets with invalid checksum") and tcp.reordering from TcpExt\'s "Detected reordering N times using ..." ' +
    '(SACK, time stamp, reno fast retransmit), each the same way (netstat -s prints these only above 0, so a whole ' +
    'section without the line counts 0); tcp.retransmit_pct = segments retransmitted / all segments sent, between the first and the last run ' +
    '(at least 100 segments apart), else since boot',
  parse(text, context) {
    const all = artifactLines(text);
    const tcp = sections(all, 'Tcp');
    const tcpExt = sections(all, 'TcpExt');
    if (tcp.length === 0 && tcpExt.length === 0) throw notRecognised('netstat-s', EXPECTED);
    // Older net-tools spell it "segments send out".
    const facts: ParsedFacts = tcpCounterFacts(segmentCounters(tcp.map((section) => ({ outSegs: numberAfter(section.lines, SENT), retransSegs: numberAfter(section.lines, RETRANSMITTED) }))));
    const warnings: InputWarning[] = [];
    for (const rising of RISING_FACTS) {
      const value = risingSinceBoot(
        { fact: rising.fact, name: rising.name, runs: runCounts(all, rising), tool: 'netstat -s', twice: `a few seconds apart ${RISING_DURING[rising.fact]} (netstat -s; sleep 10; netstat -s)` },
        (warning) => warnings.push(warning),
      );
      if (value !== undefined) facts[rising.fact] = value;
    }
    // A count one run cannot judge is told as a warning (the paste reads as no fact, as parseArtifact
    // allows once warned); with nothing to warn of either, the text held no counter rca reads.
    if (Object.keys(facts).length === 0 && warnings.length === 0) throw notRecognised('netstat-s', EXPECTED, 'neither segment counters in a Tcp: section nor the listen-queue, reverse-path or checksum counters in a whole section');
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
