import { parse as parseOpenApi, validate as validateOpenApi } from '@readme/openapi-parser';
import type { FastifyInstance } from 'fastify';
import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { METHODS } from 'node:http';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';
import { readSchema } from '../../src/core/schemas.js';
import { FIXTURE_KB, HeaderAudit, isProblem, listeningServer, testServer, TOKEN } from './helpers.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { DEFAULT_RESPONSE_CACHE } from '../../src/server/response-cache.js';

const FACTS = { 'ping.result': 'fail', 'tcp.connect': 'ok', 'target.host': 'db1' };

describe('HTTP API (no auth)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer({ bodyLimit: 4096 });
  });
  afterAll(() => app.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

  it('POST /v1/diagnose ranks, and renders a report when asked', async () => {
    const res = await post('/v1/diagnose', { facts: FACTS, format: 'markdown' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.hypotheses.map((h: { id: string }) => h.id)).toEqual(['network.icmp_filtered', 'lb.health_check_misconfigured', 'lb.no_healthy_backend']);
    expect(body.verdict).toBe('confident');
    expect(body.ruledOut.map((h: { id: string }) => h.id)).toEqual(['network.packet_loss']);
    expect(body.hypotheses[0].checks[0].command).toBe("nc -vz db1 '<target.port>'");
    expect(body.report).toMatch(/^### rca diagnosis/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a caller\'s X-Request-Id only when it is a plain id, and gives the request its own otherwise (never one forged into logs and replies)', async () => {
    expect((await post('/v1/diagnose', { facts: FACTS }, { 'x-request-id': 'ticket-4711' })).headers['x-request-id']).toBe('ticket-4711');
    for (const forged of ['{"level":60,"msg":"fake"} ../x;rm -rf', 'a'.repeat(129)]) {
      const res = await post('/v1/diagnose', { facts: { 'ping.result': 7 } }, { 'x-request-id': forged });
      expect(res.statusCode).toBe(400);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json().requestId).toBe(res.headers['x-request-id']);
    }
  });

  it('accepts nested facts and picks the language from lang or Accept-Language', async () => {
    const nested = await post('/v1/diagnose', { facts: { ping: { result: 'fail' }, tcp: { connect: 'ok' } } }, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    expect(nested.json().hypotheses[0].title).toBe('ICMP 被过滤');
    expect(nested.json().lang).toBe('zh-CN');
    const explicit = await post('/v1/diagnose', { facts: FACTS, lang: 'en' }, { 'accept-language': 'zh-CN' });
    expect(explicit.json().hypotheses[0].title).toBe('ICMP is filtered');
  });

  it('answers 400 for a body "lang" rca has no texts in, as the CLI refuses it (never English in silence)', async () => {
    const res = await post('/v1/diagnose', { facts: FACTS, lang: 'fr' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ pointer: '/lang', expected: 'a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY', got: 'string "fr"' }]);
  });

  it('answers 400 problem+json with pointers for unknown facts and wrong types', async () => {
    const res = await post('/v1/diagnose', { facts: { 'http.stauts': 503, 'ping.result': 7, 'symptom.kind': 'erors' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(isProblem(body, 400)).toBe(true);
    expect(body.type).toBe('https://rca.local/problems/invalid-input');
    expect(body.errors).toEqual([
      // In the order the facts stand in the body.
      { pointer: '/facts/http.stauts', expected: 'a known fact name (did you mean "http.status"?)', got: 'unknown fact "http.stauts"' },
      { pointer: '/facts/ping.result', expected: 'one of "ok", "partial_loss", "fail"', got: 'number 7' },
      // A value close to one of the enum's is named as the likely meaning.
      { pointer: '/facts/symptom.kind', expected: 'one of "slow", "errors", "timeout", "unreachable", "connection_reset" (did you mean "errors"?)', got: 'string "erors"' },
    ]);
    // Sent nested, a fact is pointed at where it stands in the body (RFC 6901), and named by its dotted name in words.
    const nested = (await post('/v1/diagnose', { facts: { http: { status: 999, stauts: 1 }, 'a/b': { '~c': 1 } } })).json();
    expect(nested.errors).toEqual([
      { pointer: '/facts/http/status', expected: 'a number <= 599', got: 'number 999' },
      { pointer: '/facts/http/stauts', expected: 'a known fact name (did you mean "http.status"?)', got: 'unknown fact "http.stauts"' },
      { pointer: '/facts/a~1b/~0c', expected: 'a known fact name (`rca facts` or GET /v1/schema/facts lists them)', got: 'unknown fact "a/b.~c"' },
    ]);
  });

  it('answers 400 for fields the request schema does not allow', async () => {
    const res = await post('/v1/diagnose', { facts: {}, format: 'pdf', extra: 1, 'a/b~': 2 });
    expect(res.statusCode).toBe(400);
    // The request's own fields first, in the schema's order; the fields it has not, last.
    expect(res.json().errors).toEqual([
      { pointer: '/format', expected: 'one of "json", "markdown", "html", "text"', got: 'string "pdf"' },
      { pointer: '/extra', expected: 'no property "extra"', got: 'an unknown field' },
      { pointer: '/a~1b~0', expected: 'no property "a/b~"', got: 'an unknown field' },
    ]);
  });

  it('answers every problem of a body at once, the envelope\'s and the facts\', in the order of the request\'s fields', async () => {
    const body = { facts: { 'http.status': 'x', 'ping.result': 'okk', 'foo.bar': 1 }, top: -1, format: 'pdf', lang: 'fr', unknown: ['tcp.connect', 'nope', 'tcp.connect'] };
    const expected = [
      { pointer: '/facts/http.status', expected: 'integer', got: 'string "x"' },
      { pointer: '/facts/ping.result', expected: 'one of "ok", "partial_loss", "fail" (did you mean "ok"?)', got: 'string "okk"' },
      { pointer: '/facts/foo.bar', expected: 'a known fact name (`rca facts` or GET /v1/schema/facts lists them)', got: 'unknown fact "foo.bar"' },
      { pointer: '/unknown/1', expected: 'a known fact name (`rca facts` or GET /v1/schema/facts lists them)', got: 'unknown fact "nope"' },
      { pointer: '/unknown/2', expected: 'each fact at most once in unknown', got: 'the fact "tcp.connect" twice (/unknown/0 and /unknown/2)' },
      { pointer: '/format', expected: 'one of "json", "markdown", "html", "text"', got: 'string "pdf"' },
      { pointer: '/lang', expected: 'a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY', got: 'string "fr"' },
      { pointer: '/top', expected: 'a number >= 1', got: 'number -1' },
    ];
    const res = await post('/v1/diagnose', body);
    expect([res.statusCode, res.json().errors]).toEqual([400, expected]);
    expect(res.json().detail).toBe(expected.map((e) => `${e.pointer.replace(/^\/facts\//, '')}: expected ${e.expected}, got ${e.got}`).join('; '));
    // In any order of the body's keys, the same problems in the same order.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect((await post('/v1/diagnose', reordered)).json().errors).toEqual(expected);
    // What the schema refused is not read again: an unknown that is no list, facts that are no object.
    expect((await post('/v1/diagnose', { facts: [1], unknown: 'x', top: 0 })).json().errors).toEqual([
      { pointer: '/facts', expected: 'object', got: 'array of 1' },
      { pointer: '/unknown', expected: 'array', got: 'string "x"' },
      { pointer: '/top', expected: 'a number >= 1', got: 'number 0' },
    ]);
  });

  it('answers 400 for bare facts or an empty object, which rca diagnose takes, pointing at the missing /facts', async () => {
    const empty = await post('/v1/diagnose', {});
    expect([empty.statusCode, empty.json().detail, empty.json().errors]).toEqual([400, '/facts: expected property "facts", got nothing', [{ pointer: '/facts', expected: 'property "facts"', got: 'nothing' }]]);
    const bare = await post('/v1/diagnose', { 'http.status': 503 });
    expect([bare.statusCode, bare.json().errors]).toEqual([
      400,
      [
        { pointer: '/facts', expected: 'property "facts"', got: 'nothing' },
        { pointer: '/http.status', expected: 'no property "http.status"', got: 'an unknown field' },
      ],
    ]);
  });

  it('POST /v1/interview/next refuses what a diagnosis takes but a step would ignore (format, top, summary), naming each field; /v1/diagnose still takes them', async () => {
    const res = await post('/v1/interview/next', { facts: { 'ping.result': 'fail' }, unknown: [], lang: 'en', format: 'markdown', top: 3, summary: 'checkout down' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      type: 'https://rca.local/problems/invalid-input',
      detail: '/format: expected no property "format", got an unknown field; /top: expected no property "top", got an unknown field; /summary: expected no property "summary", got an unknown field',
      errors: [
        { pointer: '/format', expected: 'no property "format"', got: 'an unknown field' },
        { pointer: '/top', expected: 'no property "top"', got: 'an unknown field' },
        { pointer: '/summary', expected: 'no property "summary"', got: 'an unknown field' },
      ],
    });
    // What it takes keeps the checks of a diagnosis request: the same words for the same fields.
    const wrong = { facts: {}, unknown: 'ping.result', lang: 'fr' };
    const wrongErrors = [
      { pointer: '/unknown', expected: 'array', got: 'string "ping.result"' },
      { pointer: '/lang', expected: 'a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY', got: 'string "fr"' },
    ];
    expect((await post('/v1/interview/next', wrong)).json().errors).toEqual(wrongErrors);
    expect((await post('/v1/diagnose', wrong)).json().errors).toEqual(wrongErrors);
    expect((await post('/v1/interview/next', { facts: {}, lang: 'fr' })).json().errors).toEqual([{ pointer: '/lang', expected: 'a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY', got: 'string "fr"' }]);
    const diagnosed = await post('/v1/diagnose', { facts: { 'ping.result': 'fail' }, format: 'markdown', top: 1, summary: 'checkout down' });
    expect([diagnosed.statusCode, diagnosed.json().hypotheses.length, diagnosed.json().summary]).toEqual([200, 1, 'checkout down']);
  });

  it('answers 400 for malformed JSON, an empty body and prototype keys', async () => {
    for (const payload of ['{"facts":', '', '{"__proto__": {"x": 1}, "facts": {}}', '{"facts": {"constructor": {"prototype": {}}}}']) {
      const res = await post('/v1/diagnose', payload);
      expect(res.statusCode, payload).toBe(400);
      expect(isProblem(res.json(), 400)).toBe(true);
    }
    expect((await post('/v1/diagnose', '{"facts":')).json().type).toBe('https://rca.local/problems/malformed-json');
  });

  it('says where JSON is broken, that a body must be UTF-8, and that a prototype key is refused as a key, not as broken JSON', async () => {
    const broken = (await post('/v1/diagnose', '{"facts": {"ping.result": "ok" "tcp.connect": "ok"}}')).json();
    // The CLI's words for a file, at line:column of the body.
    expect([broken.type, broken.detail]).toEqual(['https://rca.local/problems/malformed-json', 'body:1:32: expected \',\' or \'}\' after a value in an object, got \'"\'']);
    const notUtf8 = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: Buffer.from([...Buffer.from('{"facts": {"proc.top_name": "'), 0xc3, 0x28, ...Buffer.from('"}}')]), headers: { 'content-type': 'application/json' } });
    expect([notUtf8.statusCode, notUtf8.json().type, notUtf8.json().detail]).toEqual([400, 'https://rca.local/problems/malformed-json', 'body: expected UTF-8 text, got an invalid UTF-8 sequence at byte offset 29 (0xc3 0x28)']);
    const proto = (await post('/v1/diagnose', '{"facts": {"ping.result": "ok", "__proto__": {"x": 1}}}')).json();
    expect([proto.type, proto.errors]).toEqual(['https://rca.local/problems/invalid-input', [{ pointer: '/facts/__proto__', expected: 'no property "__proto__"', got: 'the reserved key "__proto__"' }]]);
    const ctor = (await post('/v1/diagnose', '{"summary": "x", "facts": {"a": [{"constructor": {"prototype": {}}}]}}')).json();
    expect([ctor.type, ctor.errors]).toEqual(['https://rca.local/problems/invalid-input', [{ pointer: '/facts/a/0/constructor', expected: 'no property "constructor"', got: 'the reserved key "constructor"' }]]);
  });

  it('answers 413 over the body limit and 415 for a non-JSON body', async () => {
    const big = await post('/v1/diagnose', { facts: { 'target.host': 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/^body: expected at most \d+ bytes, got 50\d\d bytes \(Content-Length\)$/);
    expect(big.json().type).toBe('https://rca.local/problems/payload-too-large');
    const latin1 = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: JSON.stringify({ facts: FACTS }), headers: { 'content-type': 'application/json; charset=latin1' } });
    expect([latin1.statusCode, latin1.json().detail]).toEqual([415, 'expected Content-Type application/json in UTF-8, got application/json; charset=latin1']);
    const utf8 = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: JSON.stringify({ facts: FACTS }), headers: { 'content-type': 'application/json; charset="UTF-8"' } });
    expect(utf8.statusCode).toBe(200);
    const text = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: 'ping fails', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    expect(text.json().type).toBe('https://rca.local/problems/unsupported-media-type');
  });

  it('answers 404 problem+json for unknown routes and hypotheses', async () => {
    const route = await app.inject({ method: 'GET', url: '/v2/nothing' });
    expect(route.statusCode).toBe(404);
    expect(isProblem(route.json(), 404)).toBe(true);
    const hypothesis = await app.inject({ method: 'GET', url: '/v1/hypotheses/network.nope' });
    expect(hypothesis.statusCode).toBe(404);
    expect(hypothesis.json().detail).toBe('no hypothesis "network.nope"');
  });

  it('answers 405 problem+json with Allow for a method the path does not take, and 404 for a path that does not exist', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/v1/diagnose', 'POST'],
      ['PUT', '/v1/interview/next', 'POST'],
      ['POST', '/v1/hypotheses', 'GET, HEAD'],
      ['DELETE', '/v1/hypotheses/network.packet_loss', 'GET, HEAD'],
      ['PATCH', '/v1/kb', 'GET, HEAD'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['PUT', '/metrics', 'GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const res = await app.inject({ method: method as 'GET', url, ...(method !== 'GET' && { payload: '{"facts":' , headers: { 'content-type': 'application/json' } }) });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow, `${method} ${url}`).toBe(allow);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(isProblem(res.json(), 405)).toBe(true);
      expect(res.json()).toMatchObject({ type: 'https://rca.local/problems/method-not-allowed', title: 'The path does not take this method', detail: `${method} is not allowed on ${url}; allowed: ${allow}` });
    }
    // A query string the path's routes do not take does not turn a 405 into a 400.
    expect((await app.inject({ method: 'GET', url: '/v1/diagnose?x=1' })).statusCode).toBe(405);
    expect((await app.inject({ method: 'POST', url: '/v2/nothing' })).statusCode).toBe(404);
  });

  it('POST /v1/interview/next returns the next question, statelessly', async () => {
    const first = (await post('/v1/interview/next', { facts: {} })).json();
    expect(first.done).toBe(false);
    expect(first.question).toMatchObject({ fact: 'ping.result', type: 'enum', choices: ['ok', 'partial_loss', 'fail'] });
    const second = (await post('/v1/interview/next', { facts: { 'ping.result': 'fail' }, unknown: [] })).json();
    expect(second.question.fact).toBe('tcp.connect');
    const done = (await post('/v1/interview/next', { facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } })).json();
    expect(done).toMatchObject({ done: true, reason: 'confident', question: null });
    expect(done.diagnosis.hypotheses[0].id).toBe('network.icmp_filtered');
    // A fact both given and listed as unknown would count as one nobody could answer: refused, as a fact listed twice is.
    const both = await post('/v1/interview/next', { facts: { 'ping.result': 'fail' }, unknown: ['tcp.connect', 'ping.result'] });
    expect([both.statusCode, both.json().errors]).toEqual([400, [{ pointer: '/unknown/1', expected: 'a fact not given (a fact is known or unknown, not both)', got: 'string "ping.result", given as string "fail"' }]]);
    const twice = await post('/v1/interview/next', { facts: {}, unknown: ['tcp.connect', 'tcp.connect'] });
    expect([twice.statusCode, twice.json().errors]).toEqual([400, [{ pointer: '/unknown/1', expected: 'each fact at most once in unknown', got: 'the fact "tcp.connect" twice (/unknown/0 and /unknown/1)' }]]);
    // A diagnosis takes the value, and says so.
    const diagnosed = (await post('/v1/diagnose', { facts: { 'ping.result': 'fail' }, unknown: ['ping.result', 'tcp.connect'] })).json();
    expect(diagnosed.warnings).toEqual([{ field: 'ping.result', message: 'listed in unknown, yet given as string "fail": the value is used' }]);
  });

  it('POST /v1/interview/next takes artifacts as /v1/diagnose does: one paste fills every fact it carries', async () => {
    const text = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8');
    const step = (await post('/v1/interview/next', { facts: { 'http.status': 503 }, artifacts: [{ kind: 'ping', text }] })).json();
    expect(step.diagnosis.facts).toEqual({ 'http.status': 503, 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 });
    // 30% ping loss makes packet loss the clear leader: the pasted facts alone end the interview.
    expect([step.done, step.reason, step.diagnosis.hypotheses[0].id]).toEqual([true, 'confident', 'network.packet_loss']);
    // An explicit fact wins over the paste, and the step says so, as a diagnosis does.
    const conflict = (await post('/v1/interview/next', { facts: { 'ping.result': 'fail' }, artifacts: [{ kind: 'ping', text }] })).json();
    expect(conflict.diagnosis.warnings).toEqual([{ field: 'ping.result', message: 'artifacts[0] (ping) says "partial_loss", the explicit fact says "fail": kept "fail"' }]);
    const bad = await post('/v1/interview/next', { facts: {}, artifacts: [{ kind: 'ping', text: 'hello' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ pointer: '/artifacts/0/text', expected: 'output of `ping -c N HOST` (Linux iputils, BSD/macOS, busybox or Windows) with its statistics summary', got: 'unrecognised text' }]);
  });

  it("POST /v1/diagnose keeps a ticket's fact over its artifact's measurement and says so, as rca diagnose does with --artifact", async () => {
    const text = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'curl-w', 'http-slow.txt'), 'utf8');
    const res = await post('/v1/diagnose', { facts: { 'http.latency_ms': 5000 }, artifacts: [{ kind: 'curl-w', text }], format: 'text' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const message = 'artifacts[0] (curl-w) says 307.051, the explicit fact says 5000: kept 5000';
    expect([body.facts['http.latency_ms'], body.facts['http.ttfb_ms'], body.warnings]).toEqual([5000, 306.728, [{ field: 'http.latency_ms', message }]]);
    expect(body.report).toContain(`! http.latency_ms: ${message}\n`);
  });

  it("POST /v1/diagnose answers a curl -w paste whose lookup failed (exit 6) with 200 and the warning naming dig, not 400 (lab 195, case 12)", async () => {
    const shipped = await testServer({ kb: new KbHolder([join(packageRoot, 'rules')]) });
    try {
      const text = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'curl-w', 'lookup-failed-resolver-down.txt'), 'utf8');
      const payload = { facts: { 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'target.url': 'http://orders.internal:8081/health' }, artifacts: [{ kind: 'auto', text }] };
      const res = await shipped.inject({ method: 'POST', url: '/v1/diagnose', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.facts).not.toHaveProperty('dns.result');
      expect(body.warnings).toEqual([
        {
          field: 'dns.result',
          message:
            'artifacts[0] (auto): the lookup of orders.internal failed in words that do not say how (curl\'s "Could not resolve host" is the same for every resolver error, a bare UnknownHostException names only the host): the name may not exist (NXDOMAIN) or the resolver may not have answered; run `dig orders.internal` to tell',
        },
      ]);
    } finally {
      await shipped.close();
    }
  });

  it('POST /v1/diagnose reads an artifact marked direct as the request straight to a backend, as rca diagnose --direct-artifact does', async () => {
    const shipped = await testServer({ kb: new KbHolder([join(packageRoot, 'rules')]) });
    try {
      const text = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'curl-w', 'named-subset-direct-200.txt'), 'utf8');
      const payload = { facts: { 'symptom.kind': 'errors', 'http.status': 504, 'path.via_lb': true }, artifacts: [{ kind: 'curl-w', text, direct: true }] };
      const res = await shipped.inject({ method: 'POST', url: '/v1/diagnose', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect([body.facts['http.status'], body.facts['http.direct_status'], body.facts['http.direct_latency_ms'], body.warnings]).toEqual([504, 200, 2.145, []]);
      const bad = await shipped.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: {}, artifacts: [{ kind: 'curl-w', text, direct: 'yes' }] }, headers: { 'content-type': 'application/json' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([{ pointer: '/artifacts/0/direct', expected: 'boolean', got: 'string "yes"' }]);
    } finally {
      await shipped.close();
    }
  });

  it('POST /v1/diagnose compares two dig artifacts as rca diagnose does two --artifact files; a direct one joins nothing', async () => {
    const shipped = await testServer({ kb: new KbHolder([join(packageRoot, 'rules')]) });
    try {
      const dig = (name: string) => readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'dig', name), 'utf8');
      const artifacts = [{ kind: 'dig', text: dig('lab206-failing-client-stale-ttl-86400.txt') }, { kind: 'auto', text: dig('lab206-healthy-client-current-ttl-300.txt') }];
      const res = await shipped.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: { 'symptom.scope': 'some_clients' }, artifacts }, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect([body.facts['dns.answer_mismatch'], body.warnings.map((w: { field: string; message: string }) => [w.field, w.message.startsWith('artifacts[0] (dig) and artifacts[1] (auto), read together: the 2 dig runs of cart.l206.test A get different addresses')])]).toEqual([true, [['dns.answer_mismatch', true]]]);
      expect(body.hypotheses[0].id).toBe('dns.stale_record');
      const direct = await shipped.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: {}, artifacts: [artifacts[0], { ...artifacts[1], direct: true }] }, headers: { 'content-type': 'application/json' } });
      expect(direct.json().facts['dns.answer_mismatch']).toBeUndefined();
    } finally {
      await shipped.close();
    }
  });

  it('POST /v1/diagnose and /v1/interview/next carry the facts each likelihood table weighs, and those of "no known cause"', async () => {
    const shipped = await testServer({ kb: new KbHolder([join(packageRoot, 'rules')]) });
    try {
      const facts = { 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'symptom.intermittent': false, 'symptom.other_services_affected': true };
      for (const url of ['/v1/diagnose', '/v1/interview/next']) {
        const res = await shipped.inject({ method: 'POST', url, payload: { facts }, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode).toBe(200);
        const diagnosis = url === '/v1/diagnose' ? res.json() : res.json().diagnosis;
        expect(diagnosis.verdict).toBe('no_known_cause');
        expect(diagnosis.otherCauseFactors).toEqual([{ fact: 'symptom.other_services_affected', value: true, outcome: 'true', ratio: 3.33 }]);
        // The leader is a downstream failing, shared by the other services: that fact weighs for it too.
        expect(diagnosis.hypotheses[0].factors.map((f: { fact: string }) => f.fact)).toEqual(['symptom.kind', 'symptom.other_services_affected', 'symptom.scope']);
      }
    } finally {
      await shipped.close();
    }
  });

  it("POST /v1/interview/next asks a question with the command of the runtime the facts name, the default while it is unknown (lab 206: jstat asked of a Node.js service)", async () => {
    const shipped = await testServer({ kb: new KbHolder([join(packageRoot, 'rules')]) });
    try {
      const facts = { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'symptom.intermittent': true, 'proc.app_pid': 29896, 'proc.top_role': 'app', 'host.cpu_pct': 99.9 };
      const unknown = ['proc.top_pid', 'proc.top_cpu_pct', 'host.cpu_sys_pct', 'proc.app_cpu_pct', 'psi.cpu_some_pct', 'http.status'];
      const ask = async (body: Record<string, unknown>) => (await shipped.inject({ method: 'POST', url: '/v1/interview/next', payload: body, headers: { 'content-type': 'application/json' } })).json();
      expect((await ask({ facts: { ...facts, 'app.runtime': 'node' }, unknown })).question).toMatchObject({
        fact: 'app.gc_time_pct',
        how: 'NODE_OPTIONS=--trace-gc APP_START_COMMAND > /tmp/rca-trace-gc.log 2>&1 & sleep 60; cat /tmp/rca-trace-gc.log',
      });
      expect((await ask({ facts, unknown })).question).toMatchObject({ fact: 'app.gc_time_pct', how: 'jstat -gcutil -t 29896 1000 10' });
      // The catalogue shows each check as written, with its variants.
      const described = (await shipped.inject({ method: 'GET', url: '/v1/hypotheses/app.gc_pauses' })).json();
      expect(described.checks[0]).toMatchObject({ command: 'jstat -gcutil -t {{proc.app_pid}} 1000 10', where: 'server' });
      expect(described.checks[0].variants.map((v: { fact: string; value: string; command: string }) => [v.fact, v.value, v.command])).toEqual([
        ['app.runtime', 'node', 'NODE_OPTIONS=--trace-gc APP_START_COMMAND > /tmp/rca-trace-gc.log 2>&1 & sleep 60; cat /tmp/rca-trace-gc.log'],
        ['app.runtime', 'go', 'GODEBUG=gctrace=1 APP_START_COMMAND 2> /tmp/rca-gctrace.log & sleep 60; tail -n 50 /tmp/rca-gctrace.log'],
        ['app.runtime', 'dotnet', 'timeout 30 dotnet-counters monitor -p {{proc.app_pid}} --counters System.Runtime'],
      ]);
      expect(described.checks[2]).not.toHaveProperty('variants');
      // A check that runs a named command says which (rules/commands.yaml); one with its own command does not.
      const agent = (await shipped.inject({ method: 'GET', url: '/v1/hypotheses/system.agent_cpu_overhead' })).json();
      expect(agent.checks.map((c: { run?: string }) => c.run)).toEqual(['top_snapshot', undefined, 'strace_count_top', undefined]);
      expect(described.checks[0]).not.toHaveProperty('run');
    } finally {
      await shipped.close();
    }
  });

  it('POST /v1/interview/next names the other side of a comparison a question is asked for (why.pairedWith)', async () => {
    const pairs = await testServer({ kb: new KbHolder([FIXTURE_KB, join(packageRoot, 'test', 'fixtures', 'interview-kb-pairs')]) });
    try {
      const ask = (facts: Record<string, unknown>) => pairs.inject({ method: 'POST', url: '/v1/interview/next', payload: { facts }, headers: { 'content-type': 'application/json' } });
      const step = (await ask({ 'path.via_lb': true, 'http.status': 502 })).json();
      expect(step.question).toMatchObject({ fact: 'backend.keepalive_timeout_s', why: { rules: ['keepalive_not_longer'], pairedWith: 'lb.idle_timeout_s' } });
      const next = (await ask({ 'path.via_lb': true, 'http.status': 502, 'backend.keepalive_timeout_s': 5 })).json();
      expect(next.question.fact).toBe('lb.idle_timeout_s');
      expect(Object.keys(next.question.why)).toEqual(['separates', 'rules']);
    } finally {
      await pairs.close();
    }
  });

  it('POST /v1/interview/next stops with the command that tells the leaders apart when nothing answerable is left', async () => {
    const unknown = ['lb.backend_health', 'ping.result', 'tcp.connect', 'http.direct_status'];
    const step = (await post('/v1/interview/next', { facts: { 'path.via_lb': true, 'http.status': 503 }, unknown })).json();
    expect(step).toMatchObject({ done: true, reason: 'unknowable', question: null, tellApart: { leaders: ['lb.health_check_misconfigured', 'lb.no_healthy_backend'], commands: ["curl -sv '<target.url>'"] } });
    // Only this stop carries tellApart.
    expect(Object.keys((await post('/v1/interview/next', { facts: {} })).json())).toEqual(['done', 'reason', 'question', 'diagnosis']);
  });

  it('POST /v1/interview/next stops after six "don\'t know"s from an engineer who gave no reading, naming three leaders when two hold less than half', async () => {
    const asked = ['http.status', 'ping.result', 'tcp.connect', 'lb.backend_health', 'ping.loss_pct'];
    expect((await post('/v1/interview/next', { facts: { 'path.via_lb': true }, unknown: asked })).json()).toMatchObject({ done: false, question: { fact: 'http.direct_status' } });
    const step = (await post('/v1/interview/next', { facts: { 'path.via_lb': true }, unknown: [...asked, 'lb.idle_timeout_s'] })).json();
    expect(step).toMatchObject({
      done: true,
      reason: 'unknowable',
      question: null,
      tellApart: { leaders: ['lb.health_check_misconfigured', 'lb.no_healthy_backend', 'network.icmp_filtered'], commands: ["curl -sv '<target.url>'", "nc -vz '<target.host>' '<target.port>'"] },
    });
  });

  it('takes in ?lang= the tags the body, --lang and Accept-Language take, and names the language served in Content-Language on every catalog route', async () => {
    const answer = async (url: string, lang: string, headers: Record<string, string> = {}) => {
      const res = await app.inject({ method: 'GET', url: `${url}?lang=${lang}`, headers });
      return { status: res.statusCode, language: res.headers['content-language'], title: res.json().title as unknown };
    };
    const icmp = '/v1/hypotheses/network.icmp_filtered';
    expect(await answer(icmp, 'zh')).toEqual({ status: 200, language: 'zh-CN', title: 'ICMP 被过滤' });
    expect(await answer(icmp, 'zh-hans-SG')).toEqual({ status: 200, language: 'zh-CN', title: 'ICMP 被过滤' });
    expect(await answer(icmp, 'en-GB', { 'accept-language': 'zh-CN' })).toEqual({ status: 200, language: 'en', title: 'ICMP is filtered' });
    expect(await answer('/v1/hypotheses', 'ZH-cn')).toMatchObject({ status: 200, language: 'zh-CN' });
    expect(await answer('/v1/questions', 'EN')).toMatchObject({ status: 200, language: 'en' });
    // Traditional and romanised Chinese are languages rca has no texts in: refused, never simplified texts in their place.
    for (const lang of ['ZH-tw', 'zh-Hant', 'zh-Latn', 'en-x-foo']) {
      const refused = await app.inject({ method: 'GET', url: `${icmp}?lang=${lang}` });
      expect([refused.statusCode, refused.headers['content-language'], refused.json().errors], lang).toEqual([400, undefined, [{ parameter: 'lang', expected: 'a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY', got: `string "${lang}"` }]]);
    }
    // A problem is in English whatever the language asked for: no Content-Language.
    expect((await app.inject({ method: 'GET', url: '/v1/hypotheses/no.such?lang=zh-CN' })).headers['content-language']).toBeUndefined();
  });

  it('lists hypotheses, one hypothesis, questions, the facts schema and the KB', async () => {
    const list = (await app.inject({ method: 'GET', url: '/v1/hypotheses?lang=zh-CN' })).json();
    expect(list.map((h: { id: string }) => h.id)).toEqual(['lb.health_check_misconfigured', 'lb.no_healthy_backend', 'network.icmp_filtered', 'network.packet_loss']);
    expect(list[2].title).toBe('ICMP 被过滤');
    const one = (await app.inject({ method: 'GET', url: '/v1/hypotheses/network.packet_loss' })).json();
    expect(one.rules).toEqual([
      { id: 'icmp_only', cf: -0.8 },
      { id: 'ping_partial', cf: 0.4 },
      { id: 'ping_loss_high', cf: 0.5 },
    ]);
    const questions = (await app.inject({ method: 'GET', url: '/v1/questions' })).json();
    expect(questions.find((q: { fact: string }) => q.fact === 'ping.loss_pct')).toEqual({
      fact: 'ping.loss_pct',
      text: 'How much ping loss?',
      help: null,
      type: 'number',
      choices: null,
      unit: '%',
      minimum: 0,
      maximum: 100,
      how: "ping -c 100 '<target.host>'",
      fillIn: ['target.host'],
      // The fixture's question names no carries: a paste of ping's output counts every fact ping reads.
      paste: { kind: 'ping', carries: ['ping.result', 'ping.loss_pct', 'ping.rtt_avg_ms', 'ping.rtt_max_ms', 'dns.result', 'dns.temporary_failure'], direct: false },
    });
    // A question that names no paste kind: its command's output is not offered as a paste.
    expect(questions.find((q: { fact: string }) => q.fact === 'tcp.connect').paste).toBeNull();
    const schema = (await app.inject({ method: 'GET', url: '/v1/schema/facts' })).json();
    expect(schema.properties['http.status']).toMatchObject({ type: 'integer', minimum: 100, maximum: 599 });
    expect(schema).toEqual(readSchema('facts.schema.json'));
    const kb = (await app.inject({ method: 'GET', url: '/v1/kb' })).json();
    expect(kb).toMatchObject({ name: 'interview-fixture', version: '1.0.0', counts: { hypotheses: 4, rules: 6, questions: 7, conditions: 0, commands: 0 } });
    expect(Date.parse(kb.loadedAt)).not.toBeNaN();
  });

  it('reports health, readiness and Prometheus metrics', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready', kb: { version: '1.0.0' } });
    await post('/v1/diagnose', { facts: FACTS });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('rca_http_requests_total{method="POST",route="/v1/diagnose",status="200"}');
    expect(metrics.body).toContain('rca_http_request_duration_seconds_bucket{le="0.001",method="POST",route="/v1/diagnose"}');
    expect(metrics.body).toMatch(/rca_kb_info\{name="interview-fixture",version="1.0.0",hash="sha256:[0-9a-f]{64}"\} 1/);
  });

  it('reports the default process metrics from its own registry: two servers in one process, nothing in the global registry', async () => {
    const other = await testServer();
    try {
      for (const server of [app, other]) {
        const body = (await server.inject({ method: 'GET', url: '/metrics' })).body;
        for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_version_info']) {
          expect(body, name).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? [0-9.e+-]+$`, 'm'));
        }
      }
      expect(globalRegistry.getMetricsAsArray()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('answers 400 problem+json naming the parameter for a repeated, unknown or wrong query parameter, on every route', async () => {
    const get = async (url: string) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(isProblem(res.json(), 400)).toBe(true);
      expect(res.json().type).toBe('https://rca.local/problems/invalid-query');
      return res.json();
    };
    for (const route of ['/v1/hypotheses', '/v1/hypotheses/network.packet_loss', '/v1/questions']) {
      expect((await get(`${route}?lang=en&lang=zh-CN`)).errors, route).toEqual([{ parameter: 'lang', expected: 'the parameter at most once', got: '2 values' }]);
      expect((await get(`${route}?lang=fr`)).errors, route).toEqual([{ parameter: 'lang', expected: 'a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY', got: 'string "fr"' }]);
      expect((await get(`${route}?lang=en&top=3`)).errors, route).toEqual([{ parameter: 'top', expected: 'one of the parameters "lang"', got: 'an unknown parameter' }]);
      expect((await app.inject({ method: 'GET', url: `${route}?lang=zh-CN` })).statusCode, route).toBe(200);
    }
    const detail = (await get('/v1/questions?lang=en&lang=zh-CN&lang=en')).detail;
    expect(detail).toBe('lang: expected the parameter at most once, got 3 values');
    for (const url of ['/v1/kb?x=1', '/v1/schema/facts?lang=en', '/healthz?probe', '/metrics?__proto__=1']) {
      expect((await get(url)).errors, url).toEqual([{ parameter: url.split('?')[1]?.split('=')[0], expected: 'no query parameters', got: 'an unknown parameter' }]);
    }
    const post = await app.inject({ method: 'POST', url: '/v1/diagnose?lang=en', payload: { facts: FACTS } });
    expect(post.statusCode).toBe(400);
    expect(post.json().errors).toEqual([{ parameter: 'lang', expected: 'no query parameters', got: 'an unknown parameter' }]);
    // An unknown route stays a 404, whatever its query string.
    expect((await app.inject({ method: 'GET', url: '/v2/nothing?lang=en&lang=en' })).statusCode).toBe(404);
  });

  it('serves an OpenAPI 3 document that validates', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/metrics', '/readyz', '/v1/diagnose', '/v1/hypotheses', '/v1/hypotheses/{id}', '/v1/interview/next', '/v1/kb', '/v1/questions', '/v1/schema/facts']);
    const operations = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; security?: unknown; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, ...operation })),
    );
    expect(operations.map((o) => `${o.method} ${o.path} ${o.operationId}`).sort()).toEqual([
      'get /healthz health',
      'get /metrics metrics',
      'get /readyz ready',
      'get /v1/hypotheses listHypotheses',
      'get /v1/hypotheses/{id} getHypothesis',
      'get /v1/kb getKb',
      'get /v1/questions listQuestions',
      'get /v1/schema/facts getFactsSchema',
      'post /v1/diagnose diagnose',
      'post /v1/interview/next nextQuestion',
    ]);
    const statuses = (o: (typeof operations)[number]) => Object.keys(o.responses).sort().join(' ');
    for (const o of operations) {
      const success = Object.values(o.responses['200']?.content ?? {})[0];
      expect(success?.schema, `${o.method} ${o.path} 200 schema`).toBeDefined();
      const expected = [
        '200', '400',
        // A GET answers 304 to an If-None-Match holding its ETag.
        ...(o.method === 'get' ? ['304'] : []),
        ...(o.security ? ['401'] : []),
        ...(o.path === '/v1/hypotheses/{id}' ? ['404'] : []),
        // A Host other than the loopback, on a server without tokens (DNS rebinding).
        '403',
        '408',
        // An Expect other than 100-continue.
        '417',
        ...(o.method === 'post' ? ['413', '415'] : []),
        // Every route but the probes is rate-limited, and negotiates Accept.
        ...(o.path === '/healthz' || o.path === '/readyz' ? [] : ['406', '429']),
        '431', '500', '503',
      ];
      expect(statuses(o), `${o.method} ${o.path}`).toBe(expected.sort().join(' '));
      if (o.method === 'get') expect(o.responses['304']?.content, `${o.method} ${o.path} 304`).toBeUndefined();
      for (const status of expected.filter((s) => s !== '200' && s !== '304')) {
        expect(o.responses[status]?.content?.['application/problem+json']?.schema, `${o.method} ${o.path} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
    const result = await validateOpenApi(structuredClone(doc));
    expect(result.valid ? [] : result.errors).toEqual([]);
    await expect(parseOpenApi(structuredClone(doc))).resolves.toBeTruthy();
  });
});

