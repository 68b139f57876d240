// How far the corpus's own evidence can carry a knowledge base: the figures that bound what any
// change to rules, tables or reasoning can reach on these incidents, beside `rca kb eval`'s.
// - What the intake holds: the in-scope incidents whose intake is only the ticket's shape
//   (symptom, path, target: what the reporter saw, no reading of any tool) against those with a
//   reading, and how often each meets its level.
// - With every finding known (`--evidence all`, all the write-up holds): meeting the level, top-1
//   and top-3. The interview asks only for findings, so its "cause leads" cannot pass this top-1
//   unless the knowledge base ranks the same evidence better; of the incidents that fail here,
//   how many hold at most one reading in their whole write-up.
// - Calibration: the Brier score of the top-1 confidence as it is, and after the best monotone
//   recalibration (isotonic regression, pool-adjacent-violators) fitted to the very incidents it
//   is scored on: no remapping of the confidence does better on them, so a Brier target below it
//   needs sharper evidence, not a different scale.
// Usage: npm run build && node scripts/evidence-ceiling.mjs [CORPUS_DIR ...]  (default: tune and holdout)
import { loadKnowledgeBase } from '../dist/src/core/kb.js';
import { defaultKbDir } from '../dist/src/core/paths.js';
import { isTicketFact } from '../dist/src/core/facts.js';
import { loadIncidents } from '../dist/src/kbtools/incidents.js';
import { evaluateCorpus, round, share } from '../dist/src/kbtools/eval.js';

const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['test/incidents/tune', 'test/incidents/holdout'];
const kb = loadKnowledgeBase([defaultKbDir]);

/** The readings among FACTS: facts other than the ticket's shape. */
const readings = (facts) => Object.keys(facts).filter((fact) => !isTicketFact(fact));

/** The best Brier score any non-decreasing remapping of the confidence reaches on these answers, fitted to them. */
function isotonicBrier(scored) {
  const sorted = [...scored].sort((a, b) => a.confidence - b.confidence);
  const blocks = [];
  for (const { right } of sorted) {
    blocks.push({ sum: right ? 1 : 0, n: 1 });
    while (blocks.length > 1 && blocks.at(-2).sum / blocks.at(-2).n > blocks.at(-1).sum / blocks.at(-1).n) {
      const last = blocks.pop();
      blocks.at(-1).sum += last.sum;
      blocks.at(-1).n += last.n;
    }
  }
  // Each block predicts its own accuracy: its squared error is n p (1 - p).
  const error = blocks.reduce((total, { sum, n }) => total + sum * (1 - sum / n), 0);
  return sorted.length === 0 ? null : round(error / sorted.length);
}

const parts = [];
for (const dir of dirs) {
  const incidents = loadIncidents([dir], kb);
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const intake = await evaluateCorpus(kb, incidents, { evidence: 'intake' });
  const all = await evaluateCorpus(kb, incidents, { evidence: 'all' });
  const inScope = (results) => results.filter((r) => r.cause.length > 0);
  const shapeOnly = inScope(intake.results).filter((r) => readings(byId.get(r.id).intakeFacts).length === 0);
  const withReading = inScope(intake.results).filter((r) => readings(byId.get(r.id).intakeFacts).length > 0);
  const everything = inScope(all.results);
  const failing = everything.filter((r) => !r.passed);
  const thinWriteUp = failing.filter((r) => readings({ ...byId.get(r.id).intakeFacts, ...byId.get(r.id).findingFacts }).length <= 1);
  const scored = intake.results.filter((r) => r.ranked.length > 0).map((r) => ({ confidence: r.ranked[0].confidence, right: r.rank === 1 }));
  parts.push({
    corpus: dir,
    inScope: everything.length,
    intake: {
      shapeOnly: { incidents: shapeOnly.length, metLevel: shapeOnly.filter((r) => r.passed).length },
      withReading: { incidents: withReading.length, metLevel: withReading.filter((r) => r.passed).length },
    },
    everyFinding: {
      metLevel: share(everything.filter((r) => r.passed).length, everything.length),
      top1: share(everything.filter((r) => r.rank === 1).length, everything.length),
      top3: share(everything.filter((r) => r.rank !== null && r.rank <= 3).length, everything.length),
      failing: failing.length,
      failingWithAtMostOneReading: thinWriteUp.length,
    },
    brier: { asIs: intake.brier, bestMonotoneRecalibrationInSample: isotonicBrier(scored) },
  });
}
console.log(JSON.stringify({ kb: { name: kb.meta.name, version: kb.meta.version, hash: kb.meta.hash }, parts }, null, 2));
