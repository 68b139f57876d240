import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.js';
import { kindsCarrying } from '../../src/collect/parsers/index.js';
import { evaluateInterviews, formatInterviewEval, replayAnswer } from '../../src/kbtools/interview-eval.js';
import { shippedKb } from '../support.js';

const KB = ['--kb', join('test', 'fixtures', 'interview-kb')];

/** Three incidents on the interview fixture KB: one named first, one in the top 3, one with no known cause. */
function corpus(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'rca-eval-interview-')), 'part');
  mkdirSync(dir);
  const incident = (id: string, cause: string[] | 'none', level: 'top1' | 'top3', intake: Record<string, unknown>, findings: Array<{ fact: string; value: unknown; note: string }>) =>
    writeFileSync(join(dir, `${id}.yaml`), JSON.stringify({ id, source: `https://example.org/${id}`, lang: 'en', title: `incident ${id}`, cause, level, intake, findings }));
  incident('a-icmp', ['network.icmp_filtered'], 'top1', { 'ping.result': 'fail' }, [{ fact: 'tcp.connect', value: 'ok', note: 'nc connects' }]);
  incident('b-health', ['lb.health_check_misconfigured'], 'top3', { 'http.status': 503, 'path.via_lb': true }, [{ fact: 'lb.backend_health', value: 'all_unhealthy', note: 'every target *unhealthy*' }]);
  incident('c-none', 'none', 'top3', { 'symptom.kind': 'slow' }, []);
  return dir;
}

interface Replayed {
  id: string;
  questions: Array<{ fact: string; answer: unknown; pasted: unknown }>;
  dontKnow: number;
  stop: string;
  rank: number | null;
  passed: boolean;
}

