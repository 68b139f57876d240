import type { Diagnosis, Evidence as EvidenceOut, MissingFact, RankedHypothesis, RuledOutHypothesis } from '../generated/diagnosis.js';
import type { CheckVariant } from '../generated/kb-file.js';
import { askIfHolds, describeQuestion } from './question.js';
import { compiledModel, knownOutcomes, tableFactors } from './differential.js';
import { assess, factsReadByRules, type Assessment, type FiredRule, type Scored } from './evaluate.js';
import type { KnowledgeBase, LoadedHypothesis } from './kb.js';
import { knownReadings, mayBeKnown, type KnownReadings } from './known-readings.js';
import { comparisonValues, factValues, valuedFacts } from './value-of-information.js';
import { DEFAULT_LANG, isSupportedLanguage, localize, supportedLanguage } from './localize.js';
import { commandEnvironment, fillInOf, type CommandRender } from './templates.js';
import { selectVariant, type ByFact } from './variants.js';
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
 * A hypothesis no fired rule supports is listed from this share of the known causes' probability:
 * below it, it is one of the many that nothing points to. A share, so that when "no known cause"
 * leads, the known causes the facts fit best are still listed for the reader to rule out.
 */
const LISTED_FROM = 0.02;
/** A missing fact names the hypotheses its answer moves most: the first few tell the reader why it matters. */
const SEPARATES_SHOWN = 5;
/** A hypothesis names the few facts its table weighs most: the reasons a reader can check at a glance. */
const FACTORS_SHOWN = 3;
const NO_RULES_READ: ReadonlySet<string> = new Set();

/** A check in one language, its command compiled (`template`: as the KB writes it; `mayBeKnown`: whether facts could ever answer it). */
type CheckText = Omit<RankedHypothesis['checks'][number], 'command' | 'knownReadings'> & { command: CommandRender; template: string; mayBeKnown: boolean };

/**
 * What a diagnosis says of a hypothesis whatever the facts, in one language: its texts, and its
 * checks, each with its variants (commandBy), of which the facts select one (selectVariant).
 */
interface HypothesisText {
  title: string;
  category: string;
  description: string;
  /** `run`: the named command the check's own command is (not its variants'). */
  checks: Array<CheckText & { by?: ByFact<CheckText>; run?: string }>;
}

/** Per knowledge base and supported language (so clients sending ever new tags cannot grow it), by hypothesis id. */
const hypothesisTexts = new WeakMap<KnowledgeBase, Map<string, Map<string, HypothesisText>>>();

function hypothesisText(kb: KnowledgeBase, id: string, lang: string): HypothesisText {
  let byLang = hypothesisTexts.get(kb);
  if (!byLang) hypothesisTexts.set(kb, (byLang = new Map()));
  let byId = byLang.get(lang);
  let text = byId?.get(id);
  if (text) return text;
  const h = kb.hypotheses.get(id)?.value as LoadedHypothesis;
  const checkText = (c: CheckVariant, source: string, run?: string): CheckText => ({
    command: commandEnvironment().commandTemplate(c.command, source),
    template: c.command,
    mayBeKnown: mayBeKnown(kb, c.command, run),
    where: c.where ?? 'any',
    confirms: localize(c.confirms, lang),
    rulesOut: localize(c.rulesOut, lang),
  });
  text = {
    title: localize(h.title, lang),
    category: h.category,
    description: localize(h.description, lang),
    checks: h.checks.map((c, i) => {
      const source = `hypothesis ${id} check ${i}`;
      const by = c.commandBy && { fact: c.commandBy.fact, variants: Object.fromEntries(Object.entries(c.commandBy.variants).map(([value, v]) => [value, checkText(v, `${source} for ${value}`)])) };
      return { ...checkText(c, source, c.run), ...(by && { by }), ...(c.run !== undefined && { run: c.run }) };
    }),
  };
  if (isSupportedLanguage(lang)) {
    if (!byId) byLang.set(lang, (byId = new Map()));
    byId.set(id, text);
  }
  return text;
}

/**
 * A hypothesis's checks, each the variant the facts select, filled from them: those whose readings
 * the facts already hold (knownReadings) after the rest, each group in the order the KB writes
 * them, so the first one listed is the next to run.
 */
