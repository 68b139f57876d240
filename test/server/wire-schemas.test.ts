import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validator, type SchemaFile } from '../../src/core/schemas.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { editableKb, testServer } from './helpers.js';

const FACTS = { 'ping.result': 'fail', 'tcp.connect': 'ok', 'target.host': 'db1' };

/** The ajv errors of `value` against a shipped schema; [] when it validates. */
function schemaErrors(file: SchemaFile, value: unknown): unknown[] {
  const validate = validator(file);
  return validate(value) ? [] : (validate.errors ?? []);
}

describe('every answer on the wire has its schema in schemas/', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer({ responseCache: { entries: 0, bytes: 0 } });
  });
  afterAll(() => app.close());
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('answers validate against their schemas, and problems against problem.schema.json', async () => {
    const answers: [SchemaFile, unknown][] = [
      ['diagnosis.schema.json', (await post('/v1/diagnose', { facts: FACTS })).json()],
      // With a format, the answer carries its report: the schema the route documents takes it.
      ['diagnosis.schema.json', (await post('/v1/diagnose', { facts: FACTS, format: 'markdown' })).json()],
      ['interview-step.schema.json', (await post('/v1/interview/next', { facts: { 'http.status': 503 } })).json()],
      ['interview-step.schema.json', (await post('/v1/interview/next', { facts: FACTS, unknown: ['ping.loss_pct'] })).json()],
      ...((await get('/v1/questions')).json() as unknown[]).map((q): [SchemaFile, unknown] => ['question.schema.json', q]),
      ...((await get('/v1/hypotheses?lang=zh-CN')).json() as unknown[]).map((h): [SchemaFile, unknown] => ['hypothesis.schema.json', h]),
      ['hypothesis.schema.json', (await get('/v1/hypotheses/network.packet_loss')).json()],
      ['kb-info.schema.json', (await get('/v1/kb')).json()],
      ['problem.schema.json', (await post('/v1/diagnose', { facts: { 'ping.result': 7 } })).json()],
      ['problem.schema.json', (await get('/v1/questions?lang=fr')).json()],
      ['problem.schema.json', (await get('/v1/hypotheses/nope')).json()],
    ];
    expect(answers.length).toBeGreaterThan(12);
    for (const [file, answer] of answers) expect(schemaErrors(file, answer), `${file}: ${JSON.stringify(answer).slice(0, 200)}`).toEqual([]);
  });

  it('GET /v1/questions and the interview describe a question with the same function: the interview fills in `how` from the facts and adds why and score', async () => {
    const step = (await post('/v1/interview/next', { facts: { 'tcp.connect': 'ok', 'target.host': 'db1' } })).json();
    const { why, score, how, fillIn, ...asked } = step.question;
    expect({ why: typeof why, score: typeof score, how, fillIn }).toEqual({ why: 'object', score: 'number', how: 'ping -c 20 db1', fillIn: undefined });
    const listed = (await get('/v1/questions')).json().find((q: { fact: string }) => q.fact === asked.fact);
    expect(listed).toEqual({ ...asked, how: "ping -c 20 '<target.host>'", fillIn: ['target.host'] });
    // Without the fact, the interview shows the command exactly as the list does, and what to fill in.
    const unfilled = (await post('/v1/interview/next', { facts: { 'tcp.connect': 'ok' } })).json();
    expect(unfilled.question.fact).toBe(asked.fact);
    expect([unfilled.question.how, unfilled.question.fillIn]).toEqual([listed.how, ['target.host']]);
  });

  it('the OpenAPI document takes its components from the same files', async () => {
    const doc = (await get('/openapi.json')).json();
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    expect(doc.paths['/v1/interview/next'].post.responses['200'].content['application/json'].schema).toEqual(ref('InterviewStep'));
    expect(doc.paths['/v1/questions'].get.responses['200'].content['application/json'].schema).toEqual({ type: 'array', items: ref('Question') });
    expect(doc.paths['/v1/kb'].get.responses['200'].content['application/json'].schema).toEqual(ref('KbInfo'));
    expect(doc.paths['/v1/diagnose'].post.responses['400'].content['application/problem+json'].schema).toEqual(ref('Problem'));
    expect(doc.components.schemas.InterviewStep.required).toEqual(['done', 'reason', 'question', 'diagnosis']);
  });
});

describe('fastify serializes answers from the route schemas and validates bodies before the handler', () => {
  it('an answer is written in its schema\'s order, whatever the order of the knowledge base\'s YAML', async () => {
    const kb = editableKb();
    kb.write((text) => text.replace('description: ping fails, TCP works', 'description: ping fails, TCP works\n    references: [{url: "https://example.com/icmp", title: ICMP}]'));
    kb.seal();
    const app = await testServer({ kb: new KbHolder([kb.dir]) });
    const res = await app.inject({ method: 'GET', url: '/v1/hypotheses/network.icmp_filtered' });
    await app.close();
    expect(res.body).toContain('"references":[{"title":"ICMP","url":"https://example.com/icmp"}]');
  });

  it('an invalid body is refused in fastify\'s validation step, with the core\'s problems, before any handler runs', async () => {
    const app = await testServer();
    let handled = 0;
    app.addHook('preHandler', async () => {
      handled++;
    });
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: JSON.stringify({ facts: { 'ping.result': 7 }, top: 0 }), headers: { 'content-type': 'application/json', 'x-request-id': 'v1' } });
    const ok = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: JSON.stringify({ facts: FACTS }), headers: { 'content-type': 'application/json' } });
    await app.close();
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      type: 'https://rca.local/problems/invalid-input',
      title: 'The request does not validate',
      status: 400,
      detail: 'ping.result: expected one of "ok", "partial_loss", "fail", got number 7; /top: expected a number >= 1, got number 0',
      instance: '/v1/diagnose',
      requestId: 'v1',
      errors: [
        { pointer: '/facts/ping.result', expected: 'one of "ok", "partial_loss", "fail"', got: 'number 7' },
        { pointer: '/top', expected: 'a number >= 1', got: 'number 0' },
      ],
    });
    expect({ handled, ok: ok.statusCode }).toEqual({ handled: 1, ok: 200 });
  });

  it('a route whose body schema has no validator in the core does not start', async () => {
    const app = await testServer();
    app.post('/v1/other', { schema: { body: { type: 'object' } } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow('no validator for the body schema {"type":"object"}');
    await app.close();
  });
});
