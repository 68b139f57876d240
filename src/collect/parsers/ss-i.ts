import { MIN_WINDOW_SEGMENTS } from '../tcp-counters.js';
import { INFO_LINE, isRow } from './ss-s.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, cells, percent } from './text.js';

const EXPECTED = 'output of `ss -tni` (each socket\'s row, and under it ss -i\'s line: "wscale:7,7 rto:204 rtt:12.5/3 mss:1448 ... segs_out:400 ...")';

/** What ss -i shows of one connection: its options, TCP's reordering estimate, and its segments. */
interface SocketInfo {
  windowScale: boolean;
  /** The reordering degree TCP now assumes (shown when above its default of 3), and reordering events seen (kernel 5.x on). */
  reordering: number;
  reorderSeen: number;
  segments: number;
  segmentsOut: number;
  retransmitted: number;
}

/** The ss -i fields read, each "name:N" on the socket's line. */
const FIELDS = { reordering: /(?:^|\s)reordering:(\d+)/, reord_seen: /(?:^|\s)reord_seen:(\d+)/, segs_out: /(?:^|\s)segs_out:(\d+)/, segs_in: /(?:^|\s)segs_in:(\d+)/ } as const;
const field = (info: string, name: keyof typeof FIELDS) => Number(FIELDS[name].exec(info)?.[1] ?? 0);

/** ss -i's line under a socket's row, with the row's state ('' when a filter dropped the State column). */
interface SocketLine {
  state: string;
  info: string;
}

/** Every ss -i line under a socket's row: one pass, for telling the text (parse auto) and for reading it. */
function socketLines(all: readonly string[]): SocketLine[] {
  const found: SocketLine[] = [];
  for (let at = 1; at < all.length; at++) {
    const info = all[at] as string;
    const row = all[at - 1] as string;
    if (!INFO_LINE.test(info)) continue;
    if (isRow(row, true)) found.push({ state: cells(row)[0] as string, info });
    else if (isRow(row, false)) found.push({ state: '', info });
  }
  return found;
}

/** What ss -i shows of the established connections (the State column's ESTAB, or a table filtered to one state). */
function connectionInfos(sockets: readonly SocketLine[]): SocketInfo[] {
  return sockets
    .filter(({ state }) => state === 'ESTAB' || state === '')
    .map(({ info }) => {
      const segmentsOut = field(info, 'segs_out');
      return {
        windowScale: /(?:^|\s)wscale:\d+,\d+/.test(info),
        reordering: field(info, 'reordering'),
        reorderSeen: field(info, 'reord_seen'),
        segments: segmentsOut + field(info, 'segs_in'),
        segmentsOut,
        // "retrans:0/4961": unacknowledged retransmissions now, then all since the connection opened (tcpi_total_retrans).
        retransmitted: Number(/(?:^|\s)retrans:\d+\/(\d+)/.exec(info)?.[1] ?? 0),
      };
    });
}

/** Linux's default reordering degree (net.ipv4.tcp_reordering): ss -i shows the field only when a connection raised it. */
const DEFAULT_REORDERING = 3;

/**
 * Facts from ss -i's lines: the window-scale option negotiated or not (RFC 7323; ss prints
 * wscale:SND,RCV only when both sides sent it), reordering TCP measured on the connection, and the
 * share of its segments sent again (segs_out counts every transmission, retransmissions included).
 */
function connectionFacts(infos: readonly SocketInfo[]): ParsedFacts {
  const facts: ParsedFacts = {};
  if (infos.length === 0) return facts;
  facts['tcp.window_scale_missing'] = infos.some((info) => !info.windowScale);
  const reordered = infos.some((info) => info.reordering > DEFAULT_REORDERING || info.reorderSeen > 0);
  // A connection that carried a few segments had no chance to see reordering.
  if (reordered || infos.some((info) => info.segments >= MIN_WINDOW_SEGMENTS)) facts['tcp.reordering'] = reordered;
  const sent = infos.reduce((sum, info) => sum + info.segmentsOut, 0);
  const retransmitted = infos.reduce((sum, info) => sum + info.retransmitted, 0);
  const share = sent >= MIN_WINDOW_SEGMENTS ? percent(retransmitted, sent) : undefined;
  if (share !== undefined) facts['tcp.retransmit_pct'] = share;
  return facts;
}

/** Whether the text holds ss -i's line under a socket's row: what `rca parse auto` tells ss -tni by. */
export function isSocketInfoText(lines: readonly string[]): boolean {
  return socketLines(lines).length > 0;
}

export const ssIParser: ArtifactParser = {
  kind: 'ss-i',
  describe:
    'ss -tni [FILTER] (the checks\' `ss -tni dst HOST`), from ss -i\'s line under each established connection: tcp.window_scale_missing (true when one shows no wscale:SND,RCV, ' +
    'which ss prints only when both sides sent the option), tcp.reordering (true on reordering above Linux\'s default of 3 or a reord_seen count, false once a connection ' +
    'carried 100 segments without either) and tcp.retransmit_pct (the connections\' retrans totals over their segs_out, from 100 segments on)',
  parse(text, context) {
    const all = artifactLines(text);
    const sockets = socketLines(all);
    if (sockets.length === 0) throw notRecognised('ss-i', EXPECTED);
    const facts = connectionFacts(connectionInfos(sockets));
    if (Object.keys(facts).length === 0)
      context?.warn?.({ field: 'tcp.window_scale_missing', message: 'ss -i lists no established connection (one still in its handshake has negotiated nothing yet): run `ss -tni dst HOST` while a transfer is under way' });
    return facts;
  },
};
