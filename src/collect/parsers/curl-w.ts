import { notRecognised, type ArtifactParser, type ParseContext, type ParsedFacts } from './types.js';
import { artifactLines, commonest, countBy, definedFacts, percent, round, toNumber } from './text.js';
import { openQuestionWarnings, readErrorLine, resetSeenByClient, type OpenQuestion } from './error-text.js';

/** The -w format this parser documents; any subset with http_code and a time_ field is read. */
export const CURL_WRITE_OUT =
  'http_code=%{http_code} scheme=%{scheme} time_namelookup=%{time_namelookup} time_connect=%{time_connect} ' +
  'time_appconnect=%{time_appconnect} time_starttransfer=%{time_starttransfer} time_total=%{time_total} ' +
  'exitcode=%{exitcode} errormsg=%{errormsg}\\n';

/** One request's variables, from a key=value line or a `-w '%{json}'` line. */
type CurlVariables = Map<string, string>;

function readKeyValueLine(line: string): CurlVariables {
  const variables: CurlVariables = new Map();
  // errormsg holds spaces, so it takes the rest of the line (the format puts it last).
  const errorAt = line.indexOf('errormsg=');
  const head = errorAt >= 0 ? line.slice(0, errorAt) : line;
  // A name starts where a run of word characters starts (the look-behind): a long word with
  // no "=" after it is then read once, not once per character.
  for (const match of head.matchAll(/(?<!\w)(\w+)=(\S*)/g)) variables.set(match[1] ?? '', match[2] ?? '');
  if (errorAt >= 0) variables.set('errormsg', line.slice(errorAt + 'errormsg='.length).trim());
  return variables;
}

function readJsonLine(line: string): CurlVariables | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const variables: CurlVariables = new Map();
  for (const [key, value] of Object.entries(parsed)) if (value !== null) variables.set(key, String(value));
  return variables;
}

/**
 * One request's variables when LINE is one as this parser reads it: http_code and a time_
 * variable, named or in %{json}, with values as curl prints them (a status code, seconds):
 * a curl -w command line in top -c or ps shows the same names with %{...} after them.
 */
function readRequestLine(line: string): CurlVariables | undefined {
  const trimmed = line.trim();
  const variables = trimmed.startsWith('{') ? readJsonLine(trimmed) : readKeyValueLine(trimmed);
  if (variables === undefined || !/^\d{1,3}$/.test(variables.get('http_code') ?? '')) return undefined;
  return [...variables].some(([key, value]) => key.startsWith('time_') && toNumber(value) !== undefined) ? variables : undefined;
}

/** Whether LINE is a request this parser reads: what `rca parse auto` tells curl-w's name=value lines by. */
export const isRequestLine = (line: string): boolean => readRequestLine(line) !== undefined;

function readRequests(text: string): CurlVariables[] {
  return artifactLines(text).flatMap((line) => readRequestLine(line) ?? []);
}

/**
 * What curl prints for a -w variable in a sample run, a 200 answered in a tenth of a second:
 * only what decides whether the parser reads a line (the numbers, an empty errormsg) matters.
 */
function sampleValue(variable: string): string {
  if (variable === 'http_code') return '200';
  if (variable.startsWith('time_')) return '0.100000';
  if (variable === 'exitcode') return '0';
  if (variable === 'errormsg') return '';
  if (variable === 'json') return JSON.stringify({ http_code: 200, time_total: 0.1 });
  return 'x';
}

/** The escapes curl's -w reads (tool_writeout.c; any other backslash pair is printed as it is). */
const WRITE_OUT_ESCAPES: ReadonlyMap<string, string> = new Map([['n', '\n'], ['r', '\r'], ['t', '\t']]);

/** What `curl -w FORMAT` prints for one request of the sample run: %{variable}, %header{...} and %% filled in, escapes read. */
function writeOutSample(format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    const next = format[i + 1] ?? '';
    const escape = c === '\\' ? WRITE_OUT_ESCAPES.get(next) : undefined;
    if (escape !== undefined) {
      out += escape;
      i++;
    } else if (c === '%' && next === '%') {
      out += '%';
      i++;
    } else if (c === '%' && /^\w*\{/.test(format.slice(i + 1, i + 34))) {
      const open = format.indexOf('{', i);
      const close = format.indexOf('}', open);
      // curl prints an unclosed %{ as it is: so does the rest of the format.
      if (close < 0) return out + format.slice(i);
      // %{name} is a variable; %header{name} and %output{file} (curl 7.84, 8.3) print none.
      out += open === i + 1 ? sampleValue(format.slice(open + 1, close)) : 'x';
      i = close;
    } else out += c;
  }
  return out;
}

