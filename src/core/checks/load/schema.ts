import type { ErrorObject } from 'ajv';
import { pointerToken, type KbProblem } from '../../errors.js';
import { isScenarioShaped } from '../../scenarios.js';
import { expectedText, meantErrors, validator } from '../../schemas.js';
import type { LoadCheck } from '../check.js';
import { counted } from '../../counted.js';

/**
 * The schema's errors as problems: those of the alternative each value was meant for
 * (meantErrors), each its own problem since every one must be mended, at most five a file.
 */
export function schemaProblems(file: string, errors: readonly ErrorObject[]): KbProblem[] {
  const problems = new Map<string, KbProblem>();
  for (const e of meantErrors(errors)) {
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    // A property the schema does not know is placed at its own key, not at the object holding it (its line is the one to
    // mend), and said as a scenario's or a request's unknown field is.
    const unknown = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
    // So is a key whose name breaks propertyNames (a fact declared as `Bad Name!`): ajv reports it at the object, naming the key in propertyName.
    const key = unknown ?? e.propertyName;
    const path = key === undefined ? e.instancePath || '/' : `${e.instancePath}/${pointerToken(key)}`;
    const message = `expected ${expectedText(e)}, got ${unknown === undefined ? describeKbValue(e.data) : 'an unknown field'}`;
    problems.set(`${path}\n${message}`, { file, path, message });
  }
  return [...problems.values()].slice(0, 5);
}

/** A value of a rule file, for the "got" of a message: its type, and a scalar's value or an array's length. */
export function describeKbValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${counted(value.length, 'item')}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export const schema: LoadCheck = {
  meta: {
    id: 'schema',
    severity: 'fatal',
    docs: {
      description: 'Every rule file fits schemas/kb-file.schema.json: known sections and fields, values of the right type and range.',
      why: 'Every later check and the engine read these fields as typed; a typo such as `evidance:` would otherwise be ignored in silence.',
    },
  },
  file(source, report) {
    if (source.validated) return;
    const validate = validator('kb-file.schema.json');
    if (validate(source.data)) return;
    // A pack's scenario kept beside its rules: one problem saying where it goes, not four unknown sections.
    if (isScenarioShaped(source.data)) report(source.file, '', 'expected a rule file, got a scenario (story, facts, expect): move it out of the knowledge-base directory and give its directory to rca kb test --scenarios DIR');
    else for (const p of schemaProblems(source.file, validate.errors ?? [])) report(p.file, p.path, p.message);
  },
};
