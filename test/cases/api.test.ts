import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { idempotencyKeyProblem } from '../../src/cases/routes.js';
import { validator } from '../../src/core/schemas.js';
import { DEFAULT_BODY_LIMIT } from '../../src/server/app.js';
import { HeaderAudit, isProblem } from '../server/helpers.js';
import { STORE_KINDS, stopStores } from '../store/stores.js';
import { ACME, bearer, caseServer, GLOBEX, PING_ARTIFACT } from './helpers.js';

/** A tenant of its own for the similar-incidents test, whose resolved cases no other test adds to. */
const INITECH = 'initech:initech-token-0123456789abcdef';
const UMBRELLA = 'umbrella:umbrella-token-0123456789abcdef';
/** A tenant of its own for the deletion of resolved cases, whose similar cases and statistics no other test changes. */
const HOOLI = 'hooli:hooli-token-0123456789abcdef';
/** A tenant of its own for the tags of similar past incidents, which only that test resolves cases of. */
const WAYNE = 'wayne:wayne-token-0123456789abcdef';
/** A tenant of its own for withdrawn causes, whose similar cases and statistics no other test changes. */
const STARK = 'stark:stark-token-0123456789abcdef';
/** A tenant of its own for the headers of every case answer, whose cases and statistics no other test sees. */
const LUTHOR = 'luthor:luthor-token-0123456789abcdef';
/** A tenant of its own for case ids in upper case, whose cases no other test lists. */
const KRUSTY = 'krusty:krusty-token-0123456789abcdef';

afterAll(stopStores, 30_000);

const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok' };
const json = { 'content-type': 'application/json' };