function checksToRun(checks: HypothesisText['checks'], facts: FactMap, answered: KnownReadings): RankedHypothesis['checks'] {
  const toRun: RankedHypothesis['checks'] = [];
  const ran: RankedHypothesis['checks'] = [];
  for (const own of checks) {
    const chosen = selectVariant(own.by, facts);
    const c = chosen?.variant ?? own;
    const command = c.command(facts);
    const fillIn = fillInOf(c.command, facts);
    const knownReadings = c.mayBeKnown ? answered({ command, template: c.template, run: chosen === undefined ? own.run : undefined }) : undefined;
    if (knownReadings) ran.push({ command, ...fillIn, where: c.where, confirms: c.confirms, rulesOut: c.rulesOut, knownReadings });
    else toRun.push({ command, ...fillIn, where: c.where, confirms: c.confirms, rulesOut: c.rulesOut });
  }
  return [...toRun, ...ran];
}

/**
 * The `limit` unanswered facts worth asking most (src/core/value-of-information.ts): facts the
 * differential weighs or an undecided rule reads, whose question (if any) applies to the facts.
 * The unknown sides of a comparison are valued as comparisonValues does: both sides, worth more
 * together than alone, are listed side by side, each naming the other, with half the pair's worth
 * each (two answers give it, as the interview weighs a pair by the effort of both); the side left
 * once the other is known, with what it decides.
 */
export function rankMissing(kb: KnowledgeBase, assessment: Assessment, limit: number): Array<{ fact: string; impact: number; hypotheses: string[]; pairedWith?: string }> {
  const { facts } = assessment;
  const mayAsk = (fact: string) => askIfHolds(kb, fact, facts);
  const ranked: Array<{ fact: string; gain: number; separates: readonly string[]; pairedWith?: string }> = factValues(kb, assessment, valuedFacts(kb), mayAsk);
  // A comparison's facts are listed only if worth more than the last fact listed: two answers share a pair's worth.
  const last = ranked.length >= limit ? (ranked[limit - 1] as (typeof ranked)[number]).gain : 0;
  for (const { asks, value } of comparisonValues(kb, assessment, mayAsk, 2 * last)) {
    const gain = value.gain / asks.length;
    asks.forEach((fact, i) => {
      const alone = ranked.findIndex((v) => v.fact === fact);
      if (alone >= 0 && (ranked[alone] as (typeof ranked)[number]).gain >= gain) return;
      const other = asks[1 - i];
      const entry = { fact, gain, separates: value.separates, ...(other !== undefined && { pairedWith: other }) };
      if (alone < 0) ranked.push(entry);
      else ranked[alone] = entry;
    });
  }
  // Stable: a pair's sides, of equal worth, stay side by side.
  return ranked
    .sort((a, b) => b.gain - a.gain)
    .slice(0, limit)
    .map((v) => ({ fact: v.fact, impact: round(v.gain), hypotheses: v.separates.slice(0, SEPARATES_SHOWN), ...(v.pairedWith !== undefined && { pairedWith: v.pairedWith }) }));
}

/**
 * The whole pipeline for one set of validated facts: fire rules, combine certainty
 * factors, rank, explain, and fill the next-step commands from the facts.
 */
export async function diagnose(kb: KnowledgeBase, facts: FactMap, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  return diagnosisOf(kb, await assess(kb, facts), options);
}

/**
 * A diagnosis made earlier (a case's), its texts in the language of `lang`: diagnosed again from
 * the facts it read, its summary and its warnings, under `kb` when that is the knowledge base it
 * was made with, which ranks the same facts the same way, so only the texts change. One made
 * under another knowledge base is returned as it is, in its own language: diagnosing it again
 * would say what the knowledge base says now, not what it said then. Its similar past incidents
 * are the caller's, kept.
 */
export async function inLanguage(kb: KnowledgeBase, diagnosis: Diagnosis, lang: string): Promise<Diagnosis> {
  if (supportedLanguage(diagnosis.lang) === supportedLanguage(lang) || diagnosis.kb.hash !== kb.meta.hash) return diagnosis;
  const again = await diagnose(kb, diagnosis.facts, { lang, summary: diagnosis.summary, warnings: diagnosis.warnings });
  return diagnosis.similar === undefined ? again : { ...again, similar: diagnosis.similar };
}

