// Would the real-incident corpus give the questions better prior chances of an answer? K-fold
// cross-validation on the tuning part only (test/incidents/tune; the held-back part is never
// used here): each fold's questions get an `answerChance` fitted on the other folds, how often
// their incidents' findings hold the question's fact when the intake does not, shrunk towards
// the expert's chance with the strength given ((S x expert + hits) / (S + asked)), both on the
// corpus's scale (its mean rate of an answer) and carried back to the chances' own (their mean),
// so that the stops, which compare worth against fixed bars, see chances of the same size. The
// folds are then replayed as interviews. Prints the passes and the questions asked (median, p90,
// mean over every incident of every fold) against the shipped chances, per strength. Run it as
// the corpus grows: while no strength gains, the chances stay as the experts wrote them.
// Usage: npm run build && node scripts/cv-answer-chances.mjs [STRENGTH...]   (default 30 100 300 1000)
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { kindsCarrying } from '../dist/src/collect/parsers/index.js';
import { priorAnswerChance } from '../dist/src/core/interview.js';
import { loadKnowledgeBase } from '../dist/src/core/kb.js';
import { defaultKbDir, packageRoot } from '../dist/src/core/paths.js';
import { loadIncidents } from '../dist/src/kbtools/incidents.js';
import { evaluateInterviews, percentile } from '../dist/src/kbtools/interview-eval.js';

const FOLDS = 5;
/** The fitted chances stay within these: no question is certain to be answered, or never. */
const [LOWEST, HIGHEST] = [0.03, 0.95];
const strengths = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [30, 100, 300, 1000];
const base = loadKnowledgeBase([defaultKbDir]);
const incidents = loadIncidents([join(packageRoot, 'test', 'incidents', 'tune')], base);
// The same split by a hash of the id as scripts/cv-fit-tables.mjs: the same folds on every run.
const foldOf = (id) => Number.parseInt(createHash('sha256').update(`fold:${id}`).digest('hex').slice(0, 8), 16) % FOLDS;
const facts = [...base.questions.keys()];
const expert = new Map(facts.map((fact) => [fact, priorAnswerChance(base, fact)]));
const expertMean = facts.reduce((sum, fact) => sum + expert.get(fact), 0) / facts.length;

/** The KB with each question's answerChance fitted to the training incidents (see the top). */
function fittedKb(train, strength) {
  const hits = new Map();
  const asked = new Map();
  const add = (map, fact) => map.set(fact, (map.get(fact) ?? 0) + 1);
  for (const incident of train) {
    for (const fact of facts) {
      if (fact in incident.intakeFacts) continue;
      add(asked, fact);
      if (fact in incident.findingFacts) add(hits, fact);
    }
  }
  const corpusRate = facts.reduce((sum, fact) => sum + (hits.get(fact) ?? 0), 0) / facts.reduce((sum, fact) => sum + (asked.get(fact) ?? 0), 0);
  const questions = new Map(base.questions);
  for (const fact of facts) {
    const prior = (expert.get(fact) / expertMean) * corpusRate;
    const rate = (strength * prior + (hits.get(fact) ?? 0)) / (strength + (asked.get(fact) ?? 0));
    const located = questions.get(fact);
    const answerChance = Math.min(HIGHEST, Math.max(LOWEST, (rate / corpusRate) * expertMean));
    questions.set(fact, { ...located, value: { ...located.value, answerChance } });
  }
  // A fresh KB object: what the interview caches, it caches per KB.
  return { ...base, questions };
}

/** Median, p90 and mean of the questions asked, as rca kb eval --mode interview gives them. */
const lengths = (counts) => ({ median: percentile(counts, 50), p90: percentile(counts, 90), mean: Math.round((100 * counts.reduce((a, b) => a + b, 0)) / counts.length) / 100 });

async function replayed(kbFor) {
  let passed = 0;
  const counts = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const kb = kbFor(incidents.filter((i) => foldOf(i.id) !== fold));
    const report = await evaluateInterviews(kb, incidents.filter((i) => foldOf(i.id) === fold), { pasteKinds: kindsCarrying });
    passed += report.passed;
    for (const result of report.results) counts.push(result.questions.length);
  }
  return { passed, questions: lengths(counts) };
}

console.log(JSON.stringify({ strength: 'shipped chances', incidents: incidents.length, ...(await replayed(() => base)) }));
for (const strength of strengths) console.log(JSON.stringify({ strength, incidents: incidents.length, ...(await replayed((train) => fittedKb(train, strength))) }));
