import type { InputWarning } from '../../core/request.js';
import type { FactValue } from '../../core/vocabulary.js';
import { EADDRNOTAVAIL, lookedUpName, openQuestionWarnings, readErrorLine, type Finding, type OpenQuestion } from './error-text.js';
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
 * A failure tcp.connect has no outcome for: its reason as printed, and the fact it proves where
 * one does (read only when it is the test's verdict), else what to tell of it.
 */
type Unplaced = { reason: string } & ({ finding: Finding } | { warning: string });

/** One attempt's result: an outcome tcp.connect holds, or a failure it does not. */
type Attempt = { outcome: Outcome } | { unplaced: Unplaced };

/**
 * What a line says: an attempt's result, a name lookup that failed before any connect (what its
 * reason says of the lookup, dns.result or dns.temporary_failure, or what it leaves open), or nothing.
 */
type LineResult = Attempt | { lookup: { findings: Finding[]; open: OpenQuestion[] } } | undefined;

/** A lookup's failure, its reason (gai_strerror's text) read as every parser of error text reads it (error-text.ts). */
function lookupFailure(line: string): LineResult {
  const reading = readErrorLine(line);
  const findings = reading.findings.filter(([fact]) => fact.startsWith('dns.'));
  const name = lookedUpName(line);
  const open = findings.length > 0 ? reading.open : [...reading.open, name === undefined ? ({ about: 'lookup' } as const) : ({ about: 'lookup', name } as const)];
  return { lookup: { findings, open } };
}

/** strerror(3) texts (glibc, BSD/macOS, musl) and the tools' own words, lower-cased, by the outcome they mean. */
const REASONS: ReadonlyMap<string, Outcome> = new Map([
  ['connection refused', 'refused'],
  ['connection timed out', 'timeout'],
  ['operation timed out', 'timeout'],
  ['timed out', 'timeout'],
  ['timeout', 'timeout'],
  ['connection reset by peer', 'reset'],
]);

const failedWith = (reason: string) => `the connect failed with ${JSON.stringify(reason)}`;

/** Said of a connect that never left the testing host. */
const NO_SYN_SENT = 'so no SYN reached the target and tcp.connect has no outcome for it';

type LocalFailure = (reason: string, ipv6: boolean) => Unplaced;

/**
 * EADDRNOTAVAIL: the host's source ports toward the target are spent, a state the client
 * application on the same host shares, so it reads as app-errors reads the same words. To an
 * IPv6 address it as often means no source address of that family (IPv6 off, no ::1: `nc -vz
 * localhost PORT` tries ::1 first), so there it proves nothing.
 */
const addressNotAvailable: LocalFailure = (reason, ipv6) =>
  ipv6
    ? {
        reason,
        warning: `${failedWith(reason)} (EADDRNOTAVAIL) to an IPv6 address: the host has no IPv6 source address for it (IPv6 off, no ::1) as often as its source ports are spent, ${NO_SYN_SENT}; test the IPv4 address (\`nc -4 -vz HOST PORT\`), and count the ports in use with \`ss -s\` against \`sysctl net.ipv4.ip_local_port_range\``,
      }
    : { reason, finding: EADDRNOTAVAIL };

const networkUnreachable: LocalFailure = (reason) => ({ reason, warning: `${failedWith(reason)} (ENETUNREACH): this host has no route to the address, ${NO_SYN_SENT}; \`ip route get ADDRESS\` shows the route it lacks` });

const hostUnreachable: LocalFailure = (reason) => ({
  reason,
  warning: `${failedWith(reason)} (EHOSTUNREACH): an ICMP host unreachable answered the SYN (no ARP answer on the local network, a router without a route, or a firewall's REJECT with icmp-host-prohibited), so nothing answered at the port and tcp.connect has no outcome for it; \`ip route get ADDRESS\`, \`ip neigh\` and the firewall rules on the path tell which`,
});

/** EMFILE is the test tool's own descriptor limit, not the application's: proc.emfile_errors is read from the application's log. */
const outOfDescriptors: LocalFailure = (reason) => ({
  reason,
  warning: `${failedWith(reason)} (EMFILE, or ENFILE for the whole host): the test tool could not open a socket, ${NO_SYN_SENT}; it is the tool's own descriptor limit (ulimit -n), not the application's, whose use \`ls /proc/PID/fd | wc -l\` and \`grep 'open files' /proc/PID/limits\` show`,
});

const refusedLocally: LocalFailure = (reason) => ({ reason, warning: `${failedWith(reason)} (EPERM, EACCES): this host's own firewall (an OUTPUT rule that drops or rejects) or a security policy refused the connect, ${NO_SYN_SENT}; \`iptables -S OUTPUT\` or \`nft list ruleset\` shows the rule` });

/** Failures on the testing host or on the way out of it, by their strerror(3) texts (glibc, BSD/macOS, musl), lower-cased. */
const LOCAL_FAILURES: ReadonlyMap<string, LocalFailure> = new Map([
  ['cannot assign requested address', addressNotAvailable],
  ["can't assign requested address", addressNotAvailable],
  ['address not available', addressNotAvailable],
  ['network is unreachable', networkUnreachable],
  ['network unreachable', networkUnreachable],
  ['no route to host', hostUnreachable],
  ['host is unreachable', hostUnreachable],
  ['too many open files', outOfDescriptors],
  ['no file descriptors available', outOfDescriptors],
  ['too many open files in system', outOfDescriptors],
  ['too many files open in system', outOfDescriptors],
  ['operation not permitted', refusedLocally],
  ['permission denied', refusedLocally],
]);

/** The longest reason an error repeats back: enough for any strerror text. */
const REASON_CHARS = 60;

/** An IPv6 address in a line ("(::1)", "fe80::1", "2001:db8:0:1::5"): two colons in one word. */
const IPV6_ADDRESS = /(?:^|[\s([])[\da-fA-F]*:[\da-fA-F]*:/;

/** The text after the line's last ": ". */
const afterLastColon = (line: string) => line.slice(line.lastIndexOf(': ') + 2);

/** What a failed attempt's REASON (the strerror text its LINE ends with) says. */
function byReason(reason: string, line: string): Attempt {
  const text = reason.trim().replace(/\.$/, '').slice(0, REASON_CHARS);
  const lower = text.toLowerCase();
  const outcome = REASONS.get(lower);
  if (outcome) return { outcome };
  const local = LOCAL_FAILURES.get(lower);
  if (local) return { unplaced: local(text, IPV6_ADDRESS.test(line.slice(0, line.lastIndexOf(': ')))) };
  return { unplaced: { reason: text, warning: `${failedWith(text)}, which tcp.connect has no outcome for (ok, refused, timeout, reset), so it gives no fact` } };
}

/** A failure line whose reason follows its last ": ". */
const failedLine = (line: string) => byReason(afterLastColon(line), line);

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
    return line.includes(' (tcp) timed out: ') ? { outcome: 'timeout' } : failedLine(line);
  },
  // busybox: "nc: can't connect to remote host (ADDRESS): REASON", "nc: timed out"; its full
  // build (Alpine's, nc_bloaty.c) with -v: "HOST (ADDRESS:PORT) open", "nc: HOST (ADDRESS:PORT): REASON".
  (line) => (line.startsWith("nc: can't connect to remote host ") || BUSYBOX_FAILED.test(line) ? failedLine(line) : line === 'nc: timed out' ? { outcome: 'timeout' } : undefined),
  (line) => (BUSYBOX_OPEN.test(line) ? { outcome: 'ok' } : undefined),
  (line) => {
    const match = TRADITIONAL.exec(line);
    if (!match) return undefined;
    return match[1] === 'open' ? { outcome: 'ok' } : byReason((match[1] as string).slice(2), line);
  },
  // ncat: "Ncat: Connected to ADDRESS:PORT.", "Ncat: Connection refused.", "Ncat: TIMEOUT."
  (line) => {
    if (!line.startsWith('Ncat: ')) return undefined;
    if (/^Ncat: Connected to \S+\.$/.test(line)) return { outcome: 'ok' };
    return /^Ncat: (?:Version |\d+ bytes sent)/.test(line) ? undefined : failedLine(line);
  },
  // telnet: "Connected to HOST.", "telnet: Unable to connect to remote host: REASON", netkit's
  // "telnet: connect to address ADDRESS: REASON", busybox's "telnet: can't connect to remote host (ADDRESS): REASON".
  (line) => (/^Connected to \S+\.$/.test(line) ? { outcome: 'ok' } : undefined),
  (line) => (TELNET_FAILED.some((start) => line.startsWith(start)) ? failedLine(line) : undefined),
  // bash: "bash: connect: REASON", "bash: line 1: /dev/tcp/HOST/PORT: REASON"; a login shell's
  // "-bash: ...", a script's "./check.sh: line 3: /dev/tcp/...".
  (line) => (/^-?bash: connect: /.test(line) || /^(?:-?bash|\S+: line \d+): (?:line \d+: )?\/dev\/tcp\//.test(line) ? failedLine(line) : undefined),
  // PowerShell: "TcpTestSucceeded : True"; False does not say whether it was refused or timed out.
  (line) => {
    const match = /^TcpTestSucceeded *: *(True|False) *$/i.exec(line);
    if (!match) return undefined;
    if ((match[1] as string).toLowerCase() === 'true') return { outcome: 'ok' };
    return { unplaced: { reason: 'TcpTestSucceeded False', warning: 'TcpTestSucceeded False does not say whether the connect was refused or timed out, so it gives no fact; `nc -vz HOST PORT` or `telnet HOST PORT` tells' } };
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

/** How an attempt is named in a warning: an outcome by its value, a failure by its reason. */
const label = (attempt: Attempt) => ('outcome' in attempt ? attempt.outcome : JSON.stringify(attempt.unplaced.reason));

const onLines = (name: string, n: number) => `${name} on ${n} line${n === 1 ? '' : 's'}`;

/**
 * One test's verdict from its attempts, in the order printed. nc and telnet try a host's
 * addresses in turn until one connects (::1 refused, then 127.0.0.1 connected), so a success
 * anywhere is the test's; without one, the last failure is its verdict (telnet's closing
 * "Unable to connect" line). Failures beside a success, or failures that differ, are said.
 */
function settle(attempts: readonly Attempt[], context: ParseContext | undefined): Attempt {
  const kept = attempts.find((attempt) => 'outcome' in attempt && attempt.outcome === 'ok') ?? (attempts.at(-1) as Attempt);
  const others = attempts.map(label).filter((name) => name !== label(kept));
  if (others.length > 0) {
    const failed = [...new Set(others)].map((name) => onLines(name, others.filter((other) => other === name).length)).join(', ');
    const message =
      'outcome' in kept && kept.outcome === 'ok'
        ? `it connected, after failed attempts (${failed}) to another address of the host or another port; kept "ok"`
        : `the attempts failed differently (${failed} before the last); kept ${JSON.stringify('outcome' in kept ? kept.outcome : kept.unplaced.reason)}, the last`;
    context?.warn?.({ field: 'tcp.connect', message });
  }
  return kept;
}

export const tcpConnectParser: ArtifactParser = {
  kind: 'tcp-connect',
  describe:
    'nc -vz -w 5 HOST PORT (OpenBSD or traditional netcat, busybox, macOS; also ncat, telnet HOST PORT, bash /dev/tcp, PowerShell Test-NetConnection -Port): ' +
    'tcp.connect (ok, refused, timeout, reset): ok when an attempt connected, else the last failure, with a warning when attempts differ; ' +
    'a name that did not resolve (nc\'s "getaddrinfo for host ...: Name or service not known"): dns.result or dns.temporary_failure, read as app-errors reads the reason; ' +
    'a last failure on the testing host, which sent no SYN: "Cannot assign requested address" (EADDRNOTAVAIL, its source ports spent) gives ' +
    'proc.eaddrnotavail_errors as app-errors reads it and no tcp.connect (to an IPv6 address none, with a warning: no IPv6 source address fails alike); ' +
    '"Network is unreachable", "No route to host", "Too many open files" (the tool\'s own limit), "Operation not permitted", any other reason and ' +
    "PowerShell's bare TcpTestSucceeded False give no fact but a warning naming what to check",
  parse(text, context) {
    const attempts: Attempt[] = [];
    const lookupFindings: Finding[] = [];
    const open: OpenQuestion[] = [];
    for (const line of artifactLines(text)) {
      const result = readLine(line);
      if (result === undefined) continue;
      if ('lookup' in result) {
        lookupFindings.push(...result.lookup.findings);
        for (const question of result.lookup.open) if (!open.some((q) => q.about === question.about)) open.push(question);
      } else attempts.push(result);
    }
    // The name that did not resolve was never connected to: what its lookup said, and no tcp.connect.
    const facts: Record<string, FactValue> = {};
    const warnings: InputWarning[] = [];
    if (attempts.length > 0) {
      const verdict = settle(attempts, context);
      if ('outcome' in verdict) facts['tcp.connect'] = verdict.outcome;
      else if ('finding' in verdict.unplaced) facts[verdict.unplaced.finding[0]] = verdict.unplaced.finding[1];
      else warnings.push({ field: 'tcp.connect', message: verdict.unplaced.warning });
    }
    for (const [fact, value] of lookupFindings) facts[fact] = value;
    warnings.push(...openQuestionWarnings(open, facts));
    if (Object.keys(facts).length === 0 && warnings.length === 0) throw notRecognised('tcp-connect', EXPECTED);
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
