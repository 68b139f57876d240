import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sealKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { buildServer, DEFAULT_BODY_LIMIT } from '../../src/server/app.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { DEFAULT_RESPONSE_CACHE } from '../../src/server/response-cache.js';
import { runCli } from '../cli/run.js';
import { pack } from '../fixtures.js';

/** A company pack that adds a fact of its own, with its question, and a rule that reads it. */
const QUEUE_PACK = {
  facts: {
    'acme.queue_depth': {
      type: 'integer',
      minimum: 0,
      unit: 'messages',
      description: { en: 'messages waiting in the ACME order queue', 'zh-CN': 'ACME 订单队列中积压的消息数' },
    },
  },
  hypotheses: [
    {
      id: 'app.acme_queue_backlog',
      category: 'app',
      title: { en: 'The ACME order queue is backed up', 'zh-CN': 'ACME 订单队列积压' },
      description: 'Consumers fall behind, so every order waits in the queue.',
      checks: [{ command: 'acmectl queue depth {{acme.queue_depth}} {{target.host}}', confirms: 'depth keeps growing', rulesOut: 'depth near zero' }],
    },
  ],
  rules: [
    {
      id: 'app.acme_queue_deep',
      description: { en: 'More than 10,000 orders wait in the ACME queue', 'zh-CN': 'ACME 队列积压超过一万条' },
      conditions: { all: [{ fact: 'acme.queue_depth', operator: 'greaterThan', value: 10000 }] },
      evidence: [{ hypothesis: 'app.acme_queue_backlog', cf: 0.9 }],
      cases: { fires: [{ 'acme.queue_depth': 50000 }], silent: [{ 'acme.queue_depth': 12 }] },
    },
  ],
  questions: [
    {
      fact: 'acme.queue_depth',
      effort: 'low',
      text: { en: 'How many orders wait in the ACME queue?', 'zh-CN': 'ACME 队列里积压了多少订单？' },
      how: 'acmectl queue depth {{target.host}}',
    },
  ],
};
const DEEP_QUEUE = JSON.stringify({ 'acme.queue_depth': 50000, 'symptom.kind': 'slow' });

