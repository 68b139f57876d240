import type { LoadCheck } from '../check.js';

export const replacedBy: LoadCheck = {
  meta: {
    id: 'replaced-by',
    severity: 'fatal',
    docs: {
      description: 'A deprecated rule names its replacement (replacedBy), and a replacedBy names a rule that exists.',
      why: 'A curator retiring a rule needs to know what takes over its evidence; a dangling name sends them nowhere.',
    },
  },
  rule(rule, kb, report) {
    const { status, replacedBy: replacement } = rule.value;
    if (status === 'deprecated' && !replacement) report(rule.file, `${rule.path}/status`, 'a deprecated rule names its replacement: add replacedBy');
    if (replacement && !kb.rules.has(replacement) && !kb.removedRules.has(replacement)) report(rule.file, `${rule.path}/replacedBy`, `unknown rule "${replacement}"`);
  },
};
