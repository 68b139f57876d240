import { tcpCounterFacts } from '../tcp-counters.js';
import { notRecognised, type ArtifactParser } from './types.js';
import { artifactLines, toNumber } from './text.js';

const EXPECTED = 'output of `nstat -az` (iproute2: "TcpOutSegs  466451  0.0" lines)';

export const nstatParser: ArtifactParser = {
  kind: 'nstat',
  describe:
    'nstat -az (or nstat -a; without -a nstat shows the change since its last run): tcp.retransmit_pct from TcpRetransSegs and ' +
    'TcpOutSegs, kernel.listen_overflows from TcpExtListenOverflows / TcpExtListenDrops (only counters that are listed)',
  parse(text) {
    const counters = new Map<string, number>();
    for (const line of artifactLines(text)) {
      const match = /^(Tcp\w+|Ip\w+|Udp\w+|Icmp\w+)\s+(\d+)(?:\s+[\d.]+)?\s*$/.exec(line.trim());
      const value = toNumber(match?.[2]);
      if (match?.[1] !== undefined && value !== undefined) counters.set(match[1], value);
    }
    if (counters.size === 0) throw notRecognised('nstat', EXPECTED);
    const facts = tcpCounterFacts({
      outSegs: counters.get('TcpOutSegs'),
      retransSegs: counters.get('TcpRetransSegs'),
      listenOverflows: counters.get('TcpExtListenOverflows'),
      listenDrops: counters.get('TcpExtListenDrops'),
    });
    if (Object.keys(facts).length === 0) throw notRecognised('nstat', EXPECTED, 'none of TcpOutSegs, TcpRetransSegs, TcpExtListenOverflows, TcpExtListenDrops');
    return facts;
  },
};
