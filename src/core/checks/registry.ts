import type { CheckMeta, LintCheck, LoadCheck, TestCheck } from './check.js';
import { commandTemplate } from './load/command-template.js';
import { commandVariants } from './load/command-variants.js';
import { conditionExpansion } from './load/condition-expansion.js';
import { conditionReferences } from './load/condition-references.js';
import { entryIds } from './load/entry-ids.js';
import { factDeclarations } from './load/fact-declarations.js';
import { factOperator } from './load/fact-operator.js';
import { kbSection } from './load/kb-section.js';
import { modelSection } from './load/model-section.js';
import { namedCommand } from './load/named-command.js';
import { questionFact } from './load/question-fact.js';
import { replacedBy } from './load/replaced-by.js';
import { schema } from './load/schema.js';
import { unknownCondition } from './load/unknown-condition.js';
import { unknownHypothesis } from './load/unknown-hypothesis.js';
import { checkOutcome } from './lint/check-outcome.js';
import { cjkSpacing } from './lint/cjk-spacing.js';
import { curlWriteOut } from './lint/curl-write-out.js';
import { contradictoryConditions } from './lint/contradictory-conditions.js';
import { duplicateRule } from './lint/duplicate-rule.js';
import { firesOnAbsence } from './lint/fires-on-absence.js';
import { indistinctEvidence } from './lint/indistinct-evidence.js';
import { lintIgnoreCheck } from './lint/lint-ignore.js';
import { missingTranslation } from './lint/missing-translation.js';
import { untranslatedText } from './lint/untranslated-text.js';
import { orphanQuestion } from './lint/orphan-question.js';
import { pasteCarries } from './lint/paste-carries.js';
import { pasteKind } from './lint/paste-kind.js';
import { rulePlacement } from './lint/rule-placement.js';
import { subsumedRule } from './lint/subsumed-rule.js';
import { surfaceEvidence } from './lint/surface-evidence.js';
import { unknownLanguage } from './lint/unknown-language.js';
import { unreadFact } from './lint/unread-fact.js';
import { unsupportedHypothesis } from './lint/unsupported-hypothesis.js';
import { unusedCommand } from './lint/unused-command.js';
import { commandWrittenOut } from './lint/command-written-out.js';
import { boundedCommand } from './lint/bounded-command.js';
import { ipv6CaptureFilter } from './lint/ipv6-capture-filter.js';
import { unusedCondition } from './lint/unused-condition.js';
import { unmodelledHypothesis } from './lint/unmodelled-hypothesis.js';
import { weakHypothesis } from './lint/weak-hypothesis.js';
import { nearMiss } from './test/near-miss.js';

/**
 * Every check of a knowledge base, in the order it runs. The loader runs the load checks (a
 * finding is fatal: the KB does not load), in this order for each entry; `rca kb lint` runs the
 * lint checks on a KB that loaded, and `rca kb test` the test checks on its rules' cases.
 * `rca kb lint --list` prints them all with their meta.
 */
export const LOAD_CHECKS: readonly LoadCheck[] = [
  schema,
  kbSection,
  entryIds,
  factDeclarations,
  factOperator,
  unknownCondition,
  conditionReferences,
  conditionExpansion,
  unknownHypothesis,
  replacedBy,
  questionFact,
  namedCommand,
  commandTemplate,
  commandVariants,
  modelSection,
];

export const LINT_CHECKS: readonly LintCheck[] = [
  contradictoryConditions,
  firesOnAbsence,
  duplicateRule,
  subsumedRule,
  unsupportedHypothesis,
  weakHypothesis,
  surfaceEvidence,
  indistinctEvidence,
  unmodelledHypothesis,
  checkOutcome,
  cjkSpacing,
  missingTranslation,
  untranslatedText,
  unknownLanguage,
  unreadFact,
  orphanQuestion,
  pasteKind,
  pasteCarries,
  curlWriteOut,
  boundedCommand,
  ipv6CaptureFilter,
  unusedCondition,
  unusedCommand,
  commandWrittenOut,
  rulePlacement,
  lintIgnoreCheck(() => CHECKS),
];

export const TEST_CHECKS: readonly TestCheck[] = [nearMiss];

/** The meta of every check: load checks, lint checks, then test checks. */
export const CHECKS: readonly CheckMeta[] = [...LOAD_CHECKS, ...LINT_CHECKS, ...TEST_CHECKS].map((c) => c.meta);
