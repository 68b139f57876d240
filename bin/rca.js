#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and built by `npm install` (prepare) to dist/src,
// then bundled to dist/bundle (scripts/bundle.mjs), which starts faster.
import('../dist/bundle/bin.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/bin.js')) {
    process.stderr.write('rca: not built yet: run `npm install` (or `npm run build`) in the rca checkout first\n');
    process.exitCode = 1;
    return;
  }
  throw error;
});
