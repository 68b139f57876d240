import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { numberAfter } from './text.js';

const STATUS_TO_RESULT: Readonly<Record<string, string>> = { NOERROR: 'ok', NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };
const EXPECTED = 'output of `dig NAME` (not +short): the ";; ->>HEADER<<-" status line or a timeout';

export const digParser: ArtifactParser = {
  kind: 'dig',
  describe:
    'dig [@SERVER] NAME: dns.result from the status (NOERROR ok, NXDOMAIN, SERVFAIL, REFUSED) or a timeout ' +
    '(";; connection timed out" / "communications error ... timed out"), dns.resolve_ms from ";; Query time"',
  parse(text) {
    // With +search or several servers dig may print more than one answer: the last one counts.
    const statuses = [...text.matchAll(/->>HEADER<<-.*\bstatus: ([A-Z]+)/g)].map((m) => m[1] ?? '');
    const status = statuses[statuses.length - 1];
    if (status !== undefined) {
      const result = STATUS_TO_RESULT[status];
      if (result === undefined) throw notRecognised('dig', EXPECTED, `status ${status}, which no dns.result value describes`);
      const facts: ParsedFacts = { 'dns.result': result };
      const queryMs = numberAfter(text, /;; Query time: (\d+) msec/);
      if (queryMs !== undefined) facts['dns.resolve_ms'] = queryMs;
      return facts;
    }
    // dig 9.16 ";; connection timed out; no servers could be reached"; 9.18 ";; communications
    // error to 127.0.0.1#53: timed out" then ";; no servers could be reached".
    if (/;; connection timed out|;; communications error to .*: timed out/.test(text)) return { 'dns.result': 'timeout' };
    // A closed port (ICMP port unreachable) is not a DNS answer, nor a slow server: no fact fits.
    if (/;; communications error to .*: connection refused/.test(text)) throw notRecognised('dig', EXPECTED, 'connection refused: no DNS server listens there');
    const answers = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (answers.length > 0 && answers.every((line) => /^[\w.:-]+\.?$/.test(line.trim()) && /[.:]/.test(line))) {
      throw notRecognised('dig', EXPECTED, 'bare answers (dig +short), which carry no status');
    }
    throw notRecognised('dig', EXPECTED);
  },
};
