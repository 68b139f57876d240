import { domainToASCII } from 'node:url';
import { inInput, InputError, UsageError } from '../core/errors.js';
import type { KnowledgeBase } from '../core/kb.js';
import type { RequestSource } from '../core/merge.js';
import { parseDiagnoseRequest, type DiagnoseRequest } from '../core/request.js';
import { isIPv6Literal, readCommand } from '../core/templates.js';
import { checkForms, questionCommands } from '../core/variants.js';
import type { Vocabulary } from '../core/vocabulary.js';

export const targetOption = {
  type: 'string',
  describe:
    "The service in question, as its URL (https://shop.example/cart) or HOST[:PORT]: the suggested commands name it instead of '<target.host>'. An IPv6 address takes a port in brackets ([2001:db8::1]:443; unbracketed, every colon is the address's); an internationalised name (bücher.example) is written in punycode",
} as const;

/** The facts that name the service; when one is known, nothing asks for it. */
export const TARGET_FACTS = ['target.url', 'target.host'] as const;

/**
 * Whether the knowledge base reads the service, a target.* fact, which is all the service given
 * at the interview's prompt (or --target) fills: in a command (a check's, a question's `how`, or a variant of either),
 * which would then name it, or in a rule or a likelihood table, where its scheme weighs as the
 * ticket's target.protocol would. Without one, as in a pack whose commands run on the host
 * itself, asking for the service would change nothing. Loading refused every command readCommand
 * cannot read.
 */
export function readsTarget(kb: KnowledgeBase): boolean {
  const isTarget = (fact: string) => fact.startsWith('target.');
  const checks = [...kb.hypotheses.values()].flatMap((h) => h.value.checks.flatMap((c) => checkForms(c).map((form) => form.check.command)));
  const hows = [...kb.questions.values()].flatMap((q) => questionCommands(q.value).map((form) => form.how));
  const inCommands = [...checks, ...hows].some((command) => {
    const reading = readCommand(command);
    return 'facts' in reading && reading.facts.some(isTarget);
  });
  return inCommands || kb.rules.some((rule) => rule.facts.some(isTarget)) || [...kb.hypotheses.values()].some((h) => Object.keys(h.value.likelihoods ?? {}).some(isTarget));
}

/** `[v6]:port` or `host:port`: a port is digits after the only colon of a name, or after an address's brackets. */
const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/;

/** What --target takes, by the fact a problem is placed at. */
const EXPECTED_HOST = 'a host name (RFC 1123) or an internationalised one (IDNA: bücher.example), or an IPv4 or IPv6 address';
const EXPECTED_URL_HOST = 'an http:// or https:// URL whose host is a host name, an internationalised one (IDNA: https://bücher.example/) or an IP address';
/** What a URL whose internationalised host was converted must be besides: the schema's URL in ASCII. */
const EXPECTED_URL = 'an http:// or https:// URL in ASCII but for an internationalised host (IDNA: https://bücher.example/), its path and query percent-encoded';

const refused = (field: string, expected: string, value: string) => new InputError([{ field, expected, got: `string ${JSON.stringify(value)}` }]);

/**
 * HOST as the commands take it: an internationalised name (bücher.example) in punycode
 * (xn--bcher-kva.example), as a browser sends it; an ASCII one as it is. The facts' schema then
 * checks the result as any host. Also rca collect's --host, as its --url's host is converted.
 */
export function asciiHost(host: string, field: 'target.host' | 'target.url', value: string): string {
  // eslint-disable-next-line no-control-regex -- ASCII is every code point up to U+007F
  if (/^[\x00-\x7f]*$/.test(host)) return host;
  // domainToASCII parses a URL's host: it stops at \ ? # and decodes %2e into a dot, so
  // "bücher.example\evil" would come back as another host. Such a host is refused as an ASCII
  // one with those characters is.
  const ascii = NOT_IN_A_HOST.test(host) ? '' : domainToASCII(host);
  if (ascii === '') throw refused(field, expectedOf(field), value);
  return ascii;
}

