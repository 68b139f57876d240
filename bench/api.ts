/**
 * `npm run bench:api`: starts a bare fastify route and the real `rca serve` on 127.0.0.1,
 * drives them with autocannon, and prints one JSON object. The diagnose load cycles
 * through distinct realistic bodies (every scenario's facts and every example), so
 * consecutive requests differ. The bare route (bench/bare-route.ts) parses the same bodies
 * and answers each with rca's own answer of the mean size, so both send as many bytes.
 *
 * The target is on the server's CPU time per request (user + system, read from /proc
 * around the load, divided by the requests answered): on a shared machine throughput
 * counts the neighbours and the load generator too, CPU time per request much less.
 * rca runs twice: with `--cache-size 0`, where every request is computed (the target),
 * and as configured by default (the response cache on, so each distinct body is computed
 * once and then served from the cache), shown beside it. The uncached rca and the bare route
 * are measured the same way, by the same client, in alternating rounds (both servers started
 * and warmed up first), and the target is on the median of the rounds' ratios: a busy
 * neighbour during one round moves both of its figures. Each run also reports its throughput
 * against the bare route, latency, errors, and the server's RSS around the load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { diagnose } from '../src/core/diagnose.js';
import { loadKnowledgeBase } from '../src/core/kb.js';
import { defaultKbDir, packageRoot } from '../src/core/paths.js';
import { parseDiagnoseRequest } from '../src/core/request.js';
import { loadScenarios } from '../src/core/scenarios.js';
import { shippedScenariosDir } from '../src/cli/kb-option.js';
import { answerOfMeanSize, BARE_PATH } from './bare-route.js';
import { exampleDocuments } from './examples.js';
import { cpuMs, rssMb, start } from './server-process.js';
import { benchSeconds, round } from './timing.js';

const LOAD_SECONDS = benchSeconds(process.env.RCA_BENCH_SECONDS, 60);
/** Rounds of the bare route and the uncached rca in turn; the target is on their median ratio. */
const ROUNDS = 3;
/** Each round's load on each server: computing every request is steady after a few seconds. */
const ROUND_SECONDS = Math.max(1, Math.round(Math.min(20, LOAD_SECONDS) / ROUNDS));
/**
 * Each server is warmed up by this many passes over the bodies before it is measured, however
 * busy the machine (a warm-up of fixed seconds left a loaded machine's first round compiling),
 * and by at most this many seconds.
 */
const WARMUP_PASSES = 20;
const WARMUP_CAP_SECONDS = 60;
const CONNECTIONS = 16;
/** Target: computing a diagnosis costs at most this many times the bare route's CPU per request. */
const UNCACHED_CPU_TARGET = 2.5;

type Run = Awaited<ReturnType<typeof load>>;

/** Each connection sends the bodies in turn, over and over. */
const loadOptions = (url: string, bodies: readonly string[]) => ({ url, method: 'POST' as const, headers: { 'content-type': 'application/json' }, requests: bodies.map((body) => ({ body })), connections: CONNECTIONS });

/** The load for `seconds`, with the server's CPU time per answered request measured around it. */
async function load(url: string, pid: number, bodies: readonly string[], seconds: number) {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({ ...loadOptions(url, bodies), duration: seconds });
  const cpuUsed = cpuMs(pid) - cpuBefore;
  return {
    seconds,
    cpuMsPerRequest: round(cpuUsed / Math.max(1, result.requests.total)),
    requestsPerSecond: Math.round(result.requests.average),
    latencyMsP50: result.latency.p50,
    latencyMsP99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/** Every scenario's facts and every example's, as `POST /v1/diagnose` bodies. */
function diagnoseBodies(): string[] {
  const examples = exampleDocuments().map((document) => document.facts);
  return [...loadScenarios(shippedScenariosDir).map((s) => s.facts), ...examples].map((facts) => JSON.stringify({ facts }));
}

/** rca's answer to each body, as the API sends it (in English). */
async function answersTo(bodies: readonly string[]): Promise<string[]> {
  const kb = loadKnowledgeBase([defaultKbDir]);
  const answers: string[] = [];
  for (const body of bodies) answers.push(JSON.stringify(await diagnose(kb, parseDiagnoseRequest(JSON.parse(body), { vocabulary: kb.vocabulary, allowBareFacts: false }).facts)));
  return answers;
}

/** WARMUP_PASSES passes of the load, stopped after WARMUP_CAP_SECONDS. */
function warmUp(url: string, bodies: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...loadOptions(url, bodies), amount: WARMUP_PASSES * bodies.length }, (error) => {
      clearTimeout(cap);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    });
    const cap = setTimeout(() => instance.stop(), WARMUP_CAP_SECONDS * 1000);
  });
}

/** A server started and warmed up with the load it is measured with. */
/** A server the bench started: stopping it waits for its exit (again, once it has exited, at once). */
type Stoppable = { stop(): Promise<void> };

/** Starts and warms up a server, listed in `started` as soon as it runs, so a failure later still stops it. */
async function startServer(started: Stoppable[], args: string[], path: string, bodies: readonly string[]) {
  const server = await start(args);
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  const stop = () => {
    server.child.kill('SIGTERM');
    return exited;
  };
  started.push({ stop });
  const url = `${server.base}${path}`;
  const pid = server.child.pid as number;
  const atStart = rssMb(pid);
  await warmUp(url, bodies);
  return { url, pid, atStart, stop };
}

