import type { InputWarning } from '../../core/request.js';
import type { FactValue } from '../../core/vocabulary.js';
import { alertFromText, TLS_ALERTS, type TlsAlert } from './tls-alerts.js';
import { verifyFailureFacts } from './tls-verify.js';
import { unixListenQueueFull } from './nginx-error.js';

/**
 * Error text read as facts, one line at a time: the strings each runtime and client prints for a
 * socket, resolver, certificate or resource failure. One table for every parser that reads such
 * text (app-errors' log lines, curl-w's errormsg, tcp-connect's nc lines), so one message gives
 * the same facts whichever tool printed it. Every marker is a plain substring of the lower-cased
 * line (no pattern), so a line costs its length times the number of markers.
 *
 * Spellings, by source:
 * - glibc strerror(3) / errno(3): ECONNREFUSED "Connection refused", ETIMEDOUT "Connection
 *   timed out", ECONNRESET "Connection reset by peer", EMFILE "Too many open files",
 *   EADDRNOTAVAIL "Cannot assign requested address"; musl "Address not available", macOS/BSD
 *   "Can't assign requested address".
 * - getaddrinfo(3) gai_strerror, as nc, Python's socket.gaierror and Java's UnknownHostException
 *   print it: EAI_NONAME "Name or service not known" (macOS "nodename nor servname provided, or
 *   not known"), EAI_AGAIN "Temporary failure in name resolution" (see RESOLVER_NO_ANSWER).
 * - Java: java.net.ConnectException "Connection refused" / "Connection timed out",
 *   SocketTimeoutException "connect timed out", SocketException "Connection reset",
 *   BindException "Cannot assign requested address"; javax.net.ssl "PKIX path building failed",
 *   "No subject alternative names", "No name matching", CertificateExpiredException;
 *   UnknownHostException with no reason after the name (Socket's constructor) says no more
 *   than that the lookup failed.
 * - Go (net, crypto/x509): "dial tcp ...: connect: connection refused", "dial tcp ...: i/o
 *   timeout", "lookup ... no such host", "lookup ...: server misbehaving" (SERVFAIL),
 *   "x509: certificate signed by unknown authority", "x509: certificate has expired or is not
 *   yet valid", "x509: certificate is valid for A, not B".
 * - Node (errors, "Common system errors"; dns; tls): ECONNREFUSED, ETIMEDOUT, ECONNRESET, EMFILE,
 *   EADDRNOTAVAIL, getaddrinfo's ENOTFOUND (EAI_NONAME) and EAI_AGAIN, the dns module's c-ares
 *   codes (ESERVFAIL, EREFUSED, ETIMEOUT), and OpenSSL's verify codes
 *   (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...).
 * - Python: the strerror texts above ("[Errno 111] Connection refused"), ssl's
 *   "certificate verify failed: unable to get local issuer certificate", "Hostname mismatch";
 *   ssl.match_hostname's (3.6 and older, and urllib3's copy) "hostname 'B' doesn't match 'A'"
 *   and "no appropriate commonName or subjectAltName fields were found".
 * - curl (lib/connect.c, hostip.c, asyn-ares.c): "Could not resolve host: NAME" (exit 6, the
 *   same for every getaddrinfo error; a c-ares build adds ares_strerror's reason: "Domain name
 *   not found", "DNS server returned general failure", ...), "Resolving timed out after N
 *   milliseconds" (exit 28), "Failed to connect to HOST port PORT after N ms: Couldn't connect to
 *   server" (exit 7 from 7.88 on, for any connect(2) error; before, strerror's text in its place),
 *   OpenSSL's verify texts after "SSL certificate problem: " (exit 60); "Operation timed out after N
 *   milliseconds with M bytes received" (exit 28, multi.c's multi_handle_timeout: the whole
 *   transfer's limit, --max-time or CURLOPT_TIMEOUT, ran out after the connect; PHP's and other
 *   libcurl users' "cURL error 28: ..." print the same) says only that the answer takes longer
 *   than the client waited: no fact, but a warning naming the limit.
 * - A write to a connection the peer had already closed: glibc's EPIPE "Broken pipe" (Python's
 *   BrokenPipeError "[Errno 32] Broken pipe", Java's "IOException: Broken pipe", Go's "write:
 *   broken pipe"), Node's "write EPIPE". The peer (a client or proxy that gave up, a dependency)
 *   went away before the answer; who and why it does not say (an RST may or may not have been
 *   seen), so no fact, but a warning naming where a client's abort shows.
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
 * - The application's own client pool to a dependency, every connection checked out past the
 *   pool's wait timeout: HikariCP's SQLTransientConnectionException "HikariPool-1 - Connection is
 *   not available, request timed out after 30000ms" (4.0 on add "(total=10, active=10, idle=0,
 *   waiting=3)"; HikariPool.createTimeoutException), Apache HttpClient 4's
 *   ConnectionPoolTimeoutException "Timeout waiting for connection from pool" and HttpClient 5's
 *   ConnectionRequestTimeoutException, SQLAlchemy's "QueuePool limit of size 5 overflow 10
 *   reached, connection timed out, timeout 30.00" (error 3o7r; its "connection timed out" is the
 *   pool's, no connect's), Knex's "Timeout acquiring a connection. The pool is probably full",
 *   Apache commons-pool's "Timeout waiting for idle object" (DBCP's "Cannot get a connection,
 *   pool error Timeout waiting for idle object", Jedis's cause) and c3p0's "An attempt by a
 *   client to checkout a Connection has timed out". A HikariCP timeout with no connection in the
 *   pool (total=0) is no full pool: it could open none, so the database refused or was not
 *   reached, and its cause line says which. Jedis's "Could not get a resource from the pool" is
 *   the same for a full pool and a Redis that refused the connect: its cause line tells. The
 *   database's own limit ("sorry, too many clients already", MySQL's "Too many connections") is
 *   the server refusing, not the application's pool: it reads as the next item.
 * - A downstream failing the application's calls in its own words (DEPENDENCY_ERROR_WORDS: a
 *   database at its connection limit, read-only or out of transaction IDs; Redis read-only or
 *   out of memory), or refusing the connect of its own client (DEPENDENCY_CONNECT_WORDS with
 *   "Connection refused"): app.dependency_errors.
 */

