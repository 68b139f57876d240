// Grid search of the differential's global numbers (model.otherCausePrior, model.ruleWeight,
// model.tableWeight, model.priorWeight, model.temperature) on the tuning part of the real-incident corpus only (test/incidents/tune):
// the held-back part is never used here. A point is kept only if every shipped scenario keeps
// its top-1. Prints one JSON line per kept point, best first.
// Usage: npm run build && node scripts/calibrate-model.mjs [CORPUS_DIR]
import { loadKnowledgeBase } from '../dist/src/core/kb.js';
import { defaultKbDir } from '../dist/src/core/paths.js';
import { loadScenarios } from '../dist/src/core/scenarios.js';
import { shippedScenariosDir } from '../dist/src/cli/kb-option.js';
import { diagnose } from '../dist/src/core/diagnose.js';
import { loadIncidents } from '../dist/src/kbtools/incidents.js';
import { evaluateCorpus } from '../dist/src/kbtools/eval.js';

const corpus = process.argv[2] ?? 'test/incidents/tune';
const base = loadKnowledgeBase([defaultKbDir]);
const incidents = loadIncidents([corpus], base);
const scenarios = loadScenarios(shippedScenariosDir);
const grid = (name, fallback) => (process.env[name] ? process.env[name].split(',').map(Number) : fallback);
const rows = [];
for (const otherCausePrior of grid('OTHER', [0.05, 0.1, 0.2])) {
  for (const ruleWeight of grid('RULE', [2, 3, 4, 6])) {
    for (const tableWeight of grid('TABLE', [0.3, 0.5, 0.7, 1])) {
     for (const priorWeight of grid('PRIOR', [1])) {
      for (const temperature of grid('TEMP', [1])) {
      // A fresh KB object per point: compiled models are cached per KB.
      const kb = { ...base, model: { ...base.model, otherCausePrior, ruleWeight, tableWeight, priorWeight, temperature } };
      let scenarioTop1 = 0;
      for (const s of scenarios) {
        const d = await diagnose(kb, s.facts, { lang: 'en' });
        if ([s.expect.top1, ...(s.expect.alternates ?? [])].includes(d.hypotheses[0]?.id)) scenarioTop1++;
      }
      const row = { otherCausePrior, ruleWeight, tableWeight, priorWeight, temperature, scenarioTop1 };
      for (const evidence of ['intake', 'all']) {
        const r = await evaluateCorpus(kb, incidents, { evidence });
        row[evidence] = { top1: r.top1, top3: r.top3, mrr: r.mrr, passed: r.passed, brier: r.brier, noneRecall: r.abstention.recall, nonePrecision: r.abstention.precision };
      }
      // Passing at level counts most; Brier breaks ties towards honest confidence.
      row.score = row.intake.passed + row.all.passed - 10 * ((row.intake.brier ?? 1) + (row.all.brier ?? 1)) - 5 * (scenarios.length - scenarioTop1);
      rows.push(row);
      }
     }
    }
  }
}
rows.sort((a, b) => b.score - a.score);
for (const row of rows) console.log(JSON.stringify(row));
