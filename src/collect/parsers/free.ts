import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells, definedFacts, percent, toNumber } from './text.js';

/**
 * One reading of `free`: its column header ("total used free shared ..."), the Mem: row under
 * it, and the `-/+ buffers/cache:` line that old procps and busybox print below the Mem: row.
 */
interface MemBlock {
  names: readonly string[];
  /** The Mem: row's cells after the label, one per header column. */
  values: readonly string[];
  /** The free cell of the `-/+ buffers/cache:` (busybox: `-/+ buffers:`) line, when there is one. */
  buffersCacheFree?: string;
}

/** Every version of free starts its header with these names (procps-ng, procps 3.2, busybox). */
const HEADER_START = ['total', 'used', 'free', 'shared'];

function isHeader(row: readonly string[]): boolean {
  return HEADER_START.every((name, i) => row[i] === name);
}

/** "-/+ buffers/cache:    1776420    2148492": the used and free columns once caches count as free. */
function isBuffersCacheLine(row: readonly string[]): boolean {
  return row.length === 4 && row[0] === '-/+' && (row[1] === 'buffers/cache:' || row[1] === 'buffers:');
}

/**
 * The latest Mem: row under a free header, with its header (free -s N -c N prints a block per
 * interval: the last is now); undefined when the lines hold none. Also tells the kind from a
 * text's signature (detect.ts), so the two cannot disagree.
 */
export function latestMemBlock(all: readonly string[]): MemBlock | undefined {
  let names: readonly string[] | undefined;
  let current: MemBlock | undefined;
  let latest: MemBlock | undefined;
  for (const line of all) {
    const row = cells(line);
    if (isHeader(row)) {
      names = row;
      current = undefined;
    } else if (names !== undefined && row[0] === 'Mem:') {
      current = { names, values: row.slice(1) };
      latest = current;
    } else if (current !== undefined && isBuffersCacheLine(row)) {
      current.buffersCacheFree = row[3];
    }
  }
  return latest;
}

// "24105", "5.1Gi", "8.7Mi", "0B", "23.5G"; a decimal comma where the locale's LC_NUMERIC has one.
// free prints no thousands separators, so a comma is always the decimal point.
const SIZE = /^(\d+(?:[.,]\d+)?)(B|[KMGTP]i?)?$/;
/** Each unit letter's power of 1024, by its place: B is 1024^0, K 1024^1, ... */
const UNIT_LETTERS = 'BKMGTP';

/**
 * A cell as a number of free's unit: a plain number (whatever the unit flag, total and available
 * share it), or -h's size with its suffix. Older procps-ng and busybox print K, M, G for powers
 * of 1024 as Ki, Mi, Gi do; --si prints the same letters for powers of 1000, which reads
 * differently only when total and available carry different letters (by 2.4% per letter).
 */
function size(cell: string | undefined): number | undefined {
  const match = SIZE.exec(cell ?? '');
  const value = toNumber(match?.[1]?.replace(',', '.'));
  if (!match || value === undefined) return undefined;
  return value * 1024 ** UNIT_LETTERS.indexOf(match[2]?.charAt(0) || 'B');
}

/** Columns that hold caches the kernel can reclaim, when the header has no `available`. */
const CACHE_COLUMNS = ['buffers', 'cached', 'buff/cache'];

/**
 * Available memory: the free column of the `-/+ buffers/cache:` line, which procps 3.3.9 and
 * earlier and old busybox print for want of an `available` column, and busybox prints on
 * kernels before 3.14 (no MemAvailable), where its `available` column reads 0; else the
 * `available` column; else free plus the cache columns there are. undefined when a cell it
 * needs is not a size.
 */
function availableSize(block: MemBlock, column: (name: string) => number | undefined): number | undefined {
  if (block.buffersCacheFree !== undefined) return size(block.buffersCacheFree);
  if (block.names.includes('available')) return column('available');
  let sum = 0;
  for (const name of ['free', ...CACHE_COLUMNS.filter((name) => block.names.includes(name))]) {
    const value = column(name);
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}

const EXPECTED =
  'output of `free -m` (procps-ng, old procps or busybox, any unit, -h, -w, -t, -l, -s/-c): the header "total used free shared ..." and a Mem: row under it';

export const freeParser: ArtifactParser = {
  kind: 'free',
  describe:
    'free -m (procps-ng, old procps or busybox; any unit flag, -h sizes with a decimal point or comma, -w, -t, -l, --si; of -s/-c blocks the last): ' +
    'host.mem_available_pct (available / total; available is the free column of a "-/+ buffers/cache:" or busybox\'s "-/+ buffers:" line where there is one ' +
    '(procps 3.3.9 and earlier, old busybox, busybox on kernels before 3.14), else the available column, else free + buffers + cached); ' +
    'Swap: gives no fact (swap in use is not swapping)',
  parse(text) {
    const block = latestMemBlock(artifactLines(text));
    if (block === undefined) throw notRecognised('free', EXPECTED);
    if (block.values.length !== block.names.length) {
      throw notRecognised('free', EXPECTED, `a Mem: row of ${block.values.length} cells under a header of ${block.names.length} columns`);
    }
    const column = (name: string) => size(block.values[block.names.indexOf(name)]);
    const total = column('total');
    const available = availableSize(block, column);
    if (total === undefined || total === 0) throw notRecognised('free', EXPECTED, 'a Mem: row whose total is not a size above 0');
    if (available === undefined) throw notRecognised('free', EXPECTED, 'a Mem: row without a size for the available memory');
    if (available > total) throw notRecognised('free', EXPECTED, 'a Mem: row with more memory available than in total');
    return definedFacts({ 'host.mem_available_pct': percent(available, total) });
  },
};
