import type { Diagnosis } from '../generated/diagnosis.js';
import type { CaseStats } from '../generated/case-stats.js';
import { calibrationOf } from '../kbtools/eval.js';

/** A resolved case as the statistics read it: its confirmed cause, when, and the diagnosis it had then. */
export interface ResolvedDiagnosis {
  cause: string;
  confirmedAt: string;
  diagnosis: Pick<Diagnosis, 'kb' | 'hypotheses'>;
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

function accuracy(cases: readonly ResolvedDiagnosis[]) {
  const top = (c: ResolvedDiagnosis, n: number) => c.diagnosis.hypotheses.slice(0, n).some((h) => h.id === c.cause);
  return { cases: cases.length, top1: share(cases.filter((c) => top(c, 1)).length, cases.length), top3: share(cases.filter((c) => top(c, 3)).length, cases.length) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * How right rca was on resolved cases, judged by their confirmed causes: top-1 and top-3
 * accuracy by knowledge-base version and by month, each hypothesis's precision (of the cases
 * it led, how many it was) and recall (of the cases it was, how many it led), each rule's
 * precision (of the cases it fired for a cause in, how often that cause was confirmed), and
 * calibration of the top-1 confidence. A case counts with the diagnosis it had when resolved.
 */
export function caseStats(cases: readonly ResolvedDiagnosis[]): CaseStats {
  const hypotheses = new Set(cases.flatMap((c) => [c.cause, ...(c.diagnosis.hypotheses[0] ? [c.diagnosis.hypotheses[0].id] : [])]));
  const firings = cases.flatMap((c) => c.diagnosis.hypotheses.flatMap((h) => h.evidence.map((e) => ({ rule: e.rule, right: h.id === c.cause }))));
  const { brier, table } = calibrationOf(cases.filter((c) => c.diagnosis.hypotheses.length > 0).map((c) => ({ confidence: c.diagnosis.hypotheses[0]?.confidence ?? 0, right: c.diagnosis.hypotheses[0]?.id === c.cause })));
  return {
    ...accuracy(cases),
    byKb: groupBy(cases, (c) => `${c.diagnosis.kb.version}\0${c.diagnosis.kb.hash}`).map(([, group]) => ({ version: group[0]?.diagnosis.kb.version ?? '', hash: group[0]?.diagnosis.kb.hash ?? '', ...accuracy(group) })),
    byMonth: groupBy(cases, (c) => c.confirmedAt.slice(0, 7)).map(([month, group]) => ({ month, ...accuracy(group) })),
    perHypothesis: [...hypotheses]
      .filter((id) => id !== 'other')
      .sort()
      .map((id) => {
        const led = cases.filter((c) => c.diagnosis.hypotheses[0]?.id === id);
        const was = cases.filter((c) => c.cause === id);
        const right = led.filter((c) => c.cause === id).length;
        return { hypothesis: id, confirmed: was.length, ledWith: led.length, precision: share(right, led.length), recall: share(right, was.length) };
      }),
    perRule: groupBy(firings, (f) => f.rule).map(([rule, fired]) => ({ rule, fired: fired.length, confirmed: fired.filter((f) => f.right).length, precision: share(fired.filter((f) => f.right).length, fired.length) })),
    calibration: { brier, bins: table },
  };
}
