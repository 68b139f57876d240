import { diagnose } from '../core/diagnose.js';
import { normalizeFacts } from '../core/facts.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { Scenario } from '../core/scenarios.js';
import type { ChangedValue, EntryChange, FieldChanges, KbDiff, SectionDiff } from '../generated/kb-diff.js';

/** What `rca kb diff -f json` prints (kb-diff.schema.json): each section's entries added, removed and changed, field by field, and the scenarios ranked differently. */
export type { ChangedValue, EntryChange, FieldChanges, KbDiff, SectionDiff };

/**
 * What says how an entry was layered or checked, not what it is: `override` (a pack's entry
 * replacing the one below it is compared with it as an entry), `lintIgnore`, and a rule's
 * `cases` (tests: a change to them alone changes no diagnosis).
 */
const NOT_BEHAVIOUR: ReadonlySet<string> = new Set(['override', 'lintIgnore', 'cases']);

/** The top-level fields of two versions of one entry that differ, each with its values as deep as they differ; null when none does. */
function fieldChanges(before: object, after: object): FieldChanges | null {
  const old = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(old), ...Object.keys(now)].filter((k) => !NOT_BEHAVIOUR.has(k)));
  const fields = [...keys].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k])).sort();
  return fields.length > 0 ? { fields, values: fields.flatMap((field) => changedValues(field, old[field], now[field])) } : null;
}

function compare<T extends object>(oldMap: ReadonlyMap<string, T>, newMap: ReadonlyMap<string, T>): SectionDiff {
  const added = [...newMap.keys()].filter((id) => !oldMap.has(id)).sort();
  const removed = [...oldMap.keys()].filter((id) => !newMap.has(id)).sort();
  const changed: EntryChange[] = [];
  for (const [id, after] of newMap) {
    const before = oldMap.get(id);
    const changes = before && fieldChanges(before, after);
    if (changes) changed.push({ id, ...changes });
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
 * by key, lists of entries by the key that names them (evidence by hypothesis), other lists item
 * by item, an item past the other list's end being added or removed. An object or a list added
 * or removed is shown key by key, item by item, too. A cf change reads `evidence[app.gc_pauses].cf: 0.6 -> 0.7`, not the
 * whole evidence list twice; a check an extension adds reads `checks[4].command: (none) -> "dig
 * +trace {{target.host}}"`: the whole list, cut to a line, read the same on both sides.
 */
function changedValues(path: string, before: unknown, after: unknown): ChangedValue[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if ((isRecord(before) || before === undefined) && (isRecord(after) || after === undefined)) {
    const [old, now] = [before ?? {}, after ?? {}];
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])];
    return keys.flatMap((key) => changedValues(keyPath(path, key), old[key], now[key]));
  }
  if ((Array.isArray(before) || before === undefined) && (Array.isArray(after) || after === undefined)) {
    const [was, is] = [before ?? [], after ?? []];
    const key = itemKey(was);
    if (key !== undefined && key === itemKey(is)) {
      const byKey = (items: unknown[]) => new Map(items.map((item) => [(item as Record<string, unknown>)[key] as string, item]));
      const [old, now] = [byKey(was), byKey(is)];
      return [...new Set([...old.keys(), ...now.keys()])].flatMap((name) => changedValues(`${path}[${name}]`, old.get(name), now.get(name)));
    }
    return Array.from({ length: Math.max(was.length, is.length) }, (_, i) => changedValues(`${path}[${i}]`, was[i], is[i])).flat();
  }
  return [{ field: path, before, after }];
}

const entryValues = <T>(map: ReadonlyMap<string, { value: T }>) => new Map([...map].map(([key, located]) => [key, located.value]));

/**
 * What changed between two knowledge bases, section by section, and the impact: every scenario
 * whose top-1 or top-3 differs when diagnosed with each.
 */
export async function diffKnowledgeBases(before: KnowledgeBase, after: KnowledgeBase, scenarios: readonly Scenario[]): Promise<KbDiff> {
  const nameAndVersion = (kb: KnowledgeBase) => ({ name: kb.meta.name, version: kb.meta.version, packs: kb.meta.layers.map((p) => `${p.name} ${p.version}`).join(' + ') });
  // A pack's own facts, as it declared them (the shipped ones are the same on both sides).
  const declared = (kb: KnowledgeBase) => new Map([...kb.vocabulary.declared].map(([name, d]) => [name, d.declaration]));
  const diff = {
    kb: fieldChanges(nameAndVersion(before), nameAndVersion(after)),
    model: fieldChanges(before.model ?? {}, after.model ?? {}),
    facts: compare(declared(before), declared(after)),
    hypotheses: compare(entryValues(before.hypotheses), entryValues(after.hypotheses)),
    conditions: compare(before.conditions, after.conditions),
    rules: compare(new Map(before.rules.map((r) => [r.id, r.rule])), new Map(after.rules.map((r) => [r.id, r.rule]))),
    questions: compare(entryValues(before.questions), entryValues(after.questions)),
  };
  const impact: KbDiff['impact'] = [];
  for (const s of scenarios) {
    const facts = normalizeFacts(s.facts, after.vocabulary, s.file);
    const oldTop3 = (await diagnose(before, facts, { top: 3 })).hypotheses.map((h) => h.id);
    const newTop3 = (await diagnose(after, facts, { top: 3 })).hypotheses.map((h) => h.id);
    if (JSON.stringify(oldTop3) !== JSON.stringify(newTop3)) impact.push({ file: s.file, expected: s.expect.top1, oldTop3, newTop3, top1Changed: oldTop3[0] !== newTop3[0] });
  }
  return { ...diff, impact };
}

/** The keyed sections of a diff, in the order they are printed. */
export const DIFF_SECTIONS = [
  ['fact', 'facts'],
  ['hypothesis', 'hypotheses'],
  ['condition', 'conditions'],
  ['rule', 'rules'],
  ['question', 'questions'],
] as const satisfies ReadonlyArray<readonly [string, keyof KbDiff]>;

export function isEmptyDiff(diff: KbDiff): boolean {
  const none = (d: SectionDiff) => d.added.length + d.removed.length + d.changed.length === 0;
  return diff.kb === null && diff.model === null && DIFF_SECTIONS.every(([, key]) => none(diff[key])) && diff.impact.length === 0;
}
