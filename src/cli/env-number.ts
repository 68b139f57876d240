import { UsageError } from '../core/errors.js';

/** A given value as an error shows it: quoted when blank or padded, so a " " is seen. */
const shownValue = (value: unknown): string => (typeof value === 'string' && (value.trim() !== value || value === '') ? JSON.stringify(value) : String(value));

/**
 * The numbers a setting takes: what an RCA_* variable must spell (decimal digits, anchored, with
 * nothing that can backtrack), and which of the numbers a flag gives (yargs reads those) count.
 */
interface NumberKind {
  spelling: RegExp;
  takes: (value: number) => boolean;
}
const WHOLE: NumberKind = { spelling: /^\d+$/, takes: Number.isInteger };
/** Digits with a decimal fraction or not (0.25, 5): a number of seconds down to a fraction of one. */
const DECIMAL: NumberKind = { spelling: /^\d+(?:\.\d+)?$/, takes: Number.isFinite };

/**
 * A number an RCA_* variable gives: undefined when it is unset or empty, NaN for anything `kind`
 * does not spell (for the caller to refuse, naming the variable). Number() alone took " " as 0 (for
 * RCA_DELETED_RETENTION, keep for ever; for RCA_RATE_LIMIT, no limit) and 0x1e, 1e1, 0b11 as numbers.
 */
function envNumber(env: NodeJS.ProcessEnv, name: string, kind: NumberKind): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  return kind.spelling.test(raw) ? Number(raw) : Number.NaN;
}

interface Bounds {
  min?: number;
  max?: number;
  expected?: string;
}

/** FLAG's value, else the variable ENV_NAME's, else FALLBACK; refused (a usage error naming both) unless `kind` takes it and it is from MIN (0 unless given) to MAX. */
function numberSetting(kind: NumberKind, flag: string, value: number | undefined, env: NodeJS.ProcessEnv, envName: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER, expected }: Bounds & { expected: string }): number {
  const given = value ?? envNumber(env, envName, kind) ?? fallback;
  if (kind.takes(given) && given >= min && given <= max) return given;
  throw new UsageError(`${flag} (or ${envName}): expected ${expected}, got ${shownValue(value ?? env[envName])}`);
}

/**
 * A whole-number setting: FLAG's value, else the variable ENV_NAME's, else FALLBACK; refused (a
 * usage error naming both) unless it is a whole number from MIN (0 unless given) to MAX, as EXPECTED says.
 */
export function wholeNumberSetting(flag: string, value: number | undefined, env: NodeJS.ProcessEnv, envName: string, fallback: number, { min, max, expected = 'a whole number >= 0' }: Bounds = {}): number {
  return numberSetting(WHOLE, flag, value, env, envName, fallback, { ...(min !== undefined && { min }), ...(max !== undefined && { max }), expected });
}

/** A number of seconds, a fraction of one too (0.25): as wholeNumberSetting, from 0 to MAX. */
export function secondsSetting(flag: string, value: number | undefined, env: NodeJS.ProcessEnv, envName: string, fallback: number, max: number): number {
  return numberSetting(DECIMAL, flag, value, env, envName, fallback, { max, expected: `a number of seconds from 0 to ${max} (0.5 for half a second)` });
}
