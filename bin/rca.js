#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and built to dist/ by `npm install` (prepare).
import('../dist/src/cli/bin.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/cli')) {
    process.stderr.write('rca: not built yet: run `npm install` (or `npm run build`) in the rca checkout first\n');
    process.exitCode = 1;
    return;
  }
  throw error;
});
