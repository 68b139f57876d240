import { closest, distance } from 'fastest-levenshtein';

/**
 * Longer words get no suggestion: an edit distance costs the product of the lengths, and a
 * word this long is no typo of a name.
 */
const LONGEST_TYPO = 128;

/**
 * The candidate a mistyped WORD most likely means ("equal" for "equals", "strace-c" for
 * "strace"): the closest by edit distance, when it is within a quarter of the word's length (at
 * least 2 edits); undefined when none is that close. One threshold for every "did you mean".
 */
export function closeTo(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > LONGEST_TYPO || candidates.length === 0) return undefined;
  const best = closest(word, candidates as string[]);
  return distance(word, best) <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

/** ` (did you mean "CANDIDATE"?)` for the candidate closeTo names, or nothing: to follow what was expected. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  return meaning(closeTo(word, candidates));
}

/** ` (did you mean "MEANT"?)`, or nothing when nothing is meant: to follow what was expected. */
export function meaning(meant: string | undefined): string {
  return meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`;
}
