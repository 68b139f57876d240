import { closest } from 'fastest-levenshtein';
import { UsageError } from '../core/errors.js';
import { compiledModel, differentialOf } from '../core/differential.js';
import type { KnowledgeBase } from '../core/kb.js';
import { placeOf } from '../core/kb-place.js';
import { localize } from '../core/localize.js';
import { checkAsWritten } from '../core/variants.js';
import { asideText, cfText, formatRatio, labelColon, uiText } from '../core/render.js';
import type { Scenario } from '../core/scenarios.js';
import { atLocation, entryLocator, type SourceText } from './entry-location.js';
import { feedingFacts, likelihoodTable } from './likelihood-table.js';
import { readableCondition } from './readable.js';
import type { ShownCommand, ShownHypothesis, ShownRule } from '../generated/kb-show.js';

/** What `rca kb show -f json` prints (kb-show.schema.json): a hypothesis (ShownHypothesis, its rules ShownRule), or a named command (ShownCommand). */
export type { ShownCommand, ShownHypothesis, ShownRule };

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
    const known = [...kb.hypotheses.keys(), ...kb.commands.keys()];
    const hint = known.length > 0 ? ` (did you mean "${closest(id, known)}"?)` : '';
    throw new UsageError(`kb show: expected a hypothesis id or a named command, got unknown "${id}"${hint}`);
  }
  const where = entryLocator(sourceText);
  const h = located.value;
  const rules: ShownRule[] = kb.rules.flatMap((compiled) =>
    compiled.rule.evidence
      .filter((e) => e.hypothesis === id)
      .map((e) => ({ id: compiled.id, cf: e.cf, ...where(compiled.file, compiled.path), condition: readableCondition(compiled.rule.conditions, kb.conditions, lang) })),
  );
  rules.sort((a, b) => Math.abs(b.cf) - Math.abs(a.cf) || a.id.localeCompare(b.id));
  const likelihoods = likelihoodTable(kb, id);
  const facts = feedingFacts(kb.rules.filter((r) => r.rule.evidence.some((e) => e.hypothesis === id)), likelihoods);
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
    ...where(located.file, located.path),
    extendedBy: [...(located.extensions ?? [])].reverse().map((e) => where(e.file, e.path)),
    title: localize(h.title, lang),
    category: h.category,
    description: localize(h.description, lang),
    prior: { written: h.prior ?? 1, beforeAnyFact: Math.round(priorShare(kb, id) * 10000) / 10000 },
    symptoms: h.symptoms ?? [],
    checks: h.checks.map((c) => {
      const command = c.run === undefined ? undefined : kb.commands.get(c.run);
      return { ...checkAsWritten(c, lang), ...(command && { runAt: where(command.file, command.path) }) };
    }),
    rules: { for: rules.filter((r) => r.cf > 0), against: rules.filter((r) => r.cf <= 0) },
    likelihoods,
    questions,
    scenarios: scenarios.flatMap(roles),
  };
}

/** A hypothesis's probability before any fact: the differential's posterior on no facts and no fired rule. */
function priorShare(kb: KnowledgeBase, id: string): number {
  return differentialOf(kb, {}, new Map()).posterior[compiledModel(kb).position.get(id) as number] as number;
}

/** The fixed words of `kb show`'s text in one language, handed to formatShown as the reports' are handed to their templates. */
export interface ShowWords {
  extendedBy: string;
  prior: string;
  priorNote: string;
  symptoms: string;
  none: string;
  checks: string;
  where: Record<ShownHypothesis['checks'][number]['where'], string>;
  confirms: string;
  rulesOut: string;
  /** Heads a check's variant: "when app.runtime = node". */
  when: string;
  /** Names the named command a check runs. */
  runs: string;
  rulesFor: string;
  rulesAgainst: string;
  likelihoods: string;
  likelihoodsNote: string;
  otherCause: string;
  asBackground: string;
  questions: string;
  scenarios: string;
  /** Heads a named command: "top_snapshot (named command)". */
  namedCommand: string;
  paste: string;
  carries: string;
  runByQuestions: string;
  runByChecks: string;
  /** Between a list's items, as the reports separate them (list_between): "slow, timeout", "slow、timeout". */
  between: string;
  /** Between a heading and the clause after it: ", ", "，". */
  clauseBetween: string;
  /** After a label, as the reports punctuate one (labelColon): "prior: 0.7", "先验：0.7"; `end` where the label ends its line. */
  colon: string;
  colonAtEnd: string;
  /** An aside after the text before it, bracketed as the reports bracket one (asideText): " (4)", "（4）". */
  aside: (text: string) => string;
}

/** kb show's words in LANG, from the reports' (reports/strings.yaml): a check reads as it does in a diagnosis. */
export function showWords(lang: string): ShowWords {
  const t = (key: string) => uiText(key, lang);
  return {
    extendedBy: t('show_extended_by'),
    prior: t('show_prior'),
    priorNote: t('show_prior_note'),
    symptoms: t('show_symptoms'),
    none: t('show_none'),
    checks: t('show_checks'),
    where: { client: t('where_client'), server: t('where_server'), lb: t('where_lb'), any: t('where_any') },
    confirms: t('confirms'),
    rulesOut: t('rules_out'),
    when: t('show_when'),
    runs: t('show_runs'),
    rulesFor: t('show_rules_for'),
    rulesAgainst: t('show_rules_against'),
    likelihoods: t('show_likelihoods'),
    likelihoodsNote: t('show_likelihoods_note'),
    otherCause: t('other_cause'),
    asBackground: t('show_as_background'),
    questions: t('show_questions'),
    scenarios: t('show_scenarios'),
    namedCommand: t('show_named_command'),
    paste: t('show_paste'),
    carries: t('show_carries'),
    runByQuestions: t('show_run_by_questions'),
    runByChecks: t('show_run_by_checks'),
    between: t('list_between'),
    clauseBetween: t('clause_between'),
    colon: labelColon(lang),
    colonAtEnd: labelColon(lang, { atLineEnd: true }),
    aside: (text) => asideText(text, lang),
  };
}

