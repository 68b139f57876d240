import { cpuShareFacts, meanSoftirqWarning } from '../cpu-facts.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells, mean, toNumber } from './text.js';

// "18:07:58     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  %gnice   %idle"
function isHeader(names: readonly string[]): boolean {
  const cpuAt = names.indexOf('CPU');
  return cpuAt >= 0 && names[cpuAt + 1] === '%usr' && names.includes('%idle', cpuAt + 2);
}
const EXPECTED = 'output of `mpstat 1 5` or `mpstat -P ALL 1 1` (sysstat), with an interval';
// sysstat's first line: "Linux 6.8.0 (host) \t12/03/26 \t_x86_64_\t(8 CPU)". Looked for in the head
// only, where mpstat prints it, so a pasted artifact is read once.
const CPU_COUNT = /\((\d{1,6}) CPU\)/;
const HEAD_CHARS = 512;

interface CpuRow {
  /** "all", or the CPU's number (mpstat -P ALL). */
  cpu: string;
  average: boolean;
  shares: Map<string, number>;
}

/** A header's columns, read once: every row under it is checked against them. */
interface Header {
  width: number;
  cpuAt: number;
  percentColumns: Array<[name: string, at: number]>;
}

function readHeader(names: readonly string[]): Header {
  const percentColumns: Header['percentColumns'] = [];
  names.forEach((name, at) => {
    if (name.startsWith('%')) percentColumns.push([name, at]);
  });
  return { width: names.length, cpuAt: names.indexOf('CPU'), percentColumns };
}

function readCpuRows(text: string): CpuRow[] {
  const rows: CpuRow[] = [];
  let header: Header | undefined;
  for (const line of artifactLines(text)) {
    const values = cells(line);
    if (isHeader(values)) {
      header = readHeader(values);
      continue;
    }
    // A row of mpstat's has a number under every % column, so a line with fewer cells is none of
    // its rows; checked first, so a short line costs its own length, not the header's width.
    if (header === undefined || values.length <= header.percentColumns.length) continue;
    // A row lines up with its header; its time stamp may be "18:07:59", "06:07:59 PM" or
    // "Average:", so it has one cell more or less than the header's, never more apart.
    const offset = values.length - header.width;
    if (Math.abs(offset) > 1) continue;
    const cpu = values[header.cpuAt + offset] ?? '';
    if (cpu !== 'all' && !/^\d+$/.test(cpu)) continue;
    const shares = new Map<string, number>();
    for (const [name, at] of header.percentColumns) {
      const value = toNumber(values[at + offset]);
      if (value === undefined) break;
      shares.set(name, value);
    }
    if (shares.size === header.percentColumns.length) rows.push({ cpu, average: values[0] === 'Average:', shares });
  }
  return rows;
}

export const mpstatParser: ArtifactParser = {
  kind: 'mpstat',
  describe:
    'mpstat 1 5 (or -P ALL): host.cpu_pct, host.iowait_pct, host.cpu_steal_pct, host.cpu_sys_pct from the "all" Average line (else the mean of the samples); ' +
    'host.cpu_softirq_pct from the busiest CPU with -P ALL, else from "all" only on a host of one CPU (the header\'s "(1 CPU)")',
  parse(text, context) {
    const all = readCpuRows(text);
    const rows = all.filter((row) => row.cpu === 'all');
    const averages = rows.filter((row) => row.average);
    // Without an interval mpstat prints one since-boot line and no Average: nothing about now.
    if (averages.length === 0 && rows.length < 2) throw notRecognised('mpstat', EXPECTED, rows.length === 1 ? 'one since-boot line without an interval' : undefined);
    const used = averages.length > 0 ? averages : rows;
    const share = (name: string) => mean(used.flatMap((row) => (row.shares.has(name) ? [row.shares.get(name) ?? 0] : [])));
    // Each CPU's softirq share over the run (its Average line, else the mean of its samples); the busiest counts.
    const perCpu = new Map<string, { average?: number; samples: number[] }>();
    for (const row of all) {
      const soft = row.shares.get('%soft');
      if (row.cpu === 'all' || soft === undefined) continue;
      const entry = perCpu.get(row.cpu) ?? { samples: [] };
      if (row.average) entry.average = soft;
      else entry.samples.push(soft);
      perCpu.set(row.cpu, entry);
    }
    let busiest: number | undefined;
    for (const { average, samples } of perCpu.values()) {
      const soft = average ?? mean(samples);
      if (soft !== undefined && (busiest === undefined || soft > busiest)) busiest = soft;
    }
    // The fact is the busiest CPU's share: "all" is the mean of every CPU, which reads low while one
    // core drowns in a NIC's softirqs, so it stands for the busiest only on a host of one CPU.
    const cpus = toNumber(CPU_COUNT.exec(text.slice(0, HEAD_CHARS))?.[1]);
    const meanSoftirq = share('%soft');
    const softirq = busiest ?? (cpus === 1 ? meanSoftirq : undefined);
    const unread = softirq === undefined ? meanSoftirqWarning('"all" line\'s %soft', meanSoftirq, cpus, 'mpstat -P ALL 1 5') : undefined;
    if (unread) context?.warn?.(unread);
    return cpuShareFacts({ idle: share('%idle') ?? 0, iowait: share('%iowait'), steal: share('%steal'), system: share('%sys'), softirq });
  },
};
