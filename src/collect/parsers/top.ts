import { cpuShareFacts, loadPerCpu, meanSoftirqWarning } from '../cpu-facts.js';
import { appCpuPct, descendantsOf, processName, processRole, type ProcessNaming } from '../process-tree.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, cells, definedFacts, mean, numberAfter, percent, positiveAnnotation, round, toNumber } from './text.js';

interface TopProcess {
  pid: number;
  cpuPct: number;
  command: string;
}

// "%Cpu(s):  1.6 us,  0.8 sy,  0.0 ni, 97.6 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st"; with
// `top -1` one "%Cpu0  : ..." per CPU, several on a line when the terminal is wide. A block is
// read field by field with sticky patterns: one pattern repeating the fields would backtrack.
const CPU_LABEL = /%Cpu(\(s\)|\d+)\s*:/y;
const CPU_FIELD = /\s*([\d.]+)\s+([a-z]{2}),?/y;

interface CpuBlock {
  summary: boolean;
  fields: Map<string, number>;
}

/** The %Cpu blocks of one line: a label and at least one "VALUE xx" field. */
function cpuBlocks(line: string): CpuBlock[] {
  const blocks: CpuBlock[] = [];
  for (let at = line.indexOf('%Cpu'); at >= 0; at = line.indexOf('%Cpu', at + 1)) {
    CPU_LABEL.lastIndex = at;
    const label = CPU_LABEL.exec(line);
    if (!label) continue;
    const fields = new Map<string, number>();
    CPU_FIELD.lastIndex = CPU_LABEL.lastIndex;
    let end = CPU_FIELD.lastIndex;
    for (let field = CPU_FIELD.exec(line); field; field = CPU_FIELD.exec(line)) {
      const value = toNumber(field[1]);
      if (value !== undefined) fields.set(field[2] ?? '', value);
      end = CPU_FIELD.lastIndex;
    }
    if (fields.size === 0) continue;
    blocks.push({ summary: label[1] === '(s)', fields });
    at = end - 1;
  }
  return blocks;
}

/**
 * Whether CPU shares count a few clock ticks, every one a multiple of 100/N for some N up to 12
 * (to top's 0.1): what a %Cpu line covering milliseconds shows. A second on one CPU is 100 ticks
 * (USER_HZ), so a share measured over any interval top is run with is finer.
 */
function ofFewTicks(shares: readonly number[]): boolean {
  for (let ticks = 1; ticks <= 12; ticks++) {
    if (shares.every((share) => Math.abs(share - (Math.round((share * ticks) / 100) * 100) / ticks) <= 0.051)) return true;
  }
  return false;
}

/**
 * Host CPU shares: the %Cpu(s) line, or the mean of the per-CPU lines (top -1). Softirq is the
 * busiest CPU's, as the fact asks (one core can drown in a NIC's softirqs while the mean reads
 * low): from the per-CPU lines, or from the %Cpu(s) line only on a host of one CPU (`cpus`), where
 * the mean is that CPU's. Otherwise `meanSoftirq` is the mean the caller warns of.
 */
function readCpu(snapshot: readonly string[], cpus: number | undefined): { facts: ParsedFacts; perCpuLines: number; fewTicks: boolean; meanSoftirq?: number } {
  const summary: Map<string, number>[] = [];
  const perCpu: Map<string, number>[] = [];
  for (const block of snapshot.flatMap(cpuBlocks)) (block.summary ? summary : perCpu).push(block.fields);
  const source = summary.length > 0 ? summary : perCpu;
  const values = (lines: Map<string, number>[], key: string) => lines.flatMap((fields) => (fields.has(key) ? [fields.get(key) ?? 0] : []));
  const share = (key: string) => mean(values(source, key));
  const busiestSoftirq = values(perCpu, 'si');
  const idle = share('id');
  // reduce, not Math.max(...): a pasted artifact may hold more lines than a call takes arguments.
  const softirq = busiestSoftirq.length > 0 ? busiestSoftirq.reduce((a, b) => Math.max(a, b)) : cpus === 1 ? share('si') : undefined;
  const facts = idle === undefined ? {} : cpuShareFacts({ idle, iowait: share('wa'), steal: share('st'), system: share('sy'), softirq });
  const meanSoftirq = idle !== undefined && softirq === undefined ? share('si') : undefined;
  return { facts, perCpuLines: perCpu.length, fewTicks: [...summary, ...perCpu].every((fields) => ofFewTicks([...fields.values()])), ...(meanSoftirq !== undefined && { meanSoftirq }) };
}

/** "MiB Mem : 24105.6 total, ..." and "... 23678.9 avail Mem" (same unit on both lines). */
function memAvailablePct(snapshot: readonly string[]): number | undefined {
  const total = numberAfter(snapshot, /Mem\s*:\s*([\d.]+)\s+total/);
  const available = numberAfter(snapshot, /(?<![\d.])([\d.]+)\s+avail Mem/);
  return total !== undefined && available !== undefined ? percent(available, total) : undefined;
}

