/**
 * One reading of a command's shell words, for the checks that read the commands of a knowledge
 * base: where a placeholder stands (templates.ts) and which curl -w formats run
 * (curl-commands.ts). Bash's grammar, closely enough for them: quotes, escapes, line
 * continuations, comments, separators, and `$(...)` as a command of its own; `${...}` and
 * backticks nest like quotes, their content not read as commands. One pass: linear in the text.
 */

/** A command's text, or a placeholder standing in it: a value rca fills in, not read as shell text. */
export type ShellPiece = { text: string } | { placeholder: string };

/**
 * What reading a command meets, in the order of its text:
 * - a word of the current command ends: `written` as written, each quoted part or expansion cut
 *   to what opens it (`'`, `"`, `` ` ``, `${`; a closed substitution as `$()`), escapes whole;
 *   `value` as the shell reads it, quotes removed and escapes undone, expansions as written
 *   (a substitution as `$()`);
 * - `command`: a separator (`;`, `|`, `&`, a parenthesis, a newline) ends the current command;
 * - `substitution`: `$(` opens a command of its own, inside the current word;
 *   `substitution end`: its `)` closes it, and the enclosing command's word goes on;
 * - a placeholder, in a word, in quotes, `${...}` or backticks (at any depth, substitutions
 *   between included), or in a comment; `written` and `value` are the part of its word since the
 *   word's start or the word's previous placeholder, as for a word (each part of a word comes in
 *   one event, so a reader that keeps what it needs of a word as it grows reads it once, where
 *   reading the word up to each placeholder would read it again for each: quadratic).
 */
export type ShellEvent =
  | { type: 'word'; written: string; value: string }
  | { type: 'command' }
  | { type: 'substitution' }
  | { type: 'substitution end' }
  | { type: 'placeholder'; placeholder: string; where: 'word' | 'quotes' | 'comment'; written: string; value: string };

type Level = 'single' | 'double' | 'backtick' | 'parameter' | 'substitution';

const COMMAND: ShellEvent = { type: 'command' };
const SUBSTITUTION: ShellEvent = { type: 'substitution' };
const SUBSTITUTION_END: ShellEvent = { type: 'substitution end' };