describe('rca kb eval --mode interview', () => {
  it('replays each incident from its intake, a finding answering and anything else "don\'t know", with the figures at the end', async () => {
    const dir = corpus();
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', ...KB, '-f', 'json']);
    expect(run.code).toBe(0);
    const [part] = (JSON.parse(run.stdout) as { mode: string; parts: Array<{ path: string; report: Record<string, unknown> & { results: Replayed[] } }> }).parts;
    expect(part?.report.results.map((r) => [r.id, r.questions.map((q) => [q.fact, q.answer]), r.dontKnow, r.stop, r.rank, r.passed])).toEqual([
      ['a-icmp', [['tcp.connect', 'ok']], 0, 'confident', 1, true],
      ['b-health', [['lb.backend_health', 'all_unhealthy'], ['http.direct_status', null]], 1, 'confident', 2, true],
      // The fixture's model gives "no known cause" its default 10%: after five "don't know"s no question
      // left is worth asking, and the interview stops with a differential, not an abstention.
      ['c-none', [['ping.result', null], ['http.status', null], ['lb.backend_health', null], ['http.direct_status', null], ['path.via_lb', null]], 5, 'unknowable', null, false],
    ]);
    expect(part?.report).toMatchObject({
      mode: 'interview',
      maxQuestions: 20,
      // rca kb eval replays with pastes, as the interview's prompt offers them.
      pastes: true,
      incidents: 3,
      withKnownCause: 2,
      top1: 0.5,
      top3: 1,
      passed: 2,
      empty: 0,
      emptyWithKnownCause: 0,
      questions: { median: 2, p90: 5, mean: 2.67 },
      dontKnow: { median: 1, mean: 2 },
      stops: { confident: 2, unknowable: 1 },
    });
  });

  it('replays with the stops given (--min-worth, --min-answer-rate): at 0 it asks through every "don\'t know"', async () => {
    const run = await runCli(['kb', 'eval', corpus(), '--mode', 'interview', '--min-worth', '0', '--min-answer-rate', '0', ...KB, '-f', 'json']);
    const [part] = (JSON.parse(run.stdout) as { parts: Array<{ report: Record<string, unknown> & { results: Replayed[] } }> }).parts;
    expect(part?.report).toMatchObject({ minWorth: 0, minAnswerRate: 0, minChallengeRate: 0.32, stops: { confident: 2, no_questions: 1 } });
    expect(part?.report.results.map((r) => [r.id, r.questions.length, r.stop])).toEqual([
      ['a-icmp', 1, 'confident'],
      ['b-health', 2, 'confident'],
      ['c-none', 6, 'no_questions'],
    ]);
  });

  it('replays with --min-top-change: it stops as well when no question is worth --min-worth and none has that chance of changing the leader', async () => {
    const dir = corpus();
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--min-worth', '0.05', '--min-top-change', '0.3', ...KB, '-f', 'json']);
    const [part] = (JSON.parse(run.stdout) as { parts: Array<{ report: Record<string, unknown> & { results: Replayed[] } }> }).parts;
    expect(part?.report).toMatchObject({ minWorth: 0.05, minAnswerRate: 0.2, minTopChange: 0.3, stops: { confident: 2, unknowable: 1 } });
    // "Slow" on the fixture KB: four causes tie, and no answer is likely enough to single one out.
    expect(part?.report.results.map((r) => [r.id, r.questions.map((q) => q.fact), r.stop])).toEqual([
      ['a-icmp', ['tcp.connect'], 'confident'],
      ['b-health', ['lb.backend_health', 'http.direct_status'], 'confident'],
      ['c-none', [], 'unknowable'],
    ]);
    const text = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--min-top-change', '0.3', ...KB]);
    expect(text.stdout.split('\n')[0]).toBe(
      `${dir}: 3 incidents (2 with a known cause), replayed as interviews from the intake (at most 20 questions, stopping when none is worth 0.01 nor has a 0.3 chance of changing the leader, or the answer rate falls under 0.2, a confident leader challenged while it is at least 0.32; a finding answers, as a paste of its command's output where rca parses it, anything else is "don't know")`,
    );
  });

  it('replays with --oracle: told which questions the findings answer, the interview asks only those, and says so', async () => {
    const dir = corpus();
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--oracle', ...KB, '-f', 'json']);
    expect(run.code).toBe(0);
    const [part] = (JSON.parse(run.stdout) as { parts: Array<{ report: Record<string, unknown> & { results: Replayed[] } }> }).parts;
    expect(part?.report).toMatchObject({ oracle: true, passed: 2, questions: { median: 1, p90: 1, mean: 0.67 }, dontKnow: { median: 0, mean: 0 }, stops: { confident: 2, no_questions: 1 } });
    // b-health's http.direct_status ("don't know" in the plain replay) is not asked; c-none has no finding to ask for.
    expect(part?.report.results.map((r) => [r.id, r.questions.map((q) => [q.fact, q.answer]), r.stop, r.rank, r.passed])).toEqual([
      ['a-icmp', [['tcp.connect', 'ok']], 'confident', 1, true],
      ['b-health', [['lb.backend_health', 'all_unhealthy']], 'confident', 2, true],
      ['c-none', [], 'no_questions', null, false],
    ]);
    const text = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--oracle', ...KB]);
    expect(text.stdout.split('\n')[0]).toBe(
      `${dir}: 3 incidents (2 with a known cause), replayed as interviews from the intake (at most 20 questions, stopping when none is worth 0.01 or the answer rate falls under 0.2, a confident leader challenged while it is at least 0.32; a finding answers, as a paste of its command's output where rca parses it, anything else is "don't know"; the interview knew which questions the findings answer and asked only those)`,
    );
    const plain = await runCli(['kb', 'eval', dir, '--mode', 'interview', ...KB, '-f', 'json']);
    expect((JSON.parse(plain.stdout) as { parts: Array<{ report: { oracle: boolean } }> }).parts[0]?.report.oracle).toBe(false);
  });

  it('refuses --oracle outside --mode interview, with exit 2', async () => {
    const run = await runCli(['kb', 'eval', corpus(), '--oracle', ...KB]);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr.split('\n')[0]).toBe('rca: usage error: --oracle: only with --mode interview, got --mode diagnosis');
  });

  it('says in its figures\' first line whether answers came as pastes', async () => {
    // Without paste kinds (a caller of evaluateInterviews that gives none), each answer fills its own fact only.
    const report = await evaluateInterviews(shippedKb(), []);
    expect(report.pastes).toBe(false);
    expect(formatInterviewEval([{ path: 'none', report }])[0]).toBe(
      'none: 0 incidents (0 with a known cause), replayed as interviews from the intake (at most 20 questions, stopping when none is worth 0.01 or the answer rate falls under 0.2, a confident leader challenged while it is at least 0.32; a finding answers, anything else is "don\'t know")',
    );
    expect((await evaluateInterviews(shippedKb(), [], { pasteKinds: () => [] })).pastes).toBe(true);
  });

  it('prints the figures per part, and counts every question asked against --max-questions', async () => {
    const dir = corpus();
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--max-questions', '1', ...KB]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toBe(
      [
        `${dir}: 3 incidents (2 with a known cause), replayed as interviews from the intake (at most 1 questions, stopping when none is worth 0.01 or the answer rate falls under 0.2, a confident leader challenged while it is at least 0.32; a finding answers, as a paste of its command's output where rca parses it, anything else is "don't know")`,
        '  at the end: top-1 50.0%  top-3 100.0%  passed at their level 2/3  empty diagnoses 0 (0 with a known cause)',
        '  questions asked: median 1  p90 1  mean 1   "don\'t know" per interview: median 0  mean 0.33',
        '  stopped: confident 1, limit 2',
        '',
      ].join('\n'),
    );
  });

  it('shows the change against a saved replay: the figures, the incidents that changed their pass and whether that is beyond chance', async () => {
    const dir = corpus();
    const saved = join(dir, 'replay.json');
    writeFileSync(saved, (await runCli(['kb', 'eval', dir, '--mode', 'interview', '--max-questions', '0', ...KB, '-f', 'json'])).stdout);
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', ...KB, '--baseline', saved]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    // Without a question a-icmp's cause is not yet first (its level is top1); one answer puts it there.
    expect(run.stdout.split('\n').slice(1, 3)).toEqual([
      '  at the end: top-1 50.0% (+0.0)  top-3 100.0% (+0.0)  passed at their level 2/3  empty diagnoses 0 (0 with a known cause)',
      '  against the baseline: 1 now pass (a-icmp), 0 no longer pass of 3 compared; sign test p = 1.000, within chance at 0.05',
    ]);
  });

  it('writes each interview as a markdown transcript: questions, commands, answers, the top 3 after each, and the end', async () => {
    const dir = corpus();
    const out = join(mkdtempSync(join(tmpdir(), 'rca-transcripts-')), 'out');
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--transcripts', out, ...KB]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`wrote 3 transcripts to ${out}`);
    expect(readdirSync(join(out, 'part')).sort()).toEqual(['a-icmp.md', 'b-health.md', 'c-none.md']);
    expect(readFileSync(join(out, 'part', 'b-health.md'), 'utf8')).toBe(
      [
        '# incident b-health',
        '',
        'Incident `b-health` (`part/b-health.yaml`), from <https://example.org/b-health>.',
        'Accepted cause: `lb.health_check_misconfigured`; it should rank in the top 3.',
        '',
        '## Intake',
        '',
        '- `http.status`: `503`',
        '- `path.via_lb`: `true`',
        '',
        'Top 3 from the intake: 1. `lb.health_check_misconfigured` 30%, 2. `lb.no_healthy_backend` 30%, 3. `network.icmp_filtered` 16%',
        '',
        '## Questions',
        '',
        '### Q1 `lb.backend_health`: What does the LB say about its backends?',
        '',
        'Answer: `all_unhealthy` (every target \\*unhealthy\\*)',
        '',
        'Top 3: 1. `lb.no_healthy_backend` 66%, 2. `lb.health_check_misconfigured` 14%, 3. `network.icmp_filtered` 8%',
        '',
        '### Q2 `http.direct_status`: What status does a backend give when asked directly?',
        '',
        "Answer: **don't know**",
        '',
        'Top 3: 1. `lb.no_healthy_backend` 66%, 2. `lb.health_check_misconfigured` 14%, 3. `network.icmp_filtered` 8%',
        '',
        '## End',
        '',
        'Stopped: `confident` after 2 questions, 1 answered "don\'t know".',
        "The interview said: lb.no_healthy_backend leads; run `curl -sv '<target.url>'` to confirm it.",
        'Final top 3: 1. `lb.no_healthy_backend` 66%, 2. `lb.health_check_misconfigured` 14%, 3. `network.icmp_filtered` 8%; the accepted cause ranks 2 (passes at its level).',
        '',
      ].join('\n'),
    );
  });

  it('answers a question whose command rca parses with a paste of its output: one question fills every finding it carries', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rca-eval-paste-')), 'part');
    mkdirSync(dir);
    // ping's output carries ping.result, ping.loss_pct and the round trip; nc's (tcp.connect) is no kind rca parses.
    const findings = [
      { fact: 'ping.result', value: 'partial_loss', note: '7 of 20 lost' },
      { fact: 'ping.rtt_avg_ms', value: 80, note: 'avg 80 ms' },
      { fact: 'ping.loss_pct', value: 35, note: '35% loss' },
      { fact: 'tcp.connect', value: 'ok', note: 'nc connects' },
    ];
    writeFileSync(join(dir, 'd-paste.yaml'), JSON.stringify({ id: 'd-paste', source: 'https://example.org/d-paste', lang: 'en', title: 'incident d-paste', cause: ['network.packet_loss'], level: 'top1', intake: { 'symptom.kind': 'slow' }, findings }));
    const out = join(mkdtempSync(join(tmpdir(), 'rca-transcripts-')), 'out');
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--transcripts', out, ...KB, '-f', 'json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const [part] = (JSON.parse(run.stdout) as { parts: Array<{ report: { results: Replayed[] } }> }).parts;
    expect(part?.report.results[0]?.questions.map((q) => [q.fact, q.answer, q.pasted])).toEqual([
      ['ping.result', 'partial_loss', { kind: 'ping', filled: [{ fact: 'ping.rtt_avg_ms', value: 80 }, { fact: 'ping.loss_pct', value: 35 }] }],
    ]);
    expect(part?.report.results[0]).toMatchObject({ dontKnow: 0, stop: 'confident', rank: 1, passed: true });
    const transcript = readFileSync(join(out, 'part', 'd-paste.md'), 'utf8').split('\n');
    expect(transcript.slice(transcript.indexOf('### Q1 `ping.result`: Does ping get replies?'), transcript.indexOf('## End'))).toEqual([
      '### Q1 `ping.result`: Does ping get replies?',
      '',
      "Command: `ping -c 20 '<target.host>'`",
      '',
      'Answer: `partial_loss` (7 of 20 lost)',
      '',
      'Pasted as `ping` output, which also answered `ping.rtt_avg_ms`: `80`, `ping.loss_pct`: `35`.',
      '',
      'Top 3: 1. `network.packet_loss` 62%, 2. `lb.health_check_misconfigured` 11%, 3. `lb.no_healthy_backend` 11%',
      '',
    ]);
  });

  it("answers with a paste the findings a question's command prints though the asked fact is not one of them: that fact stays unknown, and it is no \"don't know\"", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rca-eval-paste-other-')), 'part');
    mkdirSync(dir);
    // The source gives ping's loss and round trip, not whether every probe was answered.
    const findings = [
      { fact: 'ping.rtt_avg_ms', value: 80, note: 'avg 80 ms' },
      { fact: 'ping.loss_pct', value: 35, note: '35% loss' },
    ];
    writeFileSync(join(dir, 'e-paste.yaml'), JSON.stringify({ id: 'e-paste', source: 'https://example.org/e-paste', lang: 'en', title: 'incident e-paste', cause: ['network.packet_loss'], level: 'top1', intake: { 'symptom.kind': 'slow' }, findings }));
    const out = join(mkdtempSync(join(tmpdir(), 'rca-transcripts-')), 'out');
    const run = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--transcripts', out, ...KB, '-f', 'json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const [part] = (JSON.parse(run.stdout) as { parts: Array<{ report: { results: Replayed[] } }> }).parts;
    const [first] = part?.report.results[0]?.questions ?? [];
    expect([first?.fact, first?.answer, first?.pasted]).toEqual(['ping.result', null, { kind: 'ping', filled: [{ fact: 'ping.rtt_avg_ms', value: 80 }, { fact: 'ping.loss_pct', value: 35 }] }]);
    expect(part?.report.results[0]?.questions.some((q) => q.fact === 'ping.rtt_avg_ms' || q.fact === 'ping.loss_pct')).toBe(false);
    const transcript = readFileSync(join(out, 'part', 'e-paste.md'), 'utf8');
    expect(transcript).toContain("\nAnswer: none for this fact; its command's output, pasted as `ping`, answered `ping.rtt_avg_ms`: `80`, `ping.loss_pct`: `35`.\n");
    const result = part?.report.results[0];
    expect(result?.dontKnow).toBe((result?.questions.length ?? 0) - 1);
  });

  it("replayAnswer, the one answering step of the corpus's replay and the bench's: a finding answers, anything else is \"don't know\", and a paste fills what its command prints", async () => {
    const kb = shippedKb();
    const findings = { 'ping.rtt_avg_ms': 80, 'ping.loss_pct': 35, 'tcp.connect': 'ok' };
    const start = { facts: { 'symptom.kind': 'slow' }, unknown: [] };
    expect(replayAnswer(kb, findings, start, 'tcp.connect', undefined)).toEqual({ answer: 'ok', pasted: null, state: { facts: { 'symptom.kind': 'slow', 'tcp.connect': 'ok' }, unknown: [] } });
    // Without the parsers' registry a question answers its own fact only.
    expect(replayAnswer(kb, findings, start, 'ping.result', undefined)).toEqual({ answer: null, pasted: null, state: { facts: { 'symptom.kind': 'slow' }, unknown: ['ping.result'] } });
    // With it, ping's output prints the loss and the round trip: both filled, the asked fact still unknown.
    const pasted = replayAnswer(kb, findings, start, 'ping.result', kindsCarrying);
    expect(pasted.pasted).toEqual({ kind: 'ping', filled: [{ fact: 'ping.rtt_avg_ms', value: 80 }, { fact: 'ping.loss_pct', value: 35 }] });
    expect(pasted.state).toEqual({ facts: { 'symptom.kind': 'slow', 'ping.rtt_avg_ms': 80, 'ping.loss_pct': 35 }, unknown: ['ping.result'] });
    // A finding already known is not pasted again.
    expect(replayAnswer(kb, findings, pasted.state, 'ping.loss_pct', kindsCarrying).pasted).toBeNull();
  });

  it('exits 1 under --min-top1 / --min-top3, naming the part and the figure at the end of the interviews', async () => {
    const dir = corpus();
    const under = await runCli(['kb', 'eval', dir, '--mode', 'interview', '--min-top1', '60', ...KB]);
    expect(under.code).toBe(1);
    expect(under.stdout.trimEnd().split('\n').at(-1)).toBe(`${dir}: top-1 50.0% (1/2) is under --min-top1 60`);
    expect((await runCli(['kb', 'eval', dir, '--mode', 'interview', '--min-top1', '50', '--min-top3', '100', ...KB])).code).toBe(0);
  });

  it('refuses options of the other mode and a bad question limit', async () => {
    const dir = corpus();
    const cases: Array<[string[], string]> = [
      [['--transcripts', 'x'], '--transcripts: only with --mode interview, got --mode diagnosis'],
      [['--max-questions', '3'], '--max-questions: only with --mode interview, got --mode diagnosis'],
      [['--mode', 'interview', '--max-questions', '-1'], '--max-questions: expected a whole number >= 0, got -1'],
      [['--min-worth', '0'], '--min-worth: only with --mode interview, got --mode diagnosis'],
      [['--min-answer-rate', '0'], '--min-answer-rate: only with --mode interview, got --mode diagnosis'],
      [['--mode', 'interview', '--min-worth', '-0.5'], '--min-worth: expected a number >= 0, got -0.5'],
      [['--mode', 'interview', '--min-answer-rate', '1.5'], '--min-answer-rate: expected a number from 0 to 1, got 1.5'],
      [['--min-challenge-rate', '0.5'], '--min-challenge-rate: only with --mode interview, got --mode diagnosis'],
      [['--mode', 'interview', '--min-challenge-rate', '2'], '--min-challenge-rate: expected a number from 0 to 1, got 2'],
      [['--min-top-change', '0.1'], '--min-top-change: only with --mode interview, got --mode diagnosis'],
      [['--mode', 'interview', '--min-top-change', '-0.1'], '--min-top-change: expected a number from 0 to 1, got -0.1'],
      [['--mode', 'interview', '--evidence', 'all'], '--evidence: an interview starts from the intake, got --evidence all'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['kb', 'eval', dir, ...args, ...KB]);
      expect([run.code, run.stderr]).toEqual([2, `rca: usage error: ${message}\nRun 'rca kb --help' for usage.\n`]);
    }
  });
});
