import { describe, expect, it } from 'vitest';
import { formatPassChange, passChange, signTest } from '../../src/kbtools/pass-change.js';

describe('signTest: the exact two-sided sign test', () => {
  it('gives the binomial tail of a split at least as uneven, doubled', () => {
    expect(signTest(7, 0)).toBeCloseTo(2 / 128, 12);
    expect(signTest(0, 7)).toBeCloseTo(2 / 128, 12);
    // 3 against 1: (C(4,0) + C(4,1)) / 16, doubled.
    expect(signTest(3, 1)).toBeCloseTo(0.625, 12);
    expect(signTest(10, 2)).toBeCloseTo((2 * (1 + 12 + 66)) / 4096, 12);
  });

  it('is 1 when nothing changed or the split is even, and stays finite for thousands of changes', () => {
    expect(signTest(0, 0)).toBe(1);
    expect(signTest(5, 5)).toBe(1);
    expect(signTest(1000, 1000)).toBe(1);
    const lopsided = signTest(3000, 2000);
    expect(Number.isFinite(lopsided) && lopsided >= 0 && lopsided < 1e-40).toBe(true);
    expect(signTest(1050, 950)).toBeGreaterThan(0.01);
    expect(signTest(1050, 950)).toBeLessThan(0.05);
  });
});

describe('passChange', () => {
  const before = [
    { id: 'a', passed: false },
    { id: 'b', passed: true },
    { id: 'c', passed: true },
    { id: 'gone', passed: true },
  ];

  it('pairs incidents by id, and leaves out those of one run only', () => {
    const now = [
      { id: 'c', passed: true },
      { id: 'b', passed: false },
      { id: 'a', passed: true },
      { id: 'new', passed: false },
    ];
    expect(passChange(now, before)).toEqual({ compared: 3, gained: ['a'], lost: ['b'], pValue: 1 });
  });

  it('says whether the change is beyond chance, naming at most eight incidents per side', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `i${i}`);
    const change = passChange(
      ids.map((id) => ({ id, passed: true })),
      ids.map((id) => ({ id, passed: false })),
    );
    expect(formatPassChange(change)).toBe('  against the baseline: 10 now pass (i0, i1, i2, i3, i4, i5, i6, i7 and 2 more), 0 no longer pass of 10 compared; sign test p = 0.002, beyond chance at 0.05');
    expect(formatPassChange(passChange(before, before))).toBe('  against the baseline: no incident changed its pass (4 compared)');
  });
});
