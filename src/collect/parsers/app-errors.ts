import type { FactValue } from '../../core/vocabulary.js';
import { alertFromText, TLS_ALERTS, type TlsAlert } from './tls-alerts.js';
import { verifyFailureFacts } from './tls-verify.js';
import { unixListenQueueFull } from './nginx-error.js';
import { notRecognised, type ArtifactParser, type ParseContext } from './types.js';
import { artifactLines } from './text.js';

/**
 * The error text an application or client logged, read as facts: the strings each runtime
 * prints for a socket, resolver or certificate failure. Every marker is a plain substring of
 * the lower-cased line (no pattern), so a line costs its length times the number of markers.
 *
 * Spellings, by source:
 * - glibc strerror(3) / errno(3): ECONNREFUSED "Connection refused", ETIMEDOUT "Connection
 *   timed out", ECONNRESET "Connection reset by peer", EMFILE "Too many open files",
 *   EADDRNOTAVAIL "Cannot assign requested address"; musl "Address not available", macOS/BSD
 *   "Can't assign requested address"; getaddrinfo(3) gai_strerror: EAI_NONAME "Name or service
 *   not known" (macOS "nodename nor servname provided, or not known").
 * - Java: java.net.ConnectException "Connection refused" / "Connection timed out",
 *   SocketTimeoutException "connect timed out", SocketException "Connection reset",
 *   BindException "Cannot assign requested address"; javax.net.ssl "PKIX path building failed",
 *   "No subject alternative names", "No name matching", CertificateExpiredException.
 * - Go (net, crypto/x509): "dial tcp ...: connect: connection refused", "dial tcp ...: i/o
 *   timeout", "lookup ... no such host", "lookup ...: server misbehaving" (SERVFAIL),
 *   "x509: certificate signed by unknown authority", "x509: certificate has expired or is not
 *   yet valid", "x509: certificate is valid for A, not B".
 * - Node (errors, "Common system errors"; tls): ECONNREFUSED, ETIMEDOUT, ECONNRESET, EMFILE,
 *   EADDRNOTAVAIL, ENOTFOUND, and OpenSSL's verify codes (UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
 *   CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...).
 * - Python: the strerror texts above ("[Errno 111] Connection refused"), ssl's
 *   "certificate verify failed: unable to get local issuer certificate", "Hostname mismatch".
 * - .NET / Windows Sockets error codes: WSAECONNREFUSED 10061 "actively refused it",
 *   WSAETIMEDOUT 10060 "did not properly respond after a period of time", WSAECONNRESET 10054
 *   "forcibly closed by the remote host", WSAEADDRNOTAVAIL 10049 "The requested address is not
 *   valid in its context", WSAENOBUFS 10055 "lacked sufficient buffer space" (how Windows
 *   reports running out of ephemeral ports), WSAHOST_NOT_FOUND 11001 "No such host is known".
 * - Resources a service runs out of, in the words its own log uses: ENOSPC "No space left on
 *   device" (glibc; Java's IOException, Python's [Errno 28], Go's lower-case "no space left on
 *   device", Node's "ENOSPC: no space left on device"; not the bare name, which Node also prints for
 *   inotify's limit), Windows ERROR_DISK_FULL "There is not enough space on the disk";
 *   php-fpm's "[pool www] server reached pm.max_children setting (20), consider raising it"
 *   (fpm_process_ctl.c; "max_children setting" with pm = ondemand): every worker it may start is
 *   running and too few are idle; nginx's "connect() to unix:/run/php/php-fpm.sock failed (11:
 *   Resource temporarily unavailable)": a non-blocking connect to a unix socket whose listen
 *   queue is full fails with EAGAIN (connect(2)), where a TCP listener would drop the SYN.
 *
 * EAI_AGAIN ("Temporary failure in name resolution") is left out on purpose: glibc returns it
 * both for a SERVFAIL and for a resolver that did not answer, so it proves no one dns.result.
 */

type Finding = readonly [fact: string, value: FactValue];

