import { UsageError } from '../core/errors.js';
import { LANG_TAG } from '../core/localize.js';
import { defaultKbDir } from '../core/paths.js';
import { loadKnowledgeBase, type KnowledgeBase, type RuleStatus } from '../core/kb.js';

export const kbOption = {
  type: 'string',
  array: true,
  describe: 'Knowledge-base directory; repeat to layer packs over the first (default: the shipped rules/)',
} as const;

export const minStatusOption = {
  choices: ['deprecated', 'experimental', 'stable'] as const,
  describe: 'Load only rules at least this mature (deprecated < experimental < stable) [default: all]',
} as const;

export interface KbArgs {
  kb?: string[];
  minStatus?: RuleStatus;
}

export function kbDirs(dirs: readonly string[] | undefined): string[] {
  return dirs && dirs.length > 0 ? [...dirs] : [defaultKbDir];
}

export function loadKb(args: KbArgs): KnowledgeBase {
  return loadKnowledgeBase(kbDirs(args.kb), args.minStatus ? { minStatus: args.minStatus } : {});
}

/** Refuses a malformed --lang before any work (an unknown but well-formed tag falls back to English). */
export function checkLang(lang: string | undefined): void {
  if (lang !== undefined && !LANG_TAG.test(lang)) throw new UsageError(`--lang: expected a language tag such as en or zh-CN, got "${lang}"`);
}
