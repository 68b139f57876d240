import { notRecognised, type ArtifactParser } from './types.js';
import { readPingSummary } from './ping.js';
import { artifactLines } from './text.js';

// The local stack refuses (Linux "local error: message too long, mtu=1400", BSD/macOS
// "sendto: Message too long") or a router answers "Frag needed and DF set" / Windows
// "Packet needs to be fragmented but DF set".
const TOO_BIG = /message too long|frag(?:mentation)? needed|needs to be fragmented/i;
/** Below this payload a don't-fragment ping says nothing about a 1500-byte path MTU. */
const MIN_PROBE_PAYLOAD = 1000;
const EXPECTED = 'output of `ping -M do -s 1472 -c 3 HOST` (BSD/macOS: `ping -D -s 1472`) with its statistics summary';

export const pingMtuParser: ArtifactParser = {
  kind: 'ping-mtu',
  describe: 'ping -M do -s 1472 -c 3 HOST (don\'t-fragment, near the MTU): ping.large_packet_fail',
  parse(text) {
    const all = artifactLines(text);
    const summary = readPingSummary(all);
    const tooBig = all.some((line) => TOO_BIG.test(line));
    if (!summary && !tooBig) throw notRecognised('ping-mtu', EXPECTED);
    if (summary?.payloadBytes !== undefined && summary.payloadBytes < MIN_PROBE_PAYLOAD) {
      throw notRecognised('ping-mtu', EXPECTED, `pings of ${summary.payloadBytes} bytes (too small to test the MTU)`);
    }
    // With DF set, a large ping that gets no reply at all is dropped somewhere on the path.
    return { 'ping.large_packet_fail': tooBig || (summary !== undefined && summary.received === 0) };
  },
};
