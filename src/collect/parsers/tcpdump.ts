import type { InputWarning } from '../../core/request.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, toNumber } from './text.js';

const EXPECTED = 'output of `tcpdump -nn` (or -nn -v) printing TCP packets ("IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [S], ...")';

/**
 * A packet line's head: tcpdump's time stamp (default, or -tttt's date before it), -i any's
 * interface and direction, then the protocol: "IP " or "IP6 ", or with -e the link-level header
 * ("MAC > MAC, ethertype IPv4 (0x0800), length 74: "; under -i any "ifindex 1 MAC ethertype
 * ..."; tcpdump 4.99). A frame from a trunk port carries its 802.1Q tags between the two (one, or
 * two for QinQ: "ethertype 802.1Q (0x8100), length 78: vlan 100, p 0, ethertype IPv4 (0x0800), ";
 * tcpdump's print-vlan.c, which adds ", DEI" when that bit is set). Everything before the
 * addresses is bounded, so a long line is read once.
 */
const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';
const ETHERTYPE_CODE = '\\(0x[0-9a-f]{4}\\), ';
/** The tag protocol identifiers tcpdump names: 0x8100, 0x88a8 (802.1ad), 0x9100 and 0x9200. */
const VLAN_TYPE = `802\\.1Q(?:-QinQ|-9[12]00)? ${ETHERTYPE_CODE}`;
const VLAN_TAG = 'vlan \\d{1,4}, p \\d(?:, DEI)?, ethertype ';
const IP_TYPE = `IPv[46] ${ETHERTYPE_CODE}`;
const FRAME_LENGTH = 'length \\d{1,6}: ';
const LINK_LEVEL = `(?:ifindex \\d{1,10} )?(?:${MAC}(?: > ${MAC},)? )?ethertype (?:${IP_TYPE}${FRAME_LENGTH}|${VLAN_TYPE}${FRAME_LENGTH}(?:${VLAN_TAG}${VLAN_TYPE}){0,2}${VLAN_TAG}${IP_TYPE})`;
const HEAD = new RegExp(`^(?:(?:\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d\\.\\d{6,9} )?(?:([\\w.:@-]{1,32}) +(?:In|Out|M|B|P|U) +)?(?:IP6? |${LINK_LEVEL})`);
/** -v's IP header in parentheses: IPv4's "ttl 64", IPv6's "hlim 64". */
const TTL = /\b(?:ttl|hlim) (\d{1,3})\b/;
/** The TCP part: "10.0.0.1.40000 > 10.0.0.2.443: Flags [S.], ..." (an address's last dot-field is its port). */
const SEGMENT = /^([0-9A-Fa-f:.]{1,45})\.(\d{1,5}) > ([0-9A-Fa-f:.]{1,45})\.(\d{1,5}): Flags \[([A-Za-z.]{1,8})\]/;
/** -v puts the TCP part of an IPv4 packet on the next line, indented by four spaces (a payload's lines by a tab). */
const CONTINUATION = '    ';
const SEQ = /^, (?:cksum [^,]{1,60}, )?seq (\d+)/;
/** The window field as sent (unscaled: 0 is 0 whatever the scale). */
const WINDOW = /, win (\d{1,5})(?:,|$)/;

interface Packet {
  src: string;
  dst: string;
  srcAddress: string;
  syn: boolean;
  ack: boolean;
  rst: boolean;
  fin: boolean;
  seq: string | undefined;
  /** Whether its options carry wscale (RFC 7323 2.2: only a SYN or SYN-ACK may). */
  windowScale: boolean;
  window: number | undefined;
  ttl: number | undefined;
  /** -i any's interface: one packet forwarded through a bridge or a pod's veth is captured once on each. */
  device: string;
}

/** The closing parenthesis of the one opened at `open`, or -1: "(tos 0x0, ..., proto TCP (6), length 60)". */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let at = open; at < text.length; at++) {
    if (text[at] === '(') depth++;
    else if (text[at] === ')' && --depth === 0) return at;
  }
  return -1;
}

function packetOf(segment: string, ttl: number | undefined, device: string): Packet | undefined {
  const match = SEGMENT.exec(segment);
  if (match === null) return undefined;
  const [whole, srcAddress = '', srcPort = '', dstAddress = '', dstPort = '', flags = ''] = match;
  const tail = segment.slice(whole.length);
  const optionsAt = tail.indexOf('options [');
  const optionsEnd = optionsAt < 0 ? -1 : tail.indexOf(']', optionsAt);
  const options = optionsEnd < 0 ? '' : tail.slice(optionsAt, optionsEnd);
  return {
    src: `${srcAddress}.${srcPort}`,
    dst: `${dstAddress}.${dstPort}`,
    srcAddress,
    syn: flags.includes('S'),
    ack: flags.includes('.'),
    rst: flags.includes('R'),
    fin: flags.includes('F'),
    seq: SEQ.exec(tail)?.[1],
    windowScale: /\bwscale \d/.test(options),
    window: toNumber(WINDOW.exec(tail)?.[1]),
    ttl,
    device,
  };
}

