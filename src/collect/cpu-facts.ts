import type { InputWarning } from '../core/request.js';
import type { ParsedFacts } from './parsers/types.js';
import { clampPercent, definedFacts, round } from './parsers/text.js';

/** Shares of CPU time in percent, as top, vmstat, mpstat and /proc/stat report them. */
export interface CpuShares {
  idle: number;
  iowait?: number;
  steal?: number;
  /** Kernel time (sy, %sys), all CPUs together. */
  system?: number;
  /** Softirq time (si, %soft) of the busiest CPU: from the per-CPU lines, or the mean on a host of one CPU (meanSoftirqWarning otherwise). */
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

/** A mean softirq share below this says nothing worth a warning: no CPU can be drowning behind it unnoticed. */
const SOFTIRQ_WORTH_NAMING = 1;

/**
 * The warning for a softirq share read as the mean of every CPU (`column`, as the tool names it:
 * top's "%Cpu(s) line's si"), which host.cpu_softirq_pct (the busiest CPU's) is not read from;
 * undefined when the mean is too low to hide a drowning CPU. `perCpu` names the commands that show each CPU.
 */
export function meanSoftirqWarning(column: string, mean: number | undefined, cpus: number | undefined, perCpu: string): InputWarning | undefined {
  if (mean === undefined || mean < SOFTIRQ_WORTH_NAMING) return undefined;
  const over = cpus === undefined ? 'every CPU' : `${cpus} CPUs`;
  return { field: 'host.cpu_softirq_pct', message: `not read: the ${column} (${mean}%) is the mean of ${over}, and one CPU can drown in softirqs while the mean reads low; ${perCpu} shows each CPU's` };
}
