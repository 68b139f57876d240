import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Checks bearer tokens in constant time: both sides are hashed to equal length and every
 * configured token is compared, so timing says nothing about which token nearly matched.
 */
export function tokenChecker(tokens: readonly string[]): (header: string | undefined) => string | null {
  const digests = tokens.map(digest);
  return (header) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const presented = digest(match?.[1] ?? '');
    let found: number | null = null;
    digests.forEach((d, i) => {
      if (timingSafeEqual(d, presented) && match) found = i;
    });
    return found === null ? null : `token${found}`;
  };
}

/** Reads a tokens file: one token per line, blank lines and # comments ignored. */
export function parseTokens(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export const MIN_TOKEN_LENGTH = 16;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}