describe.each(STORE_KINDS)('cases over the API on the $name store', (kind) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await caseServer(kind, { tokens: [ACME, GLOBEX, INITECH, UMBRELLA, HOOLI, WAYNE, STARK, LUTHOR, KRUSTY] }));
  }, 60_000);
  afterAll(() => close());

  const as = (tenant: string) => ({
    post: (payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/v1/cases', headers: { ...json, ...bearer(tenant), ...headers }, payload: JSON.stringify(payload) }),
    patch: (id: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'PATCH', url: `/v1/cases/${id}`, headers: { ...json, ...bearer(tenant), ...headers }, payload: JSON.stringify(payload) }),
    outcome: (id: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'PUT', url: `/v1/cases/${id}/outcome`, headers: { ...json, ...bearer(tenant), ...headers }, payload: JSON.stringify(payload) }),
    withdraw: (id: string, headers: Record<string, string> = {}) => app.inject({ method: 'DELETE', url: `/v1/cases/${id}/outcome`, headers: { ...bearer(tenant), ...headers } }),
    get: (url: string) => app.inject({ method: 'GET', url, headers: bearer(tenant) }),
    delete: (id: string, headers: Record<string, string> = {}) => app.inject({ method: 'DELETE', url: `/v1/cases/${id}`, headers: { ...bearer(tenant), ...headers } }),
  });
  const acme = as(ACME);
  const globex = as(GLOBEX);
  const initech = as(INITECH);

  it('POST /v1/cases creates and diagnoses a case (201, Location); the same ticket with the same body again is that case (200), unchanged', async () => {
    const created = await acme.post({ source: 'jira', externalId: 'OPS-1', summary: 'checkout unreachable', facts: ICMP });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(validator('case.schema.json')(body)).toBe(true);
    expect(created.headers.location).toBe(`/v1/cases/${body.id}`);
    expect(body).toMatchObject({ source: 'jira', externalId: 'OPS-1', summary: 'checkout unreachable', status: 'open', revision: 1, facts: ICMP, artifacts: [], outcome: null });
    expect(body.diagnoses).toHaveLength(1);
    expect(body.diagnoses[0].n).toBe(1);
    expect(body.diagnoses[0].diagnosis.kb).toMatchObject({ name: 'interview-fixture', version: '1.0.0' });
    expect(body.diagnoses[0].diagnosis.hypotheses[0].id).toBe('network.icmp_filtered');
    const again = await acme.post({ source: 'jira', externalId: 'OPS-1', summary: 'checkout unreachable', facts: ICMP });
    expect(again.statusCode).toBe(200);
    expect(again.headers.location).toBe(`/v1/cases/${body.id}`);
    expect(again.json()).toEqual(body);
    // The same facts are the same body in any key order, flat or nested, with nulls (unknown) or without.
    const reordered = await acme.post({ facts: { tcp: { connect: 'ok' }, 'ping.result': 'fail', 'http.status': null }, summary: 'checkout unreachable', externalId: 'OPS-1', source: 'jira' });
    expect({ status: reordered.statusCode, body: reordered.json() }).toEqual({ status: 200, body });
  });

  it('POST of a ticket that is a case already, with another summary, facts or artifacts, is a 409 naming the case to PATCH; the case is unchanged', async () => {
    const first = { source: 'jira', externalId: 'RE-1', summary: 'checkout unreachable', facts: ICMP };
    const { id } = (await acme.post(first)).json();
    const detail = `source "jira" and externalId "RE-1" are case ${id} already, created with another summary, facts or artifacts: expected the same body again, or PATCH /v1/cases/${id} to change the case`;
    for (const other of [{ ...first, facts: { ...ICMP, 'http.status': 503 } }, { ...first, summary: 'checkout down' }, { ...first, artifacts: [PING_ARTIFACT] }, { source: 'jira', externalId: 'RE-1' }]) {
      const answer = await acme.post(other);
      expect(answer.statusCode).toBe(409);
      expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(isProblem(answer.json(), 409)).toBe(true);
      expect(answer.json()).toMatchObject({ type: 'https://rca.local/problems/conflict', detail });
    }
    // A new Idempotency-Key with another body: the same 409, and the key is not bound to the refused body.
    const keyed = await acme.post({ ...first, facts: {} }, { 'idempotency-key': 'RE-1-again' });
    expect({ status: keyed.statusCode, detail: keyed.json().detail }).toEqual({ status: 409, detail });
    expect((await acme.post(first, { 'idempotency-key': 'RE-1-again' })).statusCode).toBe(200);
    // The update as a PATCH; the body the case was created with is that case still.
    expect((await acme.patch(id, { facts: { 'http.status': 503 } })).statusCode).toBe(200);
    const replay = await acme.post(first);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ id, revision: 2, facts: { ...ICMP, 'http.status': 503 } });
    expect((await acme.post({ ...first, facts: { ...ICMP, 'http.status': 503 } })).statusCode).toBe(409);
  });

  it('honours Idempotency-Key: the same key and body answer the same case; the key with another body is 409', async () => {
    const first = await acme.post({ source: 'zendesk', externalId: 'Z-9', facts: ICMP }, { 'idempotency-key': 'retry-77' });
    expect(first.statusCode).toBe(201);
    const replay = await acme.post({ source: 'zendesk', externalId: 'Z-9', facts: ICMP }, { 'idempotency-key': 'retry-77' });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(first.json().id);
    const reused = await acme.post({ source: 'zendesk', externalId: 'Z-10', facts: ICMP }, { 'idempotency-key': 'retry-77' });
    expect(reused.statusCode).toBe(409);
    const id = first.json().id;
    expect(reused.json()).toMatchObject({ type: 'https://rca.local/problems/conflict', detail: `Idempotency-Key "retry-77" was used for another request, which made case ${id}: expected the same body again, a new key, or PATCH /v1/cases/${id} to change that case` });
    expect((await acme.get('/v1/cases?externalId=Z-10')).json().items).toEqual([]);
    const bad = await acme.post({ source: 'zendesk', externalId: 'Z-11' }, { 'idempotency-key': 'has space' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toBe('Idempotency-Key: expected one header of 1 to 200 visible ASCII characters, got string "has space", whose character 4 is a space');
    const long = await acme.post({ source: 'zendesk', externalId: 'Z-11' }, { 'idempotency-key': 'k'.repeat(201) });
    expect(long.json().detail).toBe('Idempotency-Key: expected one header of 1 to 200 visible ASCII characters, got 201 characters');
    // Node joins a header given twice into one value ("k1, k2"; inject cannot send two): the raw headers tell.
    expect(idempotencyKeyProblem(['Idempotency-Key', 'k1', 'idempotency-key', 'k2'], 'k1, k2')).toBe('2 headers');
    expect(idempotencyKeyProblem(['Idempotency-Key', 'k\u00e9'], 'k\u00e9')).toBe('a value with bytes outside ASCII (byte 2 is 0xE9)');
    // "ключ" sent as UTF-8 and read as latin1, as Node reads header bytes: named as bytes, never quoted as mojibake.
    const utf8AsLatin1 = Buffer.from('ключ', 'utf8').toString('latin1');
    expect(idempotencyKeyProblem(['Idempotency-Key', utf8AsLatin1], utf8AsLatin1)).toBe('a value with bytes outside ASCII (byte 1 is 0xD0)');
    expect(idempotencyKeyProblem(['Idempotency-Key', 'a\tb'], 'a\tb')).toBe('string "a\\tb", whose character 2 is U+0009');
  });

  it('a malformed Idempotency-Key or If-Match is a 400 naming the header, what it expected and what came in errors, as a 406 names Accept', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'HEADER-1', facts: ICMP })).json();
    const key = 'one header of 1 to 200 visible ASCII characters';
    const tags = '* or entity tags in quotes as an ETag gives them ("3.lq2x1k.en")';
    const refusals: Array<[Awaited<ReturnType<typeof acme.get>>, string, string, string]> = [
      [await acme.post({ source: 'jira', externalId: 'HEADER-2', facts: ICMP }, { 'idempotency-key': 'has space' }), 'Idempotency-Key', key, 'string "has space", whose character 4 is a space'],
      [await acme.patch(id, { summary: 'x' }, { 'idempotency-key': 'k'.repeat(201) }), 'Idempotency-Key', key, '201 characters'],
      [await acme.patch(id, { summary: 'x' }, { 'if-match': 'garbage' }), 'If-Match', tags, 'string "garbage", unreadable from character 1'],
      [await acme.outcome(id, { cause: 'other', text: 'a cable', confirmedBy: 'ana' }, { 'if-match': '"1.x", 1' }), 'If-Match', tags, 'string "\\"1.x\\", 1", unreadable from character 7'],
      [await acme.delete(id, { 'if-match': ' , ' }), 'If-Match', tags, 'an empty header'],
    ];
    for (const [answer, header, expected, got] of refusals) {
      expect([answer.statusCode, answer.json().type, answer.json().detail, answer.json().errors], `${header} ${got}`).toEqual([400, 'https://rca.local/problems/bad-request', `${header}: expected ${expected}, got ${got}`, [{ header, expected, got }]]);
    }
    expect((await acme.get(`/v1/cases/${id}`)).json()).toMatchObject({ revision: 1, summary: null, outcome: null });
  });

  it('PATCH honours Idempotency-Key: a retry of a change is the case as it is, changed once, under any If-Match; the key with another change, case or method is a 409', async () => {
    const created = await acme.post({ source: 'jira', externalId: 'PATCH-KEY', facts: ICMP });
    const { id } = created.json();
    const change = { artifacts: [PING_ARTIFACT], facts: { 'http.status': 503 } };
    const first = await acme.patch(id, change, { 'idempotency-key': 'p1' });
    expect([first.statusCode, first.json().revision, first.json().artifacts.length, first.json().diagnoses.length]).toEqual([200, 2, 1, 2]);
    // Retried: as it was sent, under the If-Match the first attempt moved on, and with its facts nested: the same case, changed once.
    for (const [payload, headers] of [
      [change, { 'idempotency-key': 'p1' }],
      [change, { 'idempotency-key': 'p1', 'if-match': created.headers.etag as string }],
      [{ facts: { http: { status: 503 } }, artifacts: [PING_ARTIFACT] }, { 'idempotency-key': 'p1' }],
    ] as const) {
      const retried = await acme.patch(id, payload, headers);
      expect([retried.statusCode, retried.headers.etag, retried.json()]).toEqual([200, first.headers.etag, first.json()]);
    }
    // Without the key the same body is a change of its own, as before.
    const unkeyed = await acme.patch(id, change);
    expect([unkeyed.json().revision, unkeyed.json().artifacts.length]).toEqual([3, 2]);
    // The key with another change, or the same change of another case, is refused, and changes nothing.
    const other = (await acme.post({ source: 'jira', externalId: 'PATCH-KEY-2', facts: ICMP })).json();
    for (const [caseId, payload] of [
      [id, { facts: { 'http.status': 502 } }],
      [id, { ...change, summary: null }],
      [other.id, change],
    ] as const) {
      const reused = await acme.patch(caseId, payload, { 'idempotency-key': 'p1' });
      expect([reused.statusCode, reused.json().type, reused.json().detail]).toEqual([409, 'https://rca.local/problems/conflict', `Idempotency-Key "p1" was used for another request, which changed case ${id}: expected the same change of the same case again, or a new key`]);
    }
    expect((await acme.get(`/v1/cases/${id}`)).json().revision).toBe(3);
    expect((await acme.get(`/v1/cases/${other.id}`)).json().revision).toBe(1);
    // A tenant's keys are one set: a POST's key on a PATCH, and a PATCH's on a POST, are other requests.
    const made = await acme.post({ source: 'jira', externalId: 'PATCH-KEY-3', facts: ICMP }, { 'idempotency-key': 'made-3' });
    const postKey = await acme.patch(id, { facts: { 'http.status': 502 } }, { 'idempotency-key': 'made-3' });
    expect([postKey.statusCode, postKey.json().detail]).toEqual([409, `Idempotency-Key "made-3" was used for another request, which made case ${made.json().id}: expected a new key (a key is one request, and a POST used this one)`]);
    const patchKey = await acme.post({ source: 'jira', externalId: 'PATCH-KEY-4', facts: ICMP }, { 'idempotency-key': 'p1' });
    expect([patchKey.statusCode, patchKey.json().detail]).toEqual([409, `Idempotency-Key "p1" was used for another request, which changed case ${id}: expected a new key (a key is one request, and a PATCH used this one)`]);
    expect((await acme.get('/v1/cases?externalId=PATCH-KEY-4')).json().items).toEqual([]);
    // Another tenant's key of the same name is its own.
    const theirs = (await globex.post({ source: 'jira', externalId: 'PATCH-KEY', facts: ICMP })).json();
    expect((await globex.patch(theirs.id, change, { 'idempotency-key': 'p1' })).json().revision).toBe(2);
    // A malformed key is refused as POST refuses it.
    const bad = await acme.patch(id, change, { 'idempotency-key': 'has space' });
    expect([bad.statusCode, bad.json().detail]).toEqual([400, 'Idempotency-Key: expected one header of 1 to 200 visible ASCII characters, got string "has space", whose character 4 is a space']);
  });

  it('a PATCH refused binds no Idempotency-Key; retries racing make the change once; a deleted case\'s PATCH key is a 404 on its case and a 409 elsewhere', async () => {
    const created = await acme.post({ source: 'jira', externalId: 'PATCH-KEY-R', facts: ICMP });
    const { id } = created.json();
    await acme.patch(id, { facts: { 'http.status': 503 } });
    const stale = await acme.patch(id, { artifacts: [PING_ARTIFACT] }, { 'idempotency-key': 'r1', 'if-match': created.headers.etag as string });
    expect(stale.statusCode).toBe(412);
    const over = await acme.patch(id, { artifacts: Array.from({ length: 21 }, () => PING_ARTIFACT) }, { 'idempotency-key': 'r1' });
    expect(over.statusCode).toBe(400);
    // Both refused: the key is free, and two attempts at once change the case once.
    const raced = await Promise.all([1, 2].map(() => acme.patch(id, { artifacts: [PING_ARTIFACT] }, { 'idempotency-key': 'r1' })));
    expect(raced.map((r) => [r.statusCode, r.json().revision, r.json().artifacts.length])).toEqual([
      [200, 3, 1],
      [200, 3, 1],
    ]);
    expect((await acme.delete(id)).statusCode).toBe(204);
    const gone = await acme.patch(id, { artifacts: [PING_ARTIFACT] }, { 'idempotency-key': 'r1' });
    expect([gone.statusCode, gone.json().detail]).toEqual([404, `no case "${id}"`]);
    const elsewhere = await acme.post({ source: 'jira', externalId: 'PATCH-KEY-R2', facts: ICMP }, { 'idempotency-key': 'r1' });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().detail).toMatch(new RegExp(`^Idempotency-Key "r1" changed case ${id}, which was deleted at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: expected a new key$`));
  });

  it('PATCH adds facts and artifacts and diagnoses again; the history keeps every diagnosis with its KB version and hash', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'OPS-2', facts: { 'tcp.connect': 'ok' } })).json();
    const patched = await acme.patch(id, { facts: { 'ping.result': 'fail' } });
    expect(patched.statusCode).toBe(200);
    const withArtifact = (await acme.patch(id, { artifacts: [PING_ARTIFACT], summary: 'now with ping' })).json();
    expect(withArtifact).toMatchObject({ revision: 3, summary: 'now with ping', facts: { 'tcp.connect': 'ok', 'ping.result': 'fail' }, artifacts: [PING_ARTIFACT] });
    expect(withArtifact.diagnoses.map((d: { n: number }) => d.n)).toEqual([1, 2, 3]);
    // TCP connecting alone: no table or rule of the fixture weighs it, so nothing is judged yet.
    expect(withArtifact.diagnoses[0].diagnosis.verdict).toBe('no_evidence');
    expect(withArtifact.diagnoses[1].diagnosis.hypotheses[0].id).toBe('network.icmp_filtered');
    // The explicit ping.result wins over the artifact's, and the disagreement is a warning, as in rca diagnose.
    expect(withArtifact.diagnoses[2].diagnosis.warnings).toEqual([{ field: 'ping.result', message: 'artifacts[0] (ping) says "partial_loss", the explicit fact says "fail": kept "fail"' }]);
    for (const { diagnosis } of withArtifact.diagnoses) expect(diagnosis.kb.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await acme.get(`/v1/cases/${id}`).then((r) => r.json())).toEqual(withArtifact);
  });

  it("keeps an artifact's text without the secrets a command line carried, on POST and PATCH; its facts are those of the text as sent", async () => {
    const top = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'top', 'statx-storm-child-of-app.txt'), 'utf8');
    const secret = `${top}\n# launched as: /usr/bin/mysqld --db-password=SuperSecret123 --token SuperSecret123 https://ops:SuperSecret123@db.example/x?api_key=SuperSecret123&x=1\n`;
    const created = await acme.post({ source: 'jira', externalId: 'OPS-SECRET', artifacts: [{ kind: 'top', text: secret }] });
    expect(created.statusCode).toBe(201);
    const patched = await acme.patch(created.json().id, { artifacts: [{ kind: 'top', text: secret }] });
    const stored = await acme.get(`/v1/cases/${created.json().id}`);
    expect(stored.body).not.toContain('SuperSecret123');
    expect(stored.json().artifacts[1].text).toContain('--db-password=<redacted> --token <redacted> https://<redacted>@db.example/x?api_key=<redacted>&x=1');
    const facts = (await app.inject({ method: 'POST', url: '/v1/diagnose', headers: { ...json, ...bearer(ACME) }, payload: JSON.stringify({ facts: {}, artifacts: [{ kind: 'top', text: secret }] }) })).json().facts;
    expect(patched.json().diagnoses.at(-1).diagnosis.facts).toEqual(facts);
  });

  it('GET /v1/cases/:id takes ?lang as the other GET routes do, else Accept-Language: its latest diagnosis and report in that language, ranked as stored; every case answer says its language (Content-Language)', async () => {
    const created = await acme.post({ source: 'jira', externalId: 'LANG-1', facts: ICMP });
    expect([created.statusCode, created.headers['content-language']]).toEqual([201, 'en']);
    const { id } = created.json();
    const patched = await acme.patch(id, { facts: { 'http.status': 503 } });
    expect([patched.statusCode, patched.headers['content-language']]).toEqual([200, 'en']);
    const stored = await acme.get(`/v1/cases/${id}`);
    expect([stored.statusCode, stored.headers['content-language']]).toEqual([200, 'en']);
    const zh = await acme.get(`/v1/cases/${id}?lang=zh-CN&format=markdown`);
    // Another representation of the same version of the case: its own ETag, naming the language and the report's format.
    expect(stored.headers.etag).toMatch(/^"2\.[0-9a-z]+\.en"$/);
    expect([zh.statusCode, zh.headers['content-language'], zh.headers.etag]).toEqual([200, 'zh-CN', (stored.headers.etag as string).replace('.en"', '.zh-CN.markdown"')]);
    const [first, latest] = zh.json().diagnoses;
    // The earlier diagnosis stays as it was made; the latest is what /v1/diagnose says of its facts in zh-CN, with the case's similar incidents.
    expect(first).toEqual(stored.json().diagnoses[0]);
    const { similar, ...latestAlone } = latest.diagnosis;
    const diagnosed = await app.inject({ method: 'POST', url: '/v1/diagnose', headers: { ...json, ...bearer(ACME) }, payload: JSON.stringify({ facts: stored.json().diagnoses[1].diagnosis.facts, lang: 'zh-CN' }) });
    expect({ ...latestAlone, similar }).toEqual({ ...diagnosed.json(), similar: stored.json().diagnoses[1].diagnosis.similar });
    expect(latest.diagnosis.hypotheses[0].title).toBe('ICMP 被过滤');
    expect(zh.json().report).toContain('ICMP 被过滤');
    const byHeader = await app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: { ...bearer(ACME), 'accept-language': 'zh-TW, zh;q=0.8' } });
    expect([byHeader.headers['content-language'], byHeader.json().diagnoses[1].diagnosis.lang]).toEqual(['zh-CN', 'zh-CN']);
    const english = await app.inject({ method: 'GET', url: `/v1/cases/${id}?lang=en-GB`, headers: { ...bearer(ACME), 'accept-language': 'zh-CN' } });
    expect([english.headers['content-language'], english.json()]).toEqual(['en', stored.json()]);
    for (const [query, error] of [
      ['lang=fr', { parameter: 'lang', expected: 'a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY', got: 'string "fr"' }],
      ['lang=en&lang=zh-CN', { parameter: 'lang', expected: 'the parameter at most once', got: '2 values' }],
    ] as const) {
      const refused = await acme.get(`/v1/cases/${id}?${query}`);
      expect([refused.statusCode, refused.json().errors, refused.headers['content-language']], query).toEqual([400, [error], undefined]);
    }
    expect((await acme.get(`/v1/cases/00000000-0000-4000-8000-000000000000?lang=zh-CN`)).headers['content-language']).toBeUndefined();
  });

  it('tags every case answer with its version (ETag) and changes it only under a matching If-Match: else 412 naming the current one', async () => {
    const patch = (id: string, payload: unknown, ifMatch?: string) => app.inject({ method: 'PATCH', url: `/v1/cases/${id}`, headers: { ...json, ...bearer(ACME), ...(ifMatch !== undefined && { 'if-match': ifMatch }) }, payload: JSON.stringify(payload) });
    const resolve = (id: string, ifMatch: string) => app.inject({ method: 'PUT', url: `/v1/cases/${id}/outcome`, headers: { ...json, ...bearer(ACME), 'if-match': ifMatch }, payload: JSON.stringify({ cause: 'network.icmp_filtered', confirmedBy: 'ana' }) });
    const created = await acme.post({ source: 'jira', externalId: 'OPS-ETAG', facts: ICMP });
    const { id } = created.json();
    const v1 = created.headers.etag as string;
    expect(v1).toMatch(/^"1\.[0-9a-z]+\.en"$/);
    const read = await acme.get(`/v1/cases/${id}`);
    expect(read.headers.etag).toBe(v1);
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: { ...bearer(ACME), 'if-none-match': v1 } })).statusCode).toBe(304);
    // Near misses: a version that never was, the same one weak (If-Match compares strongly: said so, as a GET would give the same tag again), a bare revision.
    const weakNeverMatches = 'a weak entity tag (W/"...") never matches, as If-Match compares strongly (RFC 9110 13.1.1): send the ETag as an answer about the case gives it, and have a proxy that weakens it pass it unchanged';
    for (const [stale, why] of [
      ['"1.0"', `case ${id} changed since that version was read; GET it again`],
      [`W/${v1}`, weakNeverMatches],
      [`W/${v1}, W/"0.0"`, weakNeverMatches],
      [`W/${v1}, "0.0"`, `case ${id} changed since that version was read; GET it again`],
    ] as const) {
      const refused = await patch(id, { facts: { 'http.status': 503 } }, stale);
      expect([refused.statusCode, refused.headers.etag, refused.json().detail]).toEqual([412, v1, `If-Match: expected an entity tag of the case's current version, such as ${v1} (its ETag, in any language or format), got ${stale}: ${why}`]);
    }
    const bare = await patch(id, { facts: { 'http.status': 503 } }, '1');
    expect([bare.statusCode, bare.json().detail]).toEqual([400, 'If-Match: expected * or entity tags in quotes as an ETag gives them ("3.lq2x1k.en"), got string "1", unreadable from character 1']);
    expect((await acme.get(`/v1/cases/${id}`)).json().revision).toBe(1);
    const changed = await patch(id, { facts: { 'http.status': 503 } }, ` , "0.0",, ${v1} ,`);
    const v2 = changed.headers.etag as string;
    expect([changed.statusCode, changed.json().revision, v2.startsWith('"2.')]).toEqual([200, 2, true]);
    // The outcome adds no diagnosis, yet changes the version: the tag read before it no longer holds.
    expect((await resolve(id, v1)).statusCode).toBe(412);
    const resolved = await resolve(id, v2);
    expect([resolved.statusCode, resolved.json().revision, resolved.headers.etag === v2]).toEqual([200, 2, false]);
    expect((await patch(id, { facts: { 'http.status': 502 } }, '*')).statusCode).toBe(200);
    expect((await patch('00000000-0000-4000-8000-000000000000', { facts: {} }, '*')).statusCode).toBe(404);
    // Changes racing in one millisecond each get a version of their own, and the last is the case's.
    const raced = await Promise.all(Array.from({ length: 8 }, (_, n) => app.inject({ method: 'PUT', url: `/v1/cases/${id}/outcome`, headers: { ...json, ...bearer(ACME) }, payload: JSON.stringify({ cause: 'network.icmp_filtered', confirmedBy: `r${n}` }) })));
    const tags = raced.map((r) => r.headers.etag as string);
    expect(new Set(tags).size).toBe(8);
    const last = await acme.get(`/v1/cases/${id}`);
    expect(tags).toContain(last.headers.etag);
    expect(Math.max(...raced.map((r) => Date.parse(r.json().updatedAt)))).toBe(Date.parse(last.json().updatedAt));
  });

  it('gives each representation of a case its own ETag (language, report format), answers 304 only to its own, and takes any of the current version in If-Match', async () => {
    const created = await acme.post({ source: 'jira', externalId: 'ETAG-LANG', facts: ICMP });
    const { id } = created.json();
    // The tag ends with a digest of the similar past incidents when there are some (tenant acme has resolved a case like it when the whole file runs).
    const [, version, similar] = /^"(1\.[0-9a-z]+)\.en(\.s[0-9a-z]{1,10})?"$/.exec(created.headers.etag as string) ?? [];
    expect([version === undefined, similar !== undefined]).toEqual([false, created.json().diagnoses[0].diagnosis.similar.length > 0]);
    const digest = similar ?? '';
    const get = (query: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/v1/cases/${id}${query}`, headers: { ...bearer(ACME), ...headers } });
    const en = `"${version}.en${digest}"`;
    const zh = `"${version}.zh-CN${digest}"`;
    for (const [query, headers, etag, lang] of [
      ['', {}, en, 'en'],
      ['?lang=zh-CN', {}, zh, 'zh-CN'],
      ['', { 'accept-language': 'zh-CN' }, zh, 'zh-CN'],
      ['?lang=zh', { 'accept-language': 'en' }, zh, 'zh-CN'],
      ['?format=html', {}, `"${version}.en.html${digest}"`, 'en'],
      ['?format=text&lang=zh-CN', {}, `"${version}.zh-CN.text${digest}"`, 'zh-CN'],
    ] as const) {
      const answer = await get(query, headers);
      // The answer depends on Accept-Language, so a shared cache keys on it.
      expect([answer.statusCode, answer.headers.etag, answer.headers['content-language'], answer.headers.vary], `${query} ${JSON.stringify(headers)}`).toEqual([200, etag, lang, 'Accept-Language']);
    }
    // A client holding one language's answer gets a 304 for that language only (If-None-Match compares weakly, RFC 9110 13.1.2).
    const enHtml = `"${version}.en.html${digest}"`;
    for (const [query, headers, ifNoneMatch, status, etag] of [
      ['', {}, en, 304, en],
      ['?lang=zh-CN', {}, zh, 304, zh],
      ['', { 'accept-language': 'zh-CN' }, zh, 304, zh],
      ['?lang=zh-CN', {}, en, 200, zh],
      ['', { 'accept-language': 'zh-CN' }, en, 200, zh],
      ['', {}, zh, 200, en],
      ['?format=html', {}, en, 200, enHtml],
      ['', {}, `${zh}, ${en}`, 304, en],
      ['?lang=zh-CN', {}, `W/${zh}`, 304, zh],
    ] as const) {
      const answer = await get(query, { ...headers, 'if-none-match': ifNoneMatch });
      expect([answer.statusCode, answer.headers.etag, answer.headers.vary, answer.statusCode === 304 ? answer.body : answer.headers['content-language']], `${query} ${JSON.stringify(headers)} If-None-Match: ${ifNoneMatch}`).toEqual([status, etag, 'Accept-Language', status === 304 ? '' : etag === zh ? 'zh-CN' : 'en']);
    }
    // If-Match takes the tag of any representation of the current version: the Chinese HTML report's changes the case.
    const patch = (ifMatch: string, status = 503) => app.inject({ method: 'PATCH', url: `/v1/cases/${id}`, headers: { ...json, ...bearer(ACME), 'if-match': ifMatch }, payload: JSON.stringify({ facts: { 'http.status': status } }) });
    const changed = await patch(`"${version}.zh-CN.html${digest}"`);
    const v2 = changed.headers.etag as string;
    expect([changed.statusCode, changed.json().revision, v2]).toEqual([200, 2, expect.stringMatching(/^"2\.[0-9a-z]+\.en(\.s[0-9a-z]{1,10})?"$/)]);
    const current = (/^"(2\.[0-9a-z]+)\./.exec(v2) ?? [])[1] as string;
    // A 412 names the current version as the tag of its English answer, without the digest of similar incidents (which a change is not worth reading them for): If-Match takes it.
    const named = `"${current}.en"`;
    // A tag of the version before, in either language, no longer holds.
    for (const stale of [en, zh, `"${version}.en"`]) {
      const refused = await patch(stale);
      expect([refused.statusCode, refused.headers.etag, refused.json().detail], stale).toEqual([412, named, `If-Match: expected an entity tag of the case's current version, such as ${named} (its ETag, in any language or format), got ${stale}: case ${id} changed since that version was read; GET it again`]);
    }
    // Nor does one of the current version with a language, format or digest never given: not a change of the case, but no tag rca gives.
    for (const [madeUp, part] of [
      [`"${current}.fr"`, '.fr'],
      [`"${current}.zh-CN.json"`, '.zh-CN.json'],
      [`"${current}.en.html.html"`, '.en.html.html'],
      [`"${current}.en.s"`, '.en.s'],
      [`"${current}.en.sABC"`, '.en.sABC'],
      [`"${current}.en.s1.html"`, '.en.s1.html'],
      [`"${current}."`, '.'],
    ] as const) {
      const refused = await patch(madeUp);
      expect([refused.statusCode, refused.headers.etag, refused.json().detail], madeUp).toEqual([
        412,
        named,
        `If-Match: expected an entity tag of the case's current version, such as ${named} (its ETag, in any language or format), got ${madeUp}: ${madeUp} is not an entity tag rca gives: its part after the version, "${part}", is not a language (en or zh-CN) followed, each if any, by a report format (text, markdown, html) and a digest of similar past incidents (.s...); send the ETag as an answer about the case gives it`,
      ]);
    }
    // Among other tags, a stale one is not what is wrong: the made-up one of the current version is named.
    const mixed = await patch(`${en}, "${current}.fr"`);
    expect([mixed.statusCode, mixed.json().detail]).toEqual([412, expect.stringContaining(`got ${en}, "${current}.fr": "${current}.fr" is not an entity tag rca gives: its part after the version, ".fr", is not a language`)]);
    // The bare version, as releases before these tags gave it to every language, still holds.
    const bare = await patch(`"${current}"`, 502);
    expect([bare.statusCode, bare.json().revision]).toEqual([200, 3]);
    const v3 = (await get('?lang=zh-CN&format=markdown')).headers.etag as string;
    expect(v3).toMatch(/^"3\.[0-9a-z]+\.zh-CN\.markdown(\.s[0-9a-z]{1,10})?"$/);
    expect((await acme.delete(id, { 'if-match': v3 })).statusCode).toBe(204);
  });

  it("a case's ETag changes with its similar past incidents, which other cases change: no stale 304; If-Match takes the tag of the version whichever incidents it showed", async () => {
    const wayne = as(WAYNE);
    const get = (id: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: { ...bearer(WAYNE), ...headers } });
    const similarOf = (answer: { json: () => { diagnoses: Array<{ diagnosis: { similar: Array<{ id: string; note?: string }> } }> } }) => answer.json().diagnoses.at(-1)?.diagnosis.similar.map((c) => [c.id, c.note]);
    const { id } = (await wayne.post({ source: 'jira', externalId: 'SIM-ETAG', facts: ICMP })).json();
    const alone = await get(id);
    const [, version] = /^"(1\.[0-9a-z]+)\.en"$/.exec(alone.headers.etag as string) ?? [];
    expect([version === undefined, similarOf(alone)]).toEqual([false, []]);
    expect((await get(id, { 'if-none-match': alone.headers.etag as string })).statusCode).toBe(304);
    // Another case like it is resolved: this one is as it was, but its answer now names that one, so its tag is another.
    const other = (await wayne.post({ source: 'jira', externalId: 'SIM-ETAG-PAST', facts: ICMP })).json();
    await wayne.outcome(other.id, { cause: 'network.icmp_filtered', note: 'the firewall', confirmedBy: 'ana' });
    const named = await get(id);
    const withPast = named.headers.etag as string;
    expect([named.statusCode, named.json().revision, similarOf(named), withPast]).toEqual([200, 1, [[other.id, 'the firewall']], expect.stringMatching(new RegExp(`^"${version}\\.en\\.s[0-9a-z]{1,10}"$`))]);
    const stale = await get(id, { 'if-none-match': alone.headers.etag as string });
    expect([stale.statusCode, stale.headers.etag, similarOf(stale)]).toEqual([200, withPast, [[other.id, 'the firewall']]]);
    expect((await get(id, { 'if-none-match': withPast })).statusCode).toBe(304);
    // Each representation carries the digest: the Chinese HTML report lists the same incidents.
    const digest = withPast.slice(`"${version}.en`.length, -1);
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${id}?lang=zh-CN&format=html`, headers: bearer(WAYNE) })).headers.etag).toBe(`"${version}.zh-CN.html${digest}"`);
    // The past case resolved again with another note: the incidents say it, and the tag changes again.
    await wayne.outcome(other.id, { cause: 'network.icmp_filtered', note: 'the firewall, again', confirmedBy: 'ana' });
    const renoted = await get(id, { 'if-none-match': withPast });
    expect([renoted.statusCode, similarOf(renoted), [alone.headers.etag, withPast].includes(renoted.headers.etag as string)]).toEqual([200, [[other.id, 'the firewall, again']], false]);
    // If-Match compares the version: the tag from before the past case was resolved changes the case, and so does the current answer's then.
    const patch = (ifMatch: string, status: number) => app.inject({ method: 'PATCH', url: `/v1/cases/${id}`, headers: { ...json, ...bearer(WAYNE), 'if-match': ifMatch }, payload: JSON.stringify({ facts: { 'http.status': status } }) });
    const first = await patch(alone.headers.etag as string, 503);
    expect([first.statusCode, first.json().revision, first.headers.etag]).toEqual([200, 2, expect.stringMatching(/^"2\.[0-9a-z]+\.en\.s[0-9a-z]{1,10}"$/)]);
    const second = await patch(first.headers.etag as string, 502);
    expect([second.statusCode, second.json().revision]).toEqual([200, 3]);
    // And one of an older version with the same incidents does not.
    expect((await patch(first.headers.etag as string, 504)).statusCode).toBe(412);
  });

  it('a NUL or another control character in a case id or a filter is no case (404) or a refused parameter (400), never a 500', async () => {
    for (const url of ['/v1/cases/%00', '/v1/cases/a%00b', '/v1/cases/not-a-uuid']) expect((await acme.get(url)).statusCode, url).toBe(404);
    expect((await acme.patch('a%00b', { facts: { 'ping.result': 'ok' } })).statusCode).toBe(404);
    for (const parameter of ['source', 'externalId', 'cause', 'hypothesis']) {
      const answer = await acme.get(`/v1/cases?${parameter}=a%00b`);
      expect([answer.statusCode, answer.json().errors], parameter).toEqual([400, [{ parameter, expected: 'one line of text without control characters', got: 'string "a\\u0000b"' }]]);
    }
    expect((await acme.get('/v1/cases?cursor=%00')).statusCode).toBe(400);
  });

  it('a case id in upper case names the same case (a UUID, RFC 9562): every route finds it, as another tenant still does not', async () => {
    const krusty = as(KRUSTY);
    const id = (await krusty.post({ source: 'jira', externalId: 'UPPER-1', facts: ICMP })).json().id as string;
    const upper = id.toUpperCase();
    expect((await krusty.get(`/v1/cases/${upper}`)).json()).toMatchObject({ id, revision: 1 });
    expect((await krusty.patch(upper, { summary: 'from a system that keeps UUIDs in upper case' })).json()).toMatchObject({ id, revision: 2 });
    expect((await krusty.outcome(upper, { cause: 'network.icmp_filtered', confirmedBy: 'ana' })).json()).toMatchObject({ id, status: 'resolved' });
    expect((await krusty.withdraw(upper)).json()).toMatchObject({ id, status: 'open' });
    expect((await acme.get(`/v1/cases/${upper}`)).statusCode).toBe(404);
    expect((await acme.delete(upper)).statusCode).toBe(404);
    expect((await krusty.delete(upper)).statusCode).toBe(204);
    expect((await krusty.get(`/v1/cases/${id}`)).statusCode).toBe(404);
  });

  it('PATCH that changes nothing adds no revision: the same facts again, nested or flat, and the same summary', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'SAME-1', summary: 'flaky', facts: { 'tcp.connect': 'ok', 'ping.result': 'fail' } })).json();
    for (const payload of [{ facts: { 'ping.result': 'fail' } }, { facts: { tcp: { connect: 'ok' } }, summary: 'flaky' }]) {
      const again = await acme.patch(id, payload);
      expect(again.statusCode).toBe(200);
      expect({ revision: again.json().revision, diagnoses: again.json().diagnoses.length }).toEqual({ revision: 1, diagnoses: 1 });
    }
    // A real change still makes one.
    expect((await acme.patch(id, { facts: { 'ping.result': 'ok' } })).json().revision).toBe(2);
  });

  it('PATCH facts is a JSON Merge Patch (RFC 7396): null removes a fact (flat, nested, or a whole group), a fact not named stays, and the case is diagnosed without it', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'MERGE-1', facts: { ...ICMP, 'tcp.connect_ms': 12, 'http.status': 503 } })).json();
    const removed = await acme.patch(id, { facts: { 'tcp.connect': null } });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ revision: 2, facts: { 'ping.result': 'fail', 'tcp.connect_ms': 12, 'http.status': 503 } });
    expect(Object.keys(removed.json().facts).sort()).toEqual(['http.status', 'ping.result', 'tcp.connect_ms']);
    expect(removed.json().diagnoses[1].diagnosis.facts).toEqual({ 'ping.result': 'fail', 'tcp.connect_ms': 12, 'http.status': 503 });
    const nested = (await acme.patch(id, { facts: { http: { status: null }, tcp: { connect: 'ok' } } })).json();
    expect(nested.facts).toEqual({ 'ping.result': 'fail', 'tcp.connect_ms': 12, 'tcp.connect': 'ok' });
    // As the nested form writes it, {"tcp": null} is the whole tcp object: every tcp.* fact. Removals apply before the facts set.
    const group = (await acme.patch(id, { facts: { tcp: null, 'tcp.rst_seen': true } })).json();
    expect({ revision: group.revision, facts: group.facts }).toEqual({ revision: 4, facts: { 'ping.result': 'fail', 'tcp.rst_seen': true } });
    expect((await acme.get(`/v1/cases/${id}`)).json().facts).toEqual(group.facts);
    // A removed fact that an artifact of the case gives is the artifact's again.
    const withPing = (await acme.post({ source: 'jira', externalId: 'MERGE-3', facts: { 'ping.result': 'fail' }, artifacts: [PING_ARTIFACT] })).json();
    expect(withPing.diagnoses[0].diagnosis.facts['ping.result']).toBe('fail');
    const fromArtifact = (await acme.patch(withPing.id, { facts: { 'ping.result': null } })).json();
    expect({ facts: fromArtifact.facts, used: fromArtifact.diagnoses[1].diagnosis.facts['ping.result'], warnings: fromArtifact.diagnoses[1].diagnosis.warnings }).toEqual({ facts: {}, used: 'partial_loss', warnings: [] });
  });

  it('PATCH summary is merge-patched as the facts are: null removes it (a new revision), absent leaves it, another type is a 400 naming both it takes', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'SUMMARY-1', summary: 'checkout slow', facts: ICMP })).json();
    const kept = (await acme.patch(id, { facts: { 'http.status': 503 } })).json();
    expect({ revision: kept.revision, summary: kept.summary }).toEqual({ revision: 2, summary: 'checkout slow' });
    const cleared = await acme.patch(id, { summary: null });
    expect([cleared.statusCode, cleared.json().revision, cleared.json().summary, cleared.json().diagnoses.at(-1).diagnosis.summary]).toEqual([200, 3, null, null]);
    expect((await acme.get(`/v1/cases/${id}`)).json().summary).toBeNull();
    // Removing a summary the case no longer has changes nothing: no revision.
    expect((await acme.patch(id, { summary: null })).json().revision).toBe(3);
    const wrong = await acme.patch(id, { summary: 5 });
    expect([wrong.statusCode, wrong.json().errors]).toEqual([400, [{ pointer: '/summary', expected: 'string or null', got: 'number 5' }]]);
    expect((await acme.patch(id, { summary: 'checkout slow again' })).json()).toMatchObject({ revision: 4, summary: 'checkout slow again' });
  });

  it('PATCH takes its merge patch as application/merge-patch+json (RFC 7396) as well as application/json; no other route does', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'MERGE-TYPE-1', facts: ICMP })).json();
    const send = (method: 'POST' | 'PATCH', url: string, contentType: string, payload: unknown) => app.inject({ method, url, headers: { ...bearer(ACME), 'content-type': contentType }, payload: JSON.stringify(payload) });
    const patched = await send('PATCH', `/v1/cases/${id}`, 'application/merge-patch+json', { facts: { 'tcp.connect': null } });
    expect([patched.statusCode, patched.json().facts]).toEqual([200, { 'ping.result': 'fail' }]);
    const withCharset = await send('PATCH', `/v1/cases/${id}`, 'Application/Merge-Patch+JSON; charset=utf-8', { summary: 'checkout down' });
    expect([withCharset.statusCode, withCharset.json().summary]).toEqual([200, 'checkout down']);
    const refused = (res: Awaited<ReturnType<typeof send>>) => [res.statusCode, res.json().type, res.json().detail];
    expect(refused(await send('PATCH', `/v1/cases/${id}`, 'application/merge-patch+json; charset=latin1', {}))).toEqual([415, 'https://rca.local/problems/unsupported-media-type', 'expected Content-Type application/merge-patch+json in UTF-8, got application/merge-patch+json; charset=latin1']);
    expect(refused(await send('PATCH', `/v1/cases/${id}`, 'text/plain', {}))).toEqual([415, 'https://rca.local/problems/unsupported-media-type', 'expected Content-Type application/json or application/merge-patch+json, got text/plain']);
    expect(refused(await send('POST', '/v1/cases', 'application/merge-patch+json', { source: 'jira', externalId: 'MERGE-TYPE-2' }))).toEqual([415, 'https://rca.local/problems/unsupported-media-type', 'expected Content-Type application/json, got application/merge-patch+json']);
    // The title is true of every 415, a PATCH's merge patch refused included (it said "must be application/json").
    expect((await send('PATCH', `/v1/cases/${id}`, 'text/plain', {})).json().title).toBe('The route does not read a body of this Content-Type or Content-Encoding');
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths['/v1/cases/{id}'].patch.requestBody.content)).toEqual(['application/json', 'application/merge-patch+json']);
    expect(Object.keys(doc.paths['/v1/cases'].post.requestBody.content)).toEqual(['application/json']);
  });

  it('PATCH refuses a removal of a fact that does not exist, and a fact both removed and set, naming each; the case is left as it was', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'MERGE-2', facts: ICMP })).json();
    const typo = await acme.patch(id, { facts: { 'tcp.conect': null } });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors).toEqual([{ pointer: '/facts/tcp.conect', expected: 'a known fact name (did you mean "tcp.connect"?)', got: 'unknown fact "tcp.conect"' }]);
    const both = await acme.patch(id, { facts: { 'tcp.connect': 'refused', tcp: { connect: null } } });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([{ pointer: '/facts/tcp.connect', expected: 'one value per fact', got: 'both string "refused" and null (flat and nested)' }]);
    expect((await acme.get(`/v1/cases/${id}`)).json()).toMatchObject({ revision: 1, facts: ICMP });
  });

  it('refuses bad changes naming the field: an unknown fact, an artifact that does not parse, too many artifacts', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'OPS-3' })).json();
    const unknown = await acme.patch(id, { facts: { 'ping.reslt': 'fail' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ pointer: '/facts/ping.reslt', expected: 'a known fact name (did you mean "ping.result"?)' });
    const garbage = await acme.patch(id, { artifacts: [{ kind: 'ping', text: 'hello' }] });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().errors[0].pointer).toBe('/artifacts/0/text');
    const noSource = await acme.post({ externalId: 'X' });
    expect(noSource.json().errors).toEqual([{ pointer: '/source', expected: 'property "source"', got: 'nothing' }]);
    // Every problem at once, the fields' and the facts', in the order of the body's fields.
    const ONE_LINE = 'one line of text without control characters';
    const everything = await acme.post({ facts: { 'ping.reslt': 'fail', 'tcp.connect': 7 }, summary: 5, externalId: 'X\n', source: 'jira' });
    expect(everything.json().errors).toEqual([
      { pointer: '/externalId', expected: ONE_LINE, got: 'string "X\\n"' },
      { pointer: '/summary', expected: 'string', got: 'number 5' },
      { pointer: '/facts/ping.reslt', expected: 'a known fact name (did you mean "ping.result"?)', got: 'unknown fact "ping.reslt"' },
      { pointer: '/facts/tcp.connect', expected: 'one of "ok", "refused", "timeout", "reset"', got: 'number 7' },
    ]);
    const patched = await acme.patch(id, { facts: { 'ping.reslt': null }, summary: 5 });
    expect(patched.json().errors).toEqual([
      { pointer: '/summary', expected: 'string or null', got: 'number 5' },
      { pointer: '/facts/ping.reslt', expected: 'a known fact name (did you mean "ping.result"?)', got: 'unknown fact "ping.reslt"' },
    ]);
    await acme.patch(id, { artifacts: Array.from({ length: 20 }, () => PING_ARTIFACT) });
    const over = await acme.patch(id, { artifacts: [PING_ARTIFACT] });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors).toEqual([{ pointer: '/artifacts', expected: 'no more artifacts (a case keeps 20, this one has 20)', got: '1 artifact' }]);
    expect((await acme.get(`/v1/cases/${id}`)).json().revision).toBe(2);
  });

  it('PUT /outcome records the confirmed cause and resolves the case; a cause the KB does not know must be "other" with text', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'OPS-4', facts: ICMP })).json();
    const resolved = await acme.outcome(id, { cause: 'network.icmp_filtered', note: 'firewall drops ICMP', confirmedBy: 'ana' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: { cause: 'network.icmp_filtered', note: 'firewall drops ICMP', confirmedBy: 'ana' } });
    expect(resolved.json().outcome.confirmedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const unknown = await acme.outcome(id, { cause: 'dns.nope', confirmedBy: 'ana' });
    expect(unknown.json().errors).toEqual([{ pointer: '/cause', expected: 'a hypothesis id of the knowledge base (GET /v1/hypotheses) or "other"', got: 'string "dns.nope"' }]);
    const typo = await acme.outcome(id, { cause: 'network.icmp_filterd', confirmedBy: 'ana' });
    expect(typo.json().errors).toEqual([{ pointer: '/cause', expected: 'a hypothesis id of the knowledge base (GET /v1/hypotheses) or "other" (did you mean "network.icmp_filtered"?)', got: 'string "network.icmp_filterd"' }]);
    const bare = await acme.outcome(id, { cause: 'other', confirmedBy: 'ana' });
    expect(bare.json().errors).toEqual([{ pointer: '/text', expected: 'the cause in words when cause is "other"', got: 'nothing' }]);
    const other = await acme.outcome(id, { cause: 'other', text: 'a cable', confirmedBy: 'bo' });
    expect(other.json().outcome).toMatchObject({ cause: 'other', text: 'a cable', confirmedBy: 'bo' });
  });

  it('PUT /outcome with the outcome the case holds changes nothing: the same answer and ETag, its confirmedAt kept, so another syncer\'s If-Match still holds', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'OUT-SAME', facts: ICMP })).json();
    const first = await acme.outcome(id, { cause: 'network.icmp_filtered', note: 'firewall', confirmedBy: 'ana' });
    const tag = first.headers.etag as string;
    // The same outcome, its keys in another order; then under the tag another syncer read.
    for (const headers of [{}, { 'if-match': tag }] as Array<Record<string, string>>) {
      const again = await acme.outcome(id, { confirmedBy: 'ana', note: 'firewall', cause: 'network.icmp_filtered' }, headers);
      expect([again.statusCode, again.headers.etag, again.json()]).toEqual([200, tag, first.json()]);
    }
    const synced = await app.inject({ method: 'PATCH', url: `/v1/cases/${id}`, headers: { ...json, ...bearer(ACME), 'if-match': tag }, payload: JSON.stringify({ facts: { 'http.status': 503 } }) });
    expect([synced.statusCode, synced.json().outcome]).toEqual([200, first.json().outcome]);
    // Another note, or no note, is another outcome: confirmed anew.
    for (const outcome of [{ cause: 'network.icmp_filtered', note: 'the firewall drops ICMP', confirmedBy: 'ana' }, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }]) {
      const before = (await acme.get(`/v1/cases/${id}`)).json();
      const changed = await acme.outcome(id, outcome);
      expect(changed.json().outcome).toEqual({ ...outcome, confirmedAt: expect.any(String) });
      // Confirmed now (in the same millisecond as the change before, at the soonest); a version of its own all the same.
      expect(Date.parse(changed.json().outcome.confirmedAt)).toBeGreaterThanOrEqual(Date.parse(before.outcome.confirmedAt));
      expect([Date.parse(changed.json().updatedAt) > Date.parse(before.updatedAt), changed.headers.etag === tag]).toEqual([true, false]);
    }
  });

  it('DELETE /outcome withdraws a cause recorded by mistake: the case is open again (If-Match honoured), out of similar past incidents and GET /v1/stats until a cause is put again', async () => {
    const stark = as(STARK);
    const created = await stark.post({ source: 'mistake', externalId: 'M-1', facts: ICMP });
    const { id } = created.json();
    const resolved = await stark.outcome(id, { cause: 'network.icmp_filtered', note: 'wrong ticket', confirmedBy: 'ana' });
    const open = (await stark.post({ source: 'mistake', externalId: 'M-open', facts: ICMP })).json();
    const similarIds = async (caseId: string) => (await stark.get(`/v1/cases/${caseId}`)).json().diagnoses.at(-1).diagnosis.similar.map((c: { id: string }) => c.id);
    expect(await similarIds(open.id)).toEqual([id]);
    expect((await stark.get('/v1/stats')).json()).toMatchObject({ cases: 1, top1: 1 });
    // The tag from before the cause was recorded is stale: 412 naming the current version, and the case stays resolved.
    const stale = await stark.withdraw(id, { 'if-match': created.headers.etag as string });
    expect([stale.statusCode, stale.json().type, stale.headers.etag]).toEqual([412, 'https://rca.local/problems/precondition-failed', resolved.headers.etag]);
    expect((await stark.get(`/v1/cases/${id}`)).json().status).toBe('resolved');
    const withdrawn = await stark.withdraw(id, { 'if-match': resolved.headers.etag as string });
    expect(withdrawn.statusCode).toBe(200);
    expect(validator('case.schema.json')(withdrawn.json())).toBe(true);
    expect(withdrawn.json()).toMatchObject({ id, status: 'open', outcome: null, revision: 1 });
    expect(withdrawn.json().diagnoses).toEqual(resolved.json().diagnoses);
    expect(withdrawn.headers.etag).not.toBe(resolved.headers.etag);
    expect((await stark.get(`/v1/cases/${id}`)).headers.etag).toBe(withdrawn.headers.etag);
    expect(await similarIds(open.id)).toEqual([]);
    expect((await stark.get('/v1/stats')).json()).toMatchObject({ cases: 0, top1: null, perHypothesis: [] });
    expect((await stark.get('/v1/cases?status=resolved')).json().items).toEqual([]);
    expect((await stark.get('/v1/cases?status=open&limit=100')).json().items.map((c: { id: string; confirmedCause: string | null }) => [c.id, c.confirmedCause])).toContainEqual([id, null]);
    // Nothing to withdraw a second time; no case, or another tenant's, is no case.
    const again = await stark.withdraw(id);
    expect([again.statusCode, again.json().type, again.json().detail]).toEqual([404, 'https://rca.local/problems/not-found', `case ${id} has no confirmed cause to withdraw: it is open (PUT /v1/cases/${id}/outcome records one)`]);
    for (const answer of [await acme.withdraw(id), await stark.withdraw('00000000-0000-4000-8000-000000000000')]) expect(answer.statusCode).toBe(404);
    expect((await acme.withdraw(id)).json().detail).toBe(`no case "${id}"`);
    // Changed while open, then resolved again: similar and counted again, with the diagnosis it has then.
    expect((await stark.patch(id, { facts: { 'http.status': 503 } })).json()).toMatchObject({ status: 'open', revision: 2 });
    expect(await similarIds(open.id)).toEqual([]);
    await stark.outcome(id, { cause: 'network.packet_loss', confirmedBy: 'bo' });
    expect(await similarIds(open.id)).toEqual([id]);
    expect((await stark.get('/v1/stats')).json()).toMatchObject({ cases: 1, top1: 0 });
  });

  it('GET /v1/cases filters and pages with a cursor, newest first; a bad limit or cursor is a 400 naming the parameter', async () => {
    const ids: string[] = [];
    // More than 10, so that an order of the seq as text (10 < 9) would show.
    for (let i = 0; i < 12; i++) ids.push((await acme.post({ source: 'paging', externalId: `P-${i}`, facts: ICMP })).json().id);
    const seen: string[] = [];
    let url = '/v1/cases?source=paging&limit=2';
    for (let page = 0; page < 7; page++) {
      const answer = (await acme.get(url)).json();
      expect(validator('case-list.schema.json')(answer)).toBe(true);
      seen.push(...answer.items.map((c: { id: string }) => c.id));
      if (answer.next === null) break;
      url = `/v1/cases?source=paging&limit=2&cursor=${answer.next}`;
    }
    expect(seen).toEqual([...ids].reverse());
    const open = (await acme.get('/v1/cases?source=paging&status=open&hypothesis=network.icmp_filtered&limit=100')).json();
    expect(open.items).toHaveLength(12);
    expect(open.items[0]).toMatchObject({ externalId: 'P-11', topHypothesis: 'network.icmp_filtered', confirmedCause: null, status: 'open' });
    expect((await acme.get('/v1/cases?source=paging&status=resolved')).json()).toEqual({ items: [], next: null });
    const badLimit = await acme.get('/v1/cases?limit=0');
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json()).toMatchObject({ type: 'https://rca.local/problems/invalid-query', errors: [{ parameter: 'limit', expected: 'a whole number from 1 to 100', got: 'string "0"' }] });
    for (const limit of ['101', '1.5', '-1', 'ten', '1e1', '00000000000000000000001000']) {
      expect((await acme.get(`/v1/cases?limit=${limit}`)).json().errors, limit).toEqual([{ parameter: 'limit', expected: 'a whole number from 1 to 100', got: `string "${limit}"` }]);
    }
    expect((await acme.get('/v1/cases?source=paging&limit=007')).json().items).toHaveLength(7);
    // The OpenAPI document types it as the check reads it: one schema for both.
    const { parameters } = (await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths['/v1/cases'].get;
    expect(parameters.find((p: { name: string }) => p.name === 'limit')).toEqual({ schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, in: 'query', name: 'limit', required: false, description: 'Cases per page' });
    const badCursor = await acme.get('/v1/cases?cursor=abc');
    expect(badCursor.json().errors).toEqual([{ parameter: 'cursor', expected: 'the `next` of an earlier page', got: '"abc"' }]);
    // A cursor names the tenant's own case, never a number shared by every tenant, and the list's filters; another tenant's is refused.
    const first = (await acme.get('/v1/cases?source=paging&limit=2')).json();
    expect(JSON.parse(Buffer.from(first.next, 'base64url').toString())).toEqual({ after: ids[10], filters: { source: 'paging' } });
    const foreign = await as(GLOBEX).get(`/v1/cases?source=paging&limit=2&cursor=${first.next}`);
    expect([foreign.statusCode, foreign.json().errors]).toEqual([400, [{ parameter: 'cursor', expected: 'the `next` of an earlier page of your cases', got: 'a cursor naming no case of yours' }]]);
    // The tenant's own cursor, its id in capitals, pages the same; so does one of an earlier release, which kept no filters.
    const upper = Buffer.from(JSON.stringify({ after: ids[10]?.toUpperCase(), filters: { source: 'paging' } })).toString('base64url');
    const unfiltered = Buffer.from(`after:${ids[10]?.toUpperCase()}`).toString('base64url');
    for (const cursor of [upper, unfiltered]) expect((await acme.get(`/v1/cases?source=paging&limit=2&cursor=${cursor}`)).json().items.map((c: { id: string }) => c.id)).toEqual([ids[9], ids[8]]);
  });

  it('a query string that is not percent-encoded UTF-8 is a 400 naming the parameter, never a list by the text as it came', async () => {
    const { id } = (await acme.post({ source: '%zz', externalId: 'PCT-1', facts: ICMP })).json();
    const expected = 'percent-encoded UTF-8 (RFC 3986: each byte outside the plain characters as % and two hex digits)';
    for (const [query, parameter, got] of [
      ['source=%zz', 'source', '"%zz"'],
      ['source=%C3%28', 'source', '"%C3%28"'],
      ['status=open&source=%zz&limit=5', 'source', '"%zz"'],
      ['limit=%zz', 'limit', '"%zz"'],
      ['%zz=1', '%zz', '"%zz"'],
      ['a+%E0=1', 'a %E0', '"a+%E0"'],
    ]) {
      const answer = await acme.get(`/v1/cases?${query}`);
      expect([answer.statusCode, answer.json().type, answer.json().detail, answer.json().errors], query).toEqual([400, 'https://rca.local/problems/invalid-query', `${parameter}: expected ${expected}, got ${got}`, [{ parameter, expected, got }]]);
    }
    // Problems of the parameters that decode are said too.
    expect((await acme.get('/v1/cases?source=%zz&limit=0')).json().errors).toEqual([{ parameter: 'source', expected, got: '"%zz"' }, { parameter: 'limit', expected: 'a whole number from 1 to 100', got: 'string "0"' }]);
    // Encoded as it should be, the same text finds the case.
    expect((await acme.get('/v1/cases?source=%25zz')).json().items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it("a cursor pages on the list it came from: a query naming other filters with it is a 400 naming each parameter, never another list's page", async () => {
    for (let i = 0; i < 3; i++) for (const source of ['bound-zendesk', 'bound-jira']) await acme.post({ source, externalId: `B-${i}`, facts: ICMP });
    const first = (await acme.get('/v1/cases?source=bound-zendesk&status=open&limit=1')).json();
    const refused = async (query: string) => {
      const answer = await acme.get(`/v1/cases?${query}&cursor=${first.next}`);
      expect([answer.statusCode, answer.json().type], query).toEqual([400, 'https://rca.local/problems/invalid-query']);
      return { detail: answer.json().detail, errors: answer.json().errors };
    };
    expect(await refused('source=bound-jira&status=open')).toEqual({
      detail: 'source: expected "bound-zendesk", the source of the list the cursor pages on (a list by another starts without a cursor), got "bound-jira"',
      errors: [{ parameter: 'source', expected: '"bound-zendesk", the source of the list the cursor pages on (a list by another starts without a cursor)', got: '"bound-jira"' }],
    });
    // A filter left out, and one added, each named.
    expect((await refused('status=open&hypothesis=network.icmp_filtered')).errors).toEqual([
      { parameter: 'source', expected: '"bound-zendesk", the source of the list the cursor pages on (a list by another starts without a cursor)', got: 'nothing' },
      { parameter: 'hypothesis', expected: 'no hypothesis, as the list the cursor pages on has none (a list by hypothesis starts without a cursor)', got: '"network.icmp_filtered"' },
    ]);
    // The same filters in another order, and another page size, page on.
    const next = await acme.get(`/v1/cases?status=open&limit=5&cursor=${first.next}&source=bound-zendesk`);
    expect([next.statusCode, next.json().items.map((c: { externalId: string }) => c.externalId), next.json().next]).toEqual([200, ['B-1', 'B-0'], null]);
    // A cursor that is JSON but not one a page gives is no cursor; so is one naming a filter there is none of.
    const made = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const after = JSON.parse(Buffer.from(first.next, 'base64url').toString()).after;
    for (const cursor of [made({ after }), made({ after, filters: { tenant: 'globex' } }), made({ after, filters: { source: 5 } }), made({ after, filters: [] }), made({ after: 'x', filters: {} }), made([after, {}])]) {
      const answer = await acme.get(`/v1/cases?cursor=${cursor}`);
      expect([answer.statusCode, answer.json().errors], cursor).toEqual([400, [{ parameter: 'cursor', expected: 'the `next` of an earlier page', got: JSON.stringify(cursor.slice(0, 60)) }]]);
    }
  });

  it('a cursor naming a case deleted since pages on from where that case was; a cursor of another tenant naming a deleted case is still a 400', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await acme.post({ source: 'paging-deleted', externalId: `PD-${i}`, facts: ICMP })).json().id);
    const first = (await acme.get('/v1/cases?source=paging-deleted&limit=2')).json();
    expect(first.items.map((c: { id: string }) => c.id)).toEqual([ids[4], ids[3]]);
    // The case the cursor names, and the one after it, deleted between two pages.
    expect((await acme.delete(ids[3] as string)).statusCode).toBe(204);
    expect((await acme.delete(ids[2] as string)).statusCode).toBe(204);
    const next = await acme.get(`/v1/cases?source=paging-deleted&limit=2&cursor=${first.next}`);
    expect([next.statusCode, next.json().items.map((c: { id: string }) => c.id), next.json().next]).toEqual([200, [ids[1], ids[0]], null]);
    // The tombstone is the tenant's own: to another tenant the cursor names nothing, as a made-up one does.
    const foreign = await globex.get(`/v1/cases?source=paging-deleted&limit=2&cursor=${first.next}`);
    expect([foreign.statusCode, foreign.json().errors]).toEqual([400, [{ parameter: 'cursor', expected: 'the `next` of an earlier page of your cases', got: 'a cursor naming no case of yours' }]]);
    const madeUp = await acme.get(`/v1/cases?limit=2&cursor=${Buffer.from('after:00000000-0000-4000-8000-000000000000').toString('base64url')}`);
    expect([madeUp.statusCode, madeUp.json().errors]).toEqual([400, [{ parameter: 'cursor', expected: 'the `next` of an earlier page of your cases', got: 'a cursor naming no case of yours' }]]);
  });

  it("another tenant's case is a 404 on every case route, exactly as one that does not exist", async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'SECRET-1', facts: ICMP })).json();
    const answers = [
      await globex.get(`/v1/cases/${id}`),
      await globex.patch(id, { facts: { 'http.status': 503 } }),
      await globex.outcome(id, { cause: 'network.icmp_filtered', confirmedBy: 'mallory' }),
      await globex.delete(id),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(404);
      expect(isProblem(answer.json(), 404)).toBe(true);
      expect(answer.json().detail).toBe(`no case "${id}"`);
    }
    const missing = await acme.get('/v1/cases/00000000-0000-4000-8000-000000000000');
    expect({ status: missing.statusCode, detail: missing.json().detail }).toEqual({ status: 404, detail: 'no case "00000000-0000-4000-8000-000000000000"' });
    expect((await globex.get('/v1/cases?externalId=SECRET-1')).json()).toEqual({ items: [], next: null });
    // The same ticket key is another case in another tenant.
    const theirs = await globex.post({ source: 'jira', externalId: 'SECRET-1' });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(id);
    const mine = (await acme.get(`/v1/cases/${id}`)).json();
    expect({ revision: mine.revision, status: mine.status }).toEqual({ revision: 1, status: 'open' });
  });

  it("a case's latest diagnosis lists the tenant's resolved cases most like it, with cause, note and similarity, in the report too", async () => {
    const past = (await initech.post({ source: 'similar', externalId: 'S-1', facts: { ...ICMP, 'path.via_lb': true } })).json();
    await initech.outcome(past.id, { cause: 'network.icmp_filtered', note: 'the firewall drops ICMP; use TCP probes', confirmedBy: 'ana' });
    const unrelated = (await initech.post({ source: 'similar', externalId: 'S-2', facts: { 'http.status': 503, 'lb.backend_health': 'all_unhealthy' } })).json();
    await initech.outcome(unrelated.id, { cause: 'other', text: 'a cable', confirmedBy: 'bo' });
    await initech.post({ source: 'similar', externalId: 'S-open', facts: ICMP });
    const next = (await initech.post({ source: 'similar', externalId: 'S-3', facts: ICMP })).json();
    const similar = next.diagnoses.at(-1).diagnosis.similar;
    expect(similar[0]).toEqual({ id: past.id, source: 'similar', externalId: 'S-1', cause: 'network.icmp_filtered', note: 'the firewall drops ICMP; use TCP probes', similarity: expect.any(Number) });
    expect(similar[0].similarity).toBeGreaterThan(0.5);
    expect(similar.map((c: { externalId: string }) => c.externalId)).not.toContain('S-open');
    expect(similar.map((c: { externalId: string }) => c.externalId)).not.toContain('S-3');
    // Only the latest diagnosis carries them; another tenant never sees this one's.
    expect(next.diagnoses[0].diagnosis.similar).toEqual(similar);
    const theirs = (await globex.post({ source: 'similar', externalId: 'S-3', facts: ICMP })).json();
    expect(theirs.diagnoses.at(-1).diagnosis.similar).toEqual([]);
    const markdown = (await initech.get(`/v1/cases/${next.id}?format=markdown`)).json().report as string;
    expect(markdown).toContain(`#### Similar past incidents\n\n- similar \`S-1\`: \`network.icmp_filtered\`, similarity ${Math.round(similar[0].similarity * 100)}%: the firewall drops ICMP; use TCP probes\n`);
    const text = (await initech.get(`/v1/cases/${next.id}?format=text`)).json().report as string;
    expect(text).toContain(`Similar past incidents\n  ${Math.round(similar[0].similarity * 100)}%  similar S-1: network.icmp_filtered - the firewall drops ICMP; use TCP probes\n`);
    const html = (await initech.get(`/v1/cases/${next.id}?format=html`)).json().report as string;
    expect(html).toContain('<h2>Similar past incidents</h2><ul><li>similar <code>S-1</code>: <code>network.icmp_filtered</code>');
    expect((await initech.get(`/v1/cases/${next.id}?format=pdf`)).statusCode).toBe(400);
  });

  it("GET /v1/stats judges the tenant's resolved cases by their confirmed causes, and only that tenant's", async () => {
    const umbrella = as(UMBRELLA);
    const right = (await umbrella.post({ source: 'stats', externalId: 'T-1', facts: ICMP })).json();
    await umbrella.outcome(right.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' });
    const wrong = (await umbrella.post({ source: 'stats', externalId: 'T-2', facts: ICMP })).json();
    await umbrella.outcome(wrong.id, { cause: 'network.packet_loss', confirmedBy: 'ana' });
    await umbrella.post({ source: 'stats', externalId: 'T-open', facts: ICMP });
    const stats = (await umbrella.get('/v1/stats')).json();
    expect(validator('case-stats.schema.json')(stats)).toBe(true);
    expect({ cases: stats.cases, top1: stats.top1 }).toEqual({ cases: 2, top1: 0.5 });
    expect(stats.byKb).toEqual([{ version: '1.0.0', hash: expect.stringMatching(/^sha256:/), cases: 2, top1: 0.5, top3: 0.5 }]);
    expect(stats.perRule).toEqual([{ rule: 'icmp_only', fired: 2, confirmed: 1, precision: 0.5 }]);
    expect((await as(GLOBEX).get('/v1/stats')).json().cases).toBe(0);
    // A ticket updated after its cause was confirmed is diagnosed again, and still counts with the diagnosis it had then.
    const late = await umbrella.patch(right.id, { facts: { 'ping.result': 'ok', 'tcp.connect': 'timeout' } });
    expect([late.statusCode, late.json().status, late.json().outcome.cause, late.json().diagnoses.at(-1).diagnosis.hypotheses[0]?.id === 'network.icmp_filtered']).toEqual([200, 'resolved', 'network.icmp_filtered', false]);
    expect((await umbrella.get('/v1/stats')).json()).toEqual(stats);
  });

  it('DELETE /v1/cases/:id removes the case: 204 without a body, then GET and another DELETE are 404, and the list no longer has it', async () => {
    const { id } = (await acme.post({ source: 'jira', externalId: 'DEL-1', summary: 'pasted a password', facts: ICMP, artifacts: [PING_ARTIFACT] })).json();
    await acme.patch(id, { facts: { 'http.status': 503 } });
    expect((await acme.get('/v1/cases?externalId=DEL-1')).json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    // A case is JSON only; its deletion answers no body, which no Accept can refuse.
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: { ...bearer(ACME), accept: 'text/html' } })).statusCode).toBe(406);
    const deleted = await acme.delete(id, { accept: 'text/html' });
    expect([deleted.statusCode, deleted.body, deleted.headers['content-type'], deleted.headers.etag]).toEqual([204, '', undefined, undefined]);
    for (const answer of [await acme.get(`/v1/cases/${id}`), await acme.delete(id), await acme.patch(id, { facts: { 'http.status': 502 } })]) {
      expect([answer.statusCode, answer.json().type, answer.json().detail]).toEqual([404, 'https://rca.local/problems/not-found', `no case "${id}"`]);
    }
    expect((await acme.get('/v1/cases?externalId=DEL-1')).json()).toEqual({ items: [], next: null });
    expect((await acme.get('/v1/cases?source=jira&limit=100')).json().items.map((c: { id: string }) => c.id)).not.toContain(id);
    for (const url of ['/v1/cases/not-a-uuid', '/v1/cases/00000000-0000-4000-8000-000000000000']) expect((await acme.delete(url.slice('/v1/cases/'.length))).statusCode, url).toBe(404);
  });

  it('DELETE reads no body: an empty one with Content-Type: application/json, a JSON one, one of another type or one over the body limit all delete the case (204)', async () => {
    const sent = [
      { headers: { 'content-type': 'application/json' } },
      { headers: { 'content-type': 'application/json' }, payload: '{"reason": "a password"}' },
      { headers: { 'content-type': 'text/plain' }, payload: 'not json' },
      { headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(DEFAULT_BODY_LIMIT + 1) },
    ];
    for (const [i, { headers, payload }] of sent.entries()) {
      const { id } = (await acme.post({ source: 'jira', externalId: `DEL-BODY-${i}`, facts: ICMP })).json();
      const deleted = await app.inject({ method: 'DELETE', url: `/v1/cases/${id}`, headers: { ...bearer(ACME), ...headers }, ...(payload !== undefined && { payload }) });
      expect([deleted.statusCode, deleted.body], `${headers['content-type']}, ${payload?.length ?? 0} bytes`).toEqual([204, '']);
      expect((await acme.get(`/v1/cases/${id}`)).statusCode).toBe(404);
    }
  });

  it('DELETE honours If-Match as PATCH does: a stale or weak version is 412 naming the current one and the case stays; the current one deletes it', async () => {
    const created = await acme.post({ source: 'jira', externalId: 'DEL-ETAG', facts: ICMP });
    const { id } = created.json();
    const v1 = created.headers.etag as string;
    const v2 = (await acme.patch(id, { facts: { 'http.status': 503 } })).headers.etag as string;
    // The 412 names the current version's English tag, without the digest of the similar incidents the PATCH's answer showed (tenant acme has resolved cases like it when the whole file runs).
    const named = v2.replace(/\.s[0-9a-z]{1,10}"$/, '"');
    expect(named).toMatch(/^"2\.[0-9a-z]+\.en"$/);
    for (const [stale, why] of [
      [v1, `case ${id} changed since that version was read; GET it again`],
      [`W/${v2}`, 'a weak entity tag (W/"...") never matches, as If-Match compares strongly (RFC 9110 13.1.1): send the ETag as an answer about the case gives it, and have a proxy that weakens it pass it unchanged'],
    ] as const) {
      const refused = await acme.delete(id, { 'if-match': stale });
      expect([refused.statusCode, refused.headers.etag, refused.json().type, refused.json().detail]).toEqual([412, named, 'https://rca.local/problems/precondition-failed', `If-Match: expected an entity tag of the case's current version, such as ${named} (its ETag, in any language or format), got ${stale}: ${why}`]);
    }
    const bare = await acme.delete(id, { 'if-match': '2' });
    expect([bare.statusCode, bare.json().detail]).toEqual([400, 'If-Match: expected * or entity tags in quotes as an ETag gives them ("3.lq2x1k.en"), got string "2", unreadable from character 1']);
    expect((await acme.get(`/v1/cases/${id}`)).json().revision).toBe(2);
    expect((await acme.delete(id, { 'if-match': `"0.0", ${v2}` })).statusCode).toBe(204);
    expect((await acme.delete(id, { 'if-match': '*' })).statusCode).toBe(404);
  });

  it("a deleted case's Idempotency-Key is a 409 saying so, with any body; its ticket posted without that key is a new case", async () => {
    const ticket = { source: 'zendesk', externalId: 'DEL-KEY', facts: ICMP };
    const first = await acme.post(ticket, { 'idempotency-key': 'del-key-1' });
    const { id } = first.json();
    expect((await acme.delete(id)).statusCode).toBe(204);
    for (const body of [ticket, { ...ticket, facts: {} }]) {
      const retried = await acme.post(body, { 'idempotency-key': 'del-key-1' });
      expect(retried.statusCode).toBe(409);
      expect(retried.json().type).toBe('https://rca.local/problems/conflict');
      expect(retried.json().detail).toMatch(new RegExp(`^Idempotency-Key "del-key-1" made case ${id}, which was deleted at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: expected a new key to make the case again$`));
    }
    expect((await acme.get('/v1/cases?externalId=DEL-KEY')).json().items).toEqual([]);
    const reposted = await acme.post(ticket);
    expect(reposted.statusCode).toBe(201);
    expect(reposted.json().id).not.toBe(id);
    // The same key in another tenant is that tenant's own.
    expect((await globex.post(ticket, { 'idempotency-key': 'del-key-1' })).statusCode).toBe(201);
  });

  it('a deleted resolved case leaves the similar past incidents of every case and GET /v1/stats', async () => {
    const hooli = as(HOOLI);
    const kept = (await hooli.post({ source: 'del', externalId: 'R-1', facts: ICMP })).json();
    await hooli.outcome(kept.id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' });
    const leaked = (await hooli.post({ source: 'del', externalId: 'R-2', facts: { ...ICMP, 'path.via_lb': true } })).json();
    await hooli.outcome(leaked.id, { cause: 'network.packet_loss', note: 'the token was in the note', confirmedBy: 'ana' });
    const open = (await hooli.post({ source: 'del', externalId: 'R-open', facts: ICMP })).json();
    const similarIds = async (id: string) => (await hooli.get(`/v1/cases/${id}`)).json().diagnoses.at(-1).diagnosis.similar.map((c: { id: string }) => c.id);
    expect((await similarIds(open.id)).sort()).toEqual([kept.id, leaked.id].sort());
    expect(await similarIds(kept.id)).toEqual([leaked.id]);
    expect((await hooli.get('/v1/stats')).json()).toMatchObject({ cases: 2, top1: 0.5 });
    expect((await hooli.delete(leaked.id)).statusCode).toBe(204);
    expect(await similarIds(open.id)).toEqual([kept.id]);
    expect(await similarIds(kept.id)).toEqual([]);
    const next = (await hooli.post({ source: 'del', externalId: 'R-3', facts: { ...ICMP, 'path.via_lb': true } })).json();
    expect(next.diagnoses[0].diagnosis.similar.map((c: { id: string }) => c.id)).toEqual([kept.id]);
    const markdown = (await hooli.get(`/v1/cases/${next.id}?format=markdown`)).json().report as string;
    expect(markdown).not.toContain('R-2');
    expect(markdown).not.toContain('the token was in the note');
    const stats = (await hooli.get('/v1/stats')).json();
    expect({ cases: stats.cases, top1: stats.top1, perHypothesis: stats.perHypothesis.map((h: { hypothesis: string }) => h.hypothesis) }).toEqual({ cases: 1, top1: 1, perHypothesis: ['network.icmp_filtered'] });
    expect((await hooli.get('/v1/cases?status=resolved')).json().items.map((c: { id: string }) => c.id)).toEqual([kept.id]);
  });

  it('sends on every case answer the headers /openapi.json declares for it: Location, the case ETag, Content-Language, X-Request-Id', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const audit = new HeaderAudit(doc);
    const luthor = as(LUTHOR);
    const record = async (method: string, path: string, answer: ReturnType<typeof luthor.get>) => {
      const sent = await answer;
      audit.record(method, path, sent);
      return sent;
    };
    const ticket = { source: 'jira', externalId: 'HDR-1', facts: ICMP };
    const created = await record('POST', '/v1/cases', luthor.post(ticket));
    const id = created.json().id as string;
    await record('POST', '/v1/cases', luthor.post(ticket));
    expect((await record('POST', '/v1/cases', luthor.post({ ...ticket, summary: 'other' }))).statusCode).toBe(409);
    await record('GET', '/v1/cases', luthor.get('/v1/cases'));
    expect((await record('GET', '/v1/cases', luthor.get('/v1/cases?limit=0'))).statusCode).toBe(400);
    const read = await record('GET', '/v1/cases/{id}', luthor.get(`/v1/cases/${id}`));
    expect((await record('GET', '/v1/cases/{id}', app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: { ...bearer(LUTHOR), 'if-none-match': String(read.headers.etag) } }))).statusCode).toBe(304);
    expect((await record('GET', '/v1/cases/{id}', luthor.get('/v1/cases/no-such-case'))).statusCode).toBe(404);
    const patched = await record('PATCH', '/v1/cases/{id}', luthor.patch(id, { summary: 'checkout down' }));
    expect((await record('PATCH', '/v1/cases/{id}', luthor.patch(id, { summary: 'again' }, { 'if-match': String(created.headers.etag) }))).statusCode).toBe(412);
    await record('PUT', '/v1/cases/{id}/outcome', luthor.outcome(id, { cause: 'network.icmp_filtered', confirmedBy: 'ana' }, { 'if-match': String(patched.headers.etag) }));
    await record('GET', '/v1/stats', luthor.get('/v1/stats'));
    await record('DELETE', '/v1/cases/{id}/outcome', luthor.withdraw(id));
    expect((await record('DELETE', '/v1/cases/{id}', luthor.delete(id))).statusCode).toBe(204);
    expect((await record('GET', '/v1/stats', app.inject({ method: 'GET', url: '/v1/stats' }))).statusCode).toBe(401);
    expect(audit.answers()).toEqual([
      'delete /v1/cases/{id} 204', 'delete /v1/cases/{id}/outcome 200',
      'get /v1/cases 200', 'get /v1/cases 400', 'get /v1/cases/{id} 200', 'get /v1/cases/{id} 304', 'get /v1/cases/{id} 404',
      'get /v1/stats 200', 'get /v1/stats 401',
      'patch /v1/cases/{id} 200', 'patch /v1/cases/{id} 412',
      'post /v1/cases 200', 'post /v1/cases 201', 'post /v1/cases 409',
      'put /v1/cases/{id}/outcome 200',
    ]);
    expect(audit.mismatches()).toEqual([]);
    expect(doc.paths['/v1/cases/{id}'].patch.responses['412'].headers.etag).toEqual({ $ref: '#/components/headers/CurrentCaseETag' });
    expect(doc.paths['/v1/cases'].post.responses['201'].headers).toEqual({
      'x-request-id': { $ref: '#/components/headers/RequestId' },
      location: { $ref: '#/components/headers/Location' },
      etag: { $ref: '#/components/headers/CaseETag' },
      'content-language': { $ref: '#/components/headers/ContentLanguage' },
    });
    expect(doc.components.headers.CurrentCaseETag.description).toBe("The case's current ETag: read the case again, then send it in If-Match");
  });

  it('every case route needs a token, and the OpenAPI document shows them', async () => {
    for (const [method, url] of [['GET', '/v1/stats'], ['GET', '/v1/cases'], ['POST', '/v1/cases'], ['GET', '/v1/cases/x'], ['PATCH', '/v1/cases/x'], ['PUT', '/v1/cases/x/outcome'], ['DELETE', '/v1/cases/x/outcome'], ['DELETE', '/v1/cases/x']] as const) {
      expect((await app.inject({ method, url })).statusCode).toBe(401);
    }
    // A real case of another tenant's, with a wrong token: 401, and the case is still there.
    const { id } = (await acme.post({ source: 'jira', externalId: 'NO-TOKEN-1' })).json();
    const wrongToken = await app.inject({ method: 'DELETE', url: `/v1/cases/${id}`, headers: { authorization: 'Bearer not-a-token-0123456789' } });
    expect([wrongToken.statusCode, wrongToken.headers['www-authenticate'], wrongToken.json().type]).toEqual([401, 'Bearer realm="rca", error="invalid_token"', 'https://rca.local/problems/unauthorized']);
    expect((await acme.get(`/v1/cases/${id}`)).statusCode).toBe(200);
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/cases'].post.operationId).toBe('createCase');
    expect(doc.paths['/v1/cases'].get.operationId).toBe('listCases');
    expect(doc.paths['/v1/cases/{id}'].patch.operationId).toBe('updateCase');
    expect(doc.paths['/v1/cases/{id}/outcome'].put.operationId).toBe('resolveCase');
    expect(doc.paths['/v1/cases/{id}'].delete.operationId).toBe('deleteCase');
    expect(doc.paths['/v1/cases/{id}/outcome'].delete.operationId).toBe('reopenCase');
    expect(doc.paths['/v1/cases/{id}'].patch.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key' }));
    expect(Object.keys(doc.paths['/v1/cases/{id}'].patch.responses)).toContain('409');
    expect(Object.keys(doc.paths['/v1/cases/{id}/outcome'].delete.responses).sort()).toEqual(['200', '400', '401', '403', '404', '406', '408', '412', '417', '429', '431', '500', '503']);
    expect(doc.paths['/v1/cases/{id}/outcome'].put.description).toMatch(/ The outcome it holds already \(the same cause, text, note and confirmedBy\) changes nothing: /);
    const outcomeMethods = await app.inject({ method: 'POST', url: `/v1/cases/${id}/outcome`, headers: bearer(ACME) });
    expect([outcomeMethods.statusCode, outcomeMethods.headers.allow]).toEqual([405, 'DELETE, PUT']);
    const wrongMethod = await app.inject({ method: 'POST', url: `/v1/cases/${id}`, headers: bearer(ACME) });
    expect([wrongMethod.statusCode, wrongMethod.headers.allow]).toEqual([405, 'DELETE, GET, HEAD, PATCH']);
    expect(Object.keys(doc.paths['/v1/cases/{id}'].delete.responses).sort()).toEqual(['204', '400', '401', '403', '404', '408', '412', '417', '429', '431', '500', '503']);
    expect(doc.paths['/v1/cases/{id}'].delete.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'if-match' }));
    expect(doc.paths['/v1/cases/{id}'].delete.description).toMatch(/ Takes no body: one sent is not read, whatever its Content-Type \(so never a 413 or 415\), and an empty one with Content-Type: application\/json is no error\.$/);
    expect(doc.paths['/v1/cases'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Case' });
    expect(doc.paths['/v1/cases/{id}'].patch.description).toBe(
      'A ticket update: `facts` is a JSON Merge Patch (RFC 7396) of the case\'s facts (a fact given replaces its value, a fact given as null is removed, {"tcp": null} removes every tcp.* fact, a fact not named stays), `artifacts` are added to the case\'s, `summary` replaces its summary (null removes it, as it does a fact). Sent as application/json or application/merge-patch+json. The case is diagnosed again and the diagnosis added to its history (which keeps the first diagnosis and the latest ones, the server\'s --history-limit in all: historyForgotten counts those forgotten), unless the update changes nothing and the knowledge base is the one of its last diagnosis: then the case is answered as it is, with no new revision. A resolved case stays resolved with its cause, and GET /v1/stats judges the diagnosis it had when the cause was confirmed. With an Idempotency-Key the change is made once: a retry answers the case as it is now.',
    );
    expect(doc.components.schemas.CasePatch.properties.facts.description).toBe(JSON.parse(readFileSync(join(packageRoot, 'schemas', 'case-patch.schema.json'), 'utf8')).properties.facts.description);
    expect(doc.components.schemas.CasePatch.properties.facts.description).toMatch(/^A JSON Merge Patch \(RFC 7396\) of the case's facts/);
  });
});
