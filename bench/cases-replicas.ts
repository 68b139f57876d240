/**
 * `npm run bench:cases`: case throughput of `rca serve` on PostgreSQL with one replica and
 * with two. A throwaway PostgreSQL cluster (as the tests start one) on 127.0.0.1; each run
 * gets a fresh database, starts the replicas with --database-url, and drives them with
 * autocannon at a fixed total concurrency, the connections split evenly between the replicas.
 * One cycle is a ticket's life: POST /v1/cases (a new ticket, one of the examples' facts),
 * then PUT its outcome (rca's first cause, confirmed), so the resolved cases grow as they would
 * and each create also looks up similar cases among them. Prints one JSON object: cycles per
 * second for each run, their ratio, and the replicas' CPU time per cycle (from /proc). On a
 * machine of few cores, where PostgreSQL and the load generator share the cores with the
 * replicas, the ratio says what the cores allow; CPU per cycle says whether a second replica
 * costs more work per cycle.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { packageRoot } from '../src/core/paths.js';
import { exampleDocuments } from './examples.js';
import { startPostgres, type PostgresCluster } from './postgres-cluster.js';
import { cpuMs, processTreeCpuMs, start } from './server-process.js';
import { benchSeconds, round } from './timing.js';

const LOAD_SECONDS = benchSeconds(process.env.RCA_BENCH_SECONDS, 15);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 8;
/** The target: two replicas serve at least this many times the cycles of one. */
const REPLICA_TARGET = 1.6;


/** The examples' facts, as case bodies take them. */
interface Cycle {
  id?: string;
  cause?: string;
}

/** `connections` connections cycling create then outcome against one replica for `seconds`; the cycles completed. */
async function drive(base: string, label: string, connections: number, seconds: number, facts: readonly unknown[]) {
  let tickets = 0;
  let cycles = 0;
  const json = { 'content-type': 'application/json' };
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/cases',
        headers: json,
        setupRequest: (request) => {
          const n = tickets++;
          return { ...request, body: JSON.stringify({ source: 'bench', externalId: `${label}-${n}`, facts: facts[n % facts.length] }) };
        },
        onResponse: (status, body, context: Cycle) => {
          if (status !== 201) return;
          const created = JSON.parse(body) as { id: string; diagnoses: Array<{ diagnosis: { hypotheses: Array<{ id: string }> } }> };
          context.id = created.id;
          context.cause = created.diagnoses[0]?.diagnosis.hypotheses[0]?.id ?? 'other';
        },
      },
      {
        method: 'PUT',
        headers: json,
        setupRequest: (request, context: Cycle) => ({
          ...request,
          path: `/v1/cases/${context.id ?? 'none'}/outcome`,
          body: JSON.stringify({ cause: context.cause, confirmedBy: 'bench', ...(context.cause === 'other' && { text: 'none of the causes rca knows' }) }),
        }),
        onResponse: (status) => {
          if (status === 200) cycles++;
        },
      },
    ],
  });
  return { cycles, errors: result.errors + result.timeouts + result.non2xx };
}

/** `replicas` servers on a fresh database, warmed up, then loaded at CONNECTIONS in all. */
async function run(cluster: PostgresCluster, replicas: number, facts: readonly unknown[]) {
  const url = await cluster.createDatabase();
  const servers = [];
  // One after another: the first migrates the new database, and the others find it done.
  for (let i = 0; i < replicas; i++) {
    servers.push(await start([join(packageRoot, 'bin', 'rca.cjs'), 'serve', '--host', '127.0.0.1', '--port', '0', '--rate-limit', '0', '--log-level', 'warn', '--database-url', url]));
  }
  try {
    const each = CONNECTIONS / replicas;
    await Promise.all(servers.map((s, i) => drive(s.base, `warm-${replicas}-${i}`, each, WARMUP_SECONDS, facts)));
    const cpuBefore = servers.map((s) => cpuMs(s.child.pid as number));
    const postgresBefore = processTreeCpuMs(cluster.pid());
    const generatorBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const loads = await Promise.all(servers.map((s, i) => drive(s.base, `load-${replicas}-${i}`, each, LOAD_SECONDS, facts)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuUsed = servers.reduce((sum, s, i) => sum + cpuMs(s.child.pid as number) - (cpuBefore[i] as number), 0);
    const postgresUsed = processTreeCpuMs(cluster.pid()) - postgresBefore;
    const generator = process.cpuUsage(generatorBefore);
    const cycles = loads.reduce((sum, l) => sum + l.cycles, 0);
    return {
      replicas,
      seconds: round(seconds, 2),
      cycles,
      cyclesPerSecond: round(cycles / seconds, 2),
      // Where the cores went, per cycle: the replicas, PostgreSQL, and this process (autocannon).
      cpuMsPerCycle: { replicas: round(cpuUsed / Math.max(1, cycles), 2), postgres: round(postgresUsed / Math.max(1, cycles), 2), loadGenerator: round((generator.user + generator.system) / 1e3 / Math.max(1, cycles), 2) },
      errors: loads.reduce((sum, l) => sum + l.errors, 0),
    };
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
  }
}

async function main() {
  const facts = exampleDocuments().map((document) => document.facts);
  const cluster = await startPostgres();
  try {
    const one = await run(cluster, 1, facts);
    const two = await run(cluster, 2, facts);
    const ratio = round(two.cyclesPerSecond / one.cyclesPerSecond, 2);
    process.stdout.write(
      `${JSON.stringify(
        {
          machine: { cpus: cpus().length },
          connections: CONNECTIONS,
          note: `a cycle is POST /v1/cases then PUT its outcome; ${WARMUP_SECONDS} s of warm-up before ${LOAD_SECONDS} s of load; PostgreSQL and autocannon run on the same machine as the replicas`,
          one,
          two,
          throughputRatio: ratio,
          targets: { twoReplicasAtLeast1_6xOne: ratio >= REPLICA_TARGET, noErrors: one.errors === 0 && two.errors === 0 },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await cluster.stop();
  }
}

await main();
