import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalInput } from '../../src/cli/interview/terminal-input.js';

/** A fake terminal: a stream whose raw mode is recorded. */
function fakeTerminal() {
  const modes: boolean[] = [];
  const stream = new PassThrough() as PassThrough & { setRawMode(mode: boolean): void; isTTY: boolean };
  stream.isTTY = true;
  stream.setRawMode = (mode) => void modes.push(mode);
  return { stream: stream as unknown as NodeJS.ReadStream & PassThrough, modes };
}

/** What the prompt stream has been given so far. */
function given(input: TerminalInput): string {
  const chunks: string[] = [];
  for (let chunk = input.prompt.read() as Buffer | null; chunk !== null; chunk = input.prompt.read() as Buffer | null) chunks.push(chunk.toString());
  return chunks.join('');
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TerminalInput: a prompt gets one line, a block pasted with it waits for the paste', () => {
  it('gives the prompt "paste ping" and keeps the output and "end" pasted in the same chunk for the paste', async () => {
    const { stream } = fakeTerminal();
    const input = new TerminalInput(stream, 1000);
    input.startPrompt();
    // A terminal in raw mode sends a pasted block's line ends as CR.
    stream.write('paste ping\r64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.04 ms\r\rend\r');
    await tick();
    expect(given(input)).toBe('paste ping\r');
    input.endPrompt();
    expect(await input.nextLine()).toBe('64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.04 ms');
    expect(await input.nextLine()).toBe('');
    expect(await input.nextLine()).toBe('end');
    input.close();
  });

  it('reads lines as they arrive, across chunks, with CR LF, LF or CR line ends; a CR LF split over two chunks is one line end', async () => {
    const { stream } = fakeTerminal();
    const input = new TerminalInput(stream, 1000);
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

  it('gives text typed ahead to the next prompt, a line at a time', async () => {
    const { stream } = fakeTerminal();
    const input = new TerminalInput(stream, 1000);
    input.startPrompt();
    stream.write('?\r42\r');
    await tick();
    expect(given(input)).toBe('?\r');
    input.endPrompt();
    input.startPrompt();
    expect(given(input)).toBe('42\r');
    input.endPrompt();
    input.close();
  });

  it('after the prompt refuses its line, gives it the next one typed ahead', async () => {
    const { stream } = fakeTerminal();
    const input = new TerminalInput(stream, 1000);
    input.startPrompt();
    stream.write('150\r30\r');
    await tick();
    expect(given(input)).toBe('150\r');
    input.lineRefused();
    expect(given(input)).toBe('30\r');
    input.endPrompt();
    input.close();
  });

  it('passes keys that end no line (arrows, a typed word) straight to the prompt, and the raw mode to the terminal', async () => {
    const { stream, modes } = fakeTerminal();
    const input = new TerminalInput(stream, 1000);
    input.startPrompt();
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

  it('holds at most the longest line: a longer one is given as it stands once it passes the limit', async () => {
    const { stream } = fakeTerminal();
    const input = new TerminalInput(stream, 10);
    const line = input.nextLine();
    stream.write('x'.repeat(25));
    expect(await line).toBe('x'.repeat(25));
    input.close();
  });

  it('close() ends a pending read with undefined', async () => {
    const { stream } = fakeTerminal();
    const input = new TerminalInput(stream, 10);
    const line = input.nextLine();
    stream.write('half a li');
    await tick();
    input.close();
    expect(await line).toBeUndefined();
  });

  it('takes a 256 KB paste of short lines in linear time (a bound that catches a quadratic copy, not a benchmark)', async () => {
    const { stream } = fakeTerminal();
    const input = new TerminalInput(stream, 300_000);
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
