import { readSchema } from './schemas.js';

export type FactType = 'boolean' | 'integer' | 'number' | 'string' | 'enum';
export type FactValue = string | number | boolean;
/** Flat, validated facts keyed by dotted name. A name that is absent is unknown. */
export type FactMap = Readonly<Record<string, FactValue>>;

export interface FactSpec {
  name: string;
  type: FactType;
  values?: readonly string[];
  minimum?: number;
  maximum?: number;
  unit?: string;
  description?: string;
}

interface FactSchemaProperty {
  type: 'boolean' | 'integer' | 'number' | 'string';
  enum?: string[];
  minimum?: number;
  maximum?: number;
  'x-unit'?: string;
  description?: string;
}

export interface Vocabulary {
  readonly facts: ReadonlyMap<string, FactSpec>;
  readonly names: readonly string[];
}

let cached: Vocabulary | undefined;
/** The fact vocabulary, derived from schemas/facts.schema.json (its single source of truth). */
export function vocabulary(): Vocabulary {
  if (cached) return cached;
  const properties = readSchema('facts.schema.json').properties as Record<string, FactSchemaProperty>;
  const facts = new Map<string, FactSpec>();
  for (const [name, p] of Object.entries(properties)) {
    facts.set(name, {
      name,
      type: p.enum ? 'enum' : p.type,
      ...(p.enum && { values: p.enum }),
      ...(p.minimum !== undefined && { minimum: p.minimum }),
      ...(p.maximum !== undefined && { maximum: p.maximum }),
      ...(p['x-unit'] !== undefined && { unit: p['x-unit'] }),
      ...(p.description !== undefined && { description: p.description }),
    });
  }
  cached = { facts, names: [...facts.keys()] };
  return cached;
}
