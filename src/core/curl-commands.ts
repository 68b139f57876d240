import { commandArguments, programOf, simpleCommands } from './command-program.js';

/**
 * The curl commands of a knowledge base's command line and their -w formats, read as the shell
 * and curl read them, closely enough for a lint check: quotes, simple commands, `$(...)`
 * substitutions, wrappers and loops (the words as shell-words.ts reads them); not backticks,
 * whose text that reading leaves unread, functions, aliases or a curl config file. One pass:
 * linear in the text.
 */

/** curl's short options that take a value (its man page): in a cluster (`-sSo FILE`), the rest of the word or the next word is that value. */
export const CURL_SHORT_WITH_VALUE = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';
/** The long one of them that this module reads. */
const CURL_LONG_WITH_VALUE = ['--write-out'];

/** The -w / --write-out format of a curl command's arguments (the last one given, which curl uses), if any. */
function writeOutFormat(args: readonly string[]): string | undefined {
  let format: string | undefined;
  for (const argument of commandArguments(args, CURL_SHORT_WITH_VALUE, CURL_LONG_WITH_VALUE)) {
    if (argument.option === '-w' || argument.option === '--write-out') format = argument.value;
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
