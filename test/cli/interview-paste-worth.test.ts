import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { nextQuestion } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { testServer } from '../server/helpers.js';
import { runCli } from './run.js';

// test/scenarios/dns/ndots-search-amplification.yaml's facts, as an engineer brings them: slow, in
// Kubernetes, DNS fine, and two CPU panels read off a dashboard. `mpstat`'s output carries the
// host's busy, iowait and steal shares; ps gives the top process's role alone.
const FACTS = {
  'target.host': 'api.payments.example',
  'target.port': 443,
  'target.protocol': 'https',
  'symptom.kind': 'slow',
  'symptom.scope': 'all_clients',
  'symptom.intermittent': true,
  'path.k8s': true,
  'dns.result': 'ok',
  'dns.resolve_ms': 12,
  'dns.search_expansion': true,
  'dns.answer_mismatch': false,
  'http.status': 200,
  'http.latency_ms': 420,
  'ping.result': 'ok',
  'tcp.retransmit_pct': 0.2,
  'tcp.connect': 'ok',
  'kernel.conntrack_insert_failed': false,
  // A node dashboard's panels: the kernel's share of the CPU and the busiest CPU's softirq share,
  // and the pod's CPU throttling (none), whose question a slow pod is asked first otherwise.
  'host.cpu_sys_pct': 4,
  'host.cpu_softirq_pct': 3,
  'cgroup.cpu_throttled_pct': 0,
};

describe('the CLI interview and POST /v1/interview/next weigh a paste the same', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer({ kb: new KbHolder([defaultKbDir]) });
  });
  afterAll(() => app.close());

  it('both ask first for the command whose output carries the most, where the core alone asks for another', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rca-paste-worth-')), 'facts.json');
    writeFileSync(file, JSON.stringify({ facts: FACTS }));
    const cli = await runCli(['interview', '--facts', file, '-f', 'json'], { input: 'done\n' });
    expect(cli.code).toBe(0);
    expect([...cli.stderr.matchAll(/^Q\d+ \[([a-z_.]+)\]/gm)].map((m) => m[1])).toEqual(['host.cpu_pct']);
    const api = await app.inject({ method: 'POST', url: '/v1/interview/next', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ facts: FACTS }) });
    expect(api.statusCode).toBe(200);
    // mpstat's output carries the host's busy, iowait and steal shares at once.
    expect(api.json().question.fact).toBe('host.cpu_pct');
    expect(api.json().question.how).toBe('mpstat 1 5');
    // Without the parsers' registry, the core values each question by its own fact: ps's role first.
    expect((await nextQuestion(loadKnowledgeBase([defaultKbDir]), { facts: FACTS, unknown: [] })).question?.fact).toBe('proc.top_role');
  });
});
