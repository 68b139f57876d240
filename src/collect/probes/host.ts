import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuShareFacts, loadPerCpu } from '../cpu-facts.js';
import { appCpuPct, descendantsOf, processName, processRole, type ProcessNaming } from '../process-tree.js';
import type { ParsedFacts } from '../parsers/types.js';
import { definedFacts, round, toNumber } from '../parsers/text.js';
import { MIN_WINDOW_SEGMENTS, tcpCounterFacts } from '../tcp-counters.js';
import { errorCode, found, type ProbeOutcome, type SkippedProbe } from './outcome.js';
import {
  countTcpStates,
  cpuSharesBetween,
  readCpuTimes,
  readMemAvailablePct,
  readOpenFilesLimit,
  readProcessStat,
  readSnmpCounters,
  readSwappedPages,
  type CpuTimes,
  type ProcessStat,
} from './proc.js';

export interface HostOptions {
  /** The application's main pid (--pid): its role, CPU and descriptors. */
  appPid?: number;
  /** Time between the two samples that rates and shares are computed over. */
  intervalMs: number;
  procRoot?: string;
  /** Processes of rca itself (and its children, such as ping) are not candidates for the busiest. */
  selfPid?: number;
  /** proc.top_name as the program (the default) or the whole command line. */
  processNaming?: ProcessNaming;
}

/**
 * Linux reports process CPU time in USER_HZ ticks, which the kernel fixes at 100 for user
 * space on every mainstream architecture (sysconf(_SC_CLK_TCK) is not reachable from Node).
 */
const USER_HZ = 100;

interface HostSample {
  cpu?: CpuTimes;
  processes: Map<number, ProcessStat>;
  counters: Map<string, number>;
  swappedPages?: number;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function readProcesses(procRoot: string): Promise<Map<number, ProcessStat>> {
  const processes = new Map<number, ProcessStat>();
  const pids = (await readdir(procRoot)).filter((name) => /^\d+$/.test(name));
  // A process may exit between readdir and read: it is simply left out.
  const stats = await Promise.all(pids.map((pid) => readText(join(procRoot, pid, 'stat'))));
  for (const text of stats) {
    const stat = text === undefined ? undefined : readProcessStat(text);
    if (stat) processes.set(stat.pid, stat);
  }
  return processes;
}

async function sample(procRoot: string): Promise<HostSample> {
  const [stat, processes, snmp, netstat, vmstat] = await Promise.all([
    readText(join(procRoot, 'stat')),
    readProcesses(procRoot),
    readText(join(procRoot, 'net', 'snmp')),
    readText(join(procRoot, 'net', 'netstat')),
    readText(join(procRoot, 'vmstat')),
  ]);
  return {
    cpu: stat === undefined ? undefined : readCpuTimes(stat),
    processes,
    counters: readSnmpCounters(`${snmp ?? ''}\n${netstat ?? ''}`),
    swappedPages: vmstat === undefined ? undefined : readSwappedPages(vmstat),
  };
}

/** CPU% per process over the window (100 = one full CPU, as top shows it). */
function processCpu(before: HostSample, after: HostSample, intervalMs: number): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const [pid, now] of after.processes) {
    const then = before.processes.get(pid);
    if (then) cpu.set(pid, ((now.cpuTicks - then.cpuTicks) / USER_HZ / (intervalMs / 1000)) * 100);
  }
  return cpu;
}

/** The command line as top -c shows it (arguments joined by spaces), else the short name. */
async function commandLine(procRoot: string, stat: ProcessStat): Promise<string> {
  const cmdline = (await readText(join(procRoot, String(stat.pid), 'cmdline')))?.replace(/\0+$/, '').replace(/\0/g, ' ').trim();
  return cmdline || stat.comm;
}

type ResolvedHostOptions = HostOptions & Required<Pick<HostOptions, 'procRoot' | 'selfPid' | 'processNaming'>>;

/** The busiest process (rca and its children left out) and the app's share. */
async function processFacts(before: HostSample, after: HostSample, { appPid, selfPid, procRoot, intervalMs, processNaming }: ResolvedHostOptions): Promise<ParsedFacts> {
  const cpu = processCpu(before, after, intervalMs);
  const parents = new Map([...after.processes].map(([pid, stat]) => [pid, stat.ppid]));
  const ownChildren = descendantsOf(selfPid, parents);
  const appDescendants = appPid === undefined ? new Set<number>() : descendantsOf(appPid, parents);
  const candidates = [...cpu].filter(([pid]) => pid !== selfPid && !ownChildren.has(pid));
  const [topPid, topCpu] = candidates.reduce<[number, number] | [undefined, number]>((best, entry) => (entry[1] > best[1] ? entry : best), [undefined, 0]);
  const top = topPid === undefined ? undefined : after.processes.get(topPid);
  return definedFacts({
    'proc.top_pid': top?.pid,
    'proc.top_name': top && (top.kernelThread ? top.comm : processName(await commandLine(procRoot, top), processNaming)),
    'proc.top_cpu_pct': top && round(topCpu),
    'proc.top_role': top && processRole(top.pid, top.kernelThread, appPid, appDescendants),
    'proc.app_cpu_pct': appPid !== undefined && cpu.has(appPid) ? round(appCpuPct(cpu, appPid, appDescendants)) : undefined,
  });
}

