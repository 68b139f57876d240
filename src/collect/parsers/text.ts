/**
 * Small text helpers shared by the artifact parsers: every parser reads numbers, lines and
 * `# key: value` annotations the same way.
 */

export function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** A decimal number ("12", "0.5", "1,234" with thousands separators), or undefined. */
export function toNumber(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const cleaned = raw.trim().replace(/,(?=\d{3}\b)/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/** The first capture group of `pattern` in `text`, as a number. */
export function numberAfter(text: string, pattern: RegExp): number | undefined {
  return toNumber(pattern.exec(text)?.[1]);
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
export function annotation(text: string, key: string): string | undefined {
  const pattern = new RegExp(`^\\s*#\\s*${key}\\s*[:=]\\s*(\\S+)`, 'mi');
  return pattern.exec(text)?.[1];
}

export function positiveAnnotation(text: string, key: string): number | undefined {
  const value = toNumber(annotation(text, key));
  return value !== undefined && value > 0 ? value : undefined;
}

/** Splits a whitespace-aligned table row into cells. */
export function cells(line: string): string[] {
  return line.trim().split(/\s+/);
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
