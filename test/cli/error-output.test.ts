import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

const diagnose = (input: string, args: string[] = []) => runCli(['diagnose', '-', ...args], { input });

describe('error messages show what the user sent without sending control characters to the terminal', () => {
  it('an OSC 52 clipboard write in a fact name', async () => {
    const run = await diagnose(JSON.stringify({ 'a\u001b]52;c;eA==\u0007b': 1 }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rca: input error: stdin at a\\x1b\]52;c;eA==\\x07b: expected a known fact name/);
    expect([...run.stderr].filter((c) => c === '\u001b' || c === '\u0007')).toEqual([]);
  });

  it('C1 and bidi characters in a flag value', async () => {
    const run = await diagnose('{}', ['--lang', 'en\u009b2K\u202e']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('en\\x9b2K\\u202e');
    expect([...run.stderr].filter((c) => c === '\u009b' || c === '\u202e')).toEqual([]);
  });
});
