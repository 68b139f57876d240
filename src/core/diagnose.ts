import type { Diagnosis, Evidence as EvidenceOut, MissingFact, RankedHypothesis, RuledOutHypothesis } from '../generated/diagnosis.js';
import type { Hypothesis } from '../generated/kb-file.js';
import { evaluate3 } from './conditions.js';
import { assess, readsNoKnownFact, ruleIndex, statusAt, type Assessment, type FiredRule } from './evaluate.js';
import type { KnowledgeBase } from './kb.js';
import { plausibilities } from './plausibility.js';
import { DEFAULT_LANG, localize } from './localize.js';
import { commandEnvironment } from './templates.js';
import type { FactMap } from './vocabulary.js';

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
export function rankMissing(kb: KnowledgeBase, assessment: Assessment, limit: number): Array<{ fact: string; impact: number; hypotheses: string[] }> {
  const { facts, scored } = assessment;
  const { factNames, factStart, factList, hypotheses, evidenceStart, evidenceHypothesis, evidenceAbsCf, reading } = ruleIndex(kb);
  const weightOf = plausibilities(kb, new Map(scored.map((s) => [s.id, s.belief.net])), facts['symptom.kind']);
  // Plausibility of each hypothesis numbered as in the index, worked out the first time a rule needs it.
  const weights = new Float64Array(hypotheses.length).fill(NaN);
  const weight = (h: number) => {
    let w = weights[h] as number;
    if (Number.isNaN(w)) weights[h] = w = weightOf(hypotheses[h] as string);
    return w;
  };
  const known = new Uint8Array(factNames.length);
  factNames.forEach((fact, f) => (known[f] = fact in facts ? 1 : 0));
  /** How many facts undecided rule i still needs: all it reads when it reads no known fact. */
  const unknownCount = (i: number) => {
    const from = factStart[i] as number;
    const to = factStart[i + 1] as number;
    if (readsNoKnownFact(assessment, i)) return to - from;
    let n = 0;
    for (let k = from; k < to; k++) if (known[factList[k] as number] === 0) n++;
    return n;
  };
  // A rule undecided on the known facts lends each fact it still needs |cf| x plausibility / (facts it needs).
  const impact = new Float64Array(factNames.length);
  const lentTo = new Uint8Array(factNames.length);
  for (let i = 0; i < kb.rules.length; i++) {
    if (statusAt(assessment, i) !== 'unknown') continue;
    const n = unknownCount(i);
    const all = readsNoKnownFact(assessment, i);
    for (let k = factStart[i] as number; k < (factStart[i + 1] as number); k++) {
      const fact = factList[k] as number;
      if (!all && known[fact] === 1) continue;
      lentTo[fact] = 1;
      for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) {
        impact[fact] = (impact[fact] as number) + ((evidenceAbsCf[e] as number) * weight(evidenceHypothesis[e] as number)) / n;
      }
    }
  }
  /** Hypotheses by the weight the undecided rules reading `fact` lend them through it, heaviest first (ties by id). */
  const heaviest = (fact: string): string[] => {
    const byHypothesis = new Map<string, number>();
    for (const i of reading.get(fact) ?? []) {
      if (statusAt(assessment, i) !== 'unknown') continue;
      const n = unknownCount(i);
      for (let e = evidenceStart[i] as number; e < (evidenceStart[i + 1] as number); e++) {
        const h = evidenceHypothesis[e] as number;
        const id = hypotheses[h] as string;
        byHypothesis.set(id, (byHypothesis.get(id) ?? 0) + ((evidenceAbsCf[e] as number) * weight(h)) / n);
      }
    }
    return [...byHypothesis].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([h]) => h);
  };
  const candidates: Array<{ fact: string; impact: number }> = [];
  factNames.forEach((fact, f) => lentTo[f] && candidates.push({ fact, impact: round(impact[f] as number) }));
  // Highest impact first, ties by name: picked one at a time, since only the first few are kept.
  const before = (a: { fact: string; impact: number }, b: { fact: string; impact: number }) => a.impact > b.impact || (a.impact === b.impact && a.fact < b.fact);
  const kept: Array<{ fact: string; impact: number; hypotheses: string[] }> = [];
  while (kept.length < limit && candidates.length > 0) {
    let best = 0;
    for (let c = 1; c < candidates.length; c++) if (before(candidates[c] as (typeof candidates)[number], candidates[best] as (typeof candidates)[number])) best = c;
    const [{ fact, impact: weight }] = candidates.splice(best, 1) as [(typeof candidates)[number]];
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
  const render = (template: string, source: string) => commandEnvironment().commandTemplate(template, source)(facts);
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
      const description = kb.vocabulary.facts.get(m.fact)?.description;
      return {
        fact: m.fact,
        question: question ? localize(question.text, lang) : description ? localize(description, lang) : m.fact,
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
