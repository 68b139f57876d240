/** A given value as an error shows it: quoted when blank or padded, so a " " is seen. */
export const shownValue = (value: unknown): string => (typeof value === 'string' && (value.trim() !== value || value === '') ? JSON.stringify(value) : String(value));

/**
 * A whole number an RCA_* variable gives: undefined when it is unset or empty, NaN for anything but
 * decimal digits (for the caller to refuse, naming the variable). Number() alone took " " as 0 (for
 * RCA_DELETED_RETENTION, keep for ever; for RCA_RATE_LIMIT, no limit) and 0x1e, 1e1, 0b11 as numbers.
 */
export function envWholeNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
}