/** The characters a backslash escapes in double quotes; before any other it is kept. */
const ESCAPED_IN_DOUBLE_QUOTES = '"\\$`';
/** A character and the ordinary ones after it, outside quotes and inside: read as one run (sticky, no backtracking). */
const RUN_OUTSIDE = /[\s\S][^\\'"$`() \t\n&;|#]*/y;
const RUN_INSIDE = /[\s\S][^\\'"$`}]*/y;

/** The run of RUN that starts at AT in TEXT. */
function runAt(run: RegExp, text: string, at: number): string {
  run.lastIndex = at;
  return (run.exec(text) as RegExpExecArray)[0];
}

/** The events of a command's pieces (ShellEvent). A character's lookahead stops at a placeholder: `$` before one is a `$`. */
export function* shellEvents(pieces: Iterable<ShellPiece>): Generator<ShellEvent, void, undefined> {
  const stack: Level[] = [];
  // How many levels of the stack are quotes, `${` or backticks rather than substitutions.
  let quotes = 0;
  let comment = false;
  // The current word, and its part since its start or its last placeholder; for each open
  // substitution, the word it stands in.
  let written = '';
  let value = '';
  let partWritten = '';
  let partValue = '';
  // Whether `written` ends in `<` or `>`, so that a `&` next is part of a redirection (`2>&1`):
  // kept as a flag, as asking the growing string would copy it each time.
  let redirection = false;
  const enclosing: Array<{ written: string; value: string; partWritten: string; partValue: string }> = [];
  const write = (text: string, read: string) => {
    written += text;
    partWritten += text;
    readOnly(read);
    redirection = text.endsWith('<') || text.endsWith('>');
  };
  // What is read inside quotes, `${...}` or backticks: the value only.
  const readOnly = (read: string) => {
    value += read;
    partValue += read;
  };
  const open = (level: Level) => {
    stack.push(level);
    if (level !== 'substitution') quotes++;
  };
  const close = () => {
    if (stack.pop() !== 'substitution') quotes--;
  };
  const openSubstitution = () => {
    enclosing.push({ written, value, partWritten, partValue });
    written = value = partWritten = partValue = '';
    redirection = false;
    open('substitution');
  };
  function* endWord(): Generator<ShellEvent, void, undefined> {
    if (written === '') return;
    yield { type: 'word', written, value };
    written = value = partWritten = partValue = '';
    redirection = false;
  }

  for (const piece of pieces) {
    if ('placeholder' in piece) {
      yield { type: 'placeholder', placeholder: piece.placeholder, where: comment ? 'comment' : quotes > 0 ? 'quotes' : 'word', written: partWritten, value: partValue };
      if (comment) continue;
      if (quotes === 0) write(piece.placeholder, piece.placeholder);
      else readOnly(piece.placeholder);
      partWritten = partValue = '';
      continue;
    }
    const chars = piece.text;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      const next = chars[i + 1];
      const inner = stack.at(-1);
      // In double quotes, `${...}` or backticks: what is read there goes to the value only.
      const quoted = inner === 'double' || inner === 'parameter' || inner === 'backtick';
      if (comment) {
        const newline = chars.indexOf('\n', i);
        if (newline < 0) break;
        i = newline;
        comment = false;
        yield COMMAND;
      } else if (inner === 'single') {
        const quote = chars.indexOf("'", i);
        readOnly(chars.slice(i, quote < 0 ? chars.length : quote));
        if (quote < 0) break;
        i = quote;
        close();
      } else if (quoted && c === '\\') {
        // (a line continuation there is kept the same way)
        readOnly(next !== undefined && ESCAPED_IN_DOUBLE_QUOTES.includes(next) ? next : c + (next ?? ''));
        i++;
      } else if ((inner === 'double' && c === '"') || (inner === 'parameter' && c === '}') || (inner === 'backtick' && c === '`')) {
        close();
        if (c !== '"') readOnly(c);
      } else if (c === '$' && next === '(') {
        openSubstitution();
        i++;
        yield SUBSTITUTION;
      } else if ((c === '$' && next === '{') || c === '`') {
        open(c === '`' ? 'backtick' : 'parameter');
        const opening = c === '`' ? c : '${';
        if (quoted) readOnly(opening);
        else write(opening, opening);
        i += opening.length - 1;
      } else if (quoted) {
        if (inner === 'parameter' && (c === '"' || c === "'")) open(c === '"' ? 'double' : 'single');
        else {
          const run = runAt(RUN_INSIDE, chars, i);
          readOnly(run);
          i += run.length - 1;
        }
      }
      // Outside quotes: at the top, or in a $(...) substitution, a command of its own.
      else if (c === '\\' && next === '\n') {
        // A line continuation: bash removes both, joining what is on either side.
        i++;
      } else if (c === '\\') {
        write(c + (next ?? ''), next ?? '');
        i++;
      } else if (c === "'" || c === '"') {
        open(c === '"' ? 'double' : 'single');
        write(c, '');
      } else if (c === ')' && inner === 'substitution') {
        yield* endWord();
        close();
        ({ written, value, partWritten, partValue } = enclosing.pop() as (typeof enclosing)[number]);
        write('$()', '$()');
        yield SUBSTITUTION_END;
      } else if (c === ' ' || c === '\t') yield* endWord();
      else if (c === '&' && redirection) write(c, c);
      else if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
        // A separator, a pipe, a subshell's opening, or a case arm's ")".
        yield* endWord();
        yield COMMAND;
      } else if (c === '#' && written === '') comment = true;
      else {
        const run = runAt(RUN_OUTSIDE, chars, i);
        write(run, run);
        i += run.length - 1;
      }
    }
  }
  yield* endWord();
}
