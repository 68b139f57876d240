import type { LintCheck } from '../check.js';

export const unusedCommand: LintCheck = {
  meta: {
    id: 'unused-command',
    severity: 'warning',
    docs: {
      description: 'A named command that no question runs.',
      why: 'Dead knowledge: it is maintained and reviewed, and no interview ever shows it.',
    },
  },
  run(kb, report) {
    const run = new Set([...kb.questions.values()].flatMap(({ value: q }) => (q.run === undefined ? [] : [q.run])));
    for (const [name, { file, path }] of kb.commands) if (!run.has(name)) report(file, path, name, 'no question runs it');
  },
};
