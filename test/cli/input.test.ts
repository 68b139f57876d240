import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { expectedAnswer, parseReply, replyProblem, type Reply } from '../../src/cli/interview/answers.js';
import { droppedText } from '../../src/cli/interview/prompters.js';
import { invalidUtf8 } from '../../src/core/utf8.js';
import { main } from '../../src/cli/main.js';
import type { InterviewQuestion } from '../../src/core/interview.js';
import { inProcessIo, runCli } from './run.js';
import { baseVocabulary } from '../../src/core/vocabulary.js';
import { cpuStopwatch } from '../cpu-time.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-input-'));
function file(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

const FACTS = '{"facts": {"ping.result": "fail", "tcp.connect": "ok"}}';
const diagnoseJson = (source: string, input?: string) => runCli(['diagnose', source, '--format', 'json'], { input });

describe('rca diagnose: a misspelt wrapper', () => {
  it('suggests "facts" for {"fact": ...}, read as bare facts, exit 2', async () => {
    const run = await diagnoseJson('-', '{"fact": {"http.status": 503}}');
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rca: input error: stdin at fact.http.status: expected a known fact name (did you mean "facts"? without "facts", a document is read as the facts themselves), got unknown fact "fact.http.status"\n',
    });
  });
});

describe('rca diagnose: hostile input', () => {
  it('lists at most 50 problems, one a line, and counts the rest on a last line', async () => {
    const facts = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`bogus.f${i}`, 1]));
    const run = await diagnoseJson('-', JSON.stringify({ facts }));
    const lines = run.stderr.trimEnd().split('\n');
    expect([run.code, lines.length, lines[0], lines[50]]).toEqual([2, 51, 'rca: input error: stdin at bogus.f0: expected a known fact name (`rca facts` or GET /v1/schema/facts lists them), got unknown fact "bogus.f0"', 'rca: input error: and 10 more problems (the first 50 are listed)']);
  });

  it('accepts a file or stdin that starts with a UTF-8 byte order mark, as the API does', async () => {
    const plain = await diagnoseJson(file('plain.json', FACTS));
    const fromFile = await diagnoseJson(file('bom.json', `\uFEFF${FACTS}`));
    const fromStdin = await diagnoseJson('-', `\uFEFF${FACTS}`);
    expect([plain.code, fromFile.code, fromStdin.code]).toEqual([0, 0, 0]);
    expect(JSON.parse(fromFile.stdout).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
    expect(JSON.parse(fromStdin.stdout).hypotheses).toEqual(JSON.parse(plain.stdout).hypotheses);
  });

  it('refuses a key given twice in a file or on stdin, naming the key and its line:column', async () => {
    const twice = '{"facts": {"target.host": "db1.example",\n  "ping.result": "ok", "target.host": "db2.example"}}';
    const line = (source: string) => `rca: input error: ${source}:2:24: expected each key at most once in an object, got the key "target.host" twice\n`;
    const path = file('twice.json', twice);
    expect(await diagnoseJson(path)).toEqual({ code: 2, stdout: '', stderr: line(path) });
    expect(await diagnoseJson('-', twice)).toEqual({ code: 2, stdout: '', stderr: line('stdin') });
  });

  it('refuses a host that would become an option, and a pid beyond the safe integers', async () => {
    expect(await diagnoseJson('-', '{"target.host": "-f/etc/secret"}')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rca: input error: stdin at target.host: expected a host name (RFC 1123) or an IPv4 or IPv6 address, got string "-f/etc/secret"\n',
    });
    expect(await diagnoseJson('-', '{"proc": {"app_pid": 1e29}}')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rca: input error: stdin at proc.app_pid: expected an integer from 1 to 9007199254740991, got number 1e+29 as read (past 9007199254740991 a number is rounded: the digits given may differ)\n',
    });
  });

  it('shows control characters of malformed JSON visibly in the error', async () => {
    const run = await diagnoseJson('-', '{"a": \u001b]52;c;eA==\u0007}');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("rca: input error: stdin:1:7: expected a value, got '\\x1b'\n");
    expect([run.stderr.includes('\u001b'), run.stderr.includes('\u0007')]).toEqual([false, false]);
  });

  it('shows control characters of an unknown fact name visibly in the error', async () => {
    expect(await diagnoseJson('-', '{"\\u001b]0;pwned\\u0007x": 1, "\\ufeffy": 2}')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'rca: input error: stdin at \\x1b]0;pwned\\x07x: expected a known fact name (`rca facts` or GET /v1/schema/facts lists them), got unknown fact "\\x1b]0;pwned\\x07x"\n' +
        'rca: input error: stdin at \\ufeffy: expected a known fact name (`rca facts` or GET /v1/schema/facts lists them), got unknown fact "\\ufeffy"\n',
    });
  });
});

