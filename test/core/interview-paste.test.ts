import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/core/evaluate.js';
import { nextQuestion, PASTE_SHARE, rankQuestions, type InterviewState } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { pasteOf, type PasteKinds } from '../../src/core/paste.js';
import { packageRoot } from '../../src/core/paths.js';

// The interview fixture with a pack: tcp.rst_seen (found by `alpha`) and tcp.zero_window (found by
// `beta`) are worth the same on their own; beta's output carries tcp.reordering too.
const fixtures = join(packageRoot, 'test', 'fixtures');
const kb = loadKnowledgeBase([join(fixtures, 'interview-kb'), join(fixtures, 'interview-kb-paste')]);
const CARRIED: Record<string, string[]> = { 'tcp.rst_seen': ['alpha'], 'tcp.zero_window': ['beta-out', 'other'], 'tcp.reordering': ['beta-out'], 'ping.result': ['other'] };
const pasteKinds: PasteKinds = (fact) => CARRIED[fact] ?? [];
// The layer is settled (ping, TCP, the HTTP status, no LB): only the pack's three facts are left to ask.
const START: InterviewState = {
  facts: { 'symptom.kind': 'errors', 'ping.result': 'ok', 'tcp.connect': 'ok', 'http.status': 502, 'path.via_lb': false },
  unknown: ['lb.backend_health', 'http.direct_status'],
};

async function ranked(state: InterviewState, kinds?: PasteKinds) {
  return rankQuestions(kb, state, await assess(kb, state.facts), undefined, kinds).map((q) => [q.fact, Number(q.score.toFixed(5))]);
}

describe('a question is worth every fact its command\'s output carries', () => {
  it('says which kind a question\'s command gives (the one its entry names) and every fact that kind carries', () => {
    expect(pasteOf(kb, 'tcp.zero_window', pasteKinds)).toEqual({ kind: 'beta-out', carries: ['tcp.zero_window', 'tcp.reordering'] });
    expect(pasteOf(kb, 'tcp.rst_seen', pasteKinds)).toEqual({ kind: 'alpha', carries: ['tcp.rst_seen'] });
    // ping's question names no kind, though a kind carries ping.result; http.status has no command.
    expect(pasteOf(kb, 'ping.result', pasteKinds)).toBeNull();
    expect(pasteOf(kb, 'http.status', pasteKinds)).toBeNull();
    // A kind the entry names that does not carry the fact is no paste (rca kb lint reports it).
    expect(pasteOf(kb, 'tcp.rst_seen', (fact) => (fact === 'tcp.rst_seen' ? ['other'] : []))).toBeNull();
  });

  it('asks first the question whose paste carries several unknown facts, of two equal in their own worth', async () => {
    // On their own, the two tie (the name breaks it).
    expect(await ranked(START)).toEqual([
      ['tcp.rst_seen', 0.06234],
      ['tcp.zero_window', 0.06234],
      ['tcp.reordering', 0.04502],
    ]);
    // tcp.zero_window's paste carries tcp.reordering too: its own gain plus PASTE_SHARE of that one's,
    // per its own effort (medium, 1.3; tcp.reordering's is high, 1.8).
    const alone = new Map(rankQuestions(kb, START, await assess(kb, START.facts)).map((q) => [q.fact, q.score]));
    const [ownGain, reorderingGain] = [(alone.get('tcp.zero_window') as number) * 1.3, (alone.get('tcp.reordering') as number) * 1.8];
    const round = (score: number) => Number(score.toFixed(5));
    expect(await ranked(START, pasteKinds)).toEqual([
      ['tcp.zero_window', round((ownGain + PASTE_SHARE * reorderingGain) / 1.3)],
      ['tcp.rst_seen', 0.06234],
      ['tcp.reordering', round((reorderingGain + PASTE_SHARE * ownGain) / 1.8)],
    ]);
    expect((await nextQuestion(kb, START)).question?.fact).toBe('tcp.rst_seen');
    expect((await nextQuestion(kb, START, { pasteKinds })).question?.fact).toBe('tcp.zero_window');
  });

  it('counts only the carried facts still to ask: not one known, nor one answered "don\'t know"', async () => {
    const alone = await ranked(START);
    expect(await ranked({ facts: START.facts, unknown: [...START.unknown, 'tcp.reordering'] }, pasteKinds)).toEqual(alone.filter(([fact]) => fact !== 'tcp.reordering'));
    const known = { facts: { ...START.facts, 'tcp.reordering': false }, unknown: START.unknown };
    expect(await ranked(known, pasteKinds)).toEqual(await ranked(known));
  });

  it('with no paste kinds passed in, or none that carries a fact, values each question by its own fact alone', async () => {
    expect(await ranked(START, () => [])).toEqual(await ranked(START));
    expect(await nextQuestion(kb, START, { pasteKinds: () => [] })).toEqual(await nextQuestion(kb, START));
  });
});
