import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/commands/diagnose.js';
import { inProcessIo, runCli } from './run.js';

const EXAMPLE = join('examples', '01-apm-agent-cpu.json');
/** What rca writes on stderr for a usage error of COMMAND: the one line, then where its help is. */
const usageError = (message: string, command: string) => `rca: usage error: ${message}\nRun 'rca ${command} --help' for usage.\n`;

describe('a number option given something else names what was given', () => {
  it.each([
    [['diagnose', EXAMPLE, '--top', 'abc'], '--top: expected a number, got "abc"'],
    [['diagnose', EXAMPLE, '--top=abc'], '--top: expected a number, got "abc"'],
    [['interview', '--max-questions', 'lots'], '--max-questions: expected a number, got "lots"'],
    [['serve', '--port', 'eighty'], '--port: expected a number, got "eighty"'],
    [['kb', 'lint', '--max-warnings', 'few'], '--max-warnings: expected a number, got "few"'],
  ])('rca %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(usageError(message, args[0] as string));
  });

  it.each([
    [['diagnose', EXAMPLE, '--top'], '--top'],
    [['diagnose', EXAMPLE, '--top', '-f', 'json'], '--top'],
    [['interview', '--max-questions'], '--max-questions'],
  ])('rca %j: a number option given no value is a usage error, never ignored', async (args, flag) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(usageError(`${flag}: expected a number, got nothing`, args[0] as string));
  });

  it('still checks the range of a number', async () => {
    const run = await runCli(['diagnose', EXAMPLE, '--top', '0']);
    expect(run.stderr).toBe(usageError('--top: expected a whole number >= 1, got 0', 'diagnose'));
  });
});

describe('--lang names the languages there are', () => {
  const expected = (lang: string, command: string) => usageError(`--lang: expected a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY, got "${lang}"`, command);

  it.each([
    [['diagnose', EXAMPLE, '--lang', 'fr']],
    [['interview', '--lang', 'fr']],
    [['kb', 'doc', '--lang', 'fr', '--out', join(mkdtempSync(join(tmpdir(), 'rca-lang-')), 'doc')]],
  ])('rca %j is a usage error, not English in silence', async (args) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(expected('fr', args[0] as string));
  });

  it('refuses traditional Chinese (zh-TW, zh-Hant), which rca has no texts in, rather than give simplified ones in their place', async () => {
    for (const lang of ['zh-TW', 'zh-Hant']) expect(await runCli(['diagnose', EXAMPLE, '--lang', lang])).toEqual({ code: 2, stdout: '', stderr: expected(lang, 'diagnose') });
  });

  it('a request document\'s "lang" is checked as --lang is: fr is an input error naming the field, not English in silence', async () => {
    const run = await runCli(['diagnose', '-'], { input: JSON.stringify({ facts: { 'ping.result': 'ok' }, lang: 'fr' }) });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('rca: input error: stdin at /lang: expected a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY, got string "fr"\n');
    const chinese = await runCli(['diagnose', '-', '-f', 'json'], { input: JSON.stringify({ facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' }, lang: 'zh' }) });
    expect(chinese.code).toBe(0);
    // The language served, not the tag as sent.
    expect(JSON.parse(chinese.stdout)).toMatchObject({ lang: 'zh-CN' });
  });

  it('takes another tag of a supported language (en-GB is English, zh is Simplified Chinese)', async () => {
    const english = await runCli(['diagnose', EXAMPLE, '--lang', 'en-GB']);
    expect(english.code).toBe(0);
    expect(english.stdout).toBe((await runCli(['diagnose', EXAMPLE, '--lang', 'en'])).stdout);
    const chinese = await runCli(['diagnose', EXAMPLE, '--lang', 'zh']);
    expect(chinese.code).toBe(0);
    expect(chinese.stdout).toBe((await runCli(['diagnose', EXAMPLE, '--lang', 'zh-CN'])).stdout);
  });
});

describe('-o is the short form of --format', () => {
  it.each([
    [['diagnose', EXAMPLE]],
    [['facts']],
    [['kb', 'lint']],
  ])('rca %j -o json prints what --format json prints', async (args) => {
    const short = await runCli([...args, '-o', 'json']);
    expect(short.code).toBe(0);
    expect(() => JSON.parse(short.stdout) as unknown).not.toThrow();
    expect(short.stdout).toBe((await runCli([...args, '--format', 'json'])).stdout);
  });

  it('rca interview -o json', async () => {
    const run = await runCli(['interview', '-o', 'json', '--max-questions', '0']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ facts: {} });
  });
});

describe('colour: on a terminal unless NO_COLOR, FORCE_COLOR forces it', () => {
  const io = (isTTY: boolean, env: Record<string, string>) => {
    const run = inProcessIo({ env });
    return { ...run.io, env, stdout: Object.assign(run.io.stdout, { isTTY }) as typeof run.io.stdout };
  };

  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '' }, true],
    [true, { NO_COLOR: '1' }, false],
    [false, {}, false],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [false, { FORCE_COLOR: '3' }, true],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
  ] as const)('terminal %s, env %j: colour %s', (isTTY, env, colour) => {
    expect(useColor(io(isTTY, env))).toBe(colour);
  });

  it('FORCE_COLOR colours the text report on a pipe', async () => {
    const forced = await runCli(['diagnose', EXAMPLE], { env: { FORCE_COLOR: '1' } });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('\x1b[');
    expect((await runCli(['diagnose', EXAMPLE])).stdout).not.toContain('\x1b[');
  });
});

describe('--help wraps between words, never inside one', () => {
  const collapsed = (text: string) => text.replace(/\s+/g, ' ');

  it('rca --help: the summary and every command description read whole once the lines are joined', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    const { commands } = await import('../../src/cli/commands/index.js');
    expect(collapsed(run.stdout)).toContain('Turns troubleshooting facts into ranked root causes and the next commands to run.');
    for (const c of commands) expect(collapsed(run.stdout)).toContain(c.describe);
  });

  it('every command\'s --help says what each of its options does: no option line is its flags and choices alone', async () => {
    const { commands } = await import('../../src/cli/commands/index.js');
    const bare: string[] = [];
    for (const c of commands) {
      const name = c.command.split(' ')[0] as string;
      const run = await runCli([name, '--help']);
      expect([name, run.code]).toEqual([name, 0]);
      for (const line of run.stdout.split('\n')) if (/^ +(?:-\w, )*--[\w-]+ {2,}\[/.test(line)) bare.push(`${name}: ${line.trim()}`);
    }
    expect(bare).toEqual([]);
  });

  it('rca diagnose --help: option descriptions read whole', async () => {
    const run = await runCli(['diagnose', '--help']);
    expect(run.code).toBe(0);
    expect(collapsed(run.stdout)).toContain('Knowledge-base directory; repeat to layer packs over the first [env RCA_KB, directories separated by ":"; default: the shipped rules/]');
  });
});
