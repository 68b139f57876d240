import type { KnowledgeBase } from '../../kb.js';

/** The positive certainty factors the rules give a hypothesis. */
export function supportOf(kb: KnowledgeBase, hypothesis: string): number[] {
  return kb.rules.flatMap((r) => r.rule.evidence.filter((e) => e.hypothesis === hypothesis && e.cf > 0).map((e) => e.cf));
}
