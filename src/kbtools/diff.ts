import { diagnose } from '../core/diagnose.js';
import { normalizeFacts } from '../core/facts.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { Scenario } from '../core/scenarios.js';

export interface EntryChange {
  id: string;
  /** Which parts changed: conditions, evidence (cf), status, description, checks ... */
  fields: string[];
  /** Each changed part's old and new value (undefined where it was added or removed). */
  values: Array<{ field: string; before: unknown; after: unknown }>;
}

export interface KbDiff {
  rules: { added: string[]; removed: string[]; changed: EntryChange[] };
  hypotheses: { added: string[]; removed: string[]; changed: EntryChange[] };
  impact: Array<{ file: string; expected: string; oldTop3: string[]; newTop3: string[]; top1Changed: boolean }>;
}

function compare<T extends object>(oldMap: ReadonlyMap<string, T>, newMap: ReadonlyMap<string, T>, ignore: ReadonlySet<string>) {
  const added = [...newMap.keys()].filter((id) => !oldMap.has(id)).sort();
  const removed = [...oldMap.keys()].filter((id) => !newMap.has(id)).sort();
  const changed: EntryChange[] = [];
  for (const [id, after] of newMap) {
    const before = oldMap.get(id);
    if (!before) continue;
    const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => !ignore.has(k)));
    const old = before as Record<string, unknown>;
    const now = after as Record<string, unknown>;
    const fields = [...keys].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k])).sort();
    if (fields.length > 0) changed.push({ id, fields, values: fields.map((field) => ({ field, before: old[field], after: now[field] })) });
  }
  return { added, removed, changed: changed.sort((a, b) => (a.id < b.id ? -1 : 1)) };
}

/**
 * What changed between two knowledge bases, and the impact: every scenario whose top-1 or
 * top-3 differs when diagnosed with each.
 */
export async function diffKnowledgeBases(before: KnowledgeBase, after: KnowledgeBase, scenarios: readonly Scenario[]): Promise<KbDiff> {
  // Cases are tests, not behaviour; a change to them alone changes no diagnosis.
  const rules = compare(new Map(before.rules.map((r) => [r.id, r.rule])), new Map(after.rules.map((r) => [r.id, r.rule])), new Set(['cases', 'lintIgnore']));
  const hypotheses = compare(new Map([...before.hypotheses].map(([k, v]) => [k, v.value])), new Map([...after.hypotheses].map(([k, v]) => [k, v.value])), new Set(['lintIgnore']));
  const impact: KbDiff['impact'] = [];
  for (const s of scenarios) {
    const facts = normalizeFacts(s.facts, after.vocabulary, s.file);
    const oldTop3 = (await diagnose(before, facts, { top: 3 })).hypotheses.map((h) => h.id);
    const newTop3 = (await diagnose(after, facts, { top: 3 })).hypotheses.map((h) => h.id);
    if (JSON.stringify(oldTop3) !== JSON.stringify(newTop3)) impact.push({ file: s.file, expected: s.expect.top1, oldTop3, newTop3, top1Changed: oldTop3[0] !== newTop3[0] });
  }
  return { rules, hypotheses, impact };
}

export function isEmptyDiff(diff: KbDiff): boolean {
  const none = (d: { added: string[]; removed: string[]; changed: EntryChange[] }) => d.added.length + d.removed.length + d.changed.length === 0;
  return none(diff.rules) && none(diff.hypotheses) && diff.impact.length === 0;
}
