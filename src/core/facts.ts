import type { ErrorObject } from 'ajv';
import { describeValue, expectedGot, InputError, pointerToken, type InputProblem } from './errors.js';
import { expectedText } from './schemas.js';
import { closeTo } from './suggest.js';
import { factErrors, type FactMap, type FactSpec, type FactValue, type Vocabulary } from './vocabulary.js';
import type { Diagnosis } from '../generated/diagnosis.js';

/** Keys that could reach Object.prototype when copied; never a fact name. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_NESTING = 8;
/**
 * Unknown names past this many are still refused but get no spelling suggestion: a body of
 * thousands of made-up names would otherwise buy seconds of edit-distance work per request.
 */
const MAX_SUGGESTIONS = 20;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The closest known fact name, if it is close enough to be a likely typo. */
const TICKET_NAMESPACES: ReadonlySet<string> = new Set(['symptom', 'path', 'target']);

/**
 * Whether a fact is of the ticket's own shape (symptom.scope, path.via_nat, target.url): what the
 * reporter says of the incident, known or not on its own, not a reading anyone took.
 */
export function isTicketFact(fact: string): boolean {
  return TICKET_NAMESPACES.has(fact.slice(0, fact.indexOf('.')));
}

/**
 * The most a rule reading only the ticket's surface may give a cause. A proxy's status or log
 * line says what the proxy saw, not why: "upstream timed out" ends every slow backend (a full
 * worker pool, a slow dependency, a pegged CPU, GC), "connection refused" every backend that is
 * down or no longer at the address the proxy dials (a crash, an OOM kill, a deploy, a stale DNS
 * answer), a 499 every client that gave up on a slow answer (AWS, "Troubleshoot your Application
 * Load Balancers", HTTP 460, 502 and 504, each with several causes:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html;
 * nginx's proxy module, proxy_read_timeout and proxy_next_upstream:
 * https://nginx.org/en/docs/http/ngx_http_proxy_module.html). At 0.5 the mechanism leads a thin
 * ticket while the causes behind it keep their place in the differential; above it one log line
 * outweighs every finding about the backend (measured on the tuning corpus: docs/knowledge-base.md,
 * "What a proxy's log line is worth").
 */
export const SURFACE_CF = 0.5;

/** What the proxy in front reports of a request, beside the ticket's own shape. */
const PROXY_SURFACE_FACTS: ReadonlySet<string> = new Set(['http.status', 'http.error_source', 'http.error_rate_pct', 'proxy.upstream_error']);

/**
 * Whether a fact is of the ticket's surface: its shape, or what the proxy in front reports (the
 * status, which tier wrote the error, the share failing, the upstream error). The surface names
 * the mechanism at the proxy, not the backend's cause behind it: "upstream timed out" ends every
 * slow backend (a full worker pool, a slow dependency, a pegged CPU, GC).
 */
export function isSurfaceFact(fact: string): boolean {
  return isTicketFact(fact) || isProxyFact(fact);
}

/** Whether a fact is what the proxy in front reports of a request (PROXY_SURFACE_FACTS). */
export function isProxyFact(fact: string): boolean {
  return PROXY_SURFACE_FACTS.has(fact);
}

export function suggestFact(vocabulary: Vocabulary, name: string): string | undefined {
  return closeTo(name, vocabulary.names);
}

/** What an unknown fact's problem says it got, before the name. */
const UNKNOWN_FACT = 'unknown fact ';

export function unknownFactProblem(vocabulary: Vocabulary, field: string, name: string, suggest = true): InputProblem {
  const suggestion = suggest ? suggestFact(vocabulary, name) : undefined;
  return {
    field,
    expected: suggestion ? `a known fact name (did you mean "${suggestion}"?)` : 'a known fact name (`rca facts` or GET /v1/schema/facts lists them)',
    got: `${UNKNOWN_FACT}"${name}"`,
  };
}

/** Whether PROBLEM is an unknown fact's (unknownFactProblem), not a known fact's wrong value. */
export function isUnknownFactProblem(problem: InputProblem): boolean {
  return problem.got.startsWith(UNKNOWN_FACT);
}

/** Whether NAME is a known fact's, or a group's of known facts (`tcp` of `tcp.connect`). */
export function namesFactOrGroup(vocabulary: Vocabulary, name: string): boolean {
  return vocabulary.facts.has(name) || groupsOf(vocabulary.names).has(name);
}

