import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files are read in the order of their names' code units, the same on every machine: a locale's
 * collation (localeCompare) would order "å.yaml" or "B.yaml" differently under another LANG,
 * and the order decides which pack entry overrides which, and in which order cases are listed.
 */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The YAML files at a path: the file itself, or every *.yaml / *.yml below a directory, by name. */
export function yamlFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort(byName)
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return yamlFilesUnder(child);
      return /\.ya?ml$/.test(entry.name) ? [child] : [];
    });
}
