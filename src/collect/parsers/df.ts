import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells } from './text.js';

const EXPECTED = 'output of `df -h`, `df -P` or `df -i` (coreutils, busybox, BSD: a "Filesystem ... Use% Mounted on" header and a row per filesystem)';

/** The header's full-ness columns: blocks (Use%, -P's Capacity) or inodes (IUse%, BSD's %iused). */
type Measure = 'blocks' | 'inodes';
const SHARE_COLUMNS: ReadonlyMap<string, Measure> = new Map([
  ['Use%', 'blocks'],
  ['Capacity', 'blocks'],
  ['IUse%', 'inodes'],
  ['%iused', 'inodes'],
]);

const HEADER = /^Filesystem\s.*\sMounted on\s*$/;
const SHARE = /^(\d{1,3})%$/;

/**
 * Filesystems no service writes its data to: the kernel's device nodes (devtmpfs, Debian's
 * "udev") and its views (proc, sysfs, cgroup ...). tmpfs and overlay are kept: /tmp, /run and a
 * container's root are where services write (lab 195's full filesystem was a tmpfs).
 */
const NOT_WRITTEN_TO = new Set(['devtmpfs', 'udev', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'mqueue', 'debugfs', 'tracefs', 'securityfs', 'pstore', 'bpf', 'configfs', 'fusectl', 'hugetlbfs', 'nsfs', 'autofs', 'binfmt_misc', 'efivarfs']);
// A snap is a read-only squashfs image, always 100% used.
const READ_ONLY_IMAGE_MOUNT = /^\/snap\//;

interface Fullness {
  filesystem: string;
  mount: string;
  share: number;
  measure: Measure;
}

/**
 * Each filesystem row's full-ness under each df header in the text (`df -h; df -i` pastes two
 * tables). A row's share cells are the cells like "74%", one per full-ness column of its header,
 * in order; the mount point is what follows the last (it may hold spaces). A name too long for
 * its column is printed on a line of its own, the numbers on the next (older coreutils).
 */
function fullness(all: readonly string[]): Fullness[] {
  const found: Fullness[] = [];
  let measures: Measure[] | undefined;
  let pendingName: string | undefined;
  for (const line of all) {
    if (HEADER.test(line)) {
      measures = cells(line).flatMap((word) => SHARE_COLUMNS.get(word) ?? []);
      pendingName = undefined;
      continue;
    }
    if (measures === undefined || line.trim() === '') continue;
    const row = cells(line);
    if (row.length === 1 && !/^\s/.test(line)) {
      pendingName = row[0];
      continue;
    }
    const [filesystem, rest] = pendingName !== undefined && /^\s/.test(line) ? [pendingName, row] : [row[0] ?? '', row.slice(1)];
    pendingName = undefined;
    const shareAt = rest.flatMap((cell, i) => (SHARE.test(cell) || cell === '-' ? [i] : []));
    const last = shareAt[shareAt.length - 1];
    if (last === undefined || shareAt.length !== measures.length) continue;
    const mount = rest.slice(last + 1).join(' ');
    if (!mount.startsWith('/')) continue;
    shareAt.forEach((at, i) => {
      const share = SHARE.exec(rest[at] ?? '')?.[1];
      if (share !== undefined && Number(share) <= 100) found.push({ filesystem, mount, share: Number(share), measure: measures?.[i] ?? 'blocks' });
    });
  }
  return found;
}

export const dfParser: ArtifactParser = {
  kind: 'df',
  describe:
    'df -h; df -i (or df -P; BSD df): host.disk_used_pct, the fullest filesystem\'s Use% (or IUse%, its inodes: spent inodes fail ' +
    'writes the same way), devtmpfs, proc and the like and snaps (/snap/*, read-only images always 100%) left out, tmpfs and overlay kept; ' +
    'with several filesystems a warning names the fullest one\'s mount point (is it where the service writes?): df -h PATH reads just that one',
  parse(text, context) {
    const rows = fullness(artifactLines(text)).filter(({ filesystem, mount }) => !NOT_WRITTEN_TO.has(filesystem) && !READ_ONLY_IMAGE_MOUNT.test(mount));
    const fullest = rows.reduce<Fullness | undefined>((best, row) => (best === undefined || row.share > best.share ? row : best), undefined);
    if (fullest === undefined) throw notRecognised('df', EXPECTED);
    const mounts = new Set(rows.map((row) => row.mount));
    if (mounts.size > 1) {
      const what = fullest.measure === 'inodes' ? 'of its inodes' : 'used';
      context?.warn?.({ field: 'host.disk_used_pct', message: `the fullest of ${mounts.size} filesystems is ${fullest.mount} (${fullest.filesystem}, ${fullest.share}% ${what}): check that the service writes there (df -h PATH shows the one a path is on)` });
    }
    return { 'host.disk_used_pct': fullest.share };
  },
};
