import type { Facts } from '../../generated/facts.js';
import type { InputWarning } from '../../core/request.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, commonest, countBy, definedFacts, percent } from './text.js';

/**
 * HAProxy's traffic log, as its configuration manual (doc/configuration.txt of HAProxy 1.8 to
 * 3.x; section 8.2.2 "TCP log format", 8.2.3 "HTTP log format") defines `option tcplog` and
 * `option httplog`, each line after an optional syslog header (`Dec  2 16:21:47 lb1 haproxy[5889]:`,
 * `<134>` first when HAProxy writes it to stdout itself):
 *
 *   client_ip:port [accept_date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes
 *     captured_request_cookie captured_response_cookie termination_state
 *     actconn/feconn/beconn/srv_conn/retries srv_queue/backend_queue ... "METHOD URI HTTP/1.1"
 *   client_ip:port [accept_date] frontend backend/server Tw/Tc/Tt bytes termination_state
 *     actconn/feconn/beconn/srv_conn/retries srv_queue/backend_queue
 *
 * HAProxy 1.x's timers are Tq/Tw/Tc/Tr/Tt: the fourth is Tr there too. The `option httpslog`
 * format (2.5 and later) adds its fields after the request, so the ones read here keep their place.
 */

type UpstreamError = NonNullable<Facts['proxy.upstream_error']>;
type BackendHealth = NonNullable<Facts['lb.backend_health']>;

interface LogLine {
  client: string;
  backend: string;
  /** `<NOSRV>` when HAProxy picked no server. */
  server: string;
  /** The termination state's first two characters (section 8.5): the event that ended the session, and its phase. */
  state: string;
  /** An `option httplog` line (else `option tcplog`'s). */
  http: boolean;
  /** HTTP only: the status HAProxy sent (none when it sent nothing: -1). */
  status?: number;
  /** HTTP only: Tr, the ms the server took to send its whole response headers (none when it did not: -1). */
  serverMs?: number;
}

const ACCEPT_DATE = /^\[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\]$/;
/** The client's address and port: IPv4, IPv6 (written without brackets) or an IPv4-mapped one. */
const CLIENT = /^([\da-fA-F.:]{2,45}):\d{1,5}$/;
/** HAProxy's proxy and server names are letters, digits and `-_.:` (a frontend's `~` marks TLS); `<NOSRV>`, `<STATS>` are its own. */
const BACKEND_SERVER = /^([\w.:-]{1,100})\/(<[A-Z]{1,16}>|[\w.:-]{1,100})$/;
/** A timer, -1 when its phase never came; `+` marks a total logged before the end (option logasap). */
const TIMER = /^\+?-?\d{1,10}$/;
const HTTP_STATE = /^[A-Za-z-]{4}$/;
const TCP_STATE = /^[A-Za-z-]{2}$/;
const CONNECTIONS = /^\d{1,10}\/\d{1,10}\/\d{1,10}\/\d{1,10}\/\+?\d{1,10}$/;
const QUEUES = /^\d{1,10}\/\d{1,10}$/;
/** The syslog header's words before the client: `<134>Dec  2 16:21:47 lb1 haproxy[5889]:` and RFC 5424's are at most 8 (the day's second space counts). */
const HEADER_WORDS = 10;

/** One log line's fields, if it is a traffic line of `option httplog` or `option tcplog`. */
export function readLogLine(line: string): LogLine | undefined {
  if (!line.includes(' [')) return undefined;
  const words = line.split(' ', HEADER_WORDS + 12);
  const at = words.findIndex((word, i) => i > 0 && i <= HEADER_WORDS + 1 && ACCEPT_DATE.test(word));
  if (at < 1) return undefined;
  const client = CLIENT.exec(words[at - 1] as string);
  const names = BACKEND_SERVER.exec(words[at + 2] ?? '');
  const timers = (words[at + 3] ?? '').split('/');
  if (!client || !names || !timers.every((timer) => TIMER.test(timer))) return undefined;
  const fields = { client: client[1] as string, backend: names[1] as string, server: names[2] as string };
  if (timers.length === 5) {
    const [status, , , , state, connections, queues] = words.slice(at + 4, at + 11);
    if (!/^-?\d{1,3}$/.test(status ?? '') || !HTTP_STATE.test(state ?? '') || !CONNECTIONS.test(connections ?? '') || !QUEUES.test(queues ?? '')) return undefined;
    const serverMs = Number(timers[3]);
    return { ...fields, http: true, state: (state as string).slice(0, 2), status: Number(status) >= 100 ? Number(status) : undefined, serverMs: serverMs >= 0 ? serverMs : undefined };
  }
  if (timers.length !== 3) return undefined;
  const [, state, connections, queues] = words.slice(at + 4, at + 8);
  if (!TCP_STATE.test(state ?? '') || !CONNECTIONS.test(connections ?? '') || !QUEUES.test(queues ?? '')) return undefined;
  return { ...fields, http: false, state: state as string };
}

