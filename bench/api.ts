/**
 * `npm run bench:api`: starts the real `rca serve` and a bare fastify route on 127.0.0.1,
 * drives both with autocannon, and prints one JSON object: diagnoses per second against
 * the bare route, latency, errors, and the server's RSS before and after a sustained load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { packageRoot } from '../src/core/paths.js';

const LOAD_SECONDS = Number(process.env.RCA_BENCH_SECONDS ?? 60);
const BASELINE_SECONDS = Math.min(10, LOAD_SECONDS);
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

async function load(url: string, body: string, seconds: number) {
  const result = await autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: CONNECTIONS, duration: seconds });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMsP50: result.latency.p50,
    latencyMsP99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

async function main() {
  const example = readFileSync(join(packageRoot, 'examples', '01-apm-agent-cpu.json'), 'utf8');
  const body = JSON.stringify({ facts: (JSON.parse(example) as { facts: unknown }).facts });

  const bare = await start([join(packageRoot, 'dist', 'bench', 'bare-server.js')]);
  await load(`${bare.base}/bare`, body, 2);
  const baseline = await load(`${bare.base}/bare`, body, BASELINE_SECONDS);
  bare.child.kill('SIGTERM');

  const rca = await start([join(packageRoot, 'bin', 'rca.js'), 'serve', '--port', '0', '--rate-limit', '0', '--log-level', 'warn']);
  await load(`${rca.base}/v1/diagnose`, body, 2);
  const rssBefore = rssMb(rca.child.pid as number);
  const diagnose = await load(`${rca.base}/v1/diagnose`, body, LOAD_SECONDS);
  const rssAfter = rssMb(rca.child.pid as number);
  rca.child.kill('SIGTERM');

  const ratio = diagnose.requestsPerSecond / baseline.requestsPerSecond;
  const growth = (rssAfter - rssBefore) / rssBefore;
  process.stdout.write(
    `${JSON.stringify(
      {
        connections: CONNECTIONS,
        bareRoute: { seconds: BASELINE_SECONDS, ...baseline },
        diagnose: { seconds: LOAD_SECONDS, ...diagnose },
        throughputRatio: Number(ratio.toFixed(3)),
        rssMb: { before: Number(rssBefore.toFixed(1)), after: Number(rssAfter.toFixed(1)), growthPct: Number((growth * 100).toFixed(1)) },
        targets: { diagnoseAtLeast40PctOfBare: ratio >= 0.4, rssGrowthUnder20Pct: growth < 0.2, noErrors: diagnose.errors === 0 && baseline.errors === 0 },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
