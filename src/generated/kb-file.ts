/* Generated from schemas/kb-file.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "identifier".
 */
export type Identifier = string;
/**
 * Text for people: a plain string (English) or a map of language tags to strings with en required. rca reads en and zh-CN; rca kb lint refuses any other key (unknown-language), which would never be shown.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "localizedText".
 */
export type LocalizedText =
  | string
  | {
      en: string;
      [k: string]: string;
    };
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "factName".
 */
export type FactName = string;
/**
 * What the reporter sees when this is the cause (values of symptom.kind). The interview focuses on hypotheses that match the reported symptom.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "symptoms".
 */
export type Symptoms = ('slow' | 'errors' | 'timeout' | 'unreachable' | 'connection_reset')[];
/**
 * Lint checks switched off for this entry, each with the reason.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "lintIgnore".
 */
export type LintIgnore = {
  check: string;
  reason: string;
}[];
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "condition".
 */
export type Condition = AllCondition | AnyCondition | NotCondition | ConditionReference | LeafCondition;
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "scalar".
 */
export type Scalar = string | number | boolean;
/**
 * json-rules-engine requires a boolean operator or a condition reference at the top.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "topCondition".
 */
export type TopCondition = AllCondition | AnyCondition | NotCondition | ConditionReference;

/**
 * One file of a knowledge base under rules/. A file may hold any of the sections; the loader merges all files of a directory.
 */