/**
 * How a session ended, by its termination state (section 8.5, "Session state at disconnection").
 * Some name the upstream error nginx's log does (nginx-error.ts), others none: HAProxy's log
 * cannot tell it, and a warning says what would. Ties go to the earlier, as nginx-error's do.
 */
interface Ending {
  /** The codes as the warnings name them. */
  codes: string;
  matches: (line: LogLine) => boolean;
  fact?: UpstreamError;
  /** Why no fact, and what to run to tell; N is the count of lines. */
  why?: (n: number) => string;
}

const ENDINGS: readonly Ending[] = [
  // No server to send it to: every one is down (its health check fails) or in maintenance. HAProxy logs SC for it (lab 201 case 05, and here).
  { codes: '<NOSRV> SC', fact: 'no_live_upstreams', matches: (line) => line.server === '<NOSRV>' && line.state === 'SC' },
  // "The server or an equipment between it and HAProxy explicitly refused the TCP connection (a TCP RST or an ICMP message)."
  { codes: 'SC', fact: 'connect_refused', matches: (line) => line.server !== '<NOSRV>' && line.state === 'SC' },
  // SH "The server aborted before sending its full HTTP response headers, or it crashed"; SD "the
  // connection to the server died with an error during the data transfer". A close (FIN) and a
  // reset (RST) log the same (a python3 backend doing each: SH-- and SD-- both times), so neither
  // premature_close nor reset_by_peer is read.
  {
    codes: 'SH/SD',
    matches: (line) => line.state === 'SH' || line.state === 'SD',
    why: (n) =>
      `${lines(n)} ended SH or SD: the server closed or reset the connection before its whole response (configuration manual 8.5); HAProxy logs a close (FIN) and a reset (RST) alike, ` +
      "so proxy.upstream_error (premature_close or reset_by_peer) stays unknown: capture the backend's FINs and RSTs on the HAProxy host, " +
      "`tcpdump -ni any 'tcp port PORT and tcp[tcpflags] & (tcp-fin|tcp-rst) != 0'` with the server line's PORT from haproxy.cfg, and read the server's own log for a crash",
  },
  // "The proxy blocked the server's response, because it was invalid, incomplete, dangerous (cache
  // control), or matched a security filter": response headers larger than the buffer end so (a
  // 20 kB header over tune.bufsize 16384 here, lab 203 case 05), and so does a header HAProxy
  // cannot parse. Either way the proxy refused the backend's response headers and answered 502
  // itself, the story of header_too_big (nginx's "upstream sent too big header"); a warning says
  // what tells the two apart.
  {
    codes: 'PH',
    fact: 'header_too_big',
    matches: (line) => line.state === 'PH',
    why: (n) =>
      `${lines(n)} ended PH: HAProxy refused the server's response headers and answered 502 itself (configuration manual 8.5): read as headers larger than its buffer (tune.bufsize less tune.maxrewrite), the common case; ` +
      'an invalid header ends so too: `echo "show errors" | socat stdio /run/haproxy/admin.sock` (the `stats socket` of haproxy.cfg) shows the response it refused and where it stopped reading it',
  },
  // "The 'timeout connect' stroke before a connection to the server could complete."
  { codes: 'sC', fact: 'connect_timeout', matches: (line) => line.state === 'sC' },
  // "The 'timeout server' stroke before the server could return its response headers", or sD in the data phase.
  { codes: 'sH/sD', fact: 'read_timeout', matches: (line) => line.state === 'sH' || line.state === 'sD' },
  // "The session spent too much time in queue and has been expired": every server was at its maxconn.
  {
    codes: 'sQ',
    matches: (line) => line.state === 'sQ',
    why: (n) =>
      `${lines(n)} ended sQ: the request waited in HAProxy's queue until timeout queue expired, every server of its backend being at its maxconn, and HAProxy answered 503 itself without asking one (configuration manual 8.5); ` +
      "no proxy.upstream_error says that: compare the server lines' maxconn and timeout queue (`grep -nE 'maxconn|timeout queue' /etc/haproxy/haproxy.cfg`) with the queue columns (srv_queue/backend_queue) of these lines",
  },
  // The client gave up first: before the connect (CC), in the queue (CQ), waiting for the headers
  // (CH, nginx's 499), during the data (CD), or stopped reading until timeout client (cD). A
  // request never whole (CR, cR: "pre-connect" and idle connections) asked no server.
  { codes: 'CC/CQ/CH/CD/cD', fact: 'client_closed', matches: (line) => ['CC', 'CQ', 'CH', 'CD', 'cD'].includes(line.state) },
];

