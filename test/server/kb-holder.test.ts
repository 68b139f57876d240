import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../src/core/errors.js';
import { countsOf, LOCK_FILE, lockOf, sha256Of } from '../../src/core/kb-lock.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { editableKb, FIXTURE_KB } from './helpers.js';

async function reloadProblems(holder: KbHolder): Promise<string[]> {
  const error = await holder.reload().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KbError);
  return (error as KbError).problems.map((p) => `${p.file} at ${p.path}: ${p.message}`);
}

describe('KbHolder', () => {
  it('holds only a sealed KB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-kb-'));
    cpSync(FIXTURE_KB, dir, { recursive: true });
    rmSync(join(dir, 'kb.lock.json'));
    expect(() => new KbHolder([dir])).toThrow(`${dir}: expected a sealed knowledge base (kb.lock.json), got none: validate it and run \`rca kb seal ${dir}\``);
  });

  it('reloads in a worker: swaps in a sealed edit, keeps the old KB when the edit is not sealed', async () => {
    const edited = editableKb();
    const holder = new KbHolder([edited.dir]);
    const before = holder.current;
    edited.write((text) => text.replace('version: 1.0.0', 'version: 1.1.0'));
    expect(await reloadProblems(holder)).toEqual([expect.stringMatching(/kb\.yaml at : expected sha256:[0-9a-f]{12}\.\.\. as sealed in .*kb\.lock\.json, got sha256:[0-9a-f]{12}\.\.\.: changed since sealing/)]);
    expect(holder.current).toBe(before);
    edited.seal();
    const [first, second] = await Promise.all([holder.reload(), holder.reload()]);
    expect(first.meta.version).toBe('1.1.0');
    expect(second).toBe(first);
    expect(holder.current).toBe(first);
    expect(first.rules.map((r) => r.id)).toEqual(before.rules.map((r) => r.id));
  });

  it('refuses an alias bomb on reload even under a lock forged to match it (the limits hold in the worker)', async () => {
    const edited = editableKb();
    const holder = new KbHolder([edited.dir]);
    const before = holder.current;
    const levels = Array.from({ length: 12 }, (_, i) => `  c${i + 1}: &c${i + 1} {all: [*c${i}, *c${i}, *c${i}, *c${i}]}`);
    const bomb = ['kb: {name: bomb, version: 1.0.0}', 'conditions:', '  c0: &c0 {all: [{fact: ping.result, operator: equal, value: ok}]}', ...levels, ''].join('\n');
    writeFileSync(join(edited.dir, 'kb.yaml'), bomb);
    const forged = lockOf([{ relPath: 'kb.yaml', file: 'kb.yaml', sha256: sha256Of(bomb) }], { ...countsOf([{}]), conditions: 13 });
    writeFileSync(join(edited.dir, LOCK_FILE), JSON.stringify(forged));
    const started = performance.now();
    expect(await reloadProblems(holder)).toEqual([expect.stringMatching(/kb\.yaml at : expected at most 250000 values in a knowledge-base directory once YAML aliases are expanded, got more$/)]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(holder.current).toBe(before);
  });

  it('abandons a reload that outlasts its deadline, keeping the old KB', async () => {
    const holder = new KbHolder([FIXTURE_KB], {}, { deadlineMs: 1 });
    const before = holder.current;
    expect(await reloadProblems(holder)).toEqual([`${FIXTURE_KB} at : expected the knowledge base to load within 1 ms, it took longer: reload abandoned`]);
    expect(holder.current).toBe(before);
  });
});
