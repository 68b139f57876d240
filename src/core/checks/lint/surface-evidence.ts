import { isSurfaceFact, SURFACE_CF } from '../../facts.js';
import type { LintCheck } from '../check.js';

export const surfaceEvidence: LintCheck = {
  meta: {
    id: 'surface-evidence',
    severity: 'warning',
    docs: {
      description: `A rule reading only what the ticket or the proxy's log shows (symptom, path, target, the HTTP status, where the error came from, the share of requests failing, the proxy's upstream error) gives a cause more than ${SURFACE_CF}.`,
      why: "The surface names the mechanism at the proxy, not the backend's cause behind it: a strong cf there puts the mechanism out of reach of every finding about the backend.",
    },
  },
  run(kb, report) {
    for (const rule of kb.rules) {
      if (!rule.facts.every(isSurfaceFact)) continue;
      rule.rule.evidence.forEach((e, i) => {
        if (e.cf > SURFACE_CF) report(rule.file, `${rule.path}/evidence/${i}/cf`, rule.id, `reads only the ticket's surface (${rule.facts.join(', ')}) and gives ${e.hypothesis} ${e.cf}: expected at most ${SURFACE_CF}, or a lintIgnore saying why this surface is the cause itself`);
      });
    }
  },
};
