import { readdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { processRunning } from '../src/store/process-running.js';

/** statfs's f_type for tmpfs (linux/magic.h): a file system held in memory. */
export const TMPFS_MAGIC = 0x01021994;

/** What a run writes at its peak is about 700 MB (embedded databases of 40 MB each); twice that, for room. */
const RUN_BYTES = 1.5 * 2 ** 30;

/**
 * Where a run's temporary directory goes: the first candidate that is a tmpfs with RUN_BYTES free,
 * else MACHINE_TMP. On a disk, the run's files are written back while the run goes on and deleted
 * after it; on a disk mounted with `discard` (as this machine's is) deleting 700 MB of written
 * files took over 20 s, and meanwhile every fsync of the store tests (and of other runs) waited
 * behind those journal commits. In memory, writing and deleting them costs no disk at all.
 * Docker's /dev/shm holds 64 MB by default: too small, so such a run stays on the disk.
 */
export function runTmpParent(machineTmp: string, candidates: string[] = ['/dev/shm'], needed = RUN_BYTES): string {
  for (const path of candidates) {
    try {
      const fs = statfsSync(path);
      if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= needed) return path;
    } catch {
      // not on this machine: try the next
    }
  }
  return machineTmp;
}

/** A run's directory is named `rca-test-run-<pid of the vitest process>-<random>`. */
const RUN_DIR = 'rca-test-run-';
export const runDirPrefix = (pid: number) => `${RUN_DIR}${pid}-`;
const runDirPid = new RegExp(`^${RUN_DIR}(\\d+)-`);

/**
 * Removes the directories of runs whose process is gone: a run killed before its teardown leaves
 * its ~700 MB behind, which in memory (/dev/shm) would hold RAM until a reboot. Returns their names.
 */
export function removeStaleRunDirs(parent: string, isAlive: (pid: number) => boolean = processRunning): string[] {
  const stale = readdirSync(parent).filter((name) => {
    const pid = runDirPid.exec(name)?.[1];
    return pid !== undefined && !isAlive(Number(pid));
  });
  for (const name of stale) rmSync(join(parent, name), { recursive: true, force: true });
  return stale;
}
