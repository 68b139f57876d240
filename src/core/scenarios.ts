import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { packageRoot } from './paths.js';

/** A realistic incident: the facts an engineer had and the root cause it turned out to be. */
export interface Scenario {
  file: string;
  story: string;
  source: string;
  redHerring?: boolean;
  facts: Record<string, unknown>;
  expect: { top1: string; alternates?: string[]; ruledOut?: string[] };
}

export const scenariosDir = join(packageRoot, 'test', 'scenarios');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

export function loadScenarios(dir = scenariosDir): Scenario[] {
  return yamlFiles(dir).map((file) => ({ ...(parseYaml(readFileSync(file, 'utf8')) as Omit<Scenario, 'file'>), file: relative(packageRoot, file) }));
}

/** What a ticket usually says before anyone investigates: the opening facts of an interview. */
export function openingFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([name]) => /^(symptom|path|target)\./.test(name) || name === 'http.status'));
}