/**
 * An unknown fact a knowledge base names (a condition, a question, a likelihood table, a
 * template), in the words and with the suggestion diagnosis input gets for it.
 */
export function unknownFactMessage(vocabulary: Vocabulary, name: string): string {
  return expectedGot(unknownFactProblem(vocabulary, '', name));
}

/**
 * Flattens nested input ({"http": {"status": 503}}) into dotted names and collects problems.
 * `null` means "explicitly unknown", so a form can send every field: it is kept, for its name to
 * be checked (and, in a merge patch, as a removal).
 */
function flatten(known: Vocabulary['facts'], input: Record<string, unknown>, prefix: string, depth: number, out: Map<string, unknown>, problems: InputProblem[], at = '', pointers?: Map<string, string | undefined>): void {
  for (const key of Object.keys(input)) {
    const name = prefix ? `${prefix}.${key}` : key;
    // Where the value stands in the document, for a problem's pointer: /http/status for {"http": {"status": ...}};
    // a top-level key's is its name's own (undefined), and the first place a fact stands is the one named.
    const pointer = `${at}/${pointerToken(key)}`;
    if (pointers && !pointers.has(name)) pointers.set(name, prefix === '' ? undefined : pointer);
    if (PROTOTYPE_KEYS.has(key)) {
      problems.push({ field: name, expected: 'a fact name', got: `the reserved key "${key}"` });
      continue;
    }
    const value = input[key];
    // An empty group ({"tcp": {}}) says no more than a null: both are checked for their name only.
    if (isPlainObject(value) && !known.has(name) && Object.keys(value).length === 0) {
      out.set(name, null);
      continue;
    }
    if (isPlainObject(value) && !known.has(name)) {
      if (depth >= MAX_NESTING) {
        problems.push({ field: name, expected: `facts nested at most ${MAX_NESTING} levels deep`, got: 'deeper nesting' });
        continue;
      }
      flatten(known, value, name, depth + 1, out, problems, pointer, pointers);
      continue;
    }
    if (out.has(name) && out.get(name) !== value) {
      problems.push({ field: name, expected: 'one value per fact', got: `both ${describeValue(out.get(name))} and ${describeValue(value)} (flat and nested)` });
      continue;
    }
    out.set(name, value);
  }
}

/**
 * JSON Schema's "integer" admits 1e29 and -0, which no count or pid is: beyond 2^53 a JSON
 * number is not even exact. An integer fact is a safe integer within its own bounds, and never
 * -0. The value is the number as parsed, which past 2^53 need not be the digits sent
 * (9007199254740993 reads as 9007199254740992), so the problem says it is the value as read.
 */
