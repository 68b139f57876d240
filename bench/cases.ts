/**
 * The case store in `npm run bench`, on each store (embedded PGlite, and a throwaway
 * PostgreSQL cluster as the tests start one): creating and diagnosing a case through the API
 * in-process against a plain POST /v1/diagnose (no response cache), and the similar-case
 * lookup among SIMILAR_BENCH_CASES resolved cases shaped like the real-incident corpus.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArtifact } from '../src/collect/parsers/index.js';
import { ResolvedIndexes } from '../src/cases/resolved-index.js';
import { CaseService } from '../src/cases/service.js';
import { SimilarCases, type ResolvedCase } from '../src/cases/similar.js';
import { defaultKbDir } from '../src/core/paths.js';
import type { FactMap } from '../src/core/vocabulary.js';
import { percentile } from '../src/kbtools/interview-eval.js';
import { buildServer, DEFAULT_BODY_LIMIT } from '../src/server/app.js';
import { KbHolder } from '../src/server/kb-holder.js';
import type { Database } from '../src/store/database.js';
import { openStore, type StoreSettings } from '../src/store/open.js';
import { seededRandom } from './generated-kb.js';
import { startPostgres } from './postgres-cluster.js';
import { round, sampleEach, timeEach, type Samples } from './timing.js';

const append = (to: Samples, from: Samples) => {
  to.wallMs.push(...from.wallMs);
  to.cpuMs.push(...from.cpuMs);
};

/** The target: a lookup among this many stored (here: resolved) cases. */
export const SIMILAR_BENCH_CASES = 100_000;
const INSERT_CHUNK = 10_000;
const CREATE_RUNS = 200;
const LOOKUP_ROUNDS = 3;


/** The corpus read as resolved cases and as tickets (corpusCases in src/kbtools/similar-eval.ts). */
export interface Corpus {
  resolved: readonly ResolvedCase[];
  tickets: ReadonlyArray<{ features: readonly string[] }>;
}

/**
 * Resolved cases like the corpus's: each one of its incidents (cause and features, everything
 * found) with some features dropped and one borrowed from another incident, so that features
 * recur as they do among real tickets and the postings are long.
 */
export function generatedResolvedCases(corpus: Corpus, count: number): ResolvedCase[] {
  const random = seededRandom(16);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const base = pick(corpus.resolved);
    const kept = base.features.filter(() => random() < 0.85);
    const features = [...new Set([...kept, pick(pick(corpus.resolved).features)])].sort();
    return { id: `pool-${String(i).padStart(6, '0')}`, cause: base.cause, features };
  });
}

/** Bulk insert, INSERT_CHUNK rows a statement: resolved cases of tenant `default`, as resolving them would stamp them. */
async function insertResolved(db: Database, cases: readonly ResolvedCase[]): Promise<void> {
  for (let start = 0; start < cases.length; start += INSERT_CHUNK) {
    const chunk = cases.slice(start, start + INSERT_CHUNK);
    await db.query(
      `INSERT INTO cases (id, tenant, source, external_id, facts, artifacts, status, confirmed_cause, outcome, features, revision, created_at, updated_at, similar_xid, create_hash)
       SELECT id, 'default', 'bench-pool', id, '{}'::jsonb, '[]'::jsonb, 'resolved', cause, json_build_object('cause', cause, 'confirmedBy', 'bench', 'confirmedAt', now())::jsonb, features::jsonb, 1, now(), now(), pg_current_xact_id(), sha256(convert_to(jsonb_build_array(NULL::text, '{}'::jsonb, '[]'::jsonb)::text, 'UTF8'))
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, cause, features)`,
      [chunk.map((c) => c.id), chunk.map((c) => c.cause), chunk.map((c) => JSON.stringify(c.features))],
    );
  }
}

