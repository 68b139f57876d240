/**
 * Knowledge bases of generated rules for `npm run bench`, and what json-rules-engine alone
 * fires on them: each rule reads three facts of the shipped vocabulary, and each fact set is
 * built to satisfy a few rules outright, so that about as many fire as on the shipped KB and
 * the comparison with the plain engine checks agreement where rules do fire.
 */
import { Engine } from 'json-rules-engine';
import { buildKnowledgeBase, type KbSource, type KnowledgeBase } from '../src/core/kb.js';
import { baseVocabulary, factErrors, type FactMap, type FactSpec, type FactValue } from '../src/core/vocabulary.js';
import { round } from './timing.js';


/** A small deterministic PRNG (mulberry32), so generated data repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function valueFor(spec: FactSpec, rnd: () => number): FactValue {
  switch (spec.type) {
    case 'boolean':
      return rnd() < 0.5;
    case 'enum':
      return spec.values?.[Math.floor(rnd() * spec.values.length)] ?? '';
    case 'string':
      return `value${Math.floor(rnd() * 4)}`;
    default: {
      const min = spec.minimum ?? 0;
      const max = spec.maximum ?? 1000;
      const x = min + rnd() * (max - min);
      return spec.type === 'integer' ? Math.round(x) : round(x, 2);
    }
  }
}

function leafFor(spec: FactSpec, rnd: () => number) {
  if (spec.type === 'integer' || spec.type === 'number') {
    // A bound some value passes, a step (satisfying's 1) inside the fact's range: the loader refuses `> max` and `< min`.
    const greater = rnd() < 0.5;
    const value = valueFor(spec, rnd) as number;
    const bounded = greater ? Math.min(value, (spec.maximum ?? Infinity) - 1) : Math.max(value, (spec.minimum ?? -Infinity) + 1);
    return { fact: spec.name, operator: greater ? 'greaterThan' : 'lessThan', value: bounded };
  }
  return { fact: spec.name, operator: 'equal', value: valueFor(spec, rnd) };
}

export const FACTS_PER_SET = 15;
/** Rules each generated fact set is built to satisfy (some share facts and are skipped). */
const SATISFIED_PER_SET = 10;

function generatedRules(ruleCount: number, seed: number) {
  const rnd = seededRandom(seed);
  // Facts that take the generated values (target.url takes no word but a URL, whose host and port rca would derive as facts the plain engine does not): the bench diagnoses input the CLI and API take.
  const vocabulary = baseVocabulary();
  const specs = [...vocabulary.facts.values()].filter((spec) => spec.type !== 'string' || factErrors(vocabulary, { [spec.name]: 'value0' }).length === 0);
  const pick = () => specs[Math.floor(rnd() * specs.length)] as FactSpec;
  const hypotheses = Array.from({ length: 50 }, (_, i) => ({
    id: `bench.h${i}`,
    category: 'system',
    title: `h${i}`,
    description: `h${i}`,
    checks: [],
  }));
  const rules = Array.from({ length: ruleCount }, (_, i) => {
    const facts = new Set<FactSpec>();
    while (facts.size < 3) facts.add(pick());
    return {
      id: `bench.r${i}`,
      description: `r${i}`,
      conditions: { all: [...facts].map((f) => leafFor(f, rnd)) },
      evidence: [{ hypothesis: `bench.h${Math.floor(rnd() * 50)}`, cf: round(rnd() * 1.6 - 0.8, 2) || 0.1 }],
    };
  });
  // Each fact set satisfies a few rules outright (about as many fire as on the shipped KB),
  // then fills up with random values: agreement is checked where rules do fire.
  const factSets: FactMap[] = Array.from({ length: 50 }, () => {
    const set: Record<string, FactValue> = {};
    for (let n = 0; n < SATISFIED_PER_SET; n++) {
      const rule = rules[Math.floor(rnd() * rules.length)] as (typeof rules)[number];
      if (rule.conditions.all.every((leaf) => !(leaf.fact in set))) for (const leaf of rule.conditions.all) set[leaf.fact] = satisfying(leaf);
    }
    while (Object.keys(set).length < FACTS_PER_SET) {
      const spec = pick();
      if (!(spec.name in set)) set[spec.name] = valueFor(spec, rnd);
    }
    return set;
  });
  // A question for every fact the rules read, so the interview's choice is timed at this size too.
  const questions = [...new Set(rules.flatMap((rule) => rule.conditions.all.map((leaf) => leaf.fact)))].sort().map((fact) => ({ fact, text: `What is ${fact}?` }));
  return { hypotheses, rules, questions, factSets };
}

/** A value that makes a generated leaf hold. */
function satisfying(leaf: { operator: string; value: FactValue }): FactValue {
  if (typeof leaf.value !== 'number') return leaf.value;
  return leaf.operator === 'greaterThan' ? leaf.value + 1 : leaf.value - 1;
}

/**
 * The loader refuses more than KB_LIMITS.values condition parts (62,500 of these rules):
 * a larger generated KB is loaded in parts of at most LOADABLE_RULES and joined, to time
 * diagnosis itself at that scale.
 */
const LOADABLE_RULES = 50000;

/** A knowledge base of `ruleCount` generated rules (the same ones every time) with a question per fact they read, its rules as written, and 50 fact sets. */
export function generatedKb(ruleCount: number) {
  const { hypotheses, rules, questions, factSets } = generatedRules(ruleCount, ruleCount);
  const parts: KnowledgeBase[] = [];
  for (let from = 0; from < rules.length; from += LOADABLE_RULES) {
    const data = { kb: { name: 'bench', version: '0.0.0' }, hypotheses, rules: rules.slice(from, from + LOADABLE_RULES), ...(from === 0 && { questions }) };
    parts.push(buildKnowledgeBase([{ file: `generated-${from}.json`, text: '', data } as KbSource]));
  }
  const [first] = parts as [KnowledgeBase];
  const byKeyFact = new Map<string, KnowledgeBase['rules'][number][]>();
  for (const part of parts) for (const [fact, bucket] of part.rulesByKeyFact) byKeyFact.set(fact, [...(byKeyFact.get(fact) ?? []), ...bucket]);
  const kb: KnowledgeBase = parts.length === 1 ? first : { ...first, rules: parts.flatMap((p) => p.rules), rulesByKeyFact: byKeyFact, rulesWithoutKey: parts.flatMap((p) => p.rulesWithoutKey) };
  return { kb, rules, factSets };
}

/** A plain json-rules-engine Engine holding every generated rule, as anyone would run it. */
export function plainEngine(rules: ReturnType<typeof generatedKb>['rules']): Engine {
  return new Engine(
    rules.map((r) => ({ name: r.id, conditions: r.conditions as never, event: { type: 'evidence' } })),
    { allowUndefinedFacts: true },
  );
}

/** The ids of the rules the plain engine fires on these facts, sorted. */
export async function firedByPlainEngine(engine: Engine, facts: FactMap): Promise<string[]> {
  return (await engine.run({ ...facts })).results.map((r) => r.name as string).sort();
}
