/**
 * Pure readers of Linux /proc text, one per file format, so the host probe's arithmetic can be
 * tested on captured snapshots.
 */
import { openFilesSoftLimit } from '../parsers/fd-count.js';
import { cells, lines, toNumber } from '../parsers/text.js';

/** Cumulative CPU time from the "cpu " line of /proc/stat, in ticks, and the CPU count. */
export interface CpuTimes {
  total: number;
  idle: number;
  iowait: number;
  steal: number;
  cpus: number;
}

export function readCpuTimes(procStat: string): CpuTimes | undefined {
  const all = lines(procStat);
  const fields = all.find((line) => line.startsWith('cpu '))?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 4) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already
  // counted in user and nice, so only the first eight make the total.
  const [, , , idle = 0, iowait = 0, , , steal = 0] = fields;
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { total, idle, iowait, steal, cpus: all.filter((line) => /^cpu\d+ /.test(line)).length };
}

/** The busy shares between two /proc/stat samples, in percent. */
export function cpuSharesBetween(before: CpuTimes, after: CpuTimes): { idle: number; iowait: number; steal: number } | undefined {
  const total = after.total - before.total;
  if (total <= 0) return undefined;
  const share = (key: 'idle' | 'iowait' | 'steal') => ((after[key] - before[key]) / total) * 100;
  return { idle: share('idle'), iowait: share('iowait'), steal: share('steal') };
}

export interface ProcessStat {
  pid: number;
  comm: string;
  /** Its state (R, S, D, Z zombie, X dead, ...). */
  state: string;
  ppid: number;
  kernelThread: boolean;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** When the process started, in clock ticks since boot (starttime); undefined on a line cut short of it. */
  startTicks: number | undefined;
}

/** PF_KTHREAD in the flags field of /proc/PID/stat. */
const PF_KTHREAD = 0x00200000;

/** /proc/PID/stat: "pid (comm) state ppid ...": comm may hold spaces and parentheses. */
export function readProcessStat(text: string): ProcessStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // Fields after comm, counted from "state" (field 3 in proc(5)).
  const field = (n: number) => Number(rest[n - 3]);
  const pid = Number(text.slice(0, open).trim());
  if (!Number.isInteger(pid) || rest.length < 15) return undefined;
  return { pid, comm: text.slice(open + 1, close), state: rest[0] as string, ppid: field(4), kernelThread: (field(9) & PF_KTHREAD) !== 0, cpuTicks: field(14) + field(15), startTicks: rest.length >= 20 ? field(22) : undefined };
}

/** /proc/meminfo MemAvailable as a share of MemTotal. */
export function readMemAvailablePct(meminfo: string): number | undefined {
  const value = (key: string) => toNumber(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1]);
  const total = value('MemTotal');
  const available = value('MemAvailable');
  return total && available !== undefined ? (available / total) * 100 : undefined;
}

/**
 * /proc/net/snmp and /proc/net/netstat: pairs of "Tcp: Name1 Name2" / "Tcp: 1 2" lines, read
 * into nstat's names ("TcpOutSegs", "TcpExtListenOverflows").
 */
export function readSnmpCounters(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  const all = lines(text);
  for (let i = 0; i + 1 < all.length; i++) {
    const [prefix, ...names] = cells(all[i] ?? '');
    const [valuePrefix, ...values] = cells(all[i + 1] ?? '');
    if (prefix === undefined || prefix !== valuePrefix || !prefix.endsWith(':') || !/^-?\d+$/.test(values[0] ?? '')) continue;
    names.forEach((name, n) => counters.set(`${prefix.slice(0, -1)}${name}`, Number(values[n])));
    i++;
  }
  return counters;
}

/** /proc/net/tcp{,6}: sockets per state, by the kernel's hex code (06 TIME_WAIT, 08 CLOSE_WAIT). */
export function countTcpStates(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines(text).slice(1)) {
    const state = cells(line)[3];
    if (state !== undefined && /^[0-9A-F]{2}$/.test(state)) counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  return counts;
}

/** The soft "Max open files" limit from /proc/PID/limits; undefined when unlimited. */
export function readOpenFilesLimit(limits: string): number | undefined {
  for (const line of lines(limits)) {
    const soft = openFilesSoftLimit(line);
    if (soft !== undefined) return soft === 'unlimited' ? undefined : soft;
  }
  return undefined;
}

/** pswpin + pswpout from /proc/vmstat: pages swapped since boot. */
export function readSwappedPages(vmstat: string): number | undefined {
  const value = (key: string) => toNumber(new RegExp(`^${key} (\\d+)`, 'm').exec(vmstat)?.[1]);
  const swapIn = value('pswpin');
  const swapOut = value('pswpout');
  return swapIn === undefined || swapOut === undefined ? undefined : swapIn + swapOut;
}
