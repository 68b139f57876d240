import type { ErrorObject } from 'ajv';
import type { KbProblem } from '../../errors.js';
import { expectedText, meantErrors, validator } from '../../schemas.js';
import type { LoadCheck } from '../check.js';

/** Keeps the most specific schema errors: those deepest in the document, one line per path. */
export function schemaProblems(file: string, errors: readonly ErrorObject[]): KbProblem[] {
  const concrete = meantErrors(errors).filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const deepest = Math.max(...concrete.map(depth));
  const byPath = new Map<string, { expected: Set<string>; got: unknown }>();
  for (const e of concrete.filter((x) => depth(x) === deepest)) {
    const path = e.instancePath || '/';
    const entry = byPath.get(path) ?? { expected: new Set<string>(), got: e.data };
    entry.expected.add(expectedText(e));
    byPath.set(path, entry);
  }
  return [...byPath].slice(0, 5).map(([path, { expected, got }]) => ({
    file,
    path,
    message: `expected ${[...expected].join(' or ')}, got ${describeKbValue(got)}`,
  }));
}

function describeKbValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
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
    if (!validate(source.data)) for (const p of schemaProblems(source.file, validate.errors ?? [])) report(p.file, p.path, p.message);
  },
};
