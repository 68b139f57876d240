import { readFileSync } from 'node:fs';
import { readProcessStat, type ProcessStat } from '../collect/probes/proc.js';

/**
 * Whether a process with this id runs (signal 0 only checks; EPERM means it runs as another
 * user): the embedded store's lock and the test runs' temporary directories both outlive a
 * process killed before it could remove them, and are taken over or removed once it is gone.
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, in clock ticks since boot (/proc/PID/stat's starttime); undefined
 * where there is no /proc (macOS) or the process is gone. A pid and its start time name one
 * process: after a crash the pid may be reused by another (a container's restart hands out the
 * same few pids), which the pid alone cannot tell from the process that wrote a lock.
 */
export function processStartTicks(pid: number, procRoot = '/proc'): number | undefined {
  return processStat(pid, procRoot)?.startTicks;
}

/** /proc/PID/stat read, or undefined where there is no /proc or the process is gone. */
function processStat(pid: number, procRoot: string): ProcessStat | undefined {
  try {
    return readProcessStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Whether a process has exited but not been reaped (state Z, zombie, or X): signal 0 still
 * reaches it and its stat keeps its start time, yet it holds nothing. One killed (SIGKILL, the
 * OOM killer) stays so until its parent waits for it; under a PID 1 that reaps no children (a
 * shell as a container's entrypoint), for good.
 */
const exited = (stat: ProcessStat | undefined) => stat?.state === 'Z' || stat?.state === 'X';

/** What a lock file says of the process holding it: "PID START_TICKS", or "PID" where the start time is unknown (and from rca before it wrote one). */
export function lockHolderText(pid = process.pid, procRoot = '/proc'): string {
  const started = processStartTicks(pid, procRoot);
  return started === undefined ? String(pid) : `${pid} ${started}`;
}

/**
 * The process a lock file names, if it still runs: its pid runs (and is no zombie), and, where the lock recorded
 * when its process started and /proc tells when this pid's did, at the same tick. Undefined for a
 * lock its process left behind, or one that names no process.
 */
export function runningLockHolder(text: string, procRoot = '/proc', isRunning: (pid: number) => boolean = processRunning): number | undefined {
  const [pidText, startText, ...rest] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || rest.length > 0 || !isRunning(pid)) return undefined;
  // One reading of /proc/PID/stat: whether it exited, and when it started.
  const stat = processStat(pid, procRoot);
  if (exited(stat)) return undefined;
  if (startText === undefined) return pid;
  const started = stat?.startTicks;
  return started === undefined || started === Number(startText) ? pid : undefined;
}
