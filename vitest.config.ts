import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary directory per run, removed after it (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20000,
    pool: 'forks',
    // vitest runs cores - 1 files at a time: one on a 2-core machine. The slow files mostly
    // wait (on sockets, timers, child processes), so one file per core keeps both busy.
    maxWorkers: Math.max(2, availableParallelism()),
    // Each worker runs its files in one module graph instead of importing and transforming the
    // sources again for every file: a third of the suite's CPU time. The tests can share it because
    // the core keeps no state but per-KB caches (WeakMaps) and lazily built tables, and no test
    // changes process-wide settings (env, cwd, globals).
    isolate: false,
  },
});
