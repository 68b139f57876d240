import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { KbError, UsageError } from '../core/errors.js';
import { isSupportedLanguage, supportedLanguagesExpected } from '../core/localize.js';
import { defaultKbDir, packageRoot } from '../core/paths.js';
import { STDIN_ARG } from './io.js';
import { repeatedValue } from './command.js';
import { loadKnowledgeBase, pathShower, type KnowledgeBase, type ReadOptions, type RuleStatus } from '../core/kb.js';
import { shellQuote } from '../core/shell.js';

/** Written by the build (scripts/snapshot-kb.mjs): the shipped KB, parsed and validated. */
export const kbSnapshotFile = join(packageRoot, 'dist', 'kb-snapshot.json');
/** The scenarios `rca kb test`, `doc` and `show` read without --scenarios (an installed package has none). */
export const shippedScenariosDir = join(packageRoot, 'test', 'scenarios');

/**
 * What the CLI tells the core when it reads a knowledge base: its working directory (paths in
 * messages are shown relative to it) and the build's snapshot of the shipped rules/, trusted.
 */
export function cliReadOptions(): ReadOptions {
  return { cwd: process.cwd(), trustedSnapshot: kbSnapshotFile };
}

export const kbOption = {
  ...repeatedValue,
  describe: 'Knowledge-base directory; repeat to layer packs over the first [env RCA_KB, directories separated by ":"; default: the shipped rules/]',
} as const;

export const minStatusOption = {
  choices: ['deprecated', 'experimental', 'stable'] as const,
  describe: 'Load only rules at least this mature (deprecated < experimental < stable) [default: all]',
} as const;

export interface KbArgs {
  kb?: string[];
  minStatus?: RuleStatus;
}

/**
 * The knowledge-base directories a command loads: --kb, else RCA_KB from the command's own
 * environment (the CLI's io, never process.env; directories separated by `:`), else the
 * shipped rules/.
 */
export function kbDirs(dirs: readonly string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  const given = givenKbDirs(dirs, env);
  return given.length > 0 ? given : [defaultKbDir];
}

/** The directories --kb names, else those RCA_KB names; none when neither names one. */
export function givenKbDirs(dirs: readonly string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  return dirs && dirs.length > 0 ? dirs.map((dir) => checkKbDir('--kb', dir)) : kbLayers('RCA_KB', env.RCA_KB ?? '');
}

/** A layered knowledge base written as one word, as RCA_KB and each side of `rca kb diff` are: directories separated by `:`, each checked. */
export function kbLayers(where: string, list: string): string[] {
  return list
    .split(':')
    .filter(Boolean)
    .map((dir) => checkKbDir(where, dir));
}

/**
 * DIR, given as WHERE says, when it is a directory. One that does not exist, or a file, is a
 * mistake on the command line (exit 2), not a knowledge base that does not validate (exit 3).
 */
export function checkKbDir(where: string, dir: string): string {
  const refuse = (why: string) => new UsageError(`${where}: expected a knowledge-base directory, got ${dir === STDIN_ARG ? '-' : dir} (${why})`);
  if (dir === STDIN_ARG) throw refuse('stdin');
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'ENOENT' ? 'not found' : (code ?? 'unreadable'));
  }
  if (!isDirectory) throw refuse('a file');
  return dir;
}

/** DIR's real path, its links followed as far as it exists: an output directory may not exist yet, but a link above it counts. */
function realPath(dir: string): string {
  const absolute = resolve(dir);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}

/**
 * Refuses an output directory (a rule pack, a doc site) at or under one of the knowledge-base
 * directories in use: what is written there becomes part of the knowledge base, files its lock
 * does not list (every later load exits 3) or, unsealed, rules loaded twice.
 */
export function checkOutsideKb(flag: string, dir: string, kbDirs: readonly string[]): void {
  const out = realPath(dir);
  const show = pathShower(process.cwd());
  for (const kbDir of kbDirs) {
    const rel = relative(realPath(kbDir), out);
    const inside = rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    if (inside) throw new UsageError(`${flag}: expected a directory outside the knowledge base, got ${dir} (${rel === '' ? 'the' : 'in the'} knowledge-base directory ${show(resolve(kbDir))})`);
  }
}

/** The knowledge base of `dirs` (the command's --kb or RCA_KB unless given), with --min-status. */
export function loadKb(args: KbArgs, env: NodeJS.ProcessEnv, dirs = kbDirs(args.kb, env)): KnowledgeBase {
  return withPackHint(dirs, () => loadKnowledgeBase(dirs, { ...cliReadOptions(), ...(args.minStatus && { minStatus: args.minStatus }) }));
}

/**
 * What LOAD returns. When the directories do not load and would once layered over the shipped
 * rules, they are most likely a pack given without the rules it builds on: the KbError says how
 * to layer it, as LAYERED writes the command's options given the shipped rules' directory and
 * every directory, each shown and shell-quoted.
 */
export function withPackHint<T>(dirs: readonly string[], load: () => T, layered = (shipped: string, given: string[]) => [shipped, ...given].map((dir) => `--kb ${dir}`).join(' ')): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof KbError) || includesShippedRules(dirs) || !loadsOverShipped(dirs)) throw error;
    const show = pathShower(process.cwd());
    const word = (dir: string) => shellQuote(show(dir));
    throw new KbError(error.problems, `${dirs.map(show).join(', ')} ${dirs.length === 1 ? 'loads' : 'load'} only over the shipped knowledge base; give its rules first: ${layered(word(defaultKbDir), dirs.map(word))}`);
  }
}

/** Whether a knowledge base of DIRS is built on the shipped rules/ (one of them is it): a pack layered over them, or the shipped rules alone. */
export function includesShippedRules(dirs: readonly string[]): boolean {
  return dirs.some((dir) => resolve(dir) === resolve(defaultKbDir));
}

/** Whether DIRS load layered over the shipped rules. */
function loadsOverShipped(dirs: readonly string[]): boolean {
  try {
    loadKnowledgeBase([defaultKbDir, ...dirs], cliReadOptions());
    return true;
  } catch (error) {
    if (error instanceof KbError) return false;
    throw error;
  }
}

/**
 * Refuses a --lang rca has no texts in before any work, naming the languages there are: a tag
 * of a supported language (en-GB, zh) is fine, one of another (fr) would silently be English.
 */
export function checkLang(lang: string | undefined): void {
  if (lang !== undefined && !isSupportedLanguage(lang)) throw new UsageError(`--lang: expected ${supportedLanguagesExpected()}, got ${JSON.stringify(lang)}`);
}