/**
 * `rca serve` with its own new case directory: the case database is opened (here made) at start,
 * and locked, so the user's (or another server's) would make the bench fail. The server's RSS
 * includes the open embedded store (PGlite), as every rca serve's does.
 */
const rcaArgs = (dataDir: string, flags: string[]) => [join(packageRoot, 'bin', 'rca.cjs'), 'serve', '--port', '0', '--rate-limit', '0', '--log-level', 'warn', '--data-dir', dataDir, ...flags];
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
/** The run of median CPU per request. */
const medianRun = (runs: readonly Run[]) => runs.find((run) => run.cpuMsPerRequest === median(runs.map((r) => r.cpuMsPerRequest))) as Run;
const rssAround = (atStart: number, before: number, after: number) => ({ atStart: round(atStart, 1), beforeLoad: round(before, 1), afterLoad: round(after, 1), growthPct: round(((after - before) / before) * 100, 1) });

async function main() {
  const bodies = diagnoseBodies();
  const answers = await answersTo(bodies);
  const scratch = mkdtempSync(join(tmpdir(), 'rca-bench-api-'));
  const answer = answerOfMeanSize(answers);
  const answerFile = join(scratch, 'answer.json');
  writeFileSync(answerFile, answer);

  const started: Stoppable[] = [];
  const bareRuns: Run[] = [];
  const uncachedRuns: Run[] = [];
  let uncachedRss: ReturnType<typeof rssAround>;
  let cachedRun: Run;
  let cachedRss: ReturnType<typeof rssAround>;
  try {
    const bare = await startServer(started, [join(packageRoot, 'dist', 'bench', 'bare-server.js'), answerFile], BARE_PATH, bodies);
    const uncachedRca = await startServer(started, rcaArgs(join(scratch, 'uncached-cases'), ['--cache-size', '0']), '/v1/diagnose', bodies);
    const uncachedBefore = rssMb(uncachedRca.pid);
    for (let i = 0; i < ROUNDS; i++) {
      bareRuns.push(await load(bare.url, bare.pid, bodies, ROUND_SECONDS));
      uncachedRuns.push(await load(uncachedRca.url, uncachedRca.pid, bodies, ROUND_SECONDS));
    }
    uncachedRss = rssAround(uncachedRca.atStart, uncachedBefore, rssMb(uncachedRca.pid));
    await uncachedRca.stop();

    const cachedRca = await startServer(started, rcaArgs(join(scratch, 'cached-cases'), []), '/v1/diagnose', bodies);
    const cachedBefore = rssMb(cachedRca.pid);
    cachedRun = await load(cachedRca.url, cachedRca.pid, bodies, LOAD_SECONDS);
    cachedRss = rssAround(cachedRca.atStart, cachedBefore, rssMb(cachedRca.pid));
  } finally {
    // Every server stopped and the scratch directory gone, whether the bench got through or not.
    await Promise.all(started.map((server) => server.stop()));
    rmSync(scratch, { recursive: true, force: true });
  }
  const bareMedian = medianRun(bareRuns);

  const roundRatios = uncachedRuns.map((run, i) => round(run.cpuMsPerRequest / (bareRuns[i] as Run).cpuMsPerRequest, 2));
  const diagnoseUncached = { ...medianRun(uncachedRuns), rssMb: uncachedRss, rounds: uncachedRuns.map((run) => run.cpuMsPerRequest), cpuRatioToBare: median(roundRatios), roundRatios, ratioToBare: round(median(uncachedRuns.map((run) => run.requestsPerSecond)) / bareMedian.requestsPerSecond, 3) };
  const diagnoseCached = { ...cachedRun, rssMb: cachedRss, cpuRatioToBare: round(cachedRun.cpuMsPerRequest / bareMedian.cpuMsPerRequest, 2), ratioToBare: round(cachedRun.requestsPerSecond / bareMedian.requestsPerSecond, 3) };

  process.stdout.write(
    `${JSON.stringify(
      {
        connections: CONNECTIONS,
        distinctBodies: bodies.length,
        answerBytesMean: Math.round(answers.reduce((sum, one) => sum + Buffer.byteLength(one), 0) / answers.length),
        bareAnswerBytes: Buffer.byteLength(answer),
        note: `each server is warmed up with ${WARMUP_PASSES} passes over the bodies (at most ${WARMUP_CAP_SECONDS} s); the bare route and rca with --cache-size 0 (diagnoseUncached, computing every request) are then loaded in turn, ${ROUNDS} rounds of ${ROUND_SECONDS} s each; cpuRatioToBare is the median of the rounds' ratios (roundRatios), the figures shown the median round's; diagnose uses the default response cache for ${LOAD_SECONDS} s (each distinct body is computed once, in the warm-up, then served from the cache), against the bare route's median round; the bare route parses the same bodies and answers each with rca's answer of the mean size (bareAnswerBytes, against rca's answerBytesMean); cpuMsPerRequest is the server's CPU time (user + system) over the requests answered; ratioToBare is throughput`,
        bareRoute: { ...bareMedian, rounds: bareRuns.map((run) => run.cpuMsPerRequest) },
        diagnoseUncached,
        diagnose: diagnoseCached,
        targets: {
          diagnoseUncachedCpuAtMost2_5xBare: diagnoseUncached.cpuRatioToBare <= UNCACHED_CPU_TARGET,
          rssGrowthUnder20Pct: uncachedRss.growthPct < 20 && cachedRss.growthPct < 20,
          noErrors: [...bareRuns, ...uncachedRuns, cachedRun].every((run) => run.errors === 0),
        },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
