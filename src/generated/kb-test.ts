/* Generated from schemas/kb-test.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {TableFactor} from './diagnosis.js';

/**
 * Which way its rule's cases never took a leaf condition.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "neverSeen".
 */
export type NeverSeen = 'true' | 'false' | 'true or false';

/**
 * What `rca kb test -f json` and `rca kb coverage -f json` print: each rule's own cases, each scenario's ranking, the scenario directories read, and the coverage (kb coverage, and kb test with --coverage or --min-coverage). A knowledge base that does not load prints kb-validate.schema.json's KbInvalid instead.
 */
export interface KbTestRun {
  /**
   * Every rule passes its cases, every scenario its expectations, and the coverage is not under --min-coverage (exit 0; false: exit 1).
   */
  passed: boolean;
  rules: RuleCaseResult[];
  scenarios: ScenarioResult[];
  /**
   * The scenario directories (or files) read, and how many scenarios from each.
   */
  scenarioDirs: ScenarioDir[];
  coverage?: Coverage;
}
/**
 * True/false positives and negatives of one rule over its own cases, and where the rule is.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "ruleCaseResult".
 */
export interface RuleCaseResult {
  rule: string;
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  truePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  falsePositives: number;
  /**
   * Silent cases that know every fact the rule needs to decide and leave it false.
   */
  nearMisses: number;
  /**
   * Silent cases that leave the rule undecided: a fact it needs is missing.
   */
  absences: number;
  /**
   * Which cases failed and what the rule evaluated to on each ("fires 0: expected it to fire, got false"), an input problem in a case, a silent case that shares no fact with the rule or a duplicate case, each at the case's entry; no cases at the rule, no near miss at its silent cases (where one is added), a stale waiver at the waiver.
   */
  failures: CaseFailure[];
  /**
   * Checks this rule switches off (`lintIgnore`), each with its reason: "near-miss: ...".
   */
  waived: string[];
}
/**
 * What failed, placed where to mend it: at the failing case, or at the rule (the waiver, the silent list) for what is the rule's.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "caseFailure".
 */
export interface CaseFailure {
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  message: string;
}
/**
 * One scenario's expectations and the ranking its facts got.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "scenarioResult".
 */
export interface ScenarioResult {
  file: string;
  /**
   * The scenario's expected top-1 cause.
   */
  expected: string;
  /**
   * The causes accepted as its top-1: the expected one and its alternates.
   */
  accepted: string[];
  /**
   * The diagnosis's first three hypotheses, best first.
   */
  top3: string[];
  top1Ok: boolean;
  top3Ok: boolean;
  /**
   * What the scenario expects and did not get: the top-1 first, then a cause it rules out still standing.
   */
  failures: string[];
  top1Miss?: Top1Miss;
}
/**
 * When the top-1 is wrong, why, from the diagnosis the test made: the top 3, and the expected and the actual top-1 side by side.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "top1Miss".
 */
export interface Top1Miss {
  top3: {
    id: string;
    confidence: number;
  }[];
  expected: HypothesisStanding;
  /**
   * The actual top-1, or null when the diagnosis ranks nothing.
   */
  got: HypothesisStanding | null;
}
/**
 * Where a hypothesis stood in a scenario's diagnosis, and the rules that fired for and against it.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "hypothesisStanding".
 */
export interface HypothesisStanding {
  id: string;
  /**
   * Its place in the ranking from 1, or null when it is not ranked (ruled out, or too unlikely to list).
   */
  rank: number | null;
  confidence: number | null;
  ruledOut: boolean;
  rulesFor: FiredRule[];
  rulesAgainst: FiredRule[];
  /**
   * The facts its likelihood table weighs most, when it is ranked (the diagnosis's factors).
   */
  factors: TableFactor[];
}
/**
 * One rule's certainty factor on a hypothesis, as a diagnosis's evidence gives it.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "firedRule".
 */
export interface FiredRule {
  rule: string;
  cf: number;
}
/**
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "scenarioDir".
 */
export interface ScenarioDir {
  /**
   * As messages show it: the shipped one by its place in the package.
   */
  dir: string;
  shipped: boolean;
  scenarios: number;
}
/**
 * What the rules' own cases exercised both ways, out of how many.
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "coverage".
 */
export interface Coverage {
  rules: {
    total: number;
    firedAndSilent: number;
    neverFired: string[];
    neverSilent: string[];
  };
  /**
   * Leaf conditions, seen by their own rule's cases.
   */
  leaves: {
    total: number;
    trueAndFalse: number;
    /**
     * Each leaf not seen both ways.
     */
    uncovered: CoverageGap[];
  };
  /**
   * Percent of rules and leaves covered both ways, rounded down.
   */
  percent: number;
}
/**
 * A leaf not seen both ways, by key (its rule's id, then the leaf's pointer), and which way it was never seen; kb coverage adds where it is (its file, and its line and column when the file shows them).
 *
 * This interface was referenced by `KbTestRun`'s JSON-Schema
 * via the `definition` "coverageGap".
 */
export interface CoverageGap {
  key: string;
  never: NeverSeen;
  file?: string;
  line?: number;
  column?: number;
}
