import type { InputWarning } from '../../core/request.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, definedFacts, round } from './text.js';

const EXPECTED =
  'a cgroup\'s cpu.stat ("nr_periods N", "nr_throttled N" lines: cat /sys/fs/cgroup/cpu.stat, v1 /sys/fs/cgroup/cpu,cpuacct/cpu.stat), ' +
  'read twice a few seconds apart, optionally after cpu.max ("QUOTA PERIOD") or cpu.cfs_quota_us and cpu.cfs_period_us under the command line that printed them';

/** What a group with no quota of its own leaves open. */
const PARENT_QUOTA = "a parent group's quota (a systemd slice's CPUQuota=) may still pause it, counted in that group's cpu.stat";

/** The command that reads the counters twice, for the warnings. */
const READ_TWICE = 'cat /sys/fs/cgroup/cpu.stat; sleep 5; cat /sys/fs/cgroup/cpu.stat (v1: /sys/fs/cgroup/cpu,cpuacct/cpu.stat)';

/**
 * Fewer CFS periods than this between two readings (a second at the default 100 ms period) make
 * the share of throttled ones a coin toss: one period more or less moves it by a tenth.
 */
const MIN_WINDOW_PERIODS = 10;

/** The kernel's bounds for a period (1 ms to 1 s) and its least quota (1 ms): sched-bwc.rst, "Management". */
const MIN_PERIOD_US = 1000;
const MAX_PERIOD_US = 1_000_000;
const MIN_QUOTA_US = 1000;

/** cpu.stat's lines: a lower-case key and a count. */
const COUNTER = /^([a-z_]+)\s+(\d{1,20})$/;
/** cpu.max (v2): "QUOTA PERIOD", or "max PERIOD" for no quota. */
const CPU_MAX = /^(max|\d{1,20})\s+(\d{1,20})$/;
/** A bare number: cpu.cfs_quota_us (-1 for no quota) or cpu.cfs_period_us (v1), one file each. */
const BARE_NUMBER = /^-?\d{1,20}$/;
/** The v1 files a command line names, in the order it names them (cat prints them in that order). */
const V1_FILES = /cpu\.cfs_(quota|period)_us/g;

/** One reading of cpu.stat: nr_periods and nr_throttled. */
interface Reading {
  periods: number;
  throttled: number;
}

/** What the text says of the group's quota. */
type Limit = { quotaUs: number; periodUs: number } | 'none' | undefined;

interface CpuStatText {
  readings: Reading[];
  limit: Limit;
  /** Any line only cpu.stat, cpu.max or the v1 files print was read. */
  recognised: boolean;
  /** Bare numbers under no command line naming the v1 files: which is the quota cannot be told. */
  unlabelled: boolean;
}

function limitOf(quota: number | 'max' | undefined, period: number | undefined): Limit {
  if (quota === 'max' || quota === -1) return 'none';
  if (quota === undefined || period === undefined) return undefined;
  return period >= MIN_PERIOD_US && period <= MAX_PERIOD_US && quota >= MIN_QUOTA_US ? { quotaUs: quota, periodUs: period } : undefined;
}

/**
 * The readings and the limit, in one pass over the lines. A key seen again in the current
 * reading starts the next one (`cat cpu.stat; sleep 5; cat cpu.stat`); a command line naming
 * cpu.cfs_quota_us and cpu.cfs_period_us labels the bare numbers after it, in its order.
 */
function readCpuStat(all: readonly string[]): CpuStatText {
  const counters: Array<Map<string, number>> = [];
  let current: Map<string, number> | undefined;
  let cpuMax: Limit;
  let labels: string[] = [];
  const v1: { quota?: number; period?: number } = {};
  let unlabelled = false;
  for (const raw of all) {
    const line = raw.trim();
    const max = CPU_MAX.exec(line);
    if (max?.[1] !== undefined && max[2] !== undefined) {
      cpuMax = limitOf(max[1] === 'max' ? 'max' : Number(max[1]), Number(max[2])) ?? cpuMax;
      continue;
    }
    const counter = COUNTER.exec(line);
    if (counter?.[1] !== undefined && counter[2] !== undefined) {
      if (current === undefined || current.has(counter[1])) counters.push((current = new Map()));
      current.set(counter[1], Number(counter[2]));
      continue;
    }
    if (BARE_NUMBER.test(line)) {
      const label = labels.shift();
      if (label === 'quota') v1.quota = Number(line);
      else if (label === 'period') v1.period = Number(line);
      else unlabelled = true;
      continue;
    }
    // Any other line (a command line, a prompt) says which files the numbers after it come from.
    if (line !== '') labels = [...line.matchAll(V1_FILES)].map((match) => match[1] ?? '');
  }
  const readings = counters.flatMap((reading) => {
    const periods = reading.get('nr_periods');
    const throttled = reading.get('nr_throttled');
    return periods === undefined || throttled === undefined ? [] : [{ periods, throttled }];
  });
  const limit = cpuMax ?? limitOf(v1.quota, v1.period);
  const recognised = counters.some((reading) => reading.has('nr_periods') || reading.has('usage_usec')) || limit !== undefined;
  return { readings, limit, recognised, unlabelled };
}

