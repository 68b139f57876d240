import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readdirSync, realpathSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files are read in the order of their names' code units, the same on every machine: a locale's
 * collation (localeCompare) would order "å.yaml" or "B.yaml" differently under another LANG,
 * and the order decides which pack entry overrides which, and in which order cases are listed.
 */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The YAML files at a path: the file itself, or every *.yaml / *.yml below a directory, by name.
 * A symbolic link is followed, to a file or a directory alike (a curator links a shared set of
 * scenarios or incidents in), and each file and directory is taken once, by its real path: a link
 * back up the tree, or two links to one place, add nothing twice and never loop. A link to
 * nothing named *.yaml is listed, for its reader to say it cannot be read. (A knowledge-base
 * directory is listed by its own loader, which takes no link: a pack is sealed as the files in it.)
 */
export function yamlFilesUnder(path: string): string[] {
  return statSync(path).isDirectory() ? yamlFilesBelow(path, new Set()) : [path];
}

/** The YAML files below directory PATH (yamlFilesUnder), none whose real path is in READ: taken already. */
function yamlFilesBelow(path: string, read: Set<string>): string[] {
  const real = realPathOf(path);
  if (read.has(real)) return [];
  read.add(real);
  return readdirSync(path, { withFileTypes: true })
    .sort(byName)
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectoryAt(child))) return yamlFilesBelow(child, read);
      if (!/\.ya?ml$/.test(entry.name)) return [];
      const file = realPathOf(child);
      if (read.has(file)) return [];
      read.add(file);
      return [child];
    });
}

/** PATH with its links resolved; PATH itself when it cannot be (a link to nothing, left for its reader to refuse). */
export function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether PATH, its links followed, is a directory; false for a link to nothing. */
function isDirectoryAt(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes TEXT to PATH so that a reader sees the old content or the new, never half: into a
 * temporary beside it, then renamed over it. The temporary has a fresh, unguessable name and is
 * created (O_EXCL) and never followed (O_NOFOLLOW): a link put in a shared directory under a
 * name the writer would use must not turn the write into one outside it.
 */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** What a file system error found at a path, in words, for an error's "got" (ENOENT is "nothing there"). */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'nothing there (not found)',
  ENOTDIR: 'a path through something that is not a directory',
  EACCES: 'a path rca may not read (permission denied)',
  EPERM: 'a path rca may not read (operation not permitted)',
  EISDIR: 'a directory',
  ELOOP: 'a loop of symbolic links',
  ENAMETOOLONG: 'a name too long for the file system',
};

export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === undefined ? 'an unreadable path' : (FILE_ERRORS[code] ?? code);
}
