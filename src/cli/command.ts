import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/**
 * What a command does: its options and its run. `run` gets parsed arguments and the process
 * streams and returns the exit code; only runProcess (run-process.ts) turns it into the process's exit status.
 */
export interface CommandModule<A = Record<string, unknown>> {
  builder: (yargs: Argv) => Argv;
  run: (args: A, io: CliIo) => Promise<number>;
}

/**
 * One CLI command as the registry lists it: its name and one-line description, which
 * `rca --help` shows, and how to import the rest. A command's module (and all it imports) is
 * loaded only when the command is named on the command line, so each run pays for its own.
 */
export interface CliCommand {
  command: string;
  describe: string;
  load: () => Promise<{ default: CommandModule }>;
}

/** Helper to keep each command's argument type while storing them in one list. */
export function defineCommand<A>(command: CommandModule<A>): CommandModule {
  return command as unknown as CommandModule;
}

/**
 * An option given once for each of its values (`--kb a --kb b`): a list. One word a flag, so
 * that `--kb rules f.json` leaves f.json to the command (a list option takes every word after
 * it otherwise, stdin's `-` too). Every other option that takes a value takes one (main.ts).
 */
export const repeatedValue = { type: 'string', array: true, nargs: 1 } as const;
