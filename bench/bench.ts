/**
 * `npm run bench`: prints one JSON object with
 *  (a) in-process diagnosis time on the shipped examples,
 *  (b) one request in-process end to end (parse, validate, diagnose, stringify) against a floor of the same steps,
 *  (c) rca against a plain json-rules-engine Engine on generated knowledge bases (agreeing on what fires),
 *      and rca alone on 100,000 generated rules,
 *  (d) wall time of the CLI against `node -e 0` (also `npm run bench:cli`),
 *  (e) every artifact parser's worst time on 256 KB of crafted text (also `npm run bench:parsers`),
 *  (f) the interview's question choice on the shipped scenarios and on generated knowledge bases.
 * Timing lives here, never in pass/fail tests.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { kindsCarrying } from '../src/collect/parsers/index.js';
import { diagnose, diagnosisOf, rankMissing, type Diagnosis } from '../src/core/diagnose.js';
import { combineAll } from '../src/core/certainty.js';
import { assessmentOf, fireRules, runEngine, threeValuedPass } from '../src/core/evaluate.js';
import { normalizeFacts, statedBy, withStatedFacts } from '../src/core/facts.js';
import { nextQuestion, type InterviewState } from '../src/core/interview.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../src/core/kb.js';
import { defaultKbDir, packageRoot } from '../src/core/paths.js';
import { parseDiagnoseRequest } from '../src/core/request.js';
import { loadScenarios, openingFacts } from '../src/core/scenarios.js';
import type { FactMap } from '../src/core/vocabulary.js';
import { evaluateCorpus } from '../src/kbtools/eval.js';
import { evaluateInterviews, percentile, replayAnswer } from '../src/kbtools/interview-eval.js';
import { loadIncidents } from '../src/kbtools/incidents.js';
import { FACTS_PER_SET, firedByPlainEngine, generatedKb, plainEngine } from './generated-kb.js';
import { hostileParsersReport } from './hostile-artifacts.js';
import { cliReadOptions, shippedScenariosDir } from '../src/cli/kb-option.js';
import { corpusCases, leaveOneOut } from '../src/kbtools/similar-eval.js';
import { casesReport, SIMILAR_BENCH_CASES } from './cases.js';
import { exampleDocuments, exampleFiles } from './examples.js';
import { round, sampleEach, timeEach } from './timing.js';

const MAX_INTERVIEW_QUESTIONS = 25;


/** Beyond this, the plain engine takes seconds per run: only rca is timed. */
const ENGINE_COMPARISON_MAX_RULES = 10000;

/** How many unanswered facts a diagnosis lists unless told otherwise (diagnosisOf's default). */
const MISSING_LIMIT = 8;

/** Microseconds since a start: wall time, or the process's CPU time (all threads), which a busy neighbour on a shared machine counts much less. */
const clocks = {
  wall: { start: () => process.hrtime.bigint(), microseconds: (start: bigint) => Number(process.hrtime.bigint() - start) / 1e3 },
  cpu: {
    start: () => process.cpuUsage(),
    microseconds: (start: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(start);
      return used.user + used.system;
    },
  },
};

/**
 * Where one uncached diagnosis spends its time: each phase timed on its own, on every input
 * in turn for `rounds` rounds, as the median in microseconds. A request's body is parsed and
 * validated first; inputs given as facts start at the three-valued pass. `missing` is
 * rankMissing on its own; `answerWithMissing` is building the whole diagnosis (diagnosisOf,
 * which values the facts again on an assessment of its own).
 */