export type Finding = readonly [fact: string, value: FactValue];

const REFUSED: Finding = ['tcp.connect', 'refused'];
const CONNECT_TIMEOUT: Finding = ['tcp.connect', 'timeout'];
const RESET: Finding = ['tcp.rst_seen', true];
/** A reset an HTTP client received: the server's side sent it (or a middlebox in its name). */
const RESET_FROM_SERVER: Finding = ['tcp.rst_from', 'server'];
/**
 * An HTTP client library's own error for a request it sent: urllib3's ProtocolError ("Connection
 * aborted.", which requests prints), Go's net/http ("Get \"http://...\": read tcp ..."). A reset in
 * such a line reached the client, as in curl's output (lab 208 case 08: a firewall's idle-timeout
 * reset of a reused keep-alive read as the client's abortive close).
 */
const HTTP_CLIENT_ERROR = /\('Connection aborted\.'|urllib3\.exceptions\.ProtocolError|\b(?:Get|Post|Put|Patch|Delete|Head) "https?:\/\/[^"\s]{1,2048}": /;
const EMFILE: Finding = ['proc.emfile_errors', true];
/** The client's source ports toward the target spent: a host-wide state, so a connect test on the client's host shows it too (tcp-connect.ts). */
export const EADDRNOTAVAIL: Finding = ['proc.eaddrnotavail_errors', true];
const NXDOMAIN: Finding = ['dns.result', 'nxdomain'];
const SERVFAIL: Finding = ['dns.result', 'servfail'];
const DNS_REFUSED: Finding = ['dns.result', 'refused'];
const DNS_TIMEOUT: Finding = ['dns.result', 'timeout'];
/**
 * EAI_AGAIN, "Temporary failure in name resolution": getaddrinfo(3) says "the name server
 * returned a temporary failure indication"; glibc returns it when no nameserver gave an answer
 * it could use. Its resolver (res_send.c) takes a SERVFAIL or REFUSED reply as that server's
 * failure and tries the next, and with none left it fails as when none replied ("no answer
 * obtained", errno ETIMEDOUT; res_query.c then sets TRY_AGAIN, which getaddrinfo returns as
 * EAI_AGAIN). Checked with glibc 2.36 against a test server that never answers, or answers
 * SERVFAIL or REFUSED: all three print this text. So it is read as what it says,
 * dns.temporary_failure, and dns.result stays unknown: `dig` tells the three apart (lab 208
 * case 07: read as a timeout, a SERVFAIL ended the interview at "slow resolver").
 */
