import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/core/evaluate.js';
import { nextQuestion, planQuestions, rankQuestions, sourceOf, sourceWeights, type InterviewState } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { packageRoot } from '../../src/core/paths.js';

// The interview fixture with a pack: a rule comparing lb.idle_timeout_s and backend.keepalive_timeout_s,
// and lb.backend_health read, like lb.idle_timeout_s, from the LB's API.
const fixtures = join(packageRoot, 'test', 'fixtures');
const kb = loadKnowledgeBase([join(fixtures, 'interview-kb'), join(fixtures, 'interview-kb-pairs')]);

async function plan(state: InterviewState) {
  const assessment = await assess(kb, state.facts);
  const chosen = rankQuestions(kb, state, assessment);
  return { chosen: chosen.map((q) => q.fact), planned: planQuestions(kb, state, assessment, chosen) };
}

describe('"don\'t know" lowers the value of the same source\'s other questions', () => {
  it('names a source by namespace and the program of the command that finds the answer', () => {
    expect(['lb.idle_timeout_s', 'lb.backend_health', 'ping.result', 'tcp.connect', 'path.via_lb', 'http.status'].map((f) => sourceOf(kb, f))).toEqual([
      'lb aws',
      'lb aws',
      'ping ping',
      'tcp nc',
      'path.via_lb',
      'http.status',
    ]);
  });

  it('halves a question from a source the engineer said they cannot see, and keeps the bonus of one they answered from', () => {
    const weight = sourceWeights(kb, { facts: { 'ping.result': 'ok' }, unknown: ['lb.idle_timeout_s'] });
    expect(['lb.backend_health', 'ping.loss_pct', 'tcp.connect'].map(weight)).toEqual([0.5, 1.6, 1]);
    // An answer from the source shows it can be seen after all.
    expect(sourceWeights(kb, { facts: { 'lb.backend_health': 'all_healthy' }, unknown: ['lb.idle_timeout_s'] })('lb.backend_health')).toBe(1.6);
  });

  it('asks the same source\'s next question later than the choice alone would', async () => {
    const { chosen, planned } = await plan({ facts: { 'path.via_lb': true }, unknown: ['lb.idle_timeout_s'] });
    expect(chosen).toEqual(['http.status', 'ping.result', 'lb.backend_health', 'tcp.connect', 'http.direct_status']);
    expect(planned.map((q) => q.fact)).toEqual(['http.status', 'ping.result', 'tcp.connect', 'http.direct_status', 'lb.backend_health']);
  });
});

describe('comparisons asked together', () => {
  it('asks the other side of a comparison right after one side is known, though the choice gives it no value of its own', async () => {
    const state = { facts: { 'path.via_lb': true, 'lb.idle_timeout_s': 60 }, unknown: [] };
    const { chosen, planned } = await plan(state);
    expect(chosen).not.toContain('backend.keepalive_timeout_s');
    expect(planned[0]).toEqual({ fact: 'backend.keepalive_timeout_s', score: 0, separates: ['lb.keepalive_race'], changesTop: false, completes: 'lb.idle_timeout_s' });
    const step = await nextQuestion(kb, state);
    expect(step.question).toMatchObject({ fact: 'backend.keepalive_timeout_s', why: { separates: ['lb.keepalive_race'], rules: ['keepalive_not_longer'] }, score: 0 });
  });

  it('does not ask it when the comparison is decided, or the engineer cannot tell', async () => {
    expect((await plan({ facts: { 'path.via_lb': false, 'lb.idle_timeout_s': 60 }, unknown: [] })).planned.map((q) => q.fact)).not.toContain('backend.keepalive_timeout_s');
    expect((await nextQuestion(kb, { facts: { 'path.via_lb': true, 'lb.idle_timeout_s': 60 }, unknown: ['backend.keepalive_timeout_s'] })).question?.fact).not.toBe('backend.keepalive_timeout_s');
  });
});

describe('a stop when the rest is unknowable', () => {
  const asked = ['ping.result', 'tcp.connect', 'http.direct_status'];

  it('stops with "A or B, run X" when every question left comes from a source the engineer cannot see', async () => {
    const step = await nextQuestion(kb, { facts: { 'path.via_lb': true, 'http.status': 503 }, unknown: ['lb.idle_timeout_s', ...asked] });
    expect(step).toMatchObject({
      done: true,
      reason: 'unknowable',
      question: null,
      tellApart: { leaders: ['lb.health_check_misconfigured', 'lb.no_healthy_backend'], commands: ['curl -sv <target.url>'] },
    });
  });

  it('asks on while the engineer can still see that source', async () => {
    const step = await nextQuestion(kb, { facts: { 'path.via_lb': true, 'http.status': 503 }, unknown: asked });
    expect([step.done, step.question?.fact, step.tellApart]).toEqual([false, 'lb.backend_health', undefined]);
  });

  it('stops the same way when no question is left and two causes lead', async () => {
    const unknown = ['lb.idle_timeout_s', 'lb.backend_health', 'backend.keepalive_timeout_s', ...asked];
    expect(await nextQuestion(kb, { facts: { 'path.via_lb': true, 'http.status': 503 }, unknown })).toMatchObject({ done: true, reason: 'unknowable' });
  });
});
