import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/**
 * One CLI command. `run` gets parsed arguments and the process streams and returns
 * the exit code; only bin.ts turns it into the process's exit status.
 */
export interface CliCommand<A = Record<string, unknown>> {
  command: string;
  describe: string;
  builder: (yargs: Argv) => Argv;
  run: (args: A, io: CliIo) => Promise<number>;
}

/** Helper to keep each command's argument type while storing them in one list. */
export function defineCommand<A>(command: CliCommand<A>): CliCommand {
  return command as unknown as CliCommand;
}