describe('rca parse: a warning that quotes the paste', () => {
  it('shows its control characters visibly, never sends them to the terminal (a df mount point holding a hyperlink and a screen clear)', async () => {
    const df = file('df-escapes.txt', 'Filesystem Size Used Avail Use% Mounted on\n/dev/sda1 50G 49G 1.0G 99% /data\u001b]8;;http://evil.example/\u0007CLICK\u001b[2J\u202e\n/dev/sdb1 50G 10G 40G 20% /var\n');
    const run = await runCli(['parse', 'df', df]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`rca: warning: ${df}: host.disk_used_pct: the fullest of 2 filesystems is /data\\x1b]8;;http://evil.example/\\x07CLICK\\x1b[2J\\u202e (/dev/sda1, 99% used): check that the service writes there (df -h PATH shows the one a path is on)\n`);
  });
});

describe('rca interview: answers are checked as any input', () => {
  /** A rejected reply as the prompt shows it; anything else as it is. */
  const shown = (reply: Reply) => (reply.kind === 'invalid' ? { rejected: replyProblem(reply) } : reply);
  const hostQuestion: InterviewQuestion = { fact: 'target.host', text: 'Which host?', help: null, type: 'string', choices: null, unit: null, minimum: null, maximum: null, how: null, paste: null, why: { separates: [], rules: [] }, score: 1 };
  const pidQuestion: InterviewQuestion = { ...hostQuestion, fact: 'proc.app_pid', type: 'integer', minimum: 1 };

  it('re-asks a host that is no host name, with the same error as the API and the CLI', () => {
    expect(shown(parseReply('-f/etc/secret', hostQuestion, baseVocabulary()))).toEqual({
      rejected: 'target.host: expected a host name (RFC 1123) or an IPv4 or IPv6 address, got string "-f/etc/secret"',
    });
    expect(parseReply('db1.example', hostQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 'db1.example' });
  });

  it('reads "__proto__" and "constructor" as the text they are, not as Object.prototype\'s properties', () => {
    const kindQuestion: InterviewQuestion = { ...hostQuestion, fact: 'symptom.kind', type: 'enum', choices: ['slow'] };
    for (const reply of ['__proto__', 'constructor', 'toString']) {
      expect(shown(parseReply(reply, kindQuestion, baseVocabulary()))).toEqual({ rejected: `symptom.kind: expected one of slow, got "${reply}"` });
    }
  });

  it('takes a choice typed as people type it (any case, a space or hyphen for its underscore), and only a choice so spelled', () => {
    const kindQuestion: InterviewQuestion = { ...hostQuestion, fact: 'symptom.kind', type: 'enum', choices: ['slow', 'errors', 'timeout', 'unreachable', 'connection_reset'] };
    const scopeQuestion: InterviewQuestion = { ...hostQuestion, fact: 'symptom.scope', type: 'enum', choices: ['single_client', 'some_clients', 'all_clients'] };
    const answers = ['Errors', ' SLOW ', 'connection reset', 'Connection-Reset'].map((reply) => parseReply(reply, kindQuestion, baseVocabulary()));
    expect(answers).toEqual(['errors', 'slow', 'connection_reset', 'connection_reset'].map((value) => ({ kind: 'answer', value })));
    expect(parseReply('All clients', scopeQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 'all_clients' });
    for (const reply of ['err', 'connection  reset by peer', 'all']) {
      expect(parseReply(reply, kindQuestion, baseVocabulary()), reply).toMatchObject({ kind: 'invalid' });
    }
    // A choice by its number, and one past the list refused as the prompt lists the answers (it was the vocabulary's quoted list, 'got string "9"').
    expect(parseReply('2', kindQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 'errors' });
    expect(shown(parseReply('9', kindQuestion, baseVocabulary()))).toEqual({ rejected: 'symptom.kind: expected one of slow, errors, timeout, unreachable, connection_reset (or its number, 1 to 5), got "9"' });
  });

  it('takes a number followed by the unit the question shows ("250 ms", "12%"), and nothing else after it', () => {
    const msQuestion: InterviewQuestion = { ...hostQuestion, fact: 'dns.resolve_ms', type: 'number', unit: 'ms', minimum: 0 };
    for (const reply of ['250 ms', '250ms', '250 MS', '250']) expect(parseReply(reply, msQuestion, baseVocabulary()), reply).toEqual({ kind: 'answer', value: 250 });
    for (const reply of ['ms', '250 msec', 's', '250 sx', '0x10', '0b1', '0o7', '1,000', 'Infinity']) expect(parseReply(reply, msQuestion, baseVocabulary()).kind, reply).toBe('invalid');
    for (const [reply, value] of [['1e3', 1000], ['.5', 0.5], ['+7', 7], ['45.', 45]] as const) expect(parseReply(reply, msQuestion, baseVocabulary()), reply).toEqual({ kind: 'answer', value });
    // curl -w prints seconds: to a question in ms they are converted, and ms to one in seconds.
    for (const [reply, value] of [['0.045 s', 45], ['3.2s', 3200], ['1.005 sec', 1005], ['2 seconds', 2000]] as const) expect(parseReply(reply, msQuestion, baseVocabulary()), reply).toEqual({ kind: 'answer', value });
    expect(parseReply('450 ms', { ...msQuestion, fact: 'lb.idle_timeout_s', unit: 's' }, baseVocabulary())).toEqual({ kind: 'answer', value: 0.45 });
    // Timeouts are often said in minutes or hours (an LB's idle timeout, a pool's): converted too, to a question in s or ms.
    const seconds = { ...msQuestion, fact: 'lb.idle_timeout_s', unit: 's' };
    for (const [reply, value] of [['1m', 60], ['5 min', 300], ['2 minutes', 120], ['1.5 h', 5400], ['2 hrs', 7200], ['5000 ms', 5], ['350', 350]] as const) expect(parseReply(reply, seconds, baseVocabulary()), reply).toEqual({ kind: 'answer', value });
    expect(parseReply('1 min', msQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 60000 });
    // Near misses: a unit in a word, or a unit alone, is no number; a question in % takes no time unit.
    for (const reply of ['5 minx', 'min', '1 mh', '5 m s']) expect(parseReply(reply, seconds, baseVocabulary()).kind, reply).toBe('invalid');
    expect(parseReply('5 min', { ...msQuestion, fact: 'host.cpu_pct', unit: '%', maximum: 100 }, baseVocabulary()).kind).toBe('invalid');
    expect(parseReply('12%', { ...msQuestion, fact: 'host.cpu_pct', unit: '%', maximum: 100 }, baseVocabulary())).toEqual({ kind: 'answer', value: 12 });
  });

  it('reads FACT=VALUE as what is known of that fact, its value read as its own question reads it; text that only looks so answers a text question', () => {
    const msQuestion: InterviewQuestion = { ...hostQuestion, fact: 'dns.resolve_ms', type: 'number', unit: 'ms', minimum: 0 };
    expect(parseReply('lb.idle_timeout_s=5 min', msQuestion, baseVocabulary())).toEqual({ kind: 'volunteer', fact: 'lb.idle_timeout_s', value: 300 });
    expect(parseReply('path.via_lb = yes', msQuestion, baseVocabulary())).toEqual({ kind: 'volunteer', fact: 'path.via_lb', value: true });
    expect(parseReply('symptom.kind=Connection reset', msQuestion, baseVocabulary())).toEqual({ kind: 'volunteer', fact: 'symptom.kind', value: 'connection_reset' });
    // Of the fact asked, it is the answer; a command is no value.
    expect(parseReply('dns.resolve_ms=0.2 s', msQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 200 });
    expect(parseReply('path.via_lb=?', msQuestion, baseVocabulary())).toMatchObject({ kind: 'invalid', problems: [{ field: 'path.via_lb', got: '"?"' }] });
    // An unknown fact: its own error at a question that takes no text, plain text at one that does.
    expect(parseReply('dns.reslove_ms=5', msQuestion, baseVocabulary())).toMatchObject({ kind: 'invalid', problems: [{ field: 'dns.reslove_ms' }] });
    const nameQuestion: InterviewQuestion = { ...hostQuestion, fact: 'proc.top_name' };
    expect(parseReply('java.home=/opt/jdk', nameQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 'java.home=/opt/jdk' });
    // No value is that fact's error, not the question's, at a text question too; near misses: no group, a URL.
    expect(parseReply('path.via_lb=', msQuestion, baseVocabulary())).toEqual({ kind: 'invalid', problems: [{ field: 'path.via_lb', expected: 'yes or no', got: 'nothing' }] });
    expect(parseReply('proc.top_name = ', { ...hostQuestion, fact: 'proc.top_role' }, baseVocabulary())).toEqual({ kind: 'invalid', problems: [{ field: 'proc.top_name', expected: 'text', got: 'nothing' }] });
    expect(parseReply('via_lb=yes', nameQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 'via_lb=yes' });
    expect(parseReply('https://shop.example/?a.b=c', { ...hostQuestion, fact: 'target.url' }, baseVocabulary())).toEqual({ kind: 'answer', value: 'https://shop.example/?a.b=c' });
  });

  it('shows a unit that is a word in the prompt\'s language ("(days)", "(天)"), a symbol as it is, and takes the number followed by either', () => {
    const days: InterviewQuestion = { ...hostQuestion, fact: 'tls.cert_days_left', type: 'number', unit: 'days' };
    expect([expectedAnswer(days, 'en'), expectedAnswer(days, 'zh-CN')]).toEqual(['a number (days)', '数字（天）']);
    expect(expectedAnswer({ ...days, fact: 'dns.resolve_ms', unit: 'ms', minimum: 0 }, 'zh-CN')).toBe('数字 >= 0（ms）');
    for (const reply of ['30', '30 days', '30 天', '30天']) expect(parseReply(reply, days, baseVocabulary()), reply).toEqual({ kind: 'answer', value: 30 });
    for (const reply of ['天', '30 天天', '30 days 天']) expect(parseReply(reply, days, baseVocabulary()).kind, reply).toBe('invalid');
  });

  it('counts pasted lines it did not take in the singular for one ("1 pasted line", not "1 pasted line(s)")', () => {
    expect(droppedText({ kind: 'pasted_lines', lines: 1 }, 'en')).toMatch(/^1 pasted line not taken as an answer: to paste/);
    expect(droppedText({ kind: 'pasted_lines', lines: 3 }, 'en')).toMatch(/^3 pasted lines not taken as answers: to paste/);
    expect(droppedText({ kind: 'pasted_lines', lines: 1 }, 'zh-CN')).toMatch(/^粘贴的 1 行没有被当作回答：/);
    expect(droppedText({ kind: 'long_line', limit: 4096 }, 'en')).toMatch(/^a line over 4096 characters is not taken as an answer/);
  });

  it('takes the interview\'s Chinese words for yes, no and "don\'t know"', () => {
    const flag: InterviewQuestion = { ...hostQuestion, fact: 'path.via_lb', type: 'boolean', choices: ['yes', 'no'] };
    for (const reply of ['是', '对', '有']) expect(parseReply(reply, flag, baseVocabulary()), reply).toEqual({ kind: 'answer', value: true });
    for (const reply of ['否', '不是', '没有']) expect(parseReply(reply, flag, baseVocabulary()), reply).toEqual({ kind: 'answer', value: false });
    for (const reply of ['不知道', '不清楚', '？']) expect(parseReply(reply, flag, baseVocabulary()), reply).toEqual({ kind: 'unknown' });
  });

  it('says what an answer must be in the language of the prompt, and in English in an error', async () => {
    const status: InterviewQuestion = { ...hostQuestion, fact: 'http.status', type: 'integer', minimum: 100, maximum: 599 };
    const used: InterviewQuestion = { ...hostQuestion, fact: 'host.disk_used_pct', type: 'number', unit: '%', minimum: 0, maximum: 100 };
    const flag: InterviewQuestion = { ...hostQuestion, fact: 'path.via_lb', type: 'boolean', choices: ['yes', 'no'] };
    const protocol: InterviewQuestion = { ...hostQuestion, fact: 'target.protocol', type: 'enum', choices: ['http', 'https'] };
    expect([status, used, flag, protocol, hostQuestion].map((q) => expectedAnswer(q, 'zh-CN'))).toEqual(['整数 >= 100 且 <= 599', '数字 >= 0 且 <= 100（%）', 'yes 或 no', 'http, https 之一', '文本']);
    expect([status, used, flag, protocol, hostQuestion].map((q) => expectedAnswer(q))).toEqual(['a whole number >= 100 and <= 599', 'a number >= 0 and <= 100 (%)', 'yes or no', 'one of http, https', 'text']);
    expect(shown(parseReply('lots', status, baseVocabulary()))).toEqual({ rejected: 'http.status: expected a whole number >= 100 and <= 599, got "lots"' });
    // A scripted interview in Chinese shows the hint in Chinese.
    const run = await runCli(['interview', '--lang', 'zh-CN'], { input: 'errors\n?\ndone\n' });
    expect(run.stderr).toContain('   可选答案：slow, errors, timeout, unreachable, connection_reset 之一  （或：?, ');
  });

  it('re-asks a pid beyond the safe integers', () => {
    expect(shown(parseReply('1e29', pidQuestion, baseVocabulary()))).toEqual({ rejected: 'proc.app_pid: expected an integer from 1 to 9007199254740991, got number 1e+29 as read (past 9007199254740991 a number is rounded: the digits given may differ)' });
    expect(parseReply('4194304', pidQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 4194304 });
  });
});

