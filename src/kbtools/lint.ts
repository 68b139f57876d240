import type { Condition, LeafCondition } from '../generated/kb-file.js';
import { combineAll } from '../core/certainty.js';
import { compiledCondition, foldCondition, type ConditionFold } from '../core/conditions.js';
import { OPERATORS } from '../core/operators.js';
import type { KnowledgeBase } from '../core/kb.js';
import { vocabulary } from '../core/vocabulary.js';

export type Severity = 'error' | 'warning';

export interface LintFinding {
  check: string;
  severity: Severity;
  file: string;
  path: string;
  /** The rule, hypothesis, question or fact the finding is about. */
  id: string;
  message: string;
}

export interface LintResult {
  findings: LintFinding[];
  /** Findings switched off by a `lintIgnore` entry, with its reason. */
  suppressed: Array<LintFinding & { reason: string }>;
}

/** Every lint check, its severity and what it guards against. */
export const LINT_CHECKS: Record<string, { severity: Severity; description: string }> = {
  'contradictory-conditions': { severity: 'error', description: 'an `all` that can never hold: one fact must equal two values, or lie in an empty range' },
  'fires-on-absence': { severity: 'warning', description: 'notEqual / notIn / doesNotContain / not: reads as if a missing fact were evidence (rca never fires on absence; say what was seen instead)' },
  'duplicate-rule': { severity: 'error', description: 'two rules with the same conditions' },
  'subsumed-rule': { severity: 'warning', description: "a rule whose conditions include all of another's, for the same hypothesis and sign: the evidence is counted twice" },
  'unsupported-hypothesis': { severity: 'error', description: 'a hypothesis no rule supports (no positive cf): it can never be ranked' },
  'weak-hypothesis': { severity: 'warning', description: 'all supporting rules of a hypothesis together stay below a useful belief (0.5)' },
  'unread-fact': { severity: 'warning', description: 'a fact of the vocabulary that no rule reads' },
  'orphan-question': { severity: 'warning', description: 'a question for a fact that no rule reads' },
  'unused-condition': { severity: 'warning', description: 'a named condition that nothing references' },
  'check-outcome': { severity: 'error', description: 'a check whose confirming and ruling-out outcomes say the same' },
  'cjk-spacing': { severity: 'error', description: 'a space between two Chinese characters in a zh-CN text (usually a YAML line fold: keep such a text on one line)' },
};

/** Two CJK characters (ideographs or CJK / full-width punctuation) with spaces between them. */
const CJK_SPACE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef] +[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/** Every zh-CN text inside an entry, with its JSON path below the entry. */
function chineseTexts(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]): Array<[string, string]> =>
    key === 'zh-CN' && typeof child === 'string' ? [[`${path}/${key}`, child]] : chineseTexts(child, `${path}/${key}`),
  );
}

const USEFUL_BELIEF = 0.5;

/** Leaves that must all hold together (`group`), and the groups of the branches of each `any` beneath. */
interface Conjunctions {
  group: LeafCondition[];
  nested: LeafCondition[][];
}

const CONJUNCTIONS: ConditionFold<Conjunctions> = {
  all: (children) => ({ group: children.flatMap((c) => c.group), nested: children.flatMap((c) => c.nested) }),
  any: (children) => ({ group: [], nested: children.flatMap((c) => [...c.nested, c.group]) }),
  not: () => ({ group: [], nested: [] }),
  leaf: (leaf) => ({ group: [leaf], nested: [] }),
  reference: (_, target) => target ?? { group: [], nested: [] },
};

/** Leaves that must all hold together: the children of `all` nodes, through references. */
function conjunctions(condition: Condition, named: ReadonlyMap<string, Condition>): LeafCondition[][] {
  const { group, nested } = foldCondition(condition, CONJUNCTIONS, named);
  return [...nested, group];
}

