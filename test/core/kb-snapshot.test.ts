import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KbError, formatKbProblem } from '../../src/core/errors.js';
import { loadKnowledgeBase, readKbDirectory } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';

// The build snapshots the shipped rules/ (parsed and validated) so the CLI starts fast.
describe('knowledge-base snapshot', () => {
  it('is used for the shipped rules while they are unchanged, and equals a fresh parse', () => {
    const fromSnapshot = readKbDirectory(defaultKbDir).sources;
    expect(fromSnapshot.every((s) => s.validated)).toBe(true);
    for (const s of fromSnapshot) expect(s.data).toEqual(s.file.endsWith('.json') ? JSON.parse(s.text) : parseYaml(s.text));
  });

  it('is not used for another directory, even with the same files', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rca-kb-copy-'));
    cpSync(defaultKbDir, copy, { recursive: true });
    expect(readKbDirectory(copy).sources.some((s) => s.validated)).toBe(false);
    expect(loadKnowledgeBase([copy]).meta.hash).toBe(loadKnowledgeBase([defaultKbDir]).meta.hash);
  });

  it('rules/kb.lock.json matches rules/ (the shipped KB ships sealed)', () => {
    let problems: string[] = [];
    try {
      expect(readKbDirectory(defaultKbDir, 'require').sealed).toBe(true);
    } catch (error) {
      if (!(error instanceof KbError)) throw error;
      problems = error.problems.map(formatKbProblem);
    }
    expect(problems, 'rules/ changed since it was sealed: run `npm run build && npx rca kb seal`, then commit rules/kb.lock.json').toEqual([]);
  });
});