describe('rca diagnose: every input error names its input', () => {
  const incident = join('examples', '01-apm-agent-cpu.json');

  it('a fact out of range in the second of two documents names that document, as in one alone and on stdin', async () => {
    const bad = file('second.json', '{"facts": {"http.status": 700}}');
    const line = (source: string) => `rca: input error: ${source} at http.status: expected a number <= 599, got number 700\n`;
    expect(await runCli(['diagnose', incident, bad])).toEqual({ code: 2, stdout: '', stderr: line(bad) });
    expect(await runCli(['diagnose', bad])).toEqual({ code: 2, stdout: '', stderr: line(bad) });
    expect(await runCli(['diagnose', incident, '-'], { input: '{"facts": {"http.status": 700}}' })).toEqual({ code: 2, stdout: '', stderr: line('stdin') });
  });

  it('a YAML document, an artifact and a --facts ticket name theirs too', async () => {
    const yaml = file('second.yaml', 'facts: { ping.result: ok }\nlang: fr\n');
    expect(await runCli(['diagnose', incident, yaml])).toEqual({
      code: 2,
      stdout: '',
      stderr: `rca: input error: ${yaml} at /lang: expected a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY, got string "fr"\n`,
    });
    const junk = file('junk.txt', 'hello\n');
    expect(await runCli(['diagnose', incident, '--artifact', `ping=${junk}`])).toEqual({ code: 2, stdout: '', stderr: `rca: input error: --artifact ping=${junk}: expected output of \`ping -c N HOST\` (Linux iputils, BSD/macOS, busybox or Windows) with its statistics summary, got unrecognised text\n` });
    const ticket = file('ticket.json', '{"facts": {"http.status": 700}}');
    expect(await runCli(['interview', '--facts', ticket])).toEqual({ code: 2, stdout: '', stderr: `rca: input error: ${ticket} at http.status: expected a number <= 599, got number 700\n` });
  });
});

