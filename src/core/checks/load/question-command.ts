import type { Command, Question } from '../../../generated/kb-file.js';
import type { Packed } from '../../kb-place.js';
import { didYouMean } from '../../suggest.js';
import type { LoadCheck, Report } from '../check.js';

export const questionCommand: LoadCheck = {
  meta: {
    id: 'question-command',
    severity: 'fatal',
    docs: {
      description: "A question's `run` names a command some file defines under `commands`, and the question does not also state `how`, `paste` or `carries`.",
      why: 'A misspelt name would leave the question without its command, and a question stating its own beside the named one would say two things, one of them unread.',
    },
  },
};

/** The fields a question takes from the command it runs. */
const COMMAND_FIELDS = ['how', 'paste', 'carries'] as const;

/**
 * Gives each question that runs a named command that command's `how`, `paste` and `carries`, as
 * though written in the question, and records where they are written (as a later pack's
 * extension is recorded: placeOf places a finding about them at the command). A question that
 * names an unknown command, or states a field of its own beside `run`, is reported and left as
 * written.
 */
export function runCommands(questions: Map<string, Packed<Question>>, commands: ReadonlyMap<string, Packed<Command>>, report: Report): void {
  for (const [fact, entry] of questions) {
    const name = entry.value.run;
    if (name === undefined) continue;
    const own = COMMAND_FIELDS.filter((field) => entry.value[field] !== undefined);
    if (own.length > 0) {
      report(entry.file, `${entry.path}/${own[0]}`, `expected either run or how, paste and carries, got ${own.join(' and ')} beside run "${name}" (the command it runs says them)`);
      continue;
    }
    const command = commands.get(name);
    if (!command) {
      report(entry.file, `${entry.path}/run`, `expected the name of a command defined under commands, got unknown "${name}"${didYouMean(name, [...commands.keys()])}`);
      continue;
    }
    const parts = COMMAND_FIELDS.filter((field) => command.value[field] !== undefined).map((field) => ({ pointer: `/${field}`, own: `/${field}` }));
    questions.set(fact, {
      ...entry,
      value: { ...entry.value, ...command.value },
      extensions: [{ file: command.file, path: command.path, pack: command.pack, parts }, ...(entry.extensions ?? [])],
    });
  }
}
