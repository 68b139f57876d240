import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TerminalInput, type Dropped, type PromptInput } from '../../src/cli/interview/terminal-input.js';
import { main } from '../../src/cli/main.js';
import { inProcessIo, written } from './run.js';

/** A fake terminal: a stream whose raw mode is recorded. */
function fakeTerminal() {
  const modes: boolean[] = [];
  const stream = new PassThrough() as PassThrough & { setRawMode(mode: boolean): void; isTTY: boolean };
  stream.isTTY = true;
  stream.setRawMode = (mode) => void modes.push(mode);
  return { stream: stream as unknown as NodeJS.ReadStream & PassThrough, modes };
}

/** A TerminalInput over a fake terminal and a clock the test moves, with what it dropped. */
function terminalInput(maxLine = 1000, maxAnswer = 100) {
  const { stream, modes } = fakeTerminal();
  const dropped: Dropped[] = [];
  const clock = { ms: 0 };
  const ends = { lines: [] as boolean[] };
  const input = new TerminalInput(stream, maxLine, maxAnswer, (d) => dropped.push(d), (endsLine) => ends.lines.push(endsLine), () => clock.ms);
  return { stream, modes, dropped, input, clock, ends };
}

const TYPED: PromptInput = { choice: false, startsBlock: (line) => line.startsWith('paste ') };
const CHOICE: PromptInput = { choice: true, startsBlock: () => false };