/** Rows of the table under the first line `isHeader` accepts; cells by header position. */
function readTable(all: readonly string[], isHeader: (line: string) => boolean): Array<Map<string, string>> {
  const start = all.findIndex(isHeader);
  if (start < 0) return [];
  const names = cells(all[start] ?? '');
  const commandAt = names.indexOf('COMMAND');
  const rows: Array<Map<string, string>> = [];
  for (const line of all.slice(start + 1)) {
    const values = cells(line);
    if (values.length < names.length || !/^\d+$/.test(values[0] ?? '')) break;
    const row = new Map(names.map((name, i) => [name, values[i] ?? '']));
    // The command (top -c: the whole command line) may hold spaces: it is the rest of the row.
    if (commandAt >= 0) row.set('COMMAND', values.slice(commandAt).join(' '));
    rows.push(row);
  }
  return rows;
}

/** "  PID USER ... %CPU ... COMMAND", with indexOf: a pattern with two `.*` backtracks on a long line. */
function isProcessHeader(line: string): boolean {
  const start = /^\s*PID\s+USER\b/.exec(line);
  const cpuAt = start ? line.indexOf('%CPU', start[0].length) : -1;
  return cpuAt >= 0 && line.indexOf('COMMAND', cpuAt + '%CPU'.length) >= 0;
}

function readProcesses(snapshot: readonly string[]): TopProcess[] {
  return readTable(snapshot, isProcessHeader).flatMap((row) => {
    const pid = toNumber(row.get('PID'));
    const cpuPct = toNumber(row.get('%CPU'));
    return pid !== undefined && cpuPct !== undefined ? [{ pid, cpuPct, command: row.get('COMMAND') ?? '' }] : [];
  });
}

/** Parent pids from a `ps -eo pid,ppid,pcpu,comm` section, when the capture has one. */
function readParents(all: readonly string[]): Map<number, number> {
  const parents = new Map<number, number>();
  for (const row of readTable(all, (line) => /^\s*PID\s+PPID\b/.test(line))) {
    const pid = toNumber(row.get('PID'));
    const ppid = toNumber(row.get('PPID'));
    if (pid !== undefined && ppid !== undefined) parents.set(pid, ppid);
  }
  return parents;
}

/**
 * top -c shows kernel threads in brackets: "[ksoftirqd/0]", "[kworker/0:1-events]", "[UVM global queu]". A kernel thread
 * has no arguments, only its name, which the kernel cuts to 15 characters (TASK_COMM_LEN): a longer bracketed command line
 * ("[sh -c mysql -pSECRET]", a process that rewrote its title) is named as any process is.
 */
const KERNEL_THREAD = /^\[([^\]]{1,15})\]$/;

/**
 * Below this share of one CPU (top's %CPU, 100 = one core) no process is the busiest. On an idle
 * host init (PID 1), a container's entrypoint, an agent and the app itself read 0 to 3% (top counts
 * clock ticks, USER_HZ 100 a second, so one tick over `-d 1` is 1%), and the first of equals is
 * whichever top lists first: lab 195 named PID 1 at 1.0%, tied with the app. A process using under
 * a twentieth of one core saturates nothing and explains no slowness on any host, whatever its
 * CPU count (a floor relative to the count would need it, and a plain top paste does not show it).
 * Naming one would send `strace -p 1` after a process that does nothing.
 */
const MIN_BUSIEST_CPU_PCT = 5;

/**
 * top marks a command it cut at the column's edge with a '+' ("process_a+" without -c, or a command
 * line past -w). A C++ compiler's own name ends in '++' (g++, clang++), which no cut ends in unless
 * the name had a '+' just there.
 */
const CUT_BY_TOP = /[^+]\+$/;

interface ProcessFacts {
  facts: ParsedFacts;
  /** proc.top_name as top cut it, when it did. */
  cutName?: string;
}

function processFacts(processes: readonly TopProcess[], appPid: number | undefined, parents: ReadonlyMap<number, number>, naming: ProcessNaming | undefined): ProcessFacts {
  if (processes.length === 0) return { facts: {} };
  const busiest = processes.reduce((a, b) => (b.cpuPct > a.cpuPct ? b : a));
  const appDescendants = appPid === undefined ? new Set<number>() : descendantsOf(appPid, parents);
  // The app's own CPU is only known when top lists the app itself; 0% is then worth saying.
  const appFacts = definedFacts({
    'proc.app_pid': appPid,
    'proc.app_cpu_pct':
      appPid !== undefined && processes.some((p) => p.pid === appPid) ? round(appCpuPct(processes.map((p) => [p.pid, p.cpuPct] as const), appPid, appDescendants)) : undefined,
  });
  if (busiest.cpuPct < MIN_BUSIEST_CPU_PCT) return { facts: appFacts };
  const kernelThread = KERNEL_THREAD.exec(busiest.command);
  // A kernel thread's name has no arguments: it is kept whole.
  const name = kernelThread ? processName(kernelThread[1] ?? '', 'command_line') : processName(busiest.command, naming);
  const facts = definedFacts({
    'proc.top_pid': busiest.pid,
    'proc.top_name': name,
    'proc.top_cpu_pct': round(busiest.cpuPct),
    'proc.top_role': processRole(busiest.pid, kernelThread !== null, appPid, appDescendants),
    ...appFacts,
  });
  // The name reaches the end of the row, where top cuts: with the program only, "node /srv/ap+" names node whole.
  return CUT_BY_TOP.test(name) && busiest.command.endsWith(name) ? { facts, cutName: name } : { facts };
}