/** Why a set of leaves on one fact can never hold together, or undefined when it can. */
function contradiction(leaves: LeafCondition[]): string | undefined {
  const constants = leaves.filter((l) => typeof l.value !== 'object' || Array.isArray(l.value));
  const equals = constants.filter((l) => l.operator === 'equal').map((l) => l.value);
  if (new Set(equals.map((v) => JSON.stringify(v))).size > 1) return `must equal ${equals.map((v) => JSON.stringify(v)).join(' and ')}`;
  const value = equals[0];
  if (value !== undefined) {
    for (const l of constants) {
      if (l.operator === 'notEqual' && l.value === value) return `must equal and not equal ${JSON.stringify(value)}`;
      if (l.operator === 'in' && Array.isArray(l.value) && !l.value.includes(value as never)) return `must equal ${JSON.stringify(value)} and be one of ${JSON.stringify(l.value)}`;
      if (l.operator === 'notIn' && Array.isArray(l.value) && l.value.includes(value as never)) return `must equal ${JSON.stringify(value)} and not be one of ${JSON.stringify(l.value)}`;
    }
  }
  let low = -Infinity;
  let high = Infinity;
  let lowOpen = false;
  let highOpen = false;
  for (const l of constants) {
    if (OPERATORS[l.operator].kind !== 'numeric' || typeof l.value !== 'number') continue;
    if ((l.operator === 'greaterThan' || l.operator === 'greaterThanInclusive') && l.value >= low) {
      lowOpen = l.operator === 'greaterThan' || (l.value === low && lowOpen);
      low = l.value;
    }
    if ((l.operator === 'lessThan' || l.operator === 'lessThanInclusive') && l.value <= high) {
      highOpen = l.operator === 'lessThan' || (l.value === high && highOpen);
      high = l.value;
    }
  }
  if (low > high || (low === high && (lowOpen || highOpen))) return `must be ${lowOpen ? '>' : '>='} ${low} and ${highOpen ? '<' : '<='} ${high}`;
  return undefined;
}

/** The negations a condition uses: `not` (not looked into) and negating operators. */
function negations(condition: Condition, named: ReadonlyMap<string, Condition>): string[] {
  return foldCondition<string[]>(
    condition,
    {
      all: (children) => children.flat(),
      any: (children) => children.flat(),
      not: () => ['not'],
      leaf: (leaf) => (OPERATORS[leaf.operator].negating ? [`${leaf.fact} ${leaf.operator}`] : []),
      reference: (_, target) => target ?? [],
    },
    named,
  );
}

const leafKey = (l: LeafCondition) => JSON.stringify([l.fact, l.operator, l.value]);