/** The diagnosis an assessment gives: ranked, explained, with the facts worth asking next. */
export function diagnosisOf(kb: KnowledgeBase, assessment: Assessment, options: DiagnoseOptions = {}): Diagnosis {
  const { facts, scored } = assessment;
  // As served: a diagnosis's `lang` names the language its texts are in (en for en-GB, zh-CN for zh); the edges refuse a tag rca does not take.
  const requested = options.lang ?? DEFAULT_LANG;
  const lang = supportedLanguage(requested) ?? requested;

  const { differential } = assessment;
  const model = compiledModel(kb);
  // The scored hypotheses by model position: a handful of the model's, looked up for each.
  const scoredAt = new Array<Scored | undefined>(model.hypotheses.length);
  for (const s of scored) {
    const h = model.position.get(s.id);
    if (h !== undefined) scoredAt[h] = s;
  }
  // Ranked: every hypothesis not ruled out that is a real candidate, by probability (ties by id).
  const ranked: Array<{ id: string; probability: number; scored: Scored | undefined }> = [];
  const listedFrom = LISTED_FROM * (1 - differential.otherCause);
  model.hypotheses.forEach((id, h) => {
    const probability = differential.posterior[h] as number;
    const s = scoredAt[h];
    const net = s?.belief.net ?? 0;
    if (net >= 0 && (probability >= listedFrom || net > 0)) ranked.push({ id, probability, scored: s });
  });
  ranked.sort((a, b) => b.probability - a.probability || (a.id < b.id ? -1 : 1));
  const known = knownOutcomes(model, facts);
  const answered = knownReadings(kb, facts);
  const hypotheses: RankedHypothesis[] = ranked.slice(0, options.top ?? ranked.length).map(({ id, probability, scored: s }) => {
    const h = hypothesisText(kb, id, lang);
    const factors = tableFactors(known, model.position.get(id) as number, s ? factsReadByRules(s) : NO_RULES_READ, FACTORS_SHOWN);
    return {
      id,
      title: h.title,
      category: h.category,
      description: h.description,
      confidence: round(probability),
      belief: round(s?.belief.net ?? 0),
      evidence: (s?.support ?? []).map((f) => evidenceOut(f, id, lang)),
      against: (s?.refute ?? []).map((f) => evidenceOut(f, id, lang)),
      factors,
      checks: checksToRun(h.checks, facts, answered),
    };
  });
  const ruledOut: RuledOutHypothesis[] = scored
    .filter((s) => s.belief.net < 0)
    .map((s) => {
      const h = hypothesisText(kb, s.id, lang);
      return {
        id: s.id,
        title: h.title,
        category: h.category,
        belief: round(s.belief.net),
        against: s.refute.map((f) => evidenceOut(f, s.id, lang)),
        evidence: s.support.map((f) => evidenceOut(f, s.id, lang)),
      };
    });
  const missing: MissingFact[] = rankMissing(kb, assessment, options.missingLimit ?? 8).map((m) => {
      // As the interview would ask it: its text and command, filled from the facts (describeQuestion).
      const question = kb.questions.has(m.fact) ? describeQuestion(kb, m.fact, lang, facts) : undefined;
      const description = kb.vocabulary.facts.get(m.fact)?.description;
      return {
        fact: m.fact,
        question: question ? question.text : description ? localize(description, lang) : m.fact,
        how: question?.how ?? null,
        ...(question?.fillIn && { fillIn: question.fillIn }),
        impact: m.impact,
        hypotheses: m.hypotheses,
        ...(m.pairedWith !== undefined && { pairedWith: m.pairedWith }),
      };
    });
  return {
    kb: { name: kb.meta.name, version: kb.meta.version, hash: kb.meta.hash, ...(kb.meta.layers.length > 0 && { packs: kb.meta.layers }) },
    lang,
    summary: options.summary ?? null,
    facts: { ...facts },
    verdict: differential.verdict,
    otherCause: round(differential.otherCause),
    otherCauseFactors: tableFactors(known, model.hypotheses.length, NO_RULES_READ, FACTORS_SHOWN),
    hypotheses,
    ruledOut,
    missing,
    warnings: options.warnings ?? [],
  };
}
