import { diagnose, type DiagnoseOptions } from '../src/core/diagnose.js';
import { fireRules } from '../src/core/evaluate.js';
import { normalizeFacts } from '../src/core/facts.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../src/core/kb.js';
import { defaultKbDir } from '../src/core/paths.js';

let shipped: KnowledgeBase | undefined;
export function shippedKb(): KnowledgeBase {
  shipped ??= loadKnowledgeBase([defaultKbDir]);
  return shipped;
}

export async function diagnoseFacts(facts: unknown, options: DiagnoseOptions = {}, kb = shippedKb()) {
  return diagnose(kb, normalizeFacts(facts, kb.vocabulary), options);
}

export async function firedRuleIds(facts: unknown, kb = shippedKb()): Promise<string[]> {
  return (await fireRules(kb, normalizeFacts(facts, kb.vocabulary))).map((f) => f.rule.id).sort();
}

export { loadScenarios, scenariosDir, type Scenario } from '../src/core/scenarios.js';