/** Characters that end or escape a URL's host, or no host name holds. */
const NOT_IN_A_HOST = /[\s\\/?#%@:[\]]/;
const expectedOf = (field: 'target.host' | 'target.url') => (field === 'target.url' ? EXPECTED_URL_HOST : EXPECTED_HOST);

/** The URL with its host in punycode when it is internationalised (the rest of the URL as given: the facts' schema judges it). */
function asciiUrl(url: string): string {
  const start = url.indexOf('://') + 3;
  const end = url.slice(start).search(/[/?#]/);
  const authority = end < 0 ? url.slice(start) : url.slice(start, start + end);
  // After any userinfo (the schema refuses it); an address in brackets is ASCII or refused as it stands.
  const hostStart = authority.lastIndexOf('@') + 1;
  if (authority[hostStart] === '[') return url;
  const colon = authority.indexOf(':', hostStart);
  const host = authority.slice(hostStart, colon < 0 ? authority.length : colon);
  const at = start + hostStart;
  return `${url.slice(0, at)}${asciiHost(host, 'target.url', url)}${url.slice(at + host.length)}`;
}

/**
 * The facts a target names, validated as a document's facts are: target.url for a URL,
 * target.host (and target.port) for HOST[:PORT], an internationalised host name in punycode.
 * An IPv6 address takes a port only in brackets (RFC 3986 section 3.2.2, RFC 5952 section 6):
 * unbracketed, every colon is the address's, so `2001:db8::1:443` is that address, without a
 * port, and what is no IPv6 address is refused saying so. Problems are located at the facts, for
 * the caller to place (--target, or the interview's prompt for the service).
 */
export function targetRequest(value: string, vocabulary: Vocabulary): DiagnoseRequest {
  let facts: Record<string, unknown>;
  /** The fact written in punycode, not as typed: an internationalised host was converted. */
  let converted: 'target.url' | 'target.host' | undefined;
  if (value.includes('://')) {
    const url = asciiUrl(value);
    if (url !== value) converted = 'target.url';
    facts = { 'target.url': url };
  } else if (value.includes('/')) {
    // A path without a scheme is a URL written as a browser's bar shows it, not a host to refuse as one.
    throw refused('target.url', 'a URL with its scheme (https://shop.example/cart) or HOST[:PORT]', value);
  } else if (!value.startsWith('[') && value.indexOf(':') !== value.lastIndexOf(':')) {
    if (!isIPv6Literal(value)) throw refused('target.host', 'HOST[:PORT] or an IPv6 address (with a port, in brackets: [2001:db8::1]:443)', value);
    facts = { 'target.host': value };
  } else {
    const match = HOST_PORT.exec(value);
    const bracketed = match?.[1];
    if (bracketed !== undefined && !isIPv6Literal(bracketed)) throw refused('target.host', 'an IPv6 address in the brackets ([2001:db8::1]:443), a host name without them (shop.example:443)', value);
    // In brackets, as in a URL, a zone is written after %25 (RFC 6874): [fe80::1%25eth0]:80 is fe80::1%eth0.
    const host = match ? (bracketed?.replace('%25', '%') ?? (match[2] as string)) : value;
    const ascii = asciiHost(host, 'target.host', value);
    if (ascii !== host) converted = 'target.host';
    facts = { 'target.host': ascii, ...(match?.[3] !== undefined && { 'target.port': Number(match[3]) }) };
  }
  try {
    return parseDiagnoseRequest({ facts }, { vocabulary });
  } catch (error) {
    // A name written in punycode that the facts' schema refuses (a label too long, an
    // underscore) is said to be what was typed, not what it was converted to.
    const problem = error instanceof InputError ? error.problems.find((p) => p.field === converted) : undefined;
    if (converted && problem) throw refused(converted, converted === 'target.url' ? EXPECTED_URL : EXPECTED_HOST, value);
    throw error;
  }
}

/** The facts --target gives, as one more input beside the documents, with problems located at --target. Undefined without --target. */
export function targetInput(value: string | undefined, vocabulary: Vocabulary): RequestSource | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError('--target: expected a URL or HOST[:PORT], got nothing');
  return { source: '--target', request: inInput('--target', () => targetRequest(value, vocabulary)) };
}
