import { afterAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { openStore } from '../../src/store/open.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { STORE_KINDS, stopStores } from '../store/stores.js';

afterAll(stopStores, 30_000);

const kb = loadKnowledgeBase([FIXTURE_KB]);

describe.each(STORE_KINDS)('an update that changes nothing, on the $name store', (kind) => {
  it('adds no revision under the same knowledge base, and diagnoses again under another', async () => {
    const { db } = await openStore(await kind.settings());
    const service = new CaseService(db, parseArtifact);
    const { case: created } = await service.create('acme', { source: 'jira', externalId: 'U-1', facts: { 'ping.result': 'fail' }, artifacts: [] }, kb);
    const same = { facts: { set: { 'ping.result': 'fail' }, remove: [] } };
    expect((await service.update('acme', created.id, same, kb))?.revision).toBe(1);
    const reloaded = { ...kb, meta: { ...kb.meta, hash: `sha256:${'0'.repeat(64)}` } };
    const again = await service.update('acme', created.id, same, reloaded);
    expect({ revision: again?.revision, hashes: again?.diagnoses.map((d) => d.diagnosis.kb.hash) }).toEqual({ revision: 2, hashes: [kb.meta.hash, reloaded.meta.hash] });
  });
});
