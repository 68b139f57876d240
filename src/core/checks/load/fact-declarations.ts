import type { LoadCheck } from '../check.js';

/**
 * Runs while the files are merged: layerVocabulary (src/core/vocabulary.ts) reports through it,
 * as it layers each file's `facts` over the shipped schema.
 */
export const factDeclarations: LoadCheck = {
  meta: {
    id: 'fact-declarations',
    severity: 'fatal',
    docs: {
      description: "A fact a pack declares has keywords that fit its type (enum and maxLength for a string, minimum and maximum for a number), and a fact already defined is declared again only with the same type, values, range and unit.",
      why: 'Input, rules and questions all read a fact by its definition: a pack that changed the type or range of a shipped fact would make the shipped rules and every client that sends it wrong without a word.',
    },
  },
};
