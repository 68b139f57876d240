import { loadKnowledgeBase } from '/work/wt/model/dist/src/core/kb.js';
import { defaultKbDir } from '/work/wt/model/dist/src/core/paths.js';
import { assess } from '/work/wt/model/dist/src/core/evaluate.js';
import { compiledModel, ruleLogWeight } from '/work/wt/model/dist/src/core/differential.js';
import { load } from 'js-yaml';const yaml={load}; import fs from 'node:fs';
const kb = loadKnowledgeBase([defaultKbDir]);
const doc = yaml.load(fs.readFileSync(process.argv[2], 'utf8'));
const facts = doc.facts ?? doc.intake;
const a = await assess(kb, facts);
const m = compiledModel(kb);
const want = process.argv.slice(3);
const rows = m.hypotheses.map((id, h) => {
  const parts = [];
  let t = 0;
  for (const [name, f] of m.facts) { if (!(name in facts)) continue; const o = f.outcomeOf(facts[name]); if (o < 0) continue; const lr = f.logRatio[h * f.outcomes.length + o]; t += lr; if (Math.abs(lr) > 0.5) parts.push(`${name}=${facts[name]}:${lr.toFixed(1)}`); }
  const b = a.scored.find((s) => s.id === id)?.belief.net ?? 0;
  return { id, p: a.differential.posterior[h], prior: m.logPrior[h], table: t, belief: b, rule: ruleLogWeight(m, b), parts };
}).sort((x, y) => y.p - x.p);
for (const r of rows.slice(0, 6).concat(rows.filter((r) => want.includes(r.id)))) console.log(r.id.padEnd(36), r.p.toFixed(3), 'prior', r.prior.toFixed(2), 'table', r.table.toFixed(2), 'belief', r.belief.toFixed(2), 'rule', r.rule.toFixed(2), r.parts.join(' '));
