import { risingSinceBoot } from './since-boot.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells, definedFacts } from './text.js';

const EXPECTED = 'output of `conntrack -S` ("cpu=0 found=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 ..." per CPU), once or twice a minute apart';
const COUNTER = /^(\w+)=(\d+)$/;

/** A "cpu=N key=N ..." line's CPU and counters; undefined for any line with a cell of another shape. */
function cpuCounters(line: string): { cpu: number; counters: Array<[string, number]> } | undefined {
  if (!/^\s*cpu=\d+\s/.test(line)) return undefined;
  const counters: Array<[string, number]> = [];
  for (const cell of cells(line)) {
    const match = COUNTER.exec(cell);
    if (!match) return undefined;
    counters.push([match[1] ?? '', Number(match[2])]);
  }
  return { cpu: counters[0]?.[1] ?? 0, counters };
}

/**
 * Each run of `conntrack -S` in the text, its counters summed over the CPUs. A run lists the CPUs
 * in rising order, so a CPU number that does not rise starts the next run
 * (`conntrack -S; sleep 60; conntrack -S`).
 */
function snapshots(text: string): Array<Map<string, number>> {
  const runs: Array<Map<string, number>> = [];
  let lastCpu = Infinity;
  for (const line of artifactLines(text)) {
    const read = cpuCounters(line);
    if (read === undefined) continue;
    if (read.cpu <= lastCpu) runs.push(new Map());
    lastCpu = read.cpu;
    const totals = runs[runs.length - 1] as Map<string, number>;
    for (const [name, value] of read.counters) totals.set(name, (totals.get(name) ?? 0) + value);
  }
  return runs;
}

export const conntrackSParser: ArtifactParser = {
  kind: 'conntrack-s',
  describe:
    'conntrack -S; sleep 60; conntrack -S (counters since boot, per CPU, summed): kernel.conntrack_insert_failed when insert_failed rose ' +
    'from the first run to the last (one run: false only when it is 0, else unknown, with a warning), kernel.conntrack_full when the last ' +
    'run shows early_drop > 0 or drop above insert_failed (new flows dropped for a full table)',
  parse(text, context) {
    const runs = snapshots(text);
    const first = runs[0];
    const last = runs[runs.length - 1];
    if (first === undefined || last === undefined || !runs.every((run) => run.has('insert_failed'))) throw notRecognised('conntrack-s', EXPECTED);
    const rising = risingSinceBoot(
      { fact: 'kernel.conntrack_insert_failed', name: 'insert_failed', runs: runs.map((run) => run.get('insert_failed') ?? 0), tool: 'conntrack -S', twice: 'a minute apart (conntrack -S; sleep 60; conntrack -S)' },
      context?.warn,
    );
    const insertFailed = last.get('insert_failed') ?? 0;
    const drop = last.get('drop');
    const earlyDrop = last.get('early_drop');
    // A lost insert race (the SNAT clash) also counts a drop, so only drops beyond the failed
    // inserts, or early drops (evictions the kernel makes only when the table is full), mean full.
    // Every kernel prints both counters: without them the table's state is unknown.
    const full = drop === undefined || earlyDrop === undefined ? undefined : earlyDrop > 0 || drop > insertFailed;
    return definedFacts({ 'kernel.conntrack_insert_failed': rising, 'kernel.conntrack_full': full });
  },
};
