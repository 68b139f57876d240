import { EVENT_ID, getScalarValue, load, parseEvents, SCALAR_STYLE, YAMLException } from 'js-yaml';
import { InputError, locate, pointerToken, type InputProblem } from './errors.js';
import { infiniteNumber, lineColumn, stripByteOrderMark } from './json.js';
import { loneSurrogate, UNICODE_TEXT } from './utf8.js';

/** How much a YAML document may hold: aliases (*name), nesting, and values once aliases are expanded. */
export interface YamlLimits {
  aliases: number;
  depth: number;
  values: number;
}

/**
 * Walks a parsed document as validation would, aliases expanded, and stops at the depth limit or
 * once the value budget is spent: an alias bomb or a recursive alias is refused after at most
 * `budget` steps (js-yaml's advice for untrusted input: count before anything walks the whole
 * graph). Returns the values counted, or which limit was passed.
 */
export function countValues(root: unknown, budget: number, maxDepth: number): number | 'values' | 'depth' {
  let values = 1;
  const stack: Array<[unknown, number]> = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [value, depth] = top;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return 'depth';
    const children = Object.values(value);
    values += children.length;
    if (values > budget) return 'values';
    for (const child of children) stack.push([child, depth + 1]);
  }
  return values;
}

/** A facts document has no use for more: a ticket's facts are a few dozen values. */
export const FACTS_YAML_LIMITS: YamlLimits = { aliases: 20, depth: 32, values: 10_000 };

/** The key js-yaml marks as duplicated at POSITION (inside its quotes when quoted), decoded. */
function keyAt(text: string, position: number): string | undefined {
  const start = /['"]/.test(text[position - 1] ?? '') ? position - 1 : position;
  const match = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^:,{}[\]\n]*?))\s*:/.exec(text.slice(start, start + 1024));
  if (!match) return undefined;
  if (match[1] !== undefined) return decodeDoubleQuoted(match[1]);
  return match[2]?.replace(/''/g, "'") ?? match[3];
}

/** YAML's double-quoted escapes are JSON's and a few more (\\x41, \\e): shown as written when JSON cannot say them. */
function decodeDoubleQuoted(body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

/** A key given twice in TEXT, as js-yaml reports it: what was expected and the key that came twice; undefined for another error. */
export function duplicateKeyProblem(error: YAMLException, text: string): { expected: string; got: string } | undefined {
  if (error.reason !== 'duplicated mapping key') return undefined;
  const key = error.mark && keyAt(text, error.mark.position);
  return { expected: 'each key at most once in a mapping', got: key === undefined ? 'a key twice' : `the key ${JSON.stringify(key)} twice` };
}

/** One js-yaml error as a located problem: SOURCE:LINE:COLUMN, what was expected, what came. */
function yamlProblem(error: YAMLException, text: string, source: string, limits: YamlLimits): InputProblem {
  const field = error.mark ? `${source}:${error.mark.line + 1}:${error.mark.column + 1}` : source;
  const duplicate = duplicateKeyProblem(error, text);
  if (duplicate) return { field, ...duplicate };
  if (error.reason.startsWith('aliases exceeded maxAliases')) return { field, expected: `at most ${limits.aliases} YAML aliases (*name)`, got: 'more' };
  if (error.reason.startsWith('nesting exceeded maxDepth')) return { field, expected: `values nested at most ${limits.depth} deep`, got: 'deeper' };
  return { field, expected: 'valid YAML', got: error.reason };
}

/**
 * Parses an untrusted YAML document read from SOURCE (a file name or "stdin") into what JSON could
 * have said (js-yaml's core schema: no dates, binary or custom tags), within LIMITS. A key given
 * twice is refused, as in JSON documents; every error says where, line:column.
 */
export function parseYaml(text: string, source: string, limits: YamlLimits = FACTS_YAML_LIMITS): unknown {
  const yaml = stripByteOrderMark(text);
  let document: unknown;
  try {
    document = load(yaml, { filename: source, maxAliases: limits.aliases, maxDepth: limits.depth });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw new InputError([yamlProblem(error, yaml, source, limits)]);
  }
  const counted = countValues(document, limits.values, limits.depth);
  if (counted === 'values') throw new InputError([{ field: source, expected: `at most ${limits.values} values once YAML aliases are expanded`, got: 'more' }]);
  if (counted === 'depth') throw new InputError([{ field: source, expected: `values nested at most ${limits.depth} deep once YAML aliases are expanded`, got: 'deeper' }]);
  const lone = SURROGATE_ESCAPE.test(yaml) ? loneSurrogateIn(document) : undefined;
  if (lone) throw new InputError([{ field: locate(source, lone.pointer), expected: UNICODE_TEXT, got: lone.got }]);
  const infinite = holdsInfiniteNumeral(document) ? infiniteNumeralIn(yaml, limits) : undefined;
  if (infinite) throw new InputError([{ field: `${source}:${lineColumn(yaml, infinite.offset)}`, ...infiniteNumber(infinite.literal, Number(infinite.literal)) }]);
  return document;
}

/**
 * A number as YAML 1.2's core schema writes one (its int and float forms, as js-yaml resolves
 * them). js-yaml leaves one beyond the largest number (1e400) a string, where JSON.parse makes it
 * Infinity: either way the number written is lost, so both are refused alike, at line:column.
 */
const CORE_NUMERAL = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

const isInfiniteNumeral = (text: string) => CORE_NUMERAL.test(text) && !Number.isFinite(Number(text));

/** Whether a value of DOCUMENT is a string that reads as an infinite number: written so, or quoted (which is a string, and fine). */
function holdsInfiniteNumeral(document: unknown): boolean {
  const stack: unknown[] = [document];
  const walked = new WeakSet<object>();
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string' && isInfiniteNumeral(value)) return true;
    if (typeof value !== 'object' || value === null || walked.has(value)) continue;
    walked.add(value);
    stack.push(...Object.values(value));
  }
  return false;
}

