import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells, definedFacts, round, toNumber } from './text.js';

/**
 * mtr's report (`mtr -r`, `--report`; ui/report.c): a "Start:" line, a header "HOST: NAME" with
 * the column titles after it, then one row per hop, " N.|-- HOST  Loss%  Snt  Last  Avg  Best
 * Wrst StDev", the hop's name cut to fit unless -w (--report-wide) is given. With -z (or -y) a
 * column of AS numbers (or prefixes, countries) takes the place of "|--": " N. AS???  HOST ...".
 * -b shows a resolved hop as "name (address)", a hop that never answered is "???". More
 * addresses answering for one hop (load balancing) follow their hop on lines without a number
 * ("    |  `|-- ADDRESS", or the -z form "     AS???  ADDRESS"), as do MPLS labels: only
 * numbered rows are hops.
 *
 * The probes are ICMP echo requests (mtr's default) with a rising TTL: a hop's Loss% is the share
 * of probes that got no reply from it. A router answers a probe that expires at it with ICMP
 * time exceeded, which routers rate-limit and answer last (RFC 1812 4.3.2.8; Linux
 * net.ipv4.icmp_ratelimit), so a hop may show loss that no later hop shows: nothing was lost on
 * the path, only that router's replies. The destination answers the echo itself, so its row is
 * what ping to it shows.
 */

interface Hop {
  /** Loss% as printed: the share of probes the hop did not answer. */
  loss: number;
  avgMs?: number;
  worstMs?: number;
  /** "???": no probe to this hop got an answer. */
  silent: boolean;
}

const EXPECTED = 'output of `mtr -rwbzc 100 HOST` (report mode: -r or -rw, with or without -b and -z): a "HOST:" header with Loss% among its columns, then one numbered row per hop';

/** A hop's number as the row starts: "1.|--" (report), or "1." before -z's column of AS numbers. */
const HOP_NUMBER = /^\d{1,3}\.(?:\|--)?$/;

/** The header's titles: every word after "HOST:" and the local host's name, when Loss% is among them. */
function headerTitles(line: string): string[] | undefined {
  const words = cells(line);
  if (words[0] !== 'HOST:' || !words.includes('Loss%')) return undefined;
  // The host's name is one word (gethostname); each title is printed after a space of its own.
  return words.slice(2);
}

/**
 * A Loss% cell: mtr prints " %4.1f%%" into 6 columns (ui/mtr.c), so 100% loses its "%" to the next
 * column ("100.0"), and every cell starts with a space, whatever the length of the name before it.
 */
function lossPct(cell: string): number | undefined {
  const loss = toNumber(cell.endsWith('%') ? cell.slice(0, -1) : cell);
  return loss !== undefined && loss >= 0 && loss <= 100 ? loss : undefined;
}

/** The hop LINE is a row of, under the header's TITLES; undefined when it is no hop's row (or not a whole one). */
function readHop(line: string, titles: readonly string[]): Hop | undefined {
  const words = cells(line);
  if (!HOP_NUMBER.test(words[0] ?? '') || words.length < titles.length + 1) return undefined;
  const values = words.slice(words.length - titles.length);
  const column = (title: string) => values[titles.indexOf(title)];
  const loss = lossPct(column('Loss%') ?? '');
  if (loss === undefined) return undefined;
  const names = words.slice(1, words.length - titles.length);
  return { loss, avgMs: toNumber(column('Avg')), worstMs: toNumber(column('Wrst')), silent: names[names.length - 1] === '???' };
}

/** The hops of the last report in LINES (a paste of two runs is read as the later one), or why there are none. */
function readReport(lines: readonly string[]): Hop[] | string {
  let titles: string[] | undefined;
  let hops: Hop[] = [];
  for (const line of lines) {
    const header = headerTitles(line);
    if (header) {
      titles = header;
      hops = [];
      continue;
    }
    const hop = titles && readHop(line, titles);
    if (hop) hops.push(hop);
  }
  if (!titles) return 'unrecognised text';
  return hops.length > 0 ? hops : 'a report header without hop rows';
}

function pingResult(lossPct: number): 'ok' | 'partial_loss' | 'fail' {
  return lossPct === 0 ? 'ok' : lossPct >= 100 ? 'fail' : 'partial_loss';
}

export const mtrParser: ArtifactParser = {
  kind: 'mtr',
  describe:
    'mtr -rwbzc 100 HOST (report mode, -r or -rw, with or without -b and -z; ICMP probes, the default): the last hop is the ' +
    "destination, whose row is ping's: ping.result and ping.loss_pct from its Loss%, ping.rtt_avg_ms and ping.rtt_max_ms from its Avg " +
    'and Wrst; ping.intermediate_loss_only when hops before it lose probes and it loses none (routers rate-limiting their ICMP ' +
    'replies, not loss on the path)',
  parse(text) {
    const hops = readReport(artifactLines(text));
    if (typeof hops === 'string') throw notRecognised('mtr', EXPECTED, hops);
    const destination = hops[hops.length - 1] as Hop;
    const answered = !destination.silent;
    return definedFacts({
      'ping.result': pingResult(destination.loss),
      'ping.loss_pct': round(destination.loss, 1),
      'ping.rtt_avg_ms': answered && destination.avgMs !== undefined ? round(destination.avgMs, 3) : undefined,
      'ping.rtt_max_ms': answered && destination.worstMs !== undefined ? round(destination.worstMs, 3) : undefined,
      'ping.intermediate_loss_only': destination.loss === 0 && hops.slice(0, -1).some((hop) => hop.loss > 0),
    });
  },
};