async function phases<T>(kb: KnowledgeBase, inputs: ReadonlyArray<{ body: string } | { facts: FactMap }>, rounds: number, clock: { start: () => T; microseconds: (start: T) => number }) {
  const samples: Record<'parseAndValidate' | 'threeValuedPass' | 'engine' | 'scoring' | 'missing' | 'answerWithMissing' | 'stringify', number[]> = {
    parseAndValidate: [],
    threeValuedPass: [],
    engine: [],
    scoring: [],
    missing: [],
    answerWithMissing: [],
    stringify: [],
  };
  const fired: number[] = [];
  const microseconds = (start: T) => clock.microseconds(start);
  for (let round = 0; round < rounds; round++) {
    for (const input of inputs) {
      let start = clock.start();
      const given = 'body' in input ? parseDiagnoseRequest(JSON.parse(input.body), { vocabulary: kb.vocabulary }).facts : input.facts;
      if ('body' in input) samples.parseAndValidate.push(microseconds(start));
      start = clock.start();
      // As assess does: what the facts state by themselves counts as known.
      const { facts, implied } = statedBy(given, kb.vocabulary);
      const preCheck = threeValuedPass(kb, facts);
      samples.threeValuedPass.push(microseconds(start));
      start = clock.start();
      const rules = await runEngine(kb, preCheck.candidates, facts);
      samples.engine.push(microseconds(start));
      start = clock.start();
      const assessment = assessmentOf(kb, facts, preCheck, rules, implied);
      samples.scoring.push(microseconds(start));
      start = clock.start();
      rankMissing(kb, assessment, MISSING_LIMIT);
      samples.missing.push(microseconds(start));
      // The whole answer on an assessment of its own: on the one above the facts are valued already.
      const unvalued = assessmentOf(kb, facts, preCheck, rules, implied);
      start = clock.start();
      const answer = diagnosisOf(kb, unvalued, { missingLimit: MISSING_LIMIT });
      samples.answerWithMissing.push(microseconds(start));
      start = clock.start();
      JSON.stringify(answer);
      samples.stringify.push(microseconds(start));
      if (round === 0) fired.push(rules.length);
    }
  }
  const medianUs = Object.fromEntries(Object.entries(samples).filter(([, list]) => list.length > 0).map(([phase, list]) => [phase, round(percentile(list, 50), 1)]));
  return { firedMedian: percentile(fired, 50), medianUs };
}

async function compareWithEngine(ruleCount: number) {
  const { kb, rules, factSets } = generatedKb(ruleCount);
  const runs = ruleCount >= 10000 ? 20 : 100;
  for (const facts of factSets.slice(0, 5)) await diagnose(kb, facts);
  // CPU time beside wall time: on a shared machine wall time counts other processes too.
  const rca = await sampleEach(runs, (i) => diagnose(kb, factSets[i % factSets.length] as FactMap));
  const rcaTimes = { rcaDiagnoseMsP50: round(percentile(rca.wallMs, 50)), rcaDiagnoseCpuMsP50: round(percentile(rca.cpuMs, 50)) };
  if (ruleCount > ENGINE_COMPARISON_MAX_RULES) {
    const split = { clock: 'cpu', ...(await phases(kb, factSets.map((facts) => ({ facts })), 1, clocks.cpu)) };
    return { rules: ruleCount, conditionsPerRule: 3, factsPerSet: FACTS_PER_SET, runs, ...rcaTimes, plainEngineMsP50: null, speedup: null, phases: split };
  }
  const engine = plainEngine(rules);
  // The engine alone is given what rca counts as known: the facts and what they state by themselves.
  const statedSets = factSets.map((facts) => withStatedFacts(facts, kb.vocabulary));
  // Agreement on what fires, on every fact set, before timing anything.
  const firedCounts: number[] = [];
  for (const [i, facts] of factSets.entries()) {
    const ours = (await fireRules(kb, facts)).map((f) => f.rule.id).sort();
    const theirs = await firedByPlainEngine(engine, statedSets[i] as FactMap);
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error(`rca and json-rules-engine disagree on generated rules (${ruleCount}): ${ours.join(',')} / ${theirs.join(',')}`);
    firedCounts.push(ours.length);
  }
  const plain = await timeEach(runs, (i) => engine.run({ ...(statedSets[i % statedSets.length] as FactMap) }));
  const rcaP50 = percentile(rca.wallMs, 50);
  const plainP50 = percentile(plain, 50);
  return {
    rules: ruleCount,
    conditionsPerRule: 3,
    factsPerSet: FACTS_PER_SET,
    factSetsAgreeing: factSets.length,
    firedPerSetMedian: percentile(firedCounts, 50),
    firedPerSetMin: Math.min(...firedCounts),
    runs,
    ...rcaTimes,
    plainEngineMsP50: round(plainP50),
    speedup: round(plainP50 / rcaP50, 1),
  };
}

