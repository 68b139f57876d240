import { InputError, pointerToken } from '../core/errors.js';
import { parseJson } from '../core/json.js';

/**
 * Why fastify's JSON parser refused a body. It parses with secure-json-parse, which refuses a
 * `__proto__` key, and a `constructor` holding a `prototype`, anywhere in the document (the
 * server's onProtoPoisoning / onConstructorPoisoning), but reports every refusal as "Body is not
 * valid JSON": a client sending valid JSON with such a key was told its JSON was broken, and one
 * sending broken JSON was not told where. The answer is the malformed-json detail, where the
 * CLI's parser (src/core/json.ts) finds the text wrong ("body:1:32: expected ...", the same
 * words the CLI says of a file), or the invalid-input error naming the key. Only called on a
 * refused body, so parsing it again costs a request nothing.
 */
export function whyJsonRefused(text: string): string | InputError {
  let document: unknown;
  try {
    document = parseJson(text, 'body');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.problems.map((p) => `${p.field}: expected ${p.expected}, got ${p.got}`).join('; ');
  }
  const found = prototypeKey(document);
  // fastify refused what the CLI's parser takes and holds no prototype key: say fastify's words.
  if (!found) return 'body: expected valid JSON, got a body the JSON parser refused';
  return new InputError([{ field: found.pointer, expected: `no property ${JSON.stringify(found.key)}`, got: `the reserved key ${JSON.stringify(found.key)}` }]);
}

/**
 * The first `__proto__` key, or `constructor` key whose value holds a `prototype`, in a parsed
 * document (JSON.parse makes them own properties), with its JSON pointer. An explicit stack:
 * linear in the document at any depth.
 */
function prototypeKey(document: unknown): { pointer: string; key: string } | undefined {
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: document, pointer: '' }];
  while (stack.length > 0) {
    const { value, pointer } = stack.pop() as { value: unknown; pointer: string };
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const at = `${pointer}/${pointerToken(key)}`;
      if (key === '__proto__' || (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype'))) return { pointer: at, key };
      stack.push({ value: child, pointer: at });
    }
  }
  return undefined;
}
