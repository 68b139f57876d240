import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, cells, mean, percent, round, toNumber } from './text.js';

/**
 * pidstat -u (sysstat): one process's CPU split between its own code (%usr) and the kernel
 * (%system). Only the process's own lines count: under -t each thread has a line of its own
 * (TGID "-", its command "|__name"), and the process's line (TID "-") already sums them.
 */
const EXPECTED = 'output of `pidstat -u -p PID 1 5` (sysstat; -t and -h read too): the header with %usr, %system, %CPU and Command, and the rows of one process';

/** A process's split needs this much CPU (% of one CPU over the run): at a few clock ticks a second, the split of less is noise. */
const MIN_CPU_TO_SPLIT_PCT = 5;

/** "12:00:01" (and "PM" after it in a 12-hour locale). */
const TIME = /^\d\d:\d\d:\d\d$/;
const MERIDIEM = /^[AP]M$/;
/** The columns a header's names start at: the task's owner (-U prints USER) or, on sysstat before 10, its pid. */
const FIRST_COLUMNS = new Set(['UID', 'USER', 'PID', 'TGID']);

/** A header's columns, read once: every row under it is read against them. */
interface Header {
  names: string[];
  /** -h prints one line per sample under a "# Time" header, the time as "12:00:01" or, before sysstat 11, in seconds since 1970. */
  oneLine: boolean;
}

function readHeader(values: readonly string[]): Header | undefined {
  const first = values.findIndex((value) => FIRST_COLUMNS.has(value));
  if (first < 0) return undefined;
  const names = values.slice(first);
  const user = names.includes('%usr') || names.includes('%user');
  if (!user || !names.includes('%system') || !names.includes('%CPU') || names.at(-1) !== 'Command') return undefined;
  return { names, oneLine: values[0] === '#' };
}

/** How many cells of a row are its time stamp: "Average:", "12:00:01", "12:00:01 PM", or under -h seconds since 1970. */
function leadCells(values: readonly string[], header: Header): number {
  const [first = '', second = ''] = values;
  if (first === 'Average:') return 1;
  if (TIME.test(first)) return MERIDIEM.test(second) ? 2 : 1;
  return header.oneLine && /^\d+$/.test(first) ? 1 : 0;
}

/** A share as pidstat prints it; a locale's decimal comma ("37,33") reads as the point. */
function share(raw: string | undefined): number | undefined {
  return toNumber(raw?.replace(/^(\d+),(\d+)$/, '$1.$2'));
}

interface ProcessRow {
  pid: number;
  average: boolean;
  usr: number;
  system: number;
  cpu: number;
}

function readRows(text: string): { rows: ProcessRow[]; header: boolean } {
  const rows: ProcessRow[] = [];
  let header: Header | undefined;
  let seenHeader = false;
  for (const line of artifactLines(text)) {
    const values = cells(line);
    const next = readHeader(values);
    if (next) {
      header = next;
      seenHeader = true;
      continue;
    }
    // A row has a cell under every column (the command last, with -l its arguments too), after its time stamp.
    if (header === undefined || values.length < header.names.length) continue;
    const lead = leadCells(values, header);
    if (lead === 0) continue;
    const row = new Map<string, string>();
    header.names.forEach((name, at) => row.set(name, values[lead + at] ?? ''));
    // Under -t a thread's line has "-" for its TGID; the process's own has "-" for its TID.
    const pid = toNumber(row.get('TGID') ?? row.get('PID'));
    const usr = share(row.get('%usr') ?? row.get('%user'));
    const system = share(row.get('%system'));
    const cpu = share(row.get('%CPU'));
    if (pid === undefined || !Number.isInteger(pid) || pid < 1 || usr === undefined || system === undefined || cpu === undefined) continue;
    rows.push({ pid, average: values[0] === 'Average:', usr, system, cpu });
  }
  return { rows, header: seenHeader };
}

export const pidstatParser: ArtifactParser = {
  kind: 'pidstat',
  describe:
    'pidstat -u -p PID 1 5 (sysstat; with -t only the process\'s own line, not its threads\'; -h, and layouts before %wait, read too): ' +
    'proc.app_pid, proc.app_cpu_pct (%CPU: 100 per CPU, the process and its threads, not other processes such as a master\'s workers) and ' +
    'proc.app_sys_share_pct (%system / (%usr + %system); none under 5% of a CPU, too little to split), from the Average line, else the mean of the samples; one process only',
  parse(text, context) {
    const { rows, header } = readRows(text);
    if (rows.length === 0) throw notRecognised('pidstat', EXPECTED, header ? 'a header without a row of a process (pidstat prints none for a pid that is gone)' : undefined);
    const pids = [...new Set(rows.map((row) => row.pid))];
    if (pids.length > 1) throw notRecognised('pidstat', EXPECTED, `the rows of ${pids.length} processes, none of them named the application's: run pidstat -u -p APP_PID 1 5`);
    const averages = rows.filter((row) => row.average);
    const used = averages.length > 0 ? averages : rows;
    const usr = mean(used.map((row) => row.usr)) ?? 0;
    const system = mean(used.map((row) => row.system)) ?? 0;
    const cpu = mean(used.map((row) => row.cpu)) ?? 0;
    const facts: ParsedFacts = { 'proc.app_pid': pids[0] as number, 'proc.app_cpu_pct': round(cpu) };
    const split = usr + system;
    const kernelShare = split >= MIN_CPU_TO_SPLIT_PCT ? percent(system, split) : undefined;
    if (kernelShare !== undefined) facts['proc.app_sys_share_pct'] = kernelShare;
    else context?.warn?.({ field: 'proc.app_sys_share_pct', message: `the process used ${round(split)}% of a CPU, too little to tell its own code from the kernel; run pidstat -u -p PID 1 5 while it is busy` });
    return facts;
  },
};