const RESOLVER_NO_ANSWER: Finding = ['dns.temporary_failure', true];
/** php-fpm logs it when the pool is at pm.max_children with too few idle workers: the pool is full. */
const WORKERS_FULL: Finding = ['proc.workers_busy_pct', 100];
const LISTEN_QUEUE_FULL: Finding = ['kernel.listen_overflows', true];
const DISK_FULL: Finding = ['proc.enospc_errors', true];
const POOL_WAIT_TIMEOUT: Finding = ['app.pool_wait_timeouts', true];
/** The application's call to a downstream failed with the downstream's own error, or its connect was refused. */
const DEPENDENCY_ERROR: Finding = ['app.dependency_errors', true];

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

/** Socket errors in words: a marker (lower case, read in the lower-cased line) and what it proves. */
const SOCKET_WORDS: ReadonlyArray<readonly [marker: string, finding: Finding]> = [
  ['connection refused', REFUSED],
  ['actively refused it', REFUSED],
  ['connection timed out', CONNECT_TIMEOUT],
  ['connect timed out', CONNECT_TIMEOUT],
  // urllib3's ConnectTimeoutError (Python requests' ConnectTimeout): "Connection to HOST timed out. (connect timeout=3)".
  ['(connect timeout=', CONNECT_TIMEOUT],
  ['did not properly respond after a period of time', CONNECT_TIMEOUT],
  ['connection reset', RESET],
  ['forcibly closed by the remote host', RESET],
  ['too many open files', EMFILE],
  ['cannot assign requested address', EADDRNOTAVAIL],
  ["can't assign requested address", EADDRNOTAVAIL],
  ['requested address is not valid in its context', EADDRNOTAVAIL],
  ['lacked sufficient buffer space', EADDRNOTAVAIL],
];

/** Resolver failures in words (lower case), by the dns.result they mean. */
const RESOLVER_WORDS: ReadonlyArray<readonly [marker: string, finding: Finding]> = [
  ['name or service not known', NXDOMAIN],
  ['nodename nor servname provided', NXDOMAIN],
  ['no such host', NXDOMAIN], // Go "no such host", .NET "No such host is known"
  ['domain name not found', NXDOMAIN], // c-ares ARES_ENOTFOUND
  ['temporary failure in name resolution', RESOLVER_NO_ANSWER],
  ['server misbehaving', SERVFAIL], // Go's word for SERVFAIL
  ['dns server returned general failure', SERVFAIL], // c-ares ARES_ESERVFAIL
  ['dns server refused query', DNS_REFUSED], // c-ares ARES_EREFUSED
  ['timeout while contacting dns servers', DNS_TIMEOUT], // c-ares ARES_ETIMEOUT
  ['could not contact dns servers', DNS_TIMEOUT], // c-ares ARES_ECONNREFUSED: no server reached
  ['resolving timed out', DNS_TIMEOUT], // curl's exit 28 in the lookup
];

/** A resource the service ran out of, in words (lower case, read in the lower-cased line). */
const RESOURCE_WORDS: ReadonlyArray<readonly [marker: string, finding: Finding]> = [
  ['no space left on device', DISK_FULL],
  ['not enough space on the disk', DISK_FULL],
  ['server reached pm.max_children setting', WORKERS_FULL],
  ['server reached max_children setting', WORKERS_FULL],
];

/**
 * A request that waited for a connection from the application's own client pool past its timeout
 * (lower case; HikariCP's is read apart, with its counts: hikariPoolTimeout).
 */
const POOL_WAIT_WORDS: ReadonlyArray<readonly [marker: string, finding: Finding]> = [
  ['timeout waiting for connection from pool', POOL_WAIT_TIMEOUT], // HttpClient 4
  ['connectionpooltimeoutexception', POOL_WAIT_TIMEOUT], // HttpClient 4 (older builds: "Timeout waiting for connection")
  ['connectionrequesttimeoutexception', POOL_WAIT_TIMEOUT], // HttpClient 5: "Timeout deadline: ..."
  ['queuepool limit of size', POOL_WAIT_TIMEOUT], // SQLAlchemy
  ['timeout acquiring a connection', POOL_WAIT_TIMEOUT], // Knex
  ['timeout waiting for idle object', POOL_WAIT_TIMEOUT], // commons-pool: DBCP, Jedis
  ['checkout a connection has timed out', POOL_WAIT_TIMEOUT], // c3p0
];

