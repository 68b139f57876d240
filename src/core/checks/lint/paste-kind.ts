import { placeOf } from '../../kb-place.js';
import { questionCommands } from '../../variants.js';
import type { LintCheck } from '../check.js';

export const pasteKind: LintCheck = {
  meta: {
    id: 'paste-kind',
    severity: 'error',
    docs: {
      description: "A question's `paste` (or a variant's, in `howBy`) names a kind `rca parse` does not have, or one that does not carry the question's fact (with `pasteAs`: a fact it is read as, or the question's fact not among those it stands for, or a fact another question's `pasteAs` reads as another); or its `carries` names a fact the kind does not carry, or leaves out the question's own (beside `pasteAs`, loading refuses it: command-variants).",
      why: 'The interview offers that paste after "don\'t know" and counts what it would fill when choosing questions: a kind that cannot read the output, or that never yields the fact, sends the engineer to paste for nothing. The questions\' `pasteAs` together are how a direct request\'s output (`rca diagnose --direct-artifact`, an artifact marked `direct`) is read: one fact read two ways would make that depend on the order of the files.',
    },
  },
  run(kb, report, { pasteKinds, kindsCarrying }) {
    const readAs = new Map<string, { here: string; path: string }>();
    // What a named command says of its own paste is reported once, at the command, not again for each question that runs it.
    const reported = new Set<string>();
    const once = (file: string, path: string, fact: string, message: string) => {
      const key = `${file}\0${path}\0${message}`;
      if (reported.has(key)) return;
      reported.add(key);
      report(file, path, fact, message);
    };
    for (const [fact, question] of kb.questions) {
      const { pasteAs } = question.value;
      // A question that runs a named command: what it says of paste and carries is written at the command.
      const at = (pointer: string): [string, string] => {
        const { file, path } = placeOf(question, pointer);
        return [file, path];
      };
      for (const { paste, carries, pointer } of questionCommands(question.value)) {
        if (paste === undefined) continue;
        if (!pasteKinds.includes(paste)) {
          once(...at(`${pointer}/paste`), fact, `names parse kind "${paste}", which rca parse does not have (rca parse --list): expected one of ${pasteKinds.join(', ')}`);
          continue;
        }
        if (pasteAs === undefined) {
          const carrying = kindsCarrying(fact);
          if (!carrying.includes(paste)) report(...at(`${pointer}/paste`), fact, `names parse kind "${paste}", which does not carry ${fact}: expected ${carrying.length > 0 ? `one of ${carrying.join(', ')}` : 'no paste, since no kind carries it'}`);
          else if (carries !== undefined) {
            carries.forEach((carried, i) => {
              if (!kindsCarrying(carried).includes(paste)) once(...at(`${pointer}/carries/${i}`), fact, `names ${carried} among what a paste of "${paste}" carries, which that kind never reads`);
            });
            if (!carries.includes(fact)) report(...at(`${pointer}/carries`), fact, `expected ${fact} among the facts its paste carries, got ${carries.join(', ')}`);
          }
          continue;
        }
        // Another endpoint's output (the question's own command: loading refuses pasteAs beside howBy): the kind must carry each fact it is read as, and the question's own fact must be one it stands for.
        for (const read of Object.keys(pasteAs)) {
          if (!kindsCarrying(read).includes(paste)) report(question.file, `${question.path}/pasteAs/${read}`, fact, `reads ${read} from a paste of "${paste}", which does not carry it`);
          const here = pasteAs[read] as string;
          const before = readAs.get(read);
          if (before === undefined) readAs.set(read, { here, path: `${question.file} at ${question.path}` });
          else if (before.here !== here) report(question.file, `${question.path}/pasteAs/${read}`, fact, `reads ${read} as ${here}, where ${before.path} reads it as ${before.here}: expected one reading of each fact (they are how a direct request's output is read)`);
        }
        if (!Object.values(pasteAs).includes(fact)) report(question.file, `${question.path}/pasteAs`, fact, `expected ${fact} among the facts the paste stands for, got ${Object.values(pasteAs).join(', ')}`);
      }
    }
  },
};