/**
 * The cost of one uncached diagnosis in-process, as a request goes (JSON text in: parse,
 * validate, diagnose, stringify), against a floor of the same steps with only what any
 * diagnosis needs: the three-valued pass the full path runs (threeValuedPass), the
 * certainty factors combined, and the same answer's bytes stringified.
 */
async function endToEnd(kb: KnowledgeBase, bodies: readonly string[]) {
  const answers = new Map<string, Diagnosis>();
  for (const body of bodies) answers.set(body, await diagnose(kb, parseDiagnoseRequest(JSON.parse(body), { vocabulary: kb.vocabulary }).facts));
  const full = async (body: string) => JSON.stringify(await diagnose(kb, parseDiagnoseRequest(JSON.parse(body), { vocabulary: kb.vocabulary }).facts));
  const floor = (body: string) => {
    const facts = parseDiagnoseRequest(JSON.parse(body), { vocabulary: kb.vocabulary }).facts;
    const cfs = new Map<string, number[]>();
    for (const rule of threeValuedPass(kb, facts).candidates) {
      for (const { hypothesis, cf } of rule.rule.evidence) cfs.set(hypothesis, [...(cfs.get(hypothesis) ?? []), cf]);
    }
    for (const list of cfs.values()) combineAll(list);
    return JSON.stringify(answers.get(body));
  };
  const runs = bodies.length * 40;
  for (const body of bodies) {
    await full(body);
    floor(body);
  }
  // Interleaved, so both see the same machine load.
  const fullMs: number[] = [];
  const floorMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const body = bodies[i % bodies.length] as string;
    let start = process.hrtime.bigint();
    await full(body);
    fullMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    floor(body);
    floorMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const p50 = percentile(fullMs, 50);
  const floorP50 = percentile(floorMs, 50);
  const split = { clock: 'wall', ...(await phases(kb, bodies.map((body) => ({ body })), 20, clocks.wall)) };
  return { bodies: bodies.length, runs, p50Ms: round(p50), p99Ms: round(percentile(fullMs, 99)), floorP50Ms: round(floorP50), ratioToFloor: round(p50 / floorP50, 2), phases: split };
}

/**
 * Median wall time of each node command line, run in turns (one of each per round), so that a
 * machine whose load changes during the bench slows every command alike and the ratios hold.
 */