/**
 * The TCP packets in the text, in order. A -v header line whose TCP part follows on the next line
 * leaves its TTL for that line only; any other line (a payload's, a summary's) is skipped and
 * ends the wait, so a payload cannot pass for a packet.
 */
function packets(all: readonly string[]): Packet[] {
  const found: Packet[] = [];
  // The -v header whose TCP part the next line holds: its TTL and interface.
  let header: { ttl: number | undefined; device: string } | undefined;
  for (const line of all) {
    const above = header;
    header = undefined;
    if (above && line.startsWith(CONTINUATION)) {
      const packet = packetOf(line.slice(CONTINUATION.length).trimStart(), above.ttl, above.device);
      if (packet) found.push(packet);
      continue;
    }
    const head = HEAD.exec(line);
    if (head === null) continue;
    let rest = line.slice(head[0].length);
    const device = head[1] ?? '';
    let ttl: number | undefined;
    if (rest.startsWith('(')) {
      const close = closingParen(rest, 0);
      if (close < 0) continue;
      const ttlMatch = TTL.exec(rest.slice(0, close));
      ttl = ttlMatch ? Number(ttlMatch[1]) : undefined;
      rest = rest.slice(close + 1).trimStart();
      if (rest === '') {
        header = { ttl, device };
        continue;
      }
    }
    const packet = packetOf(rest, ttl, device);
    if (packet) found.push(packet);
  }
  return found;
}

/** True when the line is the start of a TCP packet as tcpdump prints it (for `rca parse auto`). */
export function isTcpdumpLine(line: string): boolean {
  const head = HEAD.exec(line);
  if (head === null) return false;
  const rest = line.slice(head[0].length);
  return rest.startsWith('(') ? / proto TCP \(6\)|next-header TCP \(6\)/.test(rest) : SEGMENT.test(rest);
}

/** One connection's handshake as the capture shows it, by "client > server". */
interface Handshake {
  synWindowScale: boolean[];
  synAckWindowScale: boolean[];
  refused: boolean;
  /** How often each SYN was sent, by interface and sequence number (one key when tcpdump printed none). */
  sent: Map<string, number>;
}

function handshakes(found: readonly Packet[]): Map<string, Handshake> {
  const byConnection = new Map<string, Handshake>();
  const of = (key: string) => {
    let handshake = byConnection.get(key);
    if (handshake === undefined) byConnection.set(key, (handshake = { synWindowScale: [], synAckWindowScale: [], refused: false, sent: new Map() }));
    return handshake;
  };
  for (const packet of found) {
    if (packet.syn && !packet.ack) {
      const handshake = of(`${packet.src} > ${packet.dst}`);
      handshake.synWindowScale.push(packet.windowScale);
      // The same SYN on two interfaces is one SYN seen twice, not sent twice.
      const sent = `${packet.device} ${packet.seq ?? ''}`;
      handshake.sent.set(sent, (handshake.sent.get(sent) ?? 0) + 1);
    } else if (packet.syn) {
      byConnection.get(`${packet.dst} > ${packet.src}`)?.synAckWindowScale.push(packet.windowScale);
    } else if (packet.rst) {
      // An RST from the SYN's destination before any SYN-ACK refuses the connection (a closed port).
      const handshake = byConnection.get(`${packet.dst} > ${packet.src}`);
      if (handshake && handshake.synAckWindowScale.length === 0) handshake.refused = true;
    }
  }
  return byConnection;
}

/** tcp.window_scale_missing: a SYN that offered wscale answered by a SYN-ACK without it (RFC 7323 2.2). */
function windowScaleMissing(all: readonly Handshake[], warn: (warning: InputWarning) => void): boolean | undefined {
  const answered = all.filter((h) => h.synAckWindowScale.length > 0 && h.synWindowScale.length > 0);
  const offered = answered.filter((h) => h.synWindowScale.some(Boolean));
  if (offered.some((h) => h.synAckWindowScale.some((scaled) => !scaled))) return true;
  if (offered.length > 0) return false;
  if (answered.length > 0)
    warn({
      field: 'tcp.window_scale_missing',
      message: 'the SYNs carry no window-scale option: the client does not offer it, or a box on the way took it out before this capture; capture on the client itself to tell',
    });
  return undefined;
}