const EXPECTED = 'output of `top -b -n 2 -d 1 -c -w 512` (a "top -" header, %Cpu lines and the process table)';

export const topParser: ArtifactParser = {
  kind: 'top',
  describe:
    'top -b -n 2 -d 1 -c -w 512 (procps; the last snapshot is read, since the first %Cpu line of a run covers ' +
    'almost no time: from one whose shares count a few clock ticks none is read): host.cpu_pct, host.iowait_pct, host.cpu_steal_pct, host.cpu_sys_pct, host.cpu_softirq_pct (the busiest CPU\'s si: with `top -1`, or on a host of one CPU), host.mem_available_pct, ' +
    'host.load_per_cpu (CPU count from `top -1` %CpuN lines or a "# nproc: N" line), proc.top_pid, proc.top_name (the program; the whole command line with --no-redact), ' +
    'proc.top_cpu_pct (none when no process used 5% of one CPU, as on an idle host, where PID 1 and agents read 1-3%; a name top cut, "process_a+", is warned of); with a "# app_pid: N" line: proc.app_pid, proc.app_cpu_pct and proc.top_role app / ' +
    'child_of_app (parents from an appended `ps -eo pid,ppid,pcpu,comm` table); kernel_thread for a [bracketed] name without spaces',
  parse(text, context) {
    const all = artifactLines(text);
    const lastHeader = all.findLastIndex((line) => line.startsWith('top - '));
    const snapshot = all.slice(Math.max(0, lastHeader));
    // `top -b -n 1` prints one snapshot, whose %Cpu line covers the few clock ticks since top
    // started: 100.0 sy or 66.7 us on an idle host (lab 201: a "100% system" host read as a
    // syscall storm). Such shares are no measurement, so none is read; the process table and
    // memory hold. One snapshot whose shares are finer is a screen of an interactive top, read.
    const nproc = positiveAnnotation(all, 'nproc');
    const read = readCpu(snapshot, nproc);
    const oneSnapshot = all.filter((line) => line.startsWith('top - ')).length === 1 && read.facts['host.cpu_pct'] !== undefined;
    const firstTicks = oneSnapshot && read.fewTicks;
    const cpu = firstTicks ? { ...read, facts: {} } : read;
    const processes = readProcesses(snapshot);
    if (lastHeader < 0 && Object.keys(read.facts).length === 0 && processes.length === 0) throw notRecognised('top', EXPECTED);
    const cpus = cpu.perCpuLines > 0 ? cpu.perCpuLines : nproc;
    const busiest = processFacts(processes, positiveAnnotation(all, 'app_pid'), readParents(all), context?.processNaming);
    const facts: ParsedFacts = { ...cpu.facts, ...busiest.facts };
    const load = loadPerCpu(numberAfter(snapshot, /load average:\s*([\d.]+)/), cpus);
    if (load !== undefined) facts['host.load_per_cpu'] = load;
    const memory = memAvailablePct(snapshot);
    if (memory !== undefined) facts['host.mem_available_pct'] = memory;
    if (Object.keys(facts).length === 0 && !firstTicks) throw notRecognised('top', EXPECTED, 'a "top -" header without %Cpu lines, memory lines or a process table');
    if (firstTicks) {
      context?.warn?.({ field: 'host.cpu_pct', message: "one snapshot whose %Cpu line counts a few clock ticks (top's first covers only the moment it started): no CPU share is read from it; top -b -n 2 -d 1 measures them over a second" });
    } else if (oneSnapshot) {
      context?.warn?.({ field: 'host.cpu_pct', message: "one snapshot: top's first %Cpu line covers only the moment it started, so the host's CPU shares may be far off; top -b -n 2 -d 1 measures them over a second" });
    }
    const meanSoftirq = firstTicks ? undefined : meanSoftirqWarning("%Cpu(s) line's si", cpu.meanSoftirq, cpus, 'top -1 or mpstat -P ALL 1 5');
    if (meanSoftirq) context?.warn?.(meanSoftirq);
    if (busiest.cutName !== undefined) {
      context?.warn?.({ field: 'proc.top_name', message: `${JSON.stringify(busiest.cutName)} is cut (top ends a name it cuts with '+'); top -b -n 2 -d 1 -c -w 512 shows whole command lines` });
    }
    return facts;
  },
};
