import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/core/paths.js';

/** The shipped examples (examples/*.json) as paths from the package root, in file-name order. */
export function exampleFiles(): string[] {
  return readdirSync(join(packageRoot, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join('examples', f));
}

/** The shipped examples' request documents, in the same order, as the benches send them. */
export function exampleDocuments(): Array<{ facts: unknown }> {
  return exampleFiles().map((file) => JSON.parse(readFileSync(join(packageRoot, file), 'utf8')) as { facts: unknown });
}
