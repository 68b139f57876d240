import type { FactValue } from '../../core/vocabulary.js';
import { openQuestionWarnings, readErrorLine, type OpenQuestion } from './error-text.js';
import { notRecognised, type ArtifactParser, type ParseContext } from './types.js';
import { artifactLines } from './text.js';

/**
 * The error text an application or client logged, read as facts line by line through the
 * spellings every parser of error text shares (error-text.ts lists them by source).
 */

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
  'an application\'s or client\'s error output (log lines, a stack trace, curl\'s or a driver\'s error line) naming a socket, resolver, certificate, resource or dependency error ("Connection refused", "Cannot assign requested address", "Name or service not known", "certificate verify failed", WSAECONNREFUSED 10061, "No space left on device", php-fpm\'s "server reached pm.max_children setting", a client pool\'s wait timeout such as HikariCP\'s "Connection is not available", a database\'s "sorry, too many clients already", ...)';

/**
 * A line a log or a runtime marks as an error: an upper-case level (log4j, Python's logging), a
 * bracketed or logfmt one (nginx's "[error]", "level=error"), a traceback, a Go panic or an
 * exception's CamelCase name. Case-sensitive: dig's "communications error" and "NOERROR" are not.
 */
const ERROR_LEVEL = /\b(?:ERROR|FATAL|CRITICAL|SEVERE|Traceback)\b|(?:\[|\blevel=)(?:error|fatal|crit)\b|\bpanic:|[a-z](?:Exception|Error)\b/;

export const appErrorsParser: ArtifactParser = {
  kind: 'app-errors',
  describe:
    "an application's or client's error output (log lines, a stack trace, curl's or a driver's error line; glibc, Java, Go, Node, " +
    'Python, .NET and Windows Sockets spellings): tcp.connect (refused, timeout), tcp.rst_seen (with tcp.rst_from server in an HTTP client library\'s own error, ' +
    'urllib3\'s "(\'Connection aborted.\'" or Go\'s "Get \\"URL\\": ...": the client received it), proc.emfile_errors, ' +
    'proc.eaddrnotavail_errors (EADDRNOTAVAIL, WSAEADDRNOTAVAIL 10049, WSAENOBUFS 10055), dns.result (nxdomain, servfail, timeout, refused), ' +
    'dns.temporary_failure (EAI_AGAIN, "Temporary failure in name resolution": no resolver answered usably, a timeout, SERVFAIL and REFUSED alike, so no dns.result but a warning naming `dig NAME`), ' +
    'tls.handshake, tls.alert, tls.cert_name_match, tls.chain_complete, tls.cert_not_yet_valid ("certificate is not yet valid", CertificateNotYetValidException; false on an expiry), proc.enospc_errors ("No space left on device", ENOSPC; not ' +
    "inotify's, epoll's or semaphores' ENOSPC), proc.workers_busy_pct 100 (php-fpm's \"server reached pm.max_children setting\"), " +
    'kernel.listen_overflows (nginx\'s "connect() to unix:... failed (11: Resource temporarily unavailable)": the socket\'s listen queue is full); ' +
    'app.pool_wait_timeouts (a request timed out waiting for a connection from the application\'s own client pool: HikariCP\'s "Connection is not available, ' +
    'request timed out" (not with total=0, a pool that could open no connection: a warning), HttpClient\'s "Timeout waiting for connection from pool", ' +
    'SQLAlchemy\'s "QueuePool limit ... reached", Knex\'s "Timeout acquiring a connection", commons-pool\'s "Timeout waiting for idle object" (DBCP, Jedis), ' +
    'c3p0\'s "checkout a Connection has timed out"; not the database\'s own "too many clients"); ' +
    'app.dependency_errors (a database or cache failing the application\'s call in its own words: PostgreSQL\'s "sorry, too many clients already", ' +
    '"remaining connection slots are reserved", "in a read-only transaction", "not accepting commands to avoid wraparound", MySQL\'s "Too many connections", ' +
    '"running with the --read-only option", Redis\'s "READONLY You can\'t write against a read only replica" and "OOM command not allowed", ' +
    'or its client\'s connect refused); ' +
    'where lines disagree, the commonest value and a warning; a database\'s or cache\'s client reporting its own failed connect (libpq\'s "connection to server at ... failed", ' +
    'MySQL\'s "Can\'t connect to MySQL server", "Communications link failure", redis-py\'s ConnectionError) gives no tcp.connect, the dependency\'s not the service\'s, but a warning (and app.dependency_errors when it was refused); ' +
    'a lookup or connect that failed in words that do not say how (curl\'s ' +
    '"Could not resolve host", "Couldn\'t connect to server") gives no fact but a warning naming `dig NAME` or `nc -vz HOST PORT`; ' +
    'curl\'s exit 28 once connected ("Operation timed out after N milliseconds with M bytes received", also libcurl\'s "cURL error 28": the client\'s own time limit, ' +
    'the answer taking longer by an amount not measured) and a write\'s "Broken pipe" (EPIPE: the other end had closed the connection, who and why unsaid) ' +
    'give no fact but a warning naming the request to time without the limit and the proxy\'s 499; ' +
    'error lines naming none of these (a dependency\'s own 500 or 429) give no fact but a warning, where text with no error line at all is refused',
  parse(text, context) {
    const lines = artifactLines(text);
    const facts = readErrorLines(lines, context);
    if (facts) return facts;
    // An application's log whose errors are its own (a dependency's 500 or 429, a validation
    // failure) is the application's output all the same: read, with nothing rca knows in it, not
    // refused (labs 208 and 209: one such log refused the whole diagnosis, exit 2).
    const errorLines = lines.filter((line) => ERROR_LEVEL.test(line)).length;
    if (errorLines === 0) throw notRecognised('app-errors', EXPECTED);
    context?.warn?.({
      field: 'artifact app-errors',
      message: `${errorLines === 1 ? '1 error line' : `${errorLines} error lines`} read, none naming a socket, resolver, certificate or resource error rca knows (a dependency's own answer, 500 or 429, is no fact here): no fact from this output`,
    });
    return {};
  },
};

/**
 * Lines of error text read as app-errors reads them (error-text.ts, line by line; where lines
 * disagree, the commonest value and a warning), with a warning for what they leave open: the
 * facts, or undefined when no line proves or leaves open anything. A failure read but not told
 * apart (curl's "Couldn't connect to server") is said, with no fact, not refused. Also the reading
 * of another tool's own error lines (ping's "ping: NAME: Name or service not known").
 */
export function readErrorLines(lines: Iterable<string>, context: ParseContext | undefined): Record<string, FactValue> | undefined {
  const tally: Tally = new Map();
  const open: OpenQuestion[] = [];
  for (const line of lines) {
    const reading = readErrorLine(line);
    for (const question of reading.open) if (!open.some((q) => q.about === question.about)) open.push(question);
    for (const [fact, value] of reading.findings) {
      const counts = tally.get(fact) ?? new Map<FactValue, number>();
      counts.set(value, (counts.get(value) ?? 0) + 1);
      tally.set(fact, counts);
    }
  }
  const facts = settle(tally, context);
  const warnings = openQuestionWarnings(open, facts);
  if (tally.size === 0 && warnings.length === 0) return undefined;
  for (const warning of warnings) context?.warn?.(warning);
  return facts;
}