/**
 * cgroup.cpu_throttled_pct from the readings: the share of the periods between the first and
 * the last in which the quota ran out; with one reading, the share since the group was created,
 * which a long quiet past dilutes (a warning says so), except 0 throttled, which is never. A
 * group with no quota of its own (noQuota) whose nr_throttled did not rise (and is 0 in one
 * reading) is 0: the fact counts the periods its own quota ran out in, and it has none to run
 * out (nr_periods stays 0 too). A parent's quota pauses it uncounted here, as it does a group
 * with a quota of its own.
 */
function throttledPct(readings: readonly Reading[], noQuota: boolean, warn: (warning: InputWarning) => void): number | undefined {
  const first = readings[0];
  const last = readings[readings.length - 1];
  if (first === undefined || last === undefined) return undefined;
  if (noQuota && last.throttled === first.throttled && (readings.length > 1 || first.throttled === 0)) return 0;
  const field = 'cgroup.cpu_throttled_pct';
  if (readings.length === 1) {
    if (first.periods === 0) {
      warn({ field, message: `nr_periods is 0: this group has never run under a quota of its own (cpu.max "max", cfs_quota_us -1); a parent group's quota may still pause it: read the cpu.stat of the group whose cpu.max holds the quota` });
      return undefined;
    }
    if (first.throttled > 0) {
      warn({ field, message: `nr_throttled ${first.throttled} of nr_periods ${first.periods} counts since the cgroup was created, in one reading, which dilutes a recent fault: paste two readings a few seconds apart while the problem happens (${READ_TWICE})` });
    }
    return round((first.throttled / first.periods) * 100);
  }
  const periods = last.periods - first.periods;
  const throttled = last.throttled - first.throttled;
  if (periods < 0 || throttled < 0) {
    warn({ field, message: `the counters fell between the first and the last reading (nr_periods ${first.periods} to ${last.periods}): the cgroup was created again, or the readings are out of order` });
    return undefined;
  }
  if (periods < MIN_WINDOW_PERIODS) {
    warn({ field, message: `only ${periods} CFS period${periods === 1 ? '' : 's'} between the readings: the group hardly ran, or has no quota of its own; read the counters further apart while the problem happens (${READ_TWICE.replace('sleep 5', 'sleep 10')})` });
    return undefined;
  }
  return round((throttled / periods) * 100);
}

export const cpuStatParser: ArtifactParser = {
  kind: 'cpu-stat',
  describe:
    "a cgroup's CPU bandwidth counters, cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.stat; sleep 5; cat /sys/fs/cgroup/cpu.stat " +
    '(v1: cpu.cfs_quota_us and cpu.cfs_period_us under the command line that printed them, and /sys/fs/cgroup/cpu,cpuacct/cpu.stat; ' +
    'in a pod: kubectl exec POD -- cat ...): cgroup.cpu_throttled_pct, nr_throttled / nr_periods between the first and the last reading ' +
    '(one reading: since the cgroup was created, which dilutes a recent fault, with a warning), and cgroup.cpu_limit_cores, quota / period ' +
    '(none for "max" or -1: no quota of its own); a group with no quota of its own whose nr_throttled did not rise (0 in one reading) is throttled 0, ' +
    "with a warning that a parent group's quota may still pause it (without nr_throttled printed, none)",
  parse(text, context): ParsedFacts {
    const read = readCpuStat(artifactLines(text));
    if (!read.recognised) throw notRecognised('cpu-stat', EXPECTED);
    const warnings: InputWarning[] = [];
    const warn = (warning: InputWarning) => warnings.push(warning);
    const { limit } = read;
    const counted: InputWarning[] = [];
    const throttled = throttledPct(read.readings, limit === 'none', (warning) => counted.push(warning));
    if (limit === 'none' && throttled === 0) {
      warn({ field: 'cgroup.cpu_throttled_pct', message: `the group has no CPU quota of its own (cpu.max "max", cfs_quota_us -1), so no period of its own is throttled: read as 0; ${PARENT_QUOTA}` });
    } else if (limit === 'none') {
      warn({ field: 'cgroup.cpu_limit_cores', message: `the group has no CPU quota of its own (cpu.max "max", cfs_quota_us -1): nothing at this level throttles it; ${PARENT_QUOTA}` });
    } else if (limit === undefined && read.unlabelled) {
      warn({ field: 'cgroup.cpu_limit_cores', message: 'bare numbers under no command line naming cpu.cfs_quota_us and cpu.cfs_period_us: which is the quota cannot be told; paste the command line with them, or cat cpu.max' });
    }
    if (read.readings.length === 0 && limit === undefined) {
      warn({ field: 'cgroup.cpu_throttled_pct', message: `cpu.stat has no nr_periods / nr_throttled: the cpu controller is not enabled for this group (or it is the root group); read the container's own group (${READ_TWICE})` });
    }
    warnings.push(...counted);
    const facts = definedFacts({
      'cgroup.cpu_throttled_pct': throttled,
      'cgroup.cpu_limit_cores': typeof limit === 'object' ? round(limit.quotaUs / limit.periodUs, 3) : undefined,
    });
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
