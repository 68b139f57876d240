import { unknownFactMessage } from '../../facts.js';
import { placeOf } from '../../kb-place.js';
import { readCommand } from '../../templates.js';
import { checkForms, fromNamedCommand, questionCommands } from '../../variants.js';
import type { LoadCheck, MergedKb, Report } from '../check.js';

function checkTemplate(text: string, file: string, path: string, kb: MergedKb, report: Report): void {
  if (kb.trusted.has(file)) return;
  const reading = readCommand(text);
  if ('problem' in reading) return report(file, path, reading.problem);
  for (const fact of reading.facts) if (!kb.vocabulary.facts.has(fact)) report(file, path, unknownFactMessage(kb.vocabulary, fact));
}

export const commandTemplate: LoadCheck = {
  meta: {
    id: 'command-template',
    severity: 'fatal',
    docs: {
      description: 'The command templates of checks and questions (and of their variants: commandBy, howBy) are text and {{group.fact}} placeholders only, each placeholder an argument of its own outside quotes, reading only facts of the vocabulary.',
      why: "A command is pasted into a shell with each fact's value as one quoted word: a block or helper could grow without bound or write to the console, a placeholder inside quotes undoes the quoting, and one where the program or an option goes makes ticket text the program or an option. A broken template would fail while rendering, and an unknown fact would always print as <fact.name>.",
    },
  },
  // A named command is checked once, where it is written; the questions and checks that run it are not.
  knowledgeBase(kb, report) {
    for (const { value, file, path } of kb.commands.values()) checkTemplate(value.how, file, `${path}/how`, kb, report);
  },
  hypothesis(hypothesis, kb, report) {
    hypothesis.value.checks.forEach((c, i) => {
      for (const { check, pointer } of checkForms(c)) {
        if (check.command === undefined || fromNamedCommand(c, pointer)) continue;
        const { file, path } = placeOf(hypothesis, `/checks/${i}${pointer}/command`);
        checkTemplate(check.command, file, path, kb, report);
      }
    });
  },
  question(question, kb, report) {
    for (const { how, pointer } of questionCommands(question.value)) if (!fromNamedCommand(question.value, pointer)) checkTemplate(how, question.file, `${question.path}${pointer}/how`, kb, report);
  },
};
