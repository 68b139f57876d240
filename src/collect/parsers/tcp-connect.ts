import type { FactValue } from '../../core/vocabulary.js';
import { lookedUpName, openQuestionWarnings, readErrorLine, type OpenQuestion } from './error-text.js';
import { notRecognised, type ArtifactParser, type ParseContext } from './types.js';
import { artifactLines } from './text.js';

/**
 * A TCP connect test as the tools engineers run it print the result: `nc -vz HOST PORT`
 * (OpenBSD netcat, as Debian and macOS ship it; the traditional netcat; busybox), nmap's
 * `ncat`, `telnet HOST PORT`, bash's `/dev/tcp` and PowerShell's `Test-NetConnection -Port`.
 * Each line is matched whole against its tool's own sentence, and a failure's reason is the
 * strerror(3) text after the line's last ": " (an IPv6 address in the line has colons, never
 * ": "), so no pattern backtracks over a line.
 */

type Outcome = 'ok' | 'refused' | 'timeout' | 'reset';

/**
 * What a line says: a connect's outcome, a failure with no tcp.connect outcome (what to tell of
 * it), a name lookup that failed before any connect (its dns.result, or what it leaves open), or nothing.
 */
type LineResult = { outcome: Outcome } | { unmapped: string } | { lookup: { dnsResult?: FactValue; open: OpenQuestion[] } } | undefined;

/** A lookup's failure, its reason (gai_strerror's text) read as every parser of error text reads it (error-text.ts). */
function lookupFailure(line: string): LineResult {
  const { findings, open } = readErrorLine(line);
  const dnsResult = findings.find(([fact]) => fact === 'dns.result')?.[1];
  const name = lookedUpName(line);
  return { lookup: dnsResult === undefined ? { open: [...open, name === undefined ? { about: 'lookup' } : { about: 'lookup', name }] } : { dnsResult, open } };
}

/** strerror(3) texts (glibc, BSD/macOS) and the tools' own words, lower-cased, by the outcome they mean. */
const REASONS: ReadonlyMap<string, Outcome> = new Map([
  ['connection refused', 'refused'],
  ['connection timed out', 'timeout'],
  ['operation timed out', 'timeout'],
  ['timed out', 'timeout'],
  ['timeout', 'timeout'],
  ['connection reset by peer', 'reset'],
]);

/** The longest reason an error repeats back: enough for any strerror text. */
const REASON_CHARS = 60;

function byReason(reason: string): LineResult {
  const text = reason.trim().replace(/\.$/, '');
  const outcome = REASONS.get(text.toLowerCase());
  return outcome ? { outcome } : { unmapped: `a failed connect (${JSON.stringify(text.slice(0, REASON_CHARS))}), which tcp.connect has no outcome for (ok, refused, timeout, reset)` };
}

/** The text after the line's last ": ". */
const afterLastColon = (line: string) => line.slice(line.lastIndexOf(': ') + 2);

/** `HOST [ADDRESS] PORT (SERVICE)` of the traditional netcat, then " open" or " : REASON". */
const TRADITIONAL = /^\S+ \[[^\]\s]*\] \d+ \([^)\s]*\) (open|: .+)$/;

const TELNET_FAILED = ['telnet: Unable to connect to remote host: ', 'telnet: connect to address ', "telnet: can't connect to remote host "];

/** busybox's full nc: `HOST (ADDRESS:PORT) open`, `nc: HOST (ADDRESS:PORT): REASON`. */
const BUSYBOX_OPEN = /^\S+ \([^)\s]*\) open$/;
const BUSYBOX_FAILED = /^nc: \S+ \([^)\s]*\): /;

