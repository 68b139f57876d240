import { describe, expect, it } from 'vitest';
import { detectKinds } from '../../src/collect/parsers/detect.js';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import type { InputWarning } from '../../src/core/request.js';
import { InputError } from '../../src/core/errors.js';
import { readArtifact } from './fixtures.js';
import { cpuStopwatch } from '../cpu-time.js';

/** The facts and the warnings of one app-errors parse. */
function parsed(text: string): { facts: Record<string, unknown>; warnings: InputWarning[] } {
  const warnings: InputWarning[] = [];
  const facts = parseArtifact('app-errors', text, { warn: (warning) => warnings.push(warning) });
  return { facts, warnings };
}

const facts = (text: string) => parsed(text).facts;

// Each line as a runtime prints it (the sources are listed in src/collect/parsers/error-text.ts).
const SPELLINGS: Array<[string, string, Record<string, unknown>]> = [
  // refused
  ['glibc', 'connect() to 198.51.100.7:5432 failed: Connection refused', { 'tcp.connect': 'refused' }],
  ['Java', 'java.net.ConnectException: Connection refused (Connection refused)', { 'tcp.connect': 'refused' }],
  ['Go', 'dial tcp 198.51.100.7:9000: connect: connection refused', { 'tcp.connect': 'refused' }],
  ['Node', 'Error: connect ECONNREFUSED 198.51.100.7:6379', { 'tcp.connect': 'refused' }],
  ['Python', 'ConnectionRefusedError: [Errno 111] Connection refused', { 'tcp.connect': 'refused' }],
  // A reset an HTTP client library reports reached the client: the server's side sent it (lab 208, case 08).
  ['Python requests', "2026-12-02 22:58:41,485 ERROR stock-sync: GET http://10.208.0.2:8087/search?q=socks failed: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))", { 'tcp.rst_seen': true, 'tcp.rst_from': 'server' }],
  ['Go net/http', 'Get "http://10.0.0.2:8080/api": read tcp 10.0.0.1:51234->10.0.0.2:8080: read: connection reset by peer', { 'tcp.rst_seen': true, 'tcp.rst_from': 'server' }],
  // requests' ConnectTimeout as lab 209 (case 03) logged it: urllib3 names no errno, only its connect timeout.
  ['Python requests', "ERROR ConnectTimeout(MaxRetryError(\"HTTPConnectionPool(host='10.209.3.2', port=8080): Max retries exceeded with url: /api/orders (Caused by ConnectTimeoutError(<HTTPConnection(host='10.209.3.2', port=8080) at 0x7f021fea3490>, 'Connection to 10.209.3.2 timed out. (connect timeout=3)'))\")) after 3.002 s", { 'tcp.connect': 'timeout' }],
  ['.NET', 'System.Net.Sockets.SocketException (10061): No connection could be made because the target machine actively refused it.', { 'tcp.connect': 'refused' }],
  ['Winsock name', 'send failed: WSAECONNREFUSED', { 'tcp.connect': 'refused' }],
  ['Winsock number', 'socket error 10061 while connecting', { 'tcp.connect': 'refused' }],
  // timed out
  ['glibc', 'curl: (28) Failed to connect to 198.51.100.7 port 443 after 129503 ms: Connection timed out', { 'tcp.connect': 'timeout' }],
  ['Java', 'java.net.SocketTimeoutException: connect timed out', { 'tcp.connect': 'timeout' }],
  ['Go', 'dial tcp 198.51.100.7:443: i/o timeout', { 'tcp.connect': 'timeout' }],
  ['Node', 'Error: connect ETIMEDOUT 198.51.100.7:443', { 'tcp.connect': 'timeout' }],
  ['.NET', 'SocketException (10060): A connection attempt failed because the connected party did not properly respond after a period of time', { 'tcp.connect': 'timeout' }],
  ['Winsock', 'WSAETIMEDOUT', { 'tcp.connect': 'timeout' }],
  // reset
  ['glibc', 'recv() failed: Connection reset by peer', { 'tcp.rst_seen': true }],
  ['Java', 'java.net.SocketException: Connection reset', { 'tcp.rst_seen': true }],
  ['Node', 'Error: read ECONNRESET', { 'tcp.rst_seen': true }],
  ['.NET', 'SocketException (10054): An existing connection was forcibly closed by the remote host.', { 'tcp.rst_seen': true }],
  ['Winsock', 'error: 10054', { 'tcp.rst_seen': true }],
  // EMFILE
  ['glibc', 'accept4() failed (24: Too many open files)', { 'proc.emfile_errors': true }],
  ['Node', "Error: EMFILE: too many open files, open '/srv/app/cache.json'", { 'proc.emfile_errors': true }],
  // EADDRNOTAVAIL
  ['glibc', 'connect to 198.51.100.7:8123 failed: Cannot assign requested address', { 'proc.eaddrnotavail_errors': true }],
  ['Java', 'java.net.BindException: Cannot assign requested address (connect failed)', { 'proc.eaddrnotavail_errors': true }],
  ['Go', 'dial tcp 198.51.100.7:9000: connect: cannot assign requested address', { 'proc.eaddrnotavail_errors': true }],
  ['Node', 'Error: connect EADDRNOTAVAIL 198.51.100.7:80 - Local (0.0.0.0:0)', { 'proc.eaddrnotavail_errors': true }],
  ['Python', 'OSError: [Errno 99] Cannot assign requested address', { 'proc.eaddrnotavail_errors': true }],
  ['macOS', 'connect: Can\'t assign requested address', { 'proc.eaddrnotavail_errors': true }],
  ['Windows 10049', '[WinError 10049] The requested address is not valid in its context', { 'proc.eaddrnotavail_errors': true }],
  ['Winsock name', 'connect failed with WSAEADDRNOTAVAIL', { 'proc.eaddrnotavail_errors': true }],
  ['Windows 10055', 'SocketException (10055): An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full', { 'proc.eaddrnotavail_errors': true }],
  ['Winsock 10055 name', 'WSAENOBUFS', { 'proc.eaddrnotavail_errors': true }],
  // names
  ['glibc', 'socket.gaierror: [Errno -2] Name or service not known', { 'dns.result': 'nxdomain' }],
  ['macOS', 'getaddrinfo: nodename nor servname provided, or not known', { 'dns.result': 'nxdomain' }],
  ['Go', 'dial tcp: lookup db.example.com on 10.96.0.10:53: no such host', { 'dns.result': 'nxdomain' }],
  ['Go SERVFAIL', 'dial tcp: lookup db.example.com on 10.96.0.10:53: server misbehaving', { 'dns.result': 'servfail' }],
  ['Go lookup timeout', 'dial tcp: lookup db.example.com on 10.96.0.10:53: read udp 10.0.0.5:40000->10.96.0.10:53: i/o timeout', { 'dns.result': 'timeout' }],
  ['Node', 'Error: getaddrinfo ENOTFOUND db.example.com', { 'dns.result': 'nxdomain' }],
  ['.NET', 'System.Net.Sockets.SocketException (11001): No such host is known.', { 'dns.result': 'nxdomain' }],
  ['Java', 'java.net.UnknownHostException: nonexistent.invalid: Name or service not known', { 'dns.result': 'nxdomain' }],
  ['nc', 'nc: getaddrinfo for host "nonexistent.invalid" port 80: Name or service not known', { 'dns.result': 'nxdomain' }],
  // Node's dns module (c-ares), against a test server answering SERVFAIL or REFUSED
  ['Node dns SERVFAIL', 'Error: queryA ESERVFAIL orders.internal', { 'dns.result': 'servfail' }],
  ['Node dns REFUSED', 'Error: queryA EREFUSED orders.internal', { 'dns.result': 'refused' }],
  ['Node dns timeout', 'Error: queryA ETIMEOUT orders.internal', { 'dns.result': 'timeout' }],
  // curl built with c-ares names the cause after the host
  ['curl c-ares', 'curl: (6) Could not resolve host: nonexistent.invalid (Domain name not found)', { 'dns.result': 'nxdomain' }],
  ['curl lookup timeout', 'curl: (28) Resolving timed out after 5000 milliseconds', { 'dns.result': 'timeout' }],
  // certificates
  ['Python', '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca' }],
  ['Python', '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)', { 'tls.handshake': 'failed', 'tls.alert': 'certificate_expired', 'tls.cert_not_yet_valid': false }],
  ['Python', "certificate verify failed: Hostname mismatch, certificate is not valid for 'api.example.com'", { 'tls.handshake': 'failed', 'tls.cert_name_match': false }],
  // ssl.match_hostname (Python 3.6 and older; urllib3's copy, which requests prints): the name, then the certificate's.
  ['Python match_hostname', 'ssl.CertificateError: hostname \'pay.example.com\' doesn\'t match \'legacy.example.com\'', { 'tls.handshake': 'failed', 'tls.cert_name_match': false }],
  ['Python match_hostname', 'ssl.CertificateError: no appropriate commonName or subjectAltName fields were found', { 'tls.handshake': 'failed', 'tls.cert_name_match': false }],
  // A missing intermediate or a private root the client lacks: which, the message does not say.
  ['Node', 'Error: unable to verify the first certificate (code: UNABLE_TO_VERIFY_LEAF_SIGNATURE)', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca' }],
  ['Node', 'Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate\'s altnames', { 'tls.handshake': 'failed', 'tls.cert_name_match': false }],
  ['Go', 'x509: certificate signed by unknown authority', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca' }],
  ['Go', 'x509: certificate is valid for www.example.com, not api.example.com', { 'tls.handshake': 'failed', 'tls.cert_name_match': false }],
  ['Java', 'sun.security.validator.ValidatorException: PKIX path building failed', { 'tls.handshake': 'failed', 'tls.alert': 'unknown_ca' }],
  ['Java', 'javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure', { 'tls.handshake': 'failed', 'tls.alert': 'handshake_failure' }],
  ['.NET', 'The remote certificate is invalid because of errors in the certificate chain: RemoteCertificateChainErrors', { 'tls.handshake': 'failed' }],
  // a full filesystem (ENOSPC)
  ['Java', 'java.io.IOException: No space left on device', { 'proc.enospc_errors': true }],
  ['Go', 'write /var/lib/app/spool/0001.tmp: no space left on device', { 'proc.enospc_errors': true }],
  ['PostgreSQL', 'PANIC:  could not write to file "pg_wal/xlogtemp.118": No space left on device', { 'proc.enospc_errors': true }],
  ['.NET', 'System.IO.IOException: There is not enough space on the disk. : \'D:\\uploads\\a.tmp\'', { 'proc.enospc_errors': true }],
  // a full worker pool
  ['php-fpm', '[01-Dec-2026 10:14:53] WARNING: [pool www] server reached pm.max_children setting (20), consider raising it', { 'proc.workers_busy_pct': 100 }],
  ['php-fpm ondemand', '[01-Dec-2026 10:14:53] WARNING: [pool api] server reached max_children setting (5), consider raising it', { 'proc.workers_busy_pct': 100 }],
  // a unix socket's full listen queue, as nginx meets it
  ['nginx', 'connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream', { 'kernel.listen_overflows': true }],
  // a request that waited past its timeout for a connection from the app's own client pool
  ['HikariCP 5', 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30004ms (total=10, active=10, idle=0, waiting=21)', { 'app.pool_wait_timeouts': true }],
  ['HikariCP 3, no counts, a named pool', 'java.sql.SQLTransientConnectionException: orders-db - Connection is not available, request timed out after 30000ms.', { 'app.pool_wait_timeouts': true }],
  ['HttpClient 4', 'org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool', { 'app.pool_wait_timeouts': true }],
  ['HttpClient 5', 'org.apache.hc.client5.http.impl.classic.ConnectionRequestTimeoutException: Timeout deadline: 500 MILLISECONDS, actual: 500 MILLISECONDS', { 'app.pool_wait_timeouts': true }],
  ['AWS SDK over HttpClient 4', 'com.amazonaws.AmazonClientException: Unable to execute HTTP request: Timeout waiting for connection from pool', { 'app.pool_wait_timeouts': true }],
  ['SQLAlchemy', 'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)', { 'app.pool_wait_timeouts': true }],
  ['Knex', 'KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?', { 'app.pool_wait_timeouts': true }],
  ['DBCP', 'org.apache.commons.dbcp.SQLNestedException: Cannot get a connection, pool error Timeout waiting for idle object', { 'app.pool_wait_timeouts': true }],
  ['c3p0', 'java.sql.SQLException: An attempt by a client to checkout a Connection has timed out.', { 'app.pool_wait_timeouts': true }],
  // a downstream refusing the application's call in its own words: the database's connection limit (not the app's pool), read-only, out of IDs; Redis
  ['PostgreSQL, max_connections', 'org.postgresql.util.PSQLException: FATAL: sorry, too many clients already', { 'app.dependency_errors': true }],
  ['PostgreSQL, reserved slots', 'FATAL:  remaining connection slots are reserved for non-replication superuser connections', { 'app.dependency_errors': true }],
  ['MySQL, max_connections', 'java.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection, message from server: "Too many connections"', { 'app.dependency_errors': true }],
  ['mysql client, max_connections', 'ERROR 1040 (HY000): Too many connections', { 'app.dependency_errors': true }],
  ['PostgreSQL, read-only', 'psycopg2.errors.ReadOnlySqlTransaction: cannot execute INSERT in a read-only transaction', { 'app.dependency_errors': true }],
  ['MySQL, read-only', 'ERROR 1290 (HY000): The MySQL server is running with the --read-only option so it cannot execute this statement', { 'app.dependency_errors': true }],
  ['PostgreSQL, wraparound', 'ERROR:  database is not accepting commands to avoid wraparound data loss in database "mandrill"', { 'app.dependency_errors': true }],
  ['Redis, read-only replica', "redis.exceptions.ReadOnlyError: You can't write against a read only replica.", { 'app.dependency_errors': true }],
  ['Redis, maxmemory', "redis.exceptions.ResponseError: OOM command not allowed when used memory > 'maxmemory'.", { 'app.dependency_errors': true }],
];

/** Lines that look like those above and prove none of their facts. */
const NEAR_MISSES: Array<[string, string]> = [
  // ENOSPC that is no disk's: inotify's and epoll's watch limits, System V semaphores.
  ['tail, inotify watches', "tail: cannot watch '/var/log/app.log': No space left on device"],
  ['systemd, inotify watches', 'Failed to add /run/systemd/ask-password to directory watch: No space left on device'],
  ['Node, inotify watches', "Error: ENOSPC: System limit for number of file watchers reached, watch '/srv/app/src'"],
  ['Apache, semaphores', '(28)No space left on device: AH00023: Couldn\'t create the proxy mutex'],
  ['epoll watches', 'epoll_ctl: No space left on device'],
  // A quota is EDQUOT, not ENOSPC: the filesystem has room.
  ['a quota', 'write /home/ci/cache.bin: disk quota exceeded'],
  // php-fpm spawning faster is a pool growing, not a full one.
  ['php-fpm, busy', '[01-Dec-2026 10:14:50] WARNING: [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 17 total children'],
  // EAGAIN on a TCP upstream is no unix socket's listen queue.
  ['nginx, TCP upstream', 'connect() to 198.51.100.7:9000 failed (11: Resource temporarily unavailable) while connecting to upstream'],
  // A name that exists with no address of the family asked (EAI_NODATA) is no NXDOMAIN.
  ['glibc, no address', 'socket.gaierror: [Errno -5] No address associated with hostname'],
  // "doesn't match" about anything but a host name is no certificate's.
  ['a checksum', "sha256 of /srv/app.tar doesn't match 'a3f1...'"],
  // Mixed case is no Node error code.
  ['a word, not a code', 'request to /api failed: SocketTimeout after 30 s'],
  // A read-only filesystem (EROFS) is the host's disk, no database refusing writes.
  ['a read-only filesystem', "OSError: [Errno 30] Read-only file system: '/srv/app/cache/session.db'"],
  // A pool's counts, its start and its shutdown are no request waiting.
  ['HikariCP housekeeping', 'HikariPool-1 - Pool stats (total=10, active=10, idle=0, waiting=14)'],
  ['HikariCP start', 'com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Starting...'],
  ['HttpClient shut down', 'java.lang.IllegalStateException: Connection pool shut down'],
  ['urllib3 returning a connection', 'WARNING urllib3.connectionpool Connection pool is full, discarding connection: api.partner.example. Connection pool size: 10'],
];

describe('app-errors: the error text a client or an app logged', () => {
  it.each(SPELLINGS)('%s: %s', (_runtime, line, expected) => {
    expect(parsed(line)).toEqual({ facts: expected, warnings: [] });
  });

  // The near misses a log marks as errors (FATAL, an exception's name): read, with no fact and a warning saying so; the others are refused.
  const READ_WITH_NO_FACT = new Set(['HttpClient shut down']);
  it.each(NEAR_MISSES)('near miss, %s: %s', (what, line) => {
    if (READ_WITH_NO_FACT.has(what)) {
      expect(parsed(line)).toEqual({ facts: {}, warnings: [{ field: 'artifact app-errors', message: "1 error line read, none naming a socket, resolver, certificate or resource error rca knows (a dependency's own answer, 500 or 429, is no fact here): no fact from this output" }] });
    } else {
      expect(() => facts(line)).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ field: 'artifact app-errors', got: 'unrecognised text' })] }));
    }
  });

  it('a number is a Winsock code only where a log prints it as an error: port 10061 is no refusal', () => {
    expect(() => facts('listening on 0.0.0.0:10061, ready')).toThrow(InputError);
    expect(facts('java.io.FileNotFoundException: /etc/app.conf')).toEqual({});
  });

  it('lines that disagree keep the commonest value, with a warning naming every value and its count', () => {
    expect(parsed(readArtifact('app-errors', 'go-refused-and-timeout.txt'))).toEqual({
      facts: { 'tcp.connect': 'refused' },
      warnings: [{ field: 'tcp.connect', message: 'the lines disagree: "refused" on 3 lines, "timeout" on 1 line; kept "refused", the commonest' }],
    });
  });

  it('a tie goes to the value that sorts first, whatever the line order', () => {
    const lines = ['Error: connect ETIMEDOUT 198.51.100.7:443', 'Error: connect ECONNREFUSED 198.51.100.7:443'];
    const message = 'the lines disagree: "refused" on 1 line, "timeout" on 1 line; kept "refused", the commonest';
    for (const text of [lines.join('\n'), [...lines].reverse().join('\n')]) {
      expect(parsed(text)).toEqual({ facts: { 'tcp.connect': 'refused' }, warnings: [{ field: 'tcp.connect', message }] });
    }
  });

  it("a lookup no resolver answered is the resolver's, not the target refusing or timing out", () => {
    const text = 'getaddrinfo EAI_AGAIN db.example.com: Connection timed out\nError: connect ECONNREFUSED 198.51.100.7:443\n';
    expect(parsed(text)).toEqual({
      facts: { 'dns.temporary_failure': true, 'tcp.connect': 'refused' },
      warnings: [
        {
          field: 'dns.result',
          message:
            '"Temporary failure in name resolution" (EAI_AGAIN) says no resolver gave a usable answer, in the same words whether they timed out or answered SERVFAIL or REFUSED: `dig db.example.com` shows which (status: SERVFAIL or REFUSED, or "no servers could be reached")',
        },
      ],
    });
  });

  it('a lookup or a connect that failed in words naming no cause gives no fact, and a warning naming what tells', () => {
    const lookup = parsed('curl: (6) Could not resolve host: api.example.com\n');
    expect(lookup.facts).toEqual({});
    expect(lookup.warnings).toEqual([expect.objectContaining({ field: 'dns.result', message: expect.stringContaining('run `dig api.example.com` to tell') })]);
    const connect = parsed("curl: (7) Failed to connect to 198.51.100.7 port 443 after 0 ms: Couldn't connect to server\n");
    expect(connect.facts).toEqual({});
    expect(connect.warnings).toEqual([expect.objectContaining({ field: 'tcp.connect', message: expect.stringContaining('run `nc -vz 198.51.100.7 443` or `curl -v` to tell') })]);
    // Another line that says how answers the question: no warning.
    expect(parsed("curl: (7) Failed to connect to 198.51.100.7 port 443 after 0 ms: Couldn't connect to server\nError: connect ECONNREFUSED 198.51.100.7:443\n")).toEqual({ facts: { 'tcp.connect': 'refused' }, warnings: [] });
    // A name or address a command could take as an option is never put in one.
    const hostile = parsed("curl: (7) Failed to connect to -oProxyCommand=x port 443 after 0 ms: Couldn't connect to server\ncurl: (6) Could not resolve host: a$(reboot)\n");
    expect(hostile.warnings.map((w) => w.message)).toEqual([expect.stringContaining('run `dig NAME` to tell'), expect.stringContaining('run `nc -vz HOST PORT` or `curl -v` to tell')]);
  });

  it("HikariCP's timeout with no connection in its pool, and Jedis's failure to borrow, give no fact but a warning naming the cause line", () => {
    const empty = parsed('HikariPool-1 - Connection is not available, request timed out after 30000ms (total=0, active=0, idle=0, waiting=6)\n');
    expect(empty.facts).toEqual({});
    expect(empty.warnings).toEqual([expect.objectContaining({ field: 'app.pool_wait_timeouts', message: expect.stringContaining("`grep -A 3 'Connection is not available' APP_LOG`") })]);
    const borrow = parsed('redis.clients.jedis.exceptions.JedisConnectionException: Could not get a resource from the pool\n');
    expect(borrow.facts).toEqual({});
    expect(borrow.warnings).toEqual([expect.objectContaining({ field: 'app.pool_wait_timeouts', message: expect.stringContaining("`grep -A 3 'Could not get a resource from the pool' APP_LOG`") })]);
    // The cause line answers it: the full pool, or Redis refusing the connect.
    expect(parsed(readArtifact('app-errors', 'java-jedis-idle-object.txt'))).toEqual({ facts: { 'app.pool_wait_timeouts': true }, warnings: [] });
    expect(parsed(readArtifact('app-errors', 'java-jedis-redis-refused.txt'))).toEqual({ facts: { 'tcp.connect': 'refused' }, warnings: [] });
    // One HikariCP line with connections in the pool says it was full: no warning.
    expect(parsed('HikariPool-1 - Connection is not available, request timed out after 30000ms (total=0, active=0, idle=0, waiting=6)\nHikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=6)\n')).toEqual({ facts: { 'app.pool_wait_timeouts': true }, warnings: [] });
  });

  it("curl's exit 28 once connected is the client's own time limit, and a write's EPIPE the peer gone: no fact, a warning saying what each shows (lab 205, case 07)", () => {
    const limit = (ms: number, received: string) => ({ field: 'http.latency_ms', message: expect.stringMatching(new RegExp(`^the client gave up at its own time limit after ${ms} ms${received} \\(curl's exit 28, `)) as unknown });
    expect(parsed(readArtifact('app-errors', 'lab205-curl-28-max-time-3s.txt'))).toEqual({ facts: {}, warnings: [limit(3001, ' with 0 bytes received')] });
    // PHP's and Guzzle's libcurl, part of the answer received.
    expect(parsed('PHP Fatal error: cURL error 28: Operation timed out after 30001 milliseconds with 512 out of 2048 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html)')).toEqual({
      facts: {},
      warnings: [limit(30001, ' with 512 out of 2048 bytes received')],
    });
    // The connect's own timeout and the lookup's are the connect's and the resolver's, not the request's limit.
    expect(parsed('curl: (28) Connection timed out after 5001 milliseconds')).toEqual({ facts: { 'tcp.connect': 'timeout' }, warnings: [] });
    expect(parsed('curl: (28) Resolving timed out after 5000 milliseconds')).toEqual({ facts: { 'dns.result': 'timeout' }, warnings: [] });
    const pipe = { field: 'tcp.rst_seen', message: expect.stringMatching(/^a write failed with "Broken pipe" \(EPIPE\): the other end had closed the connection before it/) as unknown };
    for (const line of ['BrokenPipeError: [Errno 32] Broken pipe', 'java.io.IOException: Broken pipe', 'http: superfluous response: write tcp 10.0.0.5:8080->10.0.0.9:51234: write: broken pipe', 'Error: write EPIPE']) {
      expect(parsed(line), line).toEqual({ facts: {}, warnings: [pipe] });
    }
    expect(parsed(readArtifact('app-errors', 'lab205-python-broken-pipe.txt'))).toEqual({ facts: {}, warnings: [pipe] });
    // Beside what other lines prove, both still say their piece.
    expect(parsed('Error: read ECONNRESET\nError: write EPIPE\n')).toEqual({ facts: { 'tcp.rst_seen': true }, warnings: [pipe] });
  });

  it('a connect refused at ::1, the IPv6 loopback, is a refusal with a warning naming the IPv4-only listener it often is; 127.0.0.1 is not', () => {
    const ipv6Loopback = {
      field: 'tcp.connect',
      message:
        "the refused connect went to ::1, the IPv6 loopback: a server listening on 127.0.0.1 or 0.0.0.0 (IPv4 only) refuses it while 127.0.0.1 answers, and clients that try localhost's ::1 first " +
        '(Node 17 and later, curl without -4, Java with java.net.preferIPv6Addresses) fail; `ss -ltn` shows the address it listens on, and connecting to 127.0.0.1 (or listening on [::]) tells',
    };
    for (const line of ['Error: connect ECONNREFUSED ::1:5432', 'java.net.ConnectException: Connection refused: localhost/[0:0:0:0:0:0:0:1]:8080', 'dial tcp [::1]:6379: connect: connection refused']) {
      expect(parsed(line), line).toEqual({ facts: { 'tcp.connect': 'refused' }, warnings: [ipv6Loopback] });
    }
    expect(parsed('Error: connect ECONNREFUSED 127.0.0.1:5432')).toEqual({ facts: { 'tcp.connect': 'refused' }, warnings: [] });
    // ::1 in another word, or on a line that refused nothing, is no such connect.
    expect(parsed('Error: connect ECONNREFUSED 10.0.0.1:5432 (fe80::1:5)')).toEqual({ facts: { 'tcp.connect': 'refused' }, warnings: [] });
  });

  it('text naming no error it knows is refused, naming what it reads', () => {
    expect(() => facts('2026-11-30 INFO started in 2.1 s\n')).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ field: 'artifact app-errors', got: 'unrecognised text', expected: expect.stringContaining('"Cannot assign requested address"') })] }),
    );
  });

  it('reads 1 MB of hostile text in linear time', () => {
    const shapes = [
      'connection '.repeat(100_000),
      `${'a'.repeat(4000)}\n`.repeat(262),
      'x509: certificate is valid for , no'.repeat(30_000),
      `${'(1006'.repeat(800)}\n`.repeat(262),
      `${'ECONNREFUSED '.repeat(300)}\n`.repeat(270),
    ].map((text) => text.slice(0, 1024 * 1024));
    const start = cpuStopwatch();
    for (const text of shapes) {
      try {
        parseArtifact('app-errors', text);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
    }
    // The stall bound of test/collect/parsers-hostile.test.ts, per shape.
    expect(start.ms()).toBeLessThan(1000 * shapes.length);
  });

  it('is told from its text only by what a runtime prints about its own failure', () => {
    expect(detectKinds(readArtifact('app-errors', 'java-bindexception.txt'))).toEqual(['app-errors']);
    expect(detectKinds('dial tcp 198.51.100.7:9000: connect: connection refused\n')).toEqual(['app-errors']);
    // Bare strerror texts are other tools' words too: nginx's, strace's, dig's.
    expect(detectKinds('connect() failed: Connection refused\n')).toEqual([]);
    expect(detectKinds(readArtifact('nginx-error', 'connect-refused.txt'))).toEqual(['nginx-error']);
    // A runtime's own words for a full disk and php-fpm's pool warning; not the bare strerror, which strace prints too.
    for (const file of ['java-enospc.txt', 'node-enospc.txt', 'python-enospc-inodes.txt', 'php-fpm-max-children.txt']) expect(detectKinds(readArtifact('app-errors', file)), file).toEqual(['app-errors']);
    expect(detectKinds('write(3, "x", 1) = -1 ENOSPC (No space left on device)\n')).toEqual([]);
    // nginx's own line about a unix socket's full queue is nginx's.
    expect(detectKinds(readArtifact('nginx-error', 'unix-socket-backlog-full.txt'))).toEqual(['nginx-error']);
    // A plain Python log: "[Errno N] " after the app's own words; curl's numbered error.
    for (const file of ['python-log-emfile-accept.txt', 'python-log-enospc.txt', 'python-log-eaddrnotavail.txt', 'curl-7-couldnt-connect.txt', 'curl-6-could-not-resolve.txt', 'java-unknown-host-bare.txt']) {
      expect(detectKinds(readArtifact('app-errors', file)), file).toEqual(['app-errors']);
    }
    // curl's and libcurl's own numbered errors (PHP, Guzzle).
    expect(detectKinds(readArtifact('app-errors', 'lab205-curl-28-max-time-3s.txt'))).toEqual(['app-errors']);
    expect(detectKinds('cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received\n')).toEqual(['app-errors']);
    // curl -v's own lines are curl-v's, its closing "curl: (7) ..." line among them; app-errors still reads them when named.
    for (const file of ['lab195-eaddrnotavail.txt', 'lab195-refused-progress-meter.txt']) {
      expect(detectKinds(readArtifact('curl-v', file)), file).toEqual(['curl-v']);
      expect(parseArtifact('app-errors', readArtifact('curl-v', file)), file).toEqual(parseArtifact('curl-v', readArtifact('curl-v', file)));
    }
    // Python's ssl.CertificateError, as requests prints it (urllib3's copy of match_hostname).
    expect(detectKinds(`requests.exceptions.SSLError: HTTPSConnectionPool(host='pay.example', port=443): Max retries exceeded with url: / (Caused by SSLError(CertificateError("hostname 'pay.example' doesn't match 'legacy.example'",),))\n`)).toEqual(['app-errors']);
    expect(detectKinds('Error: queryA ESERVFAIL orders.internal\n')).toEqual(['app-errors']);
    // The client pools' own words for a wait that timed out, and Jedis's failure to borrow.
    for (const file of ['java-hikari-pool-exhausted.txt', 'java-hikari-empty-pool-too-many-clients.txt', 'python-sqlalchemy-queuepool.txt', 'java-httpclient-pool-timeout.txt', 'node-knex-acquire-timeout.txt', 'java-jedis-idle-object.txt', 'java-jedis-redis-refused.txt']) {
      expect(detectKinds(readArtifact('app-errors', file)), file).toEqual(['app-errors']);
    }
    // strace prints errno names and texts, never "[Errno N]".
    expect(detectKinds('connect(3, {sa_family=AF_INET, sin_port=htons(80)}, 16) = -1 EADDRNOTAVAIL (Cannot assign requested address)\n')).toEqual([]);
  });
});
