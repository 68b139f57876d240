import { describe, expect, it } from 'vitest';
import { descendantsOf } from '../../src/collect/process-tree.js';

describe('descendantsOf: the pids whose parent chain reaches an ancestor', () => {
  it('finds children, grandchildren and further, and nothing beside them', () => {
    const parents = new Map([[10, 1], [11, 10], [12, 11], [13, 10], [20, 1], [21, 20]]);
    expect(descendantsOf(10, parents)).toEqual(new Set([11, 12, 13]));
    expect(descendantsOf(12, parents)).toEqual(new Set());
    expect(descendantsOf(99, parents)).toEqual(new Set());
  });

  it('stops at a loop (pids reused while the snapshot was taken), leaving the ancestor out of its own descendants', () => {
    const parents = new Map([[10, 12], [11, 10], [12, 11]]);
    expect(descendantsOf(10, parents)).toEqual(new Set([11, 12]));
  });

  it('gives no descendants of pid 0 (the kernel\'s, parent of init and kthreadd)', () => {
    expect(descendantsOf(0, new Map([[1, 0], [2, 0], [5, 1]]))).toEqual(new Set());
  });
});