const lines = (n: number) => (n === 1 ? '1 line' : `${n} lines`);

/** HAProxy's own services (`<STATS>`, `<PROMEX>`, `<CACHE>`): requests to HAProxy, not to the service behind it. */
const isApplet = (line: LogLine) => line.server.startsWith('<') && line.server !== '<NOSRV>';

/**
 * HAProxy answered the request itself: a local answer (L: a redirect, `http-request return`) or
 * an error before the server's response headers came (phase R, Q, C, H or T, section 8.5). The
 * server answered when its headers came (phase D, L or a normal end).
 */
function answeredByHaproxy(line: LogLine): boolean {
  return line.state[0] === 'L' || (line.state[0] !== '-' && 'RQCHT'.includes(line.state[1] as string));
}

/** A failed request: a 5xx, or a 4xx HAProxy gave itself (a deny, a rate limit, a bad or late request); a server's 404 is its own answer. */
function failed(line: LogLine): boolean {
  return line.status !== undefined && (line.status >= 500 || (line.status >= 400 && answeredByHaproxy(line)));
}

/** The commonest ending's fact, with warnings for the endings that give none and for several at once. */
function upstreamError(traffic: readonly LogLine[], warn: (warning: InputWarning) => void): UpstreamError | undefined {
  const counts = countBy(traffic, (line) => ENDINGS.find((candidate) => candidate.matches(line)));
  const field = 'proxy.upstream_error';
  if (counts.size === 0) {
    warn({ field, message: "these HAProxy log lines show no server failing, so proxy.upstream_error stays unknown (the failure may be in lines not pasted: those of its minutes whose termination state, the field after the two cookie fields, is not ----)" });
    return undefined;
  }
  // Ties go to the earlier ending, so the answer does not depend on line order.
  const ranked = ENDINGS.filter((ending) => counts.has(ending));
  const best = ranked.reduce((a, b) => ((counts.get(b) ?? 0) > (counts.get(a) ?? 0) ? b : a));
  for (const ending of ranked) if (ending.why) warn({ field, message: ending.why(counts.get(ending) ?? 0) });
  if (ranked.length > 1) {
    const named = ranked.map((ending) => `${counts.get(ending)} ${ending.codes}${ending.fact ? ` (${ending.fact})` : ''}`).join(', ');
    warn({ field, message: `these lines end in several ways: ${named}; the commonest counts, ${best.fact ?? `${best.codes}, which gives none`}` });
  }
  return best.fact;
}

/** The status of the failed requests and which tier sent it, and the share of 5xx, from HTTP lines. */
function statusFacts(http: readonly LogLine[]) {
  if (http.length === 0) return {};
  const failures = http.filter(failed);
  const status = commonest(countBy(failures, (line) => line.status));
  const byHaproxy = failures.filter((line) => line.status === status && answeredByHaproxy(line)).length;
  const sent = failures.filter((line) => line.status === status).length;
  return {
    'http.status': status,
    // A tie goes to HAProxy: its own answers are what the log tells for sure.
    'http.error_source': status === undefined ? undefined : byHaproxy * 2 >= sent ? 'lb' : 'backend',
    'http.error_rate_pct': percent(http.filter((line) => (line.status ?? 0) >= 500).length, http.length),
  };
}

/**
 * Load skew, by backend: a backend's log names only the servers that got requests, so it says
 * something only with two or more named and at least SKEW_MIN_LINES lines on them. A server gets
 * far more when its requests, or its summed Tr (the time it spent answering, at least
 * SKEW_MIN_SERVER_MS more), are at least SKEW_RATIO times the mean of the others'.
 */
