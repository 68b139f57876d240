import { PassThrough } from 'node:stream';

const LINE_END = /\r\n|\r|\n/g;

/** The stream a prompt library reads: a terminal as far as it can tell, whose raw mode is the real terminal's. */
export type PromptStream = PassThrough & {
  isTTY: true;
  setRawMode(mode: boolean): PromptStream;
};

/**
 * A terminal's input shared by the prompt library and the paste reader. A terminal sends a pasted
 * block in one chunk, and a prompt reading one line takes the whole chunk and drops whatever
 * follows its line: "paste KIND", the output and "end", pasted at once, lost all but the first
 * line. Here a prompt is given the terminal's text up to the end of its line and the rest is held,
 * for the paste that follows (nextLine) or for the next prompt, as typed ahead.
 */
export class TerminalInput {
  /** What a prompt reads (startPrompt decides when text flows into it). */
  readonly prompt: PromptStream;
  private readonly decoder = new TextDecoder();
  /** Text received and not yet given, from `start` on (an offset, so that taking a line copies only that line). */
  private held = '';
  private start = 0;
  /** A chunk ended in CR: a LF opening the next one ends no second line. */
  private afterCr = false;
  private mode: 'idle' | 'prompt' | 'lines' = 'idle';
  /** The prompt has been given a line: until it is refused (lineRefused) or the prompt ends, the rest waits. */
  private lineGiven = false;
  /** The terminal's input ended: its last line needs no line end. */
  private ended = false;
  /** close() was called: nothing more is given. */
  private closed = false;
  private wake: (() => void) | undefined;

  /**
   * `maxLine`: the longest line held for nextLine; a longer one is given as it stands once it
   * passes that length (the paste reader then refuses the paste by its size), so the text held
   * stays bounded whatever the terminal sends.
   */
  constructor(
    private readonly terminal: NodeJS.ReadStream,
    private readonly maxLine: number,
  ) {
    const prompt = new PassThrough() as PromptStream;
    prompt.isTTY = true;
    prompt.setRawMode = (mode: boolean) => {
      terminal.setRawMode?.(mode);
      return prompt;
    };
    this.prompt = prompt;
    terminal.on('data', this.onData);
    terminal.on('end', this.onEnd);
  }

  /** Lets the terminal's text flow into `prompt` until one line has gone (held text first). */
  startPrompt(): void {
    this.mode = 'prompt';
    this.lineGiven = false;
    this.pump();
  }

  /** The prompt refused the line it was given and stays open: let the text flow into it again. */
  lineRefused(): void {
    if (this.mode !== 'prompt') return;
    this.lineGiven = false;
    this.pump();
  }

  /** Stops the flow into `prompt` (its line answered, or the prompt given up). */
  endPrompt(): void {
    if (this.mode === 'prompt') this.idle();
  }

  /** The next whole line, held text first; undefined at the end of input or once closed. */
  async nextLine(): Promise<string | undefined> {
    for (;;) {
      const line = this.closed ? undefined : this.takeLine();
      if (line !== undefined || this.closed || this.ended) {
        this.idle();
        return line;
      }
      this.mode = 'lines';
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.terminal.resume();
      });
    }
  }

  /** Reads no more: a pending nextLine resolves with undefined, and the terminal is let go. */
  close(): void {
    this.closed = true;
    this.terminal.removeListener('data', this.onData);
    this.terminal.removeListener('end', this.onEnd);
    this.idle();
    this.prompt.end();
    this.wakeReader();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.hold(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    this.pump();
  };

  private readonly onEnd = (): void => {
    this.hold(this.decoder.decode());
    this.ended = true;
    this.prompt.end();
    this.pump();
  };

  private pump(): void {
    if (this.mode === 'lines') {
      this.wakeReader();
      return;
    }
    if (this.mode !== 'prompt') return;
    if (this.lineGiven) {
      // Held while the prompt decides on its line. The terminal keeps flowing (a paused terminal
      // under an open prompt leaves the event loop empty, and node exits) unless a line past the
      // limit piles up.
      if (this.held.length - this.start > this.maxLine) this.terminal.pause();
      return;
    }
    const end = this.lineEnd();
    // Marked before the write: writing the line runs the prompt's validation at once, and a
    // refusal (lineRefused) must find the line given.
    if (end !== undefined) this.lineGiven = true;
    this.prompt.write(this.take(end?.next ?? this.held.length));
    if (end === undefined && !this.ended) this.terminal.resume();
  }

  private hold(text: string): void {
    // Compacted once half of it is given, so holding and taking stay linear in the text.
    if (this.start > this.held.length / 2) {
      this.held = this.held.slice(this.start);
      this.start = 0;
    }
    this.held += text;
  }

  /** The held text up to `end`, given. */
  private take(end: number): string {
    const text = this.held.slice(this.start, end);
    this.start = end;
    return text;
  }

  /**
   * Where the first held line ends (`at`) and the next begins (`next`, after CR LF, LF or a lone
   * CR); undefined when no line is whole. One pattern finds either character, so each search
   * reads only up to the line's end.
   */
  private lineEnd(): { at: number; next: number } | undefined {
    LINE_END.lastIndex = this.start;
    const match = LINE_END.exec(this.held);
    return match ? { at: match.index, next: match.index + match[0].length } : undefined;
  }

  private takeLine(): string | undefined {
    // Decided by the next character, once it has come.
    if (this.afterCr && this.start < this.held.length) {
      if (this.held[this.start] === '\n') this.start++;
      this.afterCr = false;
    }
    const end = this.lineEnd();
    if (end === undefined) {
      // A line past the limit, or the last one without a line end: given as it stands.
      const rest = this.held.length - this.start;
      if (rest <= this.maxLine && !(this.ended && rest > 0)) return undefined;
      return this.take(this.held.length);
    }
    // A lone CR that ends the held text may be the first half of a CR LF still to come.
    this.afterCr = end.next === end.at + 1 && this.held[end.at] === '\r' && end.next === this.held.length;
    const line = this.held.slice(this.start, end.at);
    this.start = end.next;
    return line;
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private idle(): void {
    this.mode = 'idle';
    this.terminal.pause();
  }
}
