import { TCPDUMP_SHORT_WITH_VALUE } from '../../bounded-commands.js';
import { commandArguments, programOf, simpleCommands } from '../../command-program.js';
import { commandsAsWritten } from '../../variants.js';
import type { LintCheck } from '../check.js';

/**
 * A header read by offset that libpcap applies to IPv4 packets only: pcap-filter(7), on
 * `proto [ expr : size ]`, "tcp, udp and other upper-layer protocol types only apply to IPv4,
 * not IPv6". With an IPv6 host in the same filter, tcpdump refuses it ("expression rejects all
 * packets"); without one, it captures IPv4 and never shows the IPv6 flows.
 */
const IPV4_ONLY_ACCESS = /\b(?:tcp|udp|icmp|ip)\[/;
const IPV6_ALTERNATIVE = /\bip6\b/;

/** The filters of the tcpdump runs in TEXT (its operands, joined as tcpdump joins them) that read an IPv4-only header and have no ip6 alternative. */
export function ipv4OnlyCaptureFilters(text: string): string[] {
  const filters: string[] = [];
  for (const command of simpleCommands(text)) {
    const program = programOf(command);
    if (program?.name !== 'tcpdump') continue;
    const filter = [...commandArguments(program.args, TCPDUMP_SHORT_WITH_VALUE)].flatMap((a) => (a.operand === undefined ? [] : [a.operand])).join(' ');
    if (IPV4_ONLY_ACCESS.test(filter) && !IPV6_ALTERNATIVE.test(filter)) filters.push(filter);
  }
  return filters;
}

export const ipv6CaptureFilter: LintCheck = {
  meta: {
    id: 'ipv6-capture-filter',
    severity: 'warning',
    docs: {
      description: "A tcpdump filter of a question's `how`, a check's `command` or a named command (or a variant) reads a header by offset (`tcp[tcpflags]`, `udp[...]`, `icmp[...]`, `ip[...]`) with no `ip6` alternative.",
      why: 'libpcap applies those to IPv4 packets only (pcap-filter(7)): against an IPv6 target the capture is refused ("expression rejects all packets") or shows nothing, and the engineer reads "no SYN, no RST" into a flow it never saw. An alternative such as `(tcp[tcpflags] & tcp-syn != 0 or ip6[40+13] & 0x02 != 0)` reads the same flags of an IPv6 packet without extension headers.',
    },
  },
  run(kb, report) {
    for (const { text, file, path, id } of commandsAsWritten(kb)) {
      for (const filter of ipv4OnlyCaptureFilters(text)) report(file, path, id, `expected a capture filter that matches IPv6 flows too, got ${JSON.stringify(filter)}, whose header offsets libpcap reads on IPv4 packets only: add an ip6[] alternative, e.g. (tcp[tcpflags] & tcp-syn != 0 or ip6[40+13] & 0x02 != 0)`);
    }
  },
};