describe('a pack adds a fact to the vocabulary (issue 12)', () => {
  const company = pack(QUEUE_PACK);

  it('rca diagnose --kb: the fact is accepted, validated by its declared range, and the rule reading it fires', async () => {
    const run = await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', company, '-f', 'json'], { input: DEEP_QUEUE });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { facts: Record<string, unknown>; hypotheses: Array<{ id: string; evidence: Array<{ rule: string }>; checks: Array<{ command: string }> }> };
    expect(result.facts).toEqual({ 'acme.queue_depth': 50000, 'symptom.kind': 'slow' });
    expect(result.hypotheses[0]?.id).toBe('app.acme_queue_backlog');
    expect(result.hypotheses[0]?.evidence.map((e) => e.rule)).toEqual(['app.acme_queue_deep']);
    expect(result.hypotheses[0]?.checks.map((c) => c.command)).toEqual(["acmectl queue depth 50000 '<target.host>'"]);

    const negative = await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', company], { input: '{"acme.queue_depth": -1}' });
    expect(negative.code).toBe(2);
    expect(negative.stderr).toBe('rca: input error: stdin at acme.queue_depth: expected a number >= 0, got number -1\n');
    const fraction = await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', company], { input: '{"acme.queue_depth": 1.5}' });
    expect(fraction.stderr).toBe('rca: input error: stdin at acme.queue_depth: expected integer, got number 1.5\n');
  });

  it('without the pack the same fact is an unknown fact: a usage error naming it', async () => {
    const run = await runCli(['diagnose', '-', '-f', 'json'], { input: DEEP_QUEUE });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('rca: input error: stdin at acme.queue_depth: expected a known fact name (`rca facts` or GET /v1/schema/facts lists them), got unknown fact "acme.queue_depth"\n');
  });

  it('rca facts --kb lists it with its range and unit; rca kb lint points at its declaration; rca kb test runs the pack rule cases on it', async () => {
    const facts = await runCli(['facts', '--kb', defaultKbDir, '--kb', company]);
    expect(facts.code).toBe(0);
    expect(facts.stdout.split('\n').find((line) => line.startsWith('acme.queue_depth'))).toMatch(/^acme\.queue_depth +integer >= 0 \(messages\) {2}messages waiting in the ACME order queue$/);
    expect((await runCli(['facts'])).stdout).not.toContain('acme.queue_depth');
    const json = JSON.parse((await runCli(['facts', '--kb', defaultKbDir, '--kb', company, '-f', 'json'])).stdout) as Array<{ name: string }>;
    expect(json.find((f) => f.name === 'acme.queue_depth')).toEqual({
      name: 'acme.queue_depth',
      type: 'integer',
      minimum: 0,
      unit: 'messages',
      description: { en: 'messages waiting in the ACME order queue', 'zh-CN': 'ACME 订单队列中积压的消息数' },
    });
    // A pack's texts are shown, never sent to the terminal as control sequences (ESC, bidi overrides).
    const hostile = pack({ facts: { 'acme.state': { type: 'string', enum: ['\u202eevil'], description: 'state \u001b[31mRED' } } });
    const shown = await runCli(['facts', '--kb', defaultKbDir, '--kb', hostile]);
    expect(shown.stdout.split('\n').find((line) => line.startsWith('acme.state'))).toMatch(/^acme\.state +\\u202eevil {2}state \\x1b\[31mRED$/);
    const unread = pack({ facts: { 'acme.unread': { type: 'boolean', description: 'never read' } } });
    const linted = await runCli(['kb', 'lint', '--kb', defaultKbDir, '--kb', unread]);
    expect(linted.stdout.split('\n').filter((line) => line.includes('acme.'))).toEqual([
      `${join(unread, 'pack.yaml')}:4:5 at /facts/acme.unread/description  warning  missing-translation  acme.unread: expected texts in en and zh-CN, got a plain string (en only)`,
      `${join(unread, 'pack.yaml')}:2:3 at /facts/acme.unread  warning  unread-fact  acme.unread: no rule or likelihood reads this fact`,
    ]);
    const tested = await runCli(['kb', 'test', '--kb', defaultKbDir, '--kb', company, '-f', 'json']);
    const report = JSON.parse(tested.stdout) as { rules: Array<{ rule: string; truePositives: number; nearMisses: number; failures: string[] }> };
    expect(report.rules.find((r) => r.rule === 'app.acme_queue_deep')).toMatchObject({ truePositives: 1, nearMisses: 1, failures: [] });
  });

  it('rca interview asks the pack question, in the pack language, and takes an answer checked against its range', async () => {
    const kb = ['--kb', join('test', 'fixtures', 'interview-kb'), '--kb', company];
    const run = await runCli(['interview', ...kb, '--lang', 'zh-CN', '--max-questions', '1', '-f', 'json'], { input: '70000\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Q1 [acme.queue_depth] ACME 队列里积压了多少订单？');
    expect(run.stderr).toContain("   $ acmectl queue depth '<target.host>'");
    expect((JSON.parse(run.stdout) as { facts: unknown }).facts).toEqual({ 'acme.queue_depth': 70000 });
    const refused = await runCli(['interview', ...kb, '--max-questions', '1'], { input: '-5\n' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('\nrca: input error: stdin line 1 (answer to Q1): acme.queue_depth: expected a number >= 0, got number -5\n');
  });

  it('a pack redefining a shipped fact with another type or range is an invalid KB (exit 3) naming the fact, the file and the clash', async () => {
    const clash = pack({ facts: { 'http.status': { type: 'string', description: 'the status line' }, 'ping.loss_pct': { type: 'number', minimum: 0, maximum: 200, unit: '%', description: 'loss' }, 'target.host': { type: 'string', maxLength: 255, description: 'host' } } });
    const run = await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', clash], { input: '{}' });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    const file = join(clash, 'pack.yaml');
    expect(run.stderr).toBe(
      `rca: knowledge-base error: ${file}:2:3 at /facts/http.status: fact "http.status" clashes with schemas/facts.schema.json: type string here, integer there; minimum none here, 100 there; maximum none here, 599 there\n` +
        `rca: knowledge-base error: ${file}:5:3 at /facts/ping.loss_pct: fact "ping.loss_pct" clashes with schemas/facts.schema.json: maximum 200 here, 100 there\n` +
        `rca: knowledge-base error: ${file}:11:3 at /facts/target.host: fact "target.host" clashes with schemas/facts.schema.json: pattern none here, one there\n`,
    );
    // A later pack clashing with an earlier pack's fact names where that one was declared.
    const second = pack({ facts: { 'acme.queue_depth': { type: 'number', minimum: 0, unit: 'messages', description: 'depth' } } });
    const layered = await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', company, '--kb', second], { input: '{}' });
    expect(layered.code).toBe(3);
    expect(layered.stderr).toBe(`rca: knowledge-base error: ${join(second, 'pack.yaml')}:2:3 at /facts/acme.queue_depth: fact "acme.queue_depth" clashes with ${join(company, 'pack.yaml')} at /facts/acme.queue_depth: type number here, integer there\n`);
    // The same definition again is no clash: a pack may state the facts it relies on.
    const same = pack({ facts: { 'ping.loss_pct': { type: 'number', minimum: 0, maximum: 100, unit: '%', description: 'packet loss' } } });
    expect((await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', same], { input: '{"ping.loss_pct": 5}' })).code).toBe(0);
  });

  it('a declared free-text fact takes no control characters, as the shipped ones take none', async () => {
    const text = pack({ facts: { 'acme.queue': { type: 'string', description: 'queue name' } } });
    const diagnose = (value: string) => runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', text, '-f', 'json'], { input: JSON.stringify({ 'acme.queue': value }) });
    for (const [value, shown] of [['a\u0000b', '"a\\u0000b"'], ['\u001b[2J', '"\\u001b[2J"']]) {
      const refused = await diagnose(value as string);
      expect([refused.code, refused.stderr], value).toEqual([2, `rca: input error: stdin at acme.queue: expected text without control characters, got string ${shown}\n`]);
    }
    expect((await diagnose('orders-eu')).code).toBe(0);
  });

  it('refuses a declaration whose keywords do not fit its type or whose name is not group.fact, and a rule reading a fact no pack declares', async () => {
    const bad = pack({ facts: { 'acme.mode': { type: 'integer', enum: ['a'], description: 'mode' }, 'acme.name': { type: 'string', minimum: 1, description: 'name' } } });
    const run = await runCli(['kb', 'validate', '--kb', defaultKbDir, '--kb', bad]);
    expect(run.code).toBe(3);
    const file = join(bad, 'pack.yaml');
    expect(run.stdout).toBe(
      `${file}:4:5 at /facts/acme.mode/enum: expected type string for a fact with enum, got type integer\n` +
        `${file}:9:5 at /facts/acme.name/minimum: expected type integer or number for a fact with minimum, got type string\n` +
        'invalid: 2 problems\n',
    );
    const misnamed = pack({ facts: { 'acme.constructor': { type: 'boolean', description: 'x' } } });
    expect((await runCli(['kb', 'validate', '--kb', defaultKbDir, '--kb', misnamed])).stdout.split('\n')[0]).toBe(
      // At the misnamed key's own line, not at the facts section.
      `${join(misnamed, 'pack.yaml')}:2:3 at /facts/acme.constructor: expected a fact name group.fact (lower case, digits, _), neither part constructor or prototype, got string "acme.constructor"`,
    );
    const reader = pack({ rules: [{ id: 'acme.r', description: 'x', conditions: { all: [{ fact: 'acme.other', operator: 'equal', value: 1 }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.1 }] }] });
    const unknown = await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', reader], { input: '{}' });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe(`rca: knowledge-base error: ${join(reader, 'pack.yaml')}:6:9 at /rules/0/conditions/all/0: expected a known fact name (\`rca facts\` or GET /v1/schema/facts lists them), got unknown fact "acme.other"\n`);
  });
});

describe('rca serve --kb: the API validates facts against the layered vocabulary', () => {
  let withPack: FastifyInstance;
  let shipped: FastifyInstance;
  const company = pack(QUEUE_PACK);
  let holder: KbHolder;
  const server = (dirs: string[], kb = new KbHolder(dirs)) => buildServer({ kb, tokens: [], bodyLimit: DEFAULT_BODY_LIMIT, rateLimitPerMinute: 0, responseCache: DEFAULT_RESPONSE_CACHE, logger: false, version: 'test' });
  beforeAll(async () => {
    sealKnowledgeBase(company, [defaultKbDir]);
    holder = new KbHolder([defaultKbDir, company]);
    withPack = await server([], holder);
    shipped = await server([defaultKbDir]);
  });
  afterAll(async () => {
    await withPack.close();
    await shipped.close();
  });

  it('POST /v1/diagnose accepts the pack fact and fires its rule; the shipped KB refuses it with 400', async () => {
    const ok = await withPack.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: JSON.parse(DEEP_QUEUE) as unknown } });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { hypotheses: Array<{ id: string }> }).hypotheses[0]?.id).toBe('app.acme_queue_backlog');
    const refused = await shipped.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: JSON.parse(DEEP_QUEUE) as unknown } });
    expect(refused.statusCode).toBe(400);
    expect((refused.json() as { errors: unknown[] }).errors).toEqual([{ pointer: '/facts/acme.queue_depth', expected: 'a known fact name (`rca facts` or GET /v1/schema/facts lists them)', got: 'unknown fact "acme.queue_depth"' }]);
    const outOfRange = await withPack.inject({ method: 'POST', url: '/v1/interview/next', payload: { facts: { 'acme.queue_depth': -1 } } });
    expect(outOfRange.statusCode).toBe(400);
    expect((outOfRange.json() as { errors: unknown[] }).errors).toEqual([{ pointer: '/facts/acme.queue_depth', expected: 'a number >= 0', got: 'number -1' }]);
  });

  it('a reload (read in a worker thread, posted back) keeps the declared facts', async () => {
    const before = holder.loadedAt;
    await holder.reload();
    expect(holder.loadedAt >= before).toBe(true);
    const ok = await withPack.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: { 'acme.queue_depth': 50000 } } });
    expect((ok.json() as { hypotheses: Array<{ id: string }> }).hypotheses[0]?.id).toBe('app.acme_queue_backlog');
    const refused = await withPack.inject({ method: 'POST', url: '/v1/diagnose', payload: { facts: { 'acme.queue_depth': 'deep' } } });
    expect((refused.json() as { errors: unknown[] }).errors).toEqual([{ pointer: '/facts/acme.queue_depth', expected: 'integer', got: 'string "deep"' }]);
  });

  it('GET /v1/schema/facts and /v1/questions include the pack fact and its question', async () => {
    const schema = (await withPack.inject({ method: 'GET', url: '/v1/schema/facts' })).json() as { properties: Record<string, unknown> };
    expect(schema.properties['acme.queue_depth']).toEqual({ type: 'integer', minimum: 0, 'x-unit': 'messages', description: 'messages waiting in the ACME order queue' });
    expect(schema.properties['http.status']).toEqual({ type: 'integer', minimum: 100, maximum: 599, description: expect.any(String) as string });
    const questions = (await withPack.inject({ method: 'GET', url: '/v1/questions?lang=zh-CN' })).json() as Array<{ fact: string }>;
    expect(questions.find((q) => q.fact === 'acme.queue_depth')).toEqual({
      fact: 'acme.queue_depth',
      text: 'ACME 队列里积压了多少订单？',
      help: null,
      type: 'integer',
      choices: null,
      unit: 'messages',
      minimum: 0,
      maximum: null,
      how: "acmectl queue depth '<target.host>'",
      fillIn: ['target.host'],
      paste: null,
    });
    const shippedSchema = (await shipped.inject({ method: 'GET', url: '/v1/schema/facts' })).json() as { properties: Record<string, unknown> };
    expect(shippedSchema.properties['acme.queue_depth']).toBeUndefined();
  });
});