/**
 * A downstream refusing or failing the application's call in its own words, read in the
 * application's log (lower case): the database at its connection limit (PostgreSQL's FATAL 53300
 * too_many_connections "sorry, too many clients already" and "remaining connection slots are
 * reserved for ...", MySQL's ER_CON_COUNT_ERROR 1040 "Too many connections"), read-only (PostgreSQL's
 * 25006 "cannot execute INSERT in a read-only transaction", MySQL's ER_OPTION_PREVENTS_STATEMENT
 * 1290 "... is running with the --read-only option", Redis's "READONLY You can't write against a
 * read only replica"), out of room (PostgreSQL's "database is not accepting commands to avoid
 * wraparound data loss", Redis's "OOM command not allowed when used memory > 'maxmemory'").
 */
const DEPENDENCY_ERROR_WORDS: ReadonlyArray<readonly [marker: string, finding: Finding]> = [
  ['sorry, too many clients already', DEPENDENCY_ERROR],
  ['remaining connection slots are reserved', DEPENDENCY_ERROR],
  ['too many connections', DEPENDENCY_ERROR],
  ['in a read-only transaction', DEPENDENCY_ERROR],
  ['running with the --read-only option', DEPENDENCY_ERROR],
  ["you can't write against a read only replica", DEPENDENCY_ERROR],
  ['not accepting commands to avoid wraparound', DEPENDENCY_ERROR],
  ['oom command not allowed', DEPENDENCY_ERROR],
];

const WORD_MARKERS = [...SOCKET_WORDS, ...RESOLVER_WORDS, ...RESOURCE_WORDS, ...POOL_WAIT_WORDS, ...DEPENDENCY_ERROR_WORDS];

/**
 * A database's or cache's client reporting its own connect (libpq 14 on: 'connection to server at
 * "HOST" (ADDR), port 5432 failed: Connection refused'; before: "could not connect to server:
 * Connection refused"; MySQL's "Can't connect to MySQL server on", Connector/J's "Communications
 * link failure"; redis-py's ConnectionError "Error 111 connecting to HOST:6379"; MongoDB's server selection): in
 * the service's own log such a line is its dependency's connect, not a connect to the service, so
 * it gives no tcp.connect (lab 204: a database stopped behind a health check read as the
 * service's port closed at 89-97%), but a warning.
 */
const DEPENDENCY_CONNECT_WORDS = [
  'connection to server at ',
  'could not connect to server',
  "can't connect to mysql server",
  'communications link failure',
  'redis.exceptions.connectionerror',
  'mongoserverselectionerror',
];

/** curl's exit 28 once connected (multi.c): "Operation timed out after 3001 milliseconds with 0 bytes received" ("with 512 out of 2048 bytes received"). */
const CURL_TRANSFER_TIMEOUT = 'operation timed out after ';
const CURL_TRANSFER_TIMEOUT_TAIL = /^(\d{1,12}) milliseconds with (\d{1,20}(?: out of -?\d{1,20})?) bytes received/;

/** The time limit a client gave the whole request and what it had received by then, when the line is curl's (or libcurl's) exit 28 after the connect. */
function clientTimeLimit(lower: string): { ms: number; received: string } | undefined {
  const at = lower.indexOf(CURL_TRANSFER_TIMEOUT);
  if (at < 0) return undefined;
  const from = at + CURL_TRANSFER_TIMEOUT.length;
  const match = CURL_TRANSFER_TIMEOUT_TAIL.exec(lower.slice(from, from + 80));
  return match ? { ms: Number(match[1]), received: match[2] as string } : undefined;
}

/**
 * The IPv6 loopback as clients print the address they connected to: Node's "ECONNREFUSED ::1:3000",
 * curl's "connect to ::1 port 3000", Java's "localhost/[0:0:0:0:0:0:0:1]:3000", Go's "[::1]:3000".
 */
