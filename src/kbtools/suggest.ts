import { dump as dumpYaml } from 'js-yaml';
import { diagnose } from '../core/diagnose.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { Diagnosis } from '../generated/diagnosis.js';
import type { LoadedIncident } from './incidents.js';
import type { CfProposal } from '../generated/kb-suggest.js';

/** A resolved case as `rca kb suggest` reads it: the causes confirmed and the diagnosis whose rules fired. */
export interface ResolvedFiring {
  causes: readonly string[];
  diagnosis: Pick<Diagnosis, 'hypotheses'> & Partial<Pick<Diagnosis, 'ruledOut'>>;
}

/** One proposed certainty-factor change: a rule's evidence for (or against) one hypothesis (kb-suggest.schema.json's CfProposal). */
export type { CfProposal };

/** A rule must have fired on at least this many resolved cases before its cf is questioned. */
export const SUGGEST_MIN_FIRED = 5;
/** Smaller changes are noise on a few dozen cases, not a finding. */
const MIN_CHANGE = 0.05;
/** Half the way to what the cases support: one batch of cases never rewrites a curator's judgement. */
const STEP = 0.5;

/**
 * The cf the precision supports, on the anchors of docs/knowledge-base.md ("Certainty factors"):
 * for evidence, precision >= 0.9 is a signature (0.9), >= 0.6 strong (0.6), >= 0.3 suggestive (0.3),
 * below that barely evidence (0.1); against, >= 0.95 rules it out (-0.8), >= 0.8 makes it unlikely
 * (-0.4), below that barely (-0.1). The sign is the rule author's and is never changed.
 */
export function cfTarget(cf: number, precision: number): number {
  if (cf > 0) return precision >= 0.9 ? 0.9 : precision >= 0.6 ? 0.6 : precision >= 0.3 ? 0.3 : 0.1;
  return precision >= 0.95 ? -0.8 : precision >= 0.8 ? -0.4 : -0.1;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * For each (rule, hypothesis) evidence of the KB that fired on at least `minFired` resolved cases,
 * its precision there and, when that moves the cf by at least 0.05, the cf half way to the
 * precision's anchor (cfTarget). Firings of rules or evidence the KB no longer has are left out.
 */
export function proposeCfChanges(kb: KnowledgeBase, cases: readonly ResolvedFiring[], minFired = SUGGEST_MIN_FIRED): CfProposal[] {
  const tally = new Map<string, { fired: number; right: number }>();
  for (const c of cases) {
    const seen = new Set<string>();
    for (const h of [...c.diagnosis.hypotheses, ...(c.diagnosis.ruledOut ?? [])]) {
      for (const e of [...h.evidence, ...h.against]) {
        const key = `${e.rule}\0${h.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const count = tally.get(key) ?? { fired: 0, right: 0 };
        count.fired += 1;
        if (c.causes.includes(h.id)) count.right += 1;
        tally.set(key, count);
      }
    }
  }
  const proposals: CfProposal[] = [];
  for (const { id, rule } of kb.rules) {
    for (const { hypothesis, cf } of rule.evidence) {
      const count = tally.get(`${id}\0${hypothesis}`);
      if (!count || count.fired < minFired || cf === 0) continue;
      const precision = (cf > 0 ? count.right : count.fired - count.right) / count.fired;
      const proposed = round2(cf + STEP * (cfTarget(cf, precision) - cf));
      // Rounded: 0.85 - 0.8 is 0.0499... in binary floating point.
      if (round2(Math.abs(proposed - cf)) >= MIN_CHANGE) proposals.push({ rule: id, hypothesis, fired: count.fired, precision: Math.round(precision * 1000) / 1000, cf, proposed });
    }
  }
  return proposals.sort((a, b) => a.rule.localeCompare(b.rule) || a.hypothesis.localeCompare(b.hypothesis));
}

/**
 * The proposals as one pack file: each changed rule whole, `override: true`, its evidence at the
 * proposed cfs, under a comment per change (precision, cases, old and new cf). Rule and
 * hypothesis ids are identifiers (kb-file.schema.json), so they are safe in a YAML comment.
 */
export function suggestionPack(kb: KnowledgeBase, proposals: readonly CfProposal[]): string {
  const lines = ['# Proposed by rca kb suggest from resolved cases; review, then load with --kb <shipped> --kb <this directory>.', 'rules:'];
  for (const { id, rule } of kb.rules) {
    const changes = proposals.filter((p) => p.rule === id);
    if (changes.length === 0) continue;
    for (const p of changes) lines.push(`  # ${p.hypothesis}: precision ${p.precision} on ${p.fired} cases, cf ${p.cf} -> ${p.proposed}`);
    const evidence = rule.evidence.map((e) => ({ ...e, cf: changes.find((p) => p.hypothesis === e.hypothesis)?.proposed ?? e.cf }));
    const text = dumpYaml([{ ...rule, override: true, evidence }], { lineWidth: -1, noRefs: true });
    lines.push(...text.trimEnd().split('\n').map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The corpus's incidents as resolved cases: diagnosed on intake and findings, confirmed cause `cause`; `none` says nothing about a rule and is skipped. */
export async function incidentFirings(kb: KnowledgeBase, incidents: readonly LoadedIncident[]): Promise<ResolvedFiring[]> {
  const cases: ResolvedFiring[] = [];
  for (const incident of incidents) {
    if (incident.cause === 'none') continue;
    cases.push({ causes: incident.cause, diagnosis: await diagnose(kb, { ...incident.findingFacts, ...incident.intakeFacts }, { lang: 'en' }) });
  }
  return cases;
}
