import { cpuShareFacts } from '../cpu-facts.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells, mean, round } from './text.js';

// " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st" (-w and
// newer versions add a "gu" column; the names, not positions, are used).
function isHeader(line: string): boolean {
  const names = cells(line);
  if (names[0] !== 'r' || names[1] !== 'b' || names[2] !== 'swpd') return false;
  const siAt = names.indexOf('si', 3);
  return siAt >= 0 && names[siAt + 1] === 'so' && names.includes('id', siAt + 2);
}
const EXPECTED = 'output of `vmstat 1 5` (the column header with r b swpd ... si so ... us sy id wa st, then samples)';

export const vmstatParser: ArtifactParser = {
  kind: 'vmstat',
  describe:
    'vmstat 1 5: host.cpu_pct, host.iowait_pct, host.cpu_steal_pct, host.cpu_sys_pct, host.blocked_tasks (the b column: tasks blocked waiting for I/O, a count, not per CPU; ' +
    'the mean of the samples) and host.swapping (si/so > 0); the first line, the average since boot, is skipped',
  parse(text) {
    const all = artifactLines(text);
    const start = all.findIndex(isHeader);
    if (start < 0) throw notRecognised('vmstat', EXPECTED);
    const names = cells(all[start] ?? '');
    const samples: Array<Map<string, number>> = [];
    for (const line of all.slice(start + 1)) {
      const values = cells(line);
      if (values.length !== names.length || !values.every((v) => /^\d+$/.test(v))) break;
      samples.push(new Map(names.map((name, i) => [name, Number(values[i])])));
    }
    // The first row averages everything since boot, so it says nothing about now.
    const current = samples.slice(1);
    if (current.length === 0) throw notRecognised('vmstat', EXPECTED, samples.length === 1 ? 'only the since-boot line (give an interval: vmstat 1 5)' : 'no samples');
    const column = (name: string) => (names.includes(name) ? mean(current.map((s) => s.get(name) ?? 0)) : undefined);
    return {
      // vmstat's `si` is swap-in, not softirq: vmstat has no softirq column.
      ...cpuShareFacts({ idle: column('id') ?? 0, iowait: column('wa'), steal: column('st'), system: column('sy') }),
      'host.swapping': current.some((s) => (s.get('si') ?? 0) > 0 || (s.get('so') ?? 0) > 0),
      // A count, not per CPU: vmstat prints no CPU count, and each blocked task is a thread waiting
      // on I/O whatever the number of CPUs. Busy CPUs hide them from wa, never from b.
      'host.blocked_tasks': round(column('b') ?? 0),
    };
  },
};
