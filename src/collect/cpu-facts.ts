import type { ParsedFacts } from './parsers/types.js';
import { clampPercent, definedFacts, round } from './parsers/text.js';

/** Shares of CPU time in percent, as top, vmstat, mpstat and /proc/stat report them. */
export interface CpuShares {
  idle: number;
  iowait?: number;
  steal?: number;
  /** Kernel time (sy, %sys), all CPUs together. */
  system?: number;
  /** Softirq time (si, %soft) of the busiest CPU when the tool shows each CPU, else of all together. */
  softirq?: number;
}

/**
 * host.cpu_pct counts iowait as idle: it is time the CPU had nothing to run while waiting for
 * the disk, and counting it as busy would make a disk stall look like CPU saturation.
 */
export function cpuShareFacts({ idle, iowait, steal, system, softirq }: CpuShares): ParsedFacts {
  const share = (value: number | undefined) => (value === undefined ? undefined : clampPercent(value));
  return definedFacts({
    'host.cpu_pct': clampPercent(100 - idle - (iowait ?? 0)),
    'host.iowait_pct': share(iowait),
    'host.cpu_steal_pct': share(steal),
    'host.cpu_sys_pct': share(system),
    'host.cpu_softirq_pct': share(softirq),
  });
}

/** The 1-minute load average per CPU, when both are known. */
export function loadPerCpu(load1: number | undefined, cpus: number | undefined): number | undefined {
  return load1 !== undefined && cpus !== undefined && cpus > 0 ? round(load1 / cpus) : undefined;
}
