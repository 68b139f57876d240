import { describe, expect, it } from 'vitest';
import { benchSeconds } from '../../bench/timing.js';

describe("a bench's seconds of load (RCA_BENCH_SECONDS)", () => {
  it('takes a positive number, and the fallback when unset', () => {
    expect(benchSeconds('20', 60)).toBe(20);
    expect(benchSeconds('0.5', 60)).toBe(0.5);
    expect(benchSeconds(undefined, 15)).toBe(15);
  });

  it('refuses anything else, naming the variable, what it expects and what came', () => {
    expect(() => benchSeconds('abc', 60)).toThrow('RCA_BENCH_SECONDS: expected a positive number of seconds, got "abc"');
    expect(() => benchSeconds('0', 60)).toThrow('RCA_BENCH_SECONDS: expected a positive number of seconds, got "0"');
    expect(() => benchSeconds('-5', 60)).toThrow('got "-5"');
    expect(() => benchSeconds('', 60)).toThrow('got ""');
    expect(() => benchSeconds('Infinity', 60)).toThrow('got "Infinity"');
  });
});
