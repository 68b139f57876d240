import { readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import type { Incident } from '../generated/incident.js';
import { describeValue, InputError, locate, type InputProblem } from '../core/errors.js';
import { normalizeFacts } from '../core/facts.js';
import { fileErrorText, yamlFilesUnder } from '../core/files.js';
import type { KnowledgeBase } from '../core/kb.js';
import { schemaInputProblems } from '../core/request.js';
import { meantErrors, validator } from '../core/schemas.js';
import { didYouMean } from '../core/suggest.js';
import type { FactMap } from '../core/vocabulary.js';

export type { Incident } from '../generated/incident.js';

/** An incident as read from its file, its facts validated against the vocabulary. */
export interface LoadedIncident extends Incident {
  /** The file, relative to the directory it was found under's parent (e.g. "tune/x.yaml"). */
  file: string;
  intakeFacts: FactMap;
  /** Every finding as a fact (findings never contradict the intake). */
  findingFacts: FactMap;
}

/** A corpus file is small; anything larger is not an incident. */
const MAX_INCIDENT_BYTES = 64 * 1024;
const MAX_INCIDENT_FILES = 5_000;

function readIncidentFile(file: string, shown: string, kb: KnowledgeBase, problems: InputProblem[]): LoadedIncident | undefined {
  const where = (path: string) => locate(shown, path);
  const size = statSync(file).size;
  if (size > MAX_INCIDENT_BYTES) {
    problems.push({ field: shown, expected: `an incident file of at most ${MAX_INCIDENT_BYTES} bytes`, got: `${size} bytes` });
    return undefined;
  }
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'), { filename: shown, maxAliases: 0 });
  } catch (error) {
    problems.push({ field: shown, expected: 'YAML without aliases', got: (error as Error).message.split('\n')[0] ?? 'unparsable text' });
    return undefined;
  }
  const validate = validator('incident.schema.json');
  if (!validate(data)) {
    // As a scenario's and a request's: a property missing or unknown is placed at itself, and got nothing or an unknown field, not the object holding it.
    for (const problem of schemaInputProblems(meantErrors(validate.errors ?? []))) problems.push({ ...problem, field: where(problem.field === '/' ? '' : problem.field) });
    return undefined;
  }
  const incident = data as Incident;
  const before = problems.length;
  // A file named on the command line is read whatever its name (a JSON one too, JSON being YAML): its id is its name without the extension.
  if (basename(file, extname(file)) !== incident.id) problems.push({ field: where('/id'), expected: `the file's name (${basename(file)})`, got: `"${incident.id}"` });
  if (incident.cause !== 'none') {
    incident.cause.forEach((id, i) => {
      if (!kb.hypotheses.has(id)) problems.push({ field: where(`/cause/${i}`), expected: `a hypothesis id of the knowledge base${didYouMean(id, [...kb.hypotheses.keys()])}`, got: `"${id}"` });
    });
  }
  const facts = (path: string, input: Record<string, unknown>): FactMap => {
    try {
      return normalizeFacts(input, kb.vocabulary, path);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, field: where(`/${path}/${p.field}`) })));
      return {};
    }
  };
  const intakeFacts = facts('intake', incident.intake);
  const findingFacts = facts('findings', Object.fromEntries(incident.findings.map((f) => [f.fact, f.value])));
  for (const [name, value] of Object.entries(findingFacts)) {
    if (name in intakeFacts && intakeFacts[name] !== value) problems.push({ field: where(`/findings/${name}`), expected: `the intake's value ${describeValue(intakeFacts[name])}`, got: describeValue(value) });
  }
  return problems.length === before ? { ...incident, file: shown, intakeFacts, findingFacts } : undefined;
}

/**
 * Reads every incident under the given paths (a file as named, a directory's *.yaml and *.yml
 * files, depth first; a directory with none is a problem), validated against
 * schemas/incident.schema.json, the fact vocabulary and the knowledge base's hypotheses. Every
 * problem in every file is reported at once, located by file and path; ids are unique.
 */
export function loadIncidents(paths: readonly string[], kb: KnowledgeBase): LoadedIncident[] {
  const problems: InputProblem[] = [];
  const files = paths.flatMap((path) => {
    try {
      const found = yamlFilesUnder(path);
      // Only a directory finds none: measured on nothing, a corpus would pass any threshold at 0.0%.
      if (found.length === 0) problems.push({ field: path, expected: 'incident files (*.yaml or *.yml) in the directory or below it', got: 'none' });
      return found.map((file) => ({ file, shown: relative(join(path, '..'), file) }));
    } catch (error) {
      problems.push({ field: path, expected: 'a readable incident file or directory', got: fileErrorText(error) });
      return [];
    }
  });
  if (files.length > MAX_INCIDENT_FILES) throw new InputError([{ field: paths.join(', '), expected: `at most ${MAX_INCIDENT_FILES} incident files`, got: `${files.length}` }]);
  const incidents: LoadedIncident[] = [];
  const seen = new Map<string, string>();
  for (const { file, shown } of files) {
    const incident = readIncidentFile(file, shown, kb, problems);
    if (!incident) continue;
    const first = seen.get(incident.id);
    if (first) problems.push({ field: locate(shown, '/id'), expected: 'an id used once in the corpus', got: `"${incident.id}", also in ${first}` });
    seen.set(incident.id, shown);
    incidents.push(incident);
  }
  if (problems.length > 0) throw new InputError(problems);
  return incidents;
}
