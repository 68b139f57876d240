import type { InputWarning } from '../../core/request.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, clampPercent, definedFacts } from './text.js';

const EXPECTED =
  "a cgroup's memory files as cat or head print them: v2 memory.max, memory.current, memory.events, memory.stat " +
  '(cd /sys/fs/cgroup; head -n 100 memory.max memory.current memory.events memory.stat), v1 memory.limit_in_bytes, ' +
  'memory.usage_in_bytes, memory.failcnt, memory.stat (/sys/fs/cgroup/memory/...), each single number under a ==> FILE <== header ' +
  'or the command line that printed it, read twice a few seconds apart';

/** The command that reads a group's memory twice, for the warnings (v1 in the question's help). */
const READ_TWICE =
  'cd /sys/fs/cgroup; for i in 1 2; do head -n 100 memory.max memory.current memory.events memory.stat; sleep 5; done ' +
  '(v1: cd /sys/fs/cgroup/memory/GROUP; head -n 100 memory.limit_in_bytes memory.usage_in_bytes memory.failcnt memory.stat, twice)';

/**
 * v1 writes "no limit" as the largest page-aligned long (9223372036854771712 with 4 KiB pages);
 * no machine has 2^62 bytes, so anything from there is no limit at all.
 */
const NO_LIMIT_BYTES = 2 ** 62;

/** The files that print one number (or v2's "max"), and what each holds. */
const SINGLE_VALUE_FILES: Record<string, 'limit' | 'high' | 'usage' | 'failcnt'> = {
  'memory.max': 'limit',
  'memory.limit_in_bytes': 'limit',
  'memory.high': 'high',
  'memory.current': 'usage',
  'memory.usage_in_bytes': 'usage',
  'memory.failcnt': 'failcnt',
};
/** The single-value files a command line or a ==> header names, in its order. */
const SINGLE_VALUE_FILE = /\bmemory\.(?:max|limit_in_bytes|high|current|usage_in_bytes|failcnt)\b/g;
/** One of them: a number, or "max" (v2's "no limit"). */
const SINGLE_VALUE = /^(max|\d{1,20})$/;
/** memory.events (v2): the times the group met each boundary; only this file has these keys. */
const EVENT = /^(low|high|max|oom|oom_kill|oom_group_kill)\s+(\d{1,20})$/;
/** memory.stat (v1 and v2): a lower-case key and a byte or page count. */
const STAT = /^([a-z_]+)\s+(\d{1,20})$/;
/** Keys only memory.stat prints (v2's anon and file, v1's cache and rss, both the inactive file list). */
const STAT_MARKS = new Set(['anon', 'file', 'cache', 'rss', 'inactive_file', 'total_inactive_file']);

/** One reading: the single values by what they hold, memory.events and memory.stat by key. */
interface Reading {
  single: Map<string, number | 'max'>;
  events: Map<string, number>;
  stat: Map<string, number>;
}

interface CgroupMemoryText {
  readings: Reading[];
  recognised: boolean;
  /** Single numbers under no command line or header naming their file. */
  unlabelled: boolean;
}

const newReading = (): Reading => ({ single: new Map(), events: new Map(), stat: new Map() });

/**
 * The readings, in one pass over the lines. A value seen again in the current reading starts the
 * next one (`head ...; sleep 5; head ...`); a command line or a `==> FILE <==` header naming the
 * single-value files labels the bare values after it, in its order.
 */
function readCgroupMemory(all: readonly string[]): CgroupMemoryText {
  const readings: Reading[] = [];
  let current: Reading | undefined;
  let labels: string[] = [];
  let unlabelled = false;
  let recognised = false;
  const slot = (has: (reading: Reading) => boolean): Reading => {
    if (current === undefined || has(current)) readings.push((current = newReading()));
    return current;
  };
  for (const raw of all) {
    const line = raw.trim();
    const single = SINGLE_VALUE.exec(line);
    if (single?.[1] !== undefined) {
      const file = labels.shift();
      const holds = file === undefined ? undefined : SINGLE_VALUE_FILES[file];
      if (holds === undefined) {
        unlabelled = true;
        continue;
      }
      recognised = true;
      slot((reading) => reading.single.has(holds)).single.set(holds, single[1] === 'max' ? 'max' : Number(single[1]));
      continue;
    }
    const event = EVENT.exec(line);
    if (event?.[1] !== undefined && event[2] !== undefined) {
      const key = event[1];
      recognised = true;
      slot((reading) => reading.events.has(key)).events.set(key, Number(event[2]));
      continue;
    }
    const stat = STAT.exec(line);
    if (stat?.[1] !== undefined && stat[2] !== undefined) {
      const key = stat[1];
      if (STAT_MARKS.has(key)) recognised = true;
      slot((reading) => reading.stat.has(key)).stat.set(key, Number(stat[2]));
      continue;
    }
    // Any other line (a command line, a prompt, a ==> FILE <== header) says which files the bare values after it come from.
    if (line !== '') labels = [...line.matchAll(SINGLE_VALUE_FILE)].map((match) => match[0]);
  }
  return { readings, recognised, unlabelled };
}

/** The bytes the group may hold: memory.max (v1 limit_in_bytes), or memory.high when lower; none for "max". */
function limitOf(reading: Reading): number | 'none' | undefined {
  const bounds = [reading.single.get('limit'), reading.single.get('high')].filter((bound) => bound !== undefined);
  if (bounds.length === 0) return undefined;
  const numeric = bounds.filter((bound): bound is number => bound !== 'max' && bound < NO_LIMIT_BYTES);
  return numeric.length === 0 ? 'none' : Math.min(...numeric);
}