describe('a pipe given as a file (process substitution, `--artifact top=<(top -b -n 1)`, passes /dev/fd/N)', () => {
  /** A named pipe at PATH that TEXT is written into once a reader opens it. */
  function pipeOf(name: string, text: string | Buffer): string {
    const path = join(tmp, name);
    execFileSync('mkfifo', [path]);
    const writer = createWriteStream(path);
    // A reader refusing an oversize pipe stops reading: the writer's EPIPE is expected.
    writer.on('error', () => undefined);
    writer.end(text);
    return path;
  }

  it('is read to its end, as a facts document and as a tool\'s output', async () => {
    const facts = pipeOf('facts.pipe', FACTS);
    const ping = pipeOf('ping.pipe', readFileSync(join('test', 'fixtures', 'artifacts', 'ping', 'busybox-ok.txt')));
    const run = await runCli(['diagnose', facts, '--artifact', `ping=${ping}`, '-f', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.4, 'ping.rtt_max_ms': 0.412 });
  });

  it('is refused once it passes the size limit, naming it, as stdin is', async () => {
    const big = pipeOf('big.pipe', Buffer.alloc(1024 * 1024 + 1, 0x20));
    expect(await runCli(['diagnose', big])).toEqual({ code: 2, stdout: '', stderr: `rca: input error: ${big}: expected at most 1048576 bytes, got more than 1048576 bytes\n` });
  });
});

