import { existsSync, mkdirSync, mkdtempSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { packageRoot } from '../src/core/paths.js';
import { removeStaleRunDirs, runDirPrefix, runTmpParent, TMPFS_MAGIC } from './run-tmp.js';

const machineTmp = process.env.RCA_TEST_CACHE_DIR ?? '/tmp';

describe("a run's temporary directory", () => {
  it('lies on the first candidate that is a tmpfs with room for a run, else in the machine temporary directory', () => {
    const ram = ['/dev/shm', '/run/shm'].find((path) => {
      try {
        return statfsSync(path).type === TMPFS_MAGIC;
      } catch {
        return false;
      }
    });
    // The package root is on a disk, not in memory; a candidate that does not exist is passed over.
    expect(runTmpParent(machineTmp, [packageRoot, join(packageRoot, 'no-such-dir')], 1)).toBe(machineTmp);
    if (ram) {
      expect(runTmpParent(machineTmp, [packageRoot, ram], 1)).toBe(ram);
      // Not when it holds less than a run needs.
      expect(runTmpParent(machineTmp, [ram], Number.MAX_SAFE_INTEGER)).toBe(machineTmp);
    }
  });

  it('holds every temporary file of this worker: os.tmpdir() is under the parent test/global-setup.ts chose', () => {
    const parent = inject('runTmpParent');
    expect([machineTmp, '/dev/shm']).toContain(parent);
    expect(tmpdir().startsWith(`${parent}/rca-test-run-`)).toBe(true);
    expect(tmpdir().slice(parent.length + 1)).toMatch(/^rca-test-run-\d+-/);
    expect(mkdtempSync(join(tmpdir(), 'rca-probe-')).startsWith(`${parent}/`)).toBe(true);
  });

  it('removes the directories that runs whose process is gone left behind, and only those', () => {
    const parent = mkdtempSync(join(tmpdir(), 'rca-stale-'));
    const dead = join(parent, `${runDirPrefix(101)}abc`);
    const living = join(parent, `${runDirPrefix(202)}def`);
    const other = join(parent, 'rca-test-run-notapid');
    for (const dir of [dead, living, other]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'data'), 'x');
    }
    expect(removeStaleRunDirs(parent, (pid) => pid === 202)).toEqual([`${runDirPrefix(101)}abc`]);
    expect([existsSync(dead), existsSync(living), existsSync(other)]).toEqual([false, true, true]);
  });
});
