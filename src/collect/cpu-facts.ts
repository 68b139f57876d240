import type { ParsedFacts } from './parsers/types.js';
import { clampPercent, definedFacts, round } from './parsers/text.js';

/** Shares of CPU time in percent, as top, vmstat, mpstat and /proc/stat report them. */
export interface CpuShares {
  idle: number;
  iowait?: number;
  steal?: number;
}

/**
 * host.cpu_pct counts iowait as idle: it is time the CPU had nothing to run while waiting for
 * the disk, and counting it as busy would make a disk stall look like CPU saturation.
 */
export function cpuShareFacts({ idle, iowait, steal }: CpuShares): ParsedFacts {
  return definedFacts({
    'host.cpu_pct': clampPercent(100 - idle - (iowait ?? 0)),
    'host.iowait_pct': iowait === undefined ? undefined : clampPercent(iowait),
    'host.cpu_steal_pct': steal === undefined ? undefined : clampPercent(steal),
  });
}

/** The 1-minute load average per CPU, when both are known. */
export function loadPerCpu(load1: number | undefined, cpus: number | undefined): number | undefined {
  return load1 !== undefined && cpus !== undefined && cpus > 0 ? round(load1 / cpus) : undefined;
}
