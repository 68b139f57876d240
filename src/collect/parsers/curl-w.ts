import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
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

function readRequests(text: string): CurlVariables[] {
  const requests: CurlVariables[] = [];
  for (const line of artifactLines(text)) {
    const trimmed = line.trim();
    const variables = trimmed.startsWith('{') ? readJsonLine(trimmed) : readKeyValueLine(trimmed);
    if (variables?.has('http_code') && [...variables.keys()].some((key) => key.startsWith('time_'))) requests.push(variables);
  }
  return requests;
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

const EXPECTED = `output of \`curl -s -o /dev/null -w '${CURL_WRITE_OUT}' URL\` (or -w '%{json}')`;

export const curlWParser: ArtifactParser = {
  kind: 'curl-w',
  describe:
    `curl -s -o /dev/null -w '${CURL_WRITE_OUT}' URL (or -w '%{json}'), one line per request: ` +
    'http.status, dns.resolve_ms, tcp.connect_ms, http.ttfb_ms, http.latency_ms, tls.handshake (and failures from exitcode/errormsg); ' +
    'with several lines (a loop), the slowest request\'s facts and http.error_rate_pct (5xx or no response)',
  parse(text) {
    const requests = readRequests(text);
    if (requests.length === 0) throw notRecognised('curl-w', EXPECTED);
    const slowest = requests.reduce((a, b) => ((seconds(b, 'time_total') ?? 0) > (seconds(a, 'time_total') ?? 0) ? b : a));
    const facts = requestFacts(slowest);
    if (requests.length > 1) {
      const failed = requests.filter((r) => {
        const status = toNumber(r.get('http_code')) ?? 0;
        return status === 0 || status >= 500;
      }).length;
      facts['http.error_rate_pct'] = percent(failed, requests.length) ?? 0;
    }
    if (Object.keys(facts).length === 0) throw notRecognised('curl-w', EXPECTED, 'no response and no recognisable failure (add exitcode= and errormsg= to -w)');
    return facts;
  },
};