/** FORMAT's variables as this parser reads them: each under its own name, http_code first, a time_ one kept or added, errormsg last, one line per request. */
function namedFormat(format: string): string {
  if (format.includes('%{json}')) return '%{json}\\n';
  const variables = new Set(['http_code', ...[...format.matchAll(/%\{(\w+)\}/g)].map((m) => m[1] as string)]);
  if (![...variables].some((v) => v.startsWith('time_'))) variables.add('time_total');
  const named = [...variables].filter((v) => v !== 'errormsg').concat(variables.has('errormsg') ? ['errormsg'] : []);
  return `${named.map((v) => `${v}=%{${v}}`).join(' ')}\\n`;
}

/** What the parser makes of `curl -w FORMAT` run REQUESTS times in a row (a loop): undefined when it reads every request. */
export type WriteOutReading = { sample: string; named: string } | undefined;

/**
 * Whether this parser reads what `curl -w FORMAT` prints, one request or REQUESTS in a row (a
 * loop): undefined when it reads each as a request; else that output in a sample run and the
 * named form of FORMAT's variables, which it reads.
 */
export function readWriteOut(format: string, requests = 1): WriteOutReading {
  const sample = writeOutSample(format).repeat(requests);
  return readRequests(sample).length === requests ? undefined : { sample, named: namedFormat(format) };
}

const seconds = (variables: CurlVariables, key: string) => toNumber(variables.get(key));
const ms = (value: number | undefined) => (value === undefined ? undefined : round(value * 1000, 3));

/** curl's exit codes for a failed TLS handshake: 35 the handshake itself, 51 the certificate's name, 60 its verification. */
const TLS_EXITS = new Set([35, 51, 60]);

/**
 * What a request that got no answer says by its errormsg and exit code. The message is read as
 * app-errors reads the same text (error-text.ts): "SSL certificate problem: certificate has
 * expired" or "Could not resolve host: X" give the same facts from either. The exit code adds
 * what it proves: 28 before a connect is a connect timeout (unless the message says the lookup
 * timed out), 35, 51 and 60 a failed handshake, 51 a name mismatch. Exit 7 proves no outcome:
 * curl 7.88 and later print "Couldn't connect to server" for a refused connect, EADDRNOTAVAIL
 * and no route alike, so only the message's own words (an older curl's "Connection refused")
 * say which; without them, or without errormsg, exit 6 and 7 leave the question open. Exit 28
 * once connected is the client's own time limit running out ("Operation timed out after N
 * milliseconds"; without errormsg, after time_total): the answer takes longer, by how much is
 * not measured, so it leaves the latency open (a warning), never a latency.
 */
function failureReading(variables: CurlVariables, connected: boolean): { facts: ParsedFacts; open: OpenQuestion[] } {
  const exit = toNumber(variables.get('exitcode'));
  const message = variables.get('errormsg') ?? '';
  const { findings, open } = readErrorLine(message);
  const facts: ParsedFacts = {};
  for (const [fact, value] of findings) facts[fact] ??= value;
  if (exit === 28 && !connected && facts['dns.result'] === undefined) facts['tcp.connect'] = 'timeout';
  if (exit !== undefined && TLS_EXITS.has(exit)) facts['tls.handshake'] = 'failed';
  if (exit === 51) facts['tls.cert_name_match'] = false;
  if (message === '' && exit === 6) open.push({ about: 'lookup' });
  if (message === '' && exit === 7) open.push({ about: 'connect' });
  const total = seconds(variables, 'time_total');
  if (message === '' && exit === 28 && connected && total !== undefined) open.push({ about: 'client_time_limit', ms: Math.round(total * 1000) });
  return { facts, open };
}

/**
 * The first byte's wait from the request's sending: curl's time_starttransfer runs from the
 * start, so the name lookup, the connect and the TLS handshake before the request are taken out
 * (time_pretransfer marks the request's start; else the handshake's or the connect's end). A
 * 2.5 s lookup had read as 2.5 s of server time (lab 202). With no earlier mark, as printed.
 */