const REFUSED: Finding = ['tcp.connect', 'refused'];
const CONNECT_TIMEOUT: Finding = ['tcp.connect', 'timeout'];
const RESET: Finding = ['tcp.rst_seen', true];
const EMFILE: Finding = ['proc.emfile_errors', true];
const EADDRNOTAVAIL: Finding = ['proc.eaddrnotavail_errors', true];
const NXDOMAIN: Finding = ['dns.result', 'nxdomain'];
const DISK_FULL: Finding = ['proc.enospc_errors', true];
/** php-fpm logs it when the pool is at pm.max_children with too few idle workers: the pool is full. */
const WORKERS_FULL: Finding = ['proc.workers_busy_pct', 100];
const LISTEN_QUEUE_FULL: Finding = ['kernel.listen_overflows', true];

/** Windows Sockets codes, recognised only where a log prints them as an error number, never as a bare number (a port). */
const WINSOCK_CODES: ReadonlyArray<readonly [code: number, finding: Finding]> = [
  [10061, REFUSED],
  [10060, CONNECT_TIMEOUT],
  [10054, RESET],
  [10049, EADDRNOTAVAIL],
  [10055, EADDRNOTAVAIL],
  [10024, EMFILE],
  [11001, NXDOMAIN],
];
const CODE_CONTEXTS = ['(CODE)', 'error CODE', 'error: CODE', 'error code CODE', 'errno CODE', 'errno: CODE', 'winerror CODE', 'code=CODE'];

/** Socket and resolver errors in words: a marker (lower case, read in the lower-cased line) and what it proves. */
const SOCKET_WORDS: ReadonlyArray<readonly [marker: string, finding: Finding]> = [
  ['connection refused', REFUSED],
  ['actively refused it', REFUSED],
  ['connection timed out', CONNECT_TIMEOUT],
  ['connect timed out', CONNECT_TIMEOUT],
  ['did not properly respond after a period of time', CONNECT_TIMEOUT],
  ['connection reset', RESET],
  ['forcibly closed by the remote host', RESET],
  ['too many open files', EMFILE],
  ['cannot assign requested address', EADDRNOTAVAIL],
  ["can't assign requested address", EADDRNOTAVAIL],
  ['requested address is not valid in its context', EADDRNOTAVAIL],
  ['lacked sufficient buffer space', EADDRNOTAVAIL],
  ['name or service not known', NXDOMAIN],
  ['nodename nor servname provided', NXDOMAIN],
  ['no such host', NXDOMAIN], // Go "no such host", .NET "No such host is known"
  ['server misbehaving', ['dns.result', 'servfail']],
];

/** A resource the service ran out of, in words (lower case, read in the lower-cased line). */
const RESOURCE_WORDS: ReadonlyArray<readonly [marker: string, finding: Finding]> = [
  ['no space left on device', DISK_FULL],
  ['not enough space on the disk', DISK_FULL],
  ['server reached pm.max_children setting', WORKERS_FULL],
  ['server reached max_children setting', WORKERS_FULL],
];

const WORD_MARKERS = [...SOCKET_WORDS, ...RESOURCE_WORDS];

/**
 * ENOSPC that is no filesystem's: inotify's watch limit (inotify_add_watch(2), Node's "System
 * limit for number of file watchers reached"), epoll's (epoll_ctl(2)), System V semaphores
 * (semget(2): Apache's "(28)No space left on device: AH00023: Couldn't create the ... mutex").
 */
const NOT_A_DISK = ['watch', 'inotify', 'epoll', 'semget', 'semaphore', 'mutex'];

/**
 * Error names, read case-sensitively in the line as printed: upper case is how every runtime
 * prints them, and it keeps "FileNotFoundException" from reading as ENOTFOUND.
 */
const SOCKET_NAMES: ReadonlyArray<readonly [name: string, finding: Finding]> = [
  ['ECONNREFUSED', REFUSED], // also WSAECONNREFUSED
  ['ETIMEDOUT', CONNECT_TIMEOUT], // also WSAETIMEDOUT
  ['ECONNRESET', RESET], // also WSAECONNRESET
  ['EMFILE', EMFILE], // also WSAEMFILE
  ['EADDRNOTAVAIL', EADDRNOTAVAIL], // also WSAEADDRNOTAVAIL
  ['WSAENOBUFS', EADDRNOTAVAIL],
  ['ENOTFOUND', NXDOMAIN],
  ['WSAHOST_NOT_FOUND', NXDOMAIN],
];

