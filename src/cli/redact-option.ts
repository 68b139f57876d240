import type { ProcessNaming } from '../collect/process-tree.js';

/** `--redact` / `--no-redact`, shared by the commands that name processes (collect, parse). */
export const redactOption = {
  type: 'boolean',
  default: true,
  describe: 'Name processes by their program only; --no-redact keeps the whole command line, arguments and any secrets in them included',
} as const;

export function processNaming(redact: boolean): ProcessNaming {
  return redact ? 'program' : 'command_line';
}
