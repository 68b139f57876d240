import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root holds rules/, schemas/ and reports/, and the package.json that says rca's
 * version. Found by walking up because the code runs both from src/ (tests) and from dist/src/
 * (built CLI).
 */
function findPackage(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === 'rca') return { root: dir, version: version ?? 'unknown' };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('rca package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

const found = findPackage();
export const packageRoot = found.root;
/** rca's version, as its package.json says (`rca --version`). */
export const packageVersion = found.version;
export const schemasDir = join(packageRoot, 'schemas');
export const defaultKbDir = join(packageRoot, 'rules');
export const reportsDir = join(packageRoot, 'reports');
