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

// test/scenarios/app/app-slow-ttfb-clean-network.yaml's ticket: a search API behind a load
// balancer slow for every client all the time, answering 200, nothing changed. mpstat's output carries the host's busy, iowait and steal
// shares; top's, the busiest process's CPU, name and pid beside the host's busy share and load.
const FACTS = {
  'target.host': 'search.example.com',
  'target.port': 443,
  'target.url': 'https://search.example.com/api/search?q=lamp',
  'target.protocol': 'https',
  'symptom.kind': 'slow',
  'symptom.scope': 'all_clients',
  'symptom.intermittent': false,
  'symptom.recent_change': false,
  'path.via_lb': true,
  'http.status': 200,
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
    expect([...cli.stderr.matchAll(/^Q\d+ \[([a-z_.]+)\]/gm)].map((m) => m[1])).toEqual(['proc.top_cpu_pct']);
    const api = await app.inject({ method: 'POST', url: '/v1/interview/next', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ facts: FACTS }) });
    expect(api.statusCode).toBe(200);
    // top's output carries the busiest process and the host's busy share at once.
    expect(api.json().question.fact).toBe('proc.top_cpu_pct');
    expect(api.json().question.how).toBe("top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 '^top - '; echo \"# nproc: $(nproc)\"");
    // Without the parsers' registry, the core values each question by its own fact: mpstat's host share first.
    expect((await nextQuestion(loadKnowledgeBase([defaultKbDir]), { facts: FACTS, unknown: [] })).question?.fact).toBe('host.cpu_pct');
  });
});
