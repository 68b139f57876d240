/* Generated from schemas/fact-list.schema.json by scripts/gen-types.mjs. Do not edit. */
import type {LocalizedText} from './kb-file.js';

export type FactType = 'boolean' | 'integer' | 'number' | 'string' | 'enum';
/**
 * What `rca facts -f json` prints: the fact vocabulary of the knowledge base in use, the shipped facts (schemas/facts.schema.json) and those its packs declare, in that order.
 */
export type FactList = FactSpec[];

/**
 * One fact: its name, the type of its value and the values or range it takes.
 */
export interface FactSpec {
  /**
   * Dotted name (http.status).
   */
  name: string;
  type: FactType;
  /**
   * An enum's values.
   */
  values?: string[];
  minimum?: number;
  maximum?: number;
  unit?: string;
  description?: LocalizedText;
}
