import type { ParseContext } from './types.js';

/**
 * The facts netstat -s and nstat read from counters that count since boot, and when to take the
 * runs that show a rise: one table for both tools.
 */
export const RISING_DURING = {
  'kernel.listen_overflows': 'while the problem happens',
  'kernel.rp_filter_drops': 'while the connects fail',
  'kernel.csum_errors': 'while the traffic fails',
  'tcp.reordering': 'on the host sending the data, while the transfers are slow',
} as const;
export type RisingFactName = keyof typeof RISING_DURING;

/** What one line of a counter-printing command is: the header that starts a run, a counter and its value, or neither. */
export type CounterLine = 'header' | readonly [name: string, value: number] | undefined;

/**
 * The runs of a command that prints counters, pasted one after another (nstat -az, ethtool -S):
 * its header line starts a run, and so does a counter the run already holds (a paste that lost
 * its headers, or runs of a grep of the counters). Lines `read` says are neither are skipped.
 */
export function counterRuns(all: readonly string[], read: (line: string) => CounterLine): Array<Map<string, number>> {
  const runs: Array<Map<string, number>> = [];
  let current: Map<string, number> | undefined;
  for (const line of all) {
    const counter = read(line);
    if (counter === 'header') current = undefined;
    else if (counter !== undefined) {
      const [name, value] = counter;
      if (current === undefined || current.has(name)) runs.push((current = new Map()));
      current.set(name, value);
    }
  }
  return runs;
}

/** A kernel counter that counts since boot, as one run or more of the command that prints it showed it. */
export interface SinceBootCounter {
  /** The fact it answers, for the warning. */
  fact: string;
  /** The counter as the tool names it ("insert_failed"). */
  name: string;
  /** Its value in each run, in the order pasted. */
  runs: readonly number[];
  /** The command ("conntrack -S"). */
  tool: string;
  /** How to run it twice: "a minute apart (conntrack -S; sleep 60; conntrack -S)". */
  twice: string;
  /** Since when it counts, when not since boot ("since the driver loaded"). */
  since?: string;
}

/**
 * Whether the counter is rising, as far as the runs show: it counts since boot, so one run says
 * only "never" (0), and anything above 0 may be from months ago; a rise needs a later run. A
 * later run below an earlier one (a reboot, the module reloaded, runs pasted out of order) says
 * nothing. What the runs cannot say is told to `warn`, naming how to run the command twice.
 */
export function risingSinceBoot({ fact, name, runs, tool, twice, since = 'since boot' }: SinceBootCounter, warn: ParseContext['warn']): boolean | undefined {
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (first === undefined || last === undefined) return undefined;
  if (runs.length === 1) {
    if (first === 0) return false;
    warn?.({ field: fact, message: `${name} is ${first} ${since} in one run of ${tool}, which does not say whether it is rising: paste two runs ${twice}` });
    return undefined;
  }
  if (last < first) {
    warn?.({ field: fact, message: `${name} fell from ${first} to ${last} between the first and the last run (a reboot, or the runs out of order), which says nothing of a rise` });
    return undefined;
  }
  return last > first;
}
