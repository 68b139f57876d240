import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKbDir } from '../../src/core/paths.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { testServer } from './helpers.js';

interface ListedQuestion {
  fact: string;
  type: string;
  choices: Array<string | boolean> | null;
  how: string | null;
}

describe('the questions the API offers, on the shipped knowledge base', () => {
  let app: FastifyInstance;
  let questions: ListedQuestion[];
  beforeAll(async () => {
    app = await testServer({ kb: new KbHolder([defaultKbDir]) });
    questions = (await app.inject({ method: 'GET', url: '/v1/questions' })).json();
  });
  afterAll(() => app.close());

  const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  it('offers boolean choices as the JSON booleans the facts take', () => {
    const booleans = questions.filter((q) => q.type === 'boolean');
    expect(booleans.length).toBeGreaterThan(3);
    for (const q of booleans) expect(q.choices, q.fact).toEqual([true, false]);
  });

  it('accepts every choice of every boolean and enum question as the answer, on both POST routes (choices round-trip)', async () => {
    const chosen = questions.filter((q) => q.choices !== null);
    expect(chosen.length).toBeGreaterThan(10);
    let answers = 0;
    for (const q of chosen) {
      for (const choice of q.choices ?? []) {
        for (const url of ['/v1/interview/next', '/v1/diagnose']) {
          const res = await post(url, { facts: { [q.fact]: choice } });
          expect(res.statusCode, `${url} ${q.fact}=${JSON.stringify(choice)}: ${res.body.slice(0, 300)}`).toBe(200);
          answers++;
        }
      }
    }
    expect(answers).toBeGreaterThan(40);
  });

  it('an interview answered with the choices it offers runs to its end', async () => {
    const facts: Record<string, unknown> = {};
    for (let asked = 0; asked < 100; asked++) {
      const step = (await post('/v1/interview/next', { facts })).json();
      if (step.done) break;
      const { fact, choices } = step.question as ListedQuestion;
      if (choices === null) break;
      facts[fact] = choices[choices.length - 1];
    }
    expect(Object.keys(facts).length).toBeGreaterThan(0);
  });

  it("GET /v1/questions shows an unknown fact in a command as the interview does: '<group.fact>', never a raw {{placeholder}}", () => {
    const commands = questions.flatMap((q) => (q.how === null ? [] : [q.how]));
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.filter((how) => how.includes('{{'))).toEqual([]);
    expect(commands.filter((how) => how.includes('<target.url>')).length, 'commands that need target.url').toBeGreaterThan(0);
  });
});
