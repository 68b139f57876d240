import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, stopStores } from '../store/stores.js';
import { caseServer, PING_ARTIFACT } from './helpers.js';

/**
 * A NUL (U+0000) is valid JSON text ("a\u0000b"), and no case store keeps it: PostgreSQL and
 * PGlite refuse it in jsonb (22P05), which answered a case whose artifact held one with a 500.
 */
afterAll(stopStores, 30_000);

const json = { 'content-type': 'application/json' };
/** The ping fixture with a line that holds a NUL after an emoji: still ping's output, which the ping parser reads. */
const NUL_TEXT = `${PING_ARTIFACT.text}😀\u0000\n`;
/** Where that NUL stands, counting characters from 1 (the emoji, a surrogate pair, is one). */
const NUL_AT = Array.from(PING_ARTIFACT.text).length + 2;
const NUL_ARTIFACT = { kind: 'ping', text: NUL_TEXT };

describe.each(STORE_KINDS)('a NUL in a string a case keeps, on the $name store', (kind) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let id: string;
  beforeAll(async () => {
    ({ app, close } = await caseServer(kind));
    id = (await send('POST', '/v1/cases', { source: 'jira', externalId: 'NUL-0', facts: { 'ping.result': 'fail' } })).json().id;
  }, 60_000);
  afterAll(() => close());

  const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown) => app.inject({ method, url, headers: json, payload: JSON.stringify(body) });
  const answer = async (method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown) => {
    const res = await send(method, url, body);
    return { status: res.statusCode, type: res.json().type, errors: res.json().errors };
  };
  const refused = (pointer: string, expected: string, got: string) => ({ status: 400, type: 'https://rca.local/problems/invalid-input', errors: [{ pointer, expected, got }] });
  const nulInText = (pointer: string) => refused(pointer, 'text without NUL (\\u0000), which the case store cannot keep', `a NUL (\\u0000) at character ${NUL_AT}`);
  const oneLine = 'one line of text without control characters';
  const multiLine = 'text without control characters other than tab and newline';

  it('is refused with 400 at its pointer, in an artifact as in every other string, and nothing is stored; /v1/diagnose, which keeps nothing, reads the artifact as sent', async () => {
    const create = { source: 'jira', externalId: 'NUL-1', facts: {} };
    const outcome = { cause: 'other', text: 'a cable', confirmedBy: 'ana' };
    const sent: Array<[method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown, refusal: ReturnType<typeof refused>]> = [
      ['POST', '/v1/cases', { ...create, artifacts: [PING_ARTIFACT, NUL_ARTIFACT] }, nulInText('/artifacts/1/text')],
      ['PATCH', `/v1/cases/${id}`, { artifacts: [NUL_ARTIFACT] }, nulInText('/artifacts/0/text')],
      ['POST', '/v1/cases', { ...create, source: 'ji\u0000ra' }, refused('/source', oneLine, 'string "ji\\u0000ra"')],
      ['POST', '/v1/cases', { ...create, externalId: 'NUL\u00001' }, refused('/externalId', oneLine, 'string "NUL\\u00001"')],
      ['POST', '/v1/cases', { ...create, summary: 'a\u0000b' }, refused('/summary', multiLine, 'string "a\\u0000b"')],
      ['PATCH', `/v1/cases/${id}`, { summary: 'a\u0000b' }, refused('/summary', multiLine, 'string "a\\u0000b"')],
      ['PATCH', `/v1/cases/${id}`, { facts: { proc: { top_name: 'ja\u0000va' } } }, refused('/facts/proc/top_name', 'text without control characters', 'string "ja\\u0000va"')],
      ['PUT', `/v1/cases/${id}/outcome`, { ...outcome, text: 'a\u0000cable' }, refused('/text', oneLine, 'string "a\\u0000cable"')],
      ['PUT', `/v1/cases/${id}/outcome`, { ...outcome, note: 'a\u0000b' }, refused('/note', multiLine, 'string "a\\u0000b"')],
      ['PUT', `/v1/cases/${id}/outcome`, { ...outcome, confirmedBy: 'a\u0000na' }, refused('/confirmedBy', oneLine, 'string "a\\u0000na"')],
      ['PUT', `/v1/cases/${id}/outcome`, { ...outcome, cause: 'other\u0000' }, refused('/cause', 'a hypothesis id of the knowledge base (GET /v1/hypotheses) or "other" (did you mean "other"?)', 'string "other\\u0000"')],
    ];
    for (const [method, url, body, refusal] of sent) expect(await answer(method, url, body), `${method} ${url} ${refusal.errors[0]?.pointer}`).toEqual(refusal);
    const detail = (await send('POST', '/v1/cases', { ...create, artifacts: [NUL_ARTIFACT] })).json().detail;
    expect(detail).toBe(`/artifacts/0/text: expected text without NUL (\\u0000), which the case store cannot keep, got a NUL (\\u0000) at character ${NUL_AT}`);
    // Nothing was stored: the case is as it was made, and no case NUL-1 exists.
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${id}` })).json()).toMatchObject({ revision: 1, summary: null, artifacts: [], outcome: null });
    expect((await app.inject({ method: 'GET', url: '/v1/cases?externalId=NUL-1' })).json().items).toEqual([]);
    const diagnosed = await send('POST', '/v1/diagnose', { facts: {}, artifacts: [NUL_ARTIFACT] });
    expect([diagnosed.statusCode, diagnosed.json().facts['ping.result']]).toEqual([200, 'partial_loss']);
  });
});
