import { describe, expect, it } from 'vitest';
import { diagnoseFacts } from '../support.js';

/**
 * General knowledge the shipped tables and rules must carry, each checked on the few facts a
 * ticket opens with (or the one finding that settles it): these are runbook facts, true of every
 * system, not of one incident.
 */
async function ranking(facts: Record<string, unknown>): Promise<string[]> {
  return (await diagnoseFacts(facts)).hypotheses.map((h) => h.id);
}

describe('the shipped knowledge on thin evidence', () => {
  it('puts DNS causes first when the ticket is about the lookups themselves', async () => {
    const top3 = (await ranking({ 'target.protocol': 'dns', 'symptom.kind': 'slow', 'symptom.scope': 'single_client' })).slice(0, 3);
    expect(top3).toContain('dns.slow_resolver');
    expect(top3.filter((id) => id.startsWith('dns.') || id === 'network.conntrack_dns_race').length).toBeGreaterThanOrEqual(2);
  });
});
