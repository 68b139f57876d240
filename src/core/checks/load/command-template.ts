import { locate, TemplateError } from '../../errors.js';
import { unknownFactMessage } from '../../facts.js';
import { commandEnvironment } from '../../templates.js';
import type { LoadCheck, MergedKb, Report } from '../check.js';

function checkTemplate(text: string, file: string, path: string, kb: MergedKb, report: Report): void {
  if (kb.trusted.has(file)) return;
  try {
    for (const p of commandEnvironment().templatePaths(text, locate(file, path))) {
      if (!kb.vocabulary.facts.has(p)) report(file, path, unknownFactMessage(kb.vocabulary, p));
    }
  } catch (error) {
    if (error instanceof TemplateError) report(file, path, error.message.slice(`${locate(file, path)}: `.length));
    else throw error;
  }
}

export const commandTemplate: LoadCheck = {
  meta: {
    id: 'command-template',
    severity: 'fatal',
    docs: {
      description: "The command templates of checks and questions parse and read only facts of the vocabulary.",
      why: 'A broken template would fail while rendering a report, and an unknown fact would always print as <fact.name> in the command to copy.',
    },
  },
  hypothesis(hypothesis, kb, report) {
    hypothesis.value.checks.forEach((c, i) => checkTemplate(c.command, hypothesis.file, `${hypothesis.path}/checks/${i}/command`, kb, report));
  },
  question(question, kb, report) {
    if (question.value.how) checkTemplate(question.value.how, question.file, `${question.path}/how`, kb, report);
  },
};