const IPV6_LOOPBACK = /(?:^|[\s/(])(?:\[(?:::1|0:0:0:0:0:0:0:1)\]|::1|0:0:0:0:0:0:0:1)(?:[:.\s]|$)/;
/** A write the peer had closed the connection before (EPIPE), in words (lower case) and by name (as printed). */
const BROKEN_PIPE_WORDS = 'broken pipe';
const BROKEN_PIPE_NAME = 'EPIPE';

/** HikariCP's pool timeout, and its counts where it prints them (4.0 on): "(total=10, active=10, idle=0, waiting=3)". */
const HIKARI_TIMEOUT = 'connection is not available, request timed out';
const HIKARI_TOTAL = /\(total=(\d{1,9})\b/;
/** Jedis's failure to borrow, whatever the cause (Pool.getResource). */
const JEDIS_NO_RESOURCE = 'could not get a resource from the pool';

/**
 * HikariCP's pool timeout: a full pool, or (total=0) one that holds no connection at all and
 * could open none (the database refused or was not reached), which no request held.
 */
function hikariPoolTimeout(lower: string): 'full' | 'empty' | undefined {
  const at = lower.indexOf(HIKARI_TIMEOUT);
  if (at < 0) return undefined;
  const total = HIKARI_TOTAL.exec(lower.slice(at, at + HIKARI_TIMEOUT.length + 80))?.[1];
  return total === undefined || Number(total) > 0 ? 'full' : 'empty';
}

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
  ['EAI_AGAIN', RESOLVER_NO_ANSWER],
  // Node's dns module (c-ares): "queryA ESERVFAIL NAME", "queryA ETIMEOUT NAME".
  ['ESERVFAIL', SERVFAIL],
  ['EREFUSED', DNS_REFUSED],
  [' ETIMEOUT', DNS_TIMEOUT],
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
  // Python's ssl.match_hostname for a certificate that names no host at all
  ['no appropriate commonname or subjectaltname fields were found', 62],
  ['no alternative certificate subject name matches', 62],
  // A failure that names no reason: the handshake failed, nothing more.
  ['certificate verify failed', 'unknown'],
  ['remotecertificatechainerrors', 'unknown'],
];

/** Node's codes for them (tls-verify.ts reads each), read case-sensitively as printed. */
const VERIFY_NAMES = ['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'];

/**
 * Lookups that failed in words that do not say how (lower case): curl's exit 6 prints the same
 * sentence for every getaddrinfo error, Java's Socket constructor names only the host.
 */
const LOOKUP_FAILED_WORDS = ['could not resolve host', 'unknownhostexception'];
/** curl's connect failure (exit 7) from 7.88 on, the same for any connect(2) error: "Failed to connect to HOST port PORT after N ms: Couldn't connect to server". */
const CONNECT_FAILED_WORD = "couldn't connect to server";
const CONNECT_TARGET_BEFORE = 'failed to connect to ';

/** Where a line names the host it looked up, the text right before the name (lower case). */
const NAME_BEFORE = ['could not resolve host: ', 'getaddrinfo for host "', 'unknownhostexception: ', 'getaddrinfo eai_again ', 'getaddrinfo enotfound ', 'ping: '];
/**
 * A host name as a command may take it, whole up to the line's next delimiter: never an option
 * (a leading "-"), never a shell word, never the head of a longer word ("a" of "a$(x)").
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}(?=$|[\s"':(),])/;
/** A host name or address (IPv6 has colons) as a command may take it, the whole word. */
const HOST = /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}$/;
const CURL_CONNECT_TARGET = /^(\S{1,260}) port (\d{1,5})\b/;

/**
 * What a line's words leave open, for a warning that names what to run: a lookup that failed
 * without saying how, one read as "no answer" that a SERVFAIL also prints, or a connect that
 * failed without saying how.
 */
export type OpenQuestion =
  | { about: 'lookup' | 'no_answer'; name?: string }
  | { about: 'connect'; host?: string; port?: string }
  | { about: 'client_time_limit'; ms: number; received?: string }
  | { about: 'pool_empty' | 'pool_borrow' | 'dependency_connect' | 'broken_pipe' | 'refused_at_ipv6_loopback' };

/** What one line of error text says: its facts, and what it leaves open. */
export interface ErrorLineReading {
  findings: Finding[];
  open: OpenQuestion[];
}

/**
 * A name mismatch in words of its own, as the two texts that hold the names between them (lower
 * case): Go's "x509: certificate is valid for A, not B"; Python's ssl.match_hostname (up to 3.6,
 * and urllib3's copy of it, which requests prints) "hostname 'B' doesn't match 'A'" or "...
 * doesn't match either of 'A', 'C'".
 */
const NAME_MISMATCH_AROUND: ReadonlyArray<readonly [before: string, between: string]> = [
  ['x509: certificate is valid for ', ', not '],
  ["hostname '", "' doesn't match "],
];

