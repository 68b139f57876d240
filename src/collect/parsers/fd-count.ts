import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, cells, round, toNumber } from './text.js';

const EXPECTED =
  "the output of `ls /proc/PID/fd | wc -l; grep 'open files' /proc/PID/limits`: the count on a line of its own and the " +
  '"Max open files  SOFT  HARD  files" line of /proc/PID/limits';

/** wc -l's count on a line of its own (BSD's wc pads it with spaces); more digits than any descriptor limit is no count. */
const COUNT = /^\s*(\d{1,10})\s*$/;

/** ls's own words when it cannot list the directory: wc -l then counts nothing and prints 0 all the same. */
const LS_FAILED = /^ls: cannot (?:open directory|access) /;

/** The PID a command line's /proc/PID/fd or /proc/PID/limits names, for the command the warnings print. */
const PROC_PID = /\/proc\/(\d{1,10})\//;

/**
 * The soft limit of /proc/PID/limits' "Max open files  SOFT  HARD  files" line (the kernel's
 * proc_pid_limits() prints "unlimited" for RLIM_INFINITY), or undefined for any other line.
 */
export function openFilesSoftLimit(line: string): number | 'unlimited' | undefined {
  if (!line.startsWith('Max open files')) return undefined;
  const [max, open, files, soft, hard, unit, ...rest] = cells(line);
  if (max !== 'Max' || open !== 'open' || files !== 'files' || unit !== 'files' || hard === undefined || rest.length > 0) return undefined;
  if (soft === 'unlimited') return 'unlimited';
  const value = toNumber(soft);
  return value !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** What counted the lines: ls of /proc/PID/fd (one name a descriptor) or lsof -p (a header and lines that are no descriptors). */
type Counter = 'ls' | 'lsof';

/** The counter a command line runs into wc -l, if it names one. Words are tested as they are: no pattern runs over the line. */
function counterOf(line: string): Counter | undefined {
  const words = line.split(/[\s;|&()]+/);
  if (words.includes('lsof')) return 'lsof';
  if (words.includes('ls') && words.some((word) => /^\/proc\/[^/]*\/fd\/?$/.test(word))) return 'ls';
  return undefined;
}

interface Count {
  value: number;
  counter?: Counter;
  /** ls said it could not list the directory just before: the 0 wc printed counts nothing. */
  lsFailed: boolean;
}

interface FdText {
  counts: Count[];
  /** The last "Max open files" line's soft limit. */
  soft?: number | 'unlimited';
  pid?: string;
}

/**
 * The counts (each with the counter its command line named, the caller's command else) and the
 * last soft limit. A count belongs to the last command line above it that names a counter.
 */
function readFdText(all: readonly string[], command: string | undefined): FdText {
  const read: FdText = { counts: [], pid: command === undefined ? undefined : PROC_PID.exec(command)?.[1] };
  let counter = command === undefined ? undefined : counterOf(command);
  let lsFailed = false;
  for (const line of all) {
    const count = COUNT.exec(line)?.[1];
    if (count !== undefined) {
      read.counts.push({ value: Number(count), counter, lsFailed });
      lsFailed = false;
      continue;
    }
    const soft = openFilesSoftLimit(line);
    if (soft !== undefined) {
      read.soft = soft;
      continue;
    }
    if (LS_FAILED.test(line)) {
      lsFailed = true;
      continue;
    }
    const named = counterOf(line);
    if (named !== undefined) {
      counter = named;
      read.pid = PROC_PID.exec(line)?.[1] ?? read.pid;
    }
  }
  return read;
}

/** The facts of a recognised text, and the warning when it gives none (or a share over 100). */
function fdUsed(read: FdText): { pct?: number; warning?: string } {
  const pid = read.pid ?? 'PID';
  const countCommand = `ls /proc/${pid}/fd | wc -l`;
  const counts = read.counts.filter((count) => count.counter !== 'lsof');
  const count = counts[counts.length - 1];
  if (count === undefined) {
    if (read.counts.length > 0) {
      return {
        warning:
          'lsof -p counts lines, not descriptors: its header, the cwd, rtd and txt lines and a mem line for every mapped library ' +
          `(tens to hundreds more than the descriptors open), so proc.fd_used_pct stays unknown: run ${countCommand}`,
      };
    }
    return { warning: `no count of open descriptors (wc -l's number on a line of its own), so proc.fd_used_pct stays unknown: run ${countCommand}` };
  }
  if (count.lsFailed || count.value === 0) {
    const why = count.lsFailed
      ? `ls could not list /proc/${pid}/fd (wc -l printed 0 all the same)`
      : `a count of 0, and a running process holds descriptors (its standard ones at least): ls could not list /proc/${pid}/fd`;
    return { warning: `${why}; only the process's own user and root may, so proc.fd_used_pct stays unknown: run sudo ${countCommand}` };
  }
  if (read.soft === undefined) return { warning: `no "Max open files" line of /proc/${pid}/limits, so proc.fd_used_pct stays unknown: run grep 'open files' /proc/${pid}/limits` };
  if (read.soft === 'unlimited') return { warning: 'the soft "Max open files" limit is unlimited: no share of it is used, so proc.fd_used_pct stays unknown' };
  const pct = round((count.value / read.soft) * 100);
  if (pct <= 100) return { pct };
  return {
    pct: 100,
    warning: `${count.value} descriptors open over a soft limit of ${read.soft} (it was lowered after they were opened, by prlimit or the process itself): read as 100`,
  };
}

export const fdCountParser: ArtifactParser = {
  kind: 'fd-count',
  describe:
    "ls /proc/PID/fd | wc -l; grep 'open files' /proc/PID/limits (ls -1 too; the command lines above the output may stay): proc.fd_used_pct, " +
    'the last count over the soft "Max open files" limit x 100 (a count above it, the limit lowered since, reads 100 with a warning); none, with a warning, for an unlimited soft limit, a count of 0 or one under ls\'s ' +
    "error (another user's process: run it with sudo), or lsof -p PID | wc -l's (it counts its header, cwd, txt and every mapped library, which are no descriptors)",
  parse(text, context): ParsedFacts {
    const read = readFdText(artifactLines(text), context?.command);
    const recognised = read.soft !== undefined || read.counts.some((count) => count.counter !== undefined);
    if (!recognised) throw notRecognised('fd-count', EXPECTED);
    const { pct, warning } = fdUsed(read);
    if (warning !== undefined) context?.warn?.({ field: 'proc.fd_used_pct', message: warning });
    return pct === undefined ? {} : { 'proc.fd_used_pct': pct };
  },
};

/** The kind's signature: /proc/PID/limits' "Max open files" line, or a count right under a command line counting with ls /proc/PID/fd or lsof. */
export function isFdCountText(lines: readonly string[]): boolean {
  return lines.some((line, i) => openFilesSoftLimit(line) !== undefined || (i > 0 && COUNT.test(line) && counterOf(lines[i - 1] ?? '') !== undefined));
}
