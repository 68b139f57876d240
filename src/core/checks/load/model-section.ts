import type { KbFile, LikelihoodTable, Model } from '../../../generated/kb-file.js';
import { outcomesOf } from '../../differential.js';
import { pointerToken } from '../../errors.js';
import { unknownFactMessage } from '../../facts.js';
import type { KbSource } from '../../kb.js';
import { type Packed, placeOf } from '../../kb-place.js';
import type { Vocabulary } from '../../vocabulary.js';
import type { LoadCheck, MergedKb, Report } from '../check.js';

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Where a row of a table was written: its file and the JSON path of the row. */
type RowPlace = (fact: string) => { file: string; path: string };

/** Checks one likelihood table: facts the model can weigh, at least one and only their outcomes, probabilities summing to at most 1 (exactly 1 when all are listed). */
function tableProblems(table: LikelihoodTable, bins: Model['outcomes'], vocabulary: Vocabulary, placeRow: RowPlace, report: Report, background?: LikelihoodTable): void {
  for (const [name, probabilities] of Object.entries(table)) {
    const { file, path } = placeRow(name);
    const spec = vocabulary.facts.get(name);
    const shape = spec && outcomesOf(spec, bins);
    if (!shape) {
      const numeric = spec?.type === 'integer' || spec?.type === 'number';
      report(file, path, spec ? `expected a fact with outcomes (enum, boolean, or binned number), got ${spec.type} fact "${name}" with no outcomes${numeric ? ' (bin it under model.outcomes)' : ''}` : unknownFactMessage(vocabulary, name));
      continue;
    }
    // A class's table moves its odds by its probability over the background's: without a
    // background row the outcomes would be taken as even, and "true: 0.4" would count against
    // the cause it was written for.
    if (background && !Object.hasOwn(background, name)) report(file, path, `expected a row for ${name} in model.background (how it reads across incidents in general), got none: its outcomes would be taken as even`);
    const listed = Object.entries(probabilities);
    // An empty row would share every outcome evenly: a placeholder that reads as evidence.
    if (listed.length === 0) report(file, path, `expected the probability of at least one of ${shape.outcomes.join(', ')}, got none`);
    let sum = 0;
    for (const [outcome, p] of listed) {
      sum += p;
      if (!shape.outcomes.includes(outcome)) report(file, `${path}/${pointerToken(outcome)}`, `expected one of ${shape.outcomes.join(', ')}, got "${outcome}"`);
    }
    if (sum > 1 + 1e-9) report(file, path, `expected probabilities summing to at most 1, got ${round(sum)}`);
    // With every outcome listed nothing is left to share out, so a sum under 1 would be rescaled, not kept as written.
    else if (shape.outcomes.every((o) => Object.hasOwn(probabilities, o)) && sum < 1 - 1e-9) report(file, path, `expected the probabilities of every outcome to sum to 1, got ${round(sum)}`);
  }
}

export const modelSection: LoadCheck = {
  meta: {
    id: 'model-section',
    severity: 'fatal',
    docs: {
      description: 'The differential is well formed: one model section per pack, bins only for numeric facts, and every likelihood table (of a hypothesis, the background or "no known cause") names facts with outcomes, at least one and only their outcomes, and probabilities summing to at most 1 (to 1 when every outcome is listed); a class\'s table weighs only facts the background has a row for.',
      why: 'A table naming an outcome that does not exist would never weigh anything, and one summing over 1 is not a probability: the ranking of thin evidence would silently rest on it.',
    },
  },
  knowledgeBase(kb: MergedKb, report) {
    const model = kb.model;
    const bins = model?.value.outcomes;
    for (const [name, ranges] of Object.entries(bins ?? {})) {
      const spec = kb.vocabulary.facts.get(name);
      const at = `${model?.path}/outcomes/${pointerToken(name)}`;
      if (!spec || (spec.type !== 'integer' && spec.type !== 'number')) {
        report(model?.file ?? '', at, spec ? `expected a numeric fact to bin, got ${spec.type} fact "${name}"` : unknownFactMessage(kb.vocabulary, name));
        continue;
      }
      for (const [key, [min, max]] of Object.entries(ranges)) {
        if (!((min as number) <= (max as number))) report(model?.file ?? '', `${at}/${key}`, `expected [min, max] with min <= max, got [${min}, ${max}]`);
      }
    }
    const modelRow = (table: string) => (fact: string) => ({ file: model?.file ?? '', path: `${model?.path}/${table}/${pointerToken(fact)}` });
    if (model?.value.background) tableProblems(model.value.background, bins, kb.vocabulary, modelRow('background'), report);
    const background = model?.value.background ?? {};
    if (model?.value.otherCause) tableProblems(model.value.otherCause, bins, kb.vocabulary, modelRow('otherCause'), report, background);
    for (const h of kb.hypotheses.values()) if (h.value.likelihoods) tableProblems(h.value.likelihoods, bins, kb.vocabulary, (fact) => placeOf(h, `/likelihoods/${pointerToken(fact)}`), report, background);
  },
};

/** The model's fields keyed by fact, which a later pack overrides fact by fact. */
const FACT_KEYED = ['outcomes', 'background', 'otherCause'] as const;

/**
 * The model section in force once `source` is merged: one per pack, a later pack's `override:
 * true` replaces the fields it names, and in the bins, the background and "no known cause"'s
 * row the facts it names (a pack that bins one more number keeps the bins every earlier table
 * is written against).
 */
export function mergeModelSection(current: Packed<Model> | undefined, source: KbSource, report: Report): Packed<Model> | undefined {
  const section = (source.data as KbFile).model;
  const pack = source.pack ?? 0;
  if (!section) return current;
  if (current && !(section.override && current.pack < pack)) {
    report(source.file, '/model', `second model section (first in ${current.file}${current.pack < pack ? '; set override: true to replace its fields' : ''})`);
    return current;
  }
  const value: Model = { ...current?.value, ...section };
  for (const field of FACT_KEYED) {
    const earlier = current?.value[field];
    const later = section[field];
    if (earlier && later) Object.assign(value, { [field]: { ...earlier, ...later } });
  }
  return { value, file: source.file, path: '/model', pack };
}
