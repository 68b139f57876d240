// Build step: bundles the CLI (dist/src/cli/bundle-entry.js and what it imports) into one script,
// dist/bundle/rca.cjs, and trains V8's code cache for it (dist/bundle/rca.code-cache), so that
// `rca` starts without resolving and compiling a hundred module files and, on the Node that
// built it, without compiling what a diagnosis runs. bin/rca.cjs runs it through
// dist/bundle/loader.cjs (src/cli/bundle-loader.ts); dist/src stays what the tests, the bench
// and the KB worker import.
import { readFileSync, rmSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable, Writable } from 'node:stream';
import { build } from 'esbuild';

const outdir = 'dist/bundle';

/**
 * yargs is bundled (and so in the code cache) from its ES module build, as main.ts imports it.
 * Its platform shim (lib/platform-shims/esm.mjs) finds yargs' translations, for y18n (help in the
 * user's language), from its own import.meta.url, which in the bundle is the bundle's
 * (rcaBundleUrl, dist/bundle): it is pointed at the installed package instead. Each replacement
 * must match once, so a new yargs cannot slip past unbundled.
 */
const replaceOnce = (text, path, from, to) => {
  const found = text.split(from).length - 1;
  if (found !== 1) throw new Error(`bundle: expected ${JSON.stringify(from)} once in ${path}, got ${found}`);
  return text.replace(from, to);
};
/**
 * Where yargs' shim is installed, found as require.resolve would find yargs/package.json from
 * the bundle: the first node_modules/yargs up from the bundle's directory. require.resolve
 * itself is the fallback only: resolving a package's files goes through its `exports`, which
 * loads Node's ES module resolver, about 0.5-1 ms of every run for a path three stats find.
 * The shim takes ../../../locales from it, and the directory before node_modules as the main
 * module's (where yargs would look for a package.json; rca gives its version). It is written with
 * what the shim imports (createRequire, fileURLToPath, dirname, join).
 */
const YARGS_SHIM_FILE = {
  from: 'const __dirname = fileURLToPath(import.meta.url);',
  to: 'const __dirname = (()=>{const r=createRequire(import.meta.url),f=r("fs"),s=["lib","platform-shims","esm.mjs"];for(let d=dirname(fileURLToPath(import.meta.url)),u;;d=u){const y=join(d,"node_modules","yargs");if(f.existsSync(join(y,"package.json")))return join(y,...s);if((u=dirname(d))===d)return join(dirname(r.resolve("yargs/package.json")),...s)}})();',
};
/**
 * yargs checks its invariants with node:assert's strictEqual and notStrictEqual, on every run,
 * and imports node:assert as it loads: Node compiles assert and its helpers on every run for
 * checks that pass. In the bundle a check that holds (Object.is, as assert decides it) costs a
 * comparison, and only one that fails requires assert, to throw what assert throws.
 */
const LAZY_ASSERT = {
  from: "import { notStrictEqual, strictEqual } from 'assert'",
  to: 'const notStrictEqual=(a,b,m)=>{Object.is(a,b)&&require("assert").notStrictEqual(a,b,m)},strictEqual=(a,b,m)=>{Object.is(a,b)||require("assert").strictEqual(a,b,m)};',
};
/**
 * yargs' platform shim reads process.stdout.columns as it loads, which makes Node's stdout stream
 * (and loads node:stream) on every run; rca gives yargs its own width, so yargs reads it only
 * for a terminal width it is asked for: a getter defers it to then.
 */
const LAZY_COLUMNS = {
  from: "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null",
  to: "get stdColumns() { return typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null }",
};
/**
 * yargs lays out its help with cliui and string-width, which build an
 * Intl.Segmenter and Unicode-property regular expressions as they load: about 20 ms of every
 * run, `rca --version` and a diagnosis included, for text most runs never lay out. In the bundle
 * the shim requires them when it first lays something out (esbuild evaluates a module it
 * requires then, not at start); the shim's own `require` is renamed, so that esbuild sees these.
 */
const LAZY_LAYOUT = [
  { from: "import cliui from 'cliui'", to: "const cliui = (...args) => require('cliui').default(...args);" },
  { from: "import stringWidth from 'string-width';", to: "const stringWidth = (text) => require('string-width').default(text);" },
  { from: 'const require = createRequire(import.meta.url);', to: 'const shimRequire = createRequire(import.meta.url);' },
  { from: '  require,\n', to: '  require: shimRequire,\n' },
];
const bundleYargs = {
  name: 'bundle-yargs',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, ({ path }) => ({
      contents: [YARGS_SHIM_FILE, LAZY_ASSERT, LAZY_COLUMNS, ...LAZY_LAYOUT].reduce((code, { from, to }) => replaceOnce(code, path, from, to), readFileSync(path, 'utf8')),
      loader: 'js',
    }));
  },
};
/**
 * The shipped report templates, precompiled into the bundle's copy of precompiled-reports.js:
 * handlebars compiled reports/text.hbs on every run of the default text report, and the code
 * it made was never in the code cache. render.ts uses one only while its file is unchanged.
 */
