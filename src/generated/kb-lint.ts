/* Generated from schemas/kb-lint.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {KbPlace} from './kb-validate.js';

/**
 * What `rca kb lint -f json` prints: the findings (KbLint), or with --list only the checks (KbCheckList). A knowledge base that does not load prints kb-validate.schema.json's KbInvalid instead.
 */
export type KbLintOutput = KbLint | KbCheckList;
export type LintSeverity = 'error' | 'warning';
export type Severity = 'fatal' | 'error' | 'warning';

/**
 * `rca kb lint -f json`: its findings, those a lintIgnore entry switched off, and every check.
 */
export interface KbLint {
  /**
   * Findings of severity error (any fails the run, exit 1).
   */
  errors: number;
  /**
   * Findings of severity warning (they fail the run only over --max-warnings).
   */
  warnings: number;
  findings: LintFinding[];
  /**
   * Findings switched off by a `lintIgnore` entry, each with its reason.
   */
  suppressed: SuppressedFinding[];
  checks: CheckMeta[];
}
/**
 * A finding at its file and JSON path, and in a YAML or JSON file the line and column the path starts at.
 */
export interface LintFinding {
  /**
   * The check's id (checks lists it).
   */
  check: string;
  severity: LintSeverity;
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  /**
   * The rule, hypothesis, question or fact the finding is about.
   */
  id: string;
  message: string;
  firstDefined?: KbPlace;
}
/**
 * A finding a `lintIgnore` entry switched off, with the entry's reason.
 */
export interface SuppressedFinding {
  /**
   * The check's id (checks lists it).
   */
  check: string;
  severity: LintSeverity;
  file: string;
  /**
   * JSON pointer (RFC 6901) inside the file's data.
   */
  path: string;
  line?: number;
  column?: number;
  /**
   * The rule, hypothesis, question or fact the finding is about.
   */
  id: string;
  message: string;
  firstDefined?: KbPlace;
  /**
   * The lintIgnore entry's reason.
   */
  reason: string;
}
/**
 * What a check is: its stable name (used in findings and in `lintIgnore`), how severe its findings are (fatal: a load check, the knowledge base does not load; error and warning: lint findings), and why.
 */
export interface CheckMeta {
  id: string;
  severity: Severity;
  docs: {
    /**
     * One sentence: what the check finds.
     */
    description: string;
    /**
     * Why it matters.
     */
    why: string;
  };
}
/**
 * `rca kb lint --list -f json`: every check (fatal load checks, lint checks, then those kb test runs), without loading a knowledge base.
 */
export interface KbCheckList {
  checks: CheckMeta[];
}
