import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';

describe('types derived from schemas', () => {
  it('src/generated matches schemas/ (run npm run gen:types after editing a schema)', () => {
    const run = spawnSync(process.execPath, [join(packageRoot, 'scripts', 'gen-types.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
