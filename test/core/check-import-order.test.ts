import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';

// The loader (kb.ts) imports the check registry, which imports every check. A check that
// imported a value back from kb.ts closed a cycle: imported first (as a library user or a test
// may), it was still undefined when the registry listed it. Each check module is imported here
// first, in a fresh module graph, and the registry must still list every check.
const checksDir = join(packageRoot, 'src', 'core', 'checks');
const checkModules = readdirSync(checksDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => relative(packageRoot, join(checksDir, file)))
  .sort();

describe('the check registry, whichever module is imported first', () => {
  it('finds the check modules', () => {
    expect(checkModules).toContain(join('src', 'core', 'checks', 'lint', 'missing-translation.ts'));
    expect(checkModules).toContain(join('src', 'core', 'checks', 'registry.ts'));
  });

  it.each([...checkModules, join('src', 'core', 'kb.ts')])('%s first: every check is defined', async (first) => {
    vi.resetModules();
    await import(join(packageRoot, first));
    const registry = await import('../../src/core/checks/registry.js');
    const all = [...registry.LOAD_CHECKS, ...registry.LINT_CHECKS, ...registry.TEST_CHECKS];
    expect(all.filter((check) => check === undefined)).toEqual([]);
    expect(registry.CHECKS).toHaveLength(all.length);
  });
});
