import { segmentCounters, tcpCounterFacts, type TcpCounters } from '../tcp-counters.js';
import type { InputWarning } from '../../core/request.js';
import { counterRuns, RISING_DURING, risingSinceBoot, type CounterLine, type RisingFactName, type SinceBootCounter } from './since-boot.js';
import { notRecognised, type ArtifactParser, type ParseContext, type ParsedFacts } from './types.js';
import { artifactLines, toNumber } from './text.js';

const EXPECTED = 'output of `nstat -az` (iproute2: "TcpOutSegs  466451  0.0" lines)';
// A counter, its value and nstat's rate column ("0.0").
const COUNTER = /^(Tcp\w+|Ip\w+|Udp\w+|Icmp\w+)\s+(\d+)(?:\s+\d+(?:\.\d+)?)?\s*$/;
// A shell's command line that runs nstat ("$ nstat -az", "root@web1:~# nstat -z TcpExt*"); its options follow.
const NSTAT_COMMAND = /(?:^|[$#]\s*)nstat(?:\s|$)/;

/** A line of nstat's output: "#kernel" starts a run, a counter line gives a counter (counterRuns). */
function nstatLine(line: string): CounterLine {
  const trimmed = line.trim();
  if (trimmed === '#kernel') return 'header';
  const match = COUNTER.exec(trimmed);
  const value = toNumber(match?.[2]);
  return match?.[1] === undefined || value === undefined ? undefined : [match[1], value];
}

/**
 * Whether the paste shows nstat run without -a (--ignore): then it prints the change since its
 * own last run (its history file), not the counts since boot. Only a command line in the paste
 * says so; without one the counts are taken as since boot, what the question's `nstat -az` prints.
 */
function changesSinceLastRun(all: readonly string[]): boolean {
  const line = all.find((text) => NSTAT_COMMAND.test(text.trim()))?.trim();
  const command = line === undefined ? null : NSTAT_COMMAND.exec(line);
  if (line === undefined || command === null) return false;
  const options = line.slice(command.index + command[0].length).trim().split(/\s+/);
  return !options.some((option) => option === '--ignore' || /^-[a-zA-Z]*a/.test(option));
}

function counters(run: ReadonlyMap<string, number>): TcpCounters {
  return { outSegs: run.get('TcpOutSegs'), retransSegs: run.get('TcpRetransSegs') };
}

/**
 * Whether a counter rose over nstat's runs (its value in each run that lists it): changes since
 * nstat's last run rise when above 0, counts since boot when a later run is higher.
 */
function counterRose(counts: readonly number[], changes: boolean, counter: Omit<SinceBootCounter, 'runs' | 'tool'>, warn: ParseContext['warn']): boolean | undefined {
  const last = counts.at(-1);
  if (last === undefined) return undefined;
  if (changes) return last > 0;
  return risingSinceBoot({ ...counter, runs: counts, tool: 'nstat -az' }, warn);
}

/** Packets strict reverse-path filtering dropped (Linux's LINUX_MIB_IPRPFILTER, in /proc/net/netstat's TcpExt line). */
const REVERSE_PATH_COUNTER = 'TcpExtIPReversePathFilter';
/** Segments and datagrams received with a bad checksum and dropped (docs.kernel.org/networking/snmp_counter.html). */
const CHECKSUM_COUNTERS = ['TcpInCsumErrors', 'UdpInCsumErrors', 'Udp6InCsumErrors'] as const;

/**
 * Times the sender's TCP found a segment it took for lost had only come late (SACK, timestamps or
 * duplicate ACKs show the retransmission was spurious): reordering on the path
 * (docs.kernel.org/networking/snmp_counter.html).
 */
const REORDERING_COUNTERS = ['TcpExtTCPSACKReorder', 'TcpExtTCPTSReorder', 'TcpExtTCPRenoReorder'] as const;

/** A rising counter of the kernel's and the fact it gives when it rises. */
interface RisingFact {
  fact: RisingFactName;
  counters: readonly string[];
  /** How far apart the two runs are taken (when: RISING_DURING). */
  apart: string;
}

const RISING_FACTS: readonly RisingFact[] = [
  { fact: 'kernel.listen_overflows', counters: ['TcpExtListenOverflows', 'TcpExtListenDrops'], apart: 'a few seconds' },
  { fact: 'kernel.rp_filter_drops', counters: [REVERSE_PATH_COUNTER], apart: 'ten seconds' },
  { fact: 'kernel.csum_errors', counters: CHECKSUM_COUNTERS, apart: 'ten seconds' },
  { fact: 'tcp.reordering', counters: REORDERING_COUNTERS, apart: 'a minute' },
];

/**
 * A fact from the sum of its counters in each run that lists any of them, read as the listen
 * counters are (rising since boot, or above 0 as changes since nstat's last run).
 */
function risingFact({ fact, counters, apart }: RisingFact, runs: ReadonlyArray<ReadonlyMap<string, number>>, changes: boolean, warn: ParseContext['warn']): boolean | undefined {
  const counts = runs.flatMap((run) => {
    const listed = counters.map((name) => run.get(name)).filter((count) => count !== undefined);
    return listed.length === 0 ? [] : [listed.reduce((sum, count) => sum + count, 0)];
  });
  const names = counters.join(' ');
  return counterRose(counts, changes, { fact, name: counters.join(' + '), twice: `${apart} apart ${RISING_DURING[fact]} (nstat -az ${names}; sleep 10; nstat -az ${names})` }, warn);
}

/** The counters this parser reads, and the fact each pair gives. */
const READ_COUNTERS = `TcpOutSegs and TcpRetransSegs (tcp.retransmit_pct), TcpExtListenOverflows and TcpExtListenDrops (kernel.listen_overflows), ${REVERSE_PATH_COUNTER} (kernel.rp_filter_drops), ${CHECKSUM_COUNTERS.join(', ')} (kernel.csum_errors), ${REORDERING_COUNTERS.join(', ')} (tcp.reordering)`;

/** The reset counters rca's own checks print (client_abortive_close's `nstat -az TcpEstabResets TcpExtTCPAbortOnData`). */
const RESET_COUNTER = /^(?:TcpEstabResets|TcpOutRsts|TcpExtTCPAbortOn\w+)$/;

/** How many of the listed counters a warning names before "...". */
const NAMED_COUNTERS = 6;

/**
 * The warning for nstat output that gives no fact (none of the counters read, or TcpOutSegs without
 * TcpRetransSegs): what it lists, what is read,
 * and for reset counters why they give no fact. TcpEstabResets counts every connection of the
 * host that left ESTABLISHED or CLOSE-WAIT for CLOSED (tcp_set_state): ended by an RST it
 * received or sent, or dropped when its retransmissions ran out, with no RST at all; the
 * TCPAbortOn* counters count the RSTs this host sends. None is tcp.rst_seen (a capture's RSTs
 * ending the service's connections) nor says who sent them.
 */
function noCounterRead(names: readonly string[]): InputWarning {
  const listed = names.length > NAMED_COUNTERS ? `${names.slice(0, NAMED_COUNTERS).join(', ')}, ...` : names.join(', ');
  const message = `nstat lists ${listed}, which gives no fact: it reads ${READ_COUNTERS}, the retransmit share only with both of its counters`;
  if (!names.some((name) => RESET_COUNTER.test(name))) return { field: 'tcp.retransmit_pct', message: `${message} (\`nstat -az TcpOutSegs TcpRetransSegs TcpExtListenOverflows TcpExtListenDrops\` prints them)` };
  return {
    field: 'tcp.rst_seen',
    message:
      `${message}. The reset counters are the whole host's and count more than RSTs (TcpEstabResets also counts connections dropped after their retransmissions ran out, and RSTs this host sent), ` +
      "so they give no tcp.rst_seen; a capture on the server shows the RSTs and who sends them: `tcpdump -nn -c 20 'tcp[tcpflags] & tcp-rst != 0 and port PORT'`",
  };
}

export const nstatParser: ArtifactParser = {
  kind: 'nstat',
  describe:
    'nstat -az (counters since boot), run twice a few seconds apart for kernel.listen_overflows: true when TcpExtListenOverflows + ' +
    'TcpExtListenDrops rose from the first run to the last (one run: false only when both are 0, else unknown, with a warning); ' +
    'after a command line showing nstat without -a (the change since its last run), true when above 0. tcp.retransmit_pct from ' +
    'TcpRetransSegs and TcpOutSegs between the first and the last run (at least 100 segments apart), else since boot (a share of all sent ' +
    'since boot, which dilutes a recent fault). kernel.rp_filter_drops from TcpExtIPReversePathFilter (packets strict reverse-path filtering dropped) and kernel.csum_errors from TcpInCsumErrors + UdpInCsumErrors + Udp6InCsumErrors (segments received with a bad checksum) and tcp.reordering from TcpExtTCPSACKReorder + TcpExtTCPTSReorder + TcpExtTCPRenoReorder (reordering the sender detected), each the same way as the listen counters. Only counters that are listed; nstat output with none of these (the reset counters TcpEstabResets, ' +
    'TcpExtTCPAbortOnData: the whole host\'s, and not only RSTs) gives no fact but a warning naming the counters read',
  parse(text, context) {
    const all = artifactLines(text);
    const listed = counterRuns(all, nstatLine);
    const runs = listed.map(counters);
    if (runs.length === 0) throw notRecognised('nstat', EXPECTED);
    const warnings: InputWarning[] = [];
    const facts: ParsedFacts = tcpCounterFacts(segmentCounters(runs));
    const changes = changesSinceLastRun(all);
    for (const rising of RISING_FACTS) {
      const value = risingFact(rising, listed, changes, (warning) => warnings.push(warning));
      if (value !== undefined) facts[rising.fact] = value;
    }
    // A count one run cannot judge is told as a warning (the paste reads as no fact, as parseArtifact
    // allows once warned); so is nstat's output of counters none of which is read.
    if (Object.keys(facts).length === 0 && warnings.length === 0) warnings.push(noCounterRead([...new Set(listed.flatMap((run) => [...run.keys()]))]));
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
