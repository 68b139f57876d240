import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { fileLocator, yamlLocator } from '../../src/core/yaml-lines.js';
import { cpuStopwatch } from '../cpu-time.js';

const TEXT = [
  'kb: {name: x}', //                                  1
  'rules:', //                                         2
  '  # a comment: with a colon', //                    3
  '  - id: a', //                                      4
  '    description:', //                               5
  '      en: >-', //                                   6
  '        prose with: a colon, and - a dash', //      7
  '        id: not a key', //                          8
  '    conditions:', //                                9
  '      all:', //                                     10
  '        - {fact: x, operator: equal, value: 1}', // 11
  '        - fact: y', //                              12
  '          operator: in', //                         13
  '  - id: b', //                                      14
  '    "quoted key": 1', //                            15
  'hypotheses:', //                                    16
  '- id: c', //                                        17
  '  checks:', //                                      18
  '  - command: ls', //                                19
  '  - command: df', //                                20
].join('\n');

const locate = yamlLocator(TEXT);
const lineOf = (text: string, pointer: string) => yamlLocator(text)(pointer)?.line;
/** A test per row: the pointer is at that line and column. */
const itPlaces = (locateIn: (pointer: string) => unknown, rows: Array<[string, number, number]>) =>
  it.each(rows)('%s is on line %i, column %i', (pointer, line, column) => {
    expect(locateIn(pointer)).toEqual({ line, column });
  });

describe('yamlLocator: the line and column a JSON pointer names in YAML', () => {
  itPlaces(locate, [
    ['/rules', 2, 1],
    ['/rules/0', 4, 3],
    ['/rules/0/id', 4, 5],
    ['/rules/0/conditions/all/1/operator', 13, 11],
    ['/rules/1', 14, 3],
    ['/rules/1/quoted key', 15, 5],
    // Inside a flow collection: its own key.
    ['/rules/0/conditions/all/0', 11, 9],
    ['/rules/0/conditions/all/0/operator', 11, 21],
    ['/kb/name', 1, 6],
    // A sequence at its key's own indentation.
    ['/hypotheses/0/checks/1/command', 20, 5],
  ]);

  it('reads no key inside a block scalar, and gives the deepest step found when the rest is not there', () => {
    expect(locate('/rules/0/description/en/id')).toEqual({ line: 6, column: 7 });
    expect(locate('/rules/7')).toEqual({ line: 2, column: 1 });
    expect(locate('/nothing')).toBeUndefined();
    expect(locate('')).toBeUndefined();
    expect(locate('/rules/0/de~1sc')).toEqual({ line: 4, column: 3 });
  });

  it('reads a number as a key in a mapping and as an index in a sequence; a byte-order mark is no indentation', () => {
    const bins = ['model:', '  outcomes:', '    http.status:', '      "2xx": [200, 299]', '      "502": [502, 502]', '      504: [504, 504]'].join('\n');
    expect(yamlLocator(bins)('/model/outcomes/http.status/502')).toEqual({ line: 5, column: 7 });
    expect(yamlLocator(bins)('/model/outcomes/http.status/504')).toEqual({ line: 6, column: 7 });
    expect(yamlLocator(`\uFEFF${TEXT}`)('/hypotheses/0/checks/1/command')).toEqual({ line: 20, column: 5 });
    expect(yamlLocator(`\uFEFF${TEXT}`)('/rules/1')).toEqual({ line: 14, column: 3 });
  });

  it("finds a shipped rule's operator", () => {
    const file = join(packageRoot, 'rules', 'lb', 'response_header_too_large.yaml');
    const text = readFileSync(file, 'utf8');
    const line = lineOf(text, '/rules/1/conditions/all/0/operator') as number;
    expect(text.split('\n')[line - 1]).toContain('{fact: proxy.upstream_error, operator: equal, value: header_too_big}');
  });

  it('reads a large hostile text in linear time', () => {
    const hostile = `${'a:\n '.repeat(20_000)}${'- '.repeat(50_000)}x: 1\n${'k: "\\'.repeat(30_000)}\na${' '.repeat(50_000)}b\na${' \t'.repeat(30_000)}#`;
    const started = cpuStopwatch();
    const locateHostile = yamlLocator(hostile);
    locateHostile(`/a${'/a'.repeat(200)}/0/0/0`);
    locateHostile('/zz');
    expect(started.ms()).toBeLessThan(2000);
  });
});

