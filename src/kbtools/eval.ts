import { diagnose, type Diagnosis } from '../core/diagnose.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { FactMap } from '../core/vocabulary.js';
import type { CalibrationBin, EvalEvidence, EvalPart, EvalReport, HypothesisRecall, IncidentResult } from '../generated/kb-eval.js';
import type { LoadedIncident } from './incidents.js';
import { formatPassChange, passChange } from './pass-change.js';

// The report's shapes are kb-eval.schema.json's: `rca kb eval -f json` prints them and --baseline reads them back.
export type { CalibrationBin, EvalEvidence, EvalPart, EvalReport, HypothesisRecall, IncidentResult } from '../generated/kb-eval.js';

export interface EvalOptions {
  /** `intake`: only what the reporter had when the ticket opened (the honest measure); `all`: intake and findings. */
  evidence: EvalEvidence;
  /** Confidence bins of the calibration table (upper bounds, the last is 1). */
  bins?: readonly number[];
}

export const DEFAULT_BINS = [0.2, 0.4, 0.6, 0.8, 1];
export const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
/** PART of WHOLE as a share rounded to 3 places, as every eval report gives its figures; 0 of nothing is 0. */
export const share = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole));

/** How many of KNOWN (incidents with a known cause) rank it within the first WITHIN: the count behind top-1 and top-3. */
export const rankedWithin = (known: ReadonlyArray<{ rank: number | null }>, within: number) => known.filter((r) => r.rank !== null && r.rank <= within).length;

function factsFor(incident: LoadedIncident, evidence: EvalEvidence): FactMap {
  return evidence === 'intake' ? incident.intakeFacts : { ...incident.findingFacts, ...incident.intakeFacts };
}

/** A diagnosis's ranking, best first, with confidence. */
export function rankingOf(diagnosis: Diagnosis): IncidentResult['ranked'] {
  return diagnosis.hypotheses.map((h) => ({ id: h.id, confidence: h.confidence }));
}

/** How a diagnosis meets an incident: the accepted cause's rank, the verdict, and whether it passes at the incident's level. */
export function judgeDiagnosis(incident: LoadedIncident, diagnosis: Diagnosis): Pick<IncidentResult, 'cause' | 'ranked' | 'rank' | 'verdict' | 'passed'> {
  const ranked = rankingOf(diagnosis);
  const cause = incident.cause === 'none' ? [] : incident.cause;
  const index = ranked.findIndex((h) => cause.includes(h.id));
  const rank = index < 0 ? null : index + 1;
  const verdict = diagnosis.verdict;
  const passed = cause.length === 0 ? verdict === 'no_known_cause' : rank !== null && rank <= (incident.level === 'top1' ? 1 : 3);
  return { cause, ranked, rank, verdict, passed };
}

async function assessIncident(kb: KnowledgeBase, incident: LoadedIncident, evidence: EvalEvidence): Promise<IncidentResult> {
  const diagnosis = await diagnose(kb, factsFor(incident, evidence), { lang: 'en' });
  return { id: incident.id, file: incident.file, level: incident.level, ...judgeDiagnosis(incident, diagnosis) };
}

function calibration(results: readonly IncidentResult[], bins: readonly number[]): { brier: number | null; table: CalibrationBin[] } {
  return calibrationOf(
    results.filter((r) => r.ranked.length > 0).map((r) => ({ confidence: r.ranked[0]?.confidence ?? 0, right: r.rank === 1 })),
    bins,
  );
}

/** Brier score and confidence bins against accuracy of top-1 answers (the corpus's, or resolved cases'). */
export function calibrationOf(scored: ReadonlyArray<{ confidence: number; right: boolean }>, bins: readonly number[] = DEFAULT_BINS): { brier: number | null; table: CalibrationBin[] } {
  const brier = scored.length === 0 ? null : round(scored.reduce((sum, s) => sum + (s.confidence - (s.right ? 1 : 0)) ** 2, 0) / scored.length);
  const table = bins.map((to, i) => {
    const from = i === 0 ? 0 : (bins[i - 1] ?? 0);
    const inBin = scored.filter((s) => s.confidence > from && s.confidence <= to);
    return {
      from,
      to,
      count: inBin.length,
      meanConfidence: inBin.length === 0 ? 0 : round(inBin.reduce((sum, s) => sum + s.confidence, 0) / inBin.length),
      accuracy: share(inBin.filter((s) => s.right).length, inBin.length),
    };
  });
  return { brier, table };
}