/**
 * cgroup.memory_working_set_pct from the last reading with a limit, a usage and the inactive
 * file list: usage less inactive_file (v1's hierarchical total_inactive_file when printed) over
 * the limit, as the kubelet counts a container's working set.
 */
function workingSetPct(readings: readonly Reading[], warn: (warning: InputWarning) => void): number | undefined {
  const field = 'cgroup.memory_working_set_pct';
  const complete = readings.filter((reading) => limitOf(reading) !== undefined && reading.single.has('usage'));
  const last = complete[complete.length - 1];
  if (last === undefined) return undefined;
  const limit = limitOf(last);
  if (limit === 'none') {
    warn({ field, message: 'the group has no memory limit of its own (memory.max "max", v1 limit_in_bytes unlimited): its usage meets no bound here, but a parent group\'s limit may bound it (v1 memory.stat hierarchical_memory_limit); read the group that holds the limit' });
    return undefined;
  }
  const usage = last.single.get('usage');
  const inactive = last.stat.get('total_inactive_file') ?? last.stat.get('inactive_file');
  if (typeof usage !== 'number' || limit === undefined || limit === 0) return undefined;
  if (inactive === undefined) {
    warn({ field, message: `usage ${usage} of limit ${limit} counts the page cache the kernel drops first: the working set needs memory.stat's inactive_file beside it (${READ_TWICE})` });
    return undefined;
  }
  return clampPercent((Math.max(0, usage - inactive) / limit) * 100);
}

/** The count of the times the group met its limit: v1's failcnt, v2's memory.events max + high. */
function limitHits(reading: Reading): number | undefined {
  const failcnt = reading.single.get('failcnt');
  if (typeof failcnt === 'number') return failcnt;
  const max = reading.events.get('max');
  const high = reading.events.get('high');
  return max === undefined && high === undefined ? undefined : (max ?? 0) + (high ?? 0);
}

/**
 * cgroup.memory_reclaiming_at_limit: the limit counters rose between the first and the last
 * reading that has them. One reading counts since the group was created: no fact, a warning.
 */
function reclaimingAtLimit(readings: readonly Reading[], warn: (warning: InputWarning) => void): boolean | undefined {
  const field = 'cgroup.memory_reclaiming_at_limit';
  const counted = readings.filter((reading) => limitHits(reading) !== undefined);
  const first = counted[0];
  const last = counted[counted.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const before = limitHits(first) ?? 0;
  const after = limitHits(last) ?? 0;
  if (counted.length === 1) {
    warn({ field, message: `the limit was met ${after} times (v1 failcnt, v2 memory.events max + high) since the group was created, in one reading: whether it reclaims now takes two readings a few seconds apart while it is slow (${READ_TWICE})` });
    return undefined;
  }
  if (after < before) {
    warn({ field, message: `the limit counters fell between the readings (${before} to ${after}): the group was created again, or the readings are out of order` });
    return undefined;
  }
  const kills = (last.events.get('oom_kill') ?? 0) - (first.events.get('oom_kill') ?? 0);
  if (kills > 0) {
    warn({ field: 'host.oom_kills', message: `memory.events oom_kill rose by ${kills} between the readings: the OOM killer ended processes of this group (see dmesg -T | grep -i -E 'out of memory|oom-kill|killed process')` });
  }
  return after > before;
}

export const cgroupMemoryParser: ArtifactParser = {
  kind: 'cgroup-memory',
  describe:
    "a cgroup's memory state, cd /sys/fs/cgroup; for i in 1 2; do head -n 100 memory.max memory.current memory.events memory.stat; sleep 5; done " +
    '(v1: memory.limit_in_bytes, memory.usage_in_bytes, memory.failcnt, memory.stat under /sys/fs/cgroup/memory/...; cat works too, ' +
    'its single numbers labelled by the command line that printed them; in a pod: kubectl exec POD -- sh -c ...): ' +
    'cgroup.memory_working_set_pct, usage less inactive_file over the limit as the kubelet counts it (none for "max" or v1\'s unlimited), and ' +
    'cgroup.memory_reclaiming_at_limit, v1 failcnt or v2 memory.events max + high rising between the first and the last reading ' +
    '(one reading: counts since the group was created, no fact, with a warning)',
  parse(text, context): ParsedFacts {
    const read = readCgroupMemory(artifactLines(text));
    if (!read.recognised) throw notRecognised('cgroup-memory', EXPECTED);
    const warnings: InputWarning[] = [];
    const warn = (warning: InputWarning) => warnings.push(warning);
    if (read.unlabelled) {
      warn({ field: 'cgroup.memory_working_set_pct', message: `bare numbers under no command line or ==> FILE <== header naming memory.max, memory.current (v1 limit_in_bytes, usage_in_bytes, failcnt): which is which cannot be told; paste them with the command that printed them (${READ_TWICE})` });
    }
    const facts = definedFacts({
      'cgroup.memory_working_set_pct': workingSetPct(read.readings, warn),
      'cgroup.memory_reclaiming_at_limit': reclaimingAtLimit(read.readings, warn),
    });
    if (Object.keys(facts).length === 0 && warnings.length === 0) {
      warn({ field: 'cgroup.memory_working_set_pct', message: `no limit and usage (memory.max and memory.current, v1 limit_in_bytes and usage_in_bytes) under a command line or ==> FILE <== header naming them: the working set takes them beside memory.stat (${READ_TWICE})` });
    }
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
