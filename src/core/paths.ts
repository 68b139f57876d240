import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root holds rules/, schemas/ and reports/. Found by walking up because the
 * code runs both from src/ (tests) and from dist/src/ (built CLI).
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'rca') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('rca package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();
export const schemasDir = join(packageRoot, 'schemas');
export const defaultKbDir = join(packageRoot, 'rules');
export const reportsDir = join(packageRoot, 'reports');