/**
 * The first value of YAML written as a plain (unquoted) number beyond the largest one, with its
 * offset: read again as events, which keep where each scalar stands and how it is written. A key
 * is no number, and a quoted value is a string as written.
 */
function infiniteNumeralIn(yaml: string, limits: YamlLimits): { literal: string; offset: number } | undefined {
  // Per open mapping, how many nodes it holds so far: its even ones are keys.
  const mappings: Array<number | undefined> = [];
  for (const event of parseEvents(yaml, { maxDepth: limits.depth })) {
    if (event.type === EVENT_ID.POP) {
      mappings.pop();
      continue;
    }
    if (event.type === EVENT_ID.DOCUMENT) {
      mappings.push(undefined);
      continue;
    }
    const held = mappings.at(-1);
    const isKey = held !== undefined && held % 2 === 0;
    if (held !== undefined) mappings[mappings.length - 1] = held + 1;
    if (event.type === EVENT_ID.MAPPING) mappings.push(0);
    else if (event.type === EVENT_ID.SEQUENCE) mappings.push(undefined);
    else if (event.type === EVENT_ID.SCALAR && !isKey && event.style === SCALAR_STYLE.PLAIN && event.tagStart < 0) {
      const literal = getScalarValue(yaml, event);
      if (isInfiniteNumeral(literal)) return { literal, offset: event.valueStart };
    }
  }
  return undefined;
}

/**
 * A double-quoted scalar's escape of a surrogate (\ud800, \U0000dc00), which js-yaml decodes as
 * it is: the only way a YAML document read from UTF-8 comes to hold a lone surrogate.
 */
const SURROGATE_ESCAPE = /\\(?:u|U0000)[dD][89a-fA-F]/;

/**
 * The first string of a parsed DOCUMENT, key or value, that holds a lone surrogate, with its JSON
 * pointer and what it holds (loneSurrogate). Each object is walked once, however often aliases
 * repeat it (five lists of four aliases of the one before repeat a string 1,024 times): a string
 * is checked once for each place the text writes it or an alias names it (limits.aliases at most).
 */
function loneSurrogateIn(document: unknown): { pointer: string; got: string } | undefined {
  const walked = new WeakSet<object>();
  // Each entry with the key it stands under (none for the document), checked as it is walked.
  const stack: Array<{ key?: string; value: unknown; pointer: string }> = [{ value: document, pointer: '' }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { key, value, pointer } = top;
    const got = (key === undefined ? undefined : loneSurrogate(key)) ?? (typeof value === 'string' ? loneSurrogate(value) : undefined);
    if (got) return { pointer, got };
    if (typeof value !== 'object' || value === null || walked.has(value)) continue;
    walked.add(value);
    // Pushed last to first, so that they are walked in the document's order.
    for (const [child, childValue] of Object.entries(value).reverse()) stack.push({ key: child, value: childValue, pointer: `${pointer}/${pointerToken(child)}` });
  }
  return undefined;
}
