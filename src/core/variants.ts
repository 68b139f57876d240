import type { Check, CheckVariant, Question as KbQuestion } from '../generated/kb-file.js';
import { pointerToken } from './errors.js';
import type { KnowledgeBase, LoadedCheck } from './kb.js';
import { placeOf } from './kb-place.js';
import { localize } from './localize.js';
import type { FactMap } from './vocabulary.js';
import type { CheckAsWritten } from '../generated/hypothesis.js';

/**
 * A command written for each value of one fact: a question's `howBy`, a check's `commandBy`
 * (jstat on a JVM, --trace-gc on Node.js, by app.runtime). The entry's own command is the default.
 */
export interface ByFact<T> {
  fact: string;
  variants: Readonly<Record<string, T>>;
}

/**
 * The variant these facts select, with its name: the one written for the fact's value; undefined,
 * the default, when the fact is unknown or no variant names its value. A lookup, not a condition
 * run by the rule engine, where an absent fact could read as a value: a command fits a runtime
 * only once the engineer has said which it is. A boolean fact's variants are named true and false.
 */
export function selectVariant<T>(by: ByFact<T> | undefined, facts: FactMap): { name: string; variant: T } | undefined {
  if (by === undefined) return undefined;
  const value = Object.hasOwn(facts, by.fact) ? facts[by.fact] : undefined;
  if (value === undefined) return undefined;
  const name = String(value);
  return Object.hasOwn(by.variants, name) ? { name, variant: by.variants[name] as T } : undefined;
}

/** A question's command, the parse kind that reads its output and the facts it prints, as written for the facts (`variant`: the one chosen, if any). */
export interface QuestionCommand {
  how?: string;
  paste?: string;
  /** The facts of the paste's kind that the command's output prints, where the entry says (`carries`). */
  carries?: readonly string[];
  variant?: string;
}

/** What a question's command is known by, for what is read from it once (its paste, its source): the fact, and the variant chosen, if any. */
export const commandKey = (fact: string, variant: string | undefined): string => (variant === undefined ? fact : `${fact}\n${variant}`);

/** The command of a question these facts select (selectVariant): a variant's how and paste, else the question's own. */
export function questionCommand(question: KbQuestion, facts: FactMap): QuestionCommand {
  const selected = selectVariant(question.howBy, facts);
  if (selected === undefined) return { how: question.how, paste: question.paste, carries: question.carries };
  return { how: selected.variant.how, paste: selected.variant.paste, carries: selected.variant.carries, variant: selected.name };
}

/**
 * Every command a question may show, each with the JSON pointer under the question of the object
 * that holds its `how` and `paste` (the question itself at ''): its own (if any), then each
 * variant's. What the checks of commands read, so that a variant is checked as the default is.
 */
export function questionCommands(question: KbQuestion): Array<{ how: string; paste?: string; carries?: readonly string[]; pointer: string; variant?: string }> {
  const own = question.how === undefined ? [] : [{ how: question.how, paste: question.paste, carries: question.carries, pointer: '' }];
  const variants = Object.entries(question.howBy?.variants ?? {}).map(([variant, v]) => ({ how: v.how, paste: v.paste, carries: v.carries, pointer: `/howBy/variants/${pointerToken(variant)}`, variant }));
  return [...own, ...variants];
}

/**
 * Whether the form at POINTER of a question or a check (questionCommands, checkForms) is the
 * command line it takes from a named command (`run`): a check of that command line is made once,
 * where the command is written, not at each entry that runs it.
 */
export const fromNamedCommand = (entry: { run?: string }, pointer: string): boolean => pointer === '' && entry.run !== undefined;

/** Every form of a check, each with the JSON pointer under the check where it is written (the check itself at ''), then each variant. */
export function checkForms<C extends Check>(check: C): Array<{ check: C | CheckVariant; pointer: string; variant?: string }> {
  return [{ check, pointer: '' }, ...Object.entries(check.commandBy?.variants ?? {}).map(([variant, v]) => ({ check: v, pointer: `/commandBy/variants/${pointerToken(variant)}`, variant }))];
}

/**
 * Every command line of a knowledge base as it is written, for the lint checks that read them: a
 * named command once, where it is written (not at each question and check that runs it), each
 * question's and check's own, and their variants'; each with its file, JSON pointer and the id
 * its findings name (the command's name, the question's fact, the hypothesis).
 */
export function* commandsAsWritten(kb: Pick<KnowledgeBase, 'commands' | 'questions' | 'hypotheses'>): Generator<{ text: string; file: string; path: string; id: string }, void, undefined> {
  for (const [name, { value, file, path }] of kb.commands) yield { text: value.how, file, path: `${path}/how`, id: name };
  for (const [fact, question] of kb.questions) {
    for (const { how, pointer } of questionCommands(question.value)) if (!fromNamedCommand(question.value, pointer)) yield { text: how, file: question.file, path: `${question.path}${pointer}/how`, id: fact };
  }
  for (const [id, entry] of kb.hypotheses) {
    for (const [i, c] of entry.value.checks.entries()) {
      for (const { check, pointer } of checkForms(c)) {
        if (fromNamedCommand(c, pointer)) continue;
        const { file, path } = placeOf(entry, `/checks/${i}${pointer}/command`);
        yield { text: check.command, file, path, id };
      }
    }
  }
}

/** A check as the knowledge base writes it, in one language, with its variants (the catalogue's: GET /v1/hypotheses, rca kb show). */
export type { CheckAsWritten };

/** CHECK as written, in LANG: its template, not filled, the named command it runs, and each variant with the fact and value that choose it. */
export function checkAsWritten(check: LoadedCheck, lang: string): CheckAsWritten {
  const text = (c: CheckVariant) => ({ command: c.command, where: c.where ?? 'any', confirms: localize(c.confirms, lang), rulesOut: localize(c.rulesOut, lang) });
  const by = check.commandBy;
  return { ...text(check), ...(check.run !== undefined && { run: check.run }), ...(by && { variants: Object.entries(by.variants).map(([value, v]) => ({ fact: by.fact, value, ...text(v) })) }) };
}
