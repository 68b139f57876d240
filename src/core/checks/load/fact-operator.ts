import type { LeafCondition } from '../../../generated/kb-file.js';
import { foldCondition, locatedFold } from '../../conditions.js';
import { OPERATORS } from '../../operators.js';
import type { FactSpec, Vocabulary } from '../../vocabulary.js';
import type { LoadCheck } from '../check.js';

function factTypeAllows(spec: FactSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
    case 'number':
      return typeof value === 'number';
    case 'enum':
      return typeof value === 'string' && (spec.values ?? []).includes(value);
    case 'string':
      return typeof value === 'string';
  }
}

function describeFactType(spec: FactSpec): string {
  if (spec.type === 'enum') return `one of ${(spec.values ?? []).join(', ')}`;
  return spec.type === 'integer' ? 'an integer' : `a ${spec.type}`;
}

function isNumeric(spec: FactSpec): boolean {
  return spec.type === 'number' || spec.type === 'integer';
}

/** Checks one leaf against the vocabulary: known facts, operators and values that fit their types. */
export function leafProblems(leaf: LeafCondition, facts: Vocabulary['facts']): string[] {
  const spec = facts.get(leaf.fact);
  if (!spec) return [`unknown fact "${leaf.fact}"`];
  const problems: string[] = [];
  const value = leaf.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const other = facts.get(value.fact);
    if (!other) problems.push(`value names unknown fact "${value.fact}"`);
    else if ((spec.type === 'enum' ? 'string' : spec.type) !== (other.type === 'enum' ? 'string' : other.type) && !(isNumeric(spec) && isNumeric(other))) {
      problems.push(`compares ${spec.name} (${spec.type}) with ${other.name} (${other.type})`);
    }
    return problems;
  }
  const { kind } = OPERATORS[leaf.operator];
  if (kind === 'numeric') {
    if (!isNumeric(spec)) problems.push(`${leaf.operator} needs a numeric fact, ${spec.name} is ${describeFactType(spec)}`);
    else if (typeof value !== 'number') problems.push(`${leaf.operator} needs a number, got ${JSON.stringify(value)}`);
  } else if (kind === 'list') {
    if (!Array.isArray(value)) problems.push(`${leaf.operator} needs a list of values, got ${JSON.stringify(value)}`);
    else for (const v of value) if (!factTypeAllows(spec, v)) problems.push(`${JSON.stringify(v)} is not ${describeFactType(spec)} (${spec.name})`);
  } else if (kind === 'text') {
    if (spec.type !== 'string') problems.push(`${leaf.operator} needs a string fact, ${spec.name} is ${describeFactType(spec)}`);
  } else if (Array.isArray(value) || !factTypeAllows(spec, value)) {
    problems.push(`${JSON.stringify(value)} is not ${describeFactType(spec)} (${spec.name})`);
  }
  return problems;
}

export const factOperator: LoadCheck = {
  meta: {
    id: 'fact-operator',
    severity: 'fatal',
    docs: {
      description: 'Each condition reads a fact of the vocabulary, with an operator and a value that fit its type (a number for greaterThan, a list for in, a value of the enum).',
      why: 'json-rules-engine compares whatever it is given: a misspelt fact or "lossy" for an enum of ok / partial_loss / fail makes a rule that can never fire, found only when an incident is missed.',
    },
  },
  condition(condition, file, path, kb, report) {
    foldCondition(
      condition,
      locatedFold<void>({
        leaf: (leaf, at) => leafProblems(leaf, kb.vocabulary.facts).forEach((message) => report(file, at, message)),
        reference: () => undefined,
        combine: () => undefined,
      }),
    )(path);
  },
};
