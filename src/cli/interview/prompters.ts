import type { InterviewQuestion } from '../../core/interview.js';
import { InputError } from '../../core/errors.js';
import { visible } from '../../core/escape.js';
import { asideText, labelColon, uiText } from '../../core/render.js';
import type { Vocabulary } from '../../core/vocabulary.js';
import type { CliIo } from '../io.js';
import { COMMANDS, commandOf, expectedAnswer, parseReply, PASTE_MAX_CHARS, pasteStart, readPaste, replyProblem, type PasteParser, type Reply } from './answers.js';
import { lineReader } from './lines.js';
import { fill, fillInLines, type Prompter } from './session.js';
import { TerminalInput, type Dropped, type PromptInput } from './terminal-input.js';

export interface ClosablePrompter extends Prompter {
  /** Ends any pending question with 'eof' (used on Ctrl-C). */
  close(): void;
  /**
   * Asks for the service in question (a URL or HOST[:PORT]) until `problem` finds nothing wrong
   * with the answer, or the engineer skips it. Only a terminal asks: a script's lines answer the
   * interview's questions, and it names the service with --target.
   */
  askService?(problem: (answer: string) => string | undefined): Promise<{ kind: 'answer'; text: string } | { kind: 'skip' } | { kind: 'done' } | { kind: 'eof' }>;
}

// Question texts come from the knowledge base and commands carry fact values: both go to a
// terminal, so control characters are shown, never sent.
function header(q: InterviewQuestion, n: number): string {
  return visible(`Q${n} [${q.fact}] ${q.text}`);
}

function details(q: InterviewQuestion, lang: string, withAnswers: boolean): string[] {
  const lines: string[] = [];
  if (q.help) lines.push(`   ${q.help}`);
  if (withAnswers) lines.push(`   ${uiText('iv_answers', lang)}${labelColon(lang)}${expectedAnswer(q, lang)}  ${asideText(`${uiText('iv_or', lang)}${labelColon(lang)}?, ${COMMANDS.slice(1).join(', ')}, paste KIND`, lang)}`);
  if (q.how) lines.push(`   $ ${q.how}`, ...fillInLines(q, lang));
  return lines.map(visible);
}

/**
 * For pipes and tests: questions on stderr, one answer per line on stdin. A rejected answer
 * ends the interview with a usage error: each line answers the question asked, so asking
 * again would give every later line to the wrong question.
 */
export function scriptedPrompter(io: CliIo, lang: string, parse: PasteParser, vocabulary: Vocabulary): ClosablePrompter {
  // No line can be longer than the longest paste.
  const lines = lineReader(io.stdin, PASTE_MAX_CHARS, 'stdin');
  let closed = false;
  let lineNumber = 0;
  const nextLine = async (): Promise<string | undefined> => {
    const line = await lines.next();
    if (line === undefined || closed) return undefined;
    lineNumber++;
    return line;
  };
  return {
    async ask(q, n) {
      if (closed) return { kind: 'eof' };
      io.stderr.write(`${[header(q, n), ...details(q, lang, true)].join('\n')}\n> `);
      const line = await nextLine();
      if (line === undefined) return { kind: 'eof' };
      io.stderr.write('\n');
      const first = lineNumber;
      const kind = pasteStart(line);
      const reply = kind === undefined ? parseReply(line, q, vocabulary) : await readPaste(kind, nextLine, parse, q.how ?? undefined);
      // Bad data on stdin, not a misused command: an input error, each problem placed on its line.
      const where = `stdin ${kind === undefined ? `line ${first} (answer to Q${n})` : `lines ${first}-${lineNumber} (paste at Q${n})`}`;
      if (reply.kind === 'invalid') throw new InputError(reply.problems.map((p) => ({ ...p, field: `${where}: ${p.field}` })));
      return reply;
    },
    say(text) {
      io.stderr.write(`${text}\n`);
    },
    close() {
      closed = true;
      lines.close();
    },
  };
}

const COMMAND_VALUE = '\u0000command:';

/** A typed answer takes one line, and the output after a line "paste KIND" (a choice, keys and such a block: ask). */
const TYPED: PromptInput = { choice: false, startsBlock: (line) => pasteStart(line) !== undefined };
/** A line that is never a paste's start (the service's URL). */
const TYPED_LINE: PromptInput = { choice: false, startsBlock: () => false };