function nameMismatchAround(line: string): boolean {
  return NAME_MISMATCH_AROUND.some(([before, between]) => {
    const at = line.indexOf(before);
    return at >= 0 && line.includes(between, at + before.length);
  });
}

/** Go prints a connect that ran out of time as "dial tcp ADDR: i/o timeout"; a lookup's timeout is DNS's. */
function dnsOrDialTimeout(line: string): Finding | undefined {
  if (!line.includes('i/o timeout')) return undefined;
  if (line.includes('lookup ')) return DNS_TIMEOUT;
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
  return VERIFY_NAMES.find((name) => line.includes(name)) ?? VERIFY_WORDS.find(([marker]) => lower.includes(marker))?.[1] ?? (nameMismatchAround(lower) ? 62 : undefined);
}

/** The host a line says it looked up, when it names one a command can take. */
export function lookedUpName(line: string, lower = line.toLowerCase()): string | undefined {
  for (const before of NAME_BEFORE) {
    const at = lower.indexOf(before);
    if (at >= 0) return NAME.exec(line.slice(at + before.length, at + before.length + 260))?.[0].replace(/\.+$/, '') || undefined;
  }
  return undefined;
}

/** curl's "Failed to connect to HOST port PORT": the host and port, when the host is one a command can take. */
function connectTarget(line: string, lower: string): { host?: string; port?: string } {
  const at = lower.indexOf(CONNECT_TARGET_BEFORE);
  if (at < 0) return {};
  const from = at + CONNECT_TARGET_BEFORE.length;
  const match = CURL_CONNECT_TARGET.exec(line.slice(from, from + 280));
  const host = match?.[1];
  return host !== undefined && HOST.test(host) ? { host, port: match?.[2] as string } : {};
}

/**
 * No line shorter than the shortest marker can prove anything (the TLS alert texts and Go's
 * timeouts are longer still), so such a line is skipped before its dozens of marker tests: a
 * paste of blank lines cost a microsecond each, over two seconds for 5 MiB of them.
 */
export const SHORTEST_ERROR_MARKER = Math.min(
  ...[...WORD_MARKERS, ...SOCKET_NAMES, ...VERIFY_WORDS].map(([marker]) => marker.length),
  ...VERIFY_NAMES.map((name) => name.length),
  ...LOOKUP_FAILED_WORDS.map((word) => word.length),
  CONNECT_FAILED_WORD.length,
  HIKARI_TIMEOUT.length,
  JEDIS_NO_RESOURCE.length,
  CURL_TRANSFER_TIMEOUT.length,
  BROKEN_PIPE_WORDS.length,
  BROKEN_PIPE_NAME.length,
  ...WINSOCK_CODES.flatMap(([code]) => CODE_CONTEXTS.map((context) => context.replace('CODE', String(code)).length)),
);

