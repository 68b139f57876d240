import { defaultKbDir } from '../core/paths.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../core/kb.js';

export const kbOption = {
  type: 'string',
  array: true,
  describe: 'Knowledge-base directory (default: the shipped rules/)',
} as const;

export function loadKb(dirs: readonly string[] | undefined): KnowledgeBase {
  return loadKnowledgeBase(dirs && dirs.length > 0 ? dirs : [defaultKbDir]);
}
