import { inInput, InputError, UsageError } from '../core/errors.js';
import type { RequestSource } from '../core/merge.js';
import { parseDiagnoseRequest, type DiagnoseRequest } from '../core/request.js';
import type { Vocabulary } from '../core/vocabulary.js';

export const targetOption = {
  type: 'string',
  describe: "The service in question, as its URL (https://shop.example/cart) or HOST[:PORT]: the suggested commands name it instead of '<target.host>'",
} as const;

/** The facts that name the service; when one is known, nothing asks for it. */
export const TARGET_FACTS = ['target.url', 'target.host'] as const;

/** `[v6]:port` or `host:port`: a port is digits after the last colon of a name, or after an address's brackets. */
const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/;

/**
 * The facts a target names, validated as a document's facts are: target.url for a URL,
 * target.host (and target.port) for HOST[:PORT]. Problems are located at the facts, for the
 * caller to place (--target, or the interview's prompt for the service).
 */
export function targetRequest(value: string, vocabulary: Vocabulary): DiagnoseRequest {
  let facts: Record<string, unknown>;
  if (value.includes('://')) facts = { 'target.url': value };
  // A path without a scheme is a URL written as a browser's bar shows it, not a host to refuse as one.
  else if (value.includes('/')) throw new InputError([{ field: 'target.url', expected: 'a URL with its scheme (https://shop.example/cart) or HOST[:PORT]', got: `string ${JSON.stringify(value)}` }]);
  else {
    const match = HOST_PORT.exec(value);
    // A bare IPv6 address has colons of its own: it is a host, without a port.
    const host = match ? (match[1] ?? match[2]) : value;
    facts = { 'target.host': host, ...(match?.[3] !== undefined && { 'target.port': Number(match[3]) }) };
  }
  return parseDiagnoseRequest({ facts }, { vocabulary });
}

/** The facts --target gives, as one more input beside the documents, with problems located at --target. Undefined without --target. */
export function targetInput(value: string | undefined, vocabulary: Vocabulary): RequestSource | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError('--target: expected a URL or HOST[:PORT], got nothing');
  return { source: '--target', request: inInput('--target', () => targetRequest(value, vocabulary)) };
}
