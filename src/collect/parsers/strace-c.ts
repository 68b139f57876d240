import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, percent, positiveAnnotation, round } from './text.js';

interface SyscallRow {
  timePct: number;
  seconds: number;
  calls: number;
  errors: number;
  name: string;
}

// "% time     seconds  usecs/call     calls    errors syscall" (the same with -f and -w).
const HEADER = /^\s*% time\s+seconds\s+usecs\/call\s+calls\s+errors\s+syscall\s*$/;
// " 94.98    0.117241           0    200000    200000 statx" (errors may be blank).
const ROW = /^\s*(\d+\.\d+)\s+(\d+\.\d+)\s+\d+\s+(\d+)\s+(?:(\d+)\s+)?(\S+)\s*$/;
const EXPECTED = 'output of `strace -c` (optionally -f, -w) with its "% time ... syscall" table';

/**
 * The summary table: rows between the header and the "total" row. Lines around it (strace's
 * "Process N attached", the program's own output) are ignored.
 */
function readTable(all: readonly string[]): { start: number; rows: SyscallRow[]; total?: SyscallRow } | undefined {
  const start = all.findIndex((line) => HEADER.test(line));
  if (start < 0) return undefined;
  const rows: SyscallRow[] = [];
  for (const line of all.slice(start + 1)) {
    if (/^[-\s]+$/.test(line) && line.includes('---')) continue;
    const match = ROW.exec(line);
    if (!match) break;
    const row = { timePct: Number(match[1]), seconds: Number(match[2]), calls: Number(match[3]), errors: Number(match[4] ?? 0), name: match[5] ?? '' };
    if (row.name === 'total') return { start, rows, total: row };
    rows.push(row);
  }
  return { start, rows };
}

/**
 * `timeout N strace -c`: the seconds a trace the command bounds ran (strace -c does not print
 * them), after a shell's prompt ("$ ", "root@web1:~# ") when the command heads the output.
 */
const TIMED_TRACE = /(?:^|[$#;&|(]\s*)(?:sudo )?timeout (\d{1,5}(?:\.\d{1,3})?)s? strace -c\b/;

/**
 * How long the trace ran, read from the command that printed the output: strace -c's table
 * gives calls, not time.
 */
function tracedFor(command: string | undefined): number | undefined {
  const seconds = command === undefined ? undefined : Number(TIMED_TRACE.exec(command)?.[1]);
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}

/**
 * The trace's duration: a "# duration_s: N" line, else the command line above the table
 * (`$ timeout 5 strace -c -f -p PID`, saved with its output), else the command the interview's
 * question printed, which the paste is likely the output of (a file or paste says what was run).
 */
function traceDuration(all: readonly string[], tableStart: number, command: string | undefined): number | undefined {
  const above = all.slice(0, tableStart).map(tracedFor).find((seconds) => seconds !== undefined);
  return positiveAnnotation(all, 'duration_s') ?? above ?? tracedFor(command);
}

export const straceCParser: ArtifactParser = {
  kind: 'strace-c',
  describe:
    'strace -c [-f] [-w] -p PID (or a command): strace.top_syscall, strace.top_syscall_pct, strace.error_pct; ' +
    'strace.syscalls_per_s and strace.syscall_time_pct (the total seconds over the seconds traced) too when a line "# duration_s: N" ' +
    'says how long the trace ran, or its command `timeout N strace -c ...` does: on a line above the table (`$ timeout 5 strace -c -f -p PID`), ' +
    'or, pasted at the interview\'s question, the command it printed',
  parse(text, context) {
    const all = artifactLines(text);
    const table = readTable(all);
    if (!table) throw notRecognised('strace-c', EXPECTED);
    // Without the total row the table was cut short, and the shares would be wrong.
    if (!table.total || table.rows.length === 0) throw notRecognised('strace-c', EXPECTED, 'a table without its "total" row (truncated?)');
    const top = table.rows.reduce((best, row) => (row.timePct > best.timePct ? row : best));
    const { calls, errors, seconds } = table.total;
    const facts: ParsedFacts = {
      'strace.top_syscall': top.name,
      'strace.top_syscall_pct': round(top.timePct),
      'strace.error_pct': percent(errors, calls) ?? 0,
    };
    const duration = traceDuration(all, table.start, context?.command);
    if (duration !== undefined) {
      facts['strace.syscalls_per_s'] = round(calls / duration);
      facts['strace.syscall_time_pct'] = round((seconds / duration) * 100);
    }
    return facts;
  },
};
