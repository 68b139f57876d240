import { describe, expect, it } from 'vitest';
import { jsonProblem, parsedJsonProblem, parseJson } from '../../src/core/json.js';
import { cpuStopwatch } from '../cpu-time.js';
import { problemsOf } from '../input-error.js';

const refusal = (text: string) => problemsOf(() => parseJson(text, 'input.json'));

/** What each edge is told of TEXT: the pointer parsedJsonProblem gives the API, and the line:column parseJson gives the CLI. */
function refusedOnBothEdges(text: string) {
  return { pointer: parsedJsonProblem(text)?.pointer, problems: refusal(text) };
}
const twice = (pointer: string, at: string, key: string) => ({ pointer, problems: [{ field: `input.json:${at}`, expected: 'each key at most once in an object', got: `the key ${JSON.stringify(key)} twice` }] });

describe('parseJson', () => {
  it('parses a document, with or without a UTF-8 byte order mark', () => {
    expect(parseJson('{"facts": {"ping.result": "ok"}}', 'x')).toEqual({ facts: { 'ping.result': 'ok' } });
    expect(parseJson('\uFEFF{"facts": {"ping.result": "ok"}}', 'x')).toEqual({ facts: { 'ping.result': 'ok' } });
  });

  it('names the source of empty JSON', () => {
    expect(refusal(' \n')).toEqual([{ field: 'input.json', expected: 'valid JSON', got: 'empty input' }]);
    expect(refusal('\uFEFF')).toEqual([{ field: 'input.json', expected: 'valid JSON', got: 'empty input' }]);
  });

  it('says where malformed JSON goes wrong, source:line:column, what was expected there and what came', () => {
    const cases: Array<[string, string, string, string]> = [
      ['{"a":', '1:6', 'a value', 'the end of the input'],
      ['{"a": }', '1:7', 'a value', "'}'"],
      ['{\n  "a": tru }', '2:8', 'a value', "'tru'"],
      ['{"a": 1,}', '1:9', 'a double-quoted key', "'}'"],
      ["{'a': 1}", '1:2', "a double-quoted key or '}'", "'''"],
      ['{"a" 1}', '1:6', "':' after a key", "'1'"],
      ['[1 2]', '1:4', "',' or ']' after an item of an array", "'2'"],
      ['{"a": 1 "b": 2}', '1:9', "',' or '}' after a value in an object", `'"'`],
      ['[1, ]', '1:5', 'a value', "']'"],
      ['[', '1:2', "a value or ']'", 'the end of the input'],
      ['{"a": 1}\r\n{"b": 2}', '2:1', 'the end of the input after the document', "'{'"],
      ['[01]', '1:3', "',' or ']' after an item of an array", "'1'"],
      ['[1.]', '1:4', 'a digit after the decimal point', "']'"],
      ['[1e+]', '1:5', 'a digit in the exponent', "']'"],
      ['[-]', '1:3', 'a digit', "']'"],
      ['["a\tb"]', '1:4', 'an escape (\\n, \\t, \\u0000) in place of a control character in a string', "'\t'"],
      ['["\\x41"]', '1:4', 'an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX', "'x41'"],
      ['["\\u12G4"]', '1:7', 'four hex digits after \\u', "'G4'"],
      ['\r\r["open', '3:7', 'the closing quote of a string', 'the end of the input'],
      ['\uFEFF{"a": x}', '1:7', 'a value', "'x'"],
    ];
    for (const [text, at, expected, got] of cases) expect(refusal(text), text).toEqual([{ field: `input.json:${at}`, expected, got }]);
    // JSON.parse refuses each of them too: the scan is no stricter than the parser.
    for (const [text] of cases) expect(() => JSON.parse(text.replace(/^\uFEFF/, '')), text).toThrow(SyntaxError);
  });

  it('refuses a number JSON.parse would make infinite, showing it as written', () => {
    expect(refusal('{"http.latency_ms": 1e400}')).toEqual([{ field: 'input.json:1:21', expected: 'a finite number', got: '1e400, which is beyond the largest number (1.7976931348623157e+308)' }]);
    expect(refusal('[\n -0.5E+99999]')).toEqual([{ field: 'input.json:2:2', expected: 'a finite number', got: '-0.5E+99999, which is below the smallest number (-1.7976931348623157e+308)' }]);
    expect(refusal(`[${'9'.repeat(400)}]`)).toEqual([{ field: 'input.json:1:2', expected: 'a finite number', got: `${'9'.repeat(20)}...${'9'.repeat(10)} (400 characters), which is beyond the largest number (1.7976931348623157e+308)` }]);
    expect(parseJson(`[1e308, 1e-400, ${'9'.repeat(308)}]`, 'x')).toEqual([1e308, 0, Number('9'.repeat(308))]);
  });

  it('refuses a key given twice in one object, naming the key, its line:column (CLI) and its JSON pointer (API)', () => {
    expect(refusedOnBothEdges('{"facts": {"target.host": "db1", "target.host": "db2"}}')).toEqual(twice('/facts/target.host', '1:34', 'target.host'));
    expect(refusedOnBothEdges('{"facts": {},\n "facts": {"x": 1}}')).toEqual(twice('/facts', '2:2', 'facts'));
    expect(refusedOnBothEdges('{"artifacts": [{"kind": "ping", "text": ""}, {"kind": "ping", "kind": "top"}]}')).toEqual(twice('/artifacts/1/kind', '1:63', 'kind'));
    expect(refusedOnBothEdges('[[], [0, {"a/b~c": 1, "a/b~c": 2}]]')).toEqual(twice('/1/1/a~1b~0c', '1:23', 'a/b~c'));
    expect(refusedOnBothEdges('{"": 1, "": 2}')).toEqual(twice('/', '1:9', ''));
  });

  it('compares keys as decoded: an escaped key is the same key', () => {
    expect(refusedOnBothEdges('{"facts": {"ping.result": "ok", "ping\\u002eresult": "fail"}}')).toEqual(twice('/facts/ping.result', '1:33', 'ping.result'));
    expect(refusedOnBothEdges('{"a\\"b": 1, "a\\u0022b": 2}')).toEqual(twice('/a"b', '1:13', 'a"b'));
  });

  it('allows the same key in sibling and nested objects, and as a value', () => {
    const text = '{"a": {"a": "a", "b": [{"a": 1}, {"a": 2}]}, "b": {"a": {"a": {}}}, "c": ["a", "a"], "d": "\\"a\\": 1, \\"a\\": 2"}';
    expect(parsedJsonProblem(text)).toBeUndefined();
    expect(parseJson(text, 'x')).toEqual(JSON.parse(text));
  });

  it('refuses a lone surrogate in any string, key or value, escaped or written, naming it and its character (CLI: line:column of the string; API: its pointer)', () => {
    const cases: Array<[text: string, pointer: string, at: string, got: string]> = [
      ['{"outcome": {"note": "x \\udfff"}}', '/outcome/note', '1:22', 'a lone surrogate (\\udfff) at character 3'],
      ['{"summary": "\\uD83D\\uDE00 \\uD83D"}', '/summary', '1:13', 'a lone surrogate (\\ud83d) at character 3'],
      ['{"a": ["ok", "\\ud800x"]}', '/a/1', '1:14', 'a lone surrogate (\\ud800) at character 1'],
      ['{"a": {"ok": 1,\n "k\\udc00": 2}}', '/a/k\udc00', '2:2', 'a lone surrogate (\\udc00) at character 2'],
      ['"\\udbff"', '', '1:1', 'a lone surrogate (\\udbff) at character 1'],
      // Written, not escaped: a JSON text held as a JavaScript string (no UTF-8 decoder makes one).
      ['["\ud800"]', '/0', '1:2', 'a lone surrogate (\\ud800) at character 1'],
    ];
    for (const [text, pointer, at, got] of cases) expect(refusedOnBothEdges(text), text).toEqual({ pointer, problems: [{ field: `input.json:${at}`, expected: 'Unicode text', got }] });
  });

  it('takes surrogate pairs, escaped, written or half of each, and escapes of other characters that start with d', () => {
    const text = '{"\\ud83d\\ude00": "\\uD83D\\uDE00 😀 \ud83d\\ude00", "d": "\\u0064\\ud7ff\\ue000"}';
    expect(parsedJsonProblem(text)).toBeUndefined();
    expect(parseJson(text, 'x')).toEqual({ '😀': '😀 😀 😀', d: 'd\ud7ff\ue000' });
  });

  it('checks 256 KB of hostile JSON in linear time', () => {
    const n = 256 * 1024;
    const manyKeys = `{${Array.from({ length: n / 12 }, (_, i) => `"k${i}":0`).join(',')},"k0":1}`;
    const deep = `${'['.repeat(n / 2)}${']'.repeat(n / 2)}`;
    const deepObjects = `${'{"a":'.repeat(n / 10)}{"b":0,"b":1}${'}'.repeat(n / 10)}`;
    const escapes = `{${Array.from({ length: n / 40 }, (_, i) => `"\\u0061\\u0062\\u0063\\u0064${i}":0`).join(',')}}`;
    const longKeys = `{"${'x'.repeat(n / 2)}":0,"${'x'.repeat(n / 2)}":1}`;
    const strings = `[${'"\\\\\\"",'.repeat(n / 6)}0]`;
    const pairs = `["${'\\ud83d\\ude00'.repeat(n / 16)}\\ud83d", ${'"\\ud83d\\ude00",'.repeat(n / 15)}0]`;
    const started = cpuStopwatch();
    expect(parsedJsonProblem(manyKeys)).toEqual({ pointer: '/k0', expected: 'each key at most once in an object', got: 'the key "k0" twice' });
    expect(parsedJsonProblem(deep)).toBeUndefined();
    expect(parsedJsonProblem(deepObjects)?.pointer).toBe(`${'/a'.repeat(n / 10)}/b`);
    expect(parsedJsonProblem(escapes)).toBeUndefined();
    expect(parsedJsonProblem(longKeys)?.pointer).toBe(`/${'x'.repeat(n / 2)}`);
    expect(parsedJsonProblem(strings)).toBeUndefined();
    expect(parsedJsonProblem(pairs)).toEqual({ pointer: '/0', expected: 'Unicode text', got: `a lone surrogate (\\ud83d) at character ${n / 16 + 1}` });
    expect(parsedJsonProblem(pairs.replace('\\ud83d"', '"'))).toBeUndefined();
    expect(started.ms()).toBeLessThan(10_000);
  });

  it('locates an error at the end of 1 MiB of hostile JSON in linear time', () => {
    const n = 1024 * 1024;
    const at = (text: string) => refusal(text)[0]?.field;
    const deep = `${'['.repeat(n)}x`;
    const deepObjects = `${'{"a":'.repeat(n / 8)}}`;
    const numbers = `[${'1e308,'.repeat(n / 8)}1e309]`;
    const lines = `[${'\n'.repeat(n)}"${'\\u0061'.repeat(n / 8)}\\q"]`;
    const keys = `{${Array.from({ length: n / 16 }, (_, i) => `"k${i}":0`).join(',\n')},"k0":1}`;
    const surrogates = `[${'"\\ud83d\\ude00",'.repeat(n / 15)}"${'\\uD83D\\uDE00'.repeat(n / 12)}\\udfff"]`;
    const started = cpuStopwatch();
    expect(at(deep)).toBe(`input.json:1:${deep.length}`);
    expect(at(deepObjects)).toBe(`input.json:1:${deepObjects.length}`);
    expect(at(numbers)).toBe(`input.json:1:${numbers.length - 5}`);
    expect(at(lines)).toBe(`input.json:${n + 1}:${(n / 8) * 6 + 3}`);
    expect(at(keys)).toBe(`input.json:${n / 16}:${keys.lastIndexOf('"k0"') - keys.lastIndexOf('\n')}`);
    expect(refusal(surrogates)).toEqual([{ field: `input.json:1:${surrogates.lastIndexOf(',') + 2}`, expected: 'Unicode text', got: `a lone surrogate (\\udfff) at character ${Math.floor(n / 12) + 1}` }]);
    expect(parsedJsonProblem(surrogates)?.pointer).toBe(`/${Math.floor(n / 15)}`);
    expect(started.ms()).toBeLessThan(10_000);
  });
});

describe('jsonProblem with a depth limit', () => {
  it('takes values nested to the limit, the outermost being level 1, and places the first one deeper at its bracket', () => {
    expect(jsonProblem('[[1], {"a": {}}]', 3)).toBeUndefined();
    expect(jsonProblem('{"a": [[1]]}', 2)).toEqual({ line: 1, column: 8, expected: 'values nested at most 2 deep', got: 'deeper', tooDeep: true });
    expect(jsonProblem('[\n [\n  {"b": 1}]]', 2)).toEqual({ line: 3, column: 3, expected: 'values nested at most 2 deep', got: 'deeper', tooDeep: true });
    // A syntax error before the limit is one, as without a limit.
    expect(jsonProblem('[1,]', 1)).toMatchObject({ line: 1, column: 4, tooDeep: false });
  });
});
