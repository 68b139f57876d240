import { createHash } from 'node:crypto';
import type { KbLock } from '../generated/kb-lock.js';
import { pointerToken, type KbProblem } from './errors.js';

/**
 * A knowledge-base directory's seal: `rca kb seal` writes the hash of every rule file and
 * what the files hold to this file, and every load compares. A file cut short at a line
 * boundary is still valid YAML (a third of such cuts of the shipped files loaded, with
 * fewer rules); against the lock it is a changed file, refused before it is parsed.
 */
export const LOCK_FILE = 'kb.lock.json';

export type KbCounts = KbLock['counts'];

/** A rule file as read from disk: its path in the directory, its text and the hash of its bytes. */
export interface KbFileDigest {
  /** Path relative to the KB directory, '/'-separated: the key in the lock. */
  relPath: string;
  /** Path shown in messages. */
  file: string;
  sha256: string;
}

export function sha256Of(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const lengthOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
const keysOf = (value: unknown): number => (typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).length : 0);

/** What parsed rule files hold, summed; anything that is not a section of the expected shape counts 0 (validation refuses it later). */
export function countsOf(documents: readonly unknown[]): KbCounts {
  const counts: KbCounts = { files: documents.length, hypotheses: 0, rules: 0, questions: 0, conditions: 0, disable: 0 };
  let extend = 0;
  let commands = 0;
  for (const doc of documents) {
    const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    counts.hypotheses += lengthOf(d.hypotheses);
    counts.rules += lengthOf(d.rules);
    counts.questions += lengthOf(d.questions);
    counts.conditions += keysOf(d.conditions);
    counts.disable += lengthOf(d.disable);
    extend += lengthOf(d.extend);
    commands += keysOf(d.commands);
  }
  // Each only when there is some, so a lock sealed before the section existed stays valid.
  return { ...counts, ...(extend > 0 && { extend }), ...(commands > 0 && { commands }) };
}

export function lockOf(files: readonly KbFileDigest[], counts: KbCounts): KbLock {
  const sorted = [...files].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { lockVersion: 1, files: Object.fromEntries(sorted.map((f) => [f.relPath, f.sha256])), counts };
}

const short = (sha256: string) => `${sha256.slice(0, 'sha256:'.length + 12)}...`;

/** Files edited, added or removed since sealing, each named; `reseal` is the command that accepts the change. */
export function lockFileProblems(lock: KbLock, lockFile: string, files: readonly KbFileDigest[], reseal: string): KbProblem[] {
  const problems: KbProblem[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    seen.add(f.relPath);
    const sealed = Object.hasOwn(lock.files, f.relPath) ? lock.files[f.relPath] : undefined;
    if (sealed === undefined) {
      problems.push({ file: f.file, path: '', message: `expected only the files sealed in ${lockFile}, got this one too: added after sealing (if intended, run \`${reseal}\`)` });
    } else if (sealed !== f.sha256) {
      problems.push({ file: f.file, path: '', message: `expected ${short(sealed)} as sealed in ${lockFile}, got ${short(f.sha256)}: changed since sealing (if intended, run \`${reseal}\`)` });
    }
  }
  for (const relPath of Object.keys(lock.files)) {
    if (!seen.has(relPath)) problems.push({ file: lockFile, path: `/files/${pointerToken(relPath)}`, message: `expected the sealed file ${relPath}, got none: removed since sealing (if intended, run \`${reseal}\`)` });
  }
  return problems;
}

/** Counts that differ from the sealed ones (hashes matched, so the lock itself was edited). */
export function lockCountProblems(lock: KbLock, lockFile: string, counts: KbCounts): KbProblem[] {
  // Either side's keys: a count sealed only when there is some (extend, commands) must not go unchecked when the lock lost it.
  const keys = [...new Set([...Object.keys(lock.counts), ...Object.keys(counts)])] as Array<keyof KbCounts>;
  return keys
    .filter((key) => lock.counts[key] !== counts[key])
    .map((key) => ({ file: lockFile, path: `/counts/${key}`, message: `expected ${lock.counts[key] ?? 'no'} ${key} as sealed, got ${counts[key] ?? 'none'}` }));
}
