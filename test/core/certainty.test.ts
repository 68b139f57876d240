import { describe, expect, it } from 'vitest';
import { combineAll, combineMixed, combineSameSign } from '../../src/core/certainty.js';

describe('MYCIN certainty factors', () => {
  it('combines two supporting factors as a + b(1 - a)', () => {
    expect(combineSameSign(0.6, 0.5)).toBeCloseTo(0.8, 10);
  });

  it('combines two refuting factors as a + b(1 + a)', () => {
    expect(combineSameSign(-0.6, -0.5)).toBeCloseTo(-0.8, 10);
  });

  it('combines mixed factors as (a + b) / (1 - min(|a|, |b|))', () => {
    expect(combineMixed(0.8, -0.4)).toBeCloseTo(0.4 / 0.6, 10);
    expect(combineMixed(0.4, -0.8)).toBeCloseTo(-0.4 / 0.6, 10);
  });

  it('gives no belief when certain support meets certain refutation', () => {
    expect(combineMixed(1, -1)).toBe(0);
  });

  it('does not depend on the order evidence arrives in', () => {
    const cfs = [0.7, -0.3, 0.4, -0.6, 0.2];
    const reversed = [...cfs].reverse();
    expect(combineAll(cfs).net).toBeCloseTo(combineAll(reversed).net, 12);
    expect(combineAll([0.4, -0.8]).net).toBeCloseTo(-0.4 / 0.6, 10);
    expect(combineAll([0.5])).toEqual({ support: 0.5, refute: 0, net: 0.5 });
  });
});
