import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
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
    expect(loadScenarios(dir)).toEqual([{ story: 'loss', source: 'test', facts: { 'ping.result': 'fail', 'ping.loss_pct': 40 }, expect: { top1: 'network.packet_loss', alternates: ['network.icmp_filtered'] }, file }]);
  });

  it('a misspelt key (alternate: for alternates:) is an error naming the file and the key, not silently ignored', () => {
    const { dir, file } = scenarioDir(VALID.replace('alternates:', 'alternate:'));
    expect(() => loadScenarios(dir)).toThrow(`${file} at /expect/alternate: expected no property "alternate", got an unknown field`);
  });

  it('a missing expectation and a fact that is not a scalar are errors naming each', () => {
    const { dir, file } = scenarioDir('story: loss\nsource: test\nfacts: {ping.result: [fail]}\nexpect: {alternates: []}\n');
    expect(() => loadScenarios(dir)).toThrow(`${file} at /facts/ping.result: expected string,number,boolean, got array of 1; ${file} at /expect/top1: expected property "top1", got nothing`);
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
    expect({ stdout, stderr }).toEqual({ stdout: '', stderr: `rca: input error: ${file} at /expect/alternate: expected no property "alternate", got an unknown field\n` });
  });
});
