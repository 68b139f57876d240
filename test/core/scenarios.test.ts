import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/core/errors.js';
import { loadScenarios } from '../../src/core/scenarios.js';

function scenarioDir(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rca-scen-'));
  mkdirSync(join(dir, 'network'));
  const path = join(dir, 'network', 'loss.yaml');
  writeFileSync(path, text);
  // Outside the package, a scenario is named by its whole path.
  return { dir, file: path };
}

const VALID = 'story: loss\nsource: test\nfacts: {ping.result: fail, ping.loss_pct: 40}\nexpect: {top1: network.packet_loss, alternates: [network.icmp_filtered]}\n';

describe('scenarios are validated against schemas/scenario.schema.json when loaded', () => {
  it('a valid scenario loads as written, with its file', () => {
    const { dir, file } = scenarioDir(VALID);
    expect(loadScenarios(dir)).toEqual([{ story: 'loss', source: 'test', facts: { 'ping.result': 'fail', 'ping.loss_pct': 40 }, expect: { top1: 'network.packet_loss', alternates: ['network.icmp_filtered'] }, file, path: file }]);
  });

  it('a misspelt key (alternate: for alternates:) is an error at its file:line:column naming the key meant, not silently ignored', () => {
    const { dir, file } = scenarioDir(VALID.replace('alternates:', 'alternate:'));
    expect(() => loadScenarios(dir)).toThrow(new InputError([{ field: `${file}:4:37 at /expect/alternate`, expected: 'no property "alternate" (did you mean "alternates"?)', got: 'an unknown field' }]));
  });

  it('a missing expectation and a fact that is not a scalar are errors naming each', () => {
    const { dir, file } = scenarioDir('story: loss\nsource: test\nfacts: {ping.result: [fail]}\nexpect: {alternates: []}\n');
    expect(() => loadScenarios(dir)).toThrow(`${file}:3:9 at /facts/ping.result: expected string or number or boolean, got array of 1; ${file}:4:1 at /expect/top1: expected property "top1", got nothing`);
  });

  it('rca kb test --scenarios with a misspelt scenario exits 2 with the error on stderr', async () => {
    const { dir, file } = scenarioDir(VALID.replace('alternates:', 'alternate:'));
    let stdout = '';
    let stderr = '';
    const io = {
      stdin: Readable.from(['']),
      stdout: new PassThrough().on('data', (c: Buffer) => (stdout += c.toString())),
      stderr: new PassThrough().on('data', (c: Buffer) => (stderr += c.toString())),
      env: {},
    } as unknown as CliIo;
    expect(await main(['kb', 'test', '--scenarios', dir], io)).toBe(2);
    expect({ stdout, stderr }).toEqual({ stdout: '', stderr: `rca: input error: ${file}:4:37 at /expect/alternate: expected no property "alternate" (did you mean "alternates"?), got an unknown field\n` });
  });

  it('every file\'s problems at once: YAML that does not parse at its line:column, and a rule file named as one (its directory goes to --kb)', () => {
    const { dir, file } = scenarioDir('story: loss\nsource: [test\n');
    const rules = join(dir, 'pack.yaml');
    writeFileSync(rules, 'kb: {name: acme, version: 1.0.0}\nrules: []\nquestions: []\n');
    const valid = join(dir, 'ok.yaml');
    writeFileSync(valid, VALID);
    expect(() => loadScenarios(dir)).toThrow(
      new InputError([
        { field: `${file}:3:1`, expected: 'valid YAML', got: 'deficient indentation' },
        { field: rules, expected: 'a scenario (story, source, facts, expect)', got: 'a rule file (kb, rules, questions): give its directory with --kb' },
      ]),
    );
  });

  it('follows a link to a file or a directory, takes each once (two links to one file, a link back up the tree), and names a link to nothing', () => {
    const { dir, file } = scenarioDir(VALID);
    const shared = mkdtempSync(join(tmpdir(), 'rca-scen-shared-'));
    writeFileSync(join(shared, 'dns.yaml'), VALID.replace('story: loss', 'story: dns'));
    writeFileSync(join(shared, 'tls.yaml'), VALID.replace('story: loss', 'story: tls'));
    symlinkSync(join(shared, 'dns.yaml'), join(dir, 'again.yaml'));
    symlinkSync(shared, join(dir, 'linked'));
    symlinkSync(dir, join(dir, 'network', 'up'));
    // By name: again.yaml is dns.yaml, so linked/ adds only tls.yaml; network/up leads back to what is read.
    expect(loadScenarios(dir).map((s) => [s.file, s.story])).toEqual([
      [join(dir, 'again.yaml'), 'dns'],
      [join(dir, 'linked', 'tls.yaml'), 'tls'],
      [file, 'loss'],
    ]);
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'gone.yaml'));
    expect(() => loadScenarios(dir)).toThrow(new InputError([{ field: join(dir, 'gone.yaml'), expected: 'a readable scenario file', got: 'nothing there (not found)' }]));
  });
});
