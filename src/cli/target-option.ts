import { inInput, UsageError } from '../core/errors.js';
import type { RequestSource } from '../core/merge.js';
import { parseDiagnoseRequest } from '../core/request.js';
import type { Vocabulary } from '../core/vocabulary.js';

export const targetOption = {
  type: 'string',
  describe: "The service in question, as its URL (https://shop.example/cart) or HOST[:PORT]: the suggested commands name it instead of '<target.host>'",
} as const;

/** `[v6]:port` or `host:port`: a port is digits after the last colon of a name, or after an address's brackets. */
const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/;

/**
 * The facts --target gives, as one more input beside the documents: target.url for a URL,
 * target.host (and target.port) for HOST[:PORT]; validated as a document's facts are, with
 * problems located at --target. Undefined without --target.
 */
export function targetInput(value: string | undefined, vocabulary: Vocabulary): RequestSource | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError('--target: expected a URL or HOST[:PORT], got nothing');
  let facts: Record<string, unknown>;
  if (value.includes('://')) facts = { 'target.url': value };
  else {
    const match = HOST_PORT.exec(value);
    // A bare IPv6 address has colons of its own: it is a host, without a port.
    const host = match ? (match[1] ?? match[2]) : value;
    facts = { 'target.host': host, ...(match?.[3] !== undefined && { 'target.port': Number(match[3]) }) };
  }
  return { source: '--target', request: inInput('--target', () => parseDiagnoseRequest({ facts }, { vocabulary })) };
}
