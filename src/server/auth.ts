import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (token: string) => createHash('sha256').update(token).digest();

/** The tenant of a token given without one (a `token` line rather than `tenant:token`), and of every request when no tokens are configured. */
export const DEFAULT_TENANT = 'default';
/** What a tenant may be called: it is stored with each case and shown in logs. */
export const TENANT_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** An Authorization header of the Bearer scheme with one token (RFC 6750 2.1), the token in its group. */
export const BEARER_TOKEN = /^Bearer\s+(\S+)\s*$/i;

/** A configured token and the tenant it belongs to: `tenant:token`, or a bare token of the default tenant. */
export function parseApiToken(entry: string): { tenant: string; token: string } {
  const colon = entry.indexOf(':');
  return colon < 0 ? { tenant: DEFAULT_TENANT, token: entry } : { tenant: entry.slice(0, colon), token: entry.slice(colon + 1) };
}

/** Who sent a request: which configured token (for rate limits and cache keys) and its tenant (whose cases it sees). */
export interface ApiClient {
  client: string;
  tenant: string;
}

/**
 * Checks bearer tokens in constant time: both sides are hashed to equal length and every
 * configured token is compared, so timing says nothing about which token nearly matched.
 * `tokens` are entries as parseApiToken reads them.
 */
export function tokenChecker(tokens: readonly string[]): (header: string | undefined) => ApiClient | null {
  const entries = tokens.map(parseApiToken);
  const digests = entries.map((e) => digest(e.token));
  return (header) => {
    const match = BEARER_TOKEN.exec(header ?? '');
    const presented = digest(match?.[1] ?? '');
    let found: number | null = null;
    digests.forEach((d, i) => {
      if (timingSafeEqual(d, presented) && match) found = i;
    });
    return found === null ? null : { client: `token${found}`, tenant: (entries[found] as { tenant: string }).tenant };
  };
}

/** Reads a tokens file: one `tenant:token` (or bare token) per line, blank lines and # comments ignored. */
/** The tokens of a tokens file, one a line (blank lines and # comments skipped), each with its line number for errors. */
export function parseTokens(text: string): Array<{ token: string; line: number }> {
  return text
    .split(/\r?\n/)
    .map((l, i) => ({ token: l.trim(), line: i + 1 }))
    .filter(({ token }) => token !== '' && !token.startsWith('#'));
}

export const MIN_TOKEN_LENGTH = 16;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}

/**
 * Whether a Host header names this machine's loopback (localhost, 127.x.y.z, [::1], with or
 * without a port). A server without tokens answers only those: a web page whose name an attacker
 * re-points at 127.0.0.1 (DNS rebinding) reaches the port, but its requests carry its own name.
 */
export function isLoopbackHostHeader(header: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(header);
  return match !== null && isLoopback(match[1] as string);
}

/**
 * The authority an absolute-form request target names (`GET http://host:port/path`), which RFC
 * 9112 section 3.2.2 has a server take for the request's host in place of its Host header;
 * undefined for any other form of target (a path).
 */
export function targetAuthority(target: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target)?.[1];
}

/** How many header lines named NAME (in lower case) a request sent: node keeps the first Host of several, and joins other headers given twice. */
export function headerLines(rawHeaders: readonly string[], name: string): number {
  let lines = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).toLowerCase() === name) lines++;
  return lines;
}