function wallTimes(commands: readonly string[][], runs: number): number[] {
  const samples = commands.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach((args, c) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: packageRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${String(result.stderr)}`);
      samples[c]?.push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return samples.map((s) => percentile(s, 50));
}

/**
 * Replays every scenario as an interview: an engineer who knows the scenario's facts (and
 * nothing else) answers, as the corpus's replay does (replayAnswer: a question whose command's
 * output rca reads is answered with a paste of everything the scenario holds of it), starting
 * from what a ticket usually says; the choice is timed as the CLI and the API make it, with the
 * parsers' registry.
 */
async function interviewReplay(kb: KnowledgeBase) {
  const scenarios = loadScenarios(shippedScenariosDir);
  const questionCounts: number[] = [];
  const choiceMs: number[] = [];
  const misses: string[] = [];
  for (const scenario of scenarios) {
    const all = normalizeFacts(scenario.facts, kb.vocabulary);
    let state: InterviewState = { facts: normalizeFacts(openingFacts(scenario.facts), kb.vocabulary), unknown: [] };
    let asked = 0;
    for (; asked < MAX_INTERVIEW_QUESTIONS; asked++) {
      const start = process.hrtime.bigint();
      const step = await nextQuestion(kb, state, { pasteKinds: kindsCarrying });
      choiceMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (step.done || !step.question) break;
      state = replayAnswer(kb, all, state, step.question.fact, kindsCarrying).state;
    }
    const final = await diagnose(kb, state.facts);
    const accepted = [scenario.expect.top1, ...(scenario.expect.alternates ?? [])];
    if (!accepted.includes(final.hypotheses[0]?.id ?? '')) misses.push(`${scenario.file}: expected ${scenario.expect.top1}, led ${final.hypotheses[0]?.id ?? 'nothing'}`);
    questionCounts.push(asked);
  }
  const share = scenarios.length === 0 ? 0 : (scenarios.length - misses.length) / scenarios.length;
  return {
    scenarios: scenarios.length,
    expectedTop1LeadsShare: round(share, 3),
    questionsMedian: percentile(questionCounts, 50),
    questionsP90: percentile(questionCounts, 90),
    questionChoiceMsP50: round(percentile(choiceMs, 50)),
    questionChoiceMsP99: round(percentile(choiceMs, 99)),
    misses,
  };
}

/** Interviews replayed per generated knowledge base, and questions each asks at most. */
const GENERATED_INTERVIEWS = 10;
const GENERATED_QUESTIONS = 10;

/**
 * The interview's question choice (one nextQuestion step) on a generated knowledge base: each
 * of the first fact sets replayed as an interview from its first three facts, a question
 * answered from the set and "don't know" otherwise (replayAnswer); CPU time per step beside wall time. With
 * the parsers' registry, as the CLI and the API choose (a question worth what its paste carries).
 */
async function generatedInterview(ruleCount: number) {
  const { kb, factSets } = generatedKb(ruleCount);
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  await nextQuestion(kb, { facts: {}, unknown: [] }, { pasteKinds: kindsCarrying });
  for (const all of factSets.slice(0, GENERATED_INTERVIEWS)) {
    let state: InterviewState = { facts: Object.fromEntries(Object.entries(all).slice(0, 3)), unknown: [] };
    for (let asked = 0; asked < GENERATED_QUESTIONS; asked++) {
      const wall = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const step = await nextQuestion(kb, state, { pasteKinds: kindsCarrying });
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
      wallMs.push(Number(process.hrtime.bigint() - wall) / 1e6);
      if (step.done || !step.question) break;
      state = replayAnswer(kb, all, state, step.question.fact, kindsCarrying).state;
    }
  }
  return { rules: ruleCount, steps: cpuMs.length, questionChoiceCpuMsP50: round(percentile(cpuMs, 50)), questionChoiceCpuMsP99: round(percentile(cpuMs, 99)), questionChoiceMsP50: round(percentile(wallMs, 50)) };
}

/**
 * `rca kb eval`'s headline figures on the shipped corpus, each part from the intake only, from
 * everything known, and replayed as interviews (`--mode interview`). The held-back part only when
 * asked (`npm run bench -- --holdout`): it is run before and after a change to the rules, not on
 * every timing run, or its figures would steer the tuning they are there to check.
 */
async function realIncidentsReport(kb: KnowledgeBase, withHoldout: boolean) {
  const parts: Record<string, unknown> = {};
  const interviews: Array<{ top1: number; questionsMedian: number; questionsP90: number; emptyWithKnownCause: number }> = [];
  if (!withHoldout) parts['holdout'] = 'not run: npm run bench -- --holdout';
  for (const part of withHoldout ? ['tune', 'holdout'] : ['tune']) {
    const incidents = loadIncidents([join(packageRoot, 'test', 'incidents', part)], kb);
    for (const evidence of ['intake', 'all'] as const) {
      const r = await evaluateCorpus(kb, incidents, { evidence });
      parts[`${part}/${evidence}`] = { incidents: r.incidents, top1: r.top1, top3: r.top3, mrr: r.mrr, empty: r.empty, abstentionPrecision: r.abstention.precision, abstentionRecall: r.abstention.recall, brier: r.brier };
    }
    const iv = await evaluateInterviews(kb, incidents, { pasteKinds: kindsCarrying });
    const replay = { incidents: iv.incidents, top1: iv.top1, top3: iv.top3, passed: iv.passed, empty: iv.empty, emptyWithKnownCause: iv.emptyWithKnownCause, questionsMedian: iv.questions.median, questionsP90: iv.questions.p90, dontKnowMean: iv.dontKnow.mean, stops: iv.stops };
    parts[`${part}/interview`] = replay;
    interviews.push(replay);
    // The same replay told which questions the findings answer: what the order of the questions costs.
    const oracle = await evaluateInterviews(kb, incidents, { pasteKinds: kindsCarrying, oracle: true });
    parts[`${part}/interview-oracle`] = { incidents: oracle.incidents, top1: oracle.top1, top3: oracle.top3, passed: oracle.passed, questionsMedian: oracle.questions.median, questionsP90: oracle.questions.p90 };
  }
  return { parts, interviews };
}

/**
 * Wall time of `rca diagnose` on the first example: bin/rca.cjs (the bundle), the same run from
 * the unbundled build (dist/src) to show what the bundle saves, and node's floor, interleaved.
 */
function cliStartup() {
  const example = exampleFiles()[0] ?? '';
  const [cliMs = NaN, unbundledMs = NaN, nodeMs = NaN] = wallTimes(
    [[join(packageRoot, 'bin', 'rca.cjs'), 'diagnose', example, '--format', 'json'], [join(packageRoot, 'dist', 'src', 'cli', 'bin.js'), 'diagnose', example, '--format', 'json'], ['-e', '0']],
    21,
  );
  return { command: `rca diagnose ${example} --format json`, rcaMsP50: round(cliMs, 1), nodeNoopMsP50: round(nodeMs, 1), ratio: round(cliMs / nodeMs, 2), unbundledMsP50: round(unbundledMs, 1), unbundledRatio: round(unbundledMs / nodeMs, 2) };
}

/** The request bodies (b) times: every shipped scenario's facts, then every example's (each example diagnosed 50 times first, to warm up). */
async function requestBodies(kb: KnowledgeBase): Promise<string[]> {
  const examples = exampleFacts(kb);
  for (const facts of examples) for (let i = 0; i < 50; i++) await diagnose(kb, facts);
  return [...loadScenarios(shippedScenariosDir).map((sc) => JSON.stringify({ facts: sc.facts })), ...examples.map((facts) => JSON.stringify({ facts }))];
}

/** The shipped examples' facts, parsed as requests, in file order. */
function exampleFacts(kb: KnowledgeBase): FactMap[] {
  return exampleDocuments().map((document) => parseDiagnoseRequest(document, { vocabulary: kb.vocabulary }).facts);
}

/** Issue 16's targets for the case store, on every store. */
const casesTargets = (cases: Awaited<ReturnType<typeof casesReport>>) => ({
  caseCreateAtMost2xDiagnose: cases.every((c) => 'ratio' in c && c.ratio.wall <= 2),
  [`similarLookupAmong${SIMILAR_BENCH_CASES}AtMost5Ms`]: cases.every((c) => 'similarLookupP50Ms' in c && c.similarLookupP50Ms.wall <= 5),
});

const machine = () => ({ node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' });

async function main() {
  const kb = loadKnowledgeBase([defaultKbDir], cliReadOptions());
  const examples = exampleFacts(kb);
  for (const facts of examples) for (let i = 0; i < 50; i++) await diagnose(kb, facts);
  const inProcess = await timeEach(examples.length * 400, (i) => diagnose(kb, examples[i % examples.length] as FactMap));

  const requests = await endToEnd(kb, await requestBodies(kb));
  const generatedResults = [await compareWithEngine(1000), await compareWithEngine(10000), await compareWithEngine(100000)];

  const cli = cliStartup();

  const interview = await interviewReplay(kb);
  const [choiceAt1k, choiceAt10k] = [await generatedInterview(1000), await generatedInterview(10000)];
  const hostileParsers = hostileParsersReport();
  const { parts: realIncidents, interviews: realInterviews } = await realIncidentsReport(kb, process.argv.includes('--holdout'));
  const corpus = loadIncidents(['tune', 'holdout'].map((part) => join(packageRoot, 'test', 'incidents', part)), kb);
  const corpusAsCases = await corpusCases(kb, corpus);
  const cases = await casesReport(examples, corpusAsCases);
  // Similar past incidents, leave-one-out over the whole corpus (tune and holdout) read as resolved cases.
  const similarCases = leaveOneOut(corpusAsCases);

  const p50 = percentile(inProcess, 50);
  const tenThousand = generatedResults[1];
  const hundredThousand = generatedResults[2];
  const report = {
    machine: machine(),
    knowledgeBase: { name: kb.meta.name, version: kb.meta.version, rules: kb.rules.length, hypotheses: kb.hypotheses.size },
    inProcessDiagnosis: { examples: examples.length, runs: inProcess.length, p50Ms: round(p50), p99Ms: round(percentile(inProcess, 99)) },
    inProcessRequests: requests,
    generatedKnowledgeBases: generatedResults,
    interview: { ...interview, generatedKnowledgeBases: [choiceAt1k, choiceAt10k] },
    cli,
    hostileParsers,
    realIncidents,
    similarCases,
    cases,
    targets: {
      inProcessP50AtMost1Ms: p50 <= 1,
      inProcessRequestP50AtMost2xFloor: requests.ratioToFloor <= 2,
      hundredThousandRulesAtMost30Ms: (hundredThousand?.rcaDiagnoseCpuMsP50 ?? Infinity) <= 30,
      tenThousandRulesAtLeast10xEngine: (tenThousand?.speedup ?? 0) >= 10,
      cliAtMost2xNode: cli.ratio <= 2,
      interviewTop1AtLeast90Pct: interview.expectedTop1LeadsShare >= 0.9,
      interviewMedianAtMost6Questions: interview.questionsMedian <= 6,
      interviewChoiceP50AtMost20Ms: interview.questionChoiceMsP50 <= 20,
      interviewChoiceP99AtMost100Ms: interview.questionChoiceMsP99 <= 100,
      generatedInterviewChoiceAt1kRulesAtMost20Ms: choiceAt1k.questionChoiceCpuMsP50 <= 20,
      generatedInterviewChoiceAt10kRulesAtMost200Ms: choiceAt10k.questionChoiceCpuMsP50 <= 200,
      // Ten times the rules may take at most ten times as long.
      generatedInterviewChoiceGrowsAtMostLinearly: choiceAt10k.questionChoiceCpuMsP50 <= 10 * choiceAt1k.questionChoiceCpuMsP50,
      // Issue 14, on each part of the real incidents replayed as interviews (tune, and holdout with --holdout).
      realInterviewLeadsAtLeast90Pct: realInterviews.every((r) => r.top1 >= 0.9),
      realInterviewMedianAtMost5Questions: realInterviews.every((r) => r.questionsMedian <= 5),
      realInterviewP90AtMost10Questions: realInterviews.every((r) => r.questionsP90 <= 10),
      realInterviewNoEmptyDiagnosis: realInterviews.every((r) => r.emptyWithKnownCause === 0),
      hostileParserAtMost1s: hostileParsers.worstMs <= 1000,
      ...casesTargets(cases),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

// `npm run bench:cli` (argument `cli`): only the start-up part, in the same JSON shape.
if (process.argv[2] === 'cli') {
  const cli = cliStartup();
  process.stdout.write(`${JSON.stringify({ machine: machine(), cli, targets: { cliAtMost2xNode: cli.ratio <= 2 } }, null, 2)}\n`);
} else if (process.argv[2] === 'requests') {
  // `npm run bench:requests`: only (b), the in-process request against its floor, in the same JSON shape.
  const kb = loadKnowledgeBase([defaultKbDir], cliReadOptions());
  const requests = await endToEnd(kb, await requestBodies(kb));
  process.stdout.write(`${JSON.stringify({ machine: machine(), inProcessRequests: requests, targets: { inProcessRequestP50AtMost2xFloor: requests.ratioToFloor <= 2 } }, null, 2)}\n`);
} else if (process.argv[2] === 'cases') {
  // `node dist/bench/bench.js cases`: only the case store on each store, in the same JSON shape.
  const kb = loadKnowledgeBase([defaultKbDir], cliReadOptions());
  const corpus = loadIncidents(['tune', 'holdout'].map((part) => join(packageRoot, 'test', 'incidents', part)), kb);
  const cases = await casesReport(exampleFacts(kb), await corpusCases(kb, corpus));
  process.stdout.write(`${JSON.stringify({ machine: machine(), cases, targets: casesTargets(cases) }, null, 2)}\n`);
} else await main();