const { precompileReport } = await import('../dist/src/core/render.js');
const precompiledReports = {
  name: 'precompiled-reports',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]core[\\/]precompiled-reports\.js$/ }, () => {
      const entries = ['text', 'markdown', 'html'].map((format) => {
        const { text, spec } = precompileReport(format);
        return `${format}: { text: ${JSON.stringify(text)}, spec: ${spec} }`;
      });
      return { contents: `export const precompiledReports = { ${entries.join(', ')} };\n`, loader: 'js' };
    });
  },
};

// A cache of an earlier bundle must never meet this one.
rmSync(outdir, { recursive: true, force: true });

// The loader is compiled (dist/src) before it is bundled: its head and tail wrap the bundle.
const { BUNDLE_FILE, BUNDLE_HEAD, BUNDLE_TAIL } = await import('../dist/src/cli/bundle-loader.js');
const bundled = await build({
  entryPoints: ['dist/src/cli/bundle-entry.js'],
  outfile: join(outdir, BUNDLE_FILE),
  bundle: true,
  // One script, compiled through node:vm with a code cache (Node 20 has none for ES modules):
  // modules a command does not import are bundled but never evaluated (esbuild's lazy wrappers).
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  // No keepNames: it wraps every named function and closure in a naming call, made again each
  // time a closure is created (a diagnosis makes dozens), about 7% of `rca serve`'s CPU per
  // uncached request. The error classes name themselves in literals (src/core/errors.ts).
  keepNames: false,
  // The loader reads the bundle as latin1 (src/cli/bundle-loader.ts): checked below.
  charset: 'ascii',
  banner: { js: BUNDLE_HEAD },
  footer: { js: BUNDLE_TAIL },
  // The ES modules' `import.meta.url`: the loader passes the bundle's URL (BUNDLE_PARAMETERS).
  define: { 'import.meta.url': 'rcaBundleUrl' },
  // The server's stack (fastify, pino and its worker threads), the browser driver and the case
  // stores are loaded from node_modules as they are: `rca serve` is started once and runs for
  // long, and PGlite reads its WebAssembly and data files from beside its own module.
  // They are require()d: Node >= 20.19 requires an ES module package (PGlite) as well.
  // (yargs/package.json: only located, by bundleYargs' require.resolve.)
  external: ['fastify', '@fastify/*', 'prom-client', 'pino', 'playwright-core', '@electric-sql/pglite', 'pg', 'yargs/package.json'],
  metafile: true,
  plugins: [bundleYargs, precompiledReports],
  logLevel: 'warning',
});
// A script compiled through node:vm with a code cache has no import(): Node 20 loses the
// callback that resolves it when V8 takes the cache. A dynamic import of a package left
// outside would fail only when its command runs, so the build fails now.
const imports = Object.values(bundled.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path));
if (imports.length > 0) throw new Error(`bundle: import() of ${imports.join(', ')} would fail in the bundle: import it statically`);

if (readFileSync(join(outdir, BUNDLE_FILE)).some((byte) => byte > 0x7f)) throw new Error(`bundle: expected ASCII only in ${BUNDLE_FILE} (the loader reads it as latin1)`);

// CommonJS, as bin/rca.cjs is: an ES module set up Node's ES module loader on every run.
await build({
  entryPoints: ['dist/src/cli/bundle-loader.js'],
  outfile: join(outdir, 'loader.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  logLevel: 'warning',
});

// The training run: what `rca diagnose` compiles (both report formats a script or a person
// reads) is what V8 writes to the cache. Quiet streams, no RCA_KB: the shipped KB. When rules/
// do not load (edited without `rca kb seal`), the build still succeeds, without a cache, as
// scripts/snapshot-kb.mjs does without a snapshot: the tests then say what to do.
const { loadBundle } = await import('../dist/bundle/loader.cjs');
const bundle = loadBundle(outdir, { useCodeCache: false });
const sink = () => Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false });
const example = fileURLToPath(new URL('../examples/01-apm-agent-cpu.json', import.meta.url));
const codes = [];
for (const format of ['json', 'text']) {
  const io = { stdin: Readable.from([]), stdout: sink(), stderr: sink(), env: {}, signals: new EventEmitter() };
  codes.push(await bundle.exports.main(['diagnose', example, '--format', format], io));
}
if (codes.every((code) => code === 0)) bundle.writeCodeCache();
else console.error(`bundle: no code cache: the training run of rca diagnose exited ${codes.join(' and ')}`);
