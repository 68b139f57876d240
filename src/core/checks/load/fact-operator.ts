import type { LeafCondition } from '../../../generated/kb-file.js';
import { foldCondition, locatedFold } from '../../conditions.js';
import { unknownFactMessage } from '../../facts.js';
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

/**
 * What is wrong with comparing a numeric fact with VALUE by OPERATOR: a value past the fact's
 * declared minimum or maximum, against which every value the fact can take compares the same
 * way; a bound the comparison can never pass (> its maximum, < its minimum); a fraction an
 * integer fact can never equal.
 */
function rangeProblem(spec: FactSpec, operator: string, value: unknown): string | undefined {
  if (!isNumeric(spec) || typeof value !== 'number') return undefined;
  const range = [spec.minimum !== undefined ? `>= ${spec.minimum}` : undefined, spec.maximum !== undefined ? `<= ${spec.maximum}` : undefined].filter(Boolean).join(' and ');
  const outside = (spec.minimum !== undefined && value < spec.minimum) || (spec.maximum !== undefined && value > spec.maximum);
  if (outside) return `expected a value ${range} (the range of ${spec.name}), got ${value}: every value the fact can take compares the same way with it`;
  if (operator === 'greaterThan' && value === spec.maximum) return `expected a value under ${spec.name}'s maximum ${value}, got ${value}: no value of the fact is greater`;
  if (operator === 'lessThan' && value === spec.minimum) return `expected a value over ${spec.name}'s minimum ${value}, got ${value}: no value of the fact is less`;
  const equality = operator === 'equal' || operator === 'notEqual' || operator === 'in' || operator === 'notIn';
  if (equality && spec.type === 'integer' && !Number.isInteger(value)) return `expected a whole number (${spec.name} is an integer), got ${value}: no value of the fact equals it`;
  return undefined;
}

/**
 * Checks one leaf, at PATH, against the vocabulary: known facts, operators and values that fit
 * their types. A problem is reported at the leaf; an unknown fact its value names, at that name.
 */
function leafProblems(leaf: LeafCondition, vocabulary: Vocabulary, path: string, report: (path: string, message: string) => void): void {
  const problem = (message: string) => report(path, message);
  const spec = vocabulary.facts.get(leaf.fact);
  if (!spec) return problem(unknownFactMessage(vocabulary, leaf.fact));
  const value = leaf.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const other = vocabulary.facts.get(value.fact);
    if (!other) report(`${path}/value/fact`, unknownFactMessage(vocabulary, value.fact));
    else if ((spec.type === 'enum' ? 'string' : spec.type) !== (other.type === 'enum' ? 'string' : other.type) && !(isNumeric(spec) && isNumeric(other))) {
      problem(`compares ${spec.name} (${spec.type}) with ${other.name} (${other.type})`);
    }
    return;
  }
  const { kind } = OPERATORS[leaf.operator];
  const inRange = (v: unknown, at: string) => {
    const outside = rangeProblem(spec, leaf.operator, v);
    if (outside) report(at, outside);
  };
  if (kind === 'numeric') {
    if (!isNumeric(spec)) problem(`${leaf.operator} needs a numeric fact, ${spec.name} is ${describeFactType(spec)}`);
    else if (typeof value !== 'number') problem(`${leaf.operator} needs a number, got ${JSON.stringify(value)}`);
    else inRange(value, `${path}/value`);
  } else if (kind === 'list') {
    if (!Array.isArray(value)) problem(`${leaf.operator} needs a list of values, got ${JSON.stringify(value)}`);
    else value.forEach((v, i) => (factTypeAllows(spec, v) ? inRange(v, `${path}/value/${i}`) : problem(`${JSON.stringify(v)} is not ${describeFactType(spec)} (${spec.name})`)));
  } else if (kind === 'text') {
    if (spec.type !== 'string') problem(`${leaf.operator} needs a string fact, ${spec.name} is ${describeFactType(spec)}`);
  } else if (Array.isArray(value) || !factTypeAllows(spec, value)) {
    problem(`${JSON.stringify(value)} is not ${describeFactType(spec)} (${spec.name})`);
  } else {
    inRange(value, `${path}/value`);
  }
}

export const factOperator: LoadCheck = {
  meta: {
    id: 'fact-operator',
    severity: 'fatal',
    docs: {
      description: 'Each condition reads a fact of the vocabulary, with an operator and a value that fit its type (a number for greaterThan, a list for in, a value of the enum) and its range (http.status > 700 on a fact of at most 599).',
      why: 'json-rules-engine compares whatever it is given: a misspelt fact, "lossy" for an enum of ok / partial_loss / fail or a threshold past the fact\'s range makes a rule that can never fire (or always does), found only when an incident is missed.',
    },
  },
  condition(condition, file, path, kb, report) {
    foldCondition(
      condition,
      locatedFold<void>({
        leaf: (leaf, at) => leafProblems(leaf, kb.vocabulary, at, (where, message) => report(file, where, message)),
        reference: () => undefined,
        combine: () => undefined,
      }),
    )(path);
  },
};
