import { notRecognised, type ArtifactParser, type ParseContext, type ParsedFacts } from './types.js';
import { artifactLines, definedFacts, percent, round, toNumber } from './text.js';
import { alertFromText } from './tls-alerts.js';

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

/** One request's variables when LINE is one as this parser reads it: http_code and a time_ variable, named or in %{json}. */
function readRequestLine(line: string): CurlVariables | undefined {
  const trimmed = line.trim();
  const variables = trimmed.startsWith('{') ? readJsonLine(trimmed) : readKeyValueLine(trimmed);
  return variables?.has('http_code') && [...variables.keys()].some((key) => key.startsWith('time_')) ? variables : undefined;
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

// curl exit codes: 7 could not connect, 28 timed out, 35 TLS handshake error, 51 the
// certificate does not match the host name, 60 the certificate could not be verified.
function failureFacts(variables: CurlVariables, connected: boolean): ParsedFacts {
  const exit = toNumber(variables.get('exitcode'));
  const message = variables.get('errormsg') ?? '';
  // curl reports a connect that never completes as 28, so 7 is an active refusal (a RST, or
  // an ICMP unreachable); its message ("Couldn't connect to server") does not say which.
  if (exit === 7) return { 'tcp.connect': 'refused' };
  if (exit === 28 && !connected) return { 'tcp.connect': 'timeout' };
  if (exit === 35) return definedFacts({ 'tls.handshake': 'failed', 'tls.alert': alertFromText(message) });
  if (exit === 51) return { 'tls.handshake': 'failed', 'tls.cert_name_match': false };
  if (exit === 60) return { 'tls.handshake': 'failed' };
  return {};
}

function requestFacts(variables: CurlVariables): ParsedFacts {
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
      'http.ttfb_ms': answered ? ms(seconds(variables, 'time_starttransfer')) : undefined,
      'http.latency_ms': answered ? ms(seconds(variables, 'time_total')) : undefined,
    }),
  };
  return answered ? facts : { ...facts, ...failureFacts(variables, connected) };
}

/** A request with no answer or a 5xx answer: what http.error_rate_pct counts as failed. */
function failed(variables: CurlVariables): boolean {
  const status = toNumber(variables.get('http_code')) ?? 0;
  return status === 0 || status >= 500;
}

/**
 * Two sorted times fall in different groups when the later is at least MIN_STEP_S past the
 * earlier and STEP_RATIO times it: a step over the jitter of requests that take about as long.
 * Linux's delayed ACK, the shortest fixed delay the knowledge base reads (40 ms), clears it.
 */
const MIN_STEP_S = 0.02;
const STEP_RATIO = 1.5;
/**
 * "About the same amount": half the late requests or more lie within this share of their delay of
 * the late ones' median (the median of their distances to it is within it), so a stray slower
 * request does not hide a delay that the others share.
 */
const SAME_DELAY_SHARE = 0.1;
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

/**
 * What the requests of one loop show together. symptom.intermittent ("the problem comes and goes
 * rather than being constant"): true when some requests failed or were late and others were not;
 * false when every request of at least MIN_REQUESTS_CONSTANT failed; unknown when none showed a
 * problem. http.fixed_delay_ms ("slow requests are late by about the same amount each time"): the
 * answered requests' time_total fall in two groups, the late one of at least two requests that
 * take about the same time (SAME_DELAY_SHARE); the delay is the late group's median less the fast
 * group's. Three groups or more are late by different amounts: no one delay, and a warning says so.
 */
function loopFacts(requests: readonly CurlVariables[], context: ParseContext | undefined): ParsedFacts {
  const answered = requests.filter((r) => !failed(r));
  const times = answered.map((r) => seconds(r, 'time_total'));
  const groups = times.every((t) => t !== undefined) ? timeGroups(times as number[]) : [];
  const [fast, ...late] = groups;
  const lateCount = late.reduce((sum, group) => sum + group.length, 0);
  const problems = requests.length - answered.length + lateCount;
  const fine = requests.length - problems;
  const intermittent = problems > 0 && fine > 0 ? true : fine === 0 && requests.length >= MIN_REQUESTS_CONSTANT ? false : undefined;
  let delay: number | undefined;
  const [lateGroup] = late;
  if (fast && lateGroup && late.length === 1 && lateGroup.length >= 2) {
    const middle = median(lateGroup);
    const lateBy = middle - median(fast);
    const deviation = median(lateGroup.map((time) => Math.abs(time - middle)).sort((a, b) => a - b));
    if (deviation <= SAME_DELAY_SHARE * lateBy) delay = lateBy;
  } else if (late.length > 1) {
    const shown = groups.map((group) => `${group.length} at about ${Math.round(median(group) * 1000)} ms`).join(', ');
    context?.warn?.({ field: 'http.fixed_delay_ms', message: `the requests fall into ${groups.length} groups by time_total (${shown}): slow requests are late by different amounts, so no one fixed delay` });
  }
  return definedFacts({ 'symptom.intermittent': intermittent, 'http.fixed_delay_ms': delay === undefined ? undefined : Math.round(delay * 1000) });
}

const EXPECTED = `output of \`curl -s -o /dev/null -w '${CURL_WRITE_OUT}' URL\` (or -w '%{json}')`;

export const curlWParser: ArtifactParser = {
  kind: 'curl-w',
  describe:
    `curl -s -o /dev/null -w '${CURL_WRITE_OUT}' URL (or -w '%{json}'), one line per request: ` +
    'http.status, dns.resolve_ms, tcp.connect_ms, http.ttfb_ms, http.latency_ms, tls.handshake (and failures from exitcode/errormsg); ' +
    "with several lines (a loop), the slowest request's facts, http.error_rate_pct (5xx or no response), symptom.intermittent " +
    '(some requests failed or were late and others not; false when all of 5 or more failed) and http.fixed_delay_ms (the late ' +
    'requests all late by about the same amount over the fast ones, by time_total)',
  parse(text, context) {
    const requests = readRequests(text);
    if (requests.length === 0) throw notRecognised('curl-w', EXPECTED);
    const slowest = requests.reduce((a, b) => ((seconds(b, 'time_total') ?? 0) > (seconds(a, 'time_total') ?? 0) ? b : a));
    const facts = requestFacts(slowest);
    if (requests.length > 1) {
      facts['http.error_rate_pct'] = percent(requests.filter(failed).length, requests.length) ?? 0;
      Object.assign(facts, loopFacts(requests, context));
    }
    if (Object.keys(facts).length === 0) throw notRecognised('curl-w', EXPECTED, 'no response and no recognisable failure (add exitcode= and errormsg= to -w)');
    return facts;
  },
};
