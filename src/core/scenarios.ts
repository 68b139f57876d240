import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import type { ScenarioFile } from '../generated/scenario.js';
import { InputError, locate } from './errors.js';
import { yamlFilesUnder } from './files.js';
import { packageRoot } from './paths.js';
import { schemaInputProblems } from './request.js';
import { validator } from './schemas.js';

/** A realistic incident (schemas/scenario.schema.json): the facts an engineer had and the root cause it turned out to be. */
export interface Scenario extends ScenarioFile {
  /** Where it was read from, relative to the package. */
  file: string;
}

/**
 * Reads every scenario under `dir` (the CLI's default is the package's test/scenarios), each
 * validated against schemas/scenario.schema.json: a
 * misspelt key (`alternate:` for `alternates:`) is an error naming the file and the key,
 * never a scenario that silently checks less than it says.
 */
export function loadScenarios(dir: string): Scenario[] {
  const validate = validator('scenario.schema.json');
  return yamlFilesUnder(dir).map((path) => {
    // The shipped scenarios by their place in the package; a curator's elsewhere by their whole path, not a climb of ../..
    const inPackage = relative(packageRoot, path);
    const file = inPackage.startsWith('..') || isAbsolute(inPackage) ? path : inPackage;
    const document: unknown = parseYaml(readFileSync(path, 'utf8'));
    if (!validate(document)) throw new InputError(schemaInputProblems(validate.errors ?? []).map((p) => ({ ...p, field: locate(file, p.field) })));
    return { ...(document as ScenarioFile), file };
  });
}

/** What a ticket usually says before anyone investigates: the opening facts of an interview. */
export function openingFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([name]) => /^(symptom|path|target)\./.test(name) || name === 'http.status'));
}
