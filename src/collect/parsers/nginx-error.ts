import type { Facts } from '../../generated/facts.js';
import { baseVocabulary, factErrors } from '../../core/vocabulary.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, commonest, definedFacts, MAX_LINE_CHARS } from './text.js';

type UpstreamError = NonNullable<Facts['proxy.upstream_error']>;

// Checked in this order: "(104: Connection reset by peer) while reading response header from
// upstream" must count as a reset, not as a read problem.
const CLASSIFIERS: ReadonlyArray<[UpstreamError, (line: string) => boolean]> = [
  ['no_live_upstreams', (line) => line.includes('no live upstreams')],
  ['connect_refused', (line) => line.includes('(111: Connection refused)') && line.includes('upstream')],
  ['reset_by_peer', (line) => line.includes('(104: Connection reset by peer)')],
  // The backend closed the connection (FIN, not RST) before a whole response header: a
  // keep-alive connection it had just timed out, or a worker that died or was killed mid-request.
  ['premature_close', (line) => line.includes('upstream prematurely closed connection')],
  ['header_too_big', (line) => line.includes('upstream sent too big header')],
  ['connect_timeout', (line) => /timed out/.test(line) && line.includes('while connecting to upstream')],
  ['read_timeout', (line) => /timed out/.test(line) && /while reading (?:response header from )?upstream/.test(line)],
  // The client gave up while nginx waited on the upstream; "client closed connection while
  // waiting for request" is an idle keep-alive ending, not an upstream problem, so it needs "upstream".
  ['client_closed', (line) => (/client (?:prematurely )?closed (?:the )?connection/.test(line) && line.includes('upstream')) || /" 499 \d+/.test(line)],
];

/**
 * nginx could not connect to a unix-socket upstream (php-fpm's) because its listen queue is full:
 * a non-blocking connect to a unix socket whose backlog is full fails with EAGAIN at once
 * (connect(2); Linux af_unix), where a TCP listener would drop the SYN and count a ListenOverflow.
 * No proxy.upstream_error means it: the backend neither refused nor timed out.
 */
export function unixListenQueueFull(line: string): boolean {
  return line.includes('connect() to unix:') && line.includes('(11: Resource temporarily unavailable)');
}

/**
 * The peer an error line says nginx dialled: `upstream: "http://10.0.3.12:8080/checkout"` (an
 * IPv6 peer in brackets). nginx writes the field after the client's request, so the last one on
 * a whole line is nginx's own, not text a client put in its request line; a line cut at
 * MAX_LINE_CHARS may have lost nginx's, so none is read from it. A peer without a port is
 * an upstream block's name ("no live upstreams": `http://backend/`), and a unix socket no host:
 * neither is an address a command can dial.
 */
const UPSTREAM_FIELD = ', upstream: "';
const UPSTREAM_PEER = /^[a-z]+:\/\/(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})[/"]/;

function upstreamPeer(line: string): { host: string; port: number } | undefined {
  const at = line.length < MAX_LINE_CHARS ? line.lastIndexOf(UPSTREAM_FIELD) : -1;
  if (at < 0) return undefined;
  const match = UPSTREAM_PEER.exec(line.slice(at + UPSTREAM_FIELD.length, at + UPSTREAM_FIELD.length + 300));
  if (!match) return undefined;
  const peer = { host: (match[1] ?? match[2]) as string, port: Number(match[3]) };
  // What the facts schema refuses (a port out of range, "-x" or "a..b" for a host) is no address: the rest of the paste still counts.
  return factErrors(baseVocabulary(), { 'backend.host': peer.host, 'backend.port': peer.port }).length === 0 ? peer : undefined;
}

/**
 * nginx refusing a request itself, by a limit of its own (ngx_http_limit_req_module, limit_conn):
 * "limiting requests, excess: 10.600 by zone "perip"", "limiting connections by zone "addr"".
 * It answers 503, or the status limit_req_status / limit_conn_status sets (often 429), and asks
 * no upstream. A dry run ("limiting requests, dry run, excess: ...", "limiting connections, dry
 * run, by zone ...") refuses nothing.
 */
const LIMIT_LINE = /limiting (requests, excess: [\d.]{1,24}|connections) by zone "([\w.-]{1,64})"/;

interface Limits {
  lines: number;
  /** The zones named, first seen first, each with its directive (limit_req, limit_conn). */
  zones: Map<string, 'limit_req' | 'limit_conn'>;
}

/** Zones named in the warning at most: a hostile log could name thousands. */
const ZONES_NAMED = 5;

/** The warning for nginx lines that name no upstream error: what that leaves open, and what nginx refused itself. */
function noUpstreamErrorWarning(limits: Limits): string {
  const none = 'these nginx error.log lines show no upstream error, so proxy.upstream_error stays unknown (the failure may be in lines not pasted: `grep -i upstream` on the log of its minutes)';
  if (limits.lines === 0) return none;
  const named = [...limits.zones].slice(0, ZONES_NAMED).map(([zone, directive]) => `${directive} zone "${zone}"`);
  const more = limits.zones.size > ZONES_NAMED ? ` and ${limits.zones.size - ZONES_NAMED} more` : '';
  return (
    `${none}; ${limits.lines} line${limits.lines === 1 ? ' says' : 's say'} nginx refused requests itself by its ${named.join(', ')}${more}: ` +
    'it answered them without asking any upstream, with 503 or the status limit_req_status / limit_conn_status sets (often 429)'
  );
}

const EXPECTED = 'nginx error.log lines ("2024/03/01 10:00:00 [error] 31#31: *1 connect() failed (111: Connection refused) while connecting to upstream, ...")';

export const nginxErrorParser: ArtifactParser = {
  kind: 'nginx-error',
  describe:
    'nginx error.log (access-log lines with status 499 count as client_closed): proxy.upstream_error, the most frequent of ' +
    'no_live_upstreams, connect_refused, reset_by_peer, premature_close, header_too_big, connect_timeout, read_timeout, client_closed (ties in that order); ' +
    'kernel.listen_overflows when a connect to a unix-socket upstream fails with "(11: Resource temporarily unavailable)" (its listen queue is full); ' +
    'backend.host and backend.port: the commonest upstream address (host:port) of the lines of that error, for the checks that dial the backend; ' +
    'proxy.rate_limit_refusals true on "limiting requests" / "limiting connections" lines (nginx refused those requests itself by its limit_req / limit_conn zone; a dry run refuses none); ' +
    'lines with no upstream error give none of it, but a warning naming those zones',
  parse(text, context) {
    const counts = new Map<UpstreamError, number>();
    const limits: Limits = { lines: 0, zones: new Map() };
    // By error, each upstream address ("host port") its lines dialled, with how many.
    const peers = new Map<UpstreamError, Map<string, number>>();
    let logLines = 0;
    let listenQueueFull = false;
    for (const line of artifactLines(text)) {
      if (/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[\w+\] \d+#\d+:/.test(line) || /" 499 \d+/.test(line)) logLines++;
      const kind = CLASSIFIERS.find(([, matches]) => matches(line))?.[0];
      if (kind !== undefined) {
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
        const peer = upstreamPeer(line);
        if (peer) {
          const byPeer = peers.get(kind) ?? new Map<string, number>();
          const key = `${peer.host} ${peer.port}`;
          peers.set(kind, byPeer.set(key, (byPeer.get(key) ?? 0) + 1));
        }
      }
      listenQueueFull ||= unixListenQueueFull(line);
      const limit = kind === undefined ? LIMIT_LINE.exec(line) : null;
      if (limit) {
        limits.lines++;
        if (!limits.zones.has(limit[2] as string)) limits.zones.set(limit[2] as string, limit[1] === 'connections' ? 'limit_conn' : 'limit_req');
      }
    }
    if (logLines === 0) throw notRecognised('nginx-error', EXPECTED);
    // Ties go to the earlier classifier, so the answer does not depend on line order.
    let best: [UpstreamError, number] | undefined;
    for (const [kind] of CLASSIFIERS) {
      const count = counts.get(kind) ?? 0;
      if (count > 0 && (best === undefined || count > best[1])) best = [kind, count];
    }
    const refusedByLimit = limits.lines > 0 || undefined;
    // nginx's own log with no upstream error in it is read, not refused: it says what it does not show.
    if (best === undefined && !listenQueueFull) {
      context?.warn?.({ field: 'proxy.upstream_error', message: noUpstreamErrorWarning(limits) });
      return definedFacts({ 'proxy.rate_limit_refusals': refusedByLimit });
    }
    const [host, port] = commonest((best && peers.get(best[0])) ?? new Map<string, number>())?.split(' ') ?? [];
    return definedFacts({
      'proxy.upstream_error': best?.[0],
      'kernel.listen_overflows': listenQueueFull || undefined,
      'backend.host': host,
      'backend.port': port === undefined ? undefined : Number(port),
      'proxy.rate_limit_refusals': refusedByLimit,
    });
  },
};
