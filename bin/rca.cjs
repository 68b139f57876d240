#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is written in TypeScript and built by `npm install` (prepare) to dist/src,
// then bundled to dist/bundle (scripts/bundle.mjs), which starts faster: one script, compiled
// with the code cache the build trained (src/cli/bundle-loader.ts). CommonJS, as is the loader:
// an ES module launcher set up Node's ES module loader first, about 2.6 ms of every run.
const { join } = require('node:path');

let loader;
try {
  loader = require('../dist/bundle/loader.cjs');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('loader.cjs')) {
    process.stderr.write('rca: not built yet: run `npm install` (or `npm run build`) in the rca checkout first\n');
    process.exitCode = 1;
    return;
  }
  throw error;
}
loader.loadBundle(join(__dirname, '..', 'dist', 'bundle')).exports.runProcess();
