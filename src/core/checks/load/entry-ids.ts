import { locate } from '../../errors.js';
import type { Located, PackChange, Packed } from '../../kb.js';
import type { LoadCheck, Report } from '../check.js';

export const entryIds: LoadCheck = {
  meta: {
    id: 'entry-ids',
    severity: 'fatal',
    docs: {
      description: 'Each hypothesis, rule, question and named condition is defined once; a later pack replaces one only with override: true, and an override or disable names an entry an earlier pack defines.',
      why: 'Two definitions of one id would leave it to the file order which one counts, and an override or disable of a misspelt id would change nothing without a word.',
    },
  },
};


/** Adds an entry under its id: a new id is added; the same id again is a finding unless a later pack overrides it. */
export function addEntry<T>(map: Map<string, Packed<T>>, id: string, entry: Packed<T>, kind: PackChange['entry'] | 'condition', override: boolean | undefined, changes: PackChange[], report: Report): void {
  const previous = map.get(id);
  if (!previous) {
    if (override) report(entry.file, `${entry.path}/override`, `${kind} "${id}" overrides nothing: no earlier pack defines it`);
    map.set(id, entry);
  } else if (override && previous.pack < entry.pack && kind !== 'condition') {
    changes.push({ kind: 'override', entry: kind, id, file: entry.file, previous: locate(previous.file, previous.path), reason: 'override: true' });
    map.set(id, entry);
  } else {
    const hint = previous.pack < entry.pack && kind !== 'condition' ? '; set override: true to replace it' : '';
    report(entry.file, entry.path, `duplicate ${kind} "${id}" (first defined in ${locate(previous.file, previous.path)}${hint})`);
  }
}

/** Removes each disabled rule, recording the change; a disable of an unknown rule is a finding. */
export function applyDisables<T>(rules: Map<string, Located<T>>, disables: ReadonlyArray<{ rule: string; reason: string; file: string; path: string }>, changes: PackChange[], report: Report): void {
  for (const d of disables) {
    const target = rules.get(d.rule);
    if (!target) report(d.file, `${d.path}/rule`, `disables unknown rule "${d.rule}"`);
    else {
      rules.delete(d.rule);
      changes.push({ kind: 'disable', entry: 'rule', id: d.rule, file: d.file, previous: locate(target.file, target.path), reason: d.reason });
    }
  }
}
