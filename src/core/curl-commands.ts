import { programReader, type CommandWord } from './command-program.js';
import { shellEvents } from './shell-words.js';

/**
 * The curl commands of a knowledge base's command line and their -w formats, read as the shell
 * and curl read them, closely enough for a lint check: quotes, simple commands, `$(...)`
 * substitutions, wrappers and loops (the words as shell-words.ts reads them); not backticks,
 * whose text that reading leaves unread, functions, aliases or a curl config file. One pass:
 * linear in the text.
 */

/**
 * A command's words as the shell reads them (shellEvents), each simple command a list of its
 * own, in the order they start: a `$(...)` substitution's command comes after the one it
 * stands in, which goes on after it.
 */
function simpleCommands(text: string): CommandWord[][] {
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

/** The program of COMMAND (its name) and its arguments as the shell reads them (programReader), or undefined for a command without one (`sudo -u root`). */
function programOf(command: readonly CommandWord[]): { name: string; args: string[] } | undefined {
  const read = programReader();
  for (let i = 0; i < command.length; i++) {
    const word = read(command[i] as CommandWord);
    if (word.role === 'program') return { name: word.name, args: command.slice(i + 1).map((w) => w.value) };
  }
  return undefined;
}

/** curl's short options that take a value (its man page): in a cluster (`-sSo FILE`), the rest of the word or the next word is that value. */
const CURL_SHORT_WITH_VALUE = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz');

/** The -w / --write-out format of a curl command's arguments (the last one given, which curl uses), if any. */
function writeOutFormat(args: readonly string[]): string | undefined {
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') break;
    if (arg === '--write-out') format = args[++i];
    else if (/^-[^-]/.test(arg)) {
      // A cluster of short options: flags up to the first that takes a value.
      for (let at = 1; at < arg.length; at++) {
        const option = arg[at] as string;
        if (!CURL_SHORT_WITH_VALUE.has(option)) continue;
        const value = at + 1 < arg.length ? arg.slice(at + 1) : args[++i];
        if (option === 'w') format = value;
        break;
      }
    }
  }
  return format;
}

/** Each curl -w format in a command, and whether that curl runs in a loop's body (`for ...; do curl ...; done`). */
export function curlWriteOuts(text: string): Array<{ format: string; inLoop: boolean }> {
  const found: Array<{ format: string; inLoop: boolean }> = [];
  let loopDepth = 0;
  for (const command of simpleCommands(text)) {
    if (command[0]?.value === 'do') loopDepth++;
    if (command[0]?.value === 'done') loopDepth = Math.max(0, loopDepth - 1);
    const program = programOf(command);
    if (program?.name !== 'curl') continue;
    const format = writeOutFormat(program.args);
    if (format !== undefined) found.push({ format, inLoop: loopDepth > 0 });
  }
  return found;
}