/** The hypothesis as text for a terminal, one section per kind of entry, headed in the words given. */
export function formatShown(shown: ShownHypothesis, words: ShowWords): string[] {
  const { colon, colonAtEnd, aside } = words;
  const ruleLines = (title: string, rules: ShownRule[]) => [
    '',
    `${title}${aside(String(rules.length))}${colonAtEnd}`,
    ...rules.flatMap((r) => [`  ${cfText(r.cf).padStart(5)}  ${r.id}  ${atLocation(r)}`, `         ${r.condition}`]),
  ];
  return [
    `${shown.id} (${shown.category})${colon}${shown.title}`,
    `  ${atLocation(shown)}`,
    ...shown.extendedBy.map((e) => `  ${words.extendedBy} ${atLocation(e)}`),
    `  ${words.prior}${colon}${shown.prior.written}${aside(`${words.priorNote} ${(shown.prior.beforeAnyFact * 100).toFixed(1)}%`)}`,
    `  ${words.symptoms}${colon}${shown.symptoms.join(words.between) || words.none}`,
    '',
    ...shown.description.trim().split('\n').map((line) => `  ${line}`),
    '',
    `${words.checks}${aside(String(shown.checks.length))}${colonAtEnd}`,
    ...shown.checks.flatMap((c) => [
      `  [${words.where[c.where]}] ${c.command}`,
      ...(c.run === undefined ? [] : [`      ${words.runs}${colon}${c.run}${c.runAt ? `  ${atLocation(c.runAt)}` : ''}`]),
      `      ${words.confirms}${colon}${c.confirms}`,
      `      ${words.rulesOut}${colon}${c.rulesOut}`,
      ...(c.variants ?? []).flatMap((v) => [`    ${words.when} ${v.fact} = ${v.value}${colon}[${words.where[v.where]}] ${v.command}`, `        ${words.confirms}${colon}${v.confirms}`, `        ${words.rulesOut}${colon}${v.rulesOut}`]),
    ]),
    ...ruleLines(words.rulesFor, shown.rules.for),
    ...ruleLines(words.rulesAgainst, shown.rules.against),
    '',
    `${words.likelihoods}${aside(String(shown.likelihoods.length))}${words.clauseBetween}${words.likelihoodsNote}${colonAtEnd}`,
    // A probability the loader filled in (what the row left, shared out) is marked ~. Under each
    // fact, the same outcomes under "no known cause": the class every diagnosis weighs it against.
    ...shown.likelihoods.flatMap((l) => [
      `  ${l.fact}${colon}${l.outcomes.map((o) => `${o.outcome} ${o.stated ? '' : '~'}${o.probability} ${formatRatio(o.ratio)}`).join(words.between)}`,
      `      ${words.otherCause}${l.otherCauseRow === 'background' ? aside(words.asBackground) : ''}${colon}${l.outcomes.map((o) => `${o.outcome} ${o.otherCause}`).join(words.between)}`,
    ]),
    '',
    `${words.questions}${aside(String(shown.questions.length))}${colonAtEnd}`,
    ...shown.questions.map((q) => `  ${q.fact}${colon}${q.text}`),
    '',
    `${words.scenarios}${aside(String(shown.scenarios.length))}${colonAtEnd}`,
    ...shown.scenarios.map((s) => `  ${s.role.padEnd(9)}  ${s.file}`),
  ];
}

/** NAME's command, where it is written, and every question and check that runs it (a check's variants write their own). */
export function showCommand(kb: KnowledgeBase, name: string, sourceText: SourceText): ShownCommand | undefined {
  const located = kb.commands.get(name);
  if (!located) return undefined;
  const where = entryLocator(sourceText);
  const questions = [...kb.questions.entries()]
    .filter(([, question]) => question.value.run === name)
    .map(([fact, question]) => ({ fact, ...where(question.file, question.path) }));
  const checks = [...kb.hypotheses.entries()].flatMap(([hypothesis, h]) =>
    h.value.checks.flatMap((check, i) => {
      if (check.run !== name) return [];
      const { file, path } = placeOf(h, `/checks/${i}`);
      return [{ hypothesis, check: i, ...where(file, path) }];
    }),
  );
  const { how, paste, carries } = located.value;
  return { command: name, ...where(located.file, located.path), how, paste: paste ?? null, carries: [...(carries ?? [])], questions, checks };
}

/** The named command as text for a terminal, headed in the words given. */
export function formatShownCommand(shown: ShownCommand, words: ShowWords): string[] {
  const { colon, colonAtEnd, aside } = words;
  return [
    `${shown.command}${aside(words.namedCommand)}`,
    `  ${atLocation(shown)}`,
    `  $ ${shown.how}`,
    ...(shown.paste === null ? [] : [`  ${words.paste}${colon}${shown.paste}`]),
    ...(shown.carries.length === 0 ? [] : [`  ${words.carries}${colon}${shown.carries.join(words.between)}`]),
    '',
    `${words.runByQuestions}${aside(String(shown.questions.length))}${colonAtEnd}`,
    ...shown.questions.map((q) => `  ${q.fact}  ${atLocation(q)}`),
    '',
    `${words.runByChecks}${aside(String(shown.checks.length))}${colonAtEnd}`,
    ...shown.checks.map((c) => `  ${c.hypothesis} #${c.check + 1}  ${atLocation(c)}`),
  ];
}
