import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FactDeclaration, LocalizedText } from '../generated/kb-file.js';
import { locate } from './errors.js';
import { localize } from './localize.js';
import { readSchema, validator } from './schemas.js';
import type { FactSpec, FactType } from '../generated/fact-list.js';

export type FactValue = string | number | boolean;
/** Flat, validated facts keyed by dotted name. A name that is absent is unknown. */
export type FactMap = Readonly<Record<string, FactValue>>;

/** One fact of the vocabulary, as `rca facts -f json` prints it (fact-list.schema.json's FactSpec). */
export type { FactSpec, FactType };

/** One fact as JSON Schema says it: a property of schemas/facts.schema.json. */
interface FactProperty {
  type: 'boolean' | 'integer' | 'number' | 'string';
  enum?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  'x-unit'?: string;
  /** What the value must be, in words, for a refusal's "expected" (as the shipped schema words its patterns). */
  'x-expected'?: string;
  description?: string;
}

/** A fact a knowledge-base file declared (its `facts` section) beyond the shipped schema. */
export interface DeclaredFact {
  /** As the file wrote it, descriptions in every language (rca kb diff compares these). */
  declaration: FactDeclaration;
  property: FactProperty;
  file: string;
  path: string;
}

/**
 * The facts a knowledge base reads and takes as input: the shipped schema's
 * (schemas/facts.schema.json, the base vocabulary) and those its packs declared. Plain data,
 * so a knowledge base holding it can be posted from a worker thread.
 */
export interface Vocabulary {
  readonly facts: ReadonlyMap<string, FactSpec>;
  readonly names: readonly string[];
  /** The facts beyond the base vocabulary, by name. */
  readonly declared: ReadonlyMap<string, DeclaredFact>;
}

/** What the facts schema is, as a document (GET /v1/schema/facts serves it). */
export type FactsSchema = Record<string, unknown> & { properties: Record<string, FactProperty> };

const SHIPPED_SCHEMA = 'schemas/facts.schema.json';

function specOf(name: string, p: FactProperty, description: LocalizedText | undefined = p.description): FactSpec {
  return {
    name,
    type: p.enum ? 'enum' : p.type,
    ...(p.enum && { values: p.enum }),
    ...(p.minimum !== undefined && { minimum: p.minimum }),
    ...(p.maximum !== undefined && { maximum: p.maximum }),
    ...(p['x-unit'] !== undefined && { unit: p['x-unit'] }),
    ...(description !== undefined && { description }),
  };
}

let base: Vocabulary | undefined;
/** The shipped vocabulary, read from schemas/facts.schema.json (its single source of truth); the same object every time. */
export function baseVocabulary(): Vocabulary {
  if (base) return base;
  const facts = new Map<string, FactSpec>();
  for (const [name, p] of Object.entries((readSchema('facts.schema.json') as FactsSchema).properties)) facts.set(name, specOf(name, p));
  base = { facts, names: [...facts.keys()], declared: new Map() };
  return base;
}

/** The keywords that say what values a fact takes: a redefinition must repeat them exactly. */
const DEFINING_KEYWORDS = ['type', 'enum', 'minimum', 'maximum', 'maxLength', 'pattern', 'x-unit'] as const;
const KEYWORD_WORDS: Record<(typeof DEFINING_KEYWORDS)[number], string> = { type: 'type', enum: 'values', minimum: 'minimum', maximum: 'maximum', maxLength: 'maxLength', pattern: 'pattern', 'x-unit': 'unit' };
/** Which declaration keywords fit which types. */
const KEYWORD_TYPES: Partial<Record<keyof FactDeclaration, ReadonlyArray<FactDeclaration['type']>>> = { enum: ['string'], minimum: ['integer', 'number'], maximum: ['integer', 'number'], maxLength: ['string'] };

function propertyOf(d: FactDeclaration): FactProperty {
  return {
    type: d.type,
    ...(d.enum && { enum: d.enum }),
    ...(d.minimum !== undefined && { minimum: d.minimum }),
    ...(d.maximum !== undefined && { maximum: d.maximum }),
    ...(d.maxLength !== undefined && { maxLength: d.maxLength }),
    ...(d.unit !== undefined && { 'x-unit': d.unit }),
    description: localize(d.description, 'en'),
  };
}

/** A keyword's value in a clash message; a pattern (the shipped host pattern is 3 KB) is only named. */
const shown = (keyword: (typeof DEFINING_KEYWORDS)[number], value: unknown) => {
  if (value === undefined) return 'none';
  if (keyword === 'pattern') return 'one';
  return Array.isArray(value) ? value.join(', ') : String(value);
};

/** How a redefinition differs from the definition in force ("type string here, integer there"), or undefined when it does not. */
function clash(here: FactProperty, there: FactProperty): string | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const differences = DEFINING_KEYWORDS.filter((k) => !same(here[k], there[k])).map((k) => `${KEYWORD_WORDS[k]} ${shown(k, here[k])} here, ${shown(k, there[k])} there`);
  return differences.length > 0 ? differences.join('; ') : undefined;
}

