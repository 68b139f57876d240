import type { Diagnosis, Evidence as EvidenceOut, MissingFact, RankedHypothesis, RuledOutHypothesis } from '../generated/diagnosis.js';
import type { Hypothesis } from '../generated/kb-file.js';
import { evaluate3 } from './conditions.js';
import { assess, ruleIndex, type Assessment, type FiredRule } from './evaluate.js';
import type { CompiledRule, KnowledgeBase } from './kb.js';
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

function evidenceOut(fired: FiredRule, hypothesis: string, lang: string): EvidenceOut {
  const cf = fired.rule.rule.evidence.find((e) => e.hypothesis === hypothesis)?.cf ?? 0;
  return { rule: fired.rule.id, description: localize(fired.rule.rule.description, lang), cf, conditions: fired.conditions };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * The `limit` unanswered facts that could move the ranking most. A rule still undecided on
 * the known facts (three-valued evaluation) lends its weight to each fact it still needs,
 * scaled by how plausible its hypothesis is (believed already, matching the symptom).
 * Only the facts kept get their hypotheses ranked: most candidates are cut.
 */
export function rankMissing(kb: KnowledgeBase, { facts, status, scored }: Assessment, limit: number): Array<{ fact: string; impact: number; hypotheses: string[] }> {
  const weightOf = plausibilities(kb, new Map(scored.map((s) => [s.id, s.belief.net])), facts['symptom.kind']);
  const rules = kb.rules;
  // A rule reading no known fact (status undefined) still needs all its facts.
  const unknownFacts = (i: number) => (status[i] === undefined ? (rules[i] as CompiledRule).facts : (rules[i] as CompiledRule).facts.filter((f) => !(f in facts)));
  const undecided = (i: number) => status[i] === undefined || status[i] === 'unknown';
  const impact = new Map<string, number>();
  for (let i = 0; i < rules.length; i++) {
    if (!undecided(i)) continue;
    const unknown = unknownFacts(i);
    const { evidence } = (rules[i] as CompiledRule).rule;
    for (const fact of unknown) {
      let weight = impact.get(fact) ?? 0;
      for (const { hypothesis, cf } of evidence) weight += (Math.abs(cf) * weightOf(hypothesis)) / unknown.length;
      impact.set(fact, weight);
    }
  }
  /** Hypotheses by the weight the undecided rules reading `fact` lend them through it, heaviest first (ties by id). */
  const heaviest = (fact: string): string[] => {
    const byHypothesis = new Map<string, number>();
    for (const i of ruleIndex(kb).reading.get(fact) ?? []) {
      if (!undecided(i)) continue;
      const share = unknownFacts(i).length;
      for (const { hypothesis, cf } of (rules[i] as CompiledRule).rule.evidence) byHypothesis.set(hypothesis, (byHypothesis.get(hypothesis) ?? 0) + (Math.abs(cf) * weightOf(hypothesis)) / share);
    }
    return [...byHypothesis].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([h]) => h);
  };
  const ranked = [...impact].map(([fact, weight]) => ({ fact, impact: round(weight) })).sort((a, b) => b.impact - a.impact || (a.fact < b.fact ? -1 : 1));
  const kept: Array<{ fact: string; impact: number; hypotheses: string[] }> = [];
  for (const { fact, impact: weight } of ranked) {
    if (kept.length >= limit) break;
    const askIf = kb.questions.get(fact)?.value.askIf;
    if (!askIf || evaluate3(askIf, kb.conditions, facts) === 'true') kept.push({ fact, impact: weight, hypotheses: heaviest(fact) });
  }
  return kept;
}

/**
 * The whole pipeline for one set of validated facts: fire rules, combine certainty
 * factors, rank, explain, and fill the next-step commands from the facts.
 */
export async function diagnose(kb: KnowledgeBase, facts: FactMap, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  return diagnosisOf(kb, await assess(kb, facts), options);
}

/** The diagnosis an assessment gives: ranked, explained, with the facts worth asking next. */
export function diagnosisOf(kb: KnowledgeBase, assessment: Assessment, options: DiagnoseOptions = {}): Diagnosis {
  const { facts, scored } = assessment;
  const lang = options.lang ?? DEFAULT_LANG;
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
  const missing: MissingFact[] = rankMissing(kb, assessment, options.missingLimit ?? 8).map((m) => {
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
