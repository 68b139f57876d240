import { describe, expect, it } from 'vitest';
import { diagnose, inLanguage, type Diagnosis } from '../../src/core/diagnose.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { FIXTURE_KB } from '../server/helpers.js';

const kb = loadKnowledgeBase([FIXTURE_KB]);
const FACTS = { 'ping.result': 'fail', 'tcp.connect': 'ok', 'target.url': 'https://shop.example:8443/cart' } as const;
const similar = [{ id: '2b1c5f40-1d1e-4f59-9a34-0d6f1f0e6a11', source: 'jira', externalId: 'OPS-9', cause: 'network.icmp_filtered', similarity: 0.5 }];

describe('a stored diagnosis in another language (inLanguage)', () => {
  it('is diagnosed again under the knowledge base it was made with: the same ranking, summary and warnings, the texts of that language, its similar incidents kept', async () => {
    const warnings = [{ field: 'ping.result', message: 'artifacts[0] (ping) says "partial_loss", the explicit fact says "fail": kept "fail"' }];
    const stored = { ...(await diagnose(kb, FACTS, { summary: 'checkout down', warnings })), similar };
    const zh = await inLanguage(kb, stored, 'zh-CN');
    expect(zh).toEqual({ ...(await diagnose(kb, FACTS, { lang: 'zh-CN', summary: 'checkout down', warnings })), similar });
    expect(zh.hypotheses[0]?.title).toBe('ICMP 被过滤');
    const rank = (d: Diagnosis) => d.hypotheses.map((h) => [h.id, h.confidence, h.belief]);
    expect(rank(zh)).toEqual(rank(stored));
    // Back again it is what was stored: the facts it read (a URL's host and port among them) rank the same.
    expect(await inLanguage(kb, { ...zh, lang: 'zh-CN' }, 'en')).toEqual(stored);
  });

  it('is the stored one itself in its own language (any tag of it), and under another knowledge base, whose ranking it no longer is', async () => {
    const stored = await diagnose(kb, FACTS);
    expect(await inLanguage(kb, stored, 'en-GB')).toBe(stored);
    const reloaded = { ...kb, meta: { ...kb.meta, hash: `sha256:${'0'.repeat(64)}` } };
    expect(await inLanguage(reloaded, stored, 'zh-CN')).toBe(stored);
  });
});
