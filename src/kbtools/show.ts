import { closest } from 'fastest-levenshtein';
import type { Check } from '../generated/kb-file.js';
import { locate, UsageError } from '../core/errors.js';
import type { KnowledgeBase } from '../core/kb.js';
import { localize } from '../core/localize.js';
import type { Scenario } from '../core/scenarios.js';
import { readableCondition } from './readable.js';

/** Where an entry sits: its file and, for YAML, the line its `- id:` starts on (JSON files give the entry's JSON path instead). */
export interface ShownLocation {
  file: string;
  line?: number;
  path: string;
}

export interface ShownRule extends ShownLocation {
  id: string;
  cf: number;
  condition: string;
}

export interface ShownHypothesis extends ShownLocation {
  id: string;
  title: string;
  category: string;
  description: string;
  symptoms: string[];
  checks: Array<{ command: string; where: NonNullable<Check['where']>; confirms: string; rulesOut: string }>;
  rules: { for: ShownRule[]; against: ShownRule[] };
  questions: Array<{ fact: string; text: string }>;
  scenarios: Array<{ file: string; role: 'top1' | 'alternate' | 'ruledOut' }>;
}

/** The text of a knowledge-base file by its name as the KB gives it (rule.file); undefined when it cannot be read. */
export type SourceText = (file: string) => string | undefined;

/**
 * The line each `- id: X` entry starts on, per top-level section (`rules`, `hypotheses`), in one
 * pass over the file's lines: a hypothesis and a rule may share an id, the section tells them apart.
 */
export function entryLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let section = '';
  text.split('\n').forEach((line, index) => {
    const top = /^([A-Za-z_]\w*):/.exec(line);
    if (top?.[1]) section = top[1];
    const entry = /^\s*-\s+id:\s*["']?([^"'\s#]+)/.exec(line);
    const key = entry?.[1] && `${section}/${entry[1]}`;
    if (key && !lines.has(key)) lines.set(key, index + 1);
  });
  return lines;
}

/** Where an entry of a section (`rules`, `hypotheses`) sits, file:line when its file is YAML that can be read; each file is read once. */
export function entryLocator(sourceText: SourceText): (file: string, path: string, section: string, entryId: string) => ShownLocation {
  const linesOf = new Map<string, Map<string, number>>();
  return (file, path, section, entryId) => {
    let lines = linesOf.get(file);
    if (!lines) linesOf.set(file, (lines = entryLines(sourceText(file) ?? '')));
    const line = lines.get(`${section}/${entryId}`);
    return line === undefined ? { file, path } : { file, line, path };
  };
}

/** Everything about one hypothesis: its checks, the rules for and against it, the questions feeding them, the scenarios naming it. */
export function showHypothesis(kb: KnowledgeBase, scenarios: readonly Scenario[], id: string, lang: string, sourceText: SourceText): ShownHypothesis {
  const located = kb.hypotheses.get(id);
  if (!located) {
    // A rule's id is the commonest slip (rules and hypotheses share their namespaces): name what it is evidence for.
    const rule = kb.rules.find((r) => r.id === id);
    if (rule) {
      const named = (role: string, positive: boolean) => {
        const ids = rule.rule.evidence.filter((e) => e.cf > 0 === positive).map((e) => `"${e.hypothesis}"`);
        return ids.length > 0 ? [`${role} ${ids.join(', ')}`] : [];
      };
      const roles = [...named('for', true), ...named('against', false)];
      throw new UsageError(`kb show: expected a hypothesis id, got the rule "${id}" (evidence ${roles.join('; ')}: show one of those)`);
    }
    const known = [...kb.hypotheses.keys()];
    const hint = known.length > 0 ? ` (did you mean "${closest(id, known)}"?)` : '';
    throw new UsageError(`kb show: expected a hypothesis id, got unknown "${id}"${hint}`);
  }
  const where = entryLocator(sourceText);
  const h = located.value;
  const rules: ShownRule[] = kb.rules.flatMap((compiled) =>
    compiled.rule.evidence
      .filter((e) => e.hypothesis === id)
      .map((e) => ({ id: compiled.id, cf: e.cf, ...where(compiled.file, compiled.path, 'rules', compiled.id), condition: readableCondition(compiled.rule.conditions, kb.conditions, lang) })),
  );
  rules.sort((a, b) => Math.abs(b.cf) - Math.abs(a.cf) || a.id.localeCompare(b.id));
  const facts = new Set(kb.rules.filter((r) => r.rule.evidence.some((e) => e.hypothesis === id)).flatMap((r) => r.facts));
  const questions = [...facts]
    .sort()
    .flatMap((fact) => {
      const question = kb.questions.get(fact);
      return question ? [{ fact, text: localize(question.value.text, lang) }] : [];
    });
  const roles = (s: Scenario): ShownHypothesis['scenarios'] => [
    ...(s.expect.top1 === id ? [{ file: s.file, role: 'top1' as const }] : []),
    ...(s.expect.alternates?.includes(id) ? [{ file: s.file, role: 'alternate' as const }] : []),
    ...(s.expect.ruledOut?.includes(id) ? [{ file: s.file, role: 'ruledOut' as const }] : []),
  ];
  return {
    id,
    ...where(located.file, located.path, 'hypotheses', id),
    title: localize(h.title, lang),
    category: h.category,
    description: localize(h.description, lang),
    symptoms: h.symptoms ?? [],
    checks: h.checks.map((c) => ({ command: c.command, where: c.where ?? 'any', confirms: localize(c.confirms, lang), rulesOut: localize(c.rulesOut, lang) })),
    rules: { for: rules.filter((r) => r.cf > 0), against: rules.filter((r) => r.cf <= 0) },
    questions,
    scenarios: scenarios.flatMap(roles),
  };
}

const at = (l: ShownLocation) => (l.line === undefined ? locate(l.file, l.path) : `${l.file}:${l.line}`);
const signed = (cf: number) => `${cf > 0 ? '+' : ''}${cf.toFixed(2)}`;

/** The hypothesis as text for a terminal, one section per kind of entry. */
export function formatShown(shown: ShownHypothesis): string[] {
  const ruleLines = (title: string, rules: ShownRule[]) => [
    '',
    `${title} (${rules.length}):`,
    ...rules.flatMap((r) => [`  ${signed(r.cf).padStart(5)}  ${r.id}  ${at(r)}`, `         ${r.condition}`]),
  ];
  return [
    `${shown.id} (${shown.category}): ${shown.title}`,
    `  ${at(shown)}`,
    `  symptoms: ${shown.symptoms.join(', ') || '(none)'}`,
    '',
    ...shown.description.trim().split('\n').map((line) => `  ${line}`),
    '',
    `checks (${shown.checks.length}):`,
    ...shown.checks.flatMap((c) => [`  [${c.where}] ${c.command}`, `      confirms: ${c.confirms}`, `      rules out: ${c.rulesOut}`]),
    ...ruleLines('rules for', shown.rules.for),
    ...ruleLines('rules against', shown.rules.against),
    '',
    `questions (${shown.questions.length}):`,
    ...shown.questions.map((q) => `  ${q.fact}: ${q.text}`),
    '',
    `scenarios (${shown.scenarios.length}):`,
    ...shown.scenarios.map((s) => `  ${s.role.padEnd(9)}  ${s.file}`),
  ];
}
