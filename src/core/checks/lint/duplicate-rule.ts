import { locatePosition } from '../../errors.js';
import type { CompiledRule } from '../../kb.js';
import type { LintCheck } from '../check.js';

export const duplicateRule: LintCheck = {
  meta: {
    id: 'duplicate-rule',
    severity: 'error',
    docs: {
      description: 'Two rules with the same conditions.',
      why: 'Whenever one fires the other does too: their evidence belongs in one rule, or one of them tests the wrong thing.',
    },
  },
  run(kb, report, _context, place) {
    const first = new Map<string, CompiledRule>();
    for (const r of kb.rules) {
      const key = JSON.stringify(r.rule.conditions);
      const twin = first.get(key);
      if (!twin) {
        first.set(key, r);
        continue;
      }
      // Placed as a duplicate id is (entry-ids): the twin may be in another file, or another pack.
      const at = place(twin.file, twin.path);
      report(r.file, `${r.path}/conditions`, r.id, `has the same conditions as ${twin.id} (${locatePosition(at)}): merge their evidence into one rule`, at);
    }
  },
};
