import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells, definedFacts } from './text.js';

const EXPECTED = 'output of `conntrack -S` ("cpu=0 found=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 ..." per CPU)';
const COUNTER = /^(\w+)=(\d+)$/;

/** A "cpu=N key=N ..." line's counters; undefined for any line with a cell of another shape. */
function cpuCounters(line: string): Array<[string, number]> | undefined {
  if (!/^\s*cpu=\d+\s/.test(line)) return undefined;
  const counters: Array<[string, number]> = [];
  for (const cell of cells(line)) {
    const match = COUNTER.exec(cell);
    if (!match) return undefined;
    counters.push([match[1] ?? '', Number(match[2])]);
  }
  return counters;
}

export const conntrackSParser: ArtifactParser = {
  kind: 'conntrack-s',
  describe:
    'conntrack -S (counters since boot, per CPU, summed): kernel.conntrack_insert_failed when insert_failed > 0, ' +
    'kernel.conntrack_full when early_drop > 0 or drop exceeds insert_failed (new flows dropped for a full table)',
  parse(text) {
    const totals = new Map<string, number>();
    let cpuLines = 0;
    for (const line of artifactLines(text)) {
      const counters = cpuCounters(line);
      if (counters === undefined) continue;
      cpuLines++;
      for (const [name, value] of counters) totals.set(name, (totals.get(name) ?? 0) + value);
    }
    if (cpuLines === 0 || !totals.has('insert_failed')) throw notRecognised('conntrack-s', EXPECTED);
    const insertFailed = totals.get('insert_failed') ?? 0;
    const drop = totals.get('drop');
    const earlyDrop = totals.get('early_drop');
    // A lost insert race (the SNAT clash) also counts a drop, so only drops beyond the failed
    // inserts, or early drops (evictions the kernel makes only when the table is full), mean full.
    // Every kernel prints both counters: without them the table's state is unknown.
    const full = drop === undefined || earlyDrop === undefined ? undefined : earlyDrop > 0 || drop > insertFailed;
    return definedFacts({ 'kernel.conntrack_insert_failed': insertFailed > 0, 'kernel.conntrack_full': full });
  },
};
