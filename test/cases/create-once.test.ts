import { afterAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { openStore } from '../../src/store/open.js';
import { testServer } from '../server/helpers.js';
import { STORE_KINDS, stopStores } from '../store/stores.js';
import { caseServer, PING_ARTIFACT } from './helpers.js';

afterAll(stopStores, 30_000);

it('POST /v1/cases parses each artifact once (in validating the body) and diagnoses the case from what that read', async () => {
  const { db } = await openStore(await STORE_KINDS[0]!.settings());
  let serviceParses = 0;
  const cases = new CaseService(db, (kind, text) => {
    serviceParses++;
    return parseArtifact(kind, text);
  });
  const app = await testServer({ cases: async () => cases });
  try {
    const created = await app.inject({ method: 'POST', url: '/v1/cases', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ source: 'jira', externalId: 'ONCE-1', summary: 'ping loses packets', facts: { 'ping.result': 'fail' }, artifacts: [PING_ARTIFACT] }) });
    expect(created.statusCode).toBe(201);
    expect(serviceParses).toBe(0);
    const { diagnosis } = created.json().diagnoses[0];
    expect(diagnosis.summary).toBe('ping loses packets');
    expect(diagnosis.warnings).toEqual([{ field: 'ping.result', message: 'artifacts[0] (ping) says "partial_loss", the explicit fact says "fail": kept "fail"' }]);
    // The stored diagnosis is the one answered; re-diagnosing the case (PATCH) reads its stored artifact again.
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${created.json().id}` })).json()).toEqual(created.json());
    await app.inject({ method: 'PATCH', url: `/v1/cases/${created.json().id}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ facts: { 'tcp.connect': 'ok' } }) });
    expect(serviceParses).toBe(1);
  } finally {
    await app.close();
    await db.close();
  }
}, 60_000);

describe.each(STORE_KINDS)('POST /v1/cases on the $name store', (kind) => {
  it('answers a new case in the very bytes GET then answers for it, its similar past incidents and their notes included', async () => {
    const { app, close } = await caseServer(kind);
    const post = (body: unknown) => app.inject({ method: 'POST', url: '/v1/cases', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    try {
      const past = (await post({ source: 'jira', externalId: 'BYTES-1', facts: { 'ping.result': 'fail' } })).json();
      const cause = past.diagnoses[0].diagnosis.hypotheses[0].id;
      const resolved = await app.inject({ method: 'PUT', url: `/v1/cases/${past.id}/outcome`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ cause, note: 'cable "B" <swapped>', confirmedBy: 'ops' }) });
      expect(resolved.statusCode).toBe(200);
      for (const body of [{ source: 'jira', externalId: 'BYTES-2', summary: 'ping loses packets \u2014 again', facts: { 'ping.result': 'fail' }, artifacts: [PING_ARTIFACT] }, { source: 'jira', externalId: 'BYTES-3', facts: {} }]) {
        const created = await post(body);
        expect(created.statusCode).toBe(201);
        expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
        const read = await app.inject({ method: 'GET', url: `/v1/cases/${created.json().id}` });
        expect(created.body).toBe(read.body);
      }
      const similar = (await app.inject({ method: 'GET', url: '/v1/cases?externalId=BYTES-2' })).json().items[0];
      const again = (await app.inject({ method: 'GET', url: `/v1/cases/${similar.id}` })).json();
      expect(again.diagnoses[0].diagnosis.similar).toEqual([expect.objectContaining({ id: past.id, cause, note: 'cable "B" <swapped>' })]);
    } finally {
      await close();
    }
  }, 60_000);
});
