import { PassThrough } from 'node:stream';

const LINE_END = /\r\n|\r|\n/g;

/** Ctrl-C as a terminal in raw mode sends it: it reaches the prompt whatever is held. */
const INTERRUPT = '\u0003';
/**
 * Ctrl-D: the end of input, said to the owner (onEndOfInput). At a typed prompt it also ends the
 * line, as a terminal's cooked mode ends a line with text on it, so what was typed is not lost.
 */
const END_OF_INPUT = '\u0004';
/** Ctrl-U: readline's "delete to the start of the line", which empties a prompt's answer. */
const KILL_LINE = '\u0015';
/**
 * How long the rest of a line past the longest answer is still taken for part of the same paste: a
 * terminal sends a long paste in chunks within milliseconds, while what is typed after it comes
 * later and is an answer again.
 */
const PASTE_CHUNKS_MS = 100;
/**
 * A chunk this long is likely a piece of a longer paste: a terminal in raw mode passes at most
 * 4 KB of it at a time. A shorter block that ends with its line end is all of its paste.
 */
const PASTE_PIECE_CHARS = 1000;

/** The stream a prompt library reads: a terminal as far as it can tell, whose raw mode is the real terminal's. */
export type PromptStream = PassThrough & {
  isTTY: true;
  setRawMode(mode: boolean): PromptStream;
};

/** How a prompt takes the terminal's text. */
export interface PromptInput {
  /** Arrow keys and Enter pick one of its choices (a pasted line would be read as keys that search and pick). */
  choice: boolean;
  /** Whether the lines after this one belong to what it starts (a line "paste KIND": the output follows). */
  startsBlock(line: string): boolean;
  /**
   * A choice's own way out of a block pasted at it: the block's first line, which startsBlock
   * took, is handed here instead of to the prompt (whose keys it would search and pick), and the
   * lines after it stay held for nextLine. Without it a block pasted at a choice is dropped.
   */
  blockAtChoice?(line: string): void;
  /**
   * A choice's own reading of what was typed at it, on the Enter that ends it (the keys since the
   * prompt began or was last refused, arrow keys' sequences included): true when it takes them,
   * and the Enter is not given to the prompt, whose search would pick whatever choice was
   * highlighted ("quit" or "503" typed at a menu picked its first answer).
   */
  typedAtChoice?(typed: string): boolean;
}

/** What TerminalInput did not give a prompt, for the engineer to hear. */
export type Dropped = { kind: 'pasted_lines'; lines: number } | { kind: 'more_pasted_lines'; lines: number } | { kind: 'long_line'; limit: number };

