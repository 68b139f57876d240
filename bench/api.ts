/**
 * `npm run bench:api`: starts a bare fastify route and the real `rca serve` on 127.0.0.1,
 * drives them with autocannon, and prints one JSON object. The diagnose load cycles
 * through distinct realistic bodies (every scenario's facts and every example), so
 * consecutive requests differ. rca runs twice: as configured by default (the response
 * cache on, so each distinct body is computed once and then served from the cache) and
 * with `--cache-size 0`, where every request is computed. Both report their throughput
 * against the bare route, latency, errors, and the server's RSS around the load. The bare
 * route is measured before and after rca, and rca compared with the faster of the two: on a
 * shared machine a busy neighbour during one baseline would flatter rca.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { packageRoot } from '../src/core/paths.js';
import { loadScenarios } from '../src/core/scenarios.js';
import { shippedScenariosDir } from '../src/cli/kb-option.js';

const LOAD_SECONDS = Number(process.env.RCA_BENCH_SECONDS ?? 60);
const BASELINE_SECONDS = Math.min(10, LOAD_SECONDS);
/** Computing every request is steady after a few seconds; a shorter run keeps the bench short. */
const UNCACHED_SECONDS = Math.min(20, LOAD_SECONDS);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 16;

function start(args: string[]): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, args, { cwd: packageRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const base = / on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
      if (base) resolve({ child, base });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

const round1 = (x: number) => Number(x.toFixed(1));

/** Each connection sends the bodies in turn, over and over. */
async function load(url: string, bodies: readonly string[], seconds: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: bodies.map((body) => ({ body })),
    connections: CONNECTIONS,
    duration: seconds,
  });
  return {
    seconds,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMsP50: result.latency.p50,
    latencyMsP99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/** Every scenario's facts and every example's, as `POST /v1/diagnose` bodies. */
function diagnoseBodies(): string[] {
  const examplesDir = join(packageRoot, 'examples');
  const examples = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => (JSON.parse(readFileSync(join(examplesDir, f), 'utf8')) as { facts: unknown }).facts);
  return [...loadScenarios(shippedScenariosDir).map((s) => s.facts), ...examples].map((facts) => JSON.stringify({ facts }));
}

/** Loads `rca serve` started with these extra flags, and measures its RSS around the load. */
async function loadRca(flags: string[], bodies: readonly string[], seconds: number) {
  const rca = await start([join(packageRoot, 'bin', 'rca.js'), 'serve', '--port', '0', '--rate-limit', '0', '--log-level', 'warn', ...flags]);
  const url = `${rca.base}/v1/diagnose`;
  const atStart = rssMb(rca.child.pid as number);
  await load(url, bodies, WARMUP_SECONDS);
  const before = rssMb(rca.child.pid as number);
  const measured = await load(url, bodies, seconds);
  const after = rssMb(rca.child.pid as number);
  rca.child.kill('SIGTERM');
  const growth = (after - before) / before;
  return { ...measured, rssMb: { atStart: round1(atStart), beforeLoad: round1(before), afterLoad: round1(after), growthPct: round1(growth * 100) }, growth };
}

async function loadBare(bodies: readonly string[]) {
  const bare = await start([join(packageRoot, 'dist', 'bench', 'bare-server.js')]);
  await load(`${bare.base}/bare`, bodies, WARMUP_SECONDS);
  const measured = await load(`${bare.base}/bare`, bodies, BASELINE_SECONDS);
  bare.child.kill('SIGTERM');
  return measured;
}

async function main() {
  const bodies = diagnoseBodies();

  const bareBefore = await loadBare(bodies);
  const { growth: cachedGrowth, ...cached } = await loadRca([], bodies, LOAD_SECONDS);
  const { growth: uncachedGrowth, ...uncached } = await loadRca(['--cache-size', '0'], bodies, UNCACHED_SECONDS);
  const bareAfter = await loadBare(bodies);
  const bare = Math.max(bareBefore.requestsPerSecond, bareAfter.requestsPerSecond);
  const withRatio = <T extends { requestsPerSecond: number }>(run: T) => ({ ...run, ratioToBare: Number((run.requestsPerSecond / bare).toFixed(3)) });
  const [diagnose, diagnoseUncached] = [withRatio(cached), withRatio(uncached)];

  process.stdout.write(
    `${JSON.stringify(
      {
        connections: CONNECTIONS,
        distinctBodies: bodies.length,
        note: `each run is preceded by ${WARMUP_SECONDS} s of the same load; diagnose uses the default response cache (each distinct body is computed once, in the warm-up, then served from the cache); diagnoseUncached runs with --cache-size 0 for ${UNCACHED_SECONDS} s, computing every request; ratioToBare is against the faster of the bare route's runs before and after rca`,
        bareRoute: { requestsPerSecond: bare, before: bareBefore, after: bareAfter },
        diagnose,
        diagnoseUncached,
        targets: {
          diagnoseAtLeast40PctOfBare: diagnose.ratioToBare >= 0.4,
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
