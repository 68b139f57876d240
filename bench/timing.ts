/** Wall time and this process's CPU time (user + system) of each call, in milliseconds. */
export interface Samples {
  wallMs: number[];
  cpuMs: number[];
}

/** Each of `runs` awaited calls timed on both clocks: on a shared machine the CPU clock counts a busy neighbour much less. */
export async function sampleEach(runs: number, fn: (i: number) => Promise<unknown>): Promise<Samples> {
  const samples: Samples = { wallMs: [], cpuMs: [] };
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await fn(i);
    samples.wallMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    samples.cpuMs.push((used.user + used.system) / 1e3);
  }
  return samples;
}

/** Wall time of each of `runs` awaited calls, in milliseconds. */
export async function timeEach(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  return (await sampleEach(runs, fn)).wallMs;
}

/** A figure rounded to `digits` decimals, as the benches print it. */
export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/**
 * The seconds of load a bench runs, from RCA_BENCH_SECONDS (`value`) or its own `fallback`: a
 * positive number, or a clear error naming the variable, as a NaN would reach autocannon silently.
 */
export function benchSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new Error(`RCA_BENCH_SECONDS: expected a positive number of seconds, got ${JSON.stringify(value)}`);
  return seconds;
}
