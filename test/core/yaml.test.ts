import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/core/json.js';
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

describe('parseYaml: a number beyond the largest one, which js-yaml leaves a string', () => {
  const beyond = (field: string, literal: string) => [{ field, expected: 'a finite number', got: `${literal}, which is beyond the largest number (1.7976931348623157e+308)` }];

  it('is refused at the line:column of the number as written, as JSON refuses it, in block and flow collections', () => {
    expect(refusal('facts:\n  http.latency_ms: 1e400\n')).toEqual(beyond('ticket.yaml:2:20', '1e400'));
    expect(problemsOf(() => parseJson('{"facts": {"http.latency_ms": 1e400}}', 'ticket.json'))).toEqual(beyond('ticket.json:1:31', '1e400'));
    expect(refusal('facts: {http.latency_ms: 1, tcp.connect_ms: -1.5E+999}\n')).toEqual([{ field: 'ticket.yaml:1:45', expected: 'a finite number', got: '-1.5E+999, which is below the smallest number (-1.7976931348623157e+308)' }]);
    expect(refusal(`unknown: [a]\nnumbers:\n  - 1\n  - 0x${'f'.repeat(300)}\n`)).toEqual(beyond('ticket.yaml:4:5', `0x${'f'.repeat(18)}...${'f'.repeat(10)} (302 characters)`));
  });

  it('takes one quoted or tagged a string, and a key written so, as the text says: a string', () => {
    expect(parseYaml('a: "1e400"\nb: \'1e400\'\nc: !!str 1e400\n1e400: 1e300\n', 'x')).toEqual({ a: '1e400', b: '1e400', c: '1e400', '1e400': 1e300 });
  });
});
