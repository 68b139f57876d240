import type { InputWarning } from '../../core/request.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, cells, definedFacts, mean, round, toNumber } from './text.js';

/**
 * iostat -x (sysstat): each device's wait per request, queue and busy time, in reports of one
 * line per device under a "Device" header. The layouts differ by version, so columns are found
 * by name: sysstat 12 (r_await, w_await, aqu-sz, then discard and flush columns), 11
 * (r/s w/s ... aqu-sz ... %util), 10 ("Device:", avgqu-sz, await, r_await, w_await) and before
 * (await alone).
 */
const EXPECTED = 'output of `iostat -x 1 5` (sysstat): reports of a "Device" header with r/s, w/s, %util and r_await/w_await (or await), a line per device under it';

/** A %util at or above this is "near 100", which says saturated only for a device serving one request at a time. */
const UTIL_NEAR_FULL_PCT = 90;

/** A header's columns, read once: every device line under it is read against them. */
interface Header {
  width: number;
  at: (name: string) => number | undefined;
}

function readHeader(names: readonly string[]): Header | undefined {
  if (names[0] !== 'Device' && names[0] !== 'Device:') return undefined;
  const places = new Map(names.map((name, i) => [name, i]));
  const hasAwait = places.has('await') || (places.has('r_await') && places.has('w_await'));
  if (!hasAwait || !places.has('%util') || !places.has('r/s') || !places.has('w/s')) return undefined;
  return { width: names.length, at: (name) => places.get(name) };
}

/** One device's line in one report. */
interface DeviceSample {
  report: number;
  reads: number;
  writes: number;
  /** r_await and w_await; before sysstat 10 one await for both. */
  readAwait?: number;
  writeAwait?: number;
  await?: number;
  queue?: number;
  util: number;
}

/** A value as iostat prints it; a locale's decimal comma ("0,57") reads as the point. */
function value(raw: string | undefined): number | undefined {
  return toNumber(raw?.replace(/^(\d+),(\d+)$/, '$1.$2'));
}

function readSamples(text: string): { samples: Map<string, DeviceSample[]>; reports: number } {
  const samples = new Map<string, DeviceSample[]>();
  let header: Header | undefined;
  let reports = 0;
  for (const line of artifactLines(text)) {
    const values = cells(line);
    const next = readHeader(values);
    if (next) {
      header = next;
      reports += 1;
      continue;
    }
    // A device's line has a cell under every column, its name first; anything else (avg-cpu's
    // lines, a blank line, a time stamp under -t) ends nothing and is not read.
    if (header === undefined || values.length !== header.width) continue;
    const cell = (name: string) => {
      const at = header?.at(name);
      return at === undefined ? undefined : value(values[at]);
    };
    const reads = cell('r/s');
    const writes = cell('w/s');
    const util = cell('%util');
    if (reads === undefined || writes === undefined || util === undefined) continue;
    const device = values[0] as string;
    const list = samples.get(device) ?? [];
    list.push({ report: reports, reads, writes, readAwait: cell('r_await'), writeAwait: cell('w_await'), await: cell('await'), queue: cell('aqu-sz') ?? cell('avgqu-sz'), util });
    samples.set(device, list);
  }
  return { samples, reports };
}

/**
 * The mean wait per request, weighted by the requests each report served: a report of an idle
 * second prints 0.00, which is no request, not a fast one.
 */
function weightedAwait(samples: readonly DeviceSample[], requests: (s: DeviceSample) => number, wait: (s: DeviceSample) => number | undefined): number | undefined {
  let served = 0;
  let waited = 0;
  for (const sample of samples) {
    const ms = wait(sample);
    const count = requests(sample);
    if (ms === undefined || count <= 0) continue;
    served += count;
    waited += ms * count;
  }
  return served > 0 ? waited / served : undefined;
}

interface DeviceLoad {
  device: string;
  util: number;
  queue: number;
  await?: number;
}

function loadOf(device: string, samples: readonly DeviceSample[]): DeviceLoad {
  const reads = weightedAwait(samples, (s) => s.reads, (s) => s.readAwait ?? s.await);
  const writes = weightedAwait(samples, (s) => s.writes, (s) => s.writeAwait ?? s.await);
  const waits = [reads, writes].filter((ms): ms is number => ms !== undefined);
  return {
    device,
    util: mean(samples.map((s) => s.util)) ?? 0,
    queue: mean(samples.map((s) => s.queue ?? 0)) ?? 0,
    await: waits.length > 0 ? Math.max(...waits) : undefined,
  };
}

/** The device with the longest queue (the saturation that holds for parallel devices too), then the most busy time; the first listed of a tie. */
function busiest(loads: readonly DeviceLoad[]): DeviceLoad | undefined {
  let best: DeviceLoad | undefined;
  for (const load of loads) if (best === undefined || load.queue > best.queue || (load.queue === best.queue && load.util > best.util)) best = load;
  return best;
}

export const iostatParser: ArtifactParser = {
  kind: 'iostat',
  describe:
    'iostat -x 1 5 (sysstat 10 to 12 layouts; not -h): of the busiest device by queue (aqu-sz, avgqu-sz), then %util (a warning names it when there are several), ' +
    'host.disk_await_ms (its r_await or w_await, whichever is higher, or await; the mean per request over the samples) and host.disk_util_pct (its %util, the mean of the samples: ' +
    'near 100 is saturation only for a device serving one request at a time, not for SSDs, NVMe or arrays); the first report, the average since boot, is skipped. ' +
    "The await is the device's: a cgroup's I/O throttle (io.max, blkio) or a volume's IOPS cap delays requests before they reach it, so tasks can block with it low (vmstat's b shows them)",
  parse(text, context) {
    const { samples, reports } = readSamples(text);
    if (reports === 0 || samples.size === 0) throw notRecognised('iostat', EXPECTED, reports > 0 ? 'a header without a device line' : undefined);
    // The first report averages everything since boot, so it says nothing about now.
    const current = [...samples].map(([device, list]) => [device, list.filter((s) => s.report > 1)] as const).filter(([, list]) => list.length > 0);
    if (current.length === 0) throw notRecognised('iostat', EXPECTED, 'only the since-boot report (give an interval: iostat -x 1 5)');
    const warn = (warning: InputWarning) => context?.warn?.(warning);
    const device = busiest(current.map(([name, list]) => loadOf(name, list))) as DeviceLoad;
    if (current.length > 1) {
      warn({ field: 'host.disk_await_ms', message: `read device ${device.device}, the busiest by queue (aqu-sz) and %util of ${current.length}: for another, iostat -x DEVICE 1 5` });
    }
    if (device.await === undefined) warn({ field: 'host.disk_await_ms', message: `device ${device.device} served no request in the samples, so it has no wait to read` });
    const util = round(Math.min(100, device.util));
    if (util >= UTIL_NEAR_FULL_PCT) {
      warn({
        field: 'host.disk_util_pct',
        message: `${device.device} was busy ${util}% of the time: saturated only if it serves one request at a time (one spinning disk); SSDs, NVMe and arrays serve many in parallel (iostat(1)), so read its queue (aqu-sz) and await`,
      });
    }
    return definedFacts({ 'host.disk_await_ms': device.await === undefined ? undefined : round(device.await), 'host.disk_util_pct': util });
  },
};
