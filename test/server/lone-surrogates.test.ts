import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseServer, PING_ARTIFACT } from '../cases/helpers.js';
import { cpuStopwatch } from '../cpu-time.js';
import { testServer } from './helpers.js';
import { STORE_KINDS } from '../store/stores.js';

/**
 * A lone surrogate is valid JSON ("x \udfff", what a connector makes when it cuts an emoji in
 * half): JSON.parse takes it, and no database stores it (PGlite and PostgreSQL answered "invalid
 * input syntax for type json", a 500). Every body is refused with it, at the string holding it.
 */
const EMBEDDED = STORE_KINDS.find((kind) => kind.name === 'embedded') as (typeof STORE_KINDS)[number];
const json = { 'content-type': 'application/json' };
/** The lone surrogate, as a JSON text writes it (JSON.stringify writes one as this escape too). */
const LONE = '\\udfff';
const HALF_EMOJI = `x ${LONE}`;

describe('a lone surrogate in a request body', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let id: string;
  beforeAll(async () => {
    ({ app, close } = await caseServer(EMBEDDED));
    const created = await send('POST', '/v1/cases', JSON.stringify({ source: 'jira', externalId: 'LONE-0', facts: { 'ping.result': 'fail' } }));
    id = created.json().id;
  }, 60_000);
  afterAll(() => close());

  const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: string) => app.inject({ method, url, headers: json, payload });
  /** BODY's JSON with `"<HOLE>"` replaced by a string holding the lone surrogate. */
  const holing = (body: unknown, string = HALF_EMOJI) => JSON.stringify(body).replace('"<HOLE>"', `"${string}"`);
  const refused = (pointer: string, character = 3) => {
    const got = `a lone surrogate (\\udfff) at character ${character}`;
    return { status: 400, type: 'https://rca.local/problems/invalid-input', detail: `${pointer}: expected Unicode text, got ${got}`, errors: [{ pointer, expected: 'Unicode text', got }] };
  };
  const answer = async (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: string) => {
    const res = await send(method, url, payload);
    const body = res.json();
    return { status: res.statusCode, type: body.type, detail: body.detail, errors: body.errors };
  };

  it('is refused with 400 at its pointer by every route that stores: a new case, an update, an outcome', async () => {
    const artifact = { kind: 'dmesg', text: '<HOLE>' };
    const sent: Array<['POST' | 'PATCH' | 'PUT', string, string, string]> = [
      ['POST', '/v1/cases', holing({ source: 'jira', externalId: 'LONE-1', summary: '<HOLE>', facts: {} }), '/summary'],
      ['POST', '/v1/cases', holing({ source: '<HOLE>', externalId: 'LONE-1', facts: {} }), '/source'],
      ['POST', '/v1/cases', holing({ source: 'jira', externalId: 'LONE-1', facts: {}, artifacts: [PING_ARTIFACT, artifact] }), '/artifacts/1/text'],
      ['PATCH', `/v1/cases/${id}`, holing({ summary: '<HOLE>' }), '/summary'],
      ['PATCH', `/v1/cases/${id}`, holing({ artifacts: [artifact] }), '/artifacts/0/text'],
      ['PUT', `/v1/cases/${id}/outcome`, holing({ cause: 'other', text: '<HOLE>', confirmedBy: 'ana' }), '/text'],
      ['PUT', `/v1/cases/${id}/outcome`, holing({ cause: 'other', text: 'a cable', note: '<HOLE>', confirmedBy: 'ana' }), '/note'],
      ['PUT', `/v1/cases/${id}/outcome`, holing({ cause: 'other', text: 'a cable', confirmedBy: '<HOLE>' }), '/confirmedBy'],
    ];
    for (const [method, url, payload, pointer] of sent) expect(await answer(method, url, payload), payload).toEqual(refused(pointer));
    // Nothing was stored: the case is as it was made, and no case LONE-1 exists.
    const stored = await app.inject({ method: 'GET', url: `/v1/cases/${id}` });
    expect(stored.json()).toMatchObject({ revision: 1, summary: null, artifacts: [], outcome: null });
    expect((await app.inject({ method: 'GET', url: '/v1/cases?externalId=LONE-1' })).json().items).toEqual([]);
  });

  it('is refused by /v1/diagnose and the interview, in a value, a key or an item, with its character counted from 1', async () => {
    expect(await answer('POST', '/v1/diagnose', holing({ facts: {}, summary: '<HOLE>' }))).toEqual(refused('/summary'));
    expect(await answer('POST', '/v1/diagnose', holing({ facts: { 'proc.top_name': '<HOLE>' } }, `😀${LONE}`))).toEqual(refused('/facts/proc.top_name', 2));
    expect(await answer('POST', '/v1/diagnose', `{"facts": {"ping.result${LONE}": "ok"}}`)).toEqual(refused('/facts/ping.result\udfff', 12));
    expect(await answer('POST', '/v1/interview/next', holing({ facts: {}, unknown: ['http.status', '<HOLE>'] }, LONE))).toEqual(refused('/unknown/1', 1));
    expect(await answer('POST', '/v1/interview/next', `"${LONE}"`)).toEqual(refused('/', 1));
  });

  it('is refused before any other problem of the body is looked for, and a whole emoji (a surrogate pair) is taken and stored as sent', async () => {
    expect(await answer('POST', '/v1/diagnose', holing({ facts: { 'no.such': 1 }, top: -1, summary: '<HOLE>' }))).toEqual(refused('/summary'));
    const emoji = '\\ud83d\\ude00';
    const created = await send('POST', '/v1/cases', holing({ source: 'jira', externalId: 'EMOJI-1', summary: '<HOLE>', facts: {} }, `x ${emoji}`));
    expect([created.statusCode, created.json().summary]).toEqual([201, 'x 😀']);
    const resolved = await send('PUT', `/v1/cases/${created.json().id}/outcome`, holing({ cause: 'other', text: '<HOLE>', confirmedBy: 'ana' }, `${emoji} a cable`));
    expect([resolved.statusCode, resolved.json().outcome.text]).toEqual([200, '😀 a cable']);
  });

  it('is found at the end of a 1 MB body of surrogate pairs in linear time', async () => {
    const big = await testServer({ bodyLimit: 2 * 1024 * 1024 });
    try {
      const n = 1024 * 1024;
      const pairs = '\\ud83d\\ude00';
      const hostile = `{"facts": {}, "unknown": [${`"${pairs}",`.repeat(n / 16)}"x"], "summary": "${pairs.repeat(n / 24)}${LONE}"}`;
      expect(hostile.length).toBeGreaterThan(n);
      const started = cpuStopwatch();
      const res = await big.inject({ method: 'POST', url: '/v1/diagnose', headers: json, payload: hostile });
      expect(started.ms()).toBeLessThan(10_000);
      expect(res.json().errors).toEqual([{ pointer: '/summary', expected: 'Unicode text', got: `a lone surrogate (\\udfff) at character ${Math.floor(n / 24) + 1}` }]);
    } finally {
      await big.close();
    }
  });
});