/** A fact declaration of a knowledge-base file, with where it was found. */
export interface FactDeclarationSource {
  name: string;
  declaration: FactDeclaration;
  file: string;
  path: string;
}

/**
 * Layers the facts that knowledge-base files declare over the base vocabulary, in order. A
 * fact already defined may be declared again only with the same type, values, range and unit
 * (the first definition stays); any other difference is reported (the fact-declarations load
 * check) naming the fact, the file that defined it first and what clashed. So is a keyword
 * that does not fit the type. A declaration with a finding is left out.
 */
export function layerVocabulary(declarations: readonly FactDeclarationSource[], report: (file: string, path: string, message: string) => void): Vocabulary {
  const shippedVocabulary = baseVocabulary();
  const facts = new Map(shippedVocabulary.facts);
  const declared = new Map<string, DeclaredFact>();
  const shipped = (readSchema('facts.schema.json') as FactsSchema).properties;
  for (const { name, declaration, file, path } of declarations) {
    const misfits = Object.entries(KEYWORD_TYPES).filter(([keyword, types]) => keyword in declaration && !types.includes(declaration.type));
    for (const [keyword, types] of misfits) report(file, `${path}/${keyword}`, `expected type ${types.join(' or ')} for a fact with ${keyword}, got type ${declaration.type}`);
    if (declaration.minimum !== undefined && declaration.maximum !== undefined && declaration.minimum > declaration.maximum) {
      report(file, `${path}/maximum`, `expected a maximum >= the minimum ${declaration.minimum}, got ${declaration.maximum}`);
    }
    if (misfits.length > 0) continue;
    const property = propertyOf(declaration);
    const earlier = declared.get(name);
    const there = earlier?.property ?? shipped[name];
    if (there) {
      const difference = clash(property, there);
      if (difference) report(file, path, `fact "${name}" clashes with ${earlier ? locate(earlier.file, earlier.path) : SHIPPED_SCHEMA}: ${difference}`);
      continue;
    }
    declared.set(name, { declaration, property, file, path });
    facts.set(name, specOf(name, property, declaration.description));
  }
  if (declared.size === 0) return shippedVocabulary;
  return { facts, names: [...facts.keys()], declared };
}

/** The JSON Schema of a vocabulary's facts: the shipped document, with the declared facts among its properties. */
export function factsSchemaOf(vocabulary: Vocabulary): FactsSchema {
  const shipped = readSchema('facts.schema.json') as FactsSchema;
  if (vocabulary.declared.size === 0) return shipped;
  return { ...shipped, properties: { ...shipped.properties, ...Object.fromEntries([...vocabulary.declared].map(([name, d]) => [name, d.property])) } };
}

/**
 * Declared facts are validated by ajv too, with the options the shipped schemas are compiled
 * with (scripts/build-validators.mjs), so their values get the same "expected X, got Y" words.
 * ajv is loaded only for a knowledge base that declares facts: the CLI otherwise starts without it.
 */
const declaredValidators = new WeakMap<Vocabulary, ValidateFunction>();
function declaredValidator(vocabulary: Vocabulary): ValidateFunction {
  let validate = declaredValidators.get(vocabulary);
  if (!validate) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'x-unit', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
    const properties = Object.fromEntries([...vocabulary.declared].map(([name, d]) => [name, withoutControlCharacters(d.property)]));
    validate = ajv.compile({ type: 'object', additionalProperties: false, properties });
    declaredValidators.set(vocabulary, validate);
  }
  return validate;
}

/**
 * A declared free-text fact (a declaration takes no pattern) takes no control characters, with
 * the pattern and words of the shipped free-text facts (proc.top_name's): a NUL is refused by the
 * case store, an escape sequence has no place in a fact.
 */
function withoutControlCharacters(property: FactProperty): FactProperty {
  if (property.type !== 'string' || property.enum !== undefined) return property;
  const { pattern, 'x-expected': expected } = (readSchema('facts.schema.json') as FactsSchema).properties['proc.top_name'] as FactProperty;
  return { ...property, pattern, 'x-expected': expected };
}

/** Validates facts of known names against their definitions; ajv's errors, none when valid. */
export function factErrors(vocabulary: Vocabulary, facts: Readonly<Record<string, unknown>>): readonly ErrorObject[] {
  const shipped = validator('facts.schema.json');
  if (vocabulary.declared.size === 0) return shipped(facts) ? [] : (shipped.errors ?? []);
  const ofShipped: Record<string, unknown> = {};
  const ofDeclared: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) (vocabulary.declared.has(name) ? ofDeclared : ofShipped)[name] = value;
  const errors = shipped(ofShipped) ? [] : [...(shipped.errors ?? [])];
  const declared = declaredValidator(vocabulary);
  if (!declared(ofDeclared)) errors.push(...(declared.errors ?? []));
  return errors;
}
