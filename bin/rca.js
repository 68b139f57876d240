#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and built by `npm install` (prepare) to dist/src,
// then bundled to dist/bundle (scripts/bundle.mjs), which starts faster: one script, compiled
// with the code cache the build trained (src/cli/bundle-loader.ts).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundleDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle');
import('../dist/bundle/loader.js').then(
  ({ loadBundle }) => loadBundle(bundleDir).exports.runProcess(),
  (error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/loader.js')) {
      process.stderr.write('rca: not built yet: run `npm install` (or `npm run build`) in the rca checkout first\n');
      process.exitCode = 1;
      return;
    }
    throw error;
  },
);
