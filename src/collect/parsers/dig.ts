import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, numberAfter } from './text.js';

const STATUS_TO_RESULT: Readonly<Record<string, string>> = { NOERROR: 'ok', NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };
const EXPECTED = 'output of `dig NAME` (not +short): the ";; ->>HEADER<<-" status line or a timeout';
const HEADER = '->>HEADER<<-';

/** The last "status: X" after the header on a line; indexOf, since `HEADER.*status` backtracks per header. */
function headerStatus(line: string): string | undefined {
  const at = line.indexOf(HEADER);
  if (at < 0) return undefined;
  let status: string | undefined;
  for (const match of line.slice(at + HEADER.length).matchAll(/\bstatus: ([A-Z]+)/g)) status = match[1];
  return status;
}

/** Whether a line has `prefix` and, somewhere after it, `suffix` (the pattern `prefix.*suffix`). */
function hasAfter(line: string, prefix: string, suffix: string): boolean {
  const at = line.indexOf(prefix);
  return at >= 0 && line.indexOf(suffix, at + prefix.length) >= 0;
}

export const digParser: ArtifactParser = {
  kind: 'dig',
  describe:
    'dig [@SERVER] NAME: dns.result from the status (NOERROR ok, NXDOMAIN, SERVFAIL, REFUSED), or timeout when no server ' +
    'answered (";; connection timed out", "communications error ... timed out" or "... connection refused"), dns.resolve_ms from ";; Query time"',
  parse(text) {
    const all = artifactLines(text);
    // With +search or several servers dig may print more than one answer: the last one counts.
    const status = all.map(headerStatus).findLast((found) => found !== undefined);
    if (status !== undefined) {
      const result = STATUS_TO_RESULT[status];
      if (result === undefined) throw notRecognised('dig', EXPECTED, `status ${status}, which no dns.result value describes`);
      const facts: ParsedFacts = { 'dns.result': result };
      const queryMs = numberAfter(all, /;; Query time: (\d+) msec/);
      if (queryMs !== undefined) facts['dns.resolve_ms'] = queryMs;
      return facts;
    }
    // dig 9.16 ";; connection timed out; no servers could be reached"; 9.18 ";; communications
    // error to 127.0.0.1#53: timed out" then ";; no servers could be reached".
    const communicationsError = (suffix: string) => all.some((line) => hasAfter(line, ';; communications error to ', suffix));
    // A resolver port nothing listens on (ICMP port unreachable, "connection refused") ends the
    // same way: no server answered. The system resolver reports both alike (EAI_AGAIN, "Temporary
    // failure in name resolution"), and dns.result has one value for "no answer at all".
    if (all.some((line) => line.includes(';; connection timed out')) || communicationsError(': timed out') || communicationsError(': connection refused')) {
      return { 'dns.result': 'timeout' };
    }
    const answers = all.filter((line) => line.trim() !== '');
    if (answers.length > 0 && answers.every((line) => /^[\w.:-]+\.?$/.test(line.trim()) && /[.:]/.test(line))) {
      throw notRecognised('dig', EXPECTED, 'bare answers (dig +short), which carry no status');
    }
    throw notRecognised('dig', EXPECTED);
  },
};