describe('rca diagnose: a number beyond the largest one', () => {
  it('in JSON, says where, what was expected and the number as written', async () => {
    const text = '{"facts": {"ping.result": "ok", "http.latency_ms": 1e400}}';
    const path = file('huge.json', text);
    expect(await runCli(['diagnose', path])).toEqual({
      code: 2,
      stdout: '',
      stderr: `rca: input error: ${path}:1:${text.indexOf('1e400') + 1}: expected a finite number, got 1e400, which is beyond the largest number (1.7976931348623157e+308)\n`,
    });
  });

  it('in YAML, as in JSON: where, what was expected and the number as written (it was the string "1e400", placed at its fact)', async () => {
    const text = 'facts:\n  ping.result: ok\n  http.latency_ms: 1e400\n';
    const path = file('huge.yaml', text);
    expect(await runCli(['diagnose', path])).toEqual({
      code: 2,
      stdout: '',
      stderr: `rca: input error: ${path}:3:20: expected a finite number, got 1e400, which is beyond the largest number (1.7976931348623157e+308)\n`,
    });
  });

  it('in YAML (.inf, -.inf), names the fact and says infinity', async () => {
    const path = file('infinite.yaml', 'http.latency_ms: .inf\ntcp.connect_ms: -.inf\n');
    expect(await runCli(['diagnose', path])).toEqual({
      code: 2,
      stdout: '',
      stderr: `rca: input error: ${path} at http.latency_ms: expected a finite number, got infinity\nrca: input error: ${path} at tcp.connect_ms: expected a finite number, got minus infinity\n`,
    });
  });
});