/** Certificate verification errors in words (lower case), as OpenSSL's numbers (tls-verify.ts); the more specific marker first. */
const VERIFY_WORDS: ReadonlyArray<readonly [marker: string, error: number | string]> = [
  ['self signed certificate in certificate chain', 19],
  ['self-signed certificate in certificate chain', 19],
  ['self signed certificate', 18],
  ['self-signed certificate', 18],
  ['unable to get local issuer certificate', 20],
  ['signed by unknown authority', 20],
  ['pkix path building failed', 20],
  ['unable to find valid certification path', 20],
  ['unable to verify the first certificate', 21],
  ['certificate has expired', 10],
  ['certificateexpiredexception', 10],
  ['certificate is not yet valid', 9],
  ['certificatenotyetvalidexception', 9],
  ['hostname mismatch', 62],
  ['no subject alternative names', 62],
  ['no name matching', 62],
  ['remotecertificatenamemismatch', 62],
  ['no alternative certificate subject name matches', 62],
  // A failure that names no reason: the handshake failed, nothing more.
  ['certificate verify failed', 'unknown'],
  ['remotecertificatechainerrors', 'unknown'],
];

/** Node's codes for them (tls-verify.ts reads each), read case-sensitively as printed. */
const VERIFY_NAMES = ['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'];

/** Go's "x509: certificate is valid for A, not B": a name mismatch in words of its own. */
function goNameMismatch(line: string): boolean {
  const at = line.indexOf('x509: certificate is valid for ');
  return at >= 0 && line.includes(', not ', at);
}

/** Go prints a connect that ran out of time as "dial tcp ADDR: i/o timeout"; a lookup's timeout is DNS's. */
function dnsOrDialTimeout(line: string): Finding | undefined {
  if (!line.includes('i/o timeout')) return undefined;
  if (line.includes('lookup ')) return ['dns.result', 'timeout'];
  return line.includes('dial tcp') ? CONNECT_TIMEOUT : undefined;
}

function winsockCode(line: string): Finding | undefined {
  for (const [code, finding] of WINSOCK_CODES) {
    if (!line.includes(String(code))) continue;
    if (CODE_CONTEXTS.some((context) => line.includes(context.replace('CODE', String(code))))) return finding;
  }
  return undefined;
}

/** Java names the alert a peer sent by its RFC 8446 name: "Received fatal alert: handshake_failure". */
function javaAlert(lower: string): TlsAlert | undefined {
  const at = lower.indexOf('received fatal alert: ');
  if (at < 0) return undefined;
  const name = lower.slice(at + 'received fatal alert: '.length).split(/[^a-z_]/, 1)[0] ?? '';
  return (TLS_ALERTS as readonly string[]).includes(name) ? (name as TlsAlert) : 'other';
}

/** The verification error a line names, if any. */
function verifyError(line: string, lower: string): number | string | undefined {
  return VERIFY_NAMES.find((name) => line.includes(name)) ?? VERIFY_WORDS.find(([marker]) => lower.includes(marker))?.[1] ?? (goNameMismatch(lower) ? 62 : undefined);
}

/**
 * No line shorter than the shortest marker can prove anything (the TLS alert texts and Go's
 * timeouts are longer still), so such a line is skipped before its dozens of marker tests: a
 * paste of blank lines cost a microsecond each, over two seconds for 5 MiB of them.
 */
const SHORTEST_MARKER = Math.min(
  ...[...WORD_MARKERS, ...SOCKET_NAMES, ...VERIFY_WORDS].map(([marker]) => marker.length),
  ...VERIFY_NAMES.map((name) => name.length),
  ...WINSOCK_CODES.flatMap(([code]) => CODE_CONTEXTS.map((context) => context.replace('CODE', String(code)).length)),
);

