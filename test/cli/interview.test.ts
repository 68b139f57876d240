import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { PASTE_MAX_CHARS } from '../../src/cli/interview/answers.js';
import { main } from '../../src/cli/main.js';
import { uiText } from '../../src/core/render.js';
import { inProcessIo, runCli, spawnBin } from './run.js';
import { expectFactsDocument } from '../schema-output.js';

const KB = ['--kb', join('test', 'fixtures', 'interview-kb')];
const tmp = mkdtempSync(join(tmpdir(), 'rca-interview-'));
const interview = (answers: string[], args: string[] = []) => runCli(['interview', ...KB, ...args], { input: answers.map((a) => `${a}\n`).join('') });
const questions = (stderr: string) => [...stderr.matchAll(/^Q\d+ \[([a-z_.]+)\]/gm)].map((m) => m[1]);

describe('rca interview (scripted: stdin is not a terminal)', () => {
  it('runs a full interview to a correct diagnosis, questions on stderr and the report on stdout', async () => {
    const run = await interview(['fail', 'ok'], ['--format', 'json']);
    expect(run.code).toBe(0);
    expect(questions(run.stderr)).toEqual(['ping.result', 'tcp.connect']);
    expect(run.stderr).toContain("   $ ping -c 20 '<target.host>'");
    expect(run.stderr).toContain('top now: 1. network.icmp_filtered 78%  2. lb.health_check_misconfigured 9%  3. lb.no_healthy_backend 9%');
    expect(run.stderr).toContain('The leading cause is clearly ahead.');
    const report = JSON.parse(run.stdout) as { hypotheses: Array<{ id: string }>; facts: Record<string, unknown> };
    expect(report.hypotheses[0]?.id).toBe('network.icmp_filtered');
    expect(report.facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
  });

  it('skips a question on "?" and does not ask it again', async () => {
    const save = join(tmp, 'unknown.json');
    const run = await interview(['?', 'done'], ['--save', save]);
    const asked = questions(run.stderr);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBe('ping.result');
    expect(asked[1]).not.toBe('ping.result');
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: {}, unknown: ['ping.result'] });
  });

  it('--save writes what --facts and rca diagnose read: diagnose-request.schema.json, each fact of facts.schema.json, with the summary, language and format it began with', async () => {
    const start = join(tmp, 'start-envelope.json');
    writeFileSync(start, JSON.stringify({ summary: 'checkout: ping fails', lang: 'zh-CN', format: 'markdown', facts: { 'ping.result': 'fail' } }));
    const save = join(tmp, 'envelope.json');
    const run = await interview(['?', 'done'], ['--facts', start, '--save', save]);
    expect(run.code).toBe(0);
    const saved = JSON.parse(readFileSync(save, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(saved)).toEqual(['summary', 'lang', 'format', 'facts', 'unknown']);
    expectFactsDocument(saved);
  });

  it('explains why a question is asked and how the leader was reached', async () => {
    const run = await interview(['why', 'partial_loss', 'how', 'done']);
    expect(run.stderr).toContain('This question separates:\n    network.icmp_filtered (23%)\n    network.packet_loss (23%)\n    (no known cause: 10%)\nRules that read it: icmp_only, ping_partial');
    expect(run.stderr).toContain('Current leader: network.packet_loss 40%  Packets are lost\n    + ping_partial (+0.40) ping loses some packets');
    expect(questions(run.stderr)).toEqual(['ping.result', 'ping.result', 'ping.loss_pct', 'ping.loss_pct']);
  });

  it('says on "how" what the leader\'s likelihoods make of the facts, when no rule has fired yet', async () => {
    const start = join(tmp, 'thin.json');
    writeFileSync(start, JSON.stringify({ 'symptom.kind': 'errors', 'symptom.scope': 'all_clients' }));
    const run = await runCli(['interview', '--facts', start], { input: 'how\ndone\n' });
    expect(run.stderr).toContain('Current leader: system.disk_full 8%  A full filesystem (no free blocks or no free inodes) makes writes fail\n    Likelier under this cause than in incidents in general: symptom.kind = "errors" ×2.9, symptom.scope = "all_clients" ×1.9\n');
    // In Chinese the factors are listed as the report lists them, with the enumeration comma.
    const zh = await runCli(['interview', '--facts', start, '--lang', 'zh-CN'], { input: 'how\ndone\n' });
    expect(zh.stderr).toContain('    若是该根因，这些现象比一般故障更常见：symptom.kind = "errors" ×2.9、symptom.scope = "all_clients" ×1.9\n');
  });

  it('writes the leader\'s conditions on "how" as the report does, in the interview\'s language: the operator\'s sign or word, the actual value named', async () => {
    const start = join(tmp, 'agent.json');
    writeFileSync(start, JSON.stringify({ 'proc.top_role': 'apm_agent', 'proc.top_cpu_pct': 180 }));
    const zh = await runCli(['interview', '--facts', start, '--lang', 'zh-CN'], { input: 'how\ndone\n' });
    expect(zh.stderr).toContain(
      '    + system.agent_is_top_cpu (+0.70) 最忙的进程是探针或应用的子进程，而不是应用本身\n' +
        '        proc.top_role 是以下之一 ["apm_agent","log_shipper","security_agent","backup_or_cron","child_of_app"]  [实际值："apm_agent"]\n' +
        '        proc.top_cpu_pct ≥ 50  [实际值：180]\n',
    );
    const en = await runCli(['interview', '--facts', start], { input: 'how\ndone\n' });
    expect(en.stderr).toContain('        proc.top_role in ["apm_agent","log_shipper","security_agent","backup_or_cron","child_of_app"]  [actual: "apm_agent"]\n        proc.top_cpu_pct ≥ 50  [actual: 180]\n');
  });

  it('says on "why" that only the likelihood tables weigh a fact no rule reads ("is it just us?")', async () => {
    const start = join(tmp, 'errors-everyone.json');
    writeFileSync(start, JSON.stringify({ 'symptom.kind': 'errors', 'symptom.scope': 'all_clients' }));
    const run = await runCli(['interview', '--facts', start], { input: `${'?\n'.repeat(7)}why\ndone\n` });
    expect(questions(run.stderr)[7]).toBe('symptom.other_services_affected');
    expect(run.stderr).toContain("\nRules that read it: none; the causes' likelihood tables weigh it\n");
  });

  it('stops under the no_known_cause verdict by telling the engineer to look wider, the leaders being the known causes still worth ruling out', async () => {
    const start = join(tmp, 'site-wide.json');
    writeFileSync(start, JSON.stringify({ 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'symptom.other_services_affected': true }));
    const run = await runCli(['interview', '--facts', start, '--max-questions', '50'], { input: '?\n'.repeat(50) });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\nThe cause is likelier outside the knowledge base: look wider than this service \(the provider's status page, the incident channel, what it shares with other services\)\. app\.dependency_failing or lb\.no_healthy_backend or lb\.health_check_misconfigured: the known causes still worth ruling out; run \S/);
    expect(run.stderr).not.toContain('to tell them apart');
    // Six "don't know"s, not the fifty allowed.
    expect(questions(run.stderr)).toHaveLength(6);
  });

  it('lists the likeliest causes a question separates, then how many more, not every one of forty', async () => {
    const run = await runCli(['interview'], { input: 'slow\nwhy\ndone\n' });
    const why = run.stderr.slice(run.stderr.indexOf('This question separates:'), run.stderr.indexOf('Rules that read it:'));
    const listed = why.split('\n').slice(1, -1);
    expect(listed).toHaveLength(10);
    expect(listed.slice(0, 2)).toEqual(['    network.nagle_delayed_ack (6%)', '    network.packet_reordering (6%)']);
    expect(listed[8]).toMatch(/^ {4}and \d+ more, none likelier$/);
    // Then how likely none of the known causes is, which the answer moves too.
    expect(listed[9]).toMatch(/^ {4}\(no known cause: \d+%\)$/);
    const shown = listed.slice(0, 8).map((line) => Number(/\((\d+)%\)/.exec(line)?.[1]));
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
  });

  it('says which fact a question is asked with when a rule compares the two, and asks that one next', async () => {
    const facts = join(tmp, 'lb-502.json');
    writeFileSync(facts, JSON.stringify({ 'path.via_lb': true, 'http.status': 502 }));
    const run = await runCli(['interview', ...KB, '--kb', join('test', 'fixtures', 'interview-kb-pairs'), '--facts', facts], { input: 'why\n5\n60\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Rules that read it: keepalive_not_longer\nAsked for a comparison with (asked next): lb.idle_timeout_s');
    expect(questions(run.stderr)).toEqual(['backend.keepalive_timeout_s', 'backend.keepalive_timeout_s', 'lb.idle_timeout_s']);
    expect(run.stderr).toContain('top now: 1. lb.keepalive_race 66%  2. lb.health_check_misconfigured 7%  3. lb.no_healthy_backend 7%\nThe leading cause is clearly ahead.');
  });

  it('takes FACT=VALUE for any fact at any question: said of another fact it is taken and the question stands; of the one asked it answers it; an unknown fact is refused with the closest name', async () => {
    const save = join(tmp, 'volunteered.json');
    const run = await interview(['tcp.connect=ok', 'ping.result = fail', 'done'], ['--save', save, '--format', 'json']);
    expect(run.code).toBe(0);
    // Q1 is ping.result; tcp.connect is taken there, and ping.result is then answered by name.
    expect(questions(run.stderr)).toEqual(['ping.result', 'ping.result']);
    expect(run.stderr).toContain('Taken: tcp.connect="ok"\n');
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: { 'tcp.connect': 'ok', 'ping.result': 'fail' }, unknown: [] });
    expect((JSON.parse(run.stdout) as { hypotheses: Array<{ id: string }> }).hypotheses[0]?.id).toBe('network.icmp_filtered');
    // Its value is read as that fact's question reads it, and refused as it would refuse it.
    const wrong = await interview(['tcp.connect=maybe']);
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining('rca: input error: stdin line 1 (answer to Q1): tcp.connect: expected one of ok, refused, timeout, reset, got "maybe"\n')]);
    const typo = await interview(['tcp.conect=ok']);
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining('rca: input error: stdin line 1 (answer to Q1): tcp.conect: expected a known fact name (did you mean "tcp.connect"?), got unknown fact "tcp.conect"\n')]);
    // With no value it is that fact's error: the whole line was read as an answer to Q1.
    const empty = await interview(['tcp.connect=']);
    expect([empty.code, empty.stderr.split('\n').at(-2)]).toEqual([2, 'rca: input error: stdin line 1 (answer to Q1): tcp.connect: expected one of ok, refused, timeout, reset, got nothing']);
  });

  it('takes FACT=VALUE whose value is one of the fact\'s choices though it spells a command ("unknown"), where the line "unknown" at the question is "don\'t know"', async () => {
    // It was refused: 'http.error_source: expected one of lb, backend, cdn, unknown, got "unknown"'.
    const save = join(tmp, 'error-source-unknown.json');
    const run = await runCli(['interview', '--save', save], { input: 'http.error_source=Unknown\ndone\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Taken: http.error_source="unknown"\n');
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: { 'http.error_source': 'unknown' }, unknown: [] });
    // A command word that is not among the fact's values is still refused as its value.
    const done = await runCli(['interview'], { input: 'tcp.connect=done\n' });
    expect([done.code, done.stderr.split('\n').at(-2)]).toEqual([2, 'rca: input error: stdin line 1 (answer to Q1): tcp.connect: expected one of ok, refused, timeout, reset, got "done"']);
    // At its own question the word is "don't know": no evidence unless said as FACT=VALUE.
    const asked = await runCli(['interview', '--save', save], { input: 'errors\n503\nunknown\ndone\n' });
    expect(questions(asked.stderr).slice(0, 3)).toEqual(['symptom.kind', 'http.status', 'http.error_source']);
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: { 'symptom.kind': 'errors', 'http.status': 503 }, unknown: ['http.error_source'] });
  });

  it('reads full-width digits, letters and signs as a Chinese input method types them (５０３, ５０％, ｙｅｓ), and quotes a refused answer as it came', async () => {
    // They were refused: 'ping.result: expected one of ok, partial_loss, fail, got "ｐａｒｔｉａｌ＿ｌｏｓｓ"'.
    const run = await interview(['ｐａｒｔｉａｌ＿ｌｏｓｓ', '３０％'], ['--lang', 'zh-CN', '-f', 'json']);
    expect([run.code, (JSON.parse(run.stdout) as { facts: unknown }).facts]).toEqual([0, { 'ping.result': 'partial_loss', 'ping.loss_pct': 30 }]);
    const refused = await interview(['ｆａｉｌ', '３０ｘ'], ['--lang', 'zh-CN']);
    expect([refused.code, refused.stderr.split('\n').at(-2)]).toEqual([2, 'rca: input error: stdin line 2 (answer to Q2): tcp.connect: expected one of ok, refused, timeout, reset, got "３０ｘ"']);
  });

  it('undoes the last answer on "back"', async () => {
    const run = await interview(['partial_loss', 'back', 'fail', 'ok']);
    expect(questions(run.stderr)).toEqual(['ping.result', 'ping.loss_pct', 'ping.result', 'tcp.connect']);
    expect(run.stderr).toContain('undone');
    expect(run.stdout).toContain('network.icmp_filtered');
  });

  it('stops on "done" and still reports', async () => {
    const run = await interview(['partial_loss', 'done']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Stopped on request.');
    expect(run.stdout).toContain('1. ████░░░░░░ 40%  network.packet_loss');
  });

  it('stops on "q", "quit", "exit" and "stop" as on "done", as a shell user types them', async () => {
    for (const word of ['q', 'Quit', 'exit', 'stop']) {
      const run = await interview(['partial_loss', word]);
      expect([run.code, run.stderr.includes('Stopped on request.')], word).toEqual([0, true]);
    }
  });

  // Issue 15: a rejected line used to be re-asked, so every later line answered the wrong
  // question and the run ended with exit 0 and no facts. Without a terminal it is now an error.
  it('ends with an input error (exit 2) on a rejected answer, naming the line, the fact, what was expected and what came, with no pointer to --help', async () => {
    const rejected = async (answers: string[], message: string) => {
      const save = join(tmp, `rejected-${answers.length}.json`);
      const run = await interview(answers, ['--save', save]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`rca: input error: ${message}\n`);
      expect(run.stderr).not.toContain('--help');
      return JSON.parse(readFileSync(save, 'utf8')) as unknown;
    };
    expect(await rejected(['maybe'], 'stdin line 1 (answer to Q1): ping.result: expected one of ok, partial_loss, fail, got "maybe"')).toEqual({ facts: {}, unknown: [] });
    // The answers given before the rejected one are saved.
    expect(await rejected(['partial_loss', '150'], 'stdin line 2 (answer to Q2): ping.loss_pct: expected a number <= 100, got number 150')).toEqual({ facts: { 'ping.result': 'partial_loss' }, unknown: [] });
    await rejected(['partial_loss', 'why', 'lots'], 'stdin line 3 (answer to Q2): ping.loss_pct: expected a number >= 0 and <= 100 (%), got "lots"');
  });

  it('resumes from --facts and asks only what is missing', async () => {
    const facts = join(tmp, 'ticket.json');
    writeFileSync(facts, JSON.stringify({ summary: 'API unreachable', facts: { 'ping.result': 'fail' } }));
    const run = await interview(['ok'], ['--facts', facts]);
    expect(questions(run.stderr)).toEqual(['tcp.connect']);
    expect(run.stdout).toContain('Summary: API unreachable');
  });

  it('reads a --facts document\'s artifacts as rca diagnose does: their facts are not asked, and a disagreement with a stated fact is in the report', async () => {
    // It was refused: "ticket.json at /artifacts: expected no artifacts here, got 1 artifacts" (exit 2).
    const facts = join(tmp, 'ticket-with-artifacts.json');
    const ping = readFileSync(join('test', 'fixtures', 'artifacts', 'ping', 'linux-all-lost.txt'), 'utf8');
    writeFileSync(facts, JSON.stringify({ facts: { 'http.status': 500 }, artifacts: [{ kind: 'ping', text: ping }, { kind: 'curl-w', text: 'http_code=503 time_total=0.1' }] }));
    const run = await interview(['ok'], ['--facts', facts, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(questions(run.stderr)).toEqual(['tcp.connect']);
    const report = JSON.parse(run.stdout) as { facts: Record<string, unknown>; warnings: unknown[] };
    expect(report.facts).toEqual({ 'http.status': 500, 'http.latency_ms': 100, 'ping.result': 'fail', 'ping.loss_pct': 100, 'tcp.connect': 'ok' });
    expect(report.warnings).toEqual([{ field: 'http.status', message: 'artifacts[1] (curl-w) says 503, the explicit fact says 500: kept 500' }]);
    // An answer that replaces the stated value (FACT=VALUE) leaves no disagreement to report.
    const replaced = await interview(['http.status=503', 'ok'], ['--facts', facts, '--format', 'json']);
    expect((JSON.parse(replaced.stdout) as { warnings: unknown[] }).warnings).toEqual([]);
  });

  it('is not confident under --min-confidence (nothing left worth asking, it names the leaders to tell apart), and refuses one outside 0-1', async () => {
    const loose = await interview(['partial_loss', '30']);
    expect(loose.stderr).toContain('top now: 1. network.packet_loss 62%  2. lb.health_check_misconfigured 11%  3. lb.no_healthy_backend 11%\nThe leading cause is clearly ahead. network.packet_loss leads; run mtr -rwc 50 \'<target.host>\' to confirm it.\n');
    // In Chinese the stop's two sentences meet without a space: "。" is full-width.
    const chinese = await interview(['partial_loss', '30'], ['--lang', 'zh-CN']);
    expect(chinese.stderr).toContain('领先的根因已明显胜出。network.packet_loss ');
    const strict = await interview(['partial_loss', '30'], ['--min-confidence', '0.9']);
    expect(questions(strict.stderr)).toEqual(['ping.result', 'ping.loss_pct']);
    expect(strict.stderr).toContain(
      "top now: 1. network.packet_loss 62%  2. lb.health_check_misconfigured 11%  3. lb.no_healthy_backend 11%\nnetwork.packet_loss or lb.health_check_misconfigured; run mtr -rwc 50 '<target.host>' and curl -sv '<target.url>' to tell them apart (no question left is worth your time: unlikely to be answered, or to separate them).\n",
    );
    const bad = await interview([], ['--min-margin', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-margin: expected a number from 0 to 1, got 2');
  });

  it('stops at --max-questions', async () => {
    const run = await interview(['partial_loss', '30'], ['--max-questions', '1']);
    expect(questions(run.stderr)).toEqual(['ping.result']);
    // Undecided at the limit, it names the leaders and what tells them apart, as a stop on "don't know"s does.
    expect(run.stderr).toContain("Reached the question limit. network.packet_loss or lb.health_check_misconfigured; run mtr -rwc 50 '<target.host>' and curl -sv '<target.url>' to tell them apart.\n   fill in before running: target.host, target.url\n");
    // With nothing weighed, no leader is named; confident before the limit, the limit is not said.
    const blind = await interview(['?'], ['--max-questions', '1']);
    expect(blind.stderr).toMatch(/Reached the question limit\.\n/);
    const clear = await interview(['fail', 'ok'], ['--max-questions', '2']);
    expect([clear.stderr.includes('The leading cause is clearly ahead.'), clear.stderr.includes('question limit')]).toEqual([true, false]);
  });
});

describe('rca interview with stdin left open (a terminal or a pipe nobody closes)', () => {
  it('in-process: stops reading stdin once the report is out', async () => {
    const run = inProcessIo();
    const answers = Object.assign(new PassThrough(), { isTTY: false });
    answers.write('fail\nok\n');
    expect(await main(['interview', ...KB, '-f', 'json'], { ...run.io, stdin: answers })).toBe(0);
    expect((JSON.parse(run.stdout()) as { facts: unknown }).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
    // Nothing listens on stdin any more: the process is free to exit.
    expect(['data', 'readable', 'end'].map((event) => answers.listenerCount(event))).toEqual([0, 0, 0]);
    expect(answers.isPaused()).toBe(true);
  });

  it('smoke: the bin exits after the report although stdin never ends', async () => {
    const child = spawnBin(['interview', ...KB, '-f', 'json']);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write('fail\nok\n');
    const stall = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(stall);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { facts: unknown }).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
  });
});

describe('rca interview, smoke: the built bin in its own process, for a real SIGINT', () => {
  it('saves the facts gathered so far on Ctrl-C and exits 130', async () => {
    const save = join(tmp, 'interrupted.json');
    const child = spawnBin(['interview', ...KB, '--save', save]);
    let stderr = '';
    let answered = false;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Once: Q1's text may come in several chunks, and a second line would answer Q2.
        if (stderr.includes('Q1 [ping.result]') && !answered) {
          answered = true;
          child.stdin.write('fail\n');
        }
        if (stderr.includes('Q2 [tcp.connect]')) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: { 'ping.result': 'fail' }, unknown: [] });
  });
});

describe('rca interview --facts: the document\'s "lang" and "format", as rca diagnose reads them', () => {
  const ticket = join(tmp, 'zh-ticket.json');
  writeFileSync(ticket, JSON.stringify({ lang: 'zh-CN', format: 'json', facts: { 'ping.result': 'fail' } }));

  it('asks and reports in the document\'s language and format', async () => {
    const run = await interview(['done'], ['--facts', ticket]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe((await runCli(['diagnose', ticket, ...KB])).stdout);
    expect(JSON.parse(run.stdout)).toMatchObject({ lang: 'zh-CN' });
    expect(run.stderr).toContain(`\n${uiText('iv_done_user', 'zh-CN')}\n`);
  });

  it('--lang and --format on the line win, and --save keeps the document\'s settings for a resumed interview', async () => {
    const save = join(tmp, 'zh-progress.json');
    const run = await interview(['done'], ['--facts', ticket, '--lang', 'en', '-f', 'text', '--save', save]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe((await runCli(['diagnose', ticket, ...KB, '--lang', 'en', '-f', 'text'])).stdout);
    expect(run.stderr).toContain(`\n${uiText('iv_done_user', 'en')}\n`);
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ lang: 'zh-CN', format: 'json', facts: { 'ping.result': 'fail' }, unknown: [] });
  });
});

describe('rca interview: a line of input is bounded', () => {
  it('refuses a line longer than the longest paste as soon as it passes it, naming the line and the limit, without reading the rest', async () => {
    // 8 MiB on one line, in the 64 KiB chunks a pipe gives, after one answer.
    let pulled = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const stdin = Object.assign(
      Readable.from(
        (function* () {
          yield Buffer.from('partial_loss\n');
          for (; pulled < 128; pulled++) yield chunk;
        })(),
      ),
      { isTTY: false as const },
    );
    const save = join(tmp, 'long-line.json');
    // The same interview with its input ending after the answer: what comes before the error.
    const before = await interview(['partial_loss'], ['--save', save]);
    const run = inProcessIo();
    const started = performance.now();
    const code = await main(['interview', ...KB, '--save', save], { ...run.io, stdin });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect({ code, stdout: run.stdout(), stderr: run.stderr() }).toEqual({
      code: 2,
      stdout: '',
      stderr: `${before.stderr}rca: input error: stdin line 2: expected a line of at most ${PASTE_MAX_CHARS} characters, got a longer one\n`,
    });
    expect(pulled).toBeLessThan(32);
    // The answer before it is saved.
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: { 'ping.result': 'partial_loss' }, unknown: [] });
  });

  it('reads lines as readline does: CR LF, LF or a lone CR ends one, across chunks too, and the last needs none', async () => {
    const stdin = Object.assign(Readable.from([Buffer.from('fail\r'), Buffer.from('\nok')]), { isTTY: false as const });
    const run = inProcessIo();
    expect(await main(['interview', ...KB, '-f', 'json'], { ...run.io, stdin })).toBe(0);
    expect((JSON.parse(run.stdout()) as { facts: unknown }).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
    const lone = await runCli(['interview', ...KB, '-f', 'json'], { input: 'fail\rok\r' });
    expect((JSON.parse(lone.stdout) as { facts: unknown }).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
  });
});

describe('rca interview: the answers\' encoding', () => {
  it('reads UTF-16 answers that open with its byte order mark, as a --facts document is read (Windows PowerShell 5.1\'s > writes them so)', async () => {
    // They were read as UTF-8: 'symptom.kind: expected one of ..., got "\ufffd\ufffdf\x00a\x00..."'.
    for (const [encoding, bom] of [['utf16le', [0xff, 0xfe]], ['utf16be', [0xfe, 0xff]]] as const) {
      const text = Buffer.from('fail\r\nok\r\n', 'utf16le');
      if (encoding === 'utf16be') text.swap16();
      // The mark split over two chunks, as a pipe may give them.
      const stdin = Object.assign(Readable.from([Buffer.from([bom[0]]), Buffer.concat([Buffer.from([bom[1]]), text])]), { isTTY: false as const });
      const run = inProcessIo();
      expect(await main(['interview', ...KB, '-f', 'json'], { ...run.io, stdin }), run.stderr()).toBe(0);
      expect((JSON.parse(run.stdout()) as { facts: unknown }).facts, encoding).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
    }
  });
});

describe("rca interview: a question's command fits the runtime the ticket names (lab 206: jstat asked of a Node.js service)", () => {
  // The busiest process, its CPU, the kernel's share, the app's CPU and PSI come first: "?" to each reaches the GC question.
  const DONT_KNOW = '?\n?\n?\n?\n?\n?\ndone\n';
  const ticket = (runtime?: string) => {
    const file = join(tmp, `gc-${runtime ?? 'unknown'}.json`);
    const facts = { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'symptom.intermittent': true, 'proc.app_pid': 29896, 'proc.top_role': 'app', 'host.cpu_pct': 99.9 };
    writeFileSync(file, JSON.stringify(runtime === undefined ? facts : { ...facts, 'app.runtime': runtime }));
    return file;
  };
  const NODE_TRACE = 'NODE_OPTIONS=--trace-gc APP_START_COMMAND > /tmp/rca-trace-gc.log 2>&1 & sleep 60; cat /tmp/rca-trace-gc.log';

  it("shows --trace-gc for a node ticket, with the gc-log paste that reads it, after a don't know", async () => {
    const run = await runCli(['interview', '--facts', ticket('node')], { input: DONT_KNOW });
    expect(run.code).toBe(0);
    expect(questions(run.stderr)).toContain('app.gc_time_pct');
    expect(run.stderr).toContain(`   $ ${NODE_TRACE}\n> \n   To find out, run: $ ${NODE_TRACE}\n   then paste its output here: a line "paste gc-log|jstat", the output, and a line "end"; pasted as gc-log, it answers app.gc_pause_ms too\n`);
    expect(run.stderr).not.toContain('jstat -gcutil');
  });

  it("shows the JVM's jstat while the runtime is unknown", async () => {
    const run = await runCli(['interview', '--facts', ticket()], { input: DONT_KNOW });
    expect(run.code).toBe(0);
    expect(questions(run.stderr)).toContain('app.gc_time_pct');
    expect(run.stderr).toContain('   $ jstat -gcutil -t 29896 1000 10\n> \n   To find out, run: $ jstat -gcutil -t 29896 1000 10\n   then paste its output here: a line "paste jstat|gc-log", the output, and a line "end"\n');
    expect(run.stderr).not.toContain('--trace-gc APP_START_COMMAND');
  });
});
