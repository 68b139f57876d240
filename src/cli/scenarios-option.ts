import { existsSync, statSync } from 'node:fs';
import { InputError, UsageError, type InputProblem } from '../core/errors.js';
import { fileErrorText, realPathOf, yamlFilesUnder } from '../core/files.js';
import { loadScenarios, scenarioName, type Scenario } from '../core/scenarios.js';
import { STDIN_ARG } from './io.js';
import { includesShippedRules, shippedScenariosDir } from './kb-option.js';
import { repeatedValue } from './command.js';
import type { ScenarioDir } from '../generated/kb-test.js';

export const scenariosOption = {
  ...repeatedValue,
  describe:
    'test, coverage, diff, show, doc: a directory of scenario files (or one file), read with the shipped test/scenarios; repeat for more. The shipped ones are read when the knowledge base is built on the shipped rules/ (no --kb, or one naming it: a pack must not break them), not for one without it (a replacement knowledge base)',
} as const;

export const shippedScenariosOption = {
  type: 'boolean',
  describe: 'test, coverage, diff, show, doc: read the shipped test/scenarios (--no-shipped-scenarios: leave them out) whatever the knowledge base [default: when it is built on the shipped rules/]',
} as const;

export interface ScenarioArgs {
  scenarios?: string[];
  shippedScenarios?: boolean;
}

/** The scenarios of one directory, as the summary of kb test counts them. */
/** A scenario directory read (kb-test.schema.json's ScenarioDir, printed as scenarioDirs). */
export type { ScenarioDir };

export interface ScenarioSelection {
  dirs: ScenarioDir[];
  scenarios: Scenario[];
  /** The shipped scenarios were left out because the knowledge base is not built on the shipped rules/ (not because --no-shipped-scenarios said so). */
  shippedLeftOut: boolean;
}

/**
 * Refuses a --scenarios that holds no scenario to read before any work: one not there, or a
 * directory without a *.yaml or *.yml file (an empty directory, or a pack's, which holds none,
 * would otherwise pass with "top-1 0/0").
 */
export function checkScenarioArgs(args: ScenarioArgs): void {
  const expected = '--scenarios: expected a directory of scenario files (*.yaml or *.yml, at any depth) or one scenario file';
  for (const given of args.scenarios ?? []) {
    if (given === STDIN_ARG) throw new UsageError(`${expected}, got - (stdin)`);
    let files: string[];
    try {
      files = yamlFilesUnder(given);
    } catch (error) {
      throw new UsageError(`${expected}, got ${given} (${fileErrorText(error)})`);
    }
    if (files.length === 0) throw new UsageError(`${expected}, got no scenario files in ${given}`);
  }
}

/**
 * The scenarios a kb action reads: the shipped test/scenarios when --shipped-scenarios says so, or
 * by default when KBDIRS (the directories the knowledge base is built from) include the shipped
 * rules/ they test; then each --scenarios directory, each read once (by its real path). An
 * installed package ships no test/: then only the --scenarios are read. Every problem of every
 * file is reported at once.
 */
export function readScenarios(args: ScenarioArgs, kbDirs: readonly string[]): ScenarioSelection {
  const shippedThere = existsSync(shippedScenariosDir) && statSync(shippedScenariosDir).isDirectory();
  if (args.shippedScenarios === true && !shippedThere) throw new UsageError(`--shipped-scenarios: expected the shipped ${scenarioName(shippedScenariosDir)}, got none (an installed package ships no tests: give --scenarios DIR)`);
  const withShipped = shippedThere && (args.shippedScenarios ?? includesShippedRules(kbDirs));
  const paths = [...(withShipped ? [shippedScenariosDir] : []), ...(args.scenarios ?? [])];
  const shippedReal = realPathOf(shippedScenariosDir);
  const seen = new Set<string>();
  const dirs: ScenarioDir[] = [];
  const scenarios: Scenario[] = [];
  const problems: InputProblem[] = [];
  for (const path of paths) {
    const real = realPathOf(path);
    if (seen.has(real)) continue;
    seen.add(real);
    try {
      const read = loadScenarios(path);
      dirs.push({ dir: scenarioName(path), shipped: real === shippedReal, scenarios: read.length });
      scenarios.push(...read);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { dirs, scenarios, shippedLeftOut: shippedThere && !withShipped && args.shippedScenarios === undefined };
}
