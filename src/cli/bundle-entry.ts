/**
 * What the CLI bundle (scripts/bundle.mjs, run by bin/rca.cjs through bundle-loader.ts) exports:
 * the process runner, and main() for the build's training run that fills the code cache.
 */
export { main } from './main.js';
export { runProcess } from './run-process.js';
