/**
 * MYCIN certainty-factor algebra. Supporting and refuting evidence are each combined
 * first (both operations are commutative and associative), then merged once, so the
 * result does not depend on the order rules fired in.
 */
export function combineSameSign(a: number, b: number): number {
  return a >= 0 && b >= 0 ? a + b * (1 - a) : a + b * (1 + a);
}

export function combineMixed(a: number, b: number): number {
  const denominator = 1 - Math.min(Math.abs(a), Math.abs(b));
  // Certain support meeting certain refutation is a contradiction: no belief either way.
  return denominator === 0 ? 0 : (a + b) / denominator;
}

export interface Belief {
  /** Combined supporting certainty, 0..1. */
  support: number;
  /** Combined refuting certainty, -1..0. */
  refute: number;
  /** Net belief, -1..1. */
  net: number;
}

/** Combined support (0..1) merged with combined refutation (-1..0) into the net belief. */
export function netBelief(support: number, refute: number): number {
  return support === 0 ? refute : refute === 0 ? support : combineMixed(support, refute);
}

export function combineAll(cfs: readonly number[]): Belief {
  let support = 0;
  let refute = 0;
  for (const cf of cfs) {
    if (cf > 0) support = combineSameSign(support, cf);
    else if (cf < 0) refute = combineSameSign(refute, cf);
  }
  return { support, refute, net: netBelief(support, refute) };
}