function integerProblem(spec: FactSpec, value: number): InputProblem | undefined {
  if (!Number.isSafeInteger(value)) {
    const from = Math.ceil(Math.max(spec.minimum ?? -Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER));
    const to = Math.floor(Math.min(spec.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    return { field: spec.name, expected: `an integer from ${from} to ${to}`, got: `${describeValue(value)} as read (past ${Number.MAX_SAFE_INTEGER} a number is rounded: the digits given may differ)` };
  }
  if (Object.is(value, -0)) return { field: spec.name, expected: 'an integer other than -0', got: describeValue(value) };
  return undefined;
}

function decodePointer(pointer: string): string {
  return pointer.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Turns submitted facts (flat or nested) into validated flat facts.
 * @param vocabulary the facts there are: the knowledge base's in use (`kb.vocabulary`), or
 *   baseVocabulary() for facts that only the shipped schema defines (parsers, probes)
 * @param field where the facts sit in the caller's document, for error messages
 */
export function normalizeFacts(input: unknown, vocabulary: Vocabulary, field = 'facts'): FactMap {
  return normalized(input, vocabulary, field, false).set;
}

/**
 * A JSON Merge Patch (RFC 7396) of flat facts, read from flat or nested input: the facts it
 * sets and the names it removes (given as null). A removed name is a fact's or, as the nested
 * form writes it, a group's ({"tcp": null}: every tcp.* fact).
 */
export interface FactPatch {
  set: FactMap;
  remove: string[];
}

/**
 * Turns a merge patch of facts (flat or nested) into validated facts to set and names to
 * remove. The facts set are checked as normalizeFacts checks them; a name removed must be a
 * known fact or group of facts (a misspelt removal would otherwise change nothing, silently),
 * and a fact may not be both removed and set.
 */
export function normalizeFactPatch(input: unknown, vocabulary: Vocabulary, field = 'facts'): FactPatch {
  return normalized(input, vocabulary, field, true);
}

/** The facts with a merge patch applied: its removals first, then the facts it sets. */
export function applyFactPatch(facts: FactMap, patch: FactPatch): FactMap {
  const removed = (name: string) => patch.remove.some((r) => name === r || name.startsWith(`${r}.`));
  return { ...Object.fromEntries(Object.entries(facts).filter(([name]) => !removed(name))), ...patch.set };
}

/** Every dotted prefix of a known fact's name (`tcp` of `tcp.connect`): the groups a merge patch may remove. */
function groupsOf(names: readonly string[]): Set<string> {
  const groups = new Set<string>();
  for (const name of names) for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) groups.add(name.slice(0, dot));
  return groups;
}

function normalized(input: unknown, vocabulary: Vocabulary, field: string, patch: boolean): FactPatch {
  if (!isPlainObject(input)) {
    throw new InputError([{ field, expected: 'an object of facts', got: describeValue(input) }]);
  }
  const problems: InputProblem[] = [];
  const flat = new Map<string, unknown>();
  const known = vocabulary.facts;
  const pointers = new Map<string, string | undefined>();
  flatten(known, input, '', 0, flat, problems, '', pointers);
  const candidate: Record<string, unknown> = {};
  const remove: string[] = [];
  let groups: Set<string> | undefined;
  let unknown = 0;
  for (const [name, value] of flat) {
    if (value === null) {
      // A null is a removal in a patch and an unknown fact elsewhere; either way its name must be
      // a fact's or a group's (a misspelt one would be dropped in silence). Groups are worked out
      // only for a name that is no fact's.
      if (known.has(name) || (groups ??= groupsOf(vocabulary.names)).has(name)) {
        if (patch) remove.push(name);
      } else problems.push(unknownFactProblem(vocabulary, name, name, unknown++ < MAX_SUGGESTIONS));
    } else if (!known.has(name)) problems.push(unknownFactProblem(vocabulary, name, name, unknown++ < MAX_SUGGESTIONS));
    else candidate[name] = value;
  }
  // One problem per fact; for an enum, "one of ..." says more than "string".
  const byField = new Map<string, ErrorObject>();
  for (const error of factErrors(vocabulary, candidate)) {
    const field = decodePointer(error.instancePath);
    if (!byField.has(field) || error.keyword === 'enum') byField.set(field, error);
  }
  for (const [field, error] of byField) problems.push({ field, expected: expectedText(error), got: describeValue(error.data) });
  for (const [name, value] of Object.entries(candidate)) {
    const spec = known.get(name);
    const problem = spec?.type === 'integer' && !byField.has(name) ? integerProblem(spec, value as number) : undefined;
    if (problem) problems.push(problem);
  }
  // In the order the facts stand in the document, whatever order the schema checked them in.
  const order = new Map([...flat.keys()].map((name, i) => [name, i]));
  problems.sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0));
  // A fact sent nested is named by its dotted name, and pointed at where it stands in the document.
  const located = problems.map((p) => {
    const pointer = pointers.get(p.field);
    return pointer === undefined ? p : { ...p, pointer };
  });
  if (located.length > 0) throw new InputError(located);
  return { set: candidate as Record<string, FactValue>, remove };
}

/** The port a URL scheme implies when the URL writes none (RFC 9110, 4.2). */
export const SCHEME_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/**
 * The facts the given ones state by themselves (statedFacts): a target URL's host, port (the
 * scheme's when none is written) and protocol, and what one fact says of another (IMPLIED).
 * They are added where absent, never over a fact given, and one the vocabulary would refuse is
 * left out. So a URL given once fills every command that names the host or the port, and
 * nobody is asked what they already said.
 */
export function withStatedFacts(facts: FactMap, vocabulary: Vocabulary): FactMap {
  return statedBy(facts, vocabulary).facts;
}

/**
 * withStatedFacts, and which of the facts added another fact implied (IMPLIED): those are known
 * (nobody is asked them, rules read them) but weigh nothing in the differential, since under
 * every cause they follow from the fact that implies them, which is weighed already (a TLS
 * handshake that failed had its TCP connect: counting tcp.connect ok besides would count one
 * observation twice). A URL's parts weigh: the URL is their only statement.
 */
