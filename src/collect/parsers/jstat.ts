import { notRecognised, type ArtifactParser, type ParseContext } from './types.js';
import { annotation, artifactLines, cells, clampPercent, toNumber } from './text.js';

const EXPECTED =
  'output of `jstat -gcutil [-t] PID INTERVAL COUNT` (the header S0 S1 E O ... YGC YGCT FGC FGCT [CGC CGCT] GCT, then at least two samples)';

/** What jstat -gcutil prints in every JDK (JDK 9+ adds CGC CGCT before GCT; JDK 7 has P where 8+ has M CCS). */
const REQUIRED_COLUMNS = ['S0', 'S1', 'E', 'O', 'YGC', 'YGCT', 'FGC', 'FGCT', 'GCT'];

/** The interval the suggested command samples at, taken when the text does not say (with a warning). */
const ASSUMED_INTERVAL_MS = 1000;

/** jstat -gcutil's column header (with -t's Timestamp first): its signature too. */
export function isJstatHeader(line: string): boolean {
  return isHeader(cells(line));
}

function isHeader(names: readonly string[]): boolean {
  const columns = names[0] === 'Timestamp' ? names.slice(1) : names;
  return columns[0] === 'S0' && columns[columns.length - 1] === 'GCT' && REQUIRED_COLUMNS.every((name) => columns.includes(name));
}

/** A sample row: as many cells as the header, each a number or jstat's "-" (a collector without that counter). */
function sampleRow(line: string, width: number): Array<number | undefined> | undefined {
  const values = cells(line);
  if (values.length !== width) return undefined;
  const row = values.map((cell) => (cell === '-' ? undefined : toNumber(cell)));
  return values.every((cell, i) => cell === '-' || row[i] !== undefined) ? row : undefined;
}

/**
 * The sampling interval a pasted command line gives (`$ jstat -gcutil 4242 1000 10`, `jstat -gcutil
 * -h5 4242 1s 10`): jstat's interval is in milliseconds unless it ends in s.
 */
function commandInterval(all: readonly string[]): number | undefined {
  for (const line of all) {
    const words = cells(line.replace(/^\s*[$#>]\s*/, ''));
    const at = words.indexOf('jstat');
    if (at < 0) continue;
    const operands = words.slice(at + 1).filter((word) => !word.startsWith('-'));
    const interval = /^(\d+)(ms|s)?$/.exec(operands[1] ?? '');
    if (!interval) continue;
    const value = Number(interval[1]) * (interval[2] === 's' ? 1000 : 1);
    if (value > 0) return value;
  }
  return undefined;
}

/** The seconds the samples span: jstat -t's timestamps, else (samples - 1) intervals as the text says or as assumed. */
function sampledSeconds(first: Array<number | undefined>, last: Array<number | undefined>, samples: number, timestamped: boolean, all: readonly string[], context: ParseContext | undefined): number {
  if (timestamped) {
    const span = (last[0] ?? 0) - (first[0] ?? 0);
    if (span > 0) return span;
    throw notRecognised('jstat', EXPECTED, `timestamps that do not rise (${first[0] ?? '-'} to ${last[0] ?? '-'} s)`);
  }
  const annotated = toNumber(annotation(all, 'interval_ms'));
  const intervalMs = (annotated !== undefined && annotated > 0 ? annotated : undefined) ?? commandInterval(all);
  if (intervalMs !== undefined) return ((samples - 1) * intervalMs) / 1000;
  context?.warn?.({
    field: 'app.gc_time_pct',
    message: `jstat's output does not say how far apart its samples are: took ${ASSUMED_INTERVAL_MS} ms, as in jstat -gcutil PID 1000 10; jstat -gcutil -t PID 1000 10 prints the timestamps (or add a line "# interval_ms: N")`,
  });
  return ((samples - 1) * ASSUMED_INTERVAL_MS) / 1000;
}

export const jstatParser: ArtifactParser = {
  kind: 'jstat',
  describe:
    'jstat -gcutil -t PID 1000 10 (JDK 8 and later, -t and -h optional): app.gc_time_pct, the rise of GCT (seconds in GC since the JVM started) ' +
    "from the first sample to the last over the seconds between them (-t's timestamps, else a line \"# interval_ms: N\" or the pasted command's interval, " +
    'else 1000 ms with a warning); jstat shows no single pause (the longest pause is in the GC log: rca parse gc-log)',
  parse(text, context) {
    const all = artifactLines(text);
    const start = all.findIndex((line) => isHeader(cells(line)));
    if (start < 0) throw notRecognised('jstat', EXPECTED);
    const names = cells(all[start] ?? '');
    const samples: Array<Array<number | undefined>> = [];
    // -h N repeats the header every N samples; anything else between samples (a prompt) is skipped.
    for (const line of all.slice(start + 1)) {
      const row = sampleRow(line, names.length);
      if (row) samples.push(row);
    }
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (first === undefined || last === undefined || samples.length < 2) {
      throw notRecognised('jstat', EXPECTED, samples.length === 1 ? 'one sample, whose GCT counts since the JVM started (give an interval and a count: jstat -gcutil -t PID 1000 10)' : 'a header without samples');
    }
    const gct = names.indexOf('GCT');
    const before = first[gct];
    const after = last[gct];
    if (before === undefined || after === undefined) throw notRecognised('jstat', EXPECTED, 'samples without a GCT value');
    if (after < before) throw notRecognised('jstat', EXPECTED, `GCT falling from ${before} to ${after} s between the first and the last sample (another JVM, or samples out of order)`);
    const seconds = sampledSeconds(first, last, samples.length, names[0] === 'Timestamp', all, context);
    return { 'app.gc_time_pct': clampPercent(((after - before) / seconds) * 100) };
  },
};
