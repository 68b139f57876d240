import type { LintCheck } from '../check.js';

export const unusedCommand: LintCheck = {
  meta: {
    id: 'unused-command',
    severity: 'warning',
    docs: {
      description: 'A named command that no question or check runs.',
      why: 'Dead knowledge: it is maintained and reviewed, and no interview or report ever shows it.',
    },
  },
  run(kb, report) {
    const run = new Set<string | undefined>([...kb.questions.values()].map(({ value }) => value.run));
    for (const { value } of kb.hypotheses.values()) for (const check of value.checks) run.add(check.run);
    for (const [name, { file, path }] of kb.commands) if (!run.has(name)) report(file, path, name, 'no question or check runs it');
  },
};