export function statedBy(facts: FactMap, vocabulary: Vocabulary): { facts: FactMap; implied: string[] } {
  const stated = statedFacts(facts);
  const added = Object.entries(stated).filter(([name, { value }]) => !Object.hasOwn(facts, name) && vocabulary.facts.has(name) && factErrors(vocabulary, { [name]: value }).length === 0);
  if (added.length === 0) return { facts, implied: [] };
  return { facts: { ...facts, ...Object.fromEntries(added.map(([name, { value }]) => [name, value])) }, implied: added.filter(([, { implied }]) => implied).map(([name]) => name) };
}

/**
 * A fact given beside one that says another value of it (a host beside a target URL naming
 * another, path.via_lb false beside an error page the LB wrote): the given fact is kept (and
 * fills the commands), which the caller should hear about, since one of the two is likely a slip.
 */
/** A value of a fact and the input that gives it, as a warning or an error names them. */
export interface Given {
  value: unknown;
  source: string;
}

/** The warning that OTHER's value of a fact was set aside for KEPT's. */
export function keptWarning(field: string, kept: Given, other: Given): Diagnosis['warnings'][number] {
  return { field, message: `${other.source} says ${JSON.stringify(other.value)}, ${kept.source} says ${JSON.stringify(kept.value)}: kept ${JSON.stringify(kept.value)}` };
}

export function statedConflicts(facts: FactMap): Diagnosis['warnings'] {
  return Object.entries(statedFacts(facts)).flatMap(([name, { value, by }]) =>
    Object.hasOwn(facts, name) && facts[name] !== value
      ? [keptWarning(name, { value: facts[name] as FactValue, source: name }, { value, source: by })]
      : [],
  );
}

/**
 * What one fact says of another by itself, whatever the incident: an error page the load
 * balancer wrote, the proxy's own upstream error or the LB's view of its backends mean requests
 * pass a load balancer or proxy (path.via_lb); a TLS handshake that completed or failed ran over
 * a TCP connection that was made (RFC 8446 section 1: TLS runs over a connected transport), so
 * TCP connect succeeded; the busiest pid being the application's main pid makes the busiest
 * process the app. A TLS timeout is left out: a connect that timed out is often reported
 * as one. The HTTP status is left out too: it may come from a proxy in front while the
 * engineer's tcp.connect is the backend's.
 */
const IMPLIED: ReadonlyArray<{ fact: string; value: FactValue | ((facts: FactMap) => FactValue | undefined); by: (facts: FactMap) => string | undefined; weighs?: true }> = [
  {
    fact: 'path.via_lb',
    value: true,
    by: (facts) =>
      facts['http.error_source'] === 'lb' ? 'http.error_source "lb"' : facts['proxy.upstream_error'] !== undefined ? 'proxy.upstream_error' : facts['lb.backend_health'] !== undefined ? 'lb.backend_health' : undefined,
  },
  // A TLS alert ends a handshake that failed, and a certificate the client's verification failed
  // on fails it (RFC 8446 section 6: an alert closes the connection, and a bad certificate is a
  // fatal alert): the handshake failed for the client that saw them (lab review 206, H2: an
  // openssl run on another host that completed was read as that client's handshake).
  {
    fact: 'tls.handshake',
    value: 'failed',
    by: (facts) => (facts['tls.alert'] !== undefined ? `tls.alert ${JSON.stringify(facts['tls.alert'])}` : facts['tls.failed_cert'] !== undefined ? `tls.failed_cert ${JSON.stringify(facts['tls.failed_cert'])}` : undefined),
  },
  { fact: 'tcp.connect', value: 'ok', by: (facts) => (facts['tls.handshake'] === 'ok' || facts['tls.handshake'] === 'failed' ? `tls.handshake ${JSON.stringify(facts['tls.handshake'])}` : undefined) },
  // Some clients fail, and this one's handshake failed: the others are those that get through,
  // handshake included (lab review 206, case 06: a stale address served another site's
  // certificate to the clients of one resolver; tls.other_clients_ok, which tells the client's
  // side from the server's, was never asked).
  {
    fact: 'tls.other_clients_ok',
    value: true,
    by: (facts) =>
      facts['tls.handshake'] === 'failed' && (facts['symptom.scope'] === 'some_clients' || facts['symptom.scope'] === 'single_client') ? `symptom.scope ${JSON.stringify(facts['symptom.scope'])} and tls.handshake "failed"` : undefined,
  },
  // An address needs no lookup: dig on it asks DNS nothing (lab review 195, M4).
  { fact: 'target.host_is_ip', value: true, by: (facts) => (isAddress(facts['target.host']) ? 'target.host' : undefined) },
  // The busiest process is the application's own main process: its role is the app's (lab review
  // 195: the interview asked "what is the busiest process?" right after both pids were given).
  { fact: 'proc.top_role', value: 'app', by: (facts) => (facts['proc.top_pid'] !== undefined && facts['proc.top_pid'] === facts['proc.app_pid'] ? 'proc.top_pid = proc.app_pid' : undefined) },
  // The app's program names its runtime (lab review 200: rca asked for jstat of a Python service
  // whose top it had read). It weighs: no table reads the free-text program name, so the runtime
  // is its only statement, as a URL's parts are the URL's.
  { fact: 'app.runtime', value: (facts) => runtimeOf(facts['proc.top_name']), by: (facts) => (facts['proc.top_role'] === 'app' ? 'proc.top_name of the app' : undefined), weighs: true },
];

