import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { removeStaleRunDirs, runDirPrefix, runTmpParent } from './run-tmp.js';

/**
 * Every temporary file and directory of a run (os.tmpdir() in the test files, in vitest's
 * workers and in the processes the tests spawn, which all inherit TMPDIR) goes under one
 * directory made for the run and removed after it. Tests make thousands: knowledge-base copies,
 * packs, and embedded databases of 40 MB each, which left 65 GB behind after a day of runs when
 * each was left where it was made. The directory is in memory when the machine has room there
 * (test/run-tmp.ts says why). The PGlite template cluster stays in the machine's own temporary
 * directory (RCA_TEST_CACHE_DIR), so it is made once, not once per run.
 */
export default function setup(project: TestProject): () => void {
  const machineTmp = tmpdir();
  const parent = runTmpParent(machineTmp);
  // The tests read the choice, not make it again: the tmpfs's room falls while the run writes.
  project.provide('runTmpParent', parent);
  // A killed run's directory may lie in either place: the choice depends on the room there then.
  for (const place of new Set([parent, machineTmp])) removeStaleRunDirs(place);
  const runTmp = mkdtempSync(join(parent, runDirPrefix(process.pid)));
  // Searchable by others, as the machine's own is: the throwaway PostgreSQL runs as its own user
  // (bench/postgres-cluster.ts) and reaches its directory through this one. What each test makes
  // inside stays mkdtemp's 0700.
  chmodSync(runTmp, 0o755);
  process.env.RCA_TEST_CACHE_DIR = machineTmp;
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = runTmp;
  return () => rmSync(runTmp, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory the run's temporary directory was made in (runTmpParent's choice). */
    runTmpParent: string;
  }
}