function firstByteMs(variables: CurlVariables): number | undefined {
  const start = seconds(variables, 'time_starttransfer');
  if (start === undefined) return undefined;
  const appconnect = seconds(variables, 'time_appconnect');
  const sent = seconds(variables, 'time_pretransfer') ?? (appconnect !== undefined && appconnect > 0 ? appconnect : undefined) ?? seconds(variables, 'time_connect') ?? seconds(variables, 'time_namelookup') ?? 0;
  return ms(Math.max(0, start - sent));
}

/** One request's facts (its measured times win over what a failure's words say), and what its failure leaves open. */
function requestReading(variables: CurlVariables): { facts: ParsedFacts; open: OpenQuestion[] } {
  const status = toNumber(variables.get('http_code'));
  const connect = seconds(variables, 'time_connect');
  const namelookup = seconds(variables, 'time_namelookup');
  const lookup = namelookup ?? 0;
  const appconnect = seconds(variables, 'time_appconnect');
  const connected = connect !== undefined && connect > 0;
  const answered = status !== undefined && status >= 100 && status <= 599;
  const facts: ParsedFacts = {
    ...definedFacts({
      'http.status': answered ? status : undefined,
      // The resolver's answer came at time_namelookup (a literal address takes next to nothing).
      'dns.resolve_ms': namelookup !== undefined && (connected || answered) ? ms(namelookup) : undefined,
      // curl's time_connect runs from the start, so the name lookup is taken out.
      'tcp.connect': connected ? 'ok' : undefined,
      'tcp.connect_ms': connected ? ms(Math.max(0, connect - lookup)) : undefined,
      'tls.handshake': appconnect !== undefined && appconnect > 0 ? 'ok' : undefined,
      'http.ttfb_ms': answered ? firstByteMs(variables) : undefined,
      'http.latency_ms': answered ? ms(seconds(variables, 'time_total')) : undefined,
    }),
  };
  // An answer whose transfer then failed (exit 56 "Recv failure: Connection reset by peer" after
  // the status line, lab 201's middlebox RST) still says what its message says; the measured
  // facts win over it.
  if (answered && !transferFailed(variables)) return { facts, open: [] };
  const failure = failureReading(variables, connected);
  return { facts: { ...failure.facts, ...facts }, open: answered ? [] : failure.open };
}

/**
 * In a loop where some requests got an error status, the status the client gets is the error's,
 * the commonest of them, not the slowest request's (lab 204: a loop with two 500s of eight read
 * as 200, its errors ticket left with no cause above 4%).
 */
function errorStatus(requests: readonly CurlVariables[]): number | undefined {
  return commonest(
    countBy(requests, (request) => {
      const status = toNumber(request.get('http_code'));
      return status !== undefined && status >= 400 && status <= 599 ? status : undefined;
    }),
  );
}

/** curl gave up on the request, whatever status came before (a non-zero exitcode). */
function transferFailed(variables: CurlVariables): boolean {
  const exit = toNumber(variables.get('exitcode'));
  return exit !== undefined && exit !== 0;
}

/** A request with no answer, a 5xx answer or a transfer that failed: what http.error_rate_pct counts as failed. */
function failed(variables: CurlVariables): boolean {
  const status = toNumber(variables.get('http_code')) ?? 0;
  return status === 0 || status >= 500 || transferFailed(variables);
}

/**
 * Two sorted times fall in different groups when the later is at least MIN_STEP_S past the
 * earlier and STEP_RATIO times it: a step over the jitter of requests that take about as long.
 * Linux's delayed ACK, the shortest fixed delay the knowledge base reads (40 ms), clears it.
 */
const MIN_STEP_S = 0.02;
const STEP_RATIO = 1.5;
/**
 * A fast group is one that the step up to the late requests dwarfs: its requests take at most
 * this share of the step. The fixed delays the knowledge base reads (a 40 ms or 200 ms delayed
 * ACK, a 1 s or 3 s SYN retransmission, a 5 s resolver retry) stand on requests that otherwise
 * take a few ms; where every request takes a good part of the step too (0.3 s, then 0.8 to 1.2 s
 * behind a full queue), no request shows the service's own time, so none is late by an amount.
 */
