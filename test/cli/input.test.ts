import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReply } from '../../src/cli/interview/answers.js';
import type { InterviewQuestion } from '../../src/core/interview.js';
import { runCli } from './run.js';
import { baseVocabulary } from '../../src/core/vocabulary.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-input-'));
function file(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

const FACTS = '{"facts": {"ping.result": "fail", "tcp.connect": "ok"}}';
const diagnoseJson = (source: string, input?: string) => runCli(['diagnose', source, '--format', 'json'], { input });

describe('rca diagnose: hostile input', () => {
  it('accepts a file or stdin that starts with a UTF-8 byte order mark, as the API does', async () => {
    const plain = await diagnoseJson(file('plain.json', FACTS));
    const fromFile = await diagnoseJson(file('bom.json', `\uFEFF${FACTS}`));
    const fromStdin = await diagnoseJson('-', `\uFEFF${FACTS}`);
    expect([plain.code, fromFile.code, fromStdin.code]).toEqual([0, 0, 0]);
    expect(JSON.parse(fromFile.stdout).facts).toEqual({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
    expect(JSON.parse(fromStdin.stdout).hypotheses).toEqual(JSON.parse(plain.stdout).hypotheses);
  });

  it('refuses a key given twice in a file or on stdin, naming the key and its pointer', async () => {
    const twice = '{"facts": {"target.host": "db1.example", "ping.result": "ok", "target.host": "db2.example"}}';
    const line = 'rca: input error: /facts/target.host: expected each key at most once in an object, got the key "target.host" twice\n';
    expect(await diagnoseJson(file('twice.json', twice))).toEqual({ code: 2, stdout: '', stderr: line });
    expect(await diagnoseJson('-', twice)).toEqual({ code: 2, stdout: '', stderr: line });
  });

  it('refuses a host that would become an option, and a pid beyond the safe integers', async () => {
    expect(await diagnoseJson('-', '{"target.host": "-f/etc/secret"}')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rca: input error: target.host: expected a host name (RFC 1123) or an IPv4 or IPv6 address, got string "-f/etc/secret"\n',
    });
    expect(await diagnoseJson('-', '{"proc": {"app_pid": 1e29}}')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rca: input error: proc.app_pid: expected an integer from -9007199254740991 to 9007199254740991, got number 1e+29\n',
    });
  });

  it('shows control characters of malformed JSON visibly in the error', async () => {
    const run = await diagnoseJson('-', '{"a": \u001b]52;c;eA==\u0007}');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rca: input error: stdin: expected valid JSON, got Unexpected token '\\x1b'/);
    expect([run.stderr.includes('\u001b'), run.stderr.includes('\u0007')]).toEqual([false, false]);
  });

  it('shows control characters of an unknown fact name visibly in the error', async () => {
    expect(await diagnoseJson('-', '{"\\u001b]0;pwned\\u0007x": 1, "\\ufeffy": 2}')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'rca: input error: \\x1b]0;pwned\\x07x: expected a known fact name (see `rca facts`), got unknown fact "\\x1b]0;pwned\\x07x"\n' +
        'rca: input error: \\ufeffy: expected a known fact name (see `rca facts`), got unknown fact "\\ufeffy"\n',
    });
  });
});

describe('rca interview: answers are checked as any input', () => {
  const hostQuestion: InterviewQuestion = { fact: 'target.host', text: 'Which host?', help: null, type: 'string', choices: null, unit: null, minimum: null, maximum: null, how: null, why: { separates: [], rules: [] }, score: 1 };
  const pidQuestion: InterviewQuestion = { ...hostQuestion, fact: 'proc.app_pid', type: 'integer', minimum: 1 };

  it('re-asks a host that is no host name, with the same error as the API and the CLI', () => {
    expect(parseReply('-f/etc/secret', hostQuestion, baseVocabulary())).toEqual({
      kind: 'invalid',
      message: 'target.host: expected a host name (RFC 1123) or an IPv4 or IPv6 address, got string "-f/etc/secret"',
    });
    expect(parseReply('db1.example', hostQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 'db1.example' });
  });

  it('reads "__proto__" and "constructor" as the text they are, not as Object.prototype\'s properties', () => {
    const kindQuestion: InterviewQuestion = { ...hostQuestion, fact: 'symptom.kind', type: 'enum', choices: ['slow'] };
    for (const reply of ['__proto__', 'constructor', 'toString']) {
      expect(parseReply(reply, kindQuestion, baseVocabulary())).toEqual({ kind: 'invalid', message: `symptom.kind: expected one of "slow", "errors", "timeout", "unreachable", "connection_reset", got string "${reply}"` });
    }
  });

  it('re-asks a pid beyond the safe integers', () => {
    expect(parseReply('1e29', pidQuestion, baseVocabulary())).toEqual({ kind: 'invalid', message: 'proc.app_pid: expected an integer from -9007199254740991 to 9007199254740991, got number 1e+29' });
    expect(parseReply('4194304', pidQuestion, baseVocabulary())).toEqual({ kind: 'answer', value: 4194304 });
  });
});
