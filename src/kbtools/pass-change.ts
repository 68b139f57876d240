/**
 * Whether a change to the knowledge base moved more incidents than chance would: the incidents
 * that pass now and did not in a saved run, those that no longer pass, and the exact two-sided
 * sign test on the two counts (McNemar's exact test: the incidents that did not change carry no
 * information about the change). On a corpus of a few hundred incidents a difference of two or
 * three passes is noise, and tuning on noise is how a rule base learns its own corpus.
 */

/** An incident's outcome as a run reports it: `rca kb eval` in either mode. */
export interface PassOutcome {
  id: string;
  passed: boolean;
}

export interface PassChange {
  /** Incidents in both runs. */
  compared: number;
  /** Passing now, not in the baseline; ids in the run's order. */
  gained: string[];
  /** Passing in the baseline, not now. */
  lost: string[];
  /** Exact two-sided sign test of gained against lost: the chance of a split at least this uneven if the change did nothing. */
  pValue: number;
}

/** The pass changes between a baseline and a run, paired by incident id; incidents in one run only are not compared. */
export function passChange(now: readonly PassOutcome[], baseline: readonly PassOutcome[]): PassChange {
  const before = new Map(baseline.map((r) => [r.id, r.passed]));
  const gained: string[] = [];
  const lost: string[] = [];
  let compared = 0;
  for (const { id, passed } of now) {
    const was = before.get(id);
    if (was === undefined) continue;
    compared++;
    if (passed && !was) gained.push(id);
    else if (!passed && was) lost.push(id);
  }
  return { compared, gained, lost, pValue: signTest(gained.length, lost.length) };
}

/**
 * Two-sided exact sign test: P(a split of a + b fair coin flips at least as uneven as a : b),
 * 1 when nothing changed. Summed in log space so that thousands of changes do not overflow.
 */
export function signTest(a: number, b: number): number {
  const n = a + b;
  const k = Math.min(a, b);
  if (n === 0) return 1;
  let logChoose = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logChoose - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** The significance level the report names: the usual 5%. */
const ALPHA = 0.05;
/** Ids listed per side before "and N more". */
const LISTED = 8;

const listed = (ids: readonly string[]) => (ids.length <= LISTED ? ids.join(', ') : `${ids.slice(0, LISTED).join(', ')} and ${ids.length - LISTED} more`);

/** One line for a curator: what changed its pass against the baseline, and whether that is beyond chance. */
export function formatPassChange(change: PassChange): string {
  const { gained, lost, pValue } = change;
  if (gained.length + lost.length === 0) return `  against the baseline: no incident changed its pass (${change.compared} compared)`;
  const parts = [`${gained.length} now pass${gained.length > 0 ? ` (${listed(gained)})` : ''}`, `${lost.length} no longer pass${lost.length > 0 ? ` (${listed(lost)})` : ''}`];
  const verdict = pValue < ALPHA ? `beyond chance at ${ALPHA}` : `within chance at ${ALPHA}`;
  return `  against the baseline: ${parts.join(', ')} of ${change.compared} compared; sign test p = ${pValue.toFixed(3)}, ${verdict}`;
}