/** What one line of error text proves, and what it leaves open. */
export function readErrorLine(line: string): ErrorLineReading {
  if (line.length < SHORTEST_ERROR_MARKER) return { findings: [], open: [] };
  const lower = line.toLowerCase();
  const findings: Finding[] = [];
  // A resolver's own timeout ("lookup x on 10.0.0.2:53: ... connection timed out") is not the target's connect.
  const dnsLine = lower.includes('lookup ') || lower.includes('getaddrinfo');
  const notADisk = NOT_A_DISK.some((marker) => lower.includes(marker));
  const hikari = hikariPoolTimeout(lower);
  // SQLAlchemy's "connection timed out" is its pool's wait, not a connect's.
  const poolLine = hikari !== undefined || POOL_WAIT_WORDS.some(([marker]) => lower.includes(marker));
  const dependencyLine = DEPENDENCY_CONNECT_WORDS.some((words) => lower.includes(words));
  let dependencyConnect = false;
  const add = (finding: Finding) => {
    if ((dnsLine || poolLine) && finding === CONNECT_TIMEOUT) return;
    if (dependencyLine && (finding === REFUSED || finding === CONNECT_TIMEOUT)) {
      dependencyConnect = true;
      // Refused is the dependency's own answer (nothing listens, or it turns connects away); a
      // timeout may be the path to it, so it says nothing of the dependency itself.
      if (finding === REFUSED) add(DEPENDENCY_ERROR);
      return;
    }
    if (notADisk && finding === DISK_FULL) return;
    if (!findings.some(([fact, value]) => fact === finding[0] && value === finding[1])) findings.push(finding);
  };
  for (const [marker, finding] of WORD_MARKERS) if (lower.includes(marker)) add(finding);
  for (const [name, finding] of SOCKET_NAMES) if (line.includes(name)) add(finding);
  if (unixListenQueueFull(line)) add(LISTEN_QUEUE_FULL);
  if (hikari === 'full') add(POOL_WAIT_TIMEOUT);
  const goTimeout = dnsOrDialTimeout(lower);
  if (goTimeout) add(goTimeout);
  const code = winsockCode(lower);
  if (code) add(code);
  const error = verifyError(line, lower);
  const tls = error === undefined ? {} : verifyFailureFacts([{ error }]);
  const alert = alertFromText(line) ?? javaAlert(lower);
  if (alert !== undefined) Object.assign(tls, { 'tls.handshake': 'failed', 'tls.alert': alert });
  for (const [fact, value] of Object.entries(tls)) add([fact, value]);
  if (findings.includes(RESET) && HTTP_CLIENT_ERROR.test(line)) add(RESET_FROM_SERVER);

  const open: OpenQuestion[] = [];
  const dns = findings.find(([fact]) => fact === 'dns.result');
  const name = () => lookedUpName(line, lower);
  const noAnswer = findings.includes(RESOLVER_NO_ANSWER);
  if (dns === undefined && !noAnswer && LOOKUP_FAILED_WORDS.some((word) => lower.includes(word))) open.push(withName('lookup', name()));
  if (dns === undefined && noAnswer) open.push(withName('no_answer', name()));
  if (lower.includes(CONNECT_FAILED_WORD)) open.push({ about: 'connect', ...connectTarget(line, lower) });
  if (hikari === 'empty') open.push({ about: 'pool_empty' });
  if (dependencyConnect) open.push({ about: 'dependency_connect' });
  if (!poolLine && lower.includes(JEDIS_NO_RESOURCE)) open.push({ about: 'pool_borrow' });
  const limit = clientTimeLimit(lower);
  if (limit) open.push({ about: 'client_time_limit', ...limit });
  if (lower.includes(BROKEN_PIPE_WORDS) || line.includes(BROKEN_PIPE_NAME)) open.push({ about: 'broken_pipe' });
  if (findings.includes(REFUSED) && IPV6_LOOPBACK.test(line)) open.push({ about: 'refused_at_ipv6_loopback' });
  return { findings, open };
}

const withName = (about: 'lookup' | 'no_answer', name: string | undefined): OpenQuestion => (name === undefined ? { about } : { about, name });

/**
 * A reset a client reports (curl's "Connection reset by peer") claims to come from the server's
 * side: the client is the one it was sent to, so tcp.rst_from is server, whether the server sent
 * it or a middlebox forged it in the server's name (RFC 9293 section 3.10.7.3; lab 207 case 02:
 * a forged reset read as the client's own abortive close). Only for the output of a client's
 * tool: in a server's log the same words mean the client reset.
 */
export function resetSeenByClient(facts: Record<string, FactValue>): void {
  if (facts['tcp.rst_seen'] === true && !('tcp.rst_from' in facts)) facts['tcp.rst_from'] = 'server';
}

/**
 * The warnings for what the text left open, given the FACTS read from all of it: a question
 * another line answered (a verbose curl's "connect to ... failed: Connection refused" beside its
 * "Couldn't connect to server") is no longer open. One warning per kind of question.
 */
