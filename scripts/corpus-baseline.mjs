// What the intake facts alone can teach: a naive Bayes classifier fitted to the corpus itself,
// beside the knowledge base, on the incidents with a known cause. On the tuning part it is
// scored leave-one-out (each incident ranked by a model fitted to the others); on the held-back
// part, by the model fitted to the whole tuning part. It reads the facts the differential weighs,
// binned as the differential bins them (model.outcomes), so both see the same inputs. A knowledge
// base that ranks below it has tables that the corpus contradicts; above it, knowledge the
// corpus's few incidents per cause (at most 4) could not teach.
// Usage: npm run build && node scripts/corpus-baseline.mjs [TUNE_DIR] [HOLDOUT_DIR]
import { loadKnowledgeBase } from '../dist/src/core/kb.js';
import { defaultKbDir } from '../dist/src/core/paths.js';
import { compiledModel, knownOutcomes } from '../dist/src/core/differential.js';
import { diagnose } from '../dist/src/core/diagnose.js';
import { loadIncidents } from '../dist/src/kbtools/incidents.js';

const [tuneDir = 'test/incidents/tune', holdoutDir = 'test/incidents/holdout'] = process.argv.slice(2);
const kb = loadKnowledgeBase([defaultKbDir]);
const model = compiledModel(kb);
const inScope = (incidents) => incidents.filter((i) => i.cause !== 'none');
const tune = inScope(loadIncidents([tuneDir], kb));
const holdout = inScope(loadIncidents([holdoutDir], kb));

/** An incident's intake as the differential reads it: "fact=outcome" for each fact a table can weigh. */
const features = (incident) => knownOutcomes(model, incident.intakeFacts).map((k) => `${k.name}=${k.outcome}`);

/** Class counts and feature counts per cause (an incident of two causes counts for each). */
function fit(train) {
  const causes = new Map();
  const outcomes = new Map();
  for (const incident of train) {
    const seen = features(incident);
    for (const f of seen) outcomes.set(f.split('=')[0], (outcomes.get(f.split('=')[0]) ?? new Set()).add(f));
    for (const cause of incident.cause) {
      const c = causes.get(cause) ?? { n: 0, counts: new Map() };
      c.n++;
      for (const f of seen) c.counts.set(f, (c.counts.get(f) ?? 0) + 1);
      causes.set(cause, c);
    }
  }
  return { causes, outcomes, total: train.length };
}

/** Causes best first by log posterior; Laplace-smoothed (ALPHA) over the outcomes seen of each fact. */
const ALPHA = Number(process.env.ALPHA ?? 0.1);
function rank(fitted, incident) {
  const scored = [...fitted.causes].map(([cause, c]) => {
    let logP = Math.log(c.n / fitted.total);
    for (const f of features(incident)) {
      const values = (fitted.outcomes.get(f.split('=')[0])?.size ?? 0) + 1;
      logP += Math.log(((c.counts.get(f) ?? 0) + ALPHA) / (c.n + ALPHA * values));
    }
    return [cause, logP];
  });
  return scored.sort((a, b) => b[1] - a[1]).map(([cause]) => cause);
}

/** Top-1, top-3 and meeting the incident's level, over ranked lists of cause ids. */
function score(pairs) {
  let top1 = 0;
  let top3 = 0;
  let level = 0;
  for (const [incident, ranked] of pairs) {
    const at = Math.min(...incident.cause.map((c) => (ranked.includes(c) ? ranked.indexOf(c) + 1 : Infinity)));
    if (at === 1) top1++;
    if (at <= 3) top3++;
    if (at <= (incident.level === 'top1' ? 1 : 3)) level++;
  }
  const n = pairs.length;
  return { incidents: n, metLevel: level, top1: +(top1 / n).toFixed(3), top3: +(top3 / n).toFixed(3) };
}

const kbRanked = async (incident) => (await diagnose(kb, incident.intakeFacts, { lang: 'en' })).hypotheses.map((h) => h.id);
const fittedOnTune = fit(tune);
const report = {
  alpha: ALPHA,
  tune: {
    corpusNaiveBayesLeaveOneOut: score(tune.map((incident, i) => [incident, rank(fit(tune.filter((_, j) => j !== i)), incident)])),
    knowledgeBase: score(await Promise.all(tune.map(async (incident) => [incident, await kbRanked(incident)]))),
  },
  holdout: {
    corpusNaiveBayesFittedOnTune: score(holdout.map((incident) => [incident, rank(fittedOnTune, incident)])),
    knowledgeBase: score(await Promise.all(holdout.map(async (incident) => [incident, await kbRanked(incident)]))),
  },
};
console.log(JSON.stringify(report, null, 2));
