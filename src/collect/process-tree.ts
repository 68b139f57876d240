import { visible } from '../core/escape.js';
import { REDACTED, URL_CREDENTIALS } from './secrets.js';

/** Whether `ancestor` is a parent, grandparent, ... of `pid`, walking a pid -> parent pid map. */
export function isDescendant(pid: number, ancestor: number, parents: ReadonlyMap<number, number>): boolean {
  const seen = new Set<number>();
  // The seen set stops at a loop, which a snapshot taken while pids are reused can contain.
  for (let current = parents.get(pid); current !== undefined && current > 0 && !seen.has(current); current = parents.get(current)) {
    if (current === ancestor) return true;
    seen.add(current);
  }
  return false;
}

/** Longest proc.top_name the vocabulary allows. */
export const MAX_PROCESS_NAME = 256;

/**
 * How collectors name a process in facts. A command line can carry secrets
 * (`--db-password=...`, tokens, credentials in URLs) that would travel on into tickets, reports
 * and logs, and no pattern list catches every way of passing one (`mongosh -p SECRET`), so the
 * default keeps only the program; the whole command line only when the user asks (--no-redact).
 */
export type ProcessNaming = 'program' | 'command_line';


/**
 * The program of a command line as top -c or /proc/PID/cmdline show it: the first word, or the
 * name a process gave itself in its title ("php-fpm: pool www", "postgres: alice shop ...").
 */
function programOf(commandLine: string): string {
  const trimmed = commandLine.trimStart();
  const end = trimmed.search(/\s/);
  const first = end < 0 ? trimmed : trimmed.slice(0, end);
  return first.replace(/:$/, '').replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

/**
 * proc.top_name for a process's command line, under the user's choice of naming. Control
 * characters (an argument may hold a tab, a newline or an escape) are spelled out, since a
 * fact may not carry them.
 */
export function processName(commandLine: string, naming: ProcessNaming = 'program'): string {
  return visible(naming === 'command_line' ? commandLine : programOf(commandLine)).slice(0, MAX_PROCESS_NAME);
}

/** proc.top_role as far as a process listing tells: the app, one of its descendants, or a kernel thread. */
export function processRole(pid: number, kernelThread: boolean, appPid: number | undefined, parents: ReadonlyMap<number, number>): 'app' | 'child_of_app' | 'kernel_thread' | undefined {
  if (appPid !== undefined && pid === appPid) return 'app';
  if (appPid !== undefined && isDescendant(pid, appPid, parents)) return 'child_of_app';
  return kernelThread ? 'kernel_thread' : undefined;
}

/** CPU% of the app and all its descendants (proc.app_cpu_pct). */
export function appCpuPct(cpuByPid: Iterable<readonly [number, number]>, appPid: number, parents: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, pct] of cpuByPid) if (pid === appPid || isDescendant(pid, appPid, parents)) total += pct;
  return total;
}
