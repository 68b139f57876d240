import { parseJson } from './json.js';
import { parseYaml } from './yaml.js';

/**
 * Reads a facts document in JSON or YAML, as a person wrote it. The name decides first (.json is
 * JSON, .yaml and .yml are YAML), so a file says what it is; otherwise (stdin, .txt) the content
 * does: an object or array in braces, or nothing, is JSON (with JSON's errors), anything else YAML.
 */
export function parseDocument(text: string, source: string): unknown {
  return isYaml(text, source) ? parseYaml(text, source) : parseJson(text, source);
}

function isYaml(text: string, source: string): boolean {
  if (/\.json$/i.test(source)) return false;
  if (/\.ya?ml$/i.test(source)) return true;
  return !/^(?:\uFEFF)?\s*(?:[{[]|$)/.test(text);
}