describe('rca diagnose: a lone surrogate (half of an emoji, which a \\u escape can write)', () => {
  const refused = (field: string, unit: string, character: number) => `rca: input error: ${field}: expected Unicode text, got a lone surrogate (\\u${unit}) at character ${character}\n`;

  it('in JSON, is refused at the line:column of its string, on diagnose and interview', async () => {
    const text = '{"facts": {"ping.result": "ok",\n  "proc.top_name": "java \\udfff"}}';
    const path = file('half-emoji.json', text);
    const stderr = refused(`${path}:2:20`, 'dfff', 6);
    expect(await runCli(['diagnose', path])).toEqual({ code: 2, stdout: '', stderr });
    expect(await runCli(['interview', '--facts', path])).toEqual({ code: 2, stdout: '', stderr });
  });

  it('in YAML (\\u and \\U escapes of double-quoted scalars), is refused at the JSON pointer of its value or key, shown escaped', async () => {
    expect(await diagnoseJson('-', 'summary: "cut \\ud83d"\nfacts: {ping.result: ok}\n')).toEqual({ code: 2, stdout: '', stderr: refused('stdin at /summary', 'd83d', 5) });
    expect(await diagnoseJson('-', 'facts:\n  ping.result: ok\n  "proc.top_name\\U0000DC00": x\n')).toEqual({ code: 2, stdout: '', stderr: refused('stdin at /facts/proc.top_name\\udc00', 'dc00', 14) });
    // A pair, written in escapes, is one character: the emoji.
    const pair = await diagnoseJson('-', 'summary: "ok \\ud83d\\ude00"\nfacts: {ping.result: ok}\n');
    expect([pair.code, pair.stderr, (JSON.parse(pair.stdout) as { summary: string }).summary]).toEqual([0, '', 'ok \u{1F600}']);
  });
});

