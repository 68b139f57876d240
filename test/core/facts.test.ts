import { describe, expect, it } from 'vitest';
import { describeValue, InputError } from '../../src/core/errors.js';
import { applyFactPatch, normalizeFactPatch, normalizeFacts, statedBy, statedConflicts, withStatedFacts } from '../../src/core/facts.js';
import { askedFrom, diagnoseFacts } from '../support.js';
import { parseDiagnoseRequest } from '../../src/core/request.js';
import { baseVocabulary, type FactMap } from '../../src/core/vocabulary.js';
import { cpuStopwatch } from '../cpu-time.js';
import { problemsOf } from '../input-error.js';

const problems = (input: unknown) => problemsOf(() => normalizeFacts(input, baseVocabulary()));

describe('normalizeFacts', () => {
  it('reads flat and nested facts as the same flat facts', () => {
    const flat = normalizeFacts({ 'http.status': 503, 'ping.result': 'ok', 'tcp.connect_ms': 1.5 }, baseVocabulary());
    const nested = normalizeFacts({ http: { status: 503 }, ping: { result: 'ok' }, tcp: { connect_ms: 1.5 } }, baseVocabulary());
    expect(nested).toEqual(flat);
    expect(flat).toEqual({ 'http.status': 503, 'ping.result': 'ok', 'tcp.connect_ms': 1.5 });
  });

  it('accepts a mix of flat and nested names', () => {
    expect(normalizeFacts({ 'http.status': 502, http: { direct_status: 200 } }, baseVocabulary())).toEqual({ 'http.status': 502, 'http.direct_status': 200 });
  });

  it('treats null as unknown and drops it', () => {
    expect(normalizeFacts({ 'ping.result': null, 'tcp.connect': 'ok' }, baseVocabulary())).toEqual({ 'tcp.connect': 'ok' });
  });

  it('names an unknown fact and suggests the closest known one', () => {
    expect(problems({ 'http.stauts': 503 })).toEqual([
      { field: 'http.stauts', expected: 'a known fact name (did you mean "http.status"?)', got: 'unknown fact "http.stauts"' },
    ]);
  });

  it('does not suggest a far-off name', () => {
    expect(problems({ 'weather.today': 'sunny' })[0]?.expected).toBe('a known fact name (`rca facts` or GET /v1/schema/facts lists them)');
  });

  it('reports a wrong type with field, expected and got', () => {
    expect(problems({ 'http.status': 'abc' })).toEqual([{ field: 'http.status', expected: 'integer', got: 'string "abc"' }]);
    expect(problems({ 'symptom.intermittent': 'yes' })).toEqual([{ field: 'symptom.intermittent', expected: 'boolean', got: 'string "yes"' }]);
  });

  it('reports out-of-range numbers and enum values', () => {
    expect(problems({ 'http.status': 700 })).toEqual([{ field: 'http.status', expected: 'a number <= 599', got: 'number 700' }]);
    expect(problems({ 'ping.loss_pct': -1 })).toEqual([{ field: 'ping.loss_pct', expected: 'a number >= 0', got: 'number -1' }]);
    expect(problems({ 'ping.result': 'maybe' })).toEqual([{ field: 'ping.result', expected: 'one of "ok", "partial_loss", "fail"', got: 'string "maybe"' }]);
  });

  it('reports every problem at once', () => {
    expect(problems({ 'http.status': 700, 'ping.result': 'maybe', 'nope.fact': 1 }).map((p) => p.field).sort()).toEqual(['http.status', 'nope.fact', 'ping.result']);
  });

  it('refuses prototype keys at any depth', () => {
    expect(problems(JSON.parse('{"__proto__": {"polluted": true}}'))).toEqual([{ field: '__proto__', expected: 'a fact name', got: 'the reserved key "__proto__"' }]);
    expect(problems(JSON.parse('{"constructor": {"prototype": {"x": 1}}}'))[0]?.field).toBe('constructor');
    expect(problems(JSON.parse('{"http": {"__proto__": {"status": 200}}}'))[0]?.field).toBe('http.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses one fact given twice with different values', () => {
    expect(problems({ 'http.status': 503, http: { status: 200 } })[0]).toEqual({
      field: 'http.status',
      expected: 'one value per fact',
      got: 'both number 503 and number 200 (flat and nested)',
    });
  });

  it('refuses input that is not an object', () => {
    expect(problems([1, 2])).toEqual([{ field: 'facts', expected: 'an object of facts', got: 'array of 2' }]);
    expect(problems('ping ok')[0]?.got).toBe('string "ping ok"');
  });

  it('refuses a fact whose value is an object', () => {
    expect(problems({ 'http.status': { code: 503 } })).toEqual([{ field: 'http.status', expected: 'integer', got: 'object' }]);
  });

  it('finds every problem, suggesting names only for the first 20, and its message lists 50 and counts the rest, so thousands of made-up names cost no time', () => {
    const made = Object.fromEntries(Array.from({ length: 21_000 }, (_, i) => [`x${i}.y${i}`, 1]));
    const started = cpuStopwatch();
    let error: InputError | undefined;
    try {
      normalizeFacts({ 'ping.reslt': 'ok', ...made }, baseVocabulary());
    } catch (thrown) {
      error = thrown as InputError;
    }
    expect(started.ms()).toBeLessThan(1000);
    const found = error?.problems ?? [];
    expect(found).toHaveLength(21_001);
    expect(found[0]).toEqual({ field: 'ping.reslt', expected: 'a known fact name (did you mean "ping.result"?)', got: 'unknown fact "ping.reslt"' });
    expect(found[25]).toEqual({ field: 'x24.y24', expected: 'a known fact name (`rca facts` or GET /v1/schema/facts lists them)', got: 'unknown fact "x24.y24"' });
    expect(error?.message.split('; ')).toHaveLength(51);
    expect(error?.message).toMatch(/; x48\.y48: expected a known fact name \(`rca facts` or GET \/v1\/schema\/facts lists them\), got unknown fact "x48\.y48"; and 20951 more problems \(the first 50 are listed\)$/);
  });

  it('limits nesting depth', () => {
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 20; i++) deep = { a: deep };
    expect(problems(deep)[0]?.expected).toBe('facts nested at most 8 levels deep');
  });
});

const HOST = 'a host name (RFC 1123) or an IPv4 or IPv6 address';
const URL_TEXT = 'an http:// or https:// URL whose host is a host name or IP address, without user:password@, in URL characters (RFC 3986)';
const LINE = 'text without control characters';

describe('normalizeFactPatch and applyFactPatch: a JSON Merge Patch (RFC 7396) of facts', () => {
  const patchProblems = (input: unknown) => problemsOf(() => normalizeFactPatch(input, baseVocabulary()));

  it('reads the facts set and the names removed (null), flat or nested; a group name removes every fact under it', () => {
    const patch = normalizeFactPatch({ 'tcp.connect': null, http: { status: 503, latency_ms: null }, ping: null }, baseVocabulary());
    expect(patch).toEqual({ set: { 'http.status': 503 }, remove: ['tcp.connect', 'http.latency_ms', 'ping'] });
    const facts = { 'tcp.connect': 'ok', 'tcp.connect_ms': 3, 'http.latency_ms': 900, 'ping.result': 'fail', 'ping.loss_pct': 100, 'dns.resolve_ms': 4 };
    expect(applyFactPatch(facts, patch)).toEqual({ 'tcp.connect_ms': 3, 'dns.resolve_ms': 4, 'http.status': 503 });
    // "ping" removes ping.result, never a fact merely starting with the same letters.
    expect(applyFactPatch({ 'ping.result': 'ok', 'pingx.y': 1 } as never, { set: {}, remove: ['ping'] })).toEqual({ 'pingx.y': 1 });
  });

  it('removes before it sets, so a group can be replaced by its new facts', () => {
    expect(applyFactPatch({ 'tcp.connect': 'ok', 'tcp.rst_seen': false }, normalizeFactPatch({ tcp: null, 'tcp.rst_seen': true }, baseVocabulary()))).toEqual({ 'tcp.rst_seen': true });
  });

  it('refuses a removal of a name that is neither a fact nor a group of facts, and one fact both removed and set', () => {
    expect(patchProblems({ 'tcp.conect': null })).toEqual([{ field: 'tcp.conect', expected: 'a known fact name (did you mean "tcp.connect"?)', got: 'unknown fact "tcp.conect"' }]);
    expect(patchProblems({ 'weather.today': null })).toEqual([{ field: 'weather.today', expected: 'a known fact name (`rca facts` or GET /v1/schema/facts lists them)', got: 'unknown fact "weather.today"' }]);
    expect(patchProblems({ tcp: { connect: null }, 'tcp.connect': 'ok' })).toEqual([{ field: 'tcp.connect', expected: 'one value per fact', got: 'both null and string "ok" (flat and nested)', pointer: '/tcp/connect' }]);
  });

  it('in normalizeFacts a null is an unknown fact, dropped, but its name must be a fact\'s or a group\'s, as an empty group\'s must', () => {
    expect(normalizeFacts({ 'tcp.connect': null, tcp: null, dns: {}, 'ping.result': 'ok' }, baseVocabulary())).toEqual({ 'ping.result': 'ok' });
    const refused = (facts: Record<string, unknown>) => {
      try {
        normalizeFacts(facts, baseVocabulary());
      } catch (error) {
        return (error as InputError).problems.map((p) => p.field);
      }
      return [];
    };
    // A misspelt name was dropped in silence, with null or {} as its value (found by a blind security review).
    expect(refused({ 'tcpp.connect': null })).toEqual(['tcpp.connect']);
    expect(refused({ nonsense: {} })).toEqual(['nonsense']);
    expect(refused({ tcp: { conect: null } })).toEqual(['tcp.conect']);
  });
});

describe('normalizeFacts: host names and URLs', () => {
  it('refuses a host that is no host name or IP address, naming the fact, what was expected and what came', () => {
    for (const host of ['-f/etc/secret', 'a b', 'x;rm -rf /', '--help', 'x$(id)', '']) {
      expect(problems({ 'target.host': host }), host).toEqual([{ field: 'target.host', expected: HOST, got: `string ${JSON.stringify(host)}` }]);
    }
  });

  it('accepts host names, IPv4 and IPv6 addresses', () => {
    const hosts = ['db1', 'api.example.com', 'example.com.', 'orders-db.cluster-c9xk2example.eu-west-1.rds.amazonaws.com', 'xn--bcher-kva.example', '3com.example', `${'a'.repeat(63)}.example`, '127.0.0.1', '255.255.255.255', '::1', '::', '2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '::ffff:192.0.2.1', 'fe80::1%eth0'];
    for (const host of hosts) expect(normalizeFacts({ 'target.host': host }, baseVocabulary())).toEqual({ 'target.host': host });
  });

  it('refuses near misses: bad labels, mistyped addresses, ports, brackets, non-ASCII', () => {
    const bad = ['-x.example', 'x-.example', 'a..b', 'a_b.example', `${'a'.repeat(64)}.example`, `${'a.'.repeat(126)}ab`, '1.2.3.999', '256.1.1.1', '01.2.3.4', '123', 'db1:5432', '[::1]', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', 'bücher.example', 'db1\n'];
    for (const host of bad) expect(problems({ 'target.host': host })[0]?.expected, host).toBe(HOST);
  });

  it('refuses a URL that is not http(s) with a valid host', () => {
    for (const url of ['http://-x/', 'file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.com/', '//example.com/', 'http://', 'http://a b/', 'http://example.com/a b', 'http://example.com/\u0000', 'https://user:pw@example.com/', 'https://example.com@evil.example/', 'http://example.com:0/', 'http://example.com:65536/', 'http://example.com/%zz', 'https://例え.jp/', 'http://1.2.3.999/', 'http://[::1/']) {
      // A password is masked in what the refusal shows (below).
      expect(problems({ 'target.url': url }), url).toEqual([{ field: 'target.url', expected: URL_TEXT, got: `string ${JSON.stringify(url.replace('user:pw@', 'user:***@'))}` }]);
    }
  });

  it('accepts http(s) URLs with host names, IPv4 and bracketed IPv6 addresses, ports, queries and fragments', () => {
    const urls = ['https://api.example.com/v1/orders', 'http://localhost:15000/stats', 'HTTPS://Example.COM', 'http://127.0.0.1:65535/', 'http://[::1]:8080/x?y=1&z[]=2#top', 'https://example.com/search?q=a%20b&x=(1);y=$2', "https://example.com/it's", 'http://orders.internal.example:8080/'];
    for (const url of urls) expect(normalizeFacts({ 'target.url': url }, baseVocabulary())).toEqual({ 'target.url': url });
  });
});

describe('normalizeFacts: control characters', () => {
  it('refuses NUL and other control characters in a string fact', () => {
    for (const [fact, value] of [['proc.top_name', 'java\u0000'], ['proc.top_name', 'java\tx'], ['proc.top_name', 'a\nb'], ['strace.top_syscall', '\u001b[2Jfutex'], ['strace.top_syscall', 'futex\u007f'], ['proc.top_name', 'x\u009b2J']] as const) {
      expect(problems({ [fact]: value }), JSON.stringify(value)).toEqual([{ field: fact, expected: LINE, got: `string ${JSON.stringify(value)}` }]);
    }
  });

  it('keeps every other character of a process name', () => {
    const name = 'node -e const e=Date.now()+6000;while(Date.now()<e){} --name=日本 \'$x\'';
    expect(normalizeFacts({ 'proc.top_name': name }, baseVocabulary())).toEqual({ 'proc.top_name': name });
  });
});

describe('normalizeFacts: integers', () => {
  it('refuses integers beyond the safe range, naming the fact', () => {
    const asRead = ' as read (past 9007199254740991 a number is rounded: the digits given may differ)';
    expect(problems({ 'proc.app_pid': 1e29 })).toEqual([{ field: 'proc.app_pid', expected: 'an integer from 1 to 9007199254740991', got: `number 1e+29${asRead}` }]);
    expect(problems({ 'host.oom_kills': 1e308 })).toEqual([{ field: 'host.oom_kills', expected: 'an integer from 0 to 9007199254740991', got: `number 1e+308${asRead}` }]);
    expect(problems({ 'kernel.time_wait_count': 2 ** 53 })).toEqual([{ field: 'kernel.time_wait_count', expected: 'an integer from 0 to 9007199254740991', got: `number 9007199254740992${asRead}` }]);
  });

  it('refuses -0 and fractions for integers, keeps -0 for numbers', () => {
    expect(problems({ 'proc.restarts': -0 })).toEqual([{ field: 'proc.restarts', expected: 'an integer other than -0', got: 'number -0' }]);
    expect(problems({ 'proc.app_pid': 1.5 })).toEqual([{ field: 'proc.app_pid', expected: 'integer', got: 'number 1.5' }]);
    expect(normalizeFacts({ 'host.clock_skew_s': -0 }, baseVocabulary())).toEqual({ 'host.clock_skew_s': -0 });
  });

  it('accepts the largest safe integer for a count and any pid the kernel can give', () => {
    expect(normalizeFacts({ 'kernel.time_wait_count': Number.MAX_SAFE_INTEGER, 'proc.app_pid': 4194304 }, baseVocabulary())).toEqual({ 'kernel.time_wait_count': Number.MAX_SAFE_INTEGER, 'proc.app_pid': 4194304 });
  });
});

describe('parseDiagnoseRequest', () => {
  it('takes bare facts or a {summary, facts} envelope', () => {
    expect(parseDiagnoseRequest({ 'ping.result': 'ok' }, { vocabulary: baseVocabulary() })).toEqual({ facts: { 'ping.result': 'ok' }, measured: new Set(), summary: null, unknown: [], warnings: [] });
    expect(parseDiagnoseRequest({ summary: 'slow', facts: { ping: { result: 'ok' } }, unknown: ['tcp.connect'] }, { vocabulary: baseVocabulary() })).toEqual({
      facts: { 'ping.result': 'ok' },
      measured: new Set(),
      summary: 'slow',
      unknown: ['tcp.connect'],
      warnings: [],
    });
    expect(() => parseDiagnoseRequest({ facts: {}, unknown: ['tcp.conect'] }, { vocabulary: baseVocabulary() })).toThrow('/unknown/0: expected a known fact name (did you mean "tcp.connect"?), got unknown fact "tcp.conect"');
  });

  it('hints at a misspelt or missing "facts" when every unknown fact of bare facts stands under a request\'s key or one close to it', () => {
    const refusal = (document: unknown) => {
      try {
        parseDiagnoseRequest(document, { vocabulary: baseVocabulary() });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const misspelt = (key: string) => `a known fact name (did you mean "${key}"? without "facts", a document is read as the facts themselves)`;
    expect(refusal({ fact: { 'http.status': 503 } })).toBe(`fact.http.status: expected ${misspelt('facts')}, got unknown fact "fact.http.status"`);
    expect(refusal({ Facts: { http: { status: 503 } } })).toBe(`Facts.http.status: expected ${misspelt('facts')}, got unknown fact "Facts.http.status"`);
    expect(refusal({ artifact: [{ kind: 'ping', text: '' }] })).toBe(`artifact: expected ${misspelt('artifacts')}, got unknown fact "artifact"`);
    // A request's own key beside bare facts: the facts' key was left out. Known facts' problems are left as they are.
    expect(refusal({ summary: 'slow', 'http.status': 999 })).toBe(
      'summary: expected a known fact name ("summary" is a request\'s key; without "facts", a document is read as the facts themselves), got unknown fact "summary"; http.status: expected a number <= 599, got number 999',
    );
    // An unknown fact elsewhere (a misspelt fact, a fact under a known group) makes it bare facts: no hint.
    expect(refusal({ fact: { x: 1 }, 'http.stauts': 503 })).toBe(
      'fact.x: expected a known fact name (`rca facts` or GET /v1/schema/facts lists them), got unknown fact "fact.x"; http.stauts: expected a known fact name (did you mean "http.status"?), got unknown fact "http.stauts"',
    );
    expect(refusal({ tcp: { conect: 'ok' } })).toBe('tcp.conect: expected a known fact name (did you mean "tcp.connect"?), got unknown fact "tcp.conect"');
    // Far from every request key: no hint, however long (its length is compared before any edit distance).
    expect(refusal({ ['f'.repeat(100_000)]: 1 })).toMatch(/^f+: expected a known fact name \(`rca facts` or GET \/v1\/schema\/facts lists them\)/);
  });

  it('names unknown envelope fields', () => {
    expect(() => parseDiagnoseRequest({ facts: {}, severity: 'high' }, { vocabulary: baseVocabulary() })).toThrow('/severity: expected no property "severity", got an unknown field');
  });

  it('requires facts in the API form', () => {
    expect(() => parseDiagnoseRequest({ summary: 'x' }, { vocabulary: baseVocabulary(), allowBareFacts: false })).toThrow('/facts: expected property "facts", got nothing');
    expect(() => parseDiagnoseRequest({ facts: {}, format: 'pdf' }, { vocabulary: baseVocabulary() })).toThrow('/format: expected one of "json", "markdown", "html", "text", got string "pdf"');
  });

  it('refuses a non-string summary', () => {
    expect(() => parseDiagnoseRequest({ facts: {}, summary: 5 }, { vocabulary: baseVocabulary() })).toThrow('/summary: expected string, got number 5');
  });

  it('refuses control characters in the summary but keeps tab and newline', () => {
    expect(() => parseDiagnoseRequest({ facts: {}, summary: 'slow\u0000' }, { vocabulary: baseVocabulary() })).toThrow('/summary: expected text without control characters other than tab and newline, got string "slow\\u0000"');
    expect(() => parseDiagnoseRequest({ facts: {}, summary: 'a\u001b]52;c;eA==\u0007' }, { vocabulary: baseVocabulary() })).toThrow('/summary: expected text without control characters other than tab and newline');
    expect(() => parseDiagnoseRequest({ facts: {}, summary: 'a\rb' }, { vocabulary: baseVocabulary() })).toThrow('/summary: expected text without control characters other than tab and newline');
    expect(parseDiagnoseRequest({ facts: {}, summary: 'slow\tsince 10:00\nafter the deploy' }, { vocabulary: baseVocabulary() }).summary).toBe('slow\tsince 10:00\nafter the deploy');
  });
});

describe('the shipped fact vocabulary', () => {
  it('describes every fact: `rca facts` and /v1/schema/facts are what a ticket form is built from', () => {
    const undescribed = [...baseVocabulary().facts.values()].filter((spec) => !spec.description).map((spec) => spec.name);
    expect(undescribed).toEqual([]);
  });
});

describe('withStatedFacts: what a target URL or another fact says by itself', () => {
  const vocabulary = baseVocabulary();

  it('adds the host, the port (the scheme\'s when none is written) and the protocol', () => {
    expect(withStatedFacts({ 'target.url': 'https://api.example.com/v1/x?q=1' }, vocabulary)).toEqual({ 'target.url': 'https://api.example.com/v1/x?q=1', 'target.host': 'api.example.com', 'target.port': 443, 'target.protocol': 'https' });
    expect(withStatedFacts({ 'target.url': 'http://10.0.0.7:8080/' }, vocabulary)).toMatchObject({ 'target.host': '10.0.0.7', 'target.port': 8080, 'target.protocol': 'http' });
    expect(withStatedFacts({ 'target.url': 'https://[2001:db8::1]:8443/' }, vocabulary)).toMatchObject({ 'target.host': '2001:db8::1', 'target.port': 8443 });
  });

  it('never overrides a fact given, and adds nothing for another scheme or without a URL', () => {
    const given = { 'target.url': 'https://lb.example.com/', 'target.host': '10.0.0.7', 'target.protocol': 'grpc' };
    // The host given, an address, is the one that says whether a lookup is involved.
    expect(withStatedFacts(given, vocabulary)).toEqual({ ...given, 'target.port': 443, 'target.host_is_ip': true });
    const ftp = { 'target.url': 'ftp://files.example.com/' };
    expect(withStatedFacts(ftp, vocabulary)).toBe(ftp);
    const none = { 'symptom.kind': 'errors' };
    expect(withStatedFacts(none, vocabulary)).toBe(none);
  });

  it('adds what one fact says of another: an LB in the path, a TCP connect made under any TLS handshake result but a timeout', () => {
    expect(withStatedFacts({ 'http.error_source': 'lb' }, vocabulary)).toEqual({ 'http.error_source': 'lb', 'path.via_lb': true });
    expect(withStatedFacts({ 'proxy.upstream_error': 'read_timeout' }, vocabulary)).toEqual({ 'proxy.upstream_error': 'read_timeout', 'path.via_lb': true });
    expect(withStatedFacts({ 'lb.backend_health': 'all_healthy' }, vocabulary)).toEqual({ 'lb.backend_health': 'all_healthy', 'path.via_lb': true });
    expect(withStatedFacts({ 'tls.handshake': 'failed' }, vocabulary)).toEqual({ 'tls.handshake': 'failed', 'tcp.connect': 'ok' });
    expect(withStatedFacts({ 'tls.handshake': 'ok' }, vocabulary)).toEqual({ 'tls.handshake': 'ok', 'tcp.connect': 'ok' });
    // A TLS alert, or a certificate verification failed on, ends a handshake that failed, over a connect made.
    expect(statedBy({ 'tls.alert': 'unknown_ca' }, vocabulary)).toEqual({ facts: { 'tls.alert': 'unknown_ca', 'tls.handshake': 'failed', 'tcp.connect': 'ok' }, implied: ['tls.handshake', 'tcp.connect'] });
    expect(withStatedFacts({ 'tls.failed_cert': 'intermediate' }, vocabulary)).toEqual({ 'tls.failed_cert': 'intermediate', 'tls.handshake': 'failed', 'tcp.connect': 'ok' });
    expect(statedConflicts({ 'tls.alert': 'unknown_ca', 'tls.handshake': 'ok' })).toEqual([{ field: 'tls.handshake', message: 'tls.alert "unknown_ca" says "failed", tls.handshake says "ok": kept "ok"' }]);
    // Some clients fail and this one's handshake failed: the others get through it (lab 206, case 06); not when every client fails.
    expect(statedBy({ 'symptom.scope': 'some_clients', 'tls.handshake': 'failed' }, vocabulary)).toEqual({
      facts: { 'symptom.scope': 'some_clients', 'tls.handshake': 'failed', 'tcp.connect': 'ok', 'tls.other_clients_ok': true },
      implied: ['tcp.connect', 'tls.other_clients_ok'],
    });
    expect(withStatedFacts({ 'symptom.scope': 'single_client', 'tls.alert': 'unknown_ca' }, vocabulary)).toMatchObject({ 'tls.handshake': 'failed', 'tls.other_clients_ok': true });
    expect(withStatedFacts({ 'symptom.scope': 'all_clients', 'tls.handshake': 'failed' }, vocabulary)).toEqual({ 'symptom.scope': 'all_clients', 'tls.handshake': 'failed', 'tcp.connect': 'ok' });
    expect(withStatedFacts({ 'symptom.scope': 'some_clients', 'tls.handshake': 'ok' }, vocabulary)).toEqual({ 'symptom.scope': 'some_clients', 'tls.handshake': 'ok', 'tcp.connect': 'ok' });
    // Near misses: the backend's own error page says nothing of an LB; a TLS timeout is often a connect that timed out.
    expect(withStatedFacts({ 'target.host': '10.0.0.7' }, vocabulary)).toEqual({ 'target.host': '10.0.0.7', 'target.host_is_ip': true });
    expect(withStatedFacts({ 'target.url': 'https://[2001:db8::1]:8443/' }, vocabulary)).toMatchObject({ 'target.host': '2001:db8::1', 'target.host_is_ip': true });
    expect(withStatedFacts({ 'target.host': 'api.example.com' }, vocabulary)).toEqual({ 'target.host': 'api.example.com' });
    expect(withStatedFacts({ 'proc.top_pid': 4242, 'proc.app_pid': 4242 }, vocabulary)).toEqual({ 'proc.top_pid': 4242, 'proc.app_pid': 4242, 'proc.top_role': 'app' });
    const nearMisses: FactMap[] = [{ 'http.error_source': 'backend' }, { 'tls.handshake': 'timeout' }, { 'http.status': 502 }, { 'proc.top_pid': 4242, 'proc.app_pid': 5151 }, { 'proc.top_pid': 4242 }];
    for (const facts of nearMisses) expect(withStatedFacts(facts, vocabulary)).toBe(facts);
    // A fact given is kept, and the contradiction is told.
    const given = { 'http.error_source': 'lb', 'path.via_lb': false, 'tls.handshake': 'failed', 'tcp.connect': 'refused' };
    expect(withStatedFacts(given, vocabulary)).toBe(given);
    expect(statedConflicts(given)).toEqual([
      { field: 'path.via_lb', message: 'http.error_source "lb" says true, path.via_lb says false: kept false' },
      { field: 'tcp.connect', message: 'tls.handshake "failed" says "ok", tcp.connect says "refused": kept "refused"' },
    ]);
  });

  it('takes the runtime from the app\'s program, and it weighs, since nothing else reads the program\'s name', () => {
    const app = (name: string): FactMap => ({ 'proc.top_role': 'app', 'proc.top_name': name });
    const runtime = (facts: FactMap) => withStatedFacts(facts, vocabulary)['app.runtime'];
    expect(runtime(app('java'))).toBe('jvm');
    expect(runtime(app('/root/.pyenv/versions/3.11.7/bin/python3'))).toBe('python');
    expect(runtime(app('php-fpm:'))).toBe('php');
    expect(runtime(app('php-fpm8.2'))).toBe('php');
    expect(runtime(app('gunicorn'))).toBe('python');
    expect(runtime(app('beam.smp'))).toBe('beam');
    expect(runtime(app('/usr/sbin/nginx'))).toBe('native');
    // The app's role may itself be implied, by its pid.
    expect(runtime({ 'proc.top_pid': 7, 'proc.app_pid': 7, 'proc.top_name': 'node' })).toBe('node');
    expect(statedBy({ ...app('java') }, vocabulary)).toEqual({ facts: { ...app('java'), 'app.runtime': 'jvm' }, implied: [] });
    // Near misses: a Go or Rust service is a binary of its own name; the busiest process not the app, or of no known role; a name merely like one.
    for (const facts of [app('checkout-svc'), { 'proc.top_role': 'apm_agent', 'proc.top_name': 'java' }, { 'proc.top_name': 'java' }, app('javac'), app('nodejs-helper'), app('python-exporter')]) {
      expect(runtime(facts), JSON.stringify(facts)).toBeUndefined();
    }
    // A runtime given wins, and the other is told.
    expect(statedConflicts({ ...app('java'), 'app.runtime': 'go' })).toEqual([{ field: 'app.runtime', message: 'proc.top_name of the app says "jvm", app.runtime says "go": kept "go"' }]);
  });

  it('leaves out what the vocabulary would refuse: port 0 is no TCP port', () => {
    expect(withStatedFacts({ 'target.url': 'http://10.0.0.7:0/' }, vocabulary)).toEqual({ 'target.url': 'http://10.0.0.7:0/', 'target.host': '10.0.0.7', 'target.protocol': 'http', 'target.host_is_ip': true });
  });

  it('warns of a host, port or protocol given beside a URL that says another, keeping the one given', () => {
    const facts = { 'target.url': 'https://api.example.com:8443/v1', 'target.port': 80, 'target.host': 'api.example.com' };
    const warning = { field: 'target.port', message: 'target.url says 8443, target.port says 80: kept 80' };
    expect(statedConflicts(facts)).toEqual([warning]);
    expect(statedConflicts({ ...facts, 'target.port': 8443 })).toEqual([]);
    expect(statedConflicts({ 'target.port': 80 })).toEqual([]);
    // The request parser passes them on, for a bare CLI document and for the API's shape alike.
    expect(parseDiagnoseRequest(facts, { vocabulary }).warnings).toEqual([warning]);
    expect(parseDiagnoseRequest({ facts: { ...facts, 'target.protocol': 'http' } }, { vocabulary, allowBareFacts: false }).warnings).toEqual([
      warning,
      { field: 'target.protocol', message: 'target.url says "https", target.protocol says "http": kept "http"' },
    ]);
  });

  it('fills the commands of a diagnosis, and the interview does not ask what the URL says', async () => {
    const facts = { 'target.url': 'https://api.example.com:8443/v1/x', 'symptom.kind': 'errors', 'tls.handshake': 'failed' };
    const commands = (await diagnoseFacts(facts)).hypotheses.flatMap((h) => h.checks.map((c) => c.command));
    expect(commands).toContain("openssl s_client -connect api.example.com:8443 -servername api.example.com </dev/null 2>/dev/null | openssl x509 -noout -subject -ext subjectAltName");
    expect(commands.filter((c) => /<target\.(host|port)>/.test(c))).toEqual([]);
    const asked = await askedFrom(normalizeFacts(facts, vocabulary), {}, 12);
    expect(asked.length).toBe(12);
    expect(asked.filter((fact) => ['target.host', 'target.port', 'target.protocol'].includes(fact))).toEqual([]);
  });
});

describe('refusals do not echo a URL\'s password', () => {
  it('masks user:password@ in the value an error shows, and keeps the rest as it came', () => {
    const refused = (url: string) => {
      try {
        normalizeFacts({ 'target.url': url }, baseVocabulary());
      } catch (error) {
        return (error as InputError).message;
      }
      return 'accepted';
    };
    expect(refused('https://user:s3cr3t@api.example.com/x')).toContain('got string "https://user:***@api.example.com/x"');
    expect(refused('https://user:s3cr3t@api.example.com/x')).not.toContain('s3cr3t');
    expect(refused('https://user@api.example.com/x')).toContain('got string "https://user@api.example.com/x"');
    // An @ later in the path is no password.
    expect(refused('https://api.example.com/a:b@c d')).toContain('got string "https://api.example.com/a:b@c d"');
    // An @ or a blank in the password, an @ in the user, a blank before the URL (a blind security review's cases).
    expect(refused('https://u:p@ss@x.example/ y')).toContain('got string "https://u:***@x.example/ y"');
    expect(refused('https://u@x.example:hunter2@y/ z')).toContain('got string "https://u@x.example:***@y/ z"');
    expect(refused('https://u:hunter 2@x/')).toContain('got string "https://u:***@x/"');
    expect(refused(' https://u:hunter2@x/')).toContain('got string " https://u:***@x/"');
    expect(refused('https://u@host.example:8443/ x')).toContain('got string "https://u@host.example:8443/ x"');
  });

  it('looks for it in linear time, whatever a refused value holds', () => {
    // A pattern tried at every word boundary took 1.4 s on 80,000 characters of "a.a.a...", quadratically more on a 1 MiB body.
    const started = cpuStopwatch();
    for (const value of ['a.'.repeat(500_000), 'a://b:'.repeat(150_000), `https://u:${'p'.repeat(1_000_000)}`, `https://${'@:'.repeat(500_000)}`, ` ${' '.repeat(1_000_000)}`]) expect(describeValue(value)).toMatch(/^string "/);
    expect(started.ms()).toBeLessThan(2000);
  });
});