/** Which side the RSTs that end connections come from, when they all agree. */
function rstFrom(ending: readonly Packet[], servers: ReadonlySet<string>, warn: (warning: InputWarning) => void): 'server' | 'client' | undefined {
  const sides = new Set(ending.map((rst) => (servers.has(rst.src) ? 'server' : servers.has(rst.dst) ? 'client' : undefined)).filter((side) => side !== undefined));
  if (sides.size === 2) warn({ field: 'tcp.rst_from', message: 'the capture shows RSTs from both the server and the client side, so it gives no one sender' });
  return sides.size === 1 ? [...sides][0] : undefined;
}

/** tcp.rst_ttl_mismatch: an RST whose TTL (-v) no other packet from its source address shows. */
function rstTtlMismatch(ending: readonly Packet[], found: readonly Packet[]): boolean | undefined {
  const ttls = new Map<string, Set<number>>();
  for (const packet of found) if (!packet.rst && packet.ttl !== undefined) ttls.set(packet.srcAddress, (ttls.get(packet.srcAddress) ?? new Set()).add(packet.ttl));
  const compared = ending.filter((rst) => rst.ttl !== undefined && ttls.has(rst.srcAddress));
  if (compared.length === 0) return undefined;
  return compared.some((rst) => !ttls.get(rst.srcAddress)?.has(rst.ttl as number));
}

export const tcpdumpParser: ArtifactParser = {
  kind: 'tcpdump',
  describe:
    'tcpdump -nn (with -v for TTLs; -i any\'s interface column, -tttt\'s dates and -e\'s link-level headers, 802.1Q and QinQ tags among them, are read too) of the TCP packets to and from the service. ' +
    'tcp.window_scale_missing: true when a SYN offering wscale is answered by a SYN-ACK without it, false when every answered SYN and its SYN-ACK carry it. ' +
    'tcp.syn_retransmits: true when a SYN (same addresses, ports and sequence number) is sent again, false when SYNs were answered at the first try. ' +
    'tcp.connect: refused when SYNs are answered by an RST and none by a SYN-ACK, ok when a handshake completes and none is refused. ' +
    'tcp.rst_seen: true for an RST that is no refusal (an RST without its SYN in the capture counts as ending a connection), false when connections end by FIN and none by RST. ' +
    'tcp.rst_from: server or client by the SYNs\' destination. tcp.rst_ttl_mismatch (-v): true when an RST\'s TTL differs from every other packet from its address, false when they match. ' +
    'tcp.zero_window: true when a packet other than a SYN or an RST advertises a window of 0 (a capture without one says nothing)',
  parse(text, context) {
    const found = packets(artifactLines(text));
    if (found.length === 0) throw notRecognised('tcpdump', EXPECTED);
    const warnings: InputWarning[] = [];
    const warn = (warning: InputWarning) => warnings.push(warning);
    const byConnection = handshakes(found);
    const all = [...byConnection.values()];
    const servers = new Set<string>();
    for (const key of byConnection.keys()) servers.add(key.slice(key.indexOf(' > ') + 3));
    const refusedFrom = new Set([...byConnection].filter(([, h]) => h.refused).map(([key]) => key));
    const ending = found.filter((packet) => packet.rst && !refusedFrom.has(`${packet.dst} > ${packet.src}`));
    const completed = all.filter((h) => h.synAckWindowScale.length > 0).length;
    const refused = refusedFrom.size;
    const resent = all.some((h) => [...h.sent.values()].some((count) => count > 1));
    const facts: ParsedFacts = {};
    const scale = windowScaleMissing(all, warn);
    if (scale !== undefined) facts['tcp.window_scale_missing'] = scale;
    if (resent || completed + refused > 0) facts['tcp.syn_retransmits'] = resent;
    if (completed > 0 && refused === 0) facts['tcp.connect'] = 'ok';
    if (refused > 0 && completed === 0) facts['tcp.connect'] = 'refused';
    if (ending.length > 0) facts['tcp.rst_seen'] = true;
    else if (found.some((packet) => packet.fin)) facts['tcp.rst_seen'] = false;
    const side = rstFrom(ending, servers, warn);
    if (side !== undefined) facts['tcp.rst_from'] = side;
    const forged = rstTtlMismatch(ending, found);
    if (forged !== undefined) facts['tcp.rst_ttl_mismatch'] = forged;
    // A receiver whose buffer is full advertises a window of 0 (RFC 9293 3.8.6.1); an RST's window means nothing.
    if (found.some((packet) => packet.window === 0 && !packet.rst && !packet.syn)) facts['tcp.zero_window'] = true;
    if (Object.keys(facts).length === 0 && warnings.length === 0)
      warn({
        field: 'tcp.rst_seen',
        message: `tcpdump shows ${found.length} TCP packet${found.length === 1 ? '' : 's'} but no handshake, RST, FIN or zero window, which gives no fact: capture from before the connection opens until it fails (tcpdump -nn -v -i any host HOST and port PORT)`,
      });
    for (const warning of warnings) context?.warn?.(warning);
    return facts;
  },
};
