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

// A search API slow for every client, nothing else known. top's output carries the host's busy,
// iowait and steal shares beside the busiest process's CPU, name and pid and the load per CPU;
// ps's, which names the busiest process's parent (its role), is a table rca does not read.
const FACTS = {
  'target.host': 'search.example.com',
  'target.port': 443,
  'target.url': 'https://search.example.com/api/search?q=lamp',
  'target.protocol': 'https',
  'symptom.kind': 'slow',
  'symptom.scope': 'all_clients',
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
    // top's output carries the host's busy share and the busiest process at once.
    expect(api.json().question.fact).toBe('host.cpu_pct');
    expect(api.json().question.how).toBe("top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 '^top - '; echo \"# nproc: $(nproc)\"");
    // Without the parsers' registry, the core values each question by its own fact: the busiest process's role first.
    expect((await nextQuestion(loadKnowledgeBase([defaultKbDir]), { facts: FACTS, unknown: [] })).question?.fact).toBe('proc.top_role');
  });
});