describe('the response headers /openapi.json declares', () => {
  it('are the ones every route sends, on each answer documented, a drain included; Allow is named in its description', async () => {
    const other = 'other-token-0123456789abcdef';
    const { app } = await listeningServer({ tokens: [TOKEN, other], rateLimitPerMinute: 40, bodyLimit: 4096 });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const audit = new HeaderAudit(doc);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const send = async (method: 'GET' | 'POST', path: string, url: string, headers: Record<string, string> = {}, payload?: string) => {
      const answer = await app.inject({ method, url, headers: { ...auth, ...(payload !== undefined && { 'content-type': 'application/json' }), ...headers }, ...(payload !== undefined && { payload }) });
      audit.record(method, path, answer);
      return answer;
    };
    const body = JSON.stringify({ facts: FACTS });
    await send('POST', '/v1/diagnose', '/v1/diagnose', {}, body);
    expect((await send('POST', '/v1/diagnose', '/v1/diagnose', {}, body)).headers['x-rca-cache']).toBe('hit');
    await send('POST', '/v1/diagnose', '/v1/diagnose', {}, JSON.stringify({ facts: { 'ping.result': 7 } }));
    expect((await send('POST', '/v1/diagnose', '/v1/diagnose', { authorization: 'Bearer wrong-token-0123456789' }, body)).statusCode).toBe(401);
    expect((await send('POST', '/v1/diagnose', '/v1/diagnose', { accept: 'text/html' }, body)).statusCode).toBe(406);
    expect((await send('POST', '/v1/diagnose', '/v1/diagnose', {}, JSON.stringify({ facts: {}, summary: 'x'.repeat(5000) }))).statusCode).toBe(413);
    expect((await send('POST', '/v1/diagnose', '/v1/diagnose', { 'content-type': 'text/plain' }, body)).statusCode).toBe(415);
    await send('POST', '/v1/interview/next', '/v1/interview/next', {}, body);
    for (const [path, url] of [['/v1/hypotheses', '/v1/hypotheses'], ['/v1/hypotheses/{id}', '/v1/hypotheses/network.packet_loss'], ['/v1/questions', '/v1/questions'], ['/v1/schema/facts', '/v1/schema/facts'], ['/v1/kb', '/v1/kb']] as const) {
      const answer = await send('GET', path, url);
      expect((await send('GET', path, url, { 'if-none-match': String(answer.headers.etag) })).statusCode, url).toBe(304);
    }
    expect((await send('GET', '/v1/hypotheses', '/v1/hypotheses?lang=fr')).statusCode).toBe(400);
    expect((await send('GET', '/v1/hypotheses/{id}', '/v1/hypotheses/network.nope')).statusCode).toBe(404);
    for (const path of ['/healthz', '/readyz', '/metrics']) await send('GET', path, path);
    // A token over its rate limit: 429, with when to retry.
    let limited;
    for (let i = 0; i <= 40; i++) limited = await app.inject({ method: 'GET', url: '/v1/kb', headers: { authorization: `Bearer ${other}` } });
    expect(limited?.statusCode).toBe(429);
    audit.record('GET', '/v1/kb', limited!);
    // The drain: /readyz answers 503 while the rest serves.
    let secondSignal = () => undefined as void;
    const shutdown = app.rcaShutdown({ drainMs: 60_000, now: new Promise<void>((resolve) => (secondSignal = resolve)) });
    expect((await send('GET', '/readyz', '/readyz')).statusCode).toBe(503);
    secondSignal();
    await shutdown;

    expect(audit.answers()).toEqual([
      'get /healthz 200', 'get /metrics 200', 'get /readyz 200', 'get /readyz 503',
      'get /v1/hypotheses 200', 'get /v1/hypotheses 304', 'get /v1/hypotheses 400',
      'get /v1/hypotheses/{id} 200', 'get /v1/hypotheses/{id} 304', 'get /v1/hypotheses/{id} 404',
      'get /v1/kb 200', 'get /v1/kb 304', 'get /v1/kb 429',
      'get /v1/questions 200', 'get /v1/questions 304', 'get /v1/schema/facts 200', 'get /v1/schema/facts 304',
      'post /v1/diagnose 200', 'post /v1/diagnose 400', 'post /v1/diagnose 401', 'post /v1/diagnose 406', 'post /v1/diagnose 413', 'post /v1/diagnose 415',
      'post /v1/interview/next 200',
    ]);
    expect(audit.mismatches()).toEqual([]);
    // What each declares, as the code that sends it says: each header once, in components.headers, each answer referring to it.
    const kb = doc.paths['/v1/kb'].get.responses;
    expect(kb['200'].headers).toEqual({
      'x-request-id': { $ref: '#/components/headers/RequestId' },
      'x-ratelimit-limit': { $ref: '#/components/headers/RateLimitLimit' },
      'x-ratelimit-remaining': { $ref: '#/components/headers/RateLimitRemaining' },
      'x-ratelimit-reset': { $ref: '#/components/headers/RateLimitReset' },
      etag: { $ref: '#/components/headers/ETag' },
    });
    expect(kb['429'].headers['retry-after']).toEqual({ $ref: '#/components/headers/RateLimitRetryAfter' });
    const inline = Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { headers?: Record<string, { $ref?: string }> }> }>>).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, { responses }]) => Object.entries(responses).flatMap(([status, { headers: declared = {} }]) => Object.entries(declared).filter(([, h]) => h.$ref === undefined).map(([name]) => `${method} ${path} ${status} ${name}`))),
    );
    expect(inline).toEqual([]);
    expect(doc.paths['/healthz'].get.responses['503'].headers['retry-after']).toEqual({ $ref: '#/components/headers/RetryAfter' });
    const { headers } = doc.components;
    expect(Object.keys(headers)).toEqual(['RequestId', 'ETag', 'CaseETag', 'CurrentCaseETag', 'Location', 'ContentLanguage', 'RetryAfter', 'RateLimitRetryAfter', 'WWWAuthenticate', 'Allow', 'RcaCache', 'RateLimitLimit', 'RateLimitRemaining', 'RateLimitReset']);
    expect(headers.RequestId.schema).toEqual({ type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' });
    expect(headers.WWWAuthenticate.schema).toEqual({ type: 'string', enum: ['Bearer realm="rca"', 'Bearer realm="rca", error="invalid_token"'] });
    expect(headers.ContentLanguage.schema).toEqual({ type: 'string', enum: ['en', 'zh-CN'] });
    expect(headers.RateLimitRetryAfter).toEqual({ schema: { type: 'integer', minimum: 0 }, description: 'Seconds until the current minute is over and requests are taken again' });
    expect(headers.Allow).toEqual({ schema: { type: 'string' }, description: 'The methods the path takes' });
    expect(doc.info.description).toMatch(/ A method a path does not take is answered 405 method-not-allowed, with an `allow` header naming the methods it takes \(components\.headers\.Allow\)\.$/);
    const valid = await validateOpenApi(structuredClone(doc));
    expect(valid.valid ? [] : valid.errors).toEqual([]);
  });

  it('are declared only as the server sends them: no rate-limit headers without a rate limit, no X-Rca-Cache without a cache', async () => {
    const app = await testServer({ responseCache: { ...DEFAULT_RESPONSE_CACHE, entries: 0 } });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/diagnose'].post.responses['200'].headers).toEqual({ 'x-request-id': { $ref: '#/components/headers/RequestId' }, 'content-language': { $ref: '#/components/headers/ContentLanguage' } });
    const audit = new HeaderAudit(doc);
    audit.record('POST', '/v1/diagnose', await app.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: FACTS } }));
    expect(audit.mismatches()).toEqual([]);
    await app.close();
  });
});