const SKEW_MIN_LINES = 20;
const SKEW_RATIO = 2;
const SKEW_MIN_SERVER_MS = 1000;

export interface ServerLoad {
  requests: number;
  serverMs: number;
}

function farMore(busiest: number, others: readonly number[], minDifference = 0): boolean {
  const mean = others.reduce((a, b) => a + b, 0) / others.length;
  return busiest >= SKEW_RATIO * mean && busiest - mean >= minDifference;
}

/** The server of BACKEND that gets far more than the others, undefined when none; no answer when the lines cannot tell. */
export function skewedServer(loads: Map<string, ServerLoad>): { server: string | undefined } | undefined {
  const servers = [...loads];
  if (servers.length < 2 || servers.reduce((sum, [, load]) => sum + load.requests, 0) < SKEW_MIN_LINES) return undefined;
  const busiestBy = (measure: (load: ServerLoad) => number, minDifference?: number) => {
    const [name, load] = servers.reduce((a, b) => (measure(b[1]) > measure(a[1]) ? b : a));
    const others = servers.filter(([other]) => other !== name).map(([, other]) => measure(other));
    return farMore(measure(load), others, minDifference) ? name : undefined;
  };
  return { server: busiestBy((load) => load.requests) ?? busiestBy((load) => load.serverMs, SKEW_MIN_SERVER_MS) };
}

/** A client that sent at least this share of a skewed backend's requests, every one to its busiest server, looks pinned to it. */
const PINNED_CLIENT_SHARE = 0.5;

/**
 * lb.backend_load_skew over the backends the lines can tell; where one is skewed and one client
 * sent most of its requests, every one to the busy server, a warning names persistence (the log
 * does not show the balance algorithm, so lb.session_persistence is not read).
 */
function loadSkew(traffic: readonly LogLine[], warn: (warning: InputWarning) => void): boolean | undefined {
  const byBackend = new Map<string, LogLine[]>();
  for (const line of traffic) {
    if (line.server === '<NOSRV>') continue;
    const served = byBackend.get(line.backend);
    if (served) served.push(line);
    else byBackend.set(line.backend, [line]);
  }
  let skew: boolean | undefined;
  for (const [backend, served] of byBackend) {
    const loads = new Map<string, ServerLoad>();
    for (const line of served) {
      const load = loads.get(line.server) ?? { requests: 0, serverMs: 0 };
      loads.set(line.server, { requests: load.requests + 1, serverMs: load.serverMs + (line.serverMs ?? 0) });
    }
    const verdict = skewedServer(loads);
    if (verdict === undefined) continue;
    skew = skew === true || verdict.server !== undefined;
    if (verdict.server !== undefined) warnIfPinned(backend, verdict.server, served, warn);
  }
  return skew;
}

function warnIfPinned(backend: string, busy: string, served: readonly LogLine[], warn: (warning: InputWarning) => void): void {
  const client = commonest(countBy(served, (line) => line.client)) as string;
  const sent = served.filter((line) => line.client === client);
  if (sent.length < served.length * PINNED_CLIENT_SHARE || sent.some((line) => line.server !== busy)) return;
  const busyRequests = served.filter((line) => line.server === busy).length;
  warn({
    field: 'lb.session_persistence',
    message:
      `client ${client} sent ${sent.length} of the ${served.length} requests to backend ${backend}, every one to ${busy} (which served ${busyRequests}): clients look pinned to servers, ` +
      "by source-IP balancing (balance source), a stick table or a cookie; the log does not show which, so lb.session_persistence stays unknown: `grep -nE '^[[:space:]]*(balance|hash-type|stick|cookie)' /etc/haproxy/haproxy.cfg`",
  });
}

/**
 * HAProxy's health-check events, which it logs beside the traffic (src/check.c, src/server.c):
 * "Server shop_app/app1 is DOWN, reason: Layer7 wrong status, code: 404, info: "Not Found",
 * check duration: 3ms. 0 active and 0 backup servers left. ...", "Server shop_app/app1 is UP,
 * reason: Layer7 check passed, ... 2 active and 0 backup servers online.", and "backend
 * 'shop_app' has no server available!" (the same events go to stderr too, so a paste of both
 * repeats each line).
 */
