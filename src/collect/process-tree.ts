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
