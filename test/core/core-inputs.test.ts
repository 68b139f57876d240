import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';

// The core is data in, data out: the time, the working directory and where the test material
// lives are the edges' to know and to pass in (LoadOptions.cwd, KbHolder.loadedAt, the CLI's
// default scenarios directory), so the core answers the same wherever and whenever it runs.
const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ['reads the clock', /\bDate\.now\(|\bnew Date\(|\bperformance\.now\(|process\.hrtime/],
  ['reads the working directory', /process\.cwd\(/],
  // join(root, 'test', ...) or 'test/...', not a property named test
  ['points at the tests', /['"`]test\/|,\s*['"`]test['"`]\s*[,)]/],
  ['reads the build output', /['"`]dist\/|,\s*['"`]dist['"`]\s*[,)]/],
];

describe('src/core reads neither the clock, nor the working directory, nor test/ or dist/', () => {
  it('holds for every module of the core', () => {
    const dir = join(packageRoot, 'src', 'core');
    const found = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) =>
        readFileSync(join(dir, name), 'utf8')
          .split('\n')
          .flatMap((line, i) => FORBIDDEN.filter(([, pattern]) => pattern.test(line)).map(([what]) => `src/core/${name}:${i + 1} ${what}: ${line.trim()}`)),
      );
    expect(found).toEqual([]);
  });
});
