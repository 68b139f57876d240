import { UsageError } from '../core/errors.js';

/** A given value as an error shows it: quoted when blank or padded, so a " " is seen. */
const shownValue = (value: unknown): string => (typeof value === 'string' && (value.trim() !== value || value === '') ? JSON.stringify(value) : String(value));

/**
 * A whole number an RCA_* variable gives: undefined when it is unset or empty, NaN for anything but
 * decimal digits (for the caller to refuse, naming the variable). Number() alone took " " as 0 (for
 * RCA_DELETED_RETENTION, keep for ever; for RCA_RATE_LIMIT, no limit) and 0x1e, 1e1, 0b11 as numbers.
 */
function envWholeNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

/**
 * A whole-number setting: FLAG's value, else the variable ENV_NAME's, else FALLBACK; refused (a
 * usage error naming both) unless it is a whole number from 0 to MAX, as EXPECTED says.
 */
export function wholeNumberSetting(
  flag: string,
  value: number | undefined,
  env: NodeJS.ProcessEnv,
  envName: string,
  fallback: number,
  { max = Number.MAX_SAFE_INTEGER, expected = 'a whole number >= 0' }: { max?: number; expected?: string } = {},
): number {
  const given = value ?? envWholeNumber(env, envName) ?? fallback;
  if (Number.isInteger(given) && given >= 0 && given <= max) return given;
  throw new UsageError(`${flag} (or ${envName}): expected ${expected}, got ${shownValue(value ?? env[envName])}`);
}