const FAST_SHARE_OF_STEP = 1 / 3;
/**
 * "About the same amount": a fixed delay shifts the fast requests' times, it does not widen
 * them. So the late requests lie within a timer's slack of their median: SPREAD_MADS times the
 * fast group's median absolute deviation (the jitter every request has), plus TIMER_SLACK_S (a
 * timer fires within a jiffy, 1 to 10 ms by CONFIG_HZ) plus DELAY_SLACK_SHARE of the delay (a
 * timeout scaled from a measured round trip). One stray in ten is let by (STRAYS_PER_LATE).
 * Retransmissions after loss (2.1 s and 2.3 s over 3 ms) and queueing spread wider than that.
 */
const SPREAD_MADS = 3;
const TIMER_SLACK_S = 0.01;
const DELAY_SLACK_SHARE = 0.02;
const STRAYS_PER_LATE = 0.1;
/** Fewer requests than this, every one failed, do not show a failure that never lets up. */
const MIN_REQUESTS_CONSTANT = 5;

/** The times sorted and cut into groups of requests that take about as long, fastest first. */
function timeGroups(times: readonly number[]): number[][] {
  const groups: number[][] = [];
  for (const time of [...times].sort((a, b) => a - b)) {
    const group = groups[groups.length - 1];
    const below = group?.[group.length - 1];
    if (group === undefined || below === undefined || (time - below >= MIN_STEP_S && time >= below * STEP_RATIO)) groups.push([time]);
    else group.push(time);
  }
  return groups;
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The median of the distances of TIMES to MIDDLE. */
function medianDeviation(times: readonly number[], middle: number): number {
  return median(times.map((time) => Math.abs(time - middle)).sort((a, b) => a - b));
}

const msText = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

/** The delay a late group of two or more shares over the fast one, if its requests lie within a timer's slack of one another; else why not. */
function sharedDelay(fast: readonly number[], late: readonly number[]): { delay: number } | { why: string } {
  const middle = median(late);
  const lateBy = middle - median(fast);
  const slack = SPREAD_MADS * medianDeviation(fast, median(fast)) + TIMER_SLACK_S + DELAY_SLACK_SHARE * lateBy;
  const strays = late.filter((time) => Math.abs(time - middle) > slack).length;
  if (strays <= Math.floor(late.length * STRAYS_PER_LATE)) return { delay: lateBy };
  const shown = `${late.length} late requests take ${msText(late[0] as number)} to ${msText(late[late.length - 1] as number)}, ${fast.length} fast ones about ${msText(median(fast))}`;
  return { why: `${shown}: the late ones spread wider than a timer's slack (${msText(slack)} of their median), as retransmissions after loss or queueing do, so no one fixed delay` };
}

/**
 * What the requests of one loop show together. The answered requests' time_total are cut into
 * groups at steps; the fastest group counts as fast only when the step up to the next dwarfs it
 * (FAST_SHARE_OF_STEP). symptom.intermittent ("the problem comes and goes rather than being
 * constant"): true when some requests failed or were late and others were fast or answered;
 * false when every request of at least MIN_REQUESTS_CONSTANT failed; unknown when none showed a
 * problem, or when the requests are slow by different amounts with none fast (slow all the
 * time, by how much varying: a warning says so). http.fixed_delay_ms ("slow requests are late by
 * about the same amount each time"): a fast group and one late group of at least two requests
 * within a timer's slack of one another (sharedDelay); the delay is the late group's median less
 * the fast group's. Three groups or more are late by different amounts: no one delay, and a
 * warning says so.
 */
function loopFacts(requests: readonly CurlVariables[], context: ParseContext | undefined): ParsedFacts {
  const answered = requests.filter((r) => !failed(r));
  const times = answered.map((r) => seconds(r, 'time_total'));
  const groups = times.every((t) => t !== undefined) ? timeGroups(times as number[]) : [];
  const [fast, ...late] = groups;
  const [lateGroup] = late;
  const fastIsFast = fast !== undefined && (lateGroup === undefined || median(fast) <= FAST_SHARE_OF_STEP * (median(lateGroup) - median(fast)));
  const failures = requests.length - answered.length;
  const warn = (message: string) => context?.warn?.({ field: 'http.fixed_delay_ms', message });
  let intermittent: boolean | undefined;
  let delay: number | undefined;
  if (fast && lateGroup && !fastIsFast) {
    // Slow by different amounts, none fast: whether any is late is unknown, only failures come and go.
    intermittent = failures > 0 && answered.length > 0 ? true : undefined;
    const all = [...fast, ...late.flat()];
    warn(`every answered request took ${msText(fast[0] as number)} or more (up to ${msText(all[all.length - 1] as number)}), and none is fast beside the others: the times vary, but no group shows the service's usual time, so neither a fixed delay nor an intermittent slowness can be read (a slow path shows in every request: compare ping's round trip and time_connect)`);
  } else {
    const lateCount = late.reduce((sum, group) => sum + group.length, 0);
    const problems = failures + lateCount;
    const fine = requests.length - problems;
    intermittent = problems > 0 && fine > 0 ? true : fine === 0 && requests.length >= MIN_REQUESTS_CONSTANT ? false : undefined;
    if (fast && lateGroup && late.length === 1 && lateGroup.length >= 2) {
      const shared = sharedDelay(fast, lateGroup);
      if ('delay' in shared) delay = shared.delay;
      else warn(shared.why);
    } else if (late.length > 1) {
      const shown = groups.map((group) => `${group.length} at about ${msText(median(group))}`).join(', ');
      warn(`the requests fall into ${groups.length} groups by time_total (${shown}): slow requests are late by different amounts, so no one fixed delay`);
    }
  }
  return definedFacts({ 'symptom.intermittent': intermittent, 'http.fixed_delay_ms': delay === undefined ? undefined : Math.round(delay * 1000) });
}

const EXPECTED = `output of \`curl -s -o /dev/null -w '${CURL_WRITE_OUT}' URL\` (or -w '%{json}')`;

export const curlWParser: ArtifactParser = {
  kind: 'curl-w',
  describe:
    `curl -s -o /dev/null -w '${CURL_WRITE_OUT}' URL (or -w '%{json}'), one line per request: ` +
    'http.status, dns.resolve_ms, tcp.connect (ok once time_connect shows a connection; timeout on exit 28 before one), tcp.connect_ms, http.ttfb_ms, http.latency_ms, tls.handshake (and failures from exitcode/errormsg, ' +
    'whose words read as app-errors reads them; a reset, tcp.rst_seen, with tcp.rst_from server, since curl is the client); ' +
    "with several lines (a loop), the slowest request's facts but http.status, the commonest 4xx or 5xx where any request got one, http.error_rate_pct (5xx or no response), symptom.intermittent " +
    '(some requests failed or were late and others fast or answered; false when all of 5 or more failed; unknown, with a warning, when all are slow ' +
    'by different amounts and none fast) and http.fixed_delay_ms (by time_total: a fast group taking at most a third of the step up to one late ' +
    "group of 2 or more, whose times lie within 3 times the fast ones' median deviation + 10 ms + 2% of the delay of their median, one stray in " +
    "ten let by; the late group's median less the fast group's); exit 6 (lookup) and 7 (connect) read only what errormsg says: " +
    '"Could not resolve host" and "Couldn\'t connect to server" give no resolver or connect outcome, but a warning naming `dig NAME` or `nc -vz HOST PORT`; ' +
    'exit 28 once connected ("Operation timed out after N milliseconds", the client\'s own --max-time) gives no http.latency_ms (the answer takes longer, by how much is not measured) ' +
    'but a warning naming the limit, the request to time without it and the proxy\'s 499',
  parse(text, context) {
    const requests = readRequests(text);
    if (requests.length === 0) throw notRecognised('curl-w', EXPECTED);
    const slowest = requests.reduce((a, b) => ((seconds(b, 'time_total') ?? 0) > (seconds(a, 'time_total') ?? 0) ? b : a));
    const { facts, open } = requestReading(slowest);
    if (requests.length > 1) {
      facts['http.error_rate_pct'] = percent(requests.filter(failed).length, requests.length) ?? 0;
      Object.assign(facts, loopFacts(requests, context));
      const refused = errorStatus(requests);
      if (refused !== undefined) facts['http.status'] = refused;
    }
    const warnings = openQuestionWarnings(open, facts);
    // A failure read but not told apart (exit 6, or 7's "Couldn't connect to server") is said, not refused.
    if (Object.keys(facts).length === 0 && warnings.length === 0) throw notRecognised('curl-w', EXPECTED, 'no response and no recognisable failure (add exitcode= and errormsg= to -w)');
    for (const warning of warnings) context?.warn?.(warning);
    resetSeenByClient(facts);
    return facts;
  },
};