/**
 * Programs that name the runtime they run on, by the program's file name as top -c and ps print
 * it (a path and a process title's trailing colon left out: "php-fpm: pool www"). A Go or Rust
 * service is a binary of its own name, which says nothing: no runtime is taken from it.
 */
const RUNTIME_OF_PROGRAM: ReadonlyArray<readonly [RegExp, FactValue]> = [
  [/^java$/, 'jvm'],
  [/^dotnet$/, 'dotnet'],
  [/^node(js)?$/, 'node'],
  [/^(python|pypy)[\d.]*$|^(gunicorn|uwsgi|uvicorn|hypercorn|daphne|celery)$/, 'python'],
  [/^ruby[\d.]*$|^(puma|unicorn|passenger|sidekiq)$/, 'ruby'],
  [/^php[\d.]*(-fpm[\d.]*|-cgi)?$/, 'php'],
  [/^beam(\.smp)?$/, 'beam'],
  [/^(nginx|haproxy|envoy|httpd|apache2|varnishd|redis-server|memcached)$/, 'native'],
];

function runtimeOf(program: FactValue | undefined): FactValue | undefined {
  if (typeof program !== 'string') return undefined;
  const name = (program.split('/').pop() ?? '').replace(/:$/, '').toLowerCase();
  return RUNTIME_OF_PROGRAM.find(([pattern]) => pattern.test(name))?.[1];
}

/**
 * Whether a target.host the schema takes is an IP address: IPv6 has colons, which no name has,
 * and a name's last label is never all digits (the schema refuses it: URL parsers read it as
 * IPv4), so digits and dots alone are an IPv4 address. (node:net's isIP is not loaded for this:
 * the start-up test keeps net out of every plain diagnosis.)
 */
function isAddress(host: FactValue | undefined): boolean {
  return typeof host === 'string' && (host.includes(':') || /^[\d.]+$/.test(host));
}

/** What the given facts state of others, each with what says it, and whether another fact implies it (IMPLIED) rather than a URL stating it. */
export function statedFacts(facts: FactMap): Record<string, { value: FactValue; by: string; implied: boolean }> {
  const stated: Record<string, { value: FactValue; by: string; implied: boolean }> = {};
  const fromUrl = urlStatedFacts(facts);
  for (const [name, value] of Object.entries(fromUrl)) stated[name] = { value, by: 'target.url', implied: false };
  // A fact given wins over the URL's, as withStatedFacts keeps it.
  const known = { ...fromUrl, ...facts };
  for (const { fact, value, by, weighs } of IMPLIED) {
    const source = by(known);
    const implied = typeof value === 'function' ? value(known) : value;
    if (source === undefined || implied === undefined) continue;
    stated[fact] = { value: implied, by: source, implied: weighs !== true };
    // What one implication states, the next may read (the app's role, then its runtime).
    if (!Object.hasOwn(known, fact)) known[fact] = implied;
  }
  return stated;
}

/** What an http or https target URL states by itself; nothing for another scheme or no URL. */
function urlStatedFacts(facts: FactMap): FactMap {
  const url = facts['target.url'];
  if (typeof url !== 'string' || !URL.canParse(url)) return {};
  const parsed = new URL(url);
  const port = SCHEME_PORTS[parsed.protocol];
  if (port === undefined) return {};
  return {
    'target.host': parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    'target.port': parsed.port === '' ? port : Number(parsed.port),
    'target.protocol': parsed.protocol.slice(0, -1),
  };
}
