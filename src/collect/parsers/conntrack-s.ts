import { notRecognised, type ArtifactParser } from './types.js';

const EXPECTED = 'output of `conntrack -S` ("cpu=0 found=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 ..." per CPU)';

export const conntrackSParser: ArtifactParser = {
  kind: 'conntrack-s',
  describe:
    'conntrack -S (counters since boot, per CPU, summed): kernel.conntrack_insert_failed when insert_failed > 0, ' +
    'kernel.conntrack_full when early_drop > 0 or drop exceeds insert_failed (new flows dropped for a full table)',
  parse(text) {
    const totals = new Map<string, number>();
    let cpuLines = 0;
    for (const line of text.split(/\r?\n/)) {
      if (!/^\s*cpu=\d+\s/.test(line)) continue;
      cpuLines++;
      for (const match of line.matchAll(/(\w+)=(\d+)/g)) totals.set(match[1] ?? '', (totals.get(match[1] ?? '') ?? 0) + Number(match[2]));
    }
    if (cpuLines === 0 || !totals.has('insert_failed')) throw notRecognised('conntrack-s', EXPECTED);
    const insertFailed = totals.get('insert_failed') ?? 0;
    // A lost insert race (the SNAT clash) also counts a drop, so only drops beyond the failed
    // inserts, or early drops (evictions the kernel makes only when the table is full), mean full.
    const full = (totals.get('early_drop') ?? 0) > 0 || (totals.get('drop') ?? 0) > insertFailed;
    return { 'kernel.conntrack_insert_failed': insertFailed > 0, 'kernel.conntrack_full': full };
  },
};
