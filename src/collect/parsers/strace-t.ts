import { notRecognised, type ArtifactParser } from './types.js';
import { lines, round } from './text.js';

// A traced call ends with its duration: "poll([...], 1, 1000) = 1 <0.104207>", also
// "<... futex resumed>) = 0 <0.000126>" and with -f / -tt prefixes before the name. The line
// is taken apart with indexOf, not one pattern with two `.*`: those backtrack over every `=`.
const DURATION = /^\d+\.\d+$/;
// A call's opening: a name then "(" (one word character before it is enough to know), or a resumption.
const CALL_START = /\w\(|<\.\.\. \w+ resumed>/;
const EXPECTED = 'lines of `strace -T` (each call ending with its duration, e.g. "= 0 <0.000126>")';

/** The seconds of a line "CALL ... = RESULT <SECONDS>", or undefined for any other line. */
function callSeconds(line: string): number | undefined {
  const trimmed = line.trimEnd();
  if (!trimmed.endsWith('>')) return undefined;
  const open = trimmed.lastIndexOf('<');
  const seconds = trimmed.slice(open + 1, -1);
  if (open < 0 || !DURATION.test(seconds)) return undefined;
  const equals = trimmed.lastIndexOf('=', open);
  return equals >= 0 && CALL_START.test(trimmed.slice(0, equals)) ? Number(seconds) : undefined;
}

export const straceTParser: ArtifactParser = {
  kind: 'strace-t',
  describe: 'strace -T [-f] [-tt] -p PID: strace.slowest_call_ms (the longest single syscall)',
  parse(text) {
    let slowest: number | undefined;
    // Whole lines: with strace -s a call's string arguments make lines longer than the cut
    // (MAX_LINE_CHARS), and the duration is at the end; callSeconds reads a line in one pass.
    for (const line of lines(text)) {
      const seconds = callSeconds(line);
      if (seconds !== undefined) slowest = Math.max(slowest ?? 0, seconds);
    }
    if (slowest === undefined) throw notRecognised('strace-t', EXPECTED);
    return { 'strace.slowest_call_ms': round(slowest * 1000, 3) };
  },
};
