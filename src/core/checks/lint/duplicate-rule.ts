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
  run(kb, report) {
    const first = new Map<string, string>();
    for (const r of kb.rules) {
      const key = JSON.stringify(r.rule.conditions);
      const twin = first.get(key);
      if (twin) report(r.file, `${r.path}/conditions`, r.id, `has the same conditions as ${twin}`);
      else first.set(key, r.id);
    }
  },
};