const JSON_TEXT = [
  '{', //                                                          1
  '  "kb": {"name": "x", "version": "1.0.0"},', //                 2
  '  "rules": [', //                                               3
  '    {', //                                                      4
  '      "id": "a",', //                                           5
  '      "conditions": {"all": [', //                              6
  '        {"fact": "x", "operator": "equal", "value": "}, ]"},', // 7
  '\t\t{"fact":"y","operator":"in","value":[1,2]}', //               8
  '      ]}', //                                                   9
  '    },', //                                                     10
  '    {"id": "b", "say \\"hi\\"": "#not a comment", "502": 1}', // 11
  '  ]', //                                                        12
  '}', //                                                          13
].join('\n');

describe('yamlLocator in flow collections and JSON', () => {
  const locateJson = yamlLocator(JSON_TEXT);
  itPlaces(locateJson, [
    ['/kb', 2, 3],
    ['/kb/version', 2, 23],
    ['/rules', 3, 3],
    ['/rules/0', 4, 5],
    ['/rules/0/id', 5, 7],
    ['/rules/0/conditions/all/0', 7, 9],
    // Past a string holding brackets and a comma.
    ['/rules/0/conditions/all/0/value', 7, 44],
    // A tab is one column, as editors that count characters count it.
    ['/rules/0/conditions/all/1/operator', 8, 15],
    ['/rules/0/conditions/all/1/value/1', 8, 42],
    ['/rules/1', 11, 5],
    ['/rules/1/say "hi"', 11, 17],
    ['/rules/1/502', 11, 49],
  ]);

  it('gives the deepest step found, and reads YAML flow collections the same way', () => {
    expect(locateJson('/rules/0/conditions/all/5')).toEqual({ line: 6, column: 22 });
    expect(locateJson('/nothing')).toBeUndefined();
    const flow = ['rules: [{id: a, conditions: {all: [', '    {fact: x, operator: equal, value: "a, b"},  # a comment: [', "    {fact: 'y''s', operator: in, value: [a, b]}]}}]", 'after: 1'].join('\n');
    expect(yamlLocator(flow)('/rules/0/conditions/all/1/value/1')).toEqual({ line: 3, column: 45 });
    expect(yamlLocator(flow)('/rules/0/conditions/all/0/value')).toEqual({ line: 2, column: 32 });
    expect(yamlLocator(flow)('/after')).toEqual({ line: 4, column: 1 });
  });

  it('reads unclosed or hostile flow collections in linear time', () => {
    const started = cpuStopwatch();
    const nested = yamlLocator('{"a": ['.repeat(20_000));
    expect(nested('/a/0/a/0/a')).toEqual({ line: 1, column: 16 });
    expect(nested(`/a${'/0/a'.repeat(19_999)}`)).toEqual({ line: 1, column: 20_000 * 7 - 5 });
    expect(yamlLocator(`x: ${'['.repeat(20_000)}`)('/x/0/0')).toEqual({ line: 1, column: 6 });
    // An unclosed string, comments that are not ('#' after no blank), keys that are empty or collections.
    for (const hostile of [`["${'\\"'.repeat(20_000)}`, `[${'[#'.repeat(20_000)}`, `{${'{: , '.repeat(20_000)}`, `[${'a #\n'.repeat(20_000)}`]) yamlLocator(hostile)('/0/0/0');
    expect(started.ms()).toBeLessThan(2000);
  });
});

describe('fileLocator', () => {
  it('reads each YAML or JSON file once, and no other file', () => {
    const read: string[] = [];
    const locateIn = fileLocator((file) => {
      read.push(file);
      return file.endsWith('.json') ? JSON_TEXT : TEXT;
    });
    expect(locateIn('a.yaml', '/rules/1')).toEqual({ line: 14, column: 3 });
    expect(locateIn('a.yaml', '/hypotheses/0')).toEqual({ line: 17, column: 1 });
    expect(locateIn('b.json', '/rules/1')).toEqual({ line: 11, column: 5 });
    expect(locateIn('b.json', '/rules/0')).toEqual({ line: 4, column: 5 });
    expect(locateIn('c.txt', '/rules/1')).toBeUndefined();
    expect(read).toEqual(['a.yaml', 'b.json']);
  });
});