/** What the prompt stream has been given so far. */
function given(input: TerminalInput): string {
  const chunks: string[] = [];
  for (let chunk = input.prompt.read() as Buffer | null; chunk !== null; chunk = input.prompt.read() as Buffer | null) chunks.push(chunk.toString());
  return chunks.join('');
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Keys as the terminal sends them, one chunk, then what the input makes of them. */
async function send(stream: PassThrough, keys: string): Promise<void> {
  stream.write(keys);
  await tick();
}

describe('TerminalInput: a prompt gets one line; a block pasted with "paste KIND" waits for the paste, any other is dropped and said', () => {
  it('gives the prompt "paste ping" and keeps the output and "end" pasted in the same chunk for the paste', async () => {
    const { stream, input, dropped } = terminalInput();
    input.startPrompt(TYPED);
    // A terminal in raw mode sends a pasted block's line ends as CR.
    stream.write('paste ping\r64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.04 ms\r\rend\r');
    await tick();
    expect(given(input)).toBe('paste ping\r');
    input.endPrompt();
    expect(await input.nextLine()).toBe('64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.04 ms');
    expect(await input.nextLine()).toBe('');
    expect(await input.nextLine()).toBe('end');
    expect(dropped).toEqual([]);
    input.close();
  });

  it('drops the other lines of a block pasted at a typed question, saying how many: they are no answers to the questions after it', async () => {
    const { stream, input, dropped } = terminalInput();
    input.startPrompt(TYPED);
    stream.write('abc\r503\r42\r');
    await tick();
    expect(given(input)).toBe('abc\r');
    expect(dropped).toEqual([{ kind: 'pasted_lines', lines: 2 }]);
    // Refused ("abc" is no status), the prompt takes what is typed next: a short block that ends
    // with its line end is all of its paste, so even at once (a script driving a terminal).
    input.lineRefused();
    stream.write('5');
    await tick();
    stream.write('03\r');
    await tick();
    expect(given(input)).toBe('503\r');
    input.close();
  });

  it('drops the rest of a dropped block as its chunks come (a terminal passes a paste 4 KB at a time), at the prompt and after it; says how many lines once it ends', async () => {
    const { stream, input, dropped, clock } = terminalInput();
    input.startPrompt(TYPED);
    // A paste of a status count: its second chunk opens with a whole "503", which answered the status question.
    stream.write('status codes:\r503\r50');
    await tick();
    expect([given(input), dropped]).toEqual(['status codes:\r', [{ kind: 'pasted_lines', lines: 2 }]]);
    input.lineRefused();
    clock.ms += 5;
    stream.write('3\r503\r503\r');
    await tick();
    // Taken between two prompts (the first answered): not held for the next one.
    input.endPrompt();
    clock.ms += 5;
    stream.write('503\r503\r');
    await tick();
    input.startPrompt(TYPED);
    await tick();
    expect(given(input)).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(dropped).toEqual([{ kind: 'pasted_lines', lines: 2 }, { kind: 'more_pasted_lines', lines: 5 }]);
    // What is typed later is an answer again; an interrupt in the rest of a block reaches the prompt.
    clock.ms += 1000;
    await send(stream, '504\r');
    expect(given(input)).toBe('504\r');
    input.endPrompt();
    stream.write('x\ry\rz');
    input.startPrompt(TYPED);
    await tick();
    given(input);
    input.lineRefused();
    await send(stream, '1\r2\u0003');
    expect(given(input)).toBe('\u0003');
    input.close();
    // A long chunk that happens to end at a line end is a piece of a paste too (a short whole block
    // is all of its paste: the test above, where what is typed at once is an answer).
    const piece = terminalInput();
    piece.input.startPrompt(TYPED);
    piece.stream.write(`status codes:\r${'503\r'.repeat(300)}`);
    await tick();
    expect(given(piece.input)).toBe('status codes:\r');
    piece.input.lineRefused();
    await send(piece.stream, '503\r');
    expect(given(piece.input)).toBe('');
    piece.input.close();
  });

  it('gives a choice nothing of a block pasted at it (its text would search the choices, its line end pick one)', async () => {
    const { stream, input, dropped } = terminalInput();
    input.startPrompt(CHOICE);
    stream.write('PING checkout (10.0.0.1) 56(84) bytes of data.\r20\r');
    await tick();
    expect(given(input)).toBe('');
    expect(dropped).toEqual([{ kind: 'pasted_lines', lines: 2 }]);
    // Keys typed one by one still reach it.
    stream.write('\u001b[B');
    await tick();
    stream.write('\r');
    await tick();
    expect(given(input)).toBe('\u001b[B\r');
    input.close();
  });

  it('hands a choice that takes one the first line of a block it starts ("paste KIND"), keeping the lines after it for the paste; any other block is dropped', async () => {
    const { stream, input, dropped } = terminalInput();
    const started: string[] = [];
    const choiceTakingPastes: PromptInput = { choice: true, startsBlock: (line) => line.startsWith('paste '), blockAtChoice: (line) => void started.push(line) };
    input.startPrompt(choiceTakingPastes);
    stream.write('paste ping\r64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.04 ms\rend\r');
    await tick();
    expect([given(input), started, dropped]).toEqual(['', ['paste ping'], []]);
    input.endPrompt();
    expect(await input.nextLine()).toBe('64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.04 ms');
    expect(await input.nextLine()).toBe('end');
    // Near miss: a block whose first line starts nothing is dropped, as at any choice.
    input.startPrompt(choiceTakingPastes);
    stream.write('PING checkout (10.0.0.1) 56(84) bytes of data.\r20\r');
    await tick();
    expect([given(input), started, dropped]).toEqual(['', ['paste ping'], [{ kind: 'pasted_lines', lines: 2 }]]);
    // And one line typed at a choice is keys, even "paste ping": the block is what tells a paste.
    stream.write('paste ping\r');
    await tick();
    expect([given(input), started]).toEqual(['paste ping\r', ['paste ping']]);
    input.close();
  });

  it('hands a choice that reads typed words the keys typed at it on their Enter: one it takes keeps the Enter from the prompt, whose search would pick the highlighted choice', async () => {
    const { stream, input } = terminalInput();
    const typed: string[] = [];
    const readingWords: PromptInput = { choice: true, startsBlock: () => false, typedAtChoice: (keys) => typed.push(keys) > 0 && keys === 'quit' };
    input.startPrompt(readingWords);
    // Typed a key at a time, as a person types: each goes to the prompt (its search) as it comes.
    for (const key of 'quit') await send(stream, key);
    await send(stream, '\r');
    expect([given(input), typed]).toEqual(['quit', ['quit']]);
    input.endPrompt();
    // One it does not take: the Enter goes to the prompt, which picks as it shows (an arrow key's sequence included).
    input.startPrompt(readingWords);
    await send(stream, 'f');
    await send(stream, '\u001b[B');
    await send(stream, '\r');
    expect([given(input), typed]).toEqual(['f\u001b[B\r', ['quit', 'f\u001b[B']]);
    input.close();
  });

  it('tells a prompt whether text came after the line it took (a pasted block) or not (a typed line)', async () => {
    const { stream, input } = terminalInput();
    input.startPrompt({ choice: false, startsBlock: () => true });
    stream.write('openssl\r');
    await tick();
    expect([given(input), input.holdsText]).toEqual(['openssl\r', false]);
    input.endPrompt();
    input.startPrompt({ choice: false, startsBlock: () => true });
    stream.write('CONNECTED(00000003)\rdepth=0 CN = checkout.example\r');
    await tick();
    expect([given(input), input.holdsText]).toEqual(['CONNECTED(00000003)\r', true]);
    input.close();
  });

  it('drops a line past the longest answer, emptying the prompt (Ctrl-U), and takes the next one', async () => {
    const { stream, input, dropped } = terminalInput(1000, 10);
    input.startPrompt(TYPED);
    stream.write('12345');
    await tick();
    stream.write('67890abcdef');
    await tick();
    stream.write('ghi\r');
    await tick();
    expect(given(input)).toBe('12345\u0015');
    expect(dropped).toEqual([{ kind: 'long_line', limit: 10 }]);
    stream.write('42\r');
    await tick();
    expect(given(input)).toBe('42\r');
    input.close();
  });

  it('stops dropping a long pasted line without a line end once its chunks stop coming: what is typed later is an answer', async () => {
    const { stream, input, dropped, clock } = terminalInput(1000, 10);
    input.startPrompt(TYPED);
    stream.write('x'.repeat(30));
    await tick();
    clock.ms += 50;
    stream.write('y'.repeat(30));
    await tick();
    expect(dropped).toEqual([{ kind: 'long_line', limit: 10 }]);
    clock.ms += 500;
    stream.write('4');
    await tick();
    stream.write('2\r');
    await tick();
    expect(given(input)).toBe('\u001542\r');
    input.close();
  });

  it('says Ctrl-D at a prompt to its owner; at a typed prompt it ends the line as Enter does, so what was typed is kept', async () => {
    const { stream, input, ends } = terminalInput();
    input.startPrompt(TYPED);
    await send(stream, '4');
    await send(stream, '2\u0004');
    expect(given(input)).toBe('42\r');
    expect(ends.lines).toEqual([true]);
    input.close();
  });

  it('gives a choice no line end for Ctrl-D, nor a prompt deciding a line already given: only its owner hears it (the interview reports then)', async () => {
    const { stream, input, ends } = terminalInput();
    input.startPrompt(CHOICE);
    await send(stream, '\u0004');
    expect(given(input)).toBe('');
    input.endPrompt();
    input.startPrompt(TYPED);
    await send(stream, '150\r');
    await send(stream, '\u0004');
    expect(given(input)).toBe('150\r');
    expect(ends.lines).toEqual([false, false]);
    input.close();
  });

  it('lets Ctrl-C through to the prompt even while its line is being decided', async () => {
    const { stream, input } = terminalInput();
    input.startPrompt(TYPED);
    stream.write('150\r');
    await tick();
    expect(given(input)).toBe('150\r');
    stream.write('\u0003');
    await tick();
    expect(given(input)).toBe('\u0003');
    input.close();
  });

  it('reads lines as they arrive, across chunks, with CR LF, LF or CR line ends; a CR LF split over two chunks is one line end', async () => {
    const { stream, input } = terminalInput();
    const lines: Array<string | undefined> = [];
    const reading = (async () => {
      for (let i = 0; i < 5; i++) lines.push(await input.nextLine());
    })();
    stream.write('one\r');
    await tick();
    stream.write('\ntw');
    await tick();
    stream.write('o\nthree\r\nfour');
    await tick();
    stream.end();
    await reading;
    expect(lines).toEqual(['one', 'two', 'three', 'four', undefined]);
  });

  it('passes keys that end no line (arrows, a typed word) straight to the prompt, and the raw mode to the terminal', async () => {
    const { stream, input, modes } = terminalInput();
    input.startPrompt(TYPED);
    stream.write('\u001b[B');
    await tick();
    stream.write('pa');
    await tick();
    expect(given(input)).toBe('\u001b[Bpa');
    input.prompt.setRawMode(true);
    input.prompt.setRawMode(false);
    expect(modes).toEqual([true, false]);
    input.close();
  });

  it('holds at most the longest line for a paste: a longer one is given as it stands once it passes the limit', async () => {
    const { stream, input } = terminalInput(10);
    const line = input.nextLine();
    stream.write('x'.repeat(25));
    expect(await line).toBe('x'.repeat(25));
    input.close();
  });

  it('close() ends a pending read with undefined', async () => {
    const { stream, input } = terminalInput(10);
    const line = input.nextLine();
    stream.write('half a li');
    await tick();
    input.close();
    expect(await line).toBeUndefined();
  });

  it('takes a 256 KB paste of short lines in linear time (a bound that catches a quadratic copy, not a benchmark)', async () => {
    const { stream, input } = terminalInput(300_000);
    const text = 'abcdefghij\n'.repeat(24_000);
    const started = Date.now();
    stream.write(text);
    let count = 0;
    for (let line = await input.nextLine(); line === 'abcdefghij'; line = await input.nextLine()) if (++count === 24_000) break;
    expect(count).toBe(24_000);
    expect(Date.now() - started).toBeLessThan(3000);
    input.close();
  });
});

/**
 * `rca interview --kb test/fixtures/interview-kb ARGS --save FILE` run through main() with a fake
 * terminal for stdin; the service prompt is skipped once it shows.
 */
async function terminalInterview(...args: string[]) {
  const { stream } = fakeTerminal();
  const run = inProcessIo();
  // The prompt library pipes into its output and ends it with each prompt; process.stderr stays open.
  const output = run.io.stderr;
  output.end = () => output;
  const dir = mkdtempSync(join(tmpdir(), 'rca-terminal-'));
  const exit = main(['interview', '--kb', 'test/fixtures/interview-kb', ...args, '--save', join(dir, 'facts.json')], { ...run.io, stdin: stream });
  await written(run.stderr, /\(Enter to skip\)|（回车跳过）/);
  await send(stream, '\r');
  // What the terminal was sent, without its control sequences (colours, cursor moves).
  const stderr = () => stripVTControlCharacters(run.stderr());
  return { stream, stderr, exit, saved: () => JSON.parse(readFileSync(join(dir, 'facts.json'), 'utf8')) as unknown };
}

/** What a menu shows once drawn: the lines from its question down to its key help. */
async function menu(stderr: () => string, question: RegExp): Promise<string> {
  const [drawn = ''] = await written(stderr, new RegExp(`${question.source}[^]*?\\n\\n.*•.*`));
  return drawn;
}

describe('the terminal interview over TerminalInput, in-process on a fake terminal', () => {
  it('empties a typed answer it refused: what is typed next is the whole answer, not appended to the refused text', async () => {
    const { stream, stderr, exit, saved } = await terminalInterview();
    await written(stderr, /Q1 \[ping\.result\]/);
    // ok, partial_loss, fail: one step down.
    await send(stream, '\u001b[B');
    await send(stream, '\r');
    await written(stderr, /Q2 \[ping\.loss_pct\]/);
    await send(stream, '150\r');
    await written(stderr, /ping\.loss_pct: expected a number <= 100, got number 150/);
    await send(stream, '30\r');
    // 30 leaves the leader clearly ahead: the interview ends (the answer was "15030", refused again).
    expect((await written(stderr, /saved facts to|got number 15030/))[0]).toBe('saved facts to');
    expect(await exit).toBe(0);
    expect(saved()).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 30 }, unknown: [] });
  });

  it('shows the control characters and bidi overrides of a refused typed answer escaped, never sends them', async () => {
    const { stream, stderr, exit } = await terminalInterview();
    await written(stderr, /Q1 \[ping\.result\]/);
    await send(stream, '\u001b[B');
    await send(stream, '\r');
    await written(stderr, /Q2 \[ping\.loss_pct\]/);
    // A right-to-left override pasted with the answer turned the rest of the refusal's line around.
    await send(stream, '\u202e150\r');
    await written(stderr, /ping\.loss_pct: expected a number >= 0 and <= 100 \(%\), got "\\u202e150"/);
    await send(stream, 'paste \u202eping\r');
    await written(stderr, /\(did you mean "ping"\?\), got "\\u202eping"/);
    stream.write('\u0003');
    expect(await exit).toBe(130);
  });

  it.each([
    ['en', 'yes', 'no'],
    ['zh-CN', '是', '否'],
  ])('%s: shows a yes/no question\'s choices as %s / %s (they read true / false), and saves the pick as the boolean', async (lang, yes, no) => {
    const facts = join(mkdtempSync(join(tmpdir(), 'rca-facts-')), 'facts.json');
    // The one question left worth asking is path.via_lb's.
    writeFileSync(facts, JSON.stringify({ facts: { 'http.status': 503 }, unknown: ['lb.backend_health', 'http.direct_status', 'ping.result'] }));
    const { stream, stderr, exit, saved } = await terminalInterview('--facts', facts, '--lang', lang);
    const shown = await menu(stderr, /Q1 \[path\.via_lb\] /);
    expect(shown.split('\n').slice(1, 3)).toEqual([`❯ ${yes}`, `  ${no}`]);
    expect(shown).not.toMatch(/true|false/);
    await send(stream, '\u001b[B');
    await send(stream, '\r');
    // The answered question reads the choice as shown; no question is left after it.
    await written(stderr, new RegExp(`✔ Q1 \\[path\\.via_lb\\] .* ${no}\\n`));
    expect(await exit).toBe(0);
    expect(saved()).toEqual({ facts: { 'http.status': 503, 'path.via_lb': false }, unknown: ['lb.backend_health', 'http.direct_status', 'ping.result'] });
  });
});