export function openQuestionWarnings(open: readonly OpenQuestion[], facts: Readonly<Record<string, FactValue>>): InputWarning[] {
  const warnings: InputWarning[] = [];
  const lookup = open.find((q) => q.about === 'lookup');
  if (lookup && !('dns.result' in facts)) {
    const name = (lookup as { name?: string }).name ?? 'NAME';
    warnings.push({
      field: 'dns.result',
      message: `the lookup of ${name} failed in words that do not say how (curl's "Could not resolve host" is the same for every resolver error, a bare UnknownHostException names only the host): the name may not exist (NXDOMAIN) or the resolver may not have answered; run \`dig ${name}\` to tell`,
    });
  }
  const noAnswer = open.find((q) => q.about === 'no_answer');
  if (noAnswer && !('dns.result' in facts)) {
    const name = (noAnswer as { name?: string }).name ?? 'NAME';
    warnings.push({
      field: 'dns.result',
      message: `"Temporary failure in name resolution" (EAI_AGAIN) says no resolver gave a usable answer, in the same words whether they timed out or answered SERVFAIL or REFUSED: \`dig ${name}\` shows which (status: SERVFAIL or REFUSED, or "no servers could be reached")`,
    });
  }
  const connect = open.find((q) => q.about === 'connect') as { host?: string; port?: string } | undefined;
  if (connect && !('tcp.connect' in facts) && !('proc.eaddrnotavail_errors' in facts)) {
    const host = connect.host ?? 'HOST';
    const port = connect.port ?? 'PORT';
    warnings.push({
      field: 'tcp.connect',
      message: `the connect to ${host} port ${port} failed in words that do not say how: curl 7.88 and later print "Couldn't connect to server" (exit 7) for a refused connect, a spent source port range (EADDRNOTAVAIL) and no route to the host alike; run \`nc -vz ${host} ${port}\` or \`curl -v\` to tell`,
    });
  }
  if (open.some((q) => q.about === 'dependency_connect')) {
    warnings.push({
      field: 'tcp.connect',
      message: "a database's or cache's client says its own connect failed (the dependency refused or did not answer it): that is the service's dependency, not a connect to the service, so tcp.connect stays unknown; the service's own port answers `nc -vz HOST PORT`",
    });
  }
  if (open.some((q) => q.about === 'pool_empty') && !('app.pool_wait_timeouts' in facts)) {
    warnings.push({
      field: 'app.pool_wait_timeouts',
      message: `HikariCP timed out with no connection in its pool (total=0): it could open none, so the database refused, was not reached or was slow to accept, and no request held the pool full; the exception's cause says which: \`grep -A 3 'Connection is not available' APP_LOG\``,
    });
  }
  const limit = open.find((q) => q.about === 'client_time_limit') as { ms: number; received?: string } | undefined;
  if (limit && !('http.latency_ms' in facts) && facts['tcp.connect'] !== 'timeout') {
    const received = limit.received === undefined ? '' : ` with ${limit.received} bytes received`;
    warnings.push({
      field: 'http.latency_ms',
      message:
        `the client gave up at its own time limit after ${limit.ms} ms${received} (curl's exit 28, "Operation timed out": --max-time, or a libcurl client's CURLOPT_TIMEOUT): ` +
        'the answer takes longer than that, how much longer is not measured, so http.latency_ms stays unknown; time the same request without the short limit ' +
        "(`curl -sS -o /dev/null --max-time 90 -w 'http_code=%{http_code} time_total=%{time_total}\\n' URL`), and through a proxy look for the abort in its access log " +
        "(nginx logs it as 499, an AWS ALB as 460: `awk '$9 == 499' /var/log/nginx/access.log | tail`)",
    });
  }
  if (open.some((q) => q.about === 'broken_pipe')) {
    warnings.push({
      field: 'tcp.rst_seen',
      message:
        'a write failed with "Broken pipe" (EPIPE): the other end had closed the connection before it (a client or proxy that gave up on a slow answer, often at its own timeout; or a server or dependency that closed it); ' +
        "it does not say who closed it or why, so it gives no fact: compare the request's time with the client's timeout, and through a proxy look for 499 in its access log " +
        "(`awk '$9 == 499' /var/log/nginx/access.log | tail`)",
    });
  }
  if (open.some((q) => q.about === 'refused_at_ipv6_loopback') && facts['tcp.connect'] === 'refused') {
    warnings.push({
      field: 'tcp.connect',
      message:
        'the refused connect went to ::1, the IPv6 loopback: a server listening on 127.0.0.1 or 0.0.0.0 (IPv4 only) refuses it while 127.0.0.1 answers, and clients that try localhost\'s ::1 first ' +
        '(Node 17 and later, curl without -4, Java with java.net.preferIPv6Addresses) fail; `ss -ltn` shows the address it listens on, and connecting to 127.0.0.1 (or listening on [::]) tells',
    });
  }
  if (open.some((q) => q.about === 'pool_borrow') && !('app.pool_wait_timeouts' in facts) && !('tcp.connect' in facts)) {
    warnings.push({
      field: 'app.pool_wait_timeouts',
      message: `Jedis's "Could not get a resource from the pool" is the same for a pool with every connection checked out and a Redis that refused or did not answer the connect; the "Caused by" line under it tells ("Timeout waiting for idle object" is the full pool, "Connection refused" or "connect timed out" is Redis): \`grep -A 3 'Could not get a resource from the pool' APP_LOG\``,
    });
  }
  return warnings;
}
