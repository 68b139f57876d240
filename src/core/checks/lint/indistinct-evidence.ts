import { evaluate3 } from '../../conditions.js';
import { compiledModel, type ModelledFact } from '../../differential.js';
import type { KnowledgeBase } from '../../kb.js';
import type { FactValue } from '../../vocabulary.js';
import type { LintCheck } from '../check.js';

/**
 * The outcomes of a fact for which a condition reading it alone holds, or undefined when some
 * outcome does not decide it (a threshold inside a bin: 300 < dns.resolve_ms in a bin of 0-999).
 * A bin decides it when the condition says the same at both ends of its range.
 */
function outcomesWhere(kb: KnowledgeBase, rule: KnowledgeBase['rules'][number], fact: ModelledFact): boolean[] | undefined {
  const holds = (value: FactValue) => evaluate3(rule.rule.conditions, kb.conditions, { [fact.name]: value });
  const out: boolean[] = [];
  for (let o = 0; o < fact.outcomes.length; o++) {
    const range = fact.ranges?.[o];
    const outcome = fact.outcomes[o] as string;
    const ends = range ? range.map(holds) : [holds(outcome === 'true' ? true : outcome === 'false' ? false : outcome)];
    if (ends.some((t) => t !== ends[0] || t === 'unknown')) return undefined;
    out.push(ends[0] === 'true');
  }
  return out;
}

/**
 * The strongest cf a rule reading one fact can give a cause and say no more than that cause's
 * own likelihood table says of the fact: the rule's log weight (ruleWeight x atanh(cf)) equal
 * to the table's (tableWeight x ln of P(the condition | cause) over its background probability).
 */
const tableCf = (ratio: number, tableWeight: number, ruleWeight: number) => (ratio <= 1 ? 0 : Math.tanh((tableWeight * Math.log(ratio)) / ruleWeight));

/** cfs are written in steps of 0.05: one within a step of the table's says what the table says. */
const CF_STEP = 0.05;

export const indistinctEvidence: LintCheck = {
  meta: {
    id: 'indistinct-evidence',
    severity: 'warning',
    docs: {
      description:
        "A rule reading one fact gives a cause a cf stronger than that cause's own likelihood table gives the fact, though another cause's table makes the rule's condition at least as likely.",
      why: "By the knowledge base's own tables the fact does not tell the two causes apart, yet the rule puts its cause far ahead of the other whenever the fact is known: one common answer (a DNS timeout) ends an interview on the wrong cause. Lower the cf to the table's, correct the other cause's table, or say in a lintIgnore why the fact is this cause's own mark.",
    },
  },
  run(kb, report) {
    const model = compiledModel(kb);
    for (const rule of kb.rules) {
      const [name, ...more] = rule.facts;
      const fact = name === undefined || more.length > 0 ? undefined : model.facts.get(name);
      const where = fact && outcomesWhere(kb, rule, fact);
      // A condition no outcome meets never fires (contradictory-conditions says so).
      if (!fact || !where?.includes(true)) continue;
      const width = fact.outcomes.length;
      const chance = (row: Float64Array, at: number) => where.reduce((sum, holds, o) => (holds ? sum + (row[at * width + o] as number) : sum), 0);
      const background = chance(fact.background, 0);
      rule.rule.evidence.forEach((e, i) => {
        const h = model.position.get(e.hypothesis);
        if (e.cf <= 0 || h === undefined || !fact.opinion[h]) return;
        const own = chance(fact.likelihood, h);
        const bound = tableCf(own / background, model.tableWeight, model.ruleWeight);
        if (e.cf <= bound + CF_STEP) return;
        // The known cause (not "no known cause", entry n) with its own table that makes the condition likeliest, if as likely as h's.
        let rival = -1;
        let rivalChance = own;
        for (const r of fact.opinionated) {
          const p = r === h || r >= model.hypotheses.length ? -1 : chance(fact.likelihood, r);
          if (p >= rivalChance) [rival, rivalChance] = [r, p];
        }
        if (rival < 0) return;
        const shown = (x: number) => x.toFixed(2);
        const other = model.hypotheses[rival] as string;
        report(
          rule.file,
          `${rule.path}/evidence/${i}/cf`,
          rule.id,
          `reads only ${name} and gives ${e.hypothesis} ${e.cf}, but the likelihood tables make its condition as likely under ${other} (${shown(rivalChance)}) as under ${e.hypothesis} (${shown(own)}): expected at most ${shown(bound)} (what ${e.hypothesis}'s own table gives it), another table for ${other}, or a lintIgnore saying why the fact is ${e.hypothesis}'s own mark`,
        );
      });
    }
  },
};