describe('input that is not UTF-8', () => {
  /** rca ARGS with STDIN as raw bytes: runCli's input is a string, always UTF-8 once encoded. */
  async function withStdin(args: string[], stdin: Buffer) {
    const run = inProcessIo();
    const code = await main(args, { ...run.io, stdin: Object.assign(Readable.from([stdin]), { isTTY: false as const }) });
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }
  const invalid = Buffer.concat([Buffer.from('{"facts": {"proc.top_name": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);

  it('a facts document is refused, naming the input and the byte offset of the first invalid sequence', async () => {
    const path = join(tmp, 'latin1.json');
    writeFileSync(path, invalid);
    const line = (source: string) => `rca: input error: ${source}: expected UTF-8 text (or UTF-16 with its byte order mark), got an invalid UTF-8 sequence at byte offset 29 (0xc3 0x28)\n`;
    expect(await runCli(['diagnose', path, '-f', 'json'])).toEqual({ code: 2, stdout: '', stderr: line(path) });
    expect(await withStdin(['diagnose', '-', '-f', 'json'], invalid)).toEqual({ code: 2, stdout: '', stderr: line('stdin') });
    expect(await runCli(['interview', '--facts', path])).toEqual({ code: 2, stdout: '', stderr: line(path) });
    // A byte order mark and characters of every length are UTF-8.
    const valid = await withStdin(['diagnose', '-', '-f', 'json'], Buffer.from('\uFEFF{"facts": {"proc.top_name": "j\u00e4va-\u4e2d-\u{1F600}"}}'));
    expect([valid.code, valid.stderr, (JSON.parse(valid.stdout) as { facts: unknown }).facts]).toEqual([0, '', { 'proc.top_name': 'j\u00e4va-\u4e2d-\u{1F600}' }]);
  });

  it('tool output (--artifact, rca parse) is read with a warning: strace and logs may hold raw bytes', async () => {
    const output = Buffer.concat([readFileSync(join('test', 'fixtures', 'artifacts', 'ping', 'linux-ok.txt')), Buffer.from('note: '), Buffer.from([0xff]), Buffer.from('\n')]);
    const path = join(tmp, 'ping-raw.txt');
    writeFileSync(path, output);
    const warning = `rca: warning: ${path}: expected UTF-8 text (or UTF-16 with its byte order mark), got an invalid UTF-8 sequence at byte offset ${output.length - 2} (0xff); such bytes are read as U+FFFD\n`;
    const clean = await runCli(['diagnose', '--artifact', `ping=${join('test', 'fixtures', 'artifacts', 'ping', 'linux-ok.txt')}`, '-f', 'json']);
    expect(await runCli(['diagnose', '--artifact', `ping=${path}`, '-f', 'json'])).toEqual({ code: 0, stdout: clean.stdout, stderr: warning });
    const parsed = await withStdin(['parse', 'ping', '-'], output);
    expect([parsed.code, parsed.stderr]).toEqual([0, warning.replace(path, 'stdin')]);
  });

  it('UTF-16 with its byte order mark (Windows PowerShell 5.1 writes files so) is read, facts and tool output alike; UTF-16 that is broken is refused as broken UTF-8 is', async () => {
    const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = (text: string) => Buffer.from(utf16le(text).map((_, i, b) => (b[i ^ 1] as number)));
    const facts = join(tmp, 'facts-utf16.json');
    writeFileSync(facts, utf16le('{"facts": {"proc.top_name": "j\u00e4va-\u4e2d", "ping.result": "ok"}}\r\n'));
    const read = await runCli(['diagnose', facts, '-f', 'json']);
    expect([read.code, read.stderr, (JSON.parse(read.stdout) as { facts: unknown }).facts]).toEqual([0, '', { 'proc.top_name': 'j\u00e4va-\u4e2d', 'ping.result': 'ok' }]);
    const bigEndian = join(tmp, 'facts-utf16be.json');
    writeFileSync(bigEndian, utf16be('{"facts": {"ping.result": "fail"}}'));
    expect((JSON.parse((await runCli(['diagnose', bigEndian, '-f', 'json'])).stdout) as { facts: unknown }).facts).toEqual({ 'ping.result': 'fail' });
    // Test-NetConnection > out.txt, as Windows PowerShell 5.1 saves it.
    const saved = join(tmp, 'test-netconnection.txt');
    writeFileSync(saved, utf16le(readFileSync(join('test', 'fixtures', 'artifacts', 'tcp-connect', 'powershell-ok.txt'), 'utf8')));
    expect(await runCli(['parse', 'tcp-connect', saved])).toEqual({ code: 0, stdout: '{\n  "facts": {\n    "tcp.connect": "ok"\n  }\n}\n', stderr: '' });
    const odd = join(tmp, 'odd.json');
    writeFileSync(odd, Buffer.concat([utf16le('{}'), Buffer.from([0x7b])]));
    expect(await runCli(['diagnose', odd])).toEqual({ code: 2, stdout: '', stderr: `rca: input error: ${odd}: expected UTF-8 text (or UTF-16 with its byte order mark), got UTF-16LE (by its byte order mark) with an odd number of bytes\n` });
    const surrogate = join(tmp, 'surrogate.json');
    writeFileSync(surrogate, Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xd8]), Buffer.from('{}', 'utf16le')]));
    expect(await runCli(['diagnose', surrogate])).toEqual({ code: 2, stdout: '', stderr: `rca: input error: ${surrogate}: expected UTF-8 text (or UTF-16 with its byte order mark), got UTF-16LE (by its byte order mark) with an unpaired surrogate\n` });
  });

  it('finds the first invalid sequence as the decoder defines them, in linear time', () => {
    const cases: Array<[number[], { offset: number; shown: string } | undefined]> = [
      [[0x61, 0xc3, 0xa4, 0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80], undefined],
      [[0x61, 0x80], { offset: 1, shown: '0x80' }],
      [[0xc0, 0xaf], { offset: 0, shown: '0xc0' }],
      [[0xe0, 0x80, 0xaf], { offset: 0, shown: '0xe0 0x80' }],
      [[0xed, 0xa0, 0x80], { offset: 0, shown: '0xed 0xa0' }],
      [[0xf4, 0x90, 0x80, 0x80], { offset: 0, shown: '0xf4 0x90' }],
      [[0xf5, 0x80], { offset: 0, shown: '0xf5' }],
      [[0x61, 0xe2, 0x82], { offset: 1, shown: '0xe2 0x82, then the end of the input' }],
      [[0xf0, 0x9f, 0x98, 0x41], { offset: 0, shown: '0xf0 0x9f 0x98 0x41' }],
    ];
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const [bytes, expected] of cases) {
      expect(invalidUtf8(Uint8Array.from(bytes)), bytes.join(' ')).toEqual(expected);
      // invalidUtf8 says where the decoder refuses, and finds nothing where it does not.
      if (expected) expect(() => decoder.decode(Uint8Array.from(bytes)), bytes.join(' ')).toThrow(TypeError);
      else expect(decoder.decode(Uint8Array.from(bytes))).toBe('a\u00e4\u4e2d\u{1F600}');
    }
    const large = Buffer.concat([Buffer.from('\u4e2d'.repeat(1024 * 1024)), Buffer.from([0xe4, 0xb8])]);
    const started = cpuStopwatch();
    expect(invalidUtf8(large)).toEqual({ offset: 3 * 1024 * 1024, shown: '0xe4 0xb8, then the end of the input' });
    expect(started.ms()).toBeLessThan(5_000);
  });
});
