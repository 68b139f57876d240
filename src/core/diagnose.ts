import type { Diagnosis, Evidence as EvidenceOut, MissingFact, RankedHypothesis, RuledOutHypothesis } from '../generated/diagnosis.js';
import type { Hypothesis } from '../generated/kb-file.js';
import { combineAll, type Belief } from './certainty.js';
import { evaluate3 } from './conditions.js';
import { fireRules, type FiredRule } from './evaluate.js';
import { ruleStatus, type KnowledgeBase } from './kb.js';
import { plausibilities } from './plausibility.js';
import { DEFAULT_LANG, localize } from './localize.js';
import { commandTemplate } from './templates.js';
import { vocabulary, type FactMap } from './vocabulary.js';

export type { Diagnosis } from '../generated/diagnosis.js';

export interface DiagnoseOptions {
  lang?: string;
  /** Keep only the N most confident hypotheses (ruledOut and missing are not cut). */
  top?: number;
  /** The reporter's one-line summary, carried into reports. */
  summary?: string | null;
  /** How many missing facts to list. */
  missingLimit?: number;
  /** Notes about the input (artifact conflicts), passed through to the result. */
  warnings?: Diagnosis['warnings'];
}

interface Scored {
  id: string;
  belief: Belief;
  support: FiredRule[];
  refute: FiredRule[];
}

function evidenceOut(fired: FiredRule, hypothesis: string, lang: string): EvidenceOut {
  const cf = fired.rule.rule.evidence.find((e) => e.hypothesis === hypothesis)?.cf ?? 0;
  return { rule: fired.rule.id, description: localize(fired.rule.rule.description, lang), cf, conditions: fired.conditions };
}

/** Combines the certainty factors each fired rule gives each hypothesis. */
export function scoreHypotheses(fired: readonly FiredRule[]): Scored[] {
  const byHypothesis = new Map<string, { cfs: number[]; support: FiredRule[]; refute: FiredRule[] }>();
  for (const f of fired) {
    for (const { hypothesis, cf } of f.rule.rule.evidence) {
      let entry = byHypothesis.get(hypothesis);
      if (!entry) byHypothesis.set(hypothesis, (entry = { cfs: [], support: [], refute: [] }));
      entry.cfs.push(cf);
      (cf > 0 ? entry.support : entry.refute).push(f);
    }
  }
  return [...byHypothesis].map(([id, e]) => ({ id, belief: combineAll(e.cfs), support: e.support, refute: e.refute }));
}

/** Sorting both lists by strength, then id, keeps output deterministic. */
function byStrength(a: Scored, b: Scored): number {
  return Math.abs(b.belief.net) - Math.abs(a.belief.net) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** One rule's pull on a missing fact towards one hypothesis. */
interface Share {
  hypothesis: string;
  weight: number;
}

/** Hypotheses by the weight their shares add up to, heaviest first (ties by id). */
function heaviest(shares: readonly Share[]): string[] {
  const byHypothesis = new Map<string, number>();
  for (const { hypothesis, weight } of shares) byHypothesis.set(hypothesis, (byHypothesis.get(hypothesis) ?? 0) + weight);
  return [...byHypothesis].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([h]) => h);
}

/**
 * The `limit` unanswered facts that could move the ranking most. A rule still undecided on
 * the known facts (three-valued evaluation) lends its weight to each fact it still needs,
 * scaled by how plausible its hypothesis is (believed already, matching the symptom).
 * Only the facts kept get their hypotheses ranked: most candidates are cut.
 */