const SERVER_CHECK = /\bServer ([\w.:-]{1,100})\/([\w.:-]{1,100}) is (UP|DOWN)\b(.{0,400})/;
const NO_SERVER_LEFT = /\bbackend '?([\w.:-]{1,100})'? has no server available!/;
const SERVERS_LEFT = /\b(\d{1,6}) active and (\d{1,6}) backup servers (?:left|online)/;
const WRONG_STATUS = /reason: Layer7 wrong status, code: (\d{3})/;

/** A health check's event line: a server going DOWN (with the check's reason) or UP, or a backend left with none. */
export const isCheckEvent = (line: string): boolean => (SERVER_CHECK.test(line) && line.includes('reason: ')) || NO_SERVER_LEFT.test(line);

interface CheckEvents {
  /** Each server's states in order, a repeat of the same state left out. */
  states: Map<string, Array<'UP' | 'DOWN'>>;
  /** The last event said no server of the backend is left to serve. */
  noneLeft: boolean;
  /** Servers whose check got an HTTP answer with a status it does not expect, and that status. */
  wrongStatus: Map<string, string>;
}

function readCheckEvents(all: readonly string[]): Map<string, CheckEvents> {
  const backends = new Map<string, CheckEvents>();
  const of = (backend: string) => {
    const known = backends.get(backend);
    if (known) return known;
    const created: CheckEvents = { states: new Map(), noneLeft: false, wrongStatus: new Map() };
    backends.set(backend, created);
    return created;
  };
  for (const line of all) {
    const check = SERVER_CHECK.exec(line);
    if (check) {
      const [, backend, server, state, rest] = check as unknown as [string, string, string, 'UP' | 'DOWN', string];
      const events = of(backend);
      const states = events.states.get(server) ?? [];
      if (states.at(-1) !== state) states.push(state);
      events.states.set(server, states);
      const left = SERVERS_LEFT.exec(rest);
      if (left) events.noneLeft = left[1] === '0' && left[2] === '0';
      const wrong = WRONG_STATUS.exec(rest);
      if (state === 'DOWN' && wrong) events.wrongStatus.set(server, wrong[1] as string);
      continue;
    }
    const none = NO_SERVER_LEFT.exec(line);
    if (none) of(none[1] as string).noneLeft = true;
  }
  return backends;
}

/** Worst first: what a backend's checks say at the end of the paste, or over it for a server that went down twice. */
const HEALTH_ORDER: readonly BackendHealth[] = ['all_unhealthy', 'flapping', 'some_unhealthy', 'all_healthy'];

function healthOf(events: CheckEvents): BackendHealth {
  const states = [...events.states.values()];
  if (events.noneLeft) return 'all_unhealthy';
  if (states.some((changes) => changes.filter((state) => state === 'DOWN').length >= 2)) return 'flapping';
  return states.some((changes) => changes.at(-1) === 'DOWN') ? 'some_unhealthy' : 'all_healthy';
}

/**
 * lb.backend_health from the check events of the backends the failing requests went to (of every
 * backend with events when none failed): the worst of them; and lb.health_check_status, the
 * commonest status a check got from a server it marked down (Layer7 wrong status), with a warning
 * naming the servers: a redirect or client error says the check's request may be what is wrong;
 * a server error, that the server's own check endpoint fails (what it checks may be down), which
 * a page answering directly does not clear.
 */
function checkFacts(all: readonly string[], traffic: readonly LogLine[], warn: (warning: InputWarning) => void): { 'lb.backend_health'?: BackendHealth; 'lb.health_check_status'?: number } {
  const events = readCheckEvents(all);
  if (events.size === 0) return {};
  const failing = new Set(traffic.filter(failed).map((line) => line.backend));
  // Another backend's checks say nothing of the one that failed.
  const judged = [...events].filter(([backend]) => failing.size === 0 || failing.has(backend));
  if (judged.length === 0) return {};
  for (const [backend, { wrongStatus }] of judged) {
    if (wrongStatus.size === 0) continue;
    const servers = [...wrongStatus].map(([server, status]) => `${backend}/${server} (${status})`).join(', ');
    const serverErrors = [...wrongStatus.values()].every((status) => status.startsWith('5'));
    warn({
      field: 'lb.health_check_status',
      message: serverErrors
        ? `the health check got a server error from ${servers}: the server's own check endpoint fails, so the check may be telling the truth (a check that tests a database or another dependency fails with it); ` +
          'a page that answers directly does not clear it: `curl -si http://SERVER:PORT/CHECK_PATH` shows what the endpoint reports'
        : `the health check got an HTTP status it does not expect from ${servers}: the server answered, so the check's request (option httpchk's path, Host, expected status) may be what is wrong; ` +
          'compare `curl -si http://SERVER:PORT/CHECK_PATH` with a page the application serves',
    });
  }
  const states = judged.map(([, backendEvents]) => healthOf(backendEvents));
  const statuses = countBy(
    judged.flatMap(([, { wrongStatus }]) => [...wrongStatus.values()]),
    (status) => Number(status),
  );
  return { 'lb.backend_health': HEALTH_ORDER.find((health) => states.includes(health)), 'lb.health_check_status': commonest(statuses) };
}

