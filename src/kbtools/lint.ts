import type { LintContext } from '../core/checks/check.js';
import { readWriteOut } from '../collect/parsers/curl-w.js';
import { artifactKinds, kindsCarrying } from '../collect/parsers/index.js';
import { LINT_CHECKS } from '../core/checks/registry.js';
import type { KnowledgeBase } from '../core/kb.js';
import { entryLocator, type SourceText } from './entry-location.js';
import type { LintFinding, SuppressedFinding } from '../generated/kb-lint.js';

/** A finding at its file and JSON path (kb-lint.schema.json's LintFinding). */
export type { LintFinding };

export interface LintResult {
  findings: LintFinding[];
  /** Findings switched off by a `lintIgnore` entry, with its reason. */
  suppressed: SuppressedFinding[];
}

/** What rca's own parsers read: the context `rca kb lint` checks a knowledge base in. */
const PARSERS_CONTEXT: LintContext = { pasteKinds: artifactKinds, kindsCarrying, readCurlWriteOut: readWriteOut };

/**
 * Runs every lint check of the registry over a loaded knowledge base, check by check. Each
 * finding in one of its files is placed at its line and column when SOURCETEXT reads it; one in
 * the shipped facts (schemas/facts.schema.json, a path inside rca, not the working directory)
 * is not: a file of that name where rca runs would place it at a line of something else.
 */
export function lintKnowledgeBase(kb: KnowledgeBase, sourceText: SourceText = () => undefined, context: LintContext = PARSERS_CONTEXT): LintResult {
  const files = new Set(kb.meta.sources);
  const where = entryLocator((file) => (files.has(file) ? sourceText(file) : undefined));
  const raw: LintFinding[] = [];
  for (const { meta, run } of LINT_CHECKS) {
    run(kb, (file, path, id, message, firstDefined) => raw.push({ check: meta.id, severity: meta.severity, ...where(file, path), id, message, ...(firstDefined && { firstDefined }) }), context, where);
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