/** What one line proves. */
function lineFindings(line: string): Finding[] {
  const lower = line.toLowerCase();
  const found: Finding[] = [];
  // A resolver's own timeout ("lookup x on 10.0.0.2:53: ... connection timed out") is not the target's connect.
  const dnsLine = lower.includes('lookup ') || lower.includes('getaddrinfo');
  const notADisk = NOT_A_DISK.some((marker) => lower.includes(marker));
  const add = (finding: Finding) => {
    if (dnsLine && finding === CONNECT_TIMEOUT) return;
    if (notADisk && finding === DISK_FULL) return;
    if (!found.includes(finding)) found.push(finding);
  };
  for (const [marker, finding] of WORD_MARKERS) if (lower.includes(marker)) add(finding);
  for (const [name, finding] of SOCKET_NAMES) if (line.includes(name)) add(finding);
  if (unixListenQueueFull(line)) add(LISTEN_QUEUE_FULL);
  const goTimeout = dnsOrDialTimeout(lower);
  if (goTimeout) found.push(goTimeout);
  const code = winsockCode(lower);
  if (code) add(code);
  const error = verifyError(line, lower);
  const tls = error === undefined ? {} : verifyFailureFacts([{ error }]);
  const alert = alertFromText(line) ?? javaAlert(lower);
  if (alert !== undefined) Object.assign(tls, { 'tls.handshake': 'failed', 'tls.alert': alert });
  for (const [fact, value] of Object.entries(tls)) found.push([fact, value]);
  return found;
}

/** Each fact's values and how many lines showed each, in first-seen order. */
type Tally = Map<string, Map<FactValue, number>>;

/**
 * The value each fact takes: the one most lines show. Lines that disagree (a connect both
 * refused and timed out) are reported through `context.warn`, never settled in silence; ties go
 * to the value that sorts first, so the answer does not depend on line order.
 */
function settle(tally: Tally, context: ParseContext | undefined): Record<string, FactValue> {
  const facts: Record<string, FactValue> = {};
  for (const [fact, counts] of tally) {
    const ranked = [...counts].sort(([a, m], [b, n]) => n - m || String(a).localeCompare(String(b)));
    const [kept] = ranked[0] as [FactValue, number];
    facts[fact] = kept;
    if (ranked.length > 1) {
      const shown = ranked.map(([value, n]) => `${JSON.stringify(value)} on ${n} line${n === 1 ? '' : 's'}`).join(', ');
      context?.warn?.({ field: fact, message: `the lines disagree: ${shown}; kept ${JSON.stringify(kept)}, the commonest` });
    }
  }
  return facts;
}

const EXPECTED =
  'an application\'s or client\'s error output (log lines, a stack trace, curl\'s or a driver\'s error line) naming a socket, resolver, certificate or resource error ("Connection refused", "Cannot assign requested address", "Name or service not known", "certificate verify failed", WSAECONNREFUSED 10061, "No space left on device", php-fpm\'s "server reached pm.max_children setting", ...)';

export const appErrorsParser: ArtifactParser = {
  kind: 'app-errors',
  describe:
    "an application's or client's error output (log lines, a stack trace, curl's or a driver's error line; glibc, Java, Go, Node, " +
    'Python, .NET and Windows Sockets spellings): tcp.connect (refused, timeout), tcp.rst_seen, proc.emfile_errors, ' +
    'proc.eaddrnotavail_errors (EADDRNOTAVAIL, WSAEADDRNOTAVAIL 10049, WSAENOBUFS 10055), dns.result (nxdomain, servfail, timeout), ' +
    'tls.handshake, tls.alert, tls.cert_name_match, tls.chain_complete, proc.enospc_errors ("No space left on device", ENOSPC; not ' +
    "inotify's, epoll's or semaphores' ENOSPC), proc.workers_busy_pct 100 (php-fpm's \"server reached pm.max_children setting\"), " +
    'kernel.listen_overflows (nginx\'s "connect() to unix:... failed (11: Resource temporarily unavailable)": the socket\'s listen queue is full); ' +
    'where lines disagree, the commonest value and a warning',
  parse(text, context) {
    const tally: Tally = new Map();
    for (const line of artifactLines(text)) {
      if (line.length < SHORTEST_MARKER) continue;
      for (const [fact, value] of lineFindings(line)) {
        const counts = tally.get(fact) ?? new Map<FactValue, number>();
        counts.set(value, (counts.get(value) ?? 0) + 1);
        tally.set(fact, counts);
      }
    }
    if (tally.size === 0) throw notRecognised('app-errors', EXPECTED);
    return settle(tally, context);
  },
};