/**
 * A terminal's input shared by the prompt library and the paste reader. A terminal sends a pasted
 * block in one chunk, and a prompt reading one line took the whole chunk and dropped whatever
 * followed its line: "paste KIND", the output and "end", pasted at once, lost all but the first
 * line. Here a prompt is given the terminal's text up to the end of one line. What follows in the
 * same chunk is kept for the paste when that line starts one (nextLine), and otherwise dropped and
 * said (`onDropped`): a block pasted at a question is not spread over the next questions as their
 * answers, and at a choice nothing of it is read as keys. A line longer than `maxAnswer` is
 * dropped too (a prompt redraws its whole line on every character, so a long one costs time
 * quadratic in its length), and Ctrl-C always reaches the prompt.
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
  private input: PromptInput = { choice: false, startsBlock: () => false };
  /** The prompt has been given a whole line: until it is refused (lineRefused) or the prompt ends, nothing more flows. */
  private lineGiven = false;
  /** Characters of the current line given to the prompt, and whether the rest of that line is being dropped. */
  private lineLength = 0;
  /** At a choice, the keys given to the prompt since it began or was last refused (at most maxAnswer: a longer line is dropped). */
  private typed = '';
  /** Until when (the clock's ms) the rest of a line past maxAnswer is dropped, up to its line end. */
  private droppingUntil = 0;
  /**
   * Until when (the clock's ms) what comes is the rest of a block whose lines were dropped: a
   * terminal in raw mode passes a paste in chunks of at most 4 KB, and a chunk's first line was
   * read as an answer (a paste of 3,000 lines of "503" answered the status question, the next
   * chunk the question after it). Each chunk of it moves the time on.
   */
  private pasteUntil = Number.NEGATIVE_INFINITY;
  /** How long the last chunk the terminal sent was (PASTE_PIECE_CHARS). */
  private chunkLength = 0;
  /** Lines of that rest, said once the block has ended (moreTimer). */
  private moreDropped = 0;
  private moreTimer: ReturnType<typeof setTimeout> | undefined;
  /** The terminal's input ended: its last line needs no line end. */
  private ended = false;
  /** close() was called: nothing more is given. */
  private closed = false;
  private wake: (() => void) | undefined;

  /**
   * `maxLine`: the longest line held for nextLine; a longer one is given as it stands once it
   * passes that length (the paste reader then refuses the paste by its size), so the text held
   * stays bounded whatever the terminal sends. `maxAnswer`: the longest line a prompt is given.
   */
  constructor(
    private readonly terminal: NodeJS.ReadStream,
    private readonly maxLine: number,
    private readonly maxAnswer: number,
    private readonly onDropped: (dropped: Dropped) => void,
    /** Ctrl-D at a prompt; `endsLine`: it was given to a typed prompt as its line's end (Enter). */
    private readonly onEndOfInput: (endsLine: boolean) => void = () => undefined,
    private readonly now: () => number = Date.now,
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
  startPrompt(input: PromptInput): void {
    this.mode = 'prompt';
    this.input = input;
    this.lineGiven = false;
    this.lineLength = 0;
    this.typed = '';
    this.droppingUntil = 0;
    this.pump();
  }

  /**
   * The prompt refused the line it was given and stays open: the text typed from now on flows
   * into it. Nothing held is given: the prompt is still deciding (it ignores keys meanwhile), and
   * what came with a refused line is no answer to the same question.
   */
  lineRefused(): void {
    if (this.mode !== 'prompt') return;
    this.dropRest();
    this.lineGiven = false;
    this.lineLength = 0;
    this.typed = '';
    this.keepReading();
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

  /** Whether text the terminal sent after the line a prompt took is held (the rest of a pasted block). */
  get holdsText(): boolean {
    return this.start < this.held.length;
  }

  /** Whether the terminal's input ended (Ctrl-D on an empty line while lines are read as the terminal sends them). */
  get inputEnded(): boolean {
    return this.ended;
  }

  /** Reads no more: a pending nextLine resolves with undefined, and the terminal is let go. */
  close(): void {
    this.closed = true;
    clearTimeout(this.moreTimer);
    this.terminal.removeListener('data', this.onData);
    this.terminal.removeListener('end', this.onEnd);
    this.idle();
    this.prompt.end();
    this.wakeReader();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.mode !== 'lines' && this.restOfDroppedBlock(text)) return;
    this.chunkLength = text.length;
    if (this.mode === 'prompt' && text.includes(END_OF_INPUT)) {
      // A typed line still open ends there; a choice, or a line given and being decided, takes no line end.
      const endsLine = !this.input.choice && !this.lineGiven;
      const at = text.indexOf(END_OF_INPUT);
      text = `${text.slice(0, at)}${endsLine ? '\r' : ''}${text.slice(at + 1).replaceAll(END_OF_INPUT, '')}`;
      this.onEndOfInput(endsLine);
    }
    // Whatever is held or dropped, an interrupt is the engineer's to give, at once.
    if (this.mode === 'prompt' && text.includes(INTERRUPT)) {
      this.prompt.write(INTERRUPT);
      this.hold(text.replaceAll(INTERRUPT, ''));
    } else this.hold(text);
    this.pump();
  };

  /** Whether TEXT is the rest of a block whose lines were dropped: if so it is dropped too (an interrupt in it still reaches the prompt). */
  private restOfDroppedBlock(text: string): boolean {
    const now = this.now();
    if (now > this.pasteUntil) return false;
    this.pasteUntil = now + PASTE_CHUNKS_MS;
    this.moreDropped += text.match(LINE_END)?.length ?? 0;
    if (this.mode === 'prompt' && text.includes(INTERRUPT)) this.prompt.write(INTERRUPT);
    clearTimeout(this.moreTimer);
    this.moreTimer = setTimeout(() => {
      const lines = this.moreDropped;
      this.moreDropped = 0;
      if (lines > 0 && !this.closed) this.onDropped({ kind: 'more_pasted_lines', lines });
    }, PASTE_CHUNKS_MS);
    this.moreTimer.unref?.();
    return true;
  }

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
    if (this.mode !== 'prompt' || this.lineGiven) return;
    const end = this.lineEnd();
    if (this.droppingUntil > 0) {
      const dropping = this.now() <= this.droppingUntil;
      this.droppingUntil = 0;
      if (dropping) {
        // The rest of a pasted line past maxAnswer, up to and with its end: the prompt stays open, empty.
        this.take(end?.next ?? this.held.length);
        if (end !== undefined) return this.pump();
        this.droppingUntil = this.now() + PASTE_CHUNKS_MS;
        this.keepReading();
        return;
      }
    }
    const more = end !== undefined && end.next < this.held.length;
    if (more && this.input.choice) {
      // A block pasted at a choice: its text would search the choices and its line end pick one.
      const line = this.held.slice(this.start, end.at);
      if (this.input.blockAtChoice && this.input.startsBlock(line)) {
        this.take(end.next);
        this.lineGiven = true;
        this.input.blockAtChoice(line);
        return;
      }
      this.dropBlock();
      this.keepReading();
      return;
    }
    const upTo = end?.next ?? this.held.length;
    if (this.lineLength + (end?.at ?? upTo) - this.start > this.maxAnswer) {
      this.prompt.write(KILL_LINE);
      this.take(upTo);
      this.droppingUntil = end === undefined ? this.now() + PASTE_CHUNKS_MS : 0;
      this.lineLength = 0;
      this.typed = '';
      this.onDropped({ kind: 'long_line', limit: this.maxAnswer });
      if (end !== undefined) this.dropRest();
      else this.keepReading();
      return;
    }
    if (end === undefined) {
      const text = this.take(upTo);
      this.lineLength += text.length;
      if (this.input.choice) this.typed += text;
      if (text !== '') this.prompt.write(text);
      this.keepReading();
      return;
    }
    const line = this.held.slice(this.start, end.at);
    if (this.input.choice && this.input.typedAtChoice) {
      const typed = `${this.typed}${line}`;
      this.typed = '';
      if (this.input.typedAtChoice(typed)) {
        this.take(upTo);
        return this.keepReading();
      }
    }
    // Marked before the write: writing the line runs the prompt's validation at once, and a
    // refusal (lineRefused) must find the line given.
    this.lineGiven = true;
    this.prompt.write(this.take(upTo));
    if (more && !this.input.startsBlock(line)) this.dropRest();
  }

  /** Drops what is held after a line given to a prompt, saying how many lines that was. */
  private dropRest(): void {
    if (this.start < this.held.length) this.dropBlock();
  }

  /**
   * Drops the held lines of a pasted block, saying how many, and the rest of the block as it comes
   * (restOfDroppedBlock) when there may be one: its last line is cut, or it came in a long chunk.
   * A short whole block is all of it, and a line typed right after it is an answer.
   */
  private dropBlock(): void {
    const cut = !/[\r\n]$/.test(this.held);
    this.onDropped({ kind: 'pasted_lines', lines: this.dropHeld() });
    if (cut || this.chunkLength >= PASTE_PIECE_CHARS) this.pasteUntil = this.now() + PASTE_CHUNKS_MS;
  }

  /** Drops everything held; returns how many lines it held (a last one without a line end counts). */
  private dropHeld(): number {
    let lines = 0;
    let after = this.start;
    LINE_END.lastIndex = this.start;
    for (let match = LINE_END.exec(this.held); match; match = LINE_END.exec(this.held)) {
      lines++;
      after = LINE_END.lastIndex;
    }
    if (after < this.held.length) lines++;
    this.take(this.held.length);
    return lines;
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

  /** Reads on from the terminal, unless its input has ended. */
  private keepReading(): void {
    if (!this.ended) this.terminal.resume();
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