/**
 * A request that timed out in HAProxy's queue (sQ) found every server of its backend at its
 * maxconn: the requests each server may hold at once, which is set to the workers it has (the
 * configuration manual's maxconn: "requests ... will wait in the queue"). So the servers' pool
 * was in use to the full, as php-fpm's "reached pm.max_children" says of its own.
 */
function queueFacts(traffic: readonly LogLine[], warn: (warning: InputWarning) => void): { 'proc.workers_busy_pct'?: number } {
  const queued = traffic.filter((line) => line.state === 'sQ').length;
  if (queued === 0) return {};
  warn({ field: 'proc.workers_busy_pct', message: `${lines(queued)} timed out in HAProxy's queue (sQ): every server was at its maxconn, read as the servers' workers all busy (100)` });
  return { 'proc.workers_busy_pct': 100 };
}

const EXPECTED =
  'HAProxy log lines of option httplog or option tcplog, with or without a syslog header (10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1")';

export const haproxyLogParser: ArtifactParser = {
  kind: 'haproxy-log',
  describe:
    'HAProxy log lines of option httplog or option tcplog (HAProxy 1.8 to 3.x, a syslog header or none; journalctl -u haproxy, /var/log/haproxy.log): ' +
    'proxy.upstream_error by termination state, the most frequent of <NOSRV> SC no_live_upstreams, SC connect_refused, PH header_too_big (the proxy refused the response headers: too large, or invalid, with a warning), ' +
    'sC connect_timeout, sH or sD read_timeout, CC CQ CH CD cD client_closed (ties in that order); ' +
    'SH and SD (a close and a reset look alike) and sQ (queue timeout) give none, with a warning naming what to run; HTTP lines give http.status (the commonest of the failed requests: 5xx, or a 4xx HAProxy sent itself), ' +
    "http.error_source (lb when HAProxy answered before the server's headers came, else backend) and http.error_rate_pct (5xx); " +
    "lb.backend_load_skew from the servers a backend's lines name (two or more, 20 lines or more): true when one server's requests, or its summed Tr " +
    "(1 s or more above), are twice the others' mean, false otherwise, with a warning when one client's requests all went to the busy server (persistence); " +
    'proc.workers_busy_pct 100 when requests timed out in the queue (sQ: every server at its maxconn); ' +
    'lb.backend_health from the health checks\' events ("Server B/S is DOWN", "is UP", "backend B has no server available!"; a grep of them alone is read too) of the backends the failing requests went to: ' +
    'all_unhealthy when none is left, flapping when a server went down twice, some_unhealthy when one ends down, else all_healthy; lb.health_check_status, the status a check got from a server it marked down (Layer7 wrong status, code: 404), with a warning naming the servers; ' +
    'the log names servers, not their addresses',
  parse(text, context) {
    const all = artifactLines(text);
    const read = all.map(readLogLine);
    const traffic = read.filter((line): line is LogLine => line !== undefined && !isApplet(line));
    const warn = (warning: InputWarning) => context?.warn?.(warning);
    const checks = checkFacts(all, traffic, warn);
    if (traffic.length === 0) {
      // The health checks' events alone (a grep of them) say how the backends stand.
      if (checks['lb.backend_health'] !== undefined) return definedFacts(checks);
      if (read.some((line) => line !== undefined)) throw notRecognised('haproxy-log', EXPECTED, "only requests to HAProxy's own services (<STATS>, ...)");
      throw notRecognised('haproxy-log', EXPECTED);
    }
    return definedFacts({
      'proxy.upstream_error': upstreamError(traffic, warn),
      ...statusFacts(traffic.filter((line) => line.http)),
      'lb.backend_load_skew': loadSkew(traffic, warn),
      ...checks,
      ...queueFacts(traffic, warn),
    });
  },
};
