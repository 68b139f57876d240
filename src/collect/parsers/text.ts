/**
 * Small text helpers shared by the artifact parsers: every parser reads numbers, lines and
 * `# key: value` annotations the same way.
 */

export function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * No tool's output has lines this long (top -w 512 is the widest the parsers document), so an
 * artifact's longer lines are cut here: a pattern that a line makes slow stays bounded per line.
 */
export const MAX_LINE_CHARS = 4096;

/**
 * No tool's output rca reads runs to this many lines in the 16 MiB an artifact may be (lines of
 * real output average tens of bytes, so a million is 16 bytes a line): text of more is no such
 * output, and is refused before any parser passes over it (16 MiB of newlines took the openssl
 * parser, whose passes each cost per line, 6 s).
 */
export const MAX_ARTIFACT_LINES = 1_000_000;

/** Whether TEXT has more than MAX_ARTIFACT_LINES lines, counted without splitting it. */
export function hasTooManyLines(text: string): boolean {
  let breaks = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (++breaks >= MAX_ARTIFACT_LINES) return true;
  return false;
}

/** The lines of an artifact, each cut to MAX_LINE_CHARS. Parsers read artifacts only through these. */
export function artifactLines(text: string): string[] {
  return lines(text).map((line) => (line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line));
}

/** Longer than any counter a tool prints: such a cell is not a number to read. */
const MAX_NUMBER_CHARS = 64;

/** A decimal number ("12", "0.5", "1,234" with thousands separators), or undefined. */
export function toNumber(raw: string | undefined): number | undefined {
  const trimmed = raw?.trim();
  if (trimmed === undefined || trimmed.length > MAX_NUMBER_CHARS) return undefined;
  const cleaned = trimmed.replace(/,(?=\d{3}\b)/g, '');
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/** The first line `pattern` matches, and its match. */
export function firstMatch(all: readonly string[], pattern: RegExp): RegExpExecArray | undefined {
  for (const line of all) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  return undefined;
}

/** The first capture group of `pattern` in the first line it matches, as a number. */
export function numberAfter(all: readonly string[], pattern: RegExp): number | undefined {
  return toNumber(firstMatch(all, pattern)?.[1]);
}

/** Rounds to a fixed number of decimals (facts are compared by value, so no float noise). */
export function round(value: number, decimals = 2): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** part / whole as a percentage, or undefined when there is no whole. */
export function percent(part: number, whole: number): number | undefined {
  return whole > 0 ? round((part / whole) * 100) : undefined;
}

export function clampPercent(value: number): number {
  return round(Math.min(100, Math.max(0, value)));
}

/**
 * Reads the `# key: value` annotations a user adds to a capture to say what the output
 * itself cannot (the app's pid, the trace's duration, the CPU count).
 */
export function annotation(all: readonly string[], key: string): string | undefined {
  const pattern = new RegExp(`^#\\s*${key}\\s*[:=]\\s*(\\S+)`, 'i');
  for (const line of all) {
    const value = pattern.exec(line.trimStart())?.[1];
    if (value !== undefined) return value;
  }
  return undefined;
}

export function positiveAnnotation(all: readonly string[], key: string): number | undefined {
  const value = toNumber(annotation(all, key));
  return value !== undefined && value > 0 ? value : undefined;
}

/** Splits a whitespace-aligned table row into cells. */
export function cells(line: string): string[] {
  return line.trim().split(/\s+/);
}

/** How many ITEMS have each key, keys in the order first seen; items whose key is undefined are left out. */
export function countBy<I, K>(items: Iterable<I>, key: (item: I) => K | undefined): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** The key counted most often; the first seen of a tie, so the answer depends on nothing but the order of first sight. */
export function commonest<T>(counts: ReadonlyMap<T, number>): T | undefined {
  let best: [T, number] | undefined;
  for (const entry of counts) if (best === undefined || entry[1] > best[1]) best = entry;
  return best?.[0];
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Adds only the entries whose value is known: a missing fact is unknown, never a default. */
export function definedFacts<T extends Record<string, string | number | boolean | undefined>>(facts: T): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(facts)) if (value !== undefined) out[name] = value;
  return out;
}
