import type { LintIgnore } from '../../../generated/kb-file.js';
import { didYouMean } from '../../suggest.js';
import type { CheckMeta, LintCheck } from '../check.js';

/**
 * The check of every lintIgnore entry, given the registry's checks (a function: the registry
 * lists this check among them). An entry names a lint check or a kb test check; a load check's
 * finding stops the knowledge base loading, so there is nothing for a lintIgnore to switch off.
 */
export function lintIgnoreCheck(checks: () => readonly CheckMeta[]): LintCheck {
  return {
    meta: {
      id: 'lint-ignore',
      severity: 'error',
      docs: {
        description: 'A lintIgnore entry naming a check that does not exist, or a load check, which cannot be switched off.',
        why: 'A misspelt check (fires-on-absense) switches nothing off: the finding it was written for stays, and the reason beside it reads as if it were waived.',
      },
    },
    run(kb, report) {
      const all = checks();
      const waivable = all.filter((c) => c.severity !== 'fatal').map((c) => c.id);
      const expected = 'a lint check or near-miss, as rca kb lint --list names them';
      const check = (file: string, path: string, id: string, ignores: LintIgnore | undefined) =>
        ignores?.forEach(({ check: named }, i) => {
          const at = `${path}/lintIgnore/${i}/check`;
          const meta = all.find((c) => c.id === named);
          if (meta?.severity === 'fatal') report(file, at, id, `expected ${expected}, got load check ${JSON.stringify(named)}: its findings stop the knowledge base loading, and cannot be switched off`);
          else if (!meta) report(file, at, id, `expected ${expected}${didYouMean(named, waivable)}, got ${JSON.stringify(named)}: it switches nothing off`);
        });
      for (const r of kb.rules) check(r.file, r.path, r.id, r.rule.lintIgnore);
      for (const [id, h] of kb.hypotheses) check(h.file, h.path, id, h.value.lintIgnore);
      for (const [fact, q] of kb.questions) check(q.file, q.path, fact, q.value.lintIgnore);
    },
  };
}
