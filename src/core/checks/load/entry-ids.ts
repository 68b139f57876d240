import type { Hypothesis, HypothesisExtension } from '../../../generated/kb-file.js';
import { locate, locatePosition, pointerToken } from '../../errors.js';
import { visible } from '../../escape.js';
import type { PackChange } from '../../kb.js';
import type { Located, Packed } from '../../kb-place.js';
import type { LoadCheck, Place, Report } from '../check.js';
import { counted } from '../../counted.js';

export const entryIds: LoadCheck = {
  meta: {
    id: 'entry-ids',
    severity: 'fatal',
    docs: {
      description: 'Each hypothesis, rule, question, named condition and named command is defined once; a later pack replaces a hypothesis, rule or question only with override: true, and an override, extension or disable names an entry an earlier pack defines.',
      why: 'Two definitions of one id would leave it to the file order which one counts, and an override or disable of a misspelt id would change nothing without a word.',
    },
  },
};


/**
 * Adds an entry under its id: a new id is added; the same id again is a finding unless a later
 * pack overrides it, placed (PLACE) at the duplicate and naming where the id was first defined.
 */
export function addEntry<T>(map: Map<string, Packed<T>>, id: string, entry: Packed<T>, kind: PackChange['entry'] | 'condition' | 'command', override: boolean | undefined, changes: PackChange[], report: Report, place: Place): void {
  const previous = map.get(id);
  // Named conditions and commands are maps of names, without an override field: a pack overrides the entries using them.
  const overridable = kind !== 'condition' && kind !== 'command';
  if (!previous) {
    if (override) report(entry.file, `${entry.path}/override`, `${kind} "${id}" overrides nothing: no earlier pack defines it`);
    map.set(id, entry);
  } else if (override && previous.pack < entry.pack && overridable) {
    // Within one pack the override and an extension of the same entry would count by file order.
    const own = previous.extensions?.find((e) => e.pack === entry.pack);
    if (own) {
      const at = place(own.file, own.path);
      return report(entry.file, `${entry.path}/override`, `${kind} "${id}" is overridden and extended in the same pack (extended in ${visible(locatePosition(at))}): put what the extension adds in the override`, at);
    }
    // A later pack's override replaces the entry whole, what earlier extensions added included: say so.
    const dropped = (previous.extensions ?? []).map((e) => locate(e.file, e.path));
    const extended = dropped.length > 0 ? ` with its extensions in ${dropped.join(', ')}` : '';
    changes.push({ kind: 'override', entry: kind, id, file: entry.file, previous: `${locate(previous.file, previous.path)}${extended}`, reason: 'override: true' });
    map.set(id, entry);
  } else {
    const hint = previous.pack < entry.pack && overridable ? '; set override: true to replace it' : '';
    const first = place(previous.file, previous.path);
    // The message keeps its line feeds on a terminal (a parse error's excerpt), so a file name's are shown: it forges no line.
    report(entry.file, entry.path, `duplicate ${kind} "${id}" (first defined in ${visible(locatePosition(first))}${hint})`, first);
  }
}


/**
 * Adds a later pack's extension to the hypothesis an earlier pack defines: likelihood rows (one for
 * a fact the table already weighs replaces it), checks and references after its own, symptoms
 * joined. The merged hypothesis is a new value, whose `extensions` keep where each added field was written.
 */
export function extendHypothesis(map: Map<string, Packed<Hypothesis>>, extension: Packed<HypothesisExtension>, changes: PackChange[], report: Report, place: Place): void {
  const { value: e, file, path, pack } = extension;
  const previous = map.get(e.hypothesis);
  if (!previous) return report(file, `${path}/hypothesis`, `extends unknown hypothesis "${e.hypothesis}"`);
  if (previous.pack >= pack) {
    const own = place(previous.file, previous.path);
    return report(file, `${path}/hypothesis`, `extends hypothesis "${e.hypothesis}" of its own pack (${visible(locatePosition(own))}): edit it there`, own);
  }
  const rows = Object.keys(e.likelihoods ?? {});
  // One pack gives a row once: two of its extensions giving one would count by file order.
  for (const fact of rows) {
    const first = previous.extensions?.find((x) => x.pack === pack && x.parts.some((p) => p.pointer === `/likelihoods/${pointerToken(fact)}`));
    if (first) {
      const at = place(first.file, `${first.path}/likelihoods/${pointerToken(fact)}`);
      return report(file, `${path}/likelihoods/${pointerToken(fact)}`, `hypothesis "${e.hypothesis}" is given a likelihood row for ${fact} twice in one pack (first in ${visible(locatePosition(at))}): give it once`, at);
    }
  }
  const checks = e.checks ?? [];
  const references = e.references ?? [];
  const symptoms = (e.symptoms ?? []).filter((s) => !previous.value.symptoms?.includes(s));
  if (rows.length + checks.length + references.length + symptoms.length === 0) {
    return report(file, path, `expected likelihoods, checks, references or symptoms to add to hypothesis "${e.hypothesis}", got none it does not have`);
  }
  const h = previous.value;
  const value: Hypothesis = {
    ...h,
    ...(rows.length > 0 && { likelihoods: { ...h.likelihoods, ...e.likelihoods } }),
    ...(checks.length > 0 && { checks: [...h.checks, ...checks] }),
    ...(references.length > 0 && { references: [...(h.references ?? []), ...references] }),
    ...(symptoms.length > 0 && { symptoms: [...(h.symptoms ?? []), ...symptoms] }),
  };
  const parts = [
    ...rows.map((fact) => ({ pointer: `/likelihoods/${pointerToken(fact)}`, own: `/likelihoods/${pointerToken(fact)}` })),
    ...checks.map((_, i) => ({ pointer: `/checks/${h.checks.length + i}`, own: `/checks/${i}` })),
    ...references.map((_, i) => ({ pointer: `/references/${(h.references ?? []).length + i}`, own: `/references/${i}` })),
  ];
  map.set(e.hypothesis, { ...previous, value, extensions: [{ file, path, pack, parts }, ...(previous.extensions ?? [])] });
  const replaced = rows.filter((fact) => Object.hasOwn(h.likelihoods ?? {}, fact));
  const added = [
    rows.length > replaced.length && `likelihoods of ${rows.filter((fact) => !replaced.includes(fact)).join(', ')}`,
    replaced.length > 0 && `likelihoods of ${replaced.join(', ')} in place of the rows it had`,
    checks.length > 0 && counted(checks.length, 'check'),
    references.length > 0 && counted(references.length, 'reference'),
    symptoms.length > 0 && `symptoms ${symptoms.join(', ')}`,
  ].filter((x): x is string => typeof x === 'string');
  changes.push({ kind: 'extend', entry: 'hypothesis', id: e.hypothesis, file, previous: locate(previous.file, previous.path), reason: e.reason, adds: added });
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
