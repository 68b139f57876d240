/**
 * `npm run bench:api`: starts a bare fastify route and the real `rca serve` on 127.0.0.1,
 * drives them with autocannon, and prints one JSON object. The diagnose load cycles
 * through distinct realistic bodies (every scenario's facts and every example), so
 * consecutive requests differ. The bare route parses the same bodies and answers with a
 * real diagnosis of the median size, so both send as many bytes.
 *
 * The target is on the server's CPU time per request (user + system, read from /proc
 * around the load, divided by the requests answered): on a shared machine throughput
 * counts the neighbours and the load generator too, CPU time per request much less.
 * rca runs twice: with `--cache-size 0`, where every request is computed (the target),
 * and as configured by default (the response cache on, so each distinct body is computed
 * once and then served from the cache), shown beside it. Each run also reports its
 * throughput against the bare route, latency, errors, and the server's RSS around the
 * load. The bare route is measured before and after rca, and rca compared with the better
 * of the two: a busy neighbour during one baseline would flatter rca.
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
import { exampleDocuments } from './examples.js';
import { cpuMs, rssMb, start } from './server-process.js';
import { round } from './timing.js';

const LOAD_SECONDS = Number(process.env.RCA_BENCH_SECONDS ?? 60);
const BASELINE_SECONDS = Math.min(10, LOAD_SECONDS);
/** Computing every request is steady after a few seconds; a shorter run keeps the bench short. */
const UNCACHED_SECONDS = Math.min(20, LOAD_SECONDS);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 16;
/** Target: computing a diagnosis costs at most this many times the bare route's CPU per request. */
const UNCACHED_CPU_TARGET = 2.5;

/** Each connection sends the bodies in turn, over and over; the server's CPU time per answered request is measured around it. */
async function load(url: string, pid: number, bodies: readonly string[], seconds: number) {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: bodies.map((body) => ({ body })),
    connections: CONNECTIONS,
    duration: seconds,
  });
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

/** rca's answer to the bodies of median size (as the API sends it, in English), for the bare route to send. */
async function medianAnswer(bodies: readonly string[]): Promise<string> {
  const kb = loadKnowledgeBase([defaultKbDir]);
  const answers: string[] = [];
  for (const body of bodies) answers.push(JSON.stringify(await diagnose(kb, parseDiagnoseRequest(JSON.parse(body), { vocabulary: kb.vocabulary, allowBareFacts: false }).facts)));
  answers.sort((a, b) => a.length - b.length);
  return answers[Math.floor(answers.length / 2)] as string;
}

/** Loads `rca serve` started with these extra flags, and measures its RSS around the load. */
async function loadRca(flags: string[], bodies: readonly string[], seconds: number) {
  const rca = await start([join(packageRoot, 'bin', 'rca.cjs'), 'serve', '--port', '0', '--rate-limit', '0', '--log-level', 'warn', ...flags]);
  const url = `${rca.base}/v1/diagnose`;
  const pid = rca.child.pid as number;
  const atStart = rssMb(pid);
  await load(url, pid, bodies, WARMUP_SECONDS);
  const before = rssMb(pid);
  const measured = await load(url, pid, bodies, seconds);
  const after = rssMb(pid);
  rca.child.kill('SIGTERM');
  const growth = (after - before) / before;
  return { ...measured, rssMb: { atStart: round(atStart, 1), beforeLoad: round(before, 1), afterLoad: round(after, 1), growthPct: round(growth * 100, 1) }, growth };
}

async function loadBare(bodies: readonly string[], answerFile: string) {
  const bare = await start([join(packageRoot, 'dist', 'bench', 'bare-server.js'), answerFile]);
  const pid = bare.child.pid as number;
  await load(`${bare.base}/bare`, pid, bodies, WARMUP_SECONDS);
  const measured = await load(`${bare.base}/bare`, pid, bodies, BASELINE_SECONDS);
  bare.child.kill('SIGTERM');
  return measured;
}

async function main() {
  const bodies = diagnoseBodies();
  const answer = await medianAnswer(bodies);
  const scratch = mkdtempSync(join(tmpdir(), 'rca-bench-api-'));
  const answerFile = join(scratch, 'answer.json');
  writeFileSync(answerFile, answer);

  const bareBefore = await loadBare(bodies, answerFile);
  const { growth: uncachedGrowth, ...uncached } = await loadRca(['--cache-size', '0'], bodies, UNCACHED_SECONDS);
  const { growth: cachedGrowth, ...cached } = await loadRca([], bodies, LOAD_SECONDS);
  const bareAfter = await loadBare(bodies, answerFile);
  rmSync(scratch, { recursive: true });
  const bareCpu = Math.min(bareBefore.cpuMsPerRequest, bareAfter.cpuMsPerRequest);
  const bareRate = Math.max(bareBefore.requestsPerSecond, bareAfter.requestsPerSecond);
  const withRatios = <T extends { cpuMsPerRequest: number; requestsPerSecond: number }>(run: T) => ({
    ...run,
    cpuRatioToBare: Number((run.cpuMsPerRequest / bareCpu).toFixed(2)),
    ratioToBare: Number((run.requestsPerSecond / bareRate).toFixed(3)),
  });
  const [diagnoseUncached, diagnose] = [withRatios(uncached), withRatios(cached)];

  process.stdout.write(
    `${JSON.stringify(
      {
        connections: CONNECTIONS,
        distinctBodies: bodies.length,
        answerBytes: Buffer.byteLength(answer),
        note: `each run is preceded by ${WARMUP_SECONDS} s of the same load; diagnoseUncached runs with --cache-size 0 for ${UNCACHED_SECONDS} s, computing every request; diagnose uses the default response cache (each distinct body is computed once, in the warm-up, then served from the cache); the bare route parses the same bodies and answers with a diagnosis of the median size (answerBytes); cpuMsPerRequest is the server's CPU time (user + system) over the requests answered; cpuRatioToBare is against the lower of the bare route's runs before and after rca, ratioToBare (throughput) against the faster`,
        bareRoute: { cpuMsPerRequest: bareCpu, requestsPerSecond: bareRate, before: bareBefore, after: bareAfter },
        diagnoseUncached,
        diagnose,
        targets: {
          diagnoseUncachedCpuAtMost2_5xBare: diagnoseUncached.cpuRatioToBare <= UNCACHED_CPU_TARGET,
          rssGrowthUnder20Pct: cachedGrowth < 0.2 && uncachedGrowth < 0.2,
          noErrors: [bareBefore, bareAfter, diagnose, diagnoseUncached].every((run) => run.errors === 0),
        },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