/** Each tool's sentences, tried in turn; the first that knows the line says what it means. */
const READERS: ReadonlyArray<(line: string) => LineResult> = [
  // OpenBSD netcat and macOS: "Connection to HOST [(ADDRESS)] PORT port [tcp/SERVICE] succeeded!"
  (line) => (line.startsWith('Connection to ') && line.endsWith(' succeeded!') ? { outcome: 'ok' } : undefined),
  // OpenBSD netcat: "nc: connect to HOST port PORT (tcp) failed: REASON" or "... timed out: Operation now in progress"; macOS: "nc: connectx to ...".
  // OpenBSD netcat when the name does not resolve: "nc: getaddrinfo for host "NAME" port PORT: REASON".
  (line) => (/^(?:nc|netcat|nc\.openbsd): getaddrinfo for host "/.test(line) ? lookupFailure(line) : undefined),
  (line) => {
    if (!/^(?:nc|netcat|nc\.openbsd): connectx? to /.test(line)) return undefined;
    return line.includes(' (tcp) timed out: ') ? { outcome: 'timeout' } : byReason(afterLastColon(line));
  },
  // busybox: "nc: can't connect to remote host (ADDRESS): REASON", "nc: timed out"; its full
  // build (Alpine's, nc_bloaty.c) with -v: "HOST (ADDRESS:PORT) open", "nc: HOST (ADDRESS:PORT): REASON".
  (line) => (line.startsWith("nc: can't connect to remote host ") || BUSYBOX_FAILED.test(line) ? byReason(afterLastColon(line)) : line === 'nc: timed out' ? { outcome: 'timeout' } : undefined),
  (line) => (BUSYBOX_OPEN.test(line) ? { outcome: 'ok' } : undefined),
  (line) => {
    const match = TRADITIONAL.exec(line);
    if (!match) return undefined;
    return match[1] === 'open' ? { outcome: 'ok' } : byReason((match[1] as string).slice(2));
  },
  // ncat: "Ncat: Connected to ADDRESS:PORT.", "Ncat: Connection refused.", "Ncat: TIMEOUT."
  (line) => {
    if (!line.startsWith('Ncat: ')) return undefined;
    if (/^Ncat: Connected to \S+\.$/.test(line)) return { outcome: 'ok' };
    return /^Ncat: (?:Version |\d+ bytes sent)/.test(line) ? undefined : byReason(afterLastColon(line));
  },
  // telnet: "Connected to HOST.", "telnet: Unable to connect to remote host: REASON", netkit's
  // "telnet: connect to address ADDRESS: REASON", busybox's "telnet: can't connect to remote host (ADDRESS): REASON".
  (line) => (/^Connected to \S+\.$/.test(line) ? { outcome: 'ok' } : undefined),
  (line) => (TELNET_FAILED.some((start) => line.startsWith(start)) ? byReason(afterLastColon(line)) : undefined),
  // bash: "bash: connect: REASON", "bash: line 1: /dev/tcp/HOST/PORT: REASON"; a login shell's
  // "-bash: ...", a script's "./check.sh: line 3: /dev/tcp/...".
  (line) => (/^-?bash: connect: /.test(line) || /^(?:-?bash|\S+: line \d+): (?:line \d+: )?\/dev\/tcp\//.test(line) ? byReason(afterLastColon(line)) : undefined),
  // PowerShell: "TcpTestSucceeded : True"; False does not say whether it was refused or timed out.
  (line) => {
    const match = /^TcpTestSucceeded *: *(True|False) *$/i.exec(line);
    if (!match) return undefined;
    return (match[1] as string).toLowerCase() === 'true' ? { outcome: 'ok' } : { unmapped: 'TcpTestSucceeded False, which does not say whether the connect was refused or timed out (nc -vz or telnet does)' };
  },
];

/** A line as pasted: a terminal's trailing spaces and a ticket's indent are not the tool's. */
function readLine(pasted: string): LineResult {
  const line = pasted.trim();
  for (const read of READERS) {
    const result = read(line);
    if (result) return result;
  }
  return undefined;
}

/** Whether LINE is one a connect test's tools print, read or not (detect.ts's signature of the kind: one reading of each tool's sentences). */
export function isConnectTestLine(line: string): boolean {
  return readLine(line) !== undefined;
}

const EXPECTED =
  'output of a TCP connect test: `nc -vz -w 5 HOST PORT` (OpenBSD or traditional netcat, busybox, macOS), `ncat -vz HOST PORT`, `telnet HOST PORT`, bash\'s `echo > /dev/tcp/HOST/PORT` or PowerShell\'s `Test-NetConnection HOST -Port PORT`';

const onLines = (outcome: Outcome, n: number) => `${outcome} on ${n} line${n === 1 ? '' : 's'}`;

/**
 * One test's outcome from its attempts, in the order printed. nc and telnet try a host's
 * addresses in turn until one connects (::1 refused, then 127.0.0.1 connected), so a success
 * anywhere is the test's; without one, the last failure is its verdict (telnet's closing
 * "Unable to connect" line). Failures beside a success, or failures that differ, are said.
 */
function settle(outcomes: readonly Outcome[], context: ParseContext | undefined): Outcome {
  const kept = outcomes.includes('ok') ? 'ok' : (outcomes.at(-1) as Outcome);
  const others = outcomes.filter((outcome) => outcome !== kept);
  if (others.length > 0) {
    const failed = [...new Set(others)].map((outcome) => onLines(outcome, others.filter((o) => o === outcome).length)).join(', ');
    const message =
      kept === 'ok'
        ? `it connected, after failed attempts (${failed}) to another address of the host or another port; kept "ok"`
        : `the attempts failed differently (${failed} before the last); kept ${JSON.stringify(kept)}, the last`;
    context?.warn?.({ field: 'tcp.connect', message });
  }
  return kept;
}

export const tcpConnectParser: ArtifactParser = {
  kind: 'tcp-connect',
  describe:
    'nc -vz -w 5 HOST PORT (OpenBSD or traditional netcat, busybox, macOS; also ncat, telnet HOST PORT, bash /dev/tcp, PowerShell Test-NetConnection -Port): ' +
    'tcp.connect (ok, refused, timeout, reset): ok when an attempt connected, else the last failure, with a warning when attempts differ; ' +
    'a name that did not resolve (nc\'s "getaddrinfo for host ...: Name or service not known"): dns.result, read as app-errors reads the reason',
  parse(text, context) {
    const outcomes: Outcome[] = [];
    const dnsResults: FactValue[] = [];
    const open: OpenQuestion[] = [];
    let unmapped: string | undefined;
    for (const line of artifactLines(text)) {
      const result = readLine(line);
      if (result && 'outcome' in result) outcomes.push(result.outcome);
      else if (result && 'lookup' in result) {
        if (result.lookup.dnsResult !== undefined) dnsResults.push(result.lookup.dnsResult);
        for (const question of result.lookup.open) if (!open.some((q) => q.about === question.about)) open.push(question);
      } else if (result) unmapped ??= result.unmapped;
    }
    // The name that did not resolve was never connected to: its dns.result, and no tcp.connect.
    const facts: Record<string, FactValue> = {};
    if (outcomes.length > 0) facts['tcp.connect'] = settle(outcomes, context);
    if (dnsResults.length > 0) facts['dns.result'] = dnsResults.at(-1) as FactValue;
    const warnings = openQuestionWarnings(open, facts);
    if (Object.keys(facts).length === 0 && warnings.length === 0) throw notRecognised('tcp-connect', EXPECTED, unmapped);
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
