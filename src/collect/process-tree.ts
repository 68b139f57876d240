import { visible } from '../core/escape.js';
import { REDACTED, URL_CREDENTIALS } from './secrets.js';

/**
 * Every pid whose parent, grandparent, ... is `ancestor`, from a pid -> parent pid map: one walk
 * down from the ancestor, so a listing costs its length once. A check per pid walking up its
 * chain cost the chain's length for each, and a pasted ps table may chain every pid to the next.
 * The visited set stops at a loop, which a snapshot taken while pids are reused can contain.
 */
export function descendantsOf(ancestor: number, parents: ReadonlyMap<number, number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents) {
    const siblings = children.get(parent);
    if (siblings) siblings.push(pid);
    else children.set(parent, [pid]);
  }
  const descendants = new Set<number>();
  if (ancestor <= 0) return descendants;
  const pending = [...(children.get(ancestor) ?? [])];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    if (pid === ancestor || descendants.has(pid)) continue;
    descendants.add(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return descendants;
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
export function processRole(pid: number, kernelThread: boolean, appPid: number | undefined, appDescendants: ReadonlySet<number>): 'app' | 'child_of_app' | 'kernel_thread' | undefined {
  if (appPid !== undefined && pid === appPid) return 'app';
  if (appDescendants.has(pid)) return 'child_of_app';
  return kernelThread ? 'kernel_thread' : undefined;
}

/** CPU% of the app and all its descendants (proc.app_cpu_pct). */
export function appCpuPct(cpuByPid: Iterable<readonly [number, number]>, appPid: number, appDescendants: ReadonlySet<number>): number {
  let total = 0;
  for (const [pid, pct] of cpuByPid) if (pid === appPid || appDescendants.has(pid)) total += pct;
  return total;
}
