import type { Check, Command, Hypothesis, Question } from '../../../generated/kb-file.js';
import { type Extension, type Packed, placeOf } from '../../kb-place.js';
import { didYouMean } from '../../suggest.js';
import type { LoadCheck, Report } from '../check.js';

export const namedCommand: LoadCheck = {
  meta: {
    id: 'named-command',
    severity: 'fatal',
    docs: {
      description:
        "A question's or a check's `run` names a command some file defines under `commands`; a question that runs one does not also state `how`, `paste` or `carries`, and a check states its `command` or `run`, one of the two.",
      why: 'A misspelt name would leave the question or the check without its command, and one stating its own beside the named one would say two things, one of them unread.',
    },
  },
};

/** The fields a question takes from the command it runs. */
const QUESTION_FIELDS = ['how', 'paste', 'carries'] as const;

/** What a named command's parts of an entry are, as placeOf reads them: POINTER under the entry, from `own` under the command. */
const partsOf = (command: Packed<Command>, parts: Extension['parts']): Extension => ({ file: command.file, path: command.path, pack: command.pack, parts });

/**
 * Gives each question that runs a named command that command's `how`, `paste` and `carries`, and
 * each check that runs one its `how` as the check's command, as though written there, recording
 * where they are written (placeOf then places a finding about them at the command). An entry
 * naming an unknown command, or stating a field of its own beside `run`, is reported and left as
 * written; so is a check with neither.
 */
export function runCommands(
  questions: Map<string, Packed<Question>>,
  hypotheses: Map<string, Packed<Hypothesis>>,
  commands: ReadonlyMap<string, Packed<Command>>,
  report: Report,
): void {
  const named = (name: string, file: string, path: string): Packed<Command> | undefined => {
    const command = commands.get(name);
    if (!command) report(file, path, `expected the name of a command defined under commands, got unknown "${name}"${didYouMean(name, [...commands.keys()])}`);
    return command;
  };
  for (const [fact, entry] of questions) {
    const name = entry.value.run;
    if (name === undefined) continue;
    const own = QUESTION_FIELDS.filter((field) => entry.value[field] !== undefined);
    if (own.length > 0) {
      report(entry.file, `${entry.path}/${own[0]}`, `expected either run or how, paste and carries, got ${own.join(' and ')} beside run "${name}" (the command it runs says them)`);
      continue;
    }
    const command = named(name, entry.file, `${entry.path}/run`);
    if (!command) continue;
    const parts = QUESTION_FIELDS.filter((field) => command.value[field] !== undefined).map((field) => ({ pointer: `/${field}`, own: `/${field}` }));
    questions.set(fact, { ...entry, value: { ...entry.value, ...command.value }, fromCommands: [partsOf(command, parts)] });
  }
  for (const [id, entry] of hypotheses) {
    const taken: Extension[] = [];
    const checks = entry.value.checks.map((check, i): Check => {
      const at = placeOf(entry, `/checks/${i}`);
      if (check.run === undefined) {
        if (check.command === undefined) report(at.file, at.path, 'expected command (the command line) or run (the name of a command under commands), got neither');
        return check;
      }
      if (check.command !== undefined) {
        report(at.file, `${at.path}/command`, `expected either run or command, got command beside run "${check.run}" (the command it runs says it)`);
        return check;
      }
      const command = named(check.run, at.file, `${at.path}/run`);
      if (!command) return check;
      taken.push(partsOf(command, [{ pointer: `/checks/${i}/command`, own: '/how' }]));
      return { ...check, command: command.value.how };
    });
    if (taken.length > 0) hypotheses.set(id, { ...entry, value: { ...entry.value, checks }, fromCommands: taken });
  }
}