export interface KbFile {
  kb?: KbMeta;
  hypotheses?: Hypothesis[];
  /**
   * Named shared sub-conditions, referenced from rules as {condition: name}.
   */
  conditions?: {
    [k: string]: Condition;
  };
  /**
   * Named commands that several questions and checks run, each with the `rca parse` kind that reads its output and the facts that output prints, referenced from a question or a check as `run: NAME`: one command written once, so the questions and checks it answers cannot drift apart.
   */
  commands?: {
    [k: string]: Command;
  };
  rules?: Rule[];
  questions?: Question[];
  /**
   * Rules of an earlier pack that this pack switches off, each with the reason.
   */
  disable?: DisableEntry[];
  /**
   * Hypotheses of an earlier pack that this pack adds to, each with the reason: likelihood rows (a row for a fact the table already has replaces it), checks, references and symptoms, kept beside everything the hypothesis already says.
   */
  extend?: HypothesisExtension[];
  /**
   * Facts this knowledge base adds to the vocabulary of schemas/facts.schema.json, by name. A pack may state a fact that is already defined only with the same type, values, range and unit.
   */
  facts?: {
    [k: string]: FactDeclaration;
  };
  model?: Model;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "kbMeta".
 */
export interface KbMeta {
  name: string;
  version: string;
  description?: string;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "hypothesis".
 */
export interface Hypothesis {
  id: Identifier;
  title: LocalizedText;
  category: 'network' | 'dns' | 'tls' | 'lb' | 'system' | 'app';
  description: LocalizedText;
  checks: Check[];
  references?: Reference[];
  symptoms?: Symptoms;
  /**
   * Replace the entry with the same id from an earlier pack (without it, a duplicate id is an error).
   */
  override?: boolean;
  lintIgnore?: LintIgnore;
  /**
   * Relative base rate among the KB's causes when an incident is reported (1 typical, 0.3 rare, 3 very common). Default 1.
   */
  prior?: number;
  likelihoods?: LikelihoodTable;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "check".
 */
export interface Check {
  /**
   * Handlebars template; every fact value is shell-quoted, an unknown fact renders as <fact.name>. Either this or `run`.
   */
  command?: string;
  /**
   * The name of a command under `commands` (any file of the KB) that the check runs: its `how` is the check's command line, so a check and the questions that run the same command show one command, and a check whose command a question had the engineer run already is not proposed again. Either this or `command`; loading refuses both or neither (`named-command`).
   */
  run?: string;
  /**
   * Where to run the command.
   */
  where?: 'client' | 'server' | 'lb' | 'any';
  confirms: LocalizedText;
  rulesOut: LocalizedText;
  /**
   * The check as it is written for each value of one fact (app.runtime: jstat on a JVM, --trace-gc on Node.js), each variant replacing command, where, confirms and rulesOut together; the check above is the default, shown while the fact is unknown or has a value no variant names. `rca kb lint` checks each variant as it checks the default, and loading refuses a fact that is not an enum or a boolean, or a variant named after a value the fact does not take.
   */
  commandBy?: {
    fact: FactName;
    variants: {
      [k: string]: CheckVariant;
    };
  };
}
/**
 * The check for one value of commandBy's fact: its own command, where, confirms and rulesOut (where defaults to any, as a check's does).
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "checkVariant".
 */
export interface CheckVariant {
  /**
   * Handlebars template; every fact value is shell-quoted, an unknown fact renders as <fact.name>.
   */
  command: string;
  /**
   * Where to run the command.
   */
  where?: 'client' | 'server' | 'lb' | 'any';
  confirms: LocalizedText;
  rulesOut: LocalizedText;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "reference".
 */
export interface Reference {
  title: string;
  url?: string;
}
/**
 * P(fact = outcome | cause), per fact. On a hypothesis: for the facts whose distribution under this cause differs from an incident in general. As the model's background: when the cause is some other one (facts not given are uniform over their outcomes). As the model's otherCause: when the cause is none of the hypotheses (a facility's power or cooling, a provider's network or control plane, a software bug), for the facts where such causes differ from the background, which the facts it does not name follow.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "likelihoodTable".
 */
export interface LikelihoodTable {
  [k: string]: OutcomeProbabilities;
}
/**
 * Probability of each listed outcome; they sum to at most 1, and the outcomes not listed share the rest.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "outcomeProbabilities".
 */
export interface OutcomeProbabilities {
  [k: string]: number;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "allCondition".
 */
export interface AllCondition {
  /**
   * @minItems 1
   */
  all: Condition[];
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "anyCondition".
 */
export interface AnyCondition {
  /**
   * @minItems 1
   */
  any: Condition[];
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "notCondition".
 */
export interface NotCondition {
  not: Condition;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "conditionReference".
 */
export interface ConditionReference {
  condition: Identifier;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "leafCondition".
 */
export interface LeafCondition {
  fact: string;
  operator:
    | 'equal'
    | 'notEqual'
    | 'lessThan'
    | 'lessThanInclusive'
    | 'greaterThan'
    | 'greaterThanInclusive'
    | 'in'
    | 'notIn'
    | 'contains'
    | 'doesNotContain';
  value: Scalar | Scalar[] | FactRef;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "factRef".
 */
export interface FactRef {
  fact: string;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "command".
 */
export interface Command {
  /**
   * Command template that obtains the answers, as a question's `how`.
   */
  how: string;
  /**
   * The `rca parse` kind that reads the output of `how` as it is written, as a question's `paste`.
   */
  paste?: string;
  /**
   * The facts of `paste`'s kind that the output of `how` prints, as a question's `carries`: each question that runs the command has its own fact among them (`rca kb lint`, paste-kind).
   *
   * @minItems 1
   */
  carries?: FactName[];
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "rule".
 */
export interface Rule {
  id: Identifier;
  description: LocalizedText;
  status?: 'experimental' | 'stable' | 'deprecated';
  replacedBy?: Identifier;
  conditions: TopCondition;
  /**
   * @minItems 1
   */
  evidence: Evidence[];
  cases?: RuleCases;
  /**
   * Replace the entry with the same id from an earlier pack (without it, a duplicate id is an error).
   */
  override?: boolean;
  lintIgnore?: LintIgnore;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "evidence".
 */
export interface Evidence {
  hypothesis: Identifier;
  /**
   * Certainty factor: positive supports, negative refutes.
   */
  cf: number;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "ruleCases".
 */
export interface RuleCases {
  /**
   * @minItems 1
   */
  fires: FactSet[];
  /**
   * @minItems 1
   */
  silent: FactSet[];
}
/**
 * Facts for a rule case, flat or nested as in diagnosis input.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "factSet".
 */
export interface FactSet {}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "question".
 */
export interface Question {
  fact: string;
  text: LocalizedText;
  help?: LocalizedText;
  /**
   * The name of a command under `commands` (any file of the KB) that obtains the answer: the question takes its `how`, `paste` and `carries`, and states none of them itself. Loading refuses a name no file defines (`named-command`).
   */
  run?: string;
  /**
   * Command template that obtains the answer.
   */
  how?: string;
  /**
   * The `rca parse` kind that reads the output of `how` as it is written (rca parse --list), when one does: the interview then offers to paste that output, and one paste fills every fact its output holds (the choice counts those `carries` names, without it every fact the kind carries). `rca kb lint` checks that the kind exists and carries the question's fact; only name a kind whose parser reads this very command's output.
   */
  paste?: string;
  /**
   * The facts of `paste`'s kind that the output of `how` as written prints, the question's own among them (`ss -s` prints the TIME-WAIT count but no CLOSE-WAIT count, which other `ss` output does). The interview counts a paste at this question as filling these when it chooses what to ask, and a replay of an incident (`rca kb eval --mode interview`) fills these from its findings; without `carries`, every fact the kind carries. A paste still fills whatever its output holds. `rca kb lint` checks that the kind carries each and that the question's own fact is among them, and warns where a kind that carries other facts has none (paste-carries); loading refuses it beside `pasteAs`, which names the facts its paste fills.
   *
   * @minItems 1
   */
  carries?: FactName[];
  /**
   * With `paste`, its own or that of the command it runs (loading refuses it without one: command-variants): when the output of `how` is another endpoint's than the facts the kind names (a curl to one backend, bypassing the LB: its status is http.direct_status, not the service's http.status): the facts of a paste of that kind at this question, each under the fact it stands for here (`{http.status: http.direct_status}`); the paste fills those alone. `rca kb lint` checks that the kind carries each fact named on the left, that the question's own fact is among those on the right, and that no fact is read as two; together the questions' `pasteAs` are how an artifact marked `direct` (`rca diagnose --direct-artifact`) is read.
   */
  pasteAs?: {
    [k: string]: string;
  };
  /**
   * The command as it is written for each value of one fact (app.runtime: jstat on a JVM, --trace-gc on Node.js), each variant with its own `paste` (none: nothing rca parses reads that output); `how` and `paste` above are the default, shown while the fact is unknown or has a value no variant names. The chosen variant is what the interview and the diagnosis show, what a paste at the question is read as, and where the answer is read (its program). `rca kb lint` checks each variant's command and paste as it checks the default's, and loading refuses a fact that is not an enum or a boolean, the question's own fact, a variant named after a value the fact does not take, or howBy beside pasteAs (a variant's paste fills its kind's facts as read).
   */
  howBy?: {
    fact: FactName;
    variants: {
      [k: string]: {
        /**
         * Command template that obtains the answer for this value of the fact.
         */
        how: string;
        /**
         * The `rca parse` kind that reads the output of this variant's `how` as it is written, when one does.
         */
        paste?: string;
        /**
         * The facts of this variant's `paste` kind that the output of its `how` prints, as a question's `carries` says.
         *
         * @minItems 1
         */
        carries?: FactName[];
      };
    };
  };
  askIf?: TopCondition;
  /**
   * json-rules-engine requires a boolean operator or a condition reference at the top.
   */
  askUnless?: AllCondition | AnyCondition | NotCondition | ConditionReference;
  /**
   * How much it takes to obtain the answer: low (a look at a dashboard, ping, curl), medium (a shell on the host), high (a packet capture, strace, root). The interview prefers cheap questions of equal value. Default medium.
   */
  effort?: 'low' | 'medium' | 'high';
  /**
   * The chance, in (0, 1], that an on-call engineer can answer the question before anything is known of them: high for what is on the screen or one cheap command away (a status code, an error message in a log, top), low for counters that need root on a middlebox or a packet capture. The interview ranks questions by their expected worth times this chance, adjusted by the engineer's answers so far. Default by effort: low 0.5, medium 0.4, high 0.25.
   */
  answerChance?: number;
  /**
   * Replace the entry with the same id from an earlier pack (without it, a duplicate id is an error).
   */
  override?: boolean;
  lintIgnore?: LintIgnore;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "disableEntry".
 */
export interface DisableEntry {
  rule: Identifier;
  reason: string;
}
/**
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "hypothesisExtension".
 */
export interface HypothesisExtension {
  hypothesis: Identifier;
  reason: string;
  likelihoods?: LikelihoodTable;
  checks?: Check[];
  references?: Reference[];
  symptoms?: Symptoms;
}
/**
 * One fact, as a property of schemas/facts.schema.json says it: its JSON type, the values an enum takes (type string) or the range of a number, its unit, and what it means. No pattern: a pack cannot bring a regular expression into input validation.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "factDeclaration".
 */
export interface FactDeclaration {
  type: 'boolean' | 'integer' | 'number' | 'string';
  /**
   * The values of an enum fact (type string).
   *
   * @minItems 1
   * @maxItems 100
   */
  enum?: string[];
  /**
   * Smallest value of an integer or number fact.
   */
  minimum?: number;
  /**
   * Largest value of an integer or number fact.
   */
  maximum?: number;
  /**
   * Longest value of a string fact.
   */
  maxLength?: number;
  /**
   * Unit of a number (ms, %, messages).
   */
  unit?: string;
  description: LocalizedText;
}
/**
 * The probabilistic layer (docs/knowledge-base.md, 'The differential'): how facts are binned into outcomes, how likely each outcome is under the background and when the cause is none of the hypotheses, and the global numbers.
 *
 * This interface was referenced by `KbFile`'s JSON-Schema
 * via the `definition` "model".
 */
export interface Model {
  /**
   * Prior probability that the cause is none of the KB's hypotheses.
   */
  otherCausePrior?: number;
  /**
   * How strongly a hypothesis's combined rule belief b moves its odds: by exp(ruleWeight * atanh(b)).
   */
  ruleWeight?: number;
  /**
   * How much the likelihood tables count: their log likelihood ratios are multiplied by it (below 1 because the cheap facts of a ticket are not independent given the cause, and naive Bayes would count them over and over).
   */
  tableWeight?: number;
  /**
   * How much the hypotheses' relative priors count: each prior is raised to this power (0: all causes equally likely before the facts).
   */
  priorWeight?: number;
  /**
   * Divides the evidence's log weight (the likelihood tables' and the rules', not the prior's) before normalising: a power likelihood (Holmes and Walker 2017, Biometrika 104(2)) that makes the probabilities sound as sure as they turn out to be right. Below 1 it sharpens the evidence against the priors, so with no facts every class keeps its prior; it never reorders causes of equal prior.
   */
  temperature?: number;
  /**
   * Posterior at which the leader is a confident answer.
   */
  confidentAt?: number;
  /**
   * The cost of checking one cause of the differential's shortlist (its top 3) in vain, as a share of the cost of sending the reader away from the true cause. The verdict is no_known_cause when that cause is likelier than not and the shortlist holds less than 3 x vainCheckCost x its probability (the verdict of least expected loss); 1/3 (the default) keeps only the first condition.
   */
  vainCheckCost?: number;
  /**
   * Numeric facts used in likelihood tables, binned: outcome key -> [min, max] (inclusive); the first matching bin wins.
   */
  outcomes?: {
    [k: string]: {
      /**
       * @minItems 2
       * @maxItems 2
       */
      [k: string]: number[];
    };
  };
  background?: LikelihoodTable;
  otherCause?: LikelihoodTable;
  /**
   * Replace the fields of an earlier pack's model section that this one names; in outcomes, background and otherCause, the facts it names (the others keep the earlier bins and rows).
   */
  override?: boolean;
}
