import type { Evidence } from '../../../generated/kb-file.js';
import type { LintCheck } from '../check.js';

/**
 * The evidence that decides where a rule lives: its largest positive cf (the first on a tie);
 * for a rule that only argues against, its most negative one.
 */
export function homeEvidence(evidence: readonly Evidence[]): Evidence | undefined {
  const positive = evidence.filter((e) => e.cf > 0);
  return (positive.length > 0 ? positive : evidence).reduce<Evidence | undefined>((best, e) => (best === undefined || Math.abs(e.cf) > Math.abs(best.cf) ? e : best), undefined);
}

export const rulePlacement: LintCheck = {
  meta: {
    id: 'rule-placement',
    severity: 'warning',
    docs: {
      description: 'A rule lives in the file of the hypothesis it supports most (largest positive cf; for a rule only against, the one it argues against most), when that hypothesis is defined in the same pack.',
      why: 'A curator finds a hypothesis and its own rules in one file (rules/<layer>/<hypothesis>.yaml); rca kb show lists the rules of other files for and against it.',
    },
  },
  run(kb, report) {
    for (const r of kb.rules) {
      const home = homeEvidence(r.rule.evidence);
      const hypothesis = home && kb.hypotheses.get(home.hypothesis);
      if (!home || !hypothesis || hypothesis.pack !== r.pack || hypothesis.file === r.file) continue;
      report(r.file, r.path, r.id, `${home.cf > 0 ? 'supports' : 'argues against'} ${home.hypothesis} most (cf ${home.cf}): move it to ${hypothesis.file}, beside the hypothesis`);
    }
  },
};
