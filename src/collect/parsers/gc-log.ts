import { notRecognised, type ArtifactParser, type ParseContext, type ParsedFacts } from './types.js';
import { artifactLines, clampPercent, round } from './text.js';

const EXPECTED =
  'a JVM GC log: unified logging (-Xlog:gc, JDK 9+: "[12.345s][info][gc] GC(7) Pause Full (Allocation Failure) 57M->51M(58M) 21.000ms") ' +
  'or -XX:+PrintGC[Details] (JDK 8: "12.345: [Full GC (Ergonomics) ..., 0.0212345 secs]"), ' +
  'or V8\'s --trace-gc (Node.js, Deno: "[4242:0x5a3c2e0]  5579 ms: Mark-Compact 61.9 (65.4) -> 60.3 (65.9) MB, 124.48 / 0.00 ms ..."), ' +
  'or an Elasticsearch, OpenSearch or CrateDB node\'s log lines of its GC monitor ("[gc][old][7210][31] duration [49.1s], collections [1]/[49.6s], ...")';

/** The time in GC is measured over the log's last minute: "now", not an average since the JVM started. */
const WINDOW_S = 60;
/** A log spanning less than this says nothing steady about the share of time in GC. */
const MIN_WINDOW_S = 1;

/**
 * One stop-the-world pause: when it started and ended (seconds, on the log's own clock), how long
 * it took, and the main-thread marking steps V8 ran before it (seconds, counted as ending at its start).
 */
interface Pause {
  start: number;
  end: number;
  ms: number;
  stepsS: number;
}

/** A line's time on the log's clock, and the pause it reports if any. */
interface GcLine {
  at: number;
  pause?: {
    ms: number;
    stampAtStart: boolean;
    /** V8's incremental marking steps before this pause: main-thread time in GC, though no one pause. */
    stepsMs?: number;
  };
}

/** ISO 8601 as both logs print it: 2026-12-02T11:35:20.018+0000 (JDK 8's date stamps, unified logging's time/utctime). */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)$/;

/** The clocks a unified-logging line may carry, in the order one is chosen: uptime first, so every line is read on the same clock. */
const CLOCKS: ReadonlyArray<readonly [pattern: RegExp, toSeconds: (value: string) => number]> = [
  [/^(\d+(?:\.\d+)?)s$/, (v) => Number(v)], // uptime
  [/^(\d+)ms$/, (v) => Number(v) / 1e3], // uptimemillis, timemillis
  [/^(\d+)ns$/, (v) => Number(v) / 1e9], // uptimenanos, timenanos
];

