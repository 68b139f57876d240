import { diagnose, type DiagnoseOptions } from '../src/core/diagnose.js';
import { fireRules } from '../src/core/evaluate.js';
import { normalizeFacts } from '../src/core/facts.js';
import { nextQuestion, type InterviewState } from '../src/core/interview.js';
import type { FactMap } from '../src/core/vocabulary.js';
import { cliReadOptions, shippedScenariosDir } from '../src/cli/kb-option.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../src/core/kb.js';
import { defaultKbDir } from '../src/core/paths.js';
import { loadScenarios as loadScenariosIn, type Scenario } from '../src/core/scenarios.js';

/** The shipped rules/, read as the CLI reads them (from the build's snapshot, paths relative to the working directory). */
let shipped: KnowledgeBase | undefined;
export function shippedKb(): KnowledgeBase {
  shipped ??= loadKnowledgeBase([defaultKbDir], cliReadOptions());
  return shipped;
}

/** The shipped scenarios (test/scenarios), or those under `dir`. */
export function loadScenarios(dir = shippedScenariosDir): Scenario[] {
  return loadScenariosIn(dir);
}

export async function diagnoseFacts(facts: unknown, options: DiagnoseOptions = {}, kb = shippedKb()) {
  return diagnose(kb, normalizeFacts(facts, kb.vocabulary), options);
}

export async function firedRuleIds(facts: unknown, kb = shippedKb()): Promise<string[]> {
  return (await fireRules(kb, normalizeFacts(facts, kb.vocabulary))).map((f) => f.rule.id).sort();
}

export type { Scenario } from '../src/core/scenarios.js';

/** The facts the interview asks from `intake`, in order, answering from `answers` and "don't know" otherwise. */
export async function askedFrom(intake: FactMap, answers: FactMap, limit: number, kb = shippedKb()): Promise<string[]> {
  let state: InterviewState = { facts: { ...intake }, unknown: [] };
  const facts: string[] = [];
  while (facts.length < limit) {
    const step = await nextQuestion(kb, state, { lang: 'en' });
    if (step.done || !step.question) break;
    const { fact } = step.question;
    facts.push(fact);
    const answer = answers[fact];
    state = answer === undefined ? { facts: state.facts, unknown: [...state.unknown, fact] } : { facts: { ...state.facts, [fact]: answer }, unknown: state.unknown };
  }
  return facts;
}
