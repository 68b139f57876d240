import { tcpCounterFacts } from '../tcp-counters.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { numberAfter } from './text.js';

const EXPECTED = 'output of `netstat -s` (Linux net-tools) with its Tcp: and TcpExt: sections';

/** One "Name:" section: from its header line up to the next unindented line. */
function section(text: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\n((?:[ \\t].*(?:\\n|$))*)`, 'm').exec(text)?.[1];
}

export const netstatSParser: ArtifactParser = {
  kind: 'netstat-s',
  describe:
    'netstat -s (Linux): tcp.retransmit_pct = segments retransmitted / all segments sent; kernel.listen_overflows when ' +
    '"times the listen queue of a socket overflowed" or "SYNs to LISTEN sockets dropped" is above 0 (counters since boot)',
  parse(text) {
    const normalized = text.replace(/\r\n/g, '\n');
    const tcp = section(normalized, 'Tcp');
    const tcpExt = section(normalized, 'TcpExt');
    if (tcp === undefined && tcpExt === undefined) throw notRecognised('netstat-s', EXPECTED);
    const facts = tcpCounterFacts({
      // Older net-tools spell it "segments send out".
      outSegs: tcp === undefined ? undefined : numberAfter(tcp, /(\d+) segments sen[dt] out/),
      retransSegs: tcp === undefined ? undefined : numberAfter(tcp, /(\d+) segments retransmit+ed/),
      // netstat -s leaves out TcpExt counters that are zero, so in a TcpExt section a missing line means 0.
      listenOverflows: tcpExt === undefined ? undefined : (numberAfter(tcpExt, /(\d+) times the listen queue of a socket overflowed/) ?? 0),
      listenDrops: tcpExt === undefined ? undefined : (numberAfter(tcpExt, /(\d+) SYNs to LISTEN sockets (?:dropped|ignored)/) ?? 0),
    });
    if (Object.keys(facts).length === 0) throw notRecognised('netstat-s', EXPECTED, 'no segment counters in the Tcp: section');
    return facts;
  },
};
