// Would the real-incident corpus improve the likelihood tables? K-fold cross-validation on the
// tuning part only (test/incidents/tune; the held-back part is never used here): each fold's
// tables are fitted on the other folds' incidents, every row a Dirichlet posterior mean centred
// on the expert's row with the strength given ((S x expert + counts) / (S + n)), and the fold is
// then diagnosed from its intake, from everything known, and replayed as interviews. Prints the
// passes summed over the folds against the shipped tables, per strength. Run it as the corpus
// grows: while every strength loses, the tables stay as the experts wrote them.
// Usage: npm run build && node scripts/cv-fit-tables.mjs [STRENGTH...]   (default 3 10 30 100)
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { kindsCarrying } from '../dist/src/collect/parsers/index.js';
import { compiledModel } from '../dist/src/core/differential.js';
import { loadKnowledgeBase } from '../dist/src/core/kb.js';
import { defaultKbDir, packageRoot } from '../dist/src/core/paths.js';
import { evaluateCorpus } from '../dist/src/kbtools/eval.js';
import { loadIncidents } from '../dist/src/kbtools/incidents.js';
import { evaluateInterviews } from '../dist/src/kbtools/interview-eval.js';

const FOLDS = 5;
const strengths = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [3, 10, 30, 100];
const base = loadKnowledgeBase([defaultKbDir]);
const model = compiledModel(base);
const incidents = loadIncidents([join(packageRoot, 'test', 'incidents', 'tune')], base);
// A fixed split by a hash of the id: the same folds on every run.
const foldOf = (id) => Number.parseInt(createHash('sha256').update(`fold:${id}`).digest('hex').slice(0, 8), 16) % FOLDS;

/** The KB with each hypothesis's rows fitted to the training incidents it caused (intake and findings). */
function fittedKb(train, strength) {
  const counts = new Map();
  for (const incident of train) {
    if (incident.cause === 'none') continue;
    for (const [fact, value] of Object.entries({ ...incident.intakeFacts, ...incident.findingFacts })) {
      const modelled = model.facts.get(fact);
      const outcome = modelled?.outcomeOf(value) ?? -1;
      if (outcome < 0) continue;
      for (const cause of incident.cause) {
        const key = `${cause}\u0000${fact}`;
        const row = counts.get(key) ?? new Float64Array(modelled.outcomes.length);
        row[outcome] += 1 / incident.cause.length;
        counts.set(key, row);
      }
    }
  }
  const tables = new Map();
  for (const [key, seen] of counts) {
    const [cause, fact] = key.split('\u0000');
    const { outcomes, likelihood } = model.facts.get(fact);
    const h = model.position.get(cause);
    const n = seen.reduce((a, b) => a + b, 0);
    const row = Object.fromEntries(outcomes.map((o, i) => [o, (strength * likelihood[h * outcomes.length + i] + seen[i]) / (strength + n)]));
    tables.set(cause, { ...tables.get(cause), [fact]: row });
  }
  const hypotheses = new Map(base.hypotheses);
  for (const [cause, rows] of tables) {
    const located = hypotheses.get(cause);
    hypotheses.set(cause, { ...located, value: { ...located.value, likelihoods: { ...located.value.likelihoods, ...rows } } });
  }
  // A fresh KB object: compiled models are cached per KB.
  return { ...base, hypotheses };
}

const modes = {
  intake: (kb, part) => evaluateCorpus(kb, part, { evidence: 'intake' }),
  all: (kb, part) => evaluateCorpus(kb, part, { evidence: 'all' }),
  interview: (kb, part) => evaluateInterviews(kb, part, { pasteKinds: kindsCarrying }),
};
const passed = async (kbFor) => {
  const sums = Object.fromEntries(Object.keys(modes).map((m) => [m, 0]));
  for (let fold = 0; fold < FOLDS; fold++) {
    const kb = kbFor(incidents.filter((i) => foldOf(i.id) !== fold));
    const part = incidents.filter((i) => foldOf(i.id) === fold);
    for (const [mode, run] of Object.entries(modes)) sums[mode] += (await run(kb, part)).passed;
  }
  return sums;
};
console.log(JSON.stringify({ strength: 'shipped tables', incidents: incidents.length, passed: await passed(() => base) }));
for (const strength of strengths) console.log(JSON.stringify({ strength, incidents: incidents.length, passed: await passed((train) => fittedKb(train, strength)) }));
