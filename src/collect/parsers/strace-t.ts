import { notRecognised, type ArtifactParser } from './types.js';
import { lines, round } from './text.js';

// A traced call ends with its duration: "poll([...], 1, 1000) = 1 <0.104207>", also
// "<... futex resumed>) = 0 <0.000126>" and with -f / -tt prefixes before the name.
const TIMED_CALL = /(?:\w+\(|<\.\.\. \w+ resumed>).*=.*<(\d+\.\d+)>\s*$/;
const EXPECTED = 'lines of `strace -T` (each call ending with its duration, e.g. "= 0 <0.000126>")';

export const straceTParser: ArtifactParser = {
  kind: 'strace-t',
  describe: 'strace -T [-f] [-tt] -p PID: strace.slowest_call_ms (the longest single syscall)',
  parse(text) {
    let slowest: number | undefined;
    for (const line of lines(text)) {
      const seconds = TIMED_CALL.exec(line)?.[1];
      if (seconds !== undefined) slowest = Math.max(slowest ?? 0, Number(seconds));
    }
    if (slowest === undefined) throw notRecognised('strace-t', EXPECTED);
    return { 'strace.slowest_call_ms': round(slowest * 1000, 3) };
  },
};
