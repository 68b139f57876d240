import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { ScenarioFile } from '../generated/scenario.js';
import { filePosition, InputError, locate, type InputProblem } from './errors.js';
import { fileErrorText, yamlFilesUnder } from './files.js';
import { packageRoot } from './paths.js';
import { schemaInputProblems } from './request.js';
import { readSchema, validator } from './schemas.js';
import { FACTS_YAML_LIMITS, parseYaml } from './yaml.js';
import { yamlLocator } from './yaml-lines.js';

/** A realistic incident (schemas/scenario.schema.json): the facts an engineer had and the root cause it turned out to be. */
export interface Scenario extends ScenarioFile {
  /** Where it is shown: the shipped ones by their place in the package, a curator's by the path it was found at (scenarioName). */
  file: string;
  /** Where it was read from, to read it again for the line and column of a problem found later (a hypothesis the knowledge base lacks). */
  path: string;
}

/** A scenario file or directory as messages show it: by its place in the package when it is in it, else by the path given, not a climb of ../.. */
export function scenarioName(path: string): string {
  const inPackage = relative(packageRoot, path);
  return inPackage.startsWith('..') || isAbsolute(inPackage) ? path : inPackage;
}

/** The top-level keys of DOCUMENT, or none when it is not a mapping. */
const keysOf = (document: unknown): string[] => (typeof document === 'object' && document !== null && !Array.isArray(document) ? Object.keys(document) : []);

/** The keys a scenario file must hold (story, source, facts, expect). */
const requiredScenarioKeys = () => readSchema('scenario.schema.json').required as string[];

/**
 * Whether DOCUMENT is shaped as a scenario, holding every key a scenario file must: a scenario
 * put in a knowledge-base directory is named as one, not as a rule file with four unknown sections.
 */
export function isScenarioShaped(document: unknown): boolean {
  const keys = new Set(keysOf(document));
  return requiredScenarioKeys().every((key) => keys.has(key));
}

/** The sections of a rule file DOCUMENT holds that no scenario has (rules, questions, ...), when it holds no key only a scenario has; else none. */
function ruleFileSections(document: unknown): string[] {
  const scenario = new Set(Object.keys(readSchema('scenario.schema.json').properties as object));
  const rules = new Set(Object.keys(readSchema('kb-file.schema.json').properties as object));
  const keys = keysOf(document);
  const own = keys.filter((key) => rules.has(key) && !scenario.has(key));
  return own.length > 0 && keys.every((key) => rules.has(key)) ? own : [];
}

/**
 * One scenario file, read, parsed within the limits of a facts document and validated against
 * schemas/scenario.schema.json; its problems, each at its file:line:column, go to PROBLEMS.
 */
function readScenario(path: string, problems: InputProblem[]): Scenario | undefined {
  const file = scenarioName(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push({ field: file, expected: 'a readable scenario file', got: fileErrorText(error) });
    return undefined;
  }
  let document: unknown;
  try {
    document = parseYaml(text, file, FACTS_YAML_LIMITS);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
  const validate = validator('scenario.schema.json');
  if (validate(document)) return { ...(document as ScenarioFile), file, path };
  const sections = ruleFileSections(document);
  if (sections.length > 0) {
    problems.push({ field: file, expected: `a scenario (${requiredScenarioKeys().join(', ')})`, got: `a rule file (${sections.join(', ')}): give its directory with --kb` });
    return undefined;
  }
  const position = yamlLocator(text);
  problems.push(...schemaInputProblems(validate.errors ?? []).map((p) => ({ ...p, field: locate(filePosition({ file, ...position(p.field) }), p.field) })));
  return undefined;
}

/**
 * Reads every scenario under `dir` (a directory, or one scenario file), each validated against
 * schemas/scenario.schema.json: a misspelt key (`alternate:` for `alternates:`) is an error at
 * its file:line:column naming the key meant, never a scenario that silently checks less than it
 * says. Every problem of every file is reported at once.
 */
export function loadScenarios(dir: string): Scenario[] {
  const problems: InputProblem[] = [];
  const scenarios = yamlFilesUnder(dir).flatMap((path) => readScenario(path, problems) ?? []);
  if (problems.length > 0) throw new InputError(problems);
  return scenarios;
}

/** What a ticket usually says before anyone investigates: the opening facts of an interview. */
export function openingFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([name]) => /^(symptom|path|target)\./.test(name) || name === 'http.status'));
}