export function rankMissing(kb: KnowledgeBase, facts: FactMap, scored: readonly Scored[], fired: ReadonlySet<string>, limit: number): Array<{ fact: string; impact: number; hypotheses: string[] }> {
  const weightOf = plausibilities(kb, new Map(scored.map((s) => [s.id, s.belief.net])), facts['symptom.kind']);
  const impact = new Map<string, { weight: number; shares: Share[] }>();
  for (const rule of kb.rules) {
    if (fired.has(rule.id)) continue;
    const unknown = rule.facts.filter((f) => !(f in facts));
    if (unknown.length === 0 || ruleStatus(kb, rule, facts) !== 'unknown') continue;
    const shares = rule.rule.evidence.map(({ hypothesis, cf }) => ({ hypothesis, weight: (Math.abs(cf) * weightOf(hypothesis)) / unknown.length }));
    for (const fact of unknown) {
      let entry = impact.get(fact);
      if (!entry) impact.set(fact, (entry = { weight: 0, shares: [] }));
      for (const share of shares) {
        entry.weight += share.weight;
        entry.shares.push(share);
      }
    }
  }
  const ranked = [...impact].map(([fact, e]) => ({ fact, impact: round(e.weight), shares: e.shares })).sort((a, b) => b.impact - a.impact || (a.fact < b.fact ? -1 : 1));
  const kept: Array<{ fact: string; impact: number; hypotheses: string[] }> = [];
  for (const { fact, impact: weight, shares } of ranked) {
    if (kept.length >= limit) break;
    const askIf = kb.questions.get(fact)?.value.askIf;
    if (!askIf || evaluate3(askIf, kb.conditions, facts) === 'true') kept.push({ fact, impact: weight, hypotheses: heaviest(shares) });
  }
  return kept;
}

/**
 * The whole pipeline for one set of validated facts: fire rules, combine certainty
 * factors, rank, explain, and fill the next-step commands from the facts.
 */
export async function diagnose(kb: KnowledgeBase, facts: FactMap, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const lang = options.lang ?? DEFAULT_LANG;
  const fired = await fireRules(kb, facts);
  const scored = scoreHypotheses(fired).sort(byStrength);
  const render = (template: string, source: string) => commandTemplate(template, source)(facts);
  const describe = (id: string) => kb.hypotheses.get(id)?.value as Hypothesis;

  const positive = scored.filter((s) => s.belief.net > 0);
  const hypotheses: RankedHypothesis[] = positive.slice(0, options.top ?? positive.length).map((s) => {
    const h = describe(s.id);
    return {
      id: s.id,
      title: localize(h.title, lang),
      category: h.category,
      description: localize(h.description, lang),
      confidence: round(s.belief.net),
      evidence: s.support.map((f) => evidenceOut(f, s.id, lang)),
      against: s.refute.map((f) => evidenceOut(f, s.id, lang)),
      checks: h.checks.map((c, i) => ({
        command: render(c.command, `hypothesis ${s.id} check ${i}`),
        where: c.where ?? 'any',
        confirms: localize(c.confirms, lang),
        rulesOut: localize(c.rulesOut, lang),
      })),
    };
  });
  const ruledOut: RuledOutHypothesis[] = scored
    .filter((s) => s.belief.net < 0)
    .map((s) => {
      const h = describe(s.id);
      return {
        id: s.id,
        title: localize(h.title, lang),
        category: h.category,
        belief: round(s.belief.net),
        against: s.refute.map((f) => evidenceOut(f, s.id, lang)),
        evidence: s.support.map((f) => evidenceOut(f, s.id, lang)),
      };
    });
  const missing: MissingFact[] = rankMissing(kb, facts, scored, new Set(fired.map((f) => f.rule.id)), options.missingLimit ?? 8).map((m) => {
      const question = kb.questions.get(m.fact)?.value;
      return {
        fact: m.fact,
        question: question ? localize(question.text, lang) : (vocabulary().facts.get(m.fact)?.description ?? m.fact),
        how: question?.how ? render(question.how, `question ${m.fact}`) : null,
        impact: m.impact,
        hypotheses: m.hypotheses,
      };
    });
  return {
    kb: { name: kb.meta.name, version: kb.meta.version, hash: kb.meta.hash },
    lang,
    summary: options.summary ?? null,
    facts: { ...facts },
    hypotheses,
    ruledOut,
    missing,
    warnings: options.warnings ?? [],
  };
}