/** Seconds from an ISO stamp, or undefined. */
function isoSeconds(stamp: string): number | undefined {
  if (!ISO_TIME.test(stamp)) return undefined;
  const ms = Date.parse(stamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** A decoration's clock (its rank in CLOCKS, ISO time last) and its seconds; undefined for level, tags, pid... */
function decorationTime(decoration: string): { rank: number; seconds: number } | undefined {
  for (const [rank, [pattern, toSeconds]] of CLOCKS.entries()) {
    const value = pattern.exec(decoration)?.[1];
    if (value !== undefined) return { rank, seconds: toSeconds(value) };
  }
  const seconds = isoSeconds(decoration);
  return seconds === undefined ? undefined : { rank: CLOCKS.length, seconds };
}

/** "GC(7) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms", ZGC's "GC(3) Y: Pause Mark Start 0.012ms". */
const UNIFIED_PAUSE = /^GC\(\d+\) (?:[YO]: )?Pause \S.* (\d+(?:\.\d+)?)ms$/;

/**
 * A unified-logging line: its decorations in brackets ([uptime][level][tags]), then the message.
 * Only lines tagged gc (gc, gc,start, gc,phases ...), or without tags and about a GC(N), count.
 */
function unifiedLine(line: string): GcLine | undefined {
  let at = 0;
  let time: { rank: number; seconds: number } | undefined;
  let gcTagged = false;
  while (line.startsWith('[', at)) {
    const close = line.indexOf(']', at);
    if (close < 0) return undefined;
    const decoration = line.slice(at + 1, close).trim();
    at = close + 1;
    const read = decorationTime(decoration);
    if (read !== undefined && (time === undefined || read.rank < time.rank)) time = read;
    else if (/^gc(?:,[a-z]+)*$/.test(decoration)) gcTagged = true;
  }
  const message = line.slice(at).trim();
  if (time === undefined || !(gcTagged || /^GC\(\d+\) /.test(message))) return undefined;
  const pause = UNIFIED_PAUSE.exec(message);
  // Unified logging prints a pause's line when it ends.
  return pause ? { at: time.seconds, pause: { ms: Number(pause[1]), stampAtStart: false } } : { at: time.seconds };
}

/** JDK 8's stamps before an event: "2026-12-02T11:35:20.018+0000: 12.345: [GC ..." (date, uptime, both or neither). */
const LEGACY_STAMPS = /^(?:(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d{4})): )?(?:(\d+\.\d+): )?\[/;
/** A collection's total: the last ", 0.0212345 secs]" (a generation's own time comes before it; [Times: ...] has none). */
const LEGACY_SECS = /, (\d+(?:\.\d+)?) secs\]/g;

/**
 * A JDK 8 line (-XX:+PrintGC or PrintGCDetails, with PrintGCTimeStamps and/or PrintGCDateStamps):
 * its stamp is when the event started. G1's and CMS's concurrent phases are no pause.
 */
function legacyLine(line: string): GcLine | { unstampedPauseMs: number } | undefined {
  const stamps = LEGACY_STAMPS.exec(line);
  if (!stamps) return undefined;
  const event = line.slice(stamps[0].length - 1);
  let secs: string | undefined;
  if (/^\[(?:Full GC|GC)\b/.test(event) && !event.startsWith('[GC concurrent')) for (const total of event.matchAll(LEGACY_SECS)) secs = total[1];
  const ms = secs === undefined ? undefined : Number(secs) * 1000;
  const at = stamps[2] !== undefined ? Number(stamps[2]) : stamps[1] !== undefined ? isoSeconds(stamps[1]) : undefined;
  if (at === undefined) return ms === undefined ? undefined : { unstampedPauseMs: ms };
  return ms === undefined ? { at } : { at, pause: { ms, stampAtStart: true } };
}

/**
 * V8's --trace-gc line (Node.js, Deno, Chrome's --js-flags), printed when the pause ends, its
 * stamp the milliseconds since the isolate started: "[4242:0x5a3c2e0]  5579 ms: Mark-Compact
 * 61.9 (65.4) -> 60.3 (65.9) MB, 124.48 / 0.00 ms  (+ 20.2 ms in 100 steps since start of
 * marking, ...) (average mu = 0.371, current mu = 0.027) task; ...". The first of "124.48 /
 * 0.00 ms" is the whole pause (the second, the embedder's callbacks within it); "(+ 20.2 ms in
 * 100 steps" is the incremental marking done on the main thread before it, time the JavaScript
 * did not run either. Collectors: Scavenge, Minor Mark-Sweep, Mark-Compact (Mark-sweep before
 * V8 7), each maybe "(reduce)" or "(during sweeping)"; "pooled: 1.0 MB, " since V8 12.
 */
const V8_TRACE_GC =
  /^\[\d+(?::0x[0-9a-f]+)?\] +(\d+(?:\.\d+)?) ms: [A-Z][a-z]*(?:[ -][A-Za-z][a-z]*)*(?: \([a-z ]+\))* [\d.]+ \([\d.]+\) -> [\d.]+ \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?(\d+(?:\.\d+)?) \/ [\d.]+ ms(?: +\(\+ (\d+(?:\.\d+)?) ms in \d+ steps)?/;
/**
 * The same event under --trace-gc-nvp, name=value pairs: "[4242:0x5a3c2e0]  143 ms: pause=3.6
 * mutator=32.6 gc=mc ... incremental=26.9 ...", a Mark-Compact's incremental marking in "incremental".
 */
const V8_TRACE_GC_NVP = /^\[\d+(?::0x[0-9a-f]+)?\] +(\d+(?:\.\d+)?) ms: pause=(\d+(?:\.\d+)?) mutator=[\d.]+ gc=[a-z]+ /;
const V8_NVP_STEPS = / incremental=(\d+(?:\.\d+)?)(?: |$)/;

/**
 * A V8 line. "mu" (mutator utilisation, average and current) is not read: 1 - current mu is the
 * share of the time since the previous Mark-Compact that the last one took (its marking steps and
 * pause; scavenges left out), one cycle of a second or less, and the average halves the past at
 * each cycle (V8's GCTracer::RecordMutatorUtilization). The pauses and steps of the last minute,
 * scavenges included, are the share the JVM's logs give.
 */
function v8Line(line: string): GcLine | undefined {
  const plain = V8_TRACE_GC.exec(line);
  const nvp = plain ? undefined : V8_TRACE_GC_NVP.exec(line);
  const read = plain ?? nvp;
  if (!read) return undefined;
  const steps = plain ? plain[3] : V8_NVP_STEPS.exec(line)?.[1];
  const stepsMs = steps === undefined ? 0 : Number(steps);
  return { at: Number(read[1]) / 1000, pause: { ms: Number(read[2]), stampAtStart: false, ...(stepsMs > 0 && { stepsMs }) } };
}

/** ES's TimeValue units (TimeValue#toString): "850ms", "49.1s", "1.9m". */
const TIME_VALUE_MS: Readonly<Record<string, number>> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 };
const timeValueMs = (value: string, unit: string) => Number(value) * (TIME_VALUE_MS[unit] as number);
/** A TimeValue in a monitor line, its number and its unit captured: the units TIME_VALUE_MS converts. */
const TIME_VALUE = `(\\d{1,12}(?:\\.\\d{1,6})?)(${Object.keys(TIME_VALUE_MS).join('|')})`;
/**
 * Elasticsearch's own GC monitor (JvmGcMonitorService; OpenSearch and CrateDB keep it), in the
 * node's log whatever its layout (plain, or JSON's "message"): "[gc][old][7210][31] duration
 * [49.1s], collections [1]/[49.6s], total ..." once a second's collections of one collector took
 * long. `duration` is what the JVM's GarbageCollectorMXBean counted for the `collections` of that
 * interval: their mean is a floor of the longest of them. Its overhead line, "[gc][7210] overhead,
 * spent [1.3s] collecting in the last [1.6s]", is written only for intervals above a share (10%
 * by default), so the lines give no share of a minute.
 */
const ES_SLOW_GC = new RegExp(String.raw`\[gc\]\[(\w{1,32})\]\[\d{1,20}\]\[\d{1,20}\] duration \[${TIME_VALUE}\], collections \[(\d{1,12})\]/`);
const ES_OVERHEAD = new RegExp(String.raw`\[gc\]\[\d{1,20}\] overhead, spent \[${TIME_VALUE}\] collecting in the last \[${TIME_VALUE}\]`);

/** What an Elasticsearch node's GC monitor lines say: the longest mean collection, by collector, and the worst interval's share. */
interface EsMonitor {
  longestMs: number;
  longestCollector: string;
  worstSharePct: number | undefined;
}

function readEsMonitor(lines: readonly string[]): EsMonitor | undefined {
  const monitor: EsMonitor = { longestMs: 0, longestCollector: '', worstSharePct: undefined };
  let read = false;
  for (const line of lines) {
    const slow = ES_SLOW_GC.exec(line);
    if (slow) {
      read = true;
      const collections = Number(slow[4]);
      const ms = collections > 0 ? timeValueMs(slow[2] as string, slow[3] as string) / collections : 0;
      if (ms > monitor.longestMs) [monitor.longestMs, monitor.longestCollector] = [ms, slow[1] as string];
      continue;
    }
    const overhead = ES_OVERHEAD.exec(line);
    if (!overhead) continue;
    const last = timeValueMs(overhead[3] as string, overhead[4] as string);
    if (last <= 0) continue;
    read = true;
    monitor.worstSharePct = Math.max(monitor.worstSharePct ?? 0, clampPercent((timeValueMs(overhead[1] as string, overhead[2] as string) / last) * 100));
  }
  return read ? monitor : undefined;
}

/**
 * The facts of an Elasticsearch node's GC monitor lines: the longest collection (a mean where one
 * interval held several) as app.gc_pause_ms. An old collection is a stop-the-world pause under G1
 * (a full GC) and Parallel, but CMS, the default on JDK 8 before Elasticsearch 7.x, counts its
 * concurrent phases in it too: a warning says so when the longest is one.
 */
function esMonitorFacts(monitor: EsMonitor, context: ParseContext | undefined): ParsedFacts {
  const worst = monitor.worstSharePct === undefined ? '' : `; the worst interval its overhead lines report spent ${round(monitor.worstSharePct, 2)}% of its time collecting`;
  context?.warn?.({ field: 'app.gc_time_pct', message: `the GC monitor of an Elasticsearch node logs only the intervals above its thresholds, so no share of a minute${worst}: the JVM's GC log (-Xlog:gc, gc.log beside the node's log) gives it` });
  if (monitor.longestMs === 0) {
    context?.warn?.({ field: 'app.gc_pause_ms', message: "the GC monitor's lines name no collection that took any time (an overhead line says how much of an interval went to collecting, not how long one collection took): no longest pause" });
    return {};
  }
  if (monitor.longestCollector === 'old') {
    context?.warn?.({ field: 'app.gc_pause_ms', message: 'the longest is an old collection: a stop-the-world pause under G1 and Parallel, but under CMS (Elasticsearch\'s default on JDK 8 before 7.x) it counts the concurrent phases too: the GC log\'s "Pause" lines say' });
  }
  return { 'app.gc_pause_ms': round(monitor.longestMs, 3) };
}

/** The last run of the JVM in the log: a clock that goes back means it restarted (or logs were appended). */
function lastRun(lines: readonly GcLine[]): GcLine[] {
  let from = 0;
  for (let i = 1; i < lines.length; i++) if ((lines[i]?.at ?? 0) < (lines[i - 1]?.at ?? 0)) from = i;
  return lines.slice(from);
}

/** The share of the last minute (from the first pause on) that pauses took, or undefined when that is under a second. */
function timeInGcPct(pauses: readonly Pause[], logEnd: number, context: ParseContext | undefined): number | undefined {
  let firstStart = Infinity;
  let end = logEnd;
  for (const p of pauses) {
    firstStart = Math.min(firstStart, p.start);
    end = Math.max(end, p.end);
  }
  const start = Math.max(end - WINDOW_S, firstStart);
  if (end - start < MIN_WINDOW_S) {
    context?.warn?.({ field: 'app.gc_time_pct', message: `the log's pauses span ${round(end - start, 3)} s, too short for a share of time in GC: give a minute or more of the log` });
    return undefined;
  }
  const overlap = (from: number, to: number) => Math.max(0, Math.min(to, end) - Math.max(from, start));
  const inGc = pauses.reduce((sum, p) => sum + overlap(p.start, p.end) + overlap(p.start - p.stepsS, p.start), 0);
  return clampPercent((inGc / (end - start)) * 100);
}

export const gcLogParser: ArtifactParser = {
  kind: 'gc-log',
  describe:
    'a JVM GC log, unified logging (-Xlog:gc or -Xlog:gc*, JDK 9+, any time decoration) or -XX:+PrintGCDetails (JDK 8), or V8\'s ' +
    '--trace-gc or --trace-gc-nvp output (Node.js, Deno): app.gc_pause_ms, the longest stop-the-world pause (concurrent phases are not pauses), ' +
    "and app.gc_time_pct, the pauses' share of the log's last minute, with V8's incremental marking steps on the main thread " +
    '(from its first pause on; a log restarted by a new process is read from the restart; none under a second, or without time stamps); ' +
    "or an Elasticsearch (OpenSearch, CrateDB) node's log lines of its GC monitor, JvmGcMonitorService: app.gc_pause_ms, the longest " +
    '"[gc][young|old]... duration [D], collections [N]/..." as D / N (a warning where it is an old collection, which under CMS counts ' +
    'concurrent phases too), and no app.gc_time_pct (its overhead lines come only above a threshold: a warning names the worst interval)',
  parse(text, context) {
    const lines: GcLine[] = [];
    const unstamped: number[] = [];
    const textLines = artifactLines(text);
    for (const line of textLines) {
      const read = unifiedLine(line) ?? legacyLine(line) ?? v8Line(line);
      if (read === undefined) continue;
      if ('unstampedPauseMs' in read) unstamped.push(read.unstampedPauseMs);
      else lines.push(read);
    }
    const run = lastRun(lines);
    const pauses: Pause[] = run.flatMap(({ at, pause }) => {
      if (!pause) return [];
      const seconds = pause.ms / 1000;
      const stepsS = (pause.stepsMs ?? 0) / 1000;
      return [pause.stampAtStart ? { start: at, end: at + seconds, ms: pause.ms, stepsS } : { start: at - seconds, end: at, ms: pause.ms, stepsS }];
    });
    if (pauses.length === 0 && unstamped.length === 0) {
      // No JVM or V8 pause: an Elasticsearch node's GC monitor, else not a GC log.
      const monitor = readEsMonitor(textLines);
      if (monitor) return esMonitorFacts(monitor, context);
      throw notRecognised('gc-log', EXPECTED, lines.length > 0 ? 'GC log lines without a stop-the-world pause (for ZGC or Shenandoah, -Xlog:gc* logs the pauses)' : undefined);
    }
    const longest = [...pauses.map((p) => p.ms), ...unstamped].reduce((a, b) => Math.max(a, b), 0);
    const facts: ParsedFacts = { 'app.gc_pause_ms': round(longest, 3) };
    if (pauses.length === 0) {
      context?.warn?.({ field: 'app.gc_time_pct', message: 'the log has no time stamps, so no share of time in GC: -XX:+PrintGCTimeStamps (JDK 8) or -Xlog:gc with its default uptime decoration prints them' });
      return facts;
    }
    const share = timeInGcPct(pauses, run.reduce((latest, l) => Math.max(latest, l.at), -Infinity), context);
    if (share !== undefined) facts['app.gc_time_pct'] = share;
    return facts;
  },
};