const diagnoseCall = (app: FastifyInstance, authorization?: string) =>
  app.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: FACTS }, headers: authorization ? { authorization } : {} });

describe('HTTP API with tokens', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // Without a rate limit: every unauthenticated request below counts against one address.
    app = await testServer({ tokens: [TOKEN, 'second-token-abcdefghijkl'] });
  });
  afterAll(() => app.close());
  const call = (authorization?: string) => diagnoseCall(app, authorization);

  it('answers 401 without a valid bearer token, on every /v1 route', async () => {
    // RFC 6750 3.1: a bearer token the server does not have is invalid_token; no bearer token at all gets the challenge alone.
    const challenge = 'Bearer realm="rca"';
    const invalid = 'Bearer realm="rca", error="invalid_token"';
    const send = 'send Authorization: Bearer <token> with a configured token';
    const wrong = 'the bearer token sent is not a configured token';
    for (const [auth, header, detail] of [
      [undefined, challenge, send],
      [`Basic ${TOKEN}`, challenge, send],
      ['Bearer', challenge, send],
      ['Bearer wrong-token-0123456789', invalid, wrong],
      [`bearer ${TOKEN}x`, invalid, wrong],
    ] as const) {
      const res = await call(auth);
      expect([res.statusCode, res.headers['www-authenticate'], res.json().type, res.json().detail], String(auth)).toEqual([401, header, 'https://rca.local/problems/unauthorized', detail]);
    }
    for (const url of ['/v1/hypotheses', '/v1/questions', '/v1/schema/facts', '/v1/kb', '/v1/hypotheses/network.packet_loss']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('decides a wrong method after authentication: 401 without a token on a protected path (as a 404 would), 405 with one', async () => {
    for (const [method, url] of [['GET', '/v1/diagnose'], ['POST', '/v1/hypotheses'], ['DELETE', '/v1/hypotheses/network.nope']] as const) {
      const anonymous = await app.inject({ method, url });
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
      expect(anonymous.headers.allow).toBeUndefined();
      const known = await app.inject({ method, url, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(known.statusCode, `${method} ${url}`).toBe(405);
    }
    // Public paths are public whatever the method, and say which methods they take.
    const probe = await app.inject({ method: 'POST', url: '/healthz' });
    expect([probe.statusCode, probe.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it('answers 405 with Allow to every method node reads that a path does not take (WebDAV, PURGE), deciding authentication as for POST', async () => {
    const others = METHODS.filter((m) => !['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'].includes(m));
    expect(others).toEqual(expect.arrayContaining(['PROPFIND', 'MKCOL', 'SEARCH', 'LOCK', 'COPY', 'PURGE', 'M-SEARCH']));
    for (const method of others) {
      const probe = await app.inject({ method: method as 'GET', url: '/healthz' });
      expect([probe.statusCode, probe.headers.allow, probe.json().detail], method).toEqual([405, 'GET, HEAD', `${method} is not allowed on /healthz; allowed: GET, HEAD`]);
      expect((await app.inject({ method: method as 'GET', url: '/v1/kb' })).statusCode, method).toBe(401);
      const known = await app.inject({ method: method as 'GET', url: '/v1/kb', headers: { authorization: `Bearer ${TOKEN}` } });
      expect([known.statusCode, known.headers.allow, known.json().type], method).toEqual([405, 'GET, HEAD', 'https://rca.local/problems/method-not-allowed']);
      // A path no route serves is still a 404, once authenticated.
      expect((await app.inject({ method: method as 'GET', url: '/v1/nothing', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, method).toBe(404);
    }
  });
});

describe('HTTP API with tokens and a rate limit', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer({ tokens: [TOKEN, 'second-token-abcdefghijkl'], rateLimitPerMinute: 3 });
  });
  afterAll(() => app.close());
  const call = (authorization?: string) => diagnoseCall(app, authorization);

  it('accepts every configured token, and limits requests per token with 429', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await call(`Bearer ${TOKEN}`)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await call(`Bearer ${TOKEN}`);
    expect(limited.json().type).toBe('https://rca.local/problems/rate-limited');
    // The window is a minute, whatever is left of it; the wait is Retry-After's.
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json().detail).toBe(`more than 3 requests a minute from this token; retry in ${retryAfter} s (Retry-After)`);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await call('Bearer second-token-abcdefghijkl')).statusCode).toBe(200);
  });
});

describe('HTTP API: hostile input', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer();
  });
  afterAll(() => app.close());

  const post = (payload: string, url = '/v1/diagnose') => app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
  const invalid = async (payload: string, url?: string) => {
    const res = await post(payload, url);
    expect(res.statusCode, payload).toBe(400);
    expect(res.json().type).toBe('https://rca.local/problems/invalid-input');
    return res.json().errors as unknown[];
  };
  const HOST = 'a host name (RFC 1123) or an IPv4 or IPv6 address';
  const URL_TEXT = 'an http:// or https:// URL whose host is a host name or IP address, without user:password@, in URL characters (RFC 3986)';

  it('answers 400 naming the fact for a host or URL that could become an option, a command or another scheme', async () => {
    for (const host of ['-f/etc/secret', 'a b', 'x;rm -rf /', '--help']) {
      for (const url of ['/v1/diagnose', '/v1/interview/next']) {
        expect(await invalid(JSON.stringify({ facts: { 'target.host': host } }), url)).toEqual([{ pointer: '/facts/target.host', expected: HOST, got: `string ${JSON.stringify(host)}` }]);
      }
    }
    for (const url of ['http://-x/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(await invalid(JSON.stringify({ facts: { target: { url } } }))).toEqual([{ pointer: '/facts/target/url', expected: URL_TEXT, got: `string ${JSON.stringify(url)}` }]);
    }
    expect((await post(JSON.stringify({ facts: { 'target.host': '2001:db8::1', 'target.url': 'https://[2001:db8::1]:8443/health?full=1' } }))).statusCode).toBe(200);
  });

  it('answers 400 for control characters in a string fact or the summary', async () => {
    expect(await invalid(JSON.stringify({ facts: { 'proc.top_name': 'java\u0000' } }))).toEqual([{ pointer: '/facts/proc.top_name', expected: 'text without control characters', got: 'string "java\\u0000"' }]);
    expect(await invalid(JSON.stringify({ facts: {}, summary: 'slow\u001b]52;c;eA==\u0007' }))).toEqual([
      { pointer: '/summary', expected: 'text without control characters other than tab and newline', got: 'string "slow\\u001b]52;c;eA==\\u0007"' },
    ]);
  });

  it('answers 400 for a list longer than the schema allows, in words: at most N items', async () => {
    const unknown = Array.from({ length: 501 }, () => 'http.status');
    expect(await invalid(JSON.stringify({ facts: {}, unknown }), '/v1/interview/next')).toEqual([{ pointer: '/unknown', expected: 'at most 500 items', got: 'array of 501' }]);
  });

  it('lists at most 50 problems, each at a real pointer, and counts the rest in the detail', async () => {
    const facts = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`bogus.f${i}`, 1]));
    const res = await post(JSON.stringify({ facts }));
    const body = res.json();
    expect([res.statusCode, body.errors.length, body.errors[49].pointer]).toEqual([400, 50, '/facts/bogus.f49']);
    expect(body.detail).toMatch(/; and 10 more problems \(the first 50 are listed\)$/);
  });

  it('answers 400 for integers beyond the safe range, -0 and fractions', async () => {
    const asRead = ' as read (past 9007199254740991 a number is rounded: the digits given may differ)';
    expect(await invalid('{"facts": {"proc.app_pid": 1e29}}')).toEqual([{ pointer: '/facts/proc.app_pid', expected: 'an integer from 1 to 9007199254740991', got: `number 1e+29${asRead}` }]);
    expect(await invalid('{"facts": {"host.oom_kills": 1e308}}')).toEqual([{ pointer: '/facts/host.oom_kills', expected: 'an integer from 0 to 9007199254740991', got: `number 1e+308${asRead}` }]);
    // The fact's own bounds; JSON.parse read 2^53 + 1 as 2^53, which the problem says is the value as read.
    expect(await invalid('{"facts": {"kernel.time_wait_count": 9007199254740993}}')).toEqual([{ pointer: '/facts/kernel.time_wait_count', expected: 'an integer from 0 to 9007199254740991', got: `number 9007199254740992${asRead}` }]);
    expect(await invalid('{"facts": {"proc.restarts": -0}}')).toEqual([{ pointer: '/facts/proc.restarts', expected: 'an integer other than -0', got: 'number -0' }]);
    expect(await invalid('{"facts": {"proc.app_pid": 1.5}}')).toEqual([{ pointer: '/facts/proc.app_pid', expected: 'integer', got: 'number 1.5' }]);
  });

  it('answers 400 for a key given twice, naming the key and its pointer, on every POST route', async () => {
    for (const url of ['/v1/diagnose', '/v1/interview/next']) {
      expect(await invalid('{"facts": {"target.host": "db1.example", "target.host": "db2.example"}}', url)).toEqual([
        { pointer: '/facts/target.host', expected: 'each key at most once in an object', got: 'the key "target.host" twice' },
      ]);
    }
    expect(await invalid('{"facts": {}, "summary": "a", "summ\\u0061ry": "b"}')).toEqual([{ pointer: '/summary', expected: 'each key at most once in an object', got: 'the key "summary" twice' }]);
  });

  it('accepts a body that starts with a UTF-8 byte order mark as the CLI does, and still refuses prototype keys', async () => {
    const body = JSON.stringify({ facts: FACTS });
    const plain = await post(body);
    const marked = await post(`\uFEFF${body}`);
    expect([plain.statusCode, marked.statusCode]).toEqual([200, 200]);
    expect(marked.json().hypotheses).toEqual(plain.json().hypotheses);
    const empty = await post('\uFEFF');
    expect([empty.statusCode, empty.json().detail]).toEqual([400, 'body: expected a JSON document, got an empty body']);
    for (const poisoned of ['\uFEFF{"__proto__": {"x": 1}, "facts": {}}', '{"facts": {"constructor": {"prototype": {}}}, "facts": {}}']) {
      expect((await post(poisoned)).statusCode, poisoned).toBe(400);
    }
  });

  it('checks 256 KB bodies of hostile JSON in linear time (a stall would take minutes)', async () => {
    const n = 250 * 1024;
    const manyKeys = `{"facts": {${Array.from({ length: n / 12 }, (_, i) => `"k${i}":0`).join(',')},"k0":1}}`;
    const deep = `${'['.repeat(n / 2)}${']'.repeat(n / 2)}`;
    const started = performance.now();
    expect(await invalid(manyKeys)).toEqual([{ pointer: '/facts/k0', expected: 'each key at most once in an object', got: 'the key "k0" twice' }]);
    expect((await post(deep)).statusCode).toBe(400);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
