// Grid search of the differential's global numbers (model.otherCausePrior, ruleWeight,
// tableWeight, priorWeight, temperature) on the tuning part of the real-incident corpus only
// (test/incidents/tune): the held-back part is never used here. A point is kept only if every
// shipped scenario keeps its top-1. Prints one JSON line per kept point, best first.
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
// Each number's values to try (an environment variable of the same name overrides them, e.g.
// RULE=4,6,8); the defaults surround the shipped rules/model.yaml.
const GRID = {
  otherCausePrior: ['OTHER', [0.4, 0.58, 0.7]],
  ruleWeight: ['RULE', [4, 6, 8]],
  tableWeight: ['TABLE', [0.7, 1]],
  priorWeight: ['PRIOR', [0, 0.5, 1]],
  temperature: ['TEMP', [0.6, 1]],
};
/** Every combination of the grid's values, as {name: value} objects. */
let points = [{}];
for (const [name, [variable, fallback]] of Object.entries(GRID)) {
  const values = process.env[variable] ? process.env[variable].split(',').map(Number) : fallback;
  points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
}
const rows = [];
for (const point of points) {
  // A fresh KB object per point: compiled models are cached per KB.
  const kb = { ...base, model: { ...base.model, ...point } };
  let scenarioTop1 = 0;
  for (const s of scenarios) {
    const d = await diagnose(kb, s.facts, { lang: 'en' });
    if ([s.expect.top1, ...(s.expect.alternates ?? [])].includes(d.hypotheses[0]?.id)) scenarioTop1++;
  }
  const row = { ...point, scenarioTop1 };
  for (const evidence of ['intake', 'all']) {
    const r = await evaluateCorpus(kb, incidents, { evidence });
    row[evidence] = { top1: r.top1, top3: r.top3, mrr: r.mrr, passed: r.passed, brier: r.brier, noneRecall: r.abstention.recall, nonePrecision: r.abstention.precision };
  }
  // Passing at level counts most; Brier breaks ties towards honest confidence.
  row.score = row.intake.passed + row.all.passed - 10 * ((row.intake.brier ?? 1) + (row.all.brier ?? 1));
  if (scenarioTop1 === scenarios.length) rows.push(row);
}
rows.sort((a, b) => b.score - a.score);
for (const row of rows) console.log(JSON.stringify(row));
