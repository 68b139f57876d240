import { placeOf } from '../../kb-place.js';
import type { LintCheck } from '../check.js';

export const commandWrittenOut: LintCheck = {
  meta: {
    id: 'command-written-out',
    severity: 'warning',
    docs: {
      description: "A question writes out a named command it does not `run` (its `how`, `paste` and `carries` are the command's), or a check's `command` is, byte for byte, a named command's. A question that runs the same text elsewhere (on the dependency's host, from another client) or reads something else of its output keeps its own.",
      why: 'Two copies of one command drift apart (session 38 edited top in eight places), and the interview cannot tell that they are one: a paste of it at one question and a "don\'t know" to it count only for the entries that run it by its name, and the confirm proposes a check whose command the engineer just ran.',
    },
  },
  run(kb, report) {
    const named = new Map<string, string>();
    const asked = new Map<string, string>();
    for (const [name, { value }] of kb.commands) {
      if (!named.has(value.how)) named.set(value.how, name);
      const key = questionKey(value);
      if (!asked.has(key)) asked.set(key, name);
    }
    const finding = (name: string) => `writes out the command of ${name}: expected run: ${name}, its one copy`;
    for (const [fact, question] of kb.questions) {
      const { how, run } = question.value;
      const name = run === undefined && how !== undefined ? asked.get(questionKey({ how, paste: question.value.paste, carries: question.value.carries })) : undefined;
      if (name === undefined) continue;
      const { file, path } = placeOf(question, '/how');
      report(file, path, fact, finding(name));
    }
    for (const [id, hypothesis] of kb.hypotheses) {
      hypothesis.value.checks.forEach((check, i) => {
        const name = check.run === undefined ? named.get(check.command) : undefined;
        if (name === undefined) return;
        const { file, path } = placeOf(hypothesis, `/checks/${i}/command`);
        report(file, path, id, finding(name));
      });
    }
  },
};

/** What a question takes from a named command: its command, what reads its output and what that output gives. */
function questionKey({ how, paste, carries }: { how: string; paste?: string; carries?: readonly string[] }): string {
  return JSON.stringify([how, paste ?? null, carries ?? null]);
}