/**
 * The longest answer typed at a prompt. A prompt redraws its whole line on every character, so a
 * pasted line of 2,000 characters kept it busy 4.5 s and one of 10,000 over a minute; a command's
 * output is pasted after a line "paste KIND", which has no such limit.
 */
const MAX_TYPED_ANSWER = 512;

/** What the terminal says of input it did not take as an answer: pasted lines (one, or N), or a line too long. */
export function droppedText(dropped: Dropped, lang: string): string {
  if (dropped.kind === 'long_line') return fill(uiText('iv_dropped_long_line', lang), { limit: String(dropped.limit) });
  const key = `iv_dropped_${dropped.kind === 'more_pasted_lines' ? 'more_' : ''}${dropped.lines === 1 ? 'line' : 'lines'}`;
  return fill(uiText(key, lang), { lines: String(dropped.lines) });
}

/**
 * The terminal front end: arrow-key choices, validated typed input, on stderr. `kindProblem`
 * says what is wrong with a paste's kind (undefined when rca parses it), so a mistyped kind is
 * refused at its own line, before the output is pasted, not after it, with the paste lost.
 */
export async function ttyPrompter(io: CliIo, lang: string, parse: PasteParser, vocabulary: Vocabulary, kindProblem: (kind: string) => string | undefined): Promise<ClosablePrompter> {
  const { select, input, Separator } = await import('@inquirer/prompts');
  // Ctrl-D at a prompt: done, report now, as the end of a piped script is (the prompt would close
  // with nothing said, and the interview end as if interrupted). At a typed prompt with text on
  // its line it ends the line instead, as Enter (a terminal's cooked mode ends such a line so):
  // the text is the answer, not dropped; on an empty line it is done.
  let asking: AbortController | undefined;
  let doneByKey = false;
  let lineEndedByKey = false;
  const terminal = new TerminalInput(
    io.stdin as NodeJS.ReadStream,
    PASTE_MAX_CHARS,
    MAX_TYPED_ANSWER,
    (dropped) => io.stderr.write(`\n! ${droppedText(dropped, lang)}\n`),
    (endsLine) => {
      if (endsLine) lineEndedByKey = true;
      else {
        doneByKey = true;
        asking?.abort();
      }
    },
  );
  const context = { input: terminal.prompt, output: io.stderr, clearPromptOnDone: false };
  const controller = new AbortController();
  /** One prompt, given the terminal's text a line at a time (a block pasted with it is kept for the paste that follows). */
  const prompting = async <T>(ask: () => Promise<T>, input: PromptInput): Promise<T> => {
    lineEndedByKey = false;
    terminal.startPrompt(input);
    try {
      return await ask();
    } finally {
      terminal.endPrompt();
    }
  };
  /** The signal a prompt stops on: close() (Ctrl-C, the end), or Ctrl-D at this prompt. */
  const askSignal = () => AbortSignal.any([controller.signal, (asking ??= new AbortController()).signal]);
  /**
   * A validation's verdict on a typed line: true, or the refusal the prompt shows, which quotes the
   * line: pasted text may hold control characters and bidi overrides, shown, never sent.
   */
  const shownProblem = (problem: string | undefined): string | true => (problem === undefined ? true : visible(problem));
  /** A validation's verdict; a refusal keeps the prompt open, so the terminal's text flows into it again. */
  const refusing = (verdict: string | true): string | true => {
    if (verdict !== true) terminal.lineRefused();
    return verdict;
  };
  /**
   * A typed line, checked by `validate` (a refusal keeps the prompt open, its line emptied); 'done'
   * when Ctrl-D ended an empty line. Ctrl-D on a line with text submits it as Enter does.
   */
  const typedLine = async (message: string, validate: (line: string) => string | true, how: PromptInput): Promise<string | { kind: 'done' }> => {
    let done = false;
    const check = (line: string) => {
      const endedByKey = lineEndedByKey;
      lineEndedByKey = false;
      if (!endedByKey || line.trim() !== '') return refusing(validate(line));
      done = true;
      return true;
    };
    // A refused line is emptied: kept, the answer typed after it was appended to it ("bad gateway"
    // then 502 sent "bad gateway502"). The refusal says what was wrong with it.
    const line = await prompting(() => input({ message, validate: check, theme: { validationFailureMode: 'clear' } }, { ...context, signal: askSignal() }), how);
    return done ? { kind: 'done' } : line;
  };
  // The prompt's key help ("↑↓ navigate • ⏎ select") in the interview's language.
  const keysHelp = { style: { keysHelpTip: (keys: Array<[string, string]>) => keys.map(([key, action]) => `${key} ${uiText(`iv_key_${action}`, lang)}`).join(' • ') } };
  const commandChoices = (['unknown', 'why', 'how', 'back', 'done', 'paste'] as const).map((c) => ({ name: uiText(`iv_${c}_choice`, lang), value: `${COMMAND_VALUE}${c}` }));
  /** A yes/no fact's choices read yes / no in the interview's language; the value picked stays true / false, the fact's own. */
  const answerChoice = (choice: string | boolean) => ({ name: typeof choice === 'boolean' ? uiText(choice ? 'iv_yes_choice' : 'iv_no_choice', lang) : String(choice), value: String(choice) });
  /** The pasted lines after the prompt, read as the terminal sends them (cooked: echoed, line by line), up to a line `end`. */
  const pasted = async (q: InterviewQuestion, kind: string, firstLine?: string): Promise<Reply | { kind: 'eof' }> => {
    io.stderr.write(`${uiText('iv_paste_text', lang)}${labelColon(lang, { atLineEnd: true })}\n`);
    let first = firstLine;
    const nextLine = () => {
      if (first === undefined) return terminal.nextLine();
      const line = first;
      first = undefined;
      return Promise.resolve(line);
    };
    const reply = await readPaste(kind, nextLine, parse, q.how ?? undefined);
    // Ctrl-C in the middle of a paste drops it: half an output is no evidence.
    if (controller.signal.aborted) return { kind: 'eof' };
    // Ctrl-D ends the pasted lines as the line "end" does, and the input with them (the terminal
    // reads no more after it): the paste counts, then done, the report, as Ctrl-D at a prompt.
    if (terminal.inputEnded) doneByKey = true;
    return reply;
  };
  /** What ended a prompt without an answer: Ctrl-D (done, report now), Ctrl-C or close() (eof). */
  const stopped = (error: unknown): { kind: 'done' } | { kind: 'eof' } => {
    if (doneByKey && !controller.signal.aborted) {
      doneByKey = false;
      return { kind: 'done' };
    }
    // Ctrl-C in the prompt (ExitPromptError) or close() (AbortPromptError).
    if (error instanceof Error && /ExitPromptError|AbortPromptError/.test(error.name)) return { kind: 'eof' };
    throw error;
  };
  return {
    async askService(problem) {
      asking = new AbortController();
      try {
        // The interview's words mean what they mean at a question ("done" reports, "?" skips), not
        // a host of that name; back, why and how have nothing to act on before the first question.
        const validate = (v: string) => {
          const command = commandOf(v);
          if (command === 'back' || command === 'why' || command === 'how') return visible(uiText('iv_service_command', lang));
          const wrong = v.trim() === '' || command ? undefined : problem(v.trim());
          return wrong === undefined ? true : visible(wrong);
        };
        const line = await typedLine(uiText('iv_service', lang), validate, TYPED_LINE);
        if (typeof line !== 'string') return line;
        const text = line.trim();
        const command = commandOf(text);
        if (command === 'done') return { kind: 'done' };
        return text === '' || command === 'unknown' ? { kind: 'skip' } : { kind: 'answer', text };
      } catch (error) {
        return stopped(error);
      }
    },
    async ask(q, n) {
      io.stderr.write(`${details(q, lang, false).join('\n')}\n`);
      asking = new AbortController();
      try {
        const { choices } = q;
        if (choices) {
          const menu = [...choices.map(answerChoice), new Separator(), ...commandChoices];
          const menuNames = [...choices.map((choice) => answerChoice(choice).name), ...commandChoices.map((c) => c.name)];
          // "paste KIND", the output and "end" pasted as one block at a choice: the paste, as at a typed question.
          let pastedKind: string | undefined;
          let typedReply: Reply | undefined;
          let typedText = '';
          const choiceInput: PromptInput = {
            choice: true,
            startsBlock: (line) => {
              const kind = pasteStart(line);
              return kind !== undefined && kindProblem(kind) === undefined;
            },
            blockAtChoice: (line) => {
              pastedKind = pasteStart(line);
              asking?.abort();
            },
            typedAtChoice: (typed) => {
              // Arrow keys and Backspace move and search: the Enter after them picks as the menu shows.
              if (typed.trim() === '' || /\p{Cc}/u.test(typed)) return false;
              // A word is read as the same line in a script is: "paste KIND" (the output follows), a
              // command ("quit", "back", "don't know") or an answer ("errors", "yes", 2). The menu's
              // search took "quit" for a search, found nothing and picked the choice highlighted,
              // and "back" picked "backend".
              const kind = pasteStart(typed);
              const kindWrong = kind === undefined ? undefined : kindProblem(kind);
              if (kind !== undefined && kindWrong === undefined) {
                pastedKind = kind;
                asking?.abort();
                return true;
              }
              const refuse = (problem: string) => {
                io.stderr.write(`\n! ${visible(problem)}\n`);
                return true;
              };
              if (kindWrong !== undefined) return refuse(kindWrong);
              const reply = parseReply(typed, q, vocabulary);
              if (reply.kind !== 'invalid') {
                typedReply = reply;
                typedText = typed.trim();
                asking?.abort();
                return true;
              }
              // The start of a choice's name, or an item's number, is the menu's own search: it picked it.
              const lower = typed.trim().toLowerCase();
              if (menuNames.some((name) => name.toLowerCase().startsWith(lower)) || /^[1-9]\d*$/.test(lower) && Number(lower) <= menuNames.length) return false;
              return refuse(replyProblem(reply));
            },
          };
          let value: string;
          try {
            value = await prompting(() => select(
              { message: header(q, n), choices: menu, pageSize: 13, loop: false, theme: keysHelp },
              { ...context, signal: askSignal() },
            ), choiceInput);
          } catch (error) {
            if (typedReply !== undefined && !controller.signal.aborted) {
              // The menu stays as it was drawn: say what was taken, as the menu's own pick says it.
              io.stderr.write(`\n✔ ${header(q, n)} ${visible(typedText)}\n`);
              return typedReply;
            }
            if (pastedKind === undefined || controller.signal.aborted) throw error;
            io.stderr.write('\n');
            return pasted(q, pastedKind);
          }
          if (value === `${COMMAND_VALUE}paste`) {
            // The kind's line starts the paste: the output may come with it. A block pasted here
            // without its kind line (the output itself) is taken as output rca tells the kind of.
            const isOutput = (v: string) => kindProblem(v.trim().toLowerCase()) !== undefined && terminal.holdsText;
            const kind = await typedLine(uiText('iv_paste_kind', lang), (v) => (v.trim() === '' ? uiText('iv_paste_kind', lang) : isOutput(v) || shownProblem(kindProblem(v.trim().toLowerCase()))), { choice: false, startsBlock: () => true });
            if (typeof kind !== 'string') return kind;
            return kindProblem(kind.trim().toLowerCase()) === undefined ? pasted(q, kind.trim().toLowerCase()) : pasted(q, 'auto', kind);
          }
          return value.startsWith(COMMAND_VALUE) ? ({ kind: value.slice(COMMAND_VALUE.length) } as Reply) : parseReply(value, q, vocabulary);
        }
        const text = await typedLine(
          `${header(q, n)} (${expectedAnswer(q, lang)}; ?, why, how, back, done, paste KIND)`,
          (v) => {
            const pasteKind = pasteStart(v);
            if (pasteKind !== undefined) return shownProblem(kindProblem(pasteKind));
            const reply = parseReply(v, q, vocabulary);
            return shownProblem(reply.kind === 'invalid' ? replyProblem(reply) : undefined);
          },
          TYPED,
        );
        if (typeof text !== 'string') return text;
        const kind = pasteStart(text);
        return kind === undefined ? parseReply(text, q, vocabulary) : pasted(q, kind);
      } catch (error) {
        return stopped(error);
      }
    },
    say(text) {
      io.stderr.write(`${text}\n`);
    },
    close() {
      controller.abort();
      // A terminal left flowing kept the process alive after the interview had saved and
      // returned 130 (it took a second Ctrl-C). Nothing reads stdin after close.
      terminal.close();
    },
  };
}
