import { counterRuns, risingSinceBoot, type CounterLine } from './since-boot.js';
import { notRecognised, type ArtifactParser, type ParseContext, type ParsedFacts } from './types.js';
import { artifactLines } from './text.js';

const EXPECTED = 'output of `ethtool -S IFACE` ("NIC statistics:", then "     name: value" lines), or its allowance lines (grep allowance_exceeded)';

/** One statistic as ethtool -S prints it: indented "name: value" (ethtool's dump_stats). */
const STATISTIC = /^\s*([A-Za-z0-9_.[\]-]{1,64}): (\d{1,20})\s*$/;
const HEADER = /^NIC statistics:\s*$/;

/**
 * The network allowances of an AWS ENA interface, each the packets the instance's hypervisor
 * queued or dropped for exceeding it since the driver loaded (the driver's ena_stats_eni_strings;
 * AWS EC2 user guide, "Monitor network performance for ENA settings on your EC2 instance").
 */
const PPS = 'pps_allowance_exceeded';
const OTHER_ALLOWANCES: Readonly<Record<string, string>> = {
  bw_in_allowance_exceeded: "the instance's inbound bandwidth allowance: packets queued or dropped for exceeding the aggregate inbound bandwidth",
  bw_out_allowance_exceeded: "the instance's outbound bandwidth allowance: packets queued or dropped for exceeding the aggregate outbound bandwidth",
  conntrack_allowance_exceeded: "the instance's connection-tracking allowance: new flows dropped because it tracks as many as its size allows (security groups track them)",
  linklocal_allowance_exceeded:
    'the link-local allowance: packets to the Amazon DNS resolver, the instance metadata service or the time service dropped over 1024 per second per interface (lookups time out: dns.slow_resolver)',
};

/** How to take the two runs a counter since the driver loaded needs. */
const TWICE = 'ten seconds apart while it is slow (ethtool -S eth0 | grep allowance_exceeded; sleep 10; ethtool -S eth0 | grep allowance_exceeded)';

/** A line of ethtool -S: "NIC statistics:" starts a run, a "name: value" line gives a statistic (counterRuns: two runs of a grep have no header). */
function statisticLine(line: string): CounterLine {
  if (HEADER.test(line)) return 'header';
  const match = STATISTIC.exec(line);
  return match ? [match[1] as string, Number(match[2])] : undefined;
}

/** The counter's value in each run that lists it. */
const countsOf = (runs: ReadonlyArray<ReadonlyMap<string, number>>, name: string) => runs.flatMap((run) => (run.has(name) ? [run.get(name) as number] : []));

function readAllowances(runs: ReadonlyArray<ReadonlyMap<string, number>>, context: ParseContext | undefined): ParsedFacts {
  const facts: ParsedFacts = {};
  const pps = countsOf(runs, PPS);
  if (pps.length === 0) {
    context?.warn?.({
      field: 'host.pps_at_limit',
      message: `this interface's driver counts no ${PPS} (an AWS ENA counter), so the output does not say whether packets hit the instance's limit: watch sar -n DEV 1 10 for rxpck/s + txpck/s flat at one value while traffic should grow`,
    });
  } else {
    const rising = risingSinceBoot({ fact: 'host.pps_at_limit', name: PPS, runs: pps, tool: 'ethtool -S', twice: TWICE, since: 'since the driver loaded' }, context?.warn);
    if (rising !== undefined) facts['host.pps_at_limit'] = rising;
  }
  for (const [name, meaning] of Object.entries(OTHER_ALLOWANCES)) {
    const counts = countsOf(runs, name);
    if (counts.length > 1 && (counts.at(-1) as number) > (counts[0] as number)) {
      context?.warn?.({ field: 'host.pps_at_limit', message: `${name} rose from ${counts[0]} to ${counts.at(-1)} between the runs: ${meaning}` });
    }
  }
  return facts;
}

/** Whether a text is ethtool -S's output or its allowance lines: its signature for `rca parse auto`. */
export function isEthtoolStatistics(lines: readonly string[]): boolean {
  return lines.some((line) => HEADER.test(line)) || lines.some((line) => STATISTIC.exec(line)?.[1]?.endsWith('_allowance_exceeded') === true);
}

export const ethtoolSParser: ArtifactParser = {
  kind: 'ethtool-s',
  describe:
    'ethtool -S IFACE, or its allowance_exceeded lines, in one run or, better, two taken ten seconds apart while it is slow: ' +
    `host.pps_at_limit from AWS ENA's ${PPS}, which counts since the driver loaded (rising between runs: true; the same: false; 0 in one run: false; above 0 in one run: no fact but a warning asking for two), ` +
    "and a warning when the instance's bandwidth, connection-tracking or link-local allowance counters rise; an interface whose driver counts no allowance gives no fact but a warning naming sar -n DEV",
  parse(text, context) {
    const all = artifactLines(text);
    if (!isEthtoolStatistics(all)) throw notRecognised('ethtool-s', EXPECTED);
    return readAllowances(counterRuns(all, statisticLine), context);
  },
};
