import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/core/evaluate.js';
import { nextQuestion, rankQuestions } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { packageRoot } from '../../src/core/paths.js';
import type { FactMap } from '../../src/core/vocabulary.js';
import { pack } from '../fixtures.js';

const kb = loadKnowledgeBase([join(packageRoot, 'test', 'fixtures', 'interview-kb')]);

describe('nextQuestion', () => {
  it('weighs the questions by the answer chance it is given in place of the engineer\'s, and asks none whose chance is 0', async () => {
    const only = (fact: string | null) => (asked: string) => (asked === fact ? 1 : 0);
    // Without one, ping.result comes first (above); told that only the LB's view can be had, it asks that.
    expect((await nextQuestion(kb, { facts: {}, unknown: [] }, { answerChance: only('lb.backend_health') })).question?.fact).toBe('lb.backend_health');
    expect((await nextQuestion(kb, { facts: {}, unknown: [] }, { answerChance: only('http.direct_status') })).question?.fact).toBe('http.direct_status');
    const none = await nextQuestion(kb, { facts: {}, unknown: [] }, { answerChance: only(null) });
    expect([none.done, none.reason, none.question]).toEqual([true, 'no_questions', null]);
  });

  it('asks first what moves the ranking most, with its type, choices, how and why', async () => {
    const step = await nextQuestion(kb, { facts: {}, unknown: [] });
    expect(step.done).toBe(false);
    expect(step.question).toMatchObject({
      fact: 'ping.result',
      type: 'enum',
      choices: ['ok', 'partial_loss', 'fail'],
      how: "ping -c 20 '<target.host>'",
      why: { separates: ['network.icmp_filtered', 'network.packet_loss'], rules: ['icmp_only', 'ping_partial'] },
    });
    // Nothing known yet: every hypothesis at its prior share, and no verdict judged on it.
    expect(step.diagnosis.verdict).toBe('no_evidence');
    expect(step.diagnosis.hypotheses.map((h) => [h.id, h.confidence])).toEqual([
      ['lb.health_check_misconfigured', 0.225],
      ['lb.no_healthy_backend', 0.225],
      ['network.icmp_filtered', 0.225],
      ['network.packet_loss', 0.225],
    ]);
  });

  it('never asks a fact that is known or that the user could not answer', async () => {
    const step = await nextQuestion(kb, { facts: { 'ping.result': 'fail' }, unknown: ['tcp.connect'] });
    expect(step.question?.fact).not.toMatch(/^(ping\.result|tcp\.connect)$/);
  });

  it('asks a question only when its precondition holds', async () => {
    const ranked = async (facts: FactMap) => rankQuestions(kb, { facts, unknown: [] }, await assess(kb, facts)).map((q) => q.fact);
    expect(await ranked({})).not.toContain('ping.loss_pct');
    expect(await ranked({ 'ping.result': 'partial_loss' })).toContain('ping.loss_pct');
  });

  it('stops when the leader is clearly ahead', async () => {
    const step = await nextQuestion(kb, { facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, unknown: [] });
    expect(step).toMatchObject({ done: true, reason: 'confident', question: null });
    expect(step.diagnosis.hypotheses[0]?.id).toBe('network.icmp_filtered');
  });

  it('honours the configured confidence and margin', async () => {
    const state = { facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, unknown: [] };
    // Not confident enough at 0.9; with every question worth asking, it asks on.
    expect((await nextQuestion(kb, state, { minConfidence: 0.9, minWorth: 0 })).done).toBe(false);
  });

  it('stops when no remaining question can change the top of the ranking', async () => {
    const step = await nextQuestion(kb, { facts: { 'ping.result': 'partial_loss' }, unknown: ['ping.loss_pct', 'http.status', 'lb.backend_health', 'http.direct_status', 'path.via_lb'] }, { minConfidence: 0.99 });
    expect(step).toMatchObject({ done: true, reason: 'settled' });
  });

  it('counts no question whose command got "don\'t know" among those that could still change the top', async () => {
    // A pack where the LB's health and the direct status are read from one command: "don't know" to
    // the first spends the second, which alone could still have changed the top.
    const sameCommand = (fact: string, text: string) => ({ fact, override: true, text: { en: text, 'zh-CN': text }, how: 'aws elbv2 describe-target-health --target-group-arn ARN' });
    const shared = loadKnowledgeBase([
      join(packageRoot, 'test', 'fixtures', 'interview-kb'),
      pack({ questions: [sameCommand('lb.backend_health', 'What does the LB say about its backends?'), sameCommand('http.direct_status', 'What does a backend answer directly?')] }),
    ]);
    const unknown = ['ping.loss_pct', 'http.status', 'lb.backend_health', 'path.via_lb'];
    expect(await nextQuestion(shared, { facts: { 'ping.result': 'partial_loss' }, unknown }, { minConfidence: 0.99 })).toMatchObject({ done: true, reason: 'settled' });
    // Near miss: the fixture's questions name no command, so the direct status is still open: no settled stop.
    expect(await nextQuestion(kb, { facts: { 'ping.result': 'partial_loss' }, unknown }, { minConfidence: 0.99 })).toMatchObject({ done: true, reason: 'unknowable' });
  });

  it('says done with no questions when nothing is left to ask', async () => {
    const unknown = ['ping.result', 'tcp.connect', 'ping.loss_pct', 'http.status', 'lb.backend_health', 'http.direct_status', 'path.via_lb'];
    expect(await nextQuestion(kb, { facts: {}, unknown })).toMatchObject({ done: true, reason: 'no_questions', question: null });
  });

  it('is stateless: the same state gives the same step', async () => {
    const state = { facts: { 'http.status': 503 }, unknown: [] };
    expect(await nextQuestion(kb, state)).toEqual(await nextQuestion(kb, state));
  });
});
