import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, clampPercent, round } from './text.js';

const EXPECTED =
  'the output of `ss -Htan dst HOST dport = :PORT | wc -l; cat /proc/sys/net/ipv4/ip_local_port_range`: the count on a line of its own ' +
  'and the range\'s two ports (or sysctl\'s "net.ipv4.ip_local_port_range = 32768 60999")';

/** wc -l's count on a line of its own; more digits than any socket table holds is no count. */
const COUNT = /^\s*(\d{1,9})\s*$/;
/** The range as /proc prints it ("32768\t60999") or sysctl does ("net.ipv4.ip_local_port_range = 32768\t60999"). */
const RANGE = /^\s*(?:net\.ipv4\.ip_local_port_range\s*=\s*)?(\d{1,5})\s+(\d{1,5})\s*$/;

/**
 * A connect without bind takes a local port from net.ipv4.ip_local_port_range that no socket to
 * the same address and port holds (TIME-WAIT ones included, unless tcp_tw_reuse lends them): the
 * sockets to one destination over the range's size is how much of it is spent (ip-sysctl.rst,
 * ip_local_port_range; connect(2), EADDRNOTAVAIL).
 */
export const ephemeralPortsParser: ArtifactParser = {
  kind: 'ephemeral-ports',
  describe:
    'ss -Htan dst HOST dport = :PORT | wc -l; cat /proc/sys/net/ipv4/ip_local_port_range (or sysctl net.ipv4.ip_local_port_range): ' +
    'kernel.ephemeral_ports_used_pct, the sockets to that one address and port (TIME-WAIT ones among them: each holds its local port) ' +
    'over the size of the local port range (32768-60999 by default: 28,232 ports); a count above the range (several source addresses) ' +
    'reads 100, with a warning; a count without the range is refused, naming the command that prints it',
  parse(text, context): ParsedFacts {
    let count: number | undefined;
    let range: [number, number] | undefined;
    for (const line of artifactLines(text)) {
      const ports = RANGE.exec(line);
      if (ports) {
        const [low, high] = [Number(ports[1]), Number(ports[2])];
        if (low >= 1 && low <= high && high <= 65535) range = [low, high];
        continue;
      }
      const counted = COUNT.exec(line);
      if (counted) count = Number(counted[1]);
    }
    // A number on a line of its own is any text's: only beside the range is it this command's count.
    if (count === undefined || range === undefined) {
      const got = range ? 'a port range without a count of sockets' : count !== undefined ? `a count, ${count}, without the local port range to divide it by (cat /proc/sys/net/ipv4/ip_local_port_range prints it: 32768 60999 by default)` : undefined;
      throw notRecognised('ephemeral-ports', EXPECTED, got);
    }
    const size = range[1] - range[0] + 1;
    if (count > size) {
      context?.warn?.({ field: 'kernel.ephemeral_ports_used_pct', message: `${count} sockets to one destination, more than the ${size} ports of ${range[0]}-${range[1]}: several source addresses share the load, or the count was not of one address and port (ss -Htan dst HOST dport = :PORT); read as 100` });
    }
    return { 'kernel.ephemeral_ports_used_pct': round(clampPercent((count / size) * 100), 2) };
  },
};
