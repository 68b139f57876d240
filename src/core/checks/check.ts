import type { Command, Condition, Hypothesis, Model, Question, Rule } from '../../generated/kb-file.js';
import type { KbPlace } from '../errors.js';
import type { KbSource, KnowledgeBase } from '../kb.js';
import type { Located, Packed } from '../kb-place.js';
import type { PasteKinds } from '../paste.js';
import type { Vocabulary } from '../vocabulary.js';
import type { CheckMeta as PrintedCheckMeta, Severity } from '../../generated/kb-lint.js';

/** fatal: a load check, the knowledge base does not load; error and warning: lint findings. */
export type { Severity };

/** What a check is, beside its code: `rca kb lint --list` prints it (kb-lint.schema.json's CheckMeta), of one severity. */
export type CheckMeta<S extends Severity = Severity> = Omit<PrintedCheckMeta, 'severity'> & { severity: S };

/** Records one finding of the check being run, at a file and a JSON pointer inside it (a duplicate: and where the id was first defined). */
export type Report = (file: string, path: string, message: string, firstDefined?: KbPlace) => void;

/** Places a JSON pointer in its file: at its line and column when the file is YAML or JSON whose text shows it. */
export type Place = (file: string, path: string) => KbPlace;

/** What the loader's checks see: every pack's entries merged, each with where it is defined. */
export interface MergedKb {
  /** With where later packs' extensions wrote their parts (placeOf). */
  hypotheses: ReadonlyMap<string, Packed<Hypothesis>>;
  rules: ReadonlyMap<string, Located<Rule>>;
  named: ReadonlyMap<string, Located<Condition>>;
  /** Each with the fields of the named command it runs (runCommands). */
  questions: ReadonlyMap<string, Located<Question>>;
  commands: ReadonlyMap<string, Located<Command>>;
  /** The differential's section, merged over packs. */
  model: Located<Model> | undefined;
  /** Rules a pack disabled or --min-status left out: a replacedBy may still name one. */
  removedRules: ReadonlySet<string>;
  /** Files of the build-time snapshot: their templates were checked when it was built. */
  trusted: ReadonlySet<string>;
  /** The shipped facts and those the files declare (a declaration with a finding left out). */
  vocabulary: Vocabulary;
}

/**
 * A check the loader runs on the merged entries; any finding is fatal. Like an ESLint rule it
 * says which entries it visits: the runner calls each visitor per entry, in load order.
 */
export interface LoadCheck {
  meta: CheckMeta<'fatal'>;
  /** Each file's parsed document, before merging: a file with a finding is not merged. */
  file?(source: KbSource, report: Report): void;
  /** Every condition tree: named conditions, a rule's conditions, a question's askIf. */
  condition?(condition: Condition, file: string, path: string, kb: MergedKb, report: Report): void;
  /** The whole set of named conditions and rules, after the named conditions' own trees. */
  knowledgeBase?(kb: MergedKb, report: Report): void;
  rule?(rule: Located<Rule>, kb: MergedKb, report: Report): void;
  hypothesis?(hypothesis: Packed<Hypothesis>, kb: MergedKb, report: Report): void;
  question?(question: Located<Question>, kb: MergedKb, report: Report): void;
}

/** Records one lint finding about the rule, hypothesis, question, condition or fact `id` (about two entries: and where the other is, as the message names it). */
export type LintReport = (file: string, path: string, id: string, message: string, firstDefined?: KbPlace) => void;

/**
 * What lint checks may consult beyond the knowledge base, passed in by the edges (the core
 * never imports the parsers): the kinds of command output `rca parse` reads, what each carries,
 * and whether the curl-w parser reads a curl command's -w output.
 */
export interface LintContext {
  /** The parse kinds there are. */
  pasteKinds: readonly string[];
  /** The kinds that carry a fact (kindsCarrying). */
  kindsCarrying: PasteKinds;
  /**
   * What `rca parse curl-w` makes of `curl -w FORMAT`'s output, REQUESTS runs in a row (a loop):
   * undefined when it reads each as a request; else that output in a sample run and the named
   * form of FORMAT's variables, which it reads (readWriteOut).
   */
  readCurlWriteOut: (format: string, requests: number) => { sample: string; named: string } | undefined;
}

/** A check `rca kb lint` runs on a knowledge base that loaded; PLACE says where another entry a finding names is. */
export interface LintCheck {
  meta: CheckMeta<'error' | 'warning'>;
  run(kb: KnowledgeBase, report: LintReport, context: LintContext, place: Place): void;
}

/**
 * A check `rca kb test` runs on a rule's cases, which takes the engine: its code is the tester's
 * (src/kbtools/tester.ts), its meta here with the others. A finding fails kb test, and a rule may
 * waive it with lintIgnore as it does a lint check.
 */
export interface TestCheck {
  meta: CheckMeta<'error'>;
}
