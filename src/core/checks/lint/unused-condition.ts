import type { Condition } from '../../../generated/kb-file.js';
import { compiledCondition, questionConditions } from '../../conditions.js';
import type { LintCheck } from '../check.js';

export const unusedCondition: LintCheck = {
  meta: {
    id: 'unused-condition',
    severity: 'warning',
    docs: {
      description: 'A named condition that no rule or question references.',
      why: 'Dead knowledge: it is maintained and reviewed, and decides nothing.',
    },
  },
  run(kb, report) {
    const referenced = new Set<string>();
    const reference = (condition: Condition) => compiledCondition(condition, kb.conditions).references.forEach((name) => referenced.add(name));
    for (const r of kb.rules) reference(r.rule.conditions);
    for (const { value: q } of kb.questions.values()) for (const { condition } of questionConditions(q)) reference(condition);
    for (const name of kb.conditions.keys()) {
      const at = kb.conditionLocations.get(name);
      if (!referenced.has(name)) report(at?.file ?? '', at?.path ?? `/conditions/${name}`, name, 'no rule or question references it');
    }
  },
};