/** Runs every lint check over a loaded knowledge base. */
export function lintKnowledgeBase(kb: KnowledgeBase): LintResult {
  const raw: LintFinding[] = [];
  const report = (check: string, file: string, path: string, id: string, message: string) =>
    raw.push({ check, severity: LINT_CHECKS[check]?.severity ?? 'error', file, path, id, message });

  const canonical = new Map<string, string>();
  const leafSets = kb.rules.map((r) => {
    const groups = conjunctions(r.rule.conditions, kb.conditions);
    return { rule: r, leaves: groups.length === 1 ? new Set((groups[0] ?? []).map(leafKey)) : undefined };
  });
  for (const r of kb.rules) {
    for (const group of conjunctions(r.rule.conditions, kb.conditions)) {
      const byFact = new Map<string, LeafCondition[]>();
      for (const leaf of group) byFact.set(leaf.fact, [...(byFact.get(leaf.fact) ?? []), leaf]);
      for (const [fact, leaves] of byFact) {
        const why = contradiction(leaves);
        if (why) report('contradictory-conditions', r.file, `${r.path}/conditions`, r.id, `can never fire: ${fact} ${why}`);
      }
    }
    const negated = negations(r.rule.conditions, kb.conditions);
    if (negated.length > 0) report('fires-on-absence', r.file, `${r.path}/conditions`, r.id, `uses ${negated.join(', ')}: state what was seen (equal / in) so the rule does not read as firing on a missing fact`);
    const key = JSON.stringify(r.rule.conditions);
    const twin = canonical.get(key);
    if (twin) report('duplicate-rule', r.file, `${r.path}/conditions`, r.id, `has the same conditions as ${twin}`);
    else canonical.set(key, r.id);
  }
  for (const a of leafSets) {
    for (const b of leafSets) {
      if (a === b || !a.leaves || !b.leaves || a.leaves.size >= b.leaves.size) continue;
      if (![...a.leaves].every((k) => b.leaves?.has(k))) continue;
      for (const ea of a.rule.rule.evidence) {
        const eb = b.rule.rule.evidence.find((e) => e.hypothesis === ea.hypothesis && Math.sign(e.cf) === Math.sign(ea.cf));
        if (eb) report('subsumed-rule', b.rule.file, `${b.rule.path}/conditions`, b.rule.id, `includes every condition of ${a.rule.id}: whenever it fires ${a.rule.id} fires too, counting evidence for ${ea.hypothesis} twice`);
      }
    }
  }
  for (const [id, { value: h, file, path }] of kb.hypotheses) {
    const support = kb.rules.flatMap((r) => r.rule.evidence.filter((e) => e.hypothesis === id && e.cf > 0).map((e) => e.cf));
    if (support.length === 0) report('unsupported-hypothesis', file, path, id, 'no rule supports it (no positive cf), so it can never be ranked');
    else if (combineAll(support).net < USEFUL_BELIEF) report('weak-hypothesis', file, path, id, `all its supporting rules together reach only ${combineAll(support).net.toFixed(2)} (< ${USEFUL_BELIEF})`);
    h.checks.forEach((c, i) => {
      if (JSON.stringify(c.confirms) === JSON.stringify(c.rulesOut)) report('check-outcome', file, `${path}/checks/${i}`, id, 'confirms and rulesOut say the same: say what each outcome looks like');
    });
  }
  const entries: Array<{ id: string; value: unknown; file: string; path: string }> = [
    ...[...kb.hypotheses].map(([id, e]) => ({ id, ...e })),
    ...[...kb.questions].map(([id, e]) => ({ id, ...e })),
    ...kb.rules.map((r) => ({ id: r.id, value: r.rule, file: r.file, path: r.path })),
  ];
  for (const { id, value, file, path } of entries) {
    for (const [at, text] of chineseTexts(value)) {
      const found = CJK_SPACE.exec(text);
      if (found) report('cjk-spacing', file, `${path}${at}`, id, `a space between Chinese characters: "${found[0]}"`);
    }
  }
  const read = new Set(kb.rules.flatMap((r) => r.facts));
  for (const fact of vocabulary().names) {
    if (read.has(fact)) continue;
    const question = kb.questions.get(fact);
    if (question) report('orphan-question', question.file, question.path, fact, `asks for ${fact}, which no rule reads`);
    else report('unread-fact', 'schemas/facts.schema.json', `/properties/${fact}`, fact, 'no rule reads this fact');
  }
  const referenced = new Set<string>();
  const reference = (condition: Condition) => compiledCondition(condition, kb.conditions).references.forEach((name) => referenced.add(name));
  for (const r of kb.rules) reference(r.rule.conditions);
  for (const { value: q } of kb.questions.values()) if (q.askIf) reference(q.askIf);
  for (const name of kb.conditions.keys()) {
    const at = kb.conditionLocations.get(name);
    if (!referenced.has(name)) report('unused-condition', at?.file ?? '', at?.path ?? `/conditions/${name}`, name, 'no rule or question references it');
  }
  return applyIgnores(kb, raw);
}

function ignoresFor(kb: KnowledgeBase, id: string): Array<{ check: string; reason: string }> {
  return kb.rules.find((r) => r.id === id)?.rule.lintIgnore ?? kb.hypotheses.get(id)?.value.lintIgnore ?? kb.questions.get(id)?.value.lintIgnore ?? [];
}

function applyIgnores(kb: KnowledgeBase, raw: LintFinding[]): LintResult {
  const findings: LintFinding[] = [];
  const suppressed: LintResult['suppressed'] = [];
  for (const f of raw) {
    const ignore = ignoresFor(kb, f.id).find((i) => i.check === f.check);
    if (ignore) suppressed.push({ ...f, reason: ignore.reason });
    else findings.push(f);
  }
  return { findings, suppressed };
}

