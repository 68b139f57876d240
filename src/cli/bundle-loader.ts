import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** What the bundle exports (src/cli/bundle-entry.ts). */
export type BundleExports = typeof import('./bundle-entry.js');

/**
 * The CLI bundled into one script (scripts/bundle.mjs): a function expression of
 * BUNDLE_PARAMETERS around CommonJS-shaped code (BUNDLE_HEAD and BUNDLE_TAIL around it), in
 * ASCII only (esbuild escapes the rest), so that it is read as latin1, a plain copy, where
 * decoding UTF-8 was several milliseconds of every run.
 */
export const BUNDLE_FILE = 'rca.cjs';
/** V8's compiled code for the bundle, as the build's training run left it (scripts/bundle.mjs). */
export const CODE_CACHE_FILE = 'rca.code-cache';

/**
 * The bundle's own variables: CommonJS's, and the URL that stands for `import.meta.url` in the
 * ES modules it was bundled from (esbuild's `define`).
 */
export const BUNDLE_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', 'rcaBundleUrl'] as const;
/** The bundle file holds them itself (esbuild banner and footer): its line numbers in a stack trace are the file's. */
export const BUNDLE_HEAD = `(function (${BUNDLE_PARAMETERS.join(', ')}) {`;
export const BUNDLE_TAIL = '\n})';

export interface LoadedBundle {
  exports: BundleExports;
  /** Whether V8 took the code cache: 'none' when there was none to give. */
  codeCache: 'accepted' | 'rejected' | 'none';
  /** Writes V8's code for the bundle as compiled so far (after a run, with the functions it called). */
  writeCodeCache(): void;
}

/**
 * Compiles and runs the bundle in DIR with V8's code cache, when there is one. Node 20 caches
 * no compiled code for ES modules (module.enableCompileCache is 22.1+), and compiling the CLI
 * was a large part of every run: a script compiled with `cachedData` skips parsing and
 * compiling whatever the training run compiled. A cache V8 cannot use (another Node, other V8
 * flags) is rejected by V8 itself and the bundle is compiled from its text, as without one.
 */
export function loadBundle(dir: string, { useCodeCache = true }: { useCodeCache?: boolean } = {}): LoadedBundle {
  const file = resolve(dir, BUNDLE_FILE);
  const cacheFile = resolve(dir, CODE_CACHE_FILE);
  const cachedData = useCodeCache && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(readFileSync(file, 'latin1'), { filename: file, ...(cachedData && { cachedData }) });
  const module = { exports: {} as BundleExports };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, resolve(dir), pathToFileURL(file).href);
  return {
    exports: module.exports,
    codeCache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted',
    writeCodeCache: () => writeFileSync(cacheFile, script.createCachedData()),
  };
}
