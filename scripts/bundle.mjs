// Build step: bundles the CLI (dist/src/cli/bin.js and what it imports) into dist/bundle/, one
// file per lazily loaded command (esbuild's code splitting keeps each `import()` a file of its
// own), so that `rca` starts without resolving and compiling a hundred module files.
// bin/rca.js runs the bundle; dist/src stays what the tests, the bench and the KB worker import.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a hash of their content: chunks of an earlier build would stay behind.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['dist/src/cli/bin.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  // Minified names must not change what errors print (class names in messages).
  keepNames: true,
  // The server's stack (fastify, pino and its worker threads), the browser driver and the case
  // stores are loaded from node_modules as they are: `rca serve` is started once and runs for
  // long, and PGlite reads its WebAssembly and data files from beside its own module.
  external: ['fastify', '@fastify/*', 'prom-client', 'pino', 'playwright-core', '@electric-sql/pglite', 'pg'],
  // CommonJS packages in an ES module bundle call require(): give them Node's.
  banner: { js: "import { createRequire as rcaCreateRequire } from 'node:module'; const require = rcaCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
