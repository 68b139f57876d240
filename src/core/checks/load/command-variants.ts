import { pointerToken } from '../../errors.js';
import { unknownFactMessage } from '../../facts.js';
import { placeOf } from '../../kb-place.js';
import type { ByFact } from '../../variants.js';
import type { LoadCheck, MergedKb, Report } from '../check.js';

/**
 * The names a variant keyed by FACT may take: the values of an enum fact, true and false for a
 * boolean one; undefined when the fact takes others (a number or free text could not be named).
 */
function variantNames(kb: MergedKb, fact: string): readonly string[] | undefined {
  const spec = kb.vocabulary.facts.get(fact);
  if (spec?.type === 'boolean') return ['true', 'false'];
  return spec?.type === 'enum' ? spec.values : undefined;
}

/** The problems of BY (written at `path` in `file`): a fact that is not known, or not an enum or a boolean, and variants named after no value it takes. */
function checkVariants(by: ByFact<unknown>, file: string, path: string, kb: MergedKb, report: Report): void {
  if (!kb.vocabulary.facts.has(by.fact)) return report(file, `${path}/fact`, unknownFactMessage(kb.vocabulary, by.fact));
  const names = variantNames(kb, by.fact);
  if (names === undefined) return report(file, `${path}/fact`, `expected an enum or boolean fact, whose values name the variants, got ${kb.vocabulary.facts.get(by.fact)?.type} fact "${by.fact}"`);
  for (const name of Object.keys(by.variants)) {
    if (!names.includes(name)) report(file, `${path}/variants/${pointerToken(name)}`, `expected a value ${by.fact} takes (one of ${names.join(', ')}), got "${name}": this variant could never be chosen`);
  }
}

export const commandVariants: LoadCheck = {
  meta: {
    id: 'command-variants',
    severity: 'fatal',
    docs: {
      description: "A question's `howBy` or a check's `commandBy` keys its variants by a fact that is not in the vocabulary, or is not an enum or a boolean, or names a variant after a value the fact does not take; a question's `howBy` keyed by its own fact, or beside `pasteAs`; a question's `carries` beside `pasteAs`, or `pasteAs` without a `paste`.",
      why: "A variant is chosen by the fact's value, as the answers give it: one named after a value the fact never takes (a typo, `nodejs` for node) is never shown, and the default goes on asking a JVM's jstat of a Node.js service. While a question is asked its own fact is unknown, so a variant keyed by it could never be chosen; and a variant's paste fills the facts its kind reads, which a `pasteAs` beside it would read as others. `pasteAs` names the facts its paste stands for here, so a `carries` beside it would say it twice, perhaps differently.",
    },
  },
  hypothesis(hypothesis, kb, report) {
    hypothesis.value.checks.forEach((c, i) => {
      if (c.commandBy === undefined) return;
      const { file, path } = placeOf(hypothesis, `/checks/${i}/commandBy`);
      checkVariants(c.commandBy, file, path, kb, report);
    });
  },
  question(question, kb, report) {
    const { howBy, fact, pasteAs, paste, carries } = question.value;
    // Checked here, not by the schema: the paste may come from the command the question runs.
    if (pasteAs !== undefined && paste === undefined) report(question.file, `${question.path}/pasteAs`, 'expected paste beside pasteAs (its own, or that of the command it runs), got none: pasteAs says how a paste is read');
    if (pasteAs !== undefined && carries !== undefined) {
      const { file, path } = placeOf(question, '/carries');
      report(file, path, 'expected carries or pasteAs, got both: pasteAs names the facts its paste fills');
    }
    if (howBy === undefined) return;
    const path = `${question.path}/howBy`;
    if (howBy.fact === fact) return report(question.file, `${path}/fact`, `expected another fact than the question's own, got ${fact}: it is unknown while the question is asked, so no variant could be chosen`);
    if (pasteAs !== undefined) report(question.file, `${question.path}/pasteAs`, 'expected howBy or pasteAs, got both: a variant\'s paste fills the facts its kind reads, not those pasteAs names');
    checkVariants(howBy, question.file, path, kb, report);
  },
};
