/**
 * Which word of a simple command is its program, for the checks that read the commands of a
 * knowledge base: where a placeholder stands (templates.ts) and which curl runs with which -w
 * (curl-commands.ts), and which runs without an end (bounded-commands.ts). The words are
 * shell-words.ts': as written and as the shell reads them.
 */

import { shellEvents } from './shell-words.js';

/** Words after which the shell still expects a command (POSIX shell grammar's reserved words). */
const STILL_A_COMMAND = new Set(['!', '{', 'do', 'then', 'else', 'elif', 'if', 'while', 'until']);

/**
 * Programs that run the program named after their options: `sudo {{x}}` runs the value. With the
 * options of theirs that take a value, so that value is not taken for the program; timeout's
 * duration comes before its program.
 */
const WRAPPERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['sudo', new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-R', '-T', '-U', '-r', '-t'])],
  ['doas', new Set(['-u', '-C'])],
  ['env', new Set(['-u', '-C'])],
  ['nohup', new Set<string>()],
  ['nice', new Set(['-n'])],
  ['ionice', new Set(['-c', '-n', '-p', '-t'])],
  ['exec', new Set(['-a'])],
  ['command', new Set<string>()],
  ['builtin', new Set<string>()],
  ['timeout', new Set(['-s', '-k'])],
  ['stdbuf', new Set(['-i', '-o', '-e'])],
  ['setsid', new Set<string>()],
  ['time', new Set(['-f', '-o'])],
]);

/**
 * How much of a word's start reads as a bash assignment (`name=`, `name+=`, `name[subscript]=`):
 * 'yes' or 'no' once that is decided, else how far it got. Read one part at a time, so that a
 * reader of a word that grows reads each of its characters once.
 */
export type Assignment = 'start' | 'name' | 'subscript' | 'subscript closed' | 'plus' | 'yes' | 'no';

/** How the start of a word reads as an assignment after TEXT, from STATE (`'start'` for a word's start). */
export function assignmentAfter(state: Assignment, text: string): Assignment {
  for (let i = 0; i < text.length && state !== 'yes' && state !== 'no'; i++) state = assignmentStep(state, text[i] as string);
  return state;
}

function assignmentStep(state: Assignment, c: string): Assignment {
  if (state === 'start') return /[A-Za-z_]/.test(c) ? 'name' : 'no';
  if (state === 'subscript') return c === ']' ? 'subscript closed' : 'subscript';
  if (state === 'name' && /\w/.test(c)) return 'name';
  if (state === 'name' && c === '[') return 'subscript';
  // After the name or its subscript: `+=` or `=`.
  if (state !== 'plus' && c === '+') return 'plus';
  return c === '=' ? 'yes' : 'no';
}

/** A command's word: as written (quoted parts cut to what opens them) and as the shell reads it (shellEvents' word). */
export interface CommandWord {
  written: string;
  value: string;
}

/**
 * What a word of a simple command is, read in order from the command's start: `before` the
 * program (a reserved word, an assignment, a wrapper's option or that option's value, timeout's
 * duration), a `wrapper` that runs the program named after it, the `program`, or one of its
 * `argument`s. A name is the word as the shell reads it, without its directory.
 */
export type WordRole = { role: 'before' } | { role: 'wrapper'; name: string } | { role: 'program'; name: string } | { role: 'argument' };

const BEFORE: WordRole = { role: 'before' };
const ARGUMENT: WordRole = { role: 'argument' };

/** A program's name without its directory (`/usr/bin/curl` -> `curl`). */
export const programName = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/**
 * A reader of one simple command's words, each given in turn, that says which word is the
 * program: past reserved words, assignments (read as written: a quoted `"do"` or `"A"=1` is a
 * command's name to the shell) and wrappers (`timeout 10`, `sudo -u root`) with their options'
 * values (read as the shell reads them: `sudo "-u" root` is `sudo -u root`).
 */
export function programReader(): (word: CommandWord) => WordRole {
  let wrapper: ReadonlySet<string> | undefined;
  let valuePending = false;
  let durationPending = false;
  let programSeen = false;
  return ({ written, value }) => {
    if (programSeen) return ARGUMENT;
    if (valuePending) valuePending = false;
    else if (wrapper && value.startsWith('-')) valuePending = wrapper.has(value);
    else if (durationPending) durationPending = false;
    else if (!STILL_A_COMMAND.has(written) && assignmentAfter('start', written) !== 'yes') {
      const name = programName(value);
      wrapper = WRAPPERS.get(name);
      if (wrapper) {
        durationPending = name === 'timeout';
        return { role: 'wrapper', name };
      }
      programSeen = true;
      return { role: 'program', name };
    }
    return BEFORE;
  };
}

/**
 * A command's words as the shell reads them (shellEvents), each simple command a list of its
 * own, in the order they start: a `$(...)` substitution's command comes after the one it
 * stands in, which goes on after it.
 */
export function simpleCommands(text: string): CommandWord[][] {
  let current: CommandWord[] = [];
  const commands = [current];
  const enclosing: CommandWord[][] = [];
  for (const event of shellEvents([{ text }])) {
    if (event.type === 'word') current.push(event);
    else if (event.type === 'substitution end') current = enclosing.pop() as CommandWord[];
    else if (event.type === 'command' || event.type === 'substitution') {
      if (event.type === 'substitution') enclosing.push(current);
      current = [];
      commands.push(current);
    }
  }
  return commands.filter((words) => words.length > 0);
}

/**
 * The program of COMMAND (its name), its arguments as the shell reads them and the wrappers it
 * runs under (`timeout`, `sudo`), or undefined for a command without one (`sudo -u root`).
 */
export function programOf(command: readonly CommandWord[]): { name: string; args: string[]; wrappers: string[] } | undefined {
  const read = programReader();
  const wrappers: string[] = [];
  for (let i = 0; i < command.length; i++) {
    const word = read(command[i] as CommandWord);
    if (word.role === 'wrapper') wrappers.push(word.name);
    if (word.role === 'program') return { name: word.name, args: command.slice(i + 1).map((w) => w.value), wrappers };
  }
  return undefined;
}

/** An argument of a program: an option (`-c`, `--max-time`) with the value it takes, or an operand. */
export type CommandArgument = { option: string; value?: string; operand?: undefined } | { operand: string; option?: undefined; value?: undefined };

/**
 * A program's arguments read as getopt reads them, given the short options that take a value
 * (SHORT_WITH_VALUE, one letter each) and the long ones (LONG_WITH_VALUE): a cluster of short
 * options (`-nnc 5`, `-sSo/dev/null`) is each of its letters up to the first that takes a value,
 * which takes the rest of the word or the next word; `--name=value` or `--name value`; after
 * `--`, and for `-` alone, operands.
 */
export function* commandArguments(args: readonly string[], shortWithValue: string, longWithValue: readonly string[] = []): Generator<CommandArgument, void, undefined> {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      for (const operand of args.slice(i + 1)) yield { operand };
      return;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      if (equals >= 0) yield { option: arg.slice(0, equals), value: arg.slice(equals + 1) };
      else yield longWithValue.includes(arg) ? { option: arg, value: args[++i] } : { option: arg };
    } else if (/^-./.test(arg)) {
      for (let at = 1; at < arg.length; at++) {
        const option = `-${arg[at] as string}`;
        if (!shortWithValue.includes(arg[at] as string)) {
          yield { option };
          continue;
        }
        yield { option, value: at + 1 < arg.length ? arg.slice(at + 1) : args[++i] };
        break;
      }
    } else yield { operand: arg };
  }
}
