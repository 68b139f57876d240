import type { LeafCondition } from '../../../generated/kb-file.js';
import { foldCondition, locatedFold } from '../../conditions.js';
import { unknownFactMessage } from '../../facts.js';
import { OPERATOR_NAMES, OPERATORS, type OperatorKind } from '../../operators.js';
import { didYouMean } from '../../suggest.js';
import type { FactSpec, Vocabulary } from '../../vocabulary.js';
import type { LoadCheck } from '../check.js';
import { describeKbValue } from './schema.js';

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

/** What an operator of each kind does with a value, for a message refusing it on a fact it does not fit. */
const KIND_DOES: Record<Exclude<OperatorKind, 'scalar' | 'list'>, string> = { numeric: 'compares numbers', text: 'looks for text in a string' };

function kindFits(spec: FactSpec, kind: OperatorKind): boolean {
  if (kind === 'numeric') return isNumeric(spec);
  return kind === 'text' ? spec.type === 'string' : true;
}

/** The operators a fact of SPEC's type takes that say what was seen (not notEqual, notIn, doesNotContain): "equal or in". */
function operatorsFor(spec: FactSpec): string {
  const names = OPERATOR_NAMES.filter((name) => !OPERATORS[name].negating && kindFits(spec, OPERATORS[name].kind));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
}

/**
 * How to write VALUE so that a fact of SPEC's type takes it, when it is that value in the wrong
 * type: a quoted true or 5 for a boolean or a number, an unquoted 200 for a string.
 */
function rewritten(spec: FactSpec, value: unknown): string {
  if (typeof value === 'string') {
    const unquoted = spec.type === 'boolean' ? value === 'true' || value === 'false' : isNumeric(spec) && value.trim() === value && value !== '' && Number.isFinite(Number(value));
    return unquoted ? `: write ${value} unquoted` : '';
  }
  const quoted = typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  return quoted !== undefined && factTypeAllows(spec, quoted) ? `: write "${quoted}" in quotes` : '';
}

/**
 * What is wrong with VALUE as one value of SPEC's fact (a scalar, or an item of a list), with how
 * to mend it; a list where one value goes is mended with LIST, the operator taking one, if any.
 */
function valueProblem(spec: FactSpec, value: unknown, list: string | undefined): string | undefined {
  if (!Array.isArray(value) && factTypeAllows(spec, value)) return undefined;
  const meant = spec.type === 'enum' && typeof value === 'string' ? didYouMean(value, spec.values ?? []) : '';
  const fix = Array.isArray(value) ? (list === undefined ? '' : `: for a list of values use ${list}`) : rewritten(spec, value);
  return `expected a value ${spec.name} takes, ${describeFactType(spec)}${meant}, got ${describeKbValue(value)}${fix}`;
}

/**
 * Checks one leaf, at PATH, against the vocabulary: known facts, operators and values that fit
 * their types. An unknown fact is reported at the leaf, an operator that does not fit the fact at
 * `operator`, a value (or an item of a list) at `value`, each with how to mend it; an unknown
 * fact its value names, at that name.
 */
function leafProblems(leaf: LeafCondition, vocabulary: Vocabulary, path: string, report: (path: string, message: string) => void): void {
  const spec = vocabulary.facts.get(leaf.fact);
  if (!spec) return report(path, unknownFactMessage(vocabulary, leaf.fact));
  const value = leaf.value;
  const { kind, negating } = OPERATORS[leaf.operator];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // in and notIn hold only against a list: against another fact's value they are never true, and the rule never fires.
    if (kind === 'list') return report(`${path}/value`, `expected a list of values for ${leaf.operator}, got a fact reference (${value.fact}): ${leaf.operator} is never true against one value; compare two facts with ${negating ? 'notEqual' : 'equal'}`);
    const other = vocabulary.facts.get(value.fact);
    if (!other) report(`${path}/value/fact`, unknownFactMessage(vocabulary, value.fact));
    else if ((spec.type === 'enum' ? 'string' : spec.type) !== (other.type === 'enum' ? 'string' : other.type) && !(isNumeric(spec) && isNumeric(other))) {
      report(`${path}/value/fact`, `expected a fact of ${spec.name}'s type (${spec.type}), got ${other.name} (${other.type})`);
    }
    return;
  }
  if (kind === 'numeric' || kind === 'text') {
    if (!kindFits(spec, kind)) return report(`${path}/operator`, `expected ${operatorsFor(spec)} for ${spec.name} (${describeFactType(spec)}), got ${leaf.operator}, which ${KIND_DOES[kind]}`);
    if (kind === 'text') return;
  }
  const inRange = (v: unknown, at: string) => {
    const problem = valueProblem(spec, v, kind === 'scalar' ? (negating ? 'notIn' : 'in') : undefined) ?? rangeProblem(spec, leaf.operator, v);
    if (problem) report(at, problem);
  };
  if (kind !== 'list') return inRange(value, `${path}/value`);
  if (!Array.isArray(value)) return report(`${path}/value`, `expected a list of values, got ${describeKbValue(value)}: write [${JSON.stringify(value)}] (or use ${negating ? 'notEqual' : 'equal'} for one value)`);
  value.forEach((v, i) => inRange(v, `${path}/value/${i}`));
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