/** One store: create + diagnose against diagnose, then the lookup among the generated resolved cases. */
async function storeReport(store: string, settings: StoreSettings, kbDir: string, bodies: readonly FactMap[], corpus: Corpus, pool: readonly ResolvedCase[]) {
  const { db } = await openStore(settings);
  const service = new CaseService(db, parseArtifact);
  const app = await buildServer({ kb: new KbHolder([kbDir]), tokens: [], bodyLimit: DEFAULT_BODY_LIMIT, rateLimitPerMinute: 0, responseCache: { entries: 0, bytes: 0 }, logger: false, version: 'bench', cases: async () => service });
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  try {
    // Warm both routes up (the first case also reads the empty index).
    for (let i = 0; i < 20; i++) {
      await post('/v1/diagnose', { facts: bodies[i % bodies.length] });
      await post('/v1/cases', { source: 'warm-up', externalId: `W-${i}`, facts: bodies[i % bodies.length] });
    }
    // Diagnose and create in turn, so that a busy neighbour weighs on both alike.
    const diagnose: Samples = { wallMs: [], cpuMs: [] };
    const create: Samples = { wallMs: [], cpuMs: [] };
    for (let i = 0; i < CREATE_RUNS; i++) {
      append(diagnose, await sampleEach(1, () => post('/v1/diagnose', { facts: bodies[i % bodies.length] })));
      append(create, await sampleEach(1, () => post('/v1/cases', { source: 'bench', externalId: `B-${i}`, facts: bodies[i % bodies.length] })));
    }

    const insertStart = process.hrtime.bigint();
    await insertResolved(db, pool);
    // Written past the service, which would have said so: on the embedded store, the only writer's word is what makes a lookup read again.
    ResolvedIndexes.of(db).changed('default');
    const insertMs = Number(process.hrtime.bigint() - insertStart) / 1e6;
    // The first lookup reads every resolved case into this process's index; the others read only what changed.
    const [loadMs] = await timeEach(1, () => service.similarTo('default', 'ticket-0', corpus.tickets[0]?.features ?? []));
    const lookups = Array.from({ length: LOOKUP_ROUNDS * corpus.tickets.length }, (_, i) => i % corpus.tickets.length);
    const answers = new Map<number, string[]>();
    const lookup = await sampleEach(lookups.length, async (i) => {
      const t = lookups[i] as number;
      const similar = await service.similarTo('default', `ticket-${t}`, corpus.tickets[t]?.features ?? []);
      answers.set(
        t,
        similar.map((s) => `${s.id} ${s.similarity}`),
      );
    });
    // Created cases after the pool: each answer now carries its similar cases among 100,000.
    const createAmongPool = await sampleEach(CREATE_RUNS, (i) => post('/v1/cases', { source: 'bench-after', externalId: `A-${i}`, facts: bodies[i % bodies.length] }));

    // The same lookups on an index built in memory from the same pool: the store's index, loaded
    // and caught up from the database, must answer alike (the pruned lookup against scoring every
    // case is test/cases/similar.test.ts's). Each lookup's feature lists scored, as it goes.
    const inMemory = new SimilarCases(pool);
    let disagreements = 0;
    const scored: number[] = [];
    for (const [t, ticket] of corpus.tickets.entries()) {
      const expected = inMemory.nearest(ticket.features, 3).map((n) => `${n.case.id} ${n.similarity}`);
      scored.push(inMemory.lastScored);
      if (JSON.stringify(expected) !== JSON.stringify(answers.get(t))) disagreements++;
    }
    const having = new Map<string, ResolvedCase[]>();
    for (const c of pool)
      for (const f of c.features) {
        const cases = having.get(f) ?? [];
        cases.push(c);
        having.set(f, cases);
      }
    const sharing = corpus.tickets.map((ticket) => new Set(ticket.features.flatMap((f) => having.get(f) ?? [])).size);
    const p50 = (samples: number[]) => round(percentile(samples, 50));
    const ratio = (a: number[], b: number[]) => round(percentile(a, 50) / percentile(b, 50), 2);
    return {
      store,
      clocks: 'wall, and CPU of this process (the server in-process; with PostgreSQL its server is another process, not counted)',
      runs: CREATE_RUNS,
      diagnoseP50Ms: { wall: p50(diagnose.wallMs), cpu: p50(diagnose.cpuMs) },
      createAndDiagnoseP50Ms: { wall: p50(create.wallMs), cpu: p50(create.cpuMs) },
      ratio: { wall: ratio(create.wallMs, diagnose.wallMs), cpu: ratio(create.cpuMs, diagnose.cpuMs) },
      createAmongResolvedP50Ms: { wall: p50(createAmongPool.wallMs), cpu: p50(createAmongPool.cpuMs) },
      ratioAmongResolved: { wall: ratio(createAmongPool.wallMs, diagnose.wallMs), cpu: ratio(createAmongPool.cpuMs, diagnose.cpuMs) },
      resolvedCases: pool.length,
      bulkInsertMs: Math.round(insertMs),
      indexLoadMs: Math.round(loadMs ?? NaN),
      similarLookups: lookup.wallMs.length,
      similarLookupP50Ms: { wall: p50(lookup.wallMs), cpu: p50(lookup.cpuMs) },
      similarLookupP99Ms: { wall: round(percentile(lookup.wallMs, 99)), cpu: round(percentile(lookup.cpuMs, 99)) },
      featureListsScoredP50: percentile(scored, 50),
      casesSharingAFeatureP50: percentile(sharing, 50),
      disagreementsWithInMemoryIndex: disagreements,
    };
  } finally {
    await app.close();
    await db.close();
  }
}

/** Both stores; a store that cannot start (PostgreSQL not installed) is reported, not fatal to the bench. */
export async function casesReport(bodies: readonly FactMap[], corpus: Corpus) {
  const pool = generatedResolvedCases(corpus, SIMILAR_BENCH_CASES);
  const dataDir = mkdtempSync(join(tmpdir(), 'rca-bench-cases-'));
  const stores: Array<Awaited<ReturnType<typeof storeReport>> | { store: string; error: string }> = [];
  try {
    stores.push(await storeReport('embedded (PGlite)', { dataDir }, defaultKbDir, bodies, corpus, pool));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    const cluster = await startPostgres();
    try {
      stores.push(await storeReport('PostgreSQL', { databaseUrl: await cluster.createDatabase() }, defaultKbDir, bodies, corpus, pool));
    } finally {
      await cluster.stop();
    }
  } catch (error) {
    stores.push({ store: 'PostgreSQL', error: error instanceof Error ? error.message : String(error) });
  }
  return stores;
}
