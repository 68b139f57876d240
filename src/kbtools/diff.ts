import { diagnose } from '../core/diagnose.js';
import { normalizeFacts } from '../core/facts.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { Scenario } from '../core/scenarios.js';

export interface EntryChange {
  id: string;
  /** Which parts changed: conditions, evidence (cf), status, description, checks ... */
  fields: string[];
  /**
   * Each changed value, as deep as it changed (`evidence[network.icmp_filtered].cf`,
   * `likelihoods["symptom.kind"].slow`), old and new (undefined where it was added or removed).
   */
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
    if (fields.length > 0) changed.push({ id, fields, values: fields.flatMap((field) => changedValues(field, old[field], now[field])) });
  }
  return { added, removed, changed: changed.sort((a, b) => (a.id < b.id ? -1 : 1)) };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A key as it reads in a path: bare when it is a name, quoted when it has dots or the like (a fact name). */
const keyPath = (path: string, key: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
/** The key that names each item of a list of entries (evidence by hypothesis, checks by nothing), when every item has a distinct one. */
function itemKey(items: readonly unknown[]): string | undefined {
  return ['hypothesis', 'id', 'fact'].find((key) => items.every((item) => isRecord(item) && typeof item[key] === 'string') && new Set(items.map((item) => (item as Record<string, unknown>)[key])).size === items.length);
}

/**
 * The values that differ between two versions of one field, as deep as they differ: objects key
 * by key, lists of entries by the key that names them (evidence by hypothesis), other lists of
 * one length item by item. A cf change reads `evidence[app.gc_pauses].cf: 0.6 -> 0.7`, not the
 * whole evidence list twice.
 */
function changedValues(path: string, before: unknown, after: unknown): Array<{ field: string; before: unknown; after: unknown }> {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => changedValues(keyPath(path, key), before[key], after[key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = itemKey(before);
    if (key !== undefined && key === itemKey(after)) {
      const byKey = (items: unknown[]) => new Map(items.map((item) => [(item as Record<string, unknown>)[key] as string, item]));
      const [old, now] = [byKey(before), byKey(after)];
      return [...new Set([...old.keys(), ...now.keys()])].flatMap((name) => changedValues(`${path}[${name}]`, old.get(name), now.get(name)));
    }
    if (before.length === after.length) return before.flatMap((item, i) => changedValues(`${path}[${i}]`, item, after[i]));
  }
  return [{ field: path, before, after }];
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