function kernelCounterFacts(before: HostSample, after: HostSample): { facts: ParsedFacts; skipped: SkippedProbe[] } {
  const delta = (name: string) => {
    const now = after.counters.get(name);
    const then = before.counters.get(name);
    return now === undefined || then === undefined ? undefined : now - then;
  };
  const outSegs = delta('TcpOutSegs');
  const retransSegs = delta('TcpRetransSegs');
  const enoughTraffic = outSegs !== undefined && retransSegs !== undefined && outSegs + retransSegs >= MIN_WINDOW_SEGMENTS;
  // Counters since boot would blame today for an overflow months ago: only the window counts.
  const facts = tcpCounterFacts({
    ...(enoughTraffic && { outSegs, retransSegs }),
    listenOverflows: delta('TcpExtListenOverflows'),
    listenDrops: delta('TcpExtListenDrops'),
  });
  const skipped = enoughTraffic || outSegs === undefined ? [] : [{ probe: 'host', reason: `tcp.retransmit_pct: only ${outSegs + (retransSegs ?? 0)} TCP segments sent in the window` }];
  return { facts, skipped };
}

async function socketStateFacts(procRoot: string): Promise<ParsedFacts> {
  const tables = await Promise.all(['tcp', 'tcp6'].map((file) => readText(join(procRoot, 'net', file))));
  if (tables.every((table) => table === undefined)) return {};
  const counts = tables.map((table) => countTcpStates(table ?? ''));
  const total = (state: string) => counts.reduce((sum, c) => sum + (c.get(state) ?? 0), 0);
  return { 'kernel.time_wait_count': total('06'), 'tcp.close_wait_count': total('08') };
}

async function conntrackFacts(procRoot: string): Promise<{ facts: ParsedFacts; skipped: SkippedProbe[] }> {
  const dir = join(procRoot, 'sys', 'net', 'netfilter');
  const [count, max] = await Promise.all([readText(join(dir, 'nf_conntrack_count')), readText(join(dir, 'nf_conntrack_max'))]);
  const used = toNumber(count);
  const limit = toNumber(max);
  if (used === undefined || limit === undefined || limit <= 0) return { facts: {}, skipped: [{ probe: 'host', reason: 'kernel.conntrack_full: no readable nf_conntrack_count / nf_conntrack_max (conntrack not loaded?)' }] };
  return { facts: { 'kernel.conntrack_full': used >= limit }, skipped: [] };
}

async function descriptorFacts(procRoot: string, appPid: number): Promise<{ facts: ParsedFacts; skipped: SkippedProbe[] }> {
  try {
    const [descriptors, limits] = await Promise.all([readdir(join(procRoot, String(appPid), 'fd')), readFile(join(procRoot, String(appPid), 'limits'), 'utf8')]);
    const limit = readOpenFilesLimit(limits);
    if (limit === undefined || limit <= 0) return { facts: {}, skipped: [{ probe: 'host', reason: `proc.fd_used_pct: pid ${appPid} has no open-files limit` }] };
    return { facts: { 'proc.fd_used_pct': round(Math.min(100, (descriptors.length / limit) * 100)) }, skipped: [] };
  } catch (error) {
    return { facts: {}, skipped: [{ probe: 'host', reason: `proc.fd_used_pct: cannot read /proc/${appPid}/fd (${errorCode(error)})` }] };
  }
}

/**
 * Facts about this machine from /proc, over two samples `intervalMs` apart: CPU shares, load,
 * memory, swapping, the busiest process, TCP counters and socket states, conntrack, and the
 * app's descriptors. Needs no root: what cannot be read is skipped and said so.
 */
export async function probeHost({ appPid, intervalMs, procRoot = '/proc', selfPid = process.pid, processNaming = 'program' }: HostOptions): Promise<ProbeOutcome> {
  const before = await sample(procRoot);
  await sleep(intervalMs);
  const after = await sample(procRoot);
  const skipped: SkippedProbe[] = [];
  const facts: ParsedFacts = {};
  const shares = before.cpu && after.cpu ? cpuSharesBetween(before.cpu, after.cpu) : undefined;
  if (shares) Object.assign(facts, cpuShareFacts(shares));
  const load = loadPerCpu(toNumber((await readText(join(procRoot, 'loadavg')))?.split(' ')[0]), after.cpu?.cpus);
  if (load !== undefined) facts['host.load_per_cpu'] = load;
  const memory = readMemAvailablePct((await readText(join(procRoot, 'meminfo'))) ?? '');
  if (memory !== undefined) facts['host.mem_available_pct'] = round(memory);
  if (before.swappedPages !== undefined && after.swappedPages !== undefined) facts['host.swapping'] = after.swappedPages > before.swappedPages;
  if (appPid !== undefined) {
    if (!after.processes.has(appPid)) skipped.push({ probe: 'host', reason: `--pid ${appPid}: no such process` });
    else facts['proc.app_pid'] = appPid;
  }
  Object.assign(facts, await processFacts(before, after, { appPid, selfPid, procRoot, intervalMs, processNaming }));
  const counters = kernelCounterFacts(before, after);
  const conntrack = await conntrackFacts(procRoot);
  const descriptors = appPid !== undefined && after.processes.has(appPid) ? await descriptorFacts(procRoot, appPid) : { facts: {}, skipped: [] };
  Object.assign(facts, counters.facts, await socketStateFacts(procRoot), conntrack.facts, descriptors.facts);
  return found(facts, [...skipped, ...counters.skipped, ...conntrack.skipped, ...descriptors.skipped]);
}
