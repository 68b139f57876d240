/* Generated from schemas/kb-show.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {KbPlace} from './kb-validate.js';
import type {CheckWhere} from './hypothesis.js';
import type {CheckVariantAsWritten} from './hypothesis.js';

/**
 * What `rca kb show ID -f json` prints: a hypothesis with everything about it (ShownHypothesis), or a named command with the questions and checks that run it (ShownCommand). Texts are in --lang. A knowledge base that does not load prints kb-validate.schema.json's KbInvalid instead.
 */
export type KbShown = ShownHypothesis | ShownCommand;

/**
 * One hypothesis, where it is written: its checks, the rules for and against it, its likelihood table, the questions feeding them and the scenarios naming it.
 */
export interface ShownHypothesis {
  id: string;
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  /**
   * Where later packs extend it (their `extend` entries), in layering order.
   */
  extendedBy: KbPlace[];
  title: string;
  category: string;
  description: string;
  /**
   * Its base rate as written (`prior`, 1 when not) and as the differential weighs it: its probability before any fact, which model.priorWeight 0 makes the same for every cause.
   */
  prior: {
    written: number;
    beforeAnyFact: number;
  };
  symptoms: string[];
  checks: ShownCheck[];
  /**
   * The rules with evidence for it (cf > 0) and against it, the strongest first.
   */
  rules: {
    for: ShownRule[];
    against: ShownRule[];
  };
  /**
   * Its likelihood table as the differential weighs it, the facts whose outcomes it tells apart most first.
   */
  likelihoods: LikelihoodRow[];
  /**
   * The questions that obtain the facts its rules and its table read.
   */
  questions: {
    fact: string;
    text: string;
  }[];
  /**
   * The scenarios naming it: as their expected top-1, an alternate, or a cause they rule out.
   */
  scenarios: {
    file: string;
    role: 'top1' | 'alternate' | 'ruledOut';
  }[];
}
/**
 * A check as written (hypothesis.schema.json's CheckAsWritten), and where the named command it runs is written.
 */
export interface ShownCheck {
  /**
   * The command as the knowledge base writes it (a template over the facts).
   */
  command: string;
  where: CheckWhere;
  confirms: string;
  rulesOut: string;
  /**
   * The named command the check runs; absent when the check writes its own.
   */
  run?: string;
  variants?: CheckVariantAsWritten[];
  runAt?: KbPlace;
}
/**
 * A rule with evidence on the hypothesis: its certainty factor, where it is, and its conditions in words.
 */
export interface ShownRule {
  id: string;
  cf: number;
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  /**
   * Its conditions as readable text (IF ... AND ...).
   */
  condition: string;
}
/**
 * One fact of a hypothesis's likelihood table: each outcome's probability under it, the ratio to incidents in general (the background), and the probability under "no known cause".
 */
export interface LikelihoodRow {
  fact: string;
  outcomes: {
    outcome: string;
    probability: number;
    /**
     * P(outcome | this cause) / P(outcome | the background).
     */
    ratio: number;
    /**
     * The curator wrote this probability; otherwise the loader shared out what the row left (or the symptoms' share of symptom.kind).
     */
    stated: boolean;
    /**
     * P(outcome | no known cause).
     */
    otherCause: number;
  }[];
  /**
   * Where "no known cause"'s probabilities come from: its own row (the model's otherCause names the fact), or the background it follows otherwise.
   */
  otherCauseRow: 'own' | 'background';
}
/**
 * A named command (the `commands` section), where it is written, and every question and check that runs it.
 */
export interface ShownCommand {
  /**
   * Its name.
   */
  command: string;
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  /**
   * The command line (a template over the facts).
   */
  how: string;
  /**
   * The kind of output rca parses from it (rca parse --list), or null.
   */
  paste: string | null;
  /**
   * The facts its output carries.
   */
  carries: string[];
  questions: {
    fact: string;
    file: string;
    path: string;
    line?: number;
    column?: number;
  }[];
  checks: {
    hypothesis: string;
    /**
     * The check's index in the hypothesis's checks, from 0.
     */
    check: number;
    file: string;
    path: string;
    line?: number;
    column?: number;
  }[];
}
