import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { diagnose, type DiagnoseOptions } from '../src/core/diagnose.js';
import { fireRules } from '../src/core/evaluate.js';
import { normalizeFacts } from '../src/core/facts.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../src/core/kb.js';
import { defaultKbDir, packageRoot } from '../src/core/paths.js';

let shipped: KnowledgeBase | undefined;
export function shippedKb(): KnowledgeBase {
  shipped ??= loadKnowledgeBase([defaultKbDir]);
  return shipped;
}

export async function diagnoseFacts(facts: unknown, options: DiagnoseOptions = {}, kb = shippedKb()) {
  return diagnose(kb, normalizeFacts(facts), options);
}

export async function firedRuleIds(facts: unknown, kb = shippedKb()): Promise<string[]> {
  return (await fireRules(kb, normalizeFacts(facts))).map((f) => f.rule.id).sort();
}

export interface Scenario {
  file: string;
  story: string;
  source: string;
  redHerring?: boolean;
  facts: Record<string, unknown>;
  expect: { top1: string; alternates?: string[]; ruledOut?: string[] };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

export const scenariosDir = join(packageRoot, 'test', 'scenarios');

export function loadScenarios(dir = scenariosDir): Scenario[] {
  return yamlFiles(dir).map((file) => ({ ...(parseYaml(readFileSync(file, 'utf8')) as Omit<Scenario, 'file'>), file: relative(packageRoot, file) }));
}
