import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/core/yaml.js';
import { cpuStopwatch } from '../cpu-time.js';
import { problemsOf } from '../input-error.js';

const refusal = (text: string) => problemsOf(() => parseYaml(text, 'ticket.yaml'));
const lone = (field: string, got: string) => [{ field, expected: 'Unicode text', got }];

describe('parseYaml: a lone surrogate, which a double-quoted \\u or \\U escape can write', () => {
  it('is refused at the JSON pointer of its value or key, the first in the document', () => {
    expect(refusal('summary: "cut \\ud83d"\nfacts: {}\n')).toEqual(lone('ticket.yaml at /summary', 'a lone surrogate (\\ud83d) at character 5'));
    expect(refusal('facts:\n  a: ok\n  "b\\U0000DFFF": 1\n  c: "\\udc00"\n')).toEqual(lone('ticket.yaml at /facts/b\udfff', 'a lone surrogate (\\udfff) at character 2'));
    expect(refusal('unknown: [a, "\\ud800x"]\n')).toEqual(lone('ticket.yaml at /unknown/1', 'a lone surrogate (\\ud800) at character 1'));
    expect(refusal('"\\udbff"\n')).toEqual(lone('ticket.yaml', 'a lone surrogate (\\udbff) at character 1'));
    // An alias repeats its anchor's value: refused where it first stands.
    expect(refusal('a: &cut "x\\udfff"\nb: *cut\n')).toEqual(lone('ticket.yaml at /a', 'a lone surrogate (\\udfff) at character 2'));
  });

  it('takes a surrogate pair, escaped in either form, and text that only looks like an escape', () => {
    expect(parseYaml('a: "\\ud83d\\ude00 \\U0001F600"\nb: \\ud800\nc: \'\\udc00\'\n', 'x')).toEqual({ a: '\u{1F600} \u{1F600}', b: '\\ud800', c: '\\udc00' });
  });

  it('finds one at the end of 1 MB of surrogate pairs in linear time, however often aliases repeat a string', () => {
    const n = 1024 * 1024;
    const pairs = '\\ud83d\\ude00';
    // Lists of four aliases of the list before, five deep: the 500 KB string stands 1,024 times in the last.
    const nested = Array.from({ length: 5 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(4).fill(i === 0 ? '*s' : `*l${i}`).join(', ')}]`).join('\n');
    const aliased = `s: &s "${pairs.repeat(n / 24)}"\n${nested}\n`;
    const hostile = `${aliased}${Array.from({ length: 7000 }, (_, i) => `k${i}: "${pairs.repeat(6)}"`).join('\n')}\nlast: "${pairs}\\udfff"\n`;
    expect(hostile.length).toBeGreaterThan(n);
    const started = cpuStopwatch();
    expect(refusal(hostile)).toEqual(lone('ticket.yaml at /last', 'a lone surrogate (\\udfff) at character 2'));
    expect(started.ms()).toBeLessThan(10_000);
  });
});
