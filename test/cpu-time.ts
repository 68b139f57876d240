/**
 * A stopwatch of the CPU time (user and system) this process spends from now on, in
 * milliseconds: the measure of the bounds that catch a super-linear stall in synchronous code.
 * The wall clock is the wrong one there: on a machine whose cores other processes keep busy
 * (a CI runner, test files side by side) a redaction that takes 1 s took 8 s of wall clock,
 * while its CPU time stays near 1 s; a quadratic pattern on a megabyte still costs minutes of
 * CPU. Code that waits (sockets, timers, child processes) keeps wall-clock bounds.
 */
export function cpuStopwatch(): { ms(): number } {
  const start = process.cpuUsage();
  return {
    ms() {
      const { user, system } = process.cpuUsage(start);
      return (user + system) / 1000;
    },
  };
}
