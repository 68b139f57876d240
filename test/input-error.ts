import { expect } from 'vitest';
import { InputError, type InputProblem } from '../src/core/errors.js';

/** The problems of the InputError `read` throws (failing the test when it throws none, or another error). */
export function problemsOf(read: () => unknown): InputProblem[] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected an InputError');
}
