import { describe, expect, it } from 'vitest';
import { closeTo } from '../../src/core/suggest.js';

describe('closeTo: the "did you mean" of every name', () => {
  const operators = ['equal', 'notEqual', 'lessThan', 'greaterThan', 'in', 'notIn'];

  it('names the closest candidate within a quarter of the word (at least two edits)', () => {
    expect(closeTo('equals', operators)).toBe('equal');
    expect(closeTo('notin', operators)).toBe('notIn');
    expect(closeTo('network.packet_los', ['network.packet_loss', 'network.packet_reordering'])).toBe('network.packet_loss');
  });

  it('names none when nothing is that close, when there is nothing to choose, or for a word too long to be a typo', () => {
    expect(closeTo('contains', operators)).toBeUndefined();
    expect(closeTo('equal', [])).toBeUndefined();
    expect(closeTo(`equal${'x'.repeat(200)}`, [`equal${'x'.repeat(199)}`])).toBeUndefined();
  });
});
