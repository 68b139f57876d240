import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { findDuplicateKey, parseJson } from '../../src/core/json.js';

function refusal(text: string) {
  try {
    parseJson(text, 'input.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected an InputError');
}

const twice = (pointer: string, key: string) => [{ field: pointer, expected: 'each key at most once in an object', got: `the key ${JSON.stringify(key)} twice` }];

describe('parseJson', () => {
  it('parses a document, with or without a UTF-8 byte order mark', () => {
    expect(parseJson('{"facts": {"ping.result": "ok"}}', 'x')).toEqual({ facts: { 'ping.result': 'ok' } });
    expect(parseJson('\uFEFF{"facts": {"ping.result": "ok"}}', 'x')).toEqual({ facts: { 'ping.result': 'ok' } });
  });

  it('names the source of malformed or empty JSON', () => {
    expect(refusal('{"a":')[0]).toMatchObject({ field: 'input.json', expected: 'valid JSON' });
    expect(refusal(' \n')).toEqual([{ field: 'input.json', expected: 'valid JSON', got: 'empty input' }]);
    expect(refusal('\uFEFF')).toEqual([{ field: 'input.json', expected: 'valid JSON', got: 'empty input' }]);
  });

  it('refuses a key given twice in one object, naming the key and its JSON pointer', () => {
    expect(refusal('{"facts": {"target.host": "db1", "target.host": "db2"}}')).toEqual(twice('/facts/target.host', 'target.host'));
    expect(refusal('{"facts": {}, "facts": {"x": 1}}')).toEqual(twice('/facts', 'facts'));
    expect(refusal('{"artifacts": [{"kind": "ping", "text": ""}, {"kind": "ping", "kind": "top"}]}')).toEqual(twice('/artifacts/1/kind', 'kind'));
    expect(refusal('[[], [0, {"a/b~c": 1, "a/b~c": 2}]]')).toEqual(twice('/1/1/a~1b~0c', 'a/b~c'));
    expect(refusal('{"": 1, "": 2}')).toEqual(twice('/', ''));
  });

  it('compares keys as decoded: an escaped key is the same key', () => {
    expect(refusal('{"facts": {"ping.result": "ok", "ping\\u002eresult": "fail"}}')).toEqual(twice('/facts/ping.result', 'ping.result'));
    expect(refusal('{"a\\"b": 1, "a\\u0022b": 2}')).toEqual(twice('/a"b', 'a"b'));
  });

  it('allows the same key in sibling and nested objects, and as a value', () => {
    const text = '{"a": {"a": "a", "b": [{"a": 1}, {"a": 2}]}, "b": {"a": {"a": {}}}, "c": ["a", "a"], "d": "\\"a\\": 1, \\"a\\": 2"}';
    expect(findDuplicateKey(text)).toBeUndefined();
    expect(parseJson(text, 'x')).toEqual(JSON.parse(text));
  });

  it('checks 256 KB of hostile JSON in linear time', () => {
    const n = 256 * 1024;
    const manyKeys = `{${Array.from({ length: n / 12 }, (_, i) => `"k${i}":0`).join(',')},"k0":1}`;
    const deep = `${'['.repeat(n / 2)}${']'.repeat(n / 2)}`;
    const deepObjects = `${'{"a":'.repeat(n / 10)}{"b":0,"b":1}${'}'.repeat(n / 10)}`;
    const escapes = `{${Array.from({ length: n / 40 }, (_, i) => `"\\u0061\\u0062\\u0063\\u0064${i}":0`).join(',')}}`;
    const longKeys = `{"${'x'.repeat(n / 2)}":0,"${'x'.repeat(n / 2)}":1}`;
    const strings = `[${'"\\\\\\"",'.repeat(n / 6)}0]`;
    const started = performance.now();
    expect(findDuplicateKey(manyKeys)).toEqual({ pointer: '/k0', key: 'k0' });
    expect(findDuplicateKey(deep)).toBeUndefined();
    expect(findDuplicateKey(deepObjects)?.pointer).toBe(`${'/a'.repeat(n / 10)}/b`);
    expect(findDuplicateKey(escapes)).toBeUndefined();
    expect(findDuplicateKey(longKeys)?.key).toHaveLength(n / 2);
    expect(findDuplicateKey(strings)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
