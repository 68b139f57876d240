import type { FactValue } from '../../core/vocabulary.js';
import type { ParseContext } from './types.js';

/**
 * What the lines of an artifact showed: each fact's values and how many lines showed each, in
 * first-seen order. Parsers that read one finding per line (an application's errors, a
 * connect test run for several addresses) count them here and settle them once.
 */
export class Tally {
  private readonly counts = new Map<string, Map<FactValue, number>>();

  /** One more line showing `fact` = `value`. */
  add(fact: string, value: FactValue): void {
    const counts = this.counts.get(fact) ?? new Map<FactValue, number>();
    counts.set(value, (counts.get(value) ?? 0) + 1);
    this.counts.set(fact, counts);
  }

  get empty(): boolean {
    return this.counts.size === 0;
  }

  /**
   * The value each fact takes: the one most lines show. Lines that disagree (a connect both
   * refused and timed out) are reported through `context.warn`, never settled in silence; ties go
   * to the value that sorts first, so the answer does not depend on line order.
   */
  settle(context: ParseContext | undefined): Record<string, FactValue> {
    const facts: Record<string, FactValue> = {};
    for (const [fact, counts] of this.counts) {
      const ranked = [...counts].sort(([a, m], [b, n]) => n - m || String(a).localeCompare(String(b)));
      const [kept] = ranked[0] as [FactValue, number];
      facts[fact] = kept;
      if (ranked.length > 1) {
        const shown = ranked.map(([value, n]) => `${JSON.stringify(value)} on ${n} line${n === 1 ? '' : 's'}`).join(', ');
        context?.warn?.({ field: fact, message: `the lines disagree: ${shown}; kept ${JSON.stringify(kept)}, the commonest` });
      }
    }
    return facts;
  }
}
