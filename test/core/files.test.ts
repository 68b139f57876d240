import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/core/files.js';
import { runCli } from '../cli/run.js';

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-atomic-'));
    const file = join(dir, 'facts.json');
    writeFileSync(file, 'old\n');
    writeFileAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['facts.json']);
  });

  it('writes through no link: one at the target is replaced by the file, the file it pointed to untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-atomic-'));
    const victim = join(mkdtempSync(join(tmpdir(), 'rca-victim-')), 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    symlinkSync(victim, join(dir, 'facts.json'));
    writeFileAtomic(join(dir, 'facts.json'), 'new\n');
    expect(lstatSync(join(dir, 'facts.json')).isFile()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
  });

  it('rca interview --save follows no link planted under the temporary name it used to use (<file>.tmp-<pid>)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-save-'));
    const victim = join(mkdtempSync(join(tmpdir(), 'rca-victim-')), 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    const file = join(dir, 'sv.json');
    symlinkSync(victim, `${file}.tmp-${process.pid}`);
    const run = await runCli(['interview', '--kb', join('test', 'fixtures', 'interview-kb'), '--save', file], { input: 'ok\ndone\n' });
    expect(run.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ facts: { 'ping.result': 'ok' }, unknown: [] });
  });
});
