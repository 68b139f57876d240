import { afterAll, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { openStore } from '../../src/store/open.js';
import { testServer } from '../server/helpers.js';
import { STORE_KINDS, stopStores } from '../store/stores.js';
import { PING_ARTIFACT } from './helpers.js';

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