function recallByHypothesis(results: readonly IncidentResult[]): HypothesisRecall[] {
  const byCause = new Map<string, IncidentResult[]>();
  for (const result of results) for (const id of result.cause) byCause.set(id, [...(byCause.get(id) ?? []), result]);
  return [...byCause.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hypothesis, own]) => {
      const confusions = new Map<string, number>();
      for (const r of own) {
        const first = r.ranked[0]?.id ?? '(none)';
        if (r.rank !== 1) confusions.set(first, (confusions.get(first) ?? 0) + 1);
      }
      return {
        hypothesis,
        incidents: own.length,
        top1: own.filter((r) => r.rank === 1).length,
        top3: own.filter((r) => r.rank !== null && r.rank <= 3).length,
        confusions: [...confusions.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id, count]) => ({ hypothesis: id, count })),
      };
    });
}

/**
 * Diagnoses every incident from its evidence and scores the knowledge base the way a user meets
 * it: is the accepted cause first, in the top 3, how far down (MRR), is "no known cause" said
 * when it is true, and does the confidence mean what it says (Brier score, calibration bins).
 */
export async function evaluateCorpus(kb: KnowledgeBase, incidents: readonly LoadedIncident[], options: EvalOptions): Promise<EvalReport> {
  const results: IncidentResult[] = [];
  for (const incident of incidents) results.push(await assessIncident(kb, incident, options.evidence));
  const known = results.filter((r) => r.cause.length > 0);
  const none = results.filter((r) => r.cause.length === 0);
  const abstained = results.filter((r) => r.verdict === 'no_known_cause');
  const rightAbstentions = abstained.filter((r) => r.cause.length === 0).length;
  const { brier, table } = calibration(results, options.bins ?? DEFAULT_BINS);
  return {
    evidence: options.evidence,
    incidents: results.length,
    withKnownCause: known.length,
    top1: share(rankedWithin(known, 1), known.length),
    top3: share(rankedWithin(known, 3), known.length),
    mrr: share(known.reduce((sum, r) => sum + (r.rank === null ? 0 : 1 / r.rank), 0), known.length),
    passed: results.filter((r) => r.passed).length,
    empty: results.filter((r) => r.ranked.length === 0).length,
    abstention: {
      none: none.length,
      abstained: abstained.length,
      precision: abstained.length === 0 ? null : share(rightAbstentions, abstained.length),
      recall: none.length === 0 ? null : share(rightAbstentions, none.length),
    },
    brier,
    calibration: table,
    perHypothesis: recallByHypothesis(results),
    results,
  };
}

/** A share as a percentage with one decimal. */
export const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
/** A change with its sign, scaled (percentage points by default). */
export const signed = (value: number, scale = 100, digits = 1) => `${value >= 0 ? '+' : ''}${(value * scale).toFixed(digits)}`;

/** The figures a baseline comparison shows. */
type Headline = 'top1' | 'top3' | 'mrr';

/** A readable report for a curator, with the change against a saved run when given. */
export function formatEval(parts: readonly EvalPart[], baseline?: readonly EvalPart[]): string[] {
  const lines: string[] = [];
  for (const { path, report: r } of parts) {
    const before = baseline?.find((b) => b.path === path)?.report;
    const delta = (key: Headline, scale = 100, digits = 1) => (before ? ` (${signed(r[key] - before[key], scale, digits)})` : '');
    const a = r.abstention;
    lines.push(
      `${path}: ${r.incidents} incidents (${r.withKnownCause} with a known cause), diagnosed from ${r.evidence === 'intake' ? 'the intake only' : 'intake and findings'}`,
      `  top-1 ${pct(r.top1)}${delta('top1')}  top-3 ${pct(r.top3)}${delta('top3')}  MRR ${r.mrr.toFixed(3)}${delta('mrr', 1, 3)}  passed at their level ${r.passed}/${r.incidents}  empty diagnoses ${r.empty}`,
      ...(before ? [formatPassChange(passChange(r.results, before.results))] : []),
      `  no known cause: said ${a.abstained} times, rightly ${a.precision === null ? '-' : pct(a.precision)} of them; ${a.none} incidents have none, ${a.recall === null ? '-' : pct(a.recall)} of them said`,
      `  calibration of the top-1 confidence (Brier ${r.brier === null ? '-' : r.brier.toFixed(3)}):`,
      ...r.calibration.map((b) => `    ${b.from.toFixed(1)}-${b.to.toFixed(1)}  ${String(b.count).padStart(3)} diagnoses  mean ${b.meanConfidence.toFixed(2)}  right ${b.count === 0 ? '-' : pct(b.accuracy)}`),
      '  per hypothesis: incidents, top-1, top-3, what ranked first instead',
      ...r.perHypothesis.map((h) => `    ${h.hypothesis}  ${h.incidents}  ${h.top1}  ${h.top3}${h.confusions.length > 0 ? `  ${h.confusions.map((c) => `${c.hypothesis} x${c.count}`).join(', ')}` : ''}`),
    );
  }
  return lines;
}
