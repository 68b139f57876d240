import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, cells, numberAfter } from './text.js';

const EXPECTED =
  'output of `ss -s` ("TCP: N (estab ..., timewait N)"), `ss -tan`, `ss -tni`, `ss -ltn`, `ss -tan state close-wait` after a line naming that command, ' +
  "or a count of sockets by state (`ss -Htan | awk '{print $1}' | sort | uniq -c`: \"12 CLOSE-WAIT\"; netstat's \"CLOSE_WAIT 12\")";
// "Recv-Q Send-Q Local Address:Port  Peer Address:Port Process" (no State column: one state was filtered).
const FILTERED_HEADER = /^\s*Recv-Q\s+Send-Q\s+Local Address/;
const STATE_HEADER = /^\s*State\s+Recv-Q\s+Send-Q\s+Local Address/;
// ss's names for TCP states (iproute2 misc/ss.c).
const STATES = new Set(['ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'UNKNOWN']);
const QUEUE = /^\d+$/;
/** ss -i's line under a socket's row, indented: "\t bbr wscale:10,10 rto:204 rtt:0.008/0.009 mss:1448 ... retrans:0/4961 ...". */
export const INFO_LINE = /^\s+\S.*(?:^|\s)(?:rto|rtt|mss|cwnd):\d/;

/** "0 0 127.0.0.1:18081 127.0.0.1:48190" under the filtered header, with the state first under the other. */
export function isRow(line: string, withState: boolean): boolean {
  const [state = '', ...rest] = cells(line);
  const [recvQ = '', sendQ = '', local, peer] = withState ? rest : [state, ...rest];
  return (!withState || STATES.has(state)) && QUEUE.test(recvQ) && QUEUE.test(sendQ) && local !== undefined && peer !== undefined;
}

/**
 * Rows of the table that starts after `headerAt`, up to a blank line, the next command or any
 * other line that is not a row of ss's (a shell prompt); undefined when such a line comes right
 * under the header, so made-up text under a header counts nothing.
 */
function tableRows(all: readonly string[], headerAt: number): string[] | undefined {
  const withState = STATE_HEADER.test(all[headerAt] ?? '');
  const rows: string[] = [];
  // By index, not a slice of the rest: a loop's output has a header per run, each read once.
  for (let at = headerAt + 1; at < all.length; at++) {
    const line = all[at] as string;
    if (line.trim() === '' || /^\s*[$#]/.test(line) || FILTERED_HEADER.test(line) || STATE_HEADER.test(line)) break;
    // ss -i's line under a row is that socket's, not a row of its own.
    if (rows.length > 0 && INFO_LINE.test(line)) continue;
    if (!isRow(line, withState)) return rows.length > 0 ? rows : undefined;
    rows.push(line);
  }
  return rows;
}

/**
 * `ss -tan state close-wait` drops the State column, so its table looks like any other
 * filtered one: it is counted only when the line before its header names the close-wait filter.
 */
function closeWaitFromFilteredTable(all: readonly string[]): number | undefined {
  const headerAt = all.findIndex((line, i) => FILTERED_HEADER.test(line) && /state\s+close-wait/i.test(all[i - 1] ?? ''));
  return headerAt < 0 ? undefined : tableRows(all, headerAt)?.length;
}

/** netstat's names of TCP states (net-tools' tcp_state), as ss names them. */
const NETSTAT_STATES: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
};
/** "     12 CLOSE-WAIT" (uniq -c) or "CLOSE_WAIT 12" (netstat's awk count): a count and a state's name. */
const CENSUS_LINE = /^\s*(?:(\d{1,9})\s+([A-Za-z][\w-]{0,15})|([A-Za-z][\w-]{0,15})\s+(\d{1,9}))\s*$/;
const stateName = (name: string) => NETSTAT_STATES[name] ?? name;

/**
 * A count of sockets by state, as the classic one-liners print it (`ss -Htan | awk '{print $1}'
 * | sort | uniq -c`, `netstat -ant | awk '/^tcp/ {++S[$NF]} END {for (a in S) print a, S[a]}'`):
 * the first run of such lines that names a TCP state, each state once (a loop's later counts are
 * later looks). A word that is no state (ss's "State" header counted, netstat's "Foreign") is
 * skipped. Undefined when no such line names a state.
 */
function stateCensus(all: readonly string[]): Map<string, number> | undefined {
  const counts = new Map<string, number>();
  for (const line of all) {
    const match = CENSUS_LINE.exec(line);
    if (!match) {
      if (counts.size > 0) break;
      continue;
    }
    const state = stateName(match[2] ?? match[3] ?? '');
    if (STATES.has(state) && !counts.has(state)) counts.set(state, Number(match[1] ?? match[4]));
  }
  return counts.size > 0 ? counts : undefined;
}

/** Whether lines hold a count of sockets by state (stateCensus): how `rca parse auto` tells one. */
export const isStateCensus = (all: readonly string[]): boolean => stateCensus(all) !== undefined;

// The states of sockets that are not connections: a listening socket, and UDP's unconnected one.
const NOT_CONNECTED = new Set(['LISTEN', 'UNCONN']);
// `ss -l`, `-ltn`, `--listening`: the command line before a table, when the paste keeps it.
const LISTENING_COMMAND = /\bss\b.*\s(?:-[a-zA-Z]*l[a-zA-Z]*|--listening)\b/;
// ss without -a (or a state filter) lists connected sockets only, iproute2's SS_CONN: no TIME-WAIT
// rows, whatever their number. Read from the command line before a table, when the paste keeps it.
const SS_COMMAND = /(?:^|[$#]\s*)ss\s/;
const ALL_STATES = /\s(?:-[a-zA-Z]*a[a-zA-Z]*|--all|state|exclude)\b/;
const hidesTimeWait = (commandLine: string) => SS_COMMAND.test(commandLine) && !ALL_STATES.test(commandLine);

/**
 * Every table with a State column, in order (one per run of a loop, `for i in 1 2 3; do ss -ltn;
 * sleep 1; done`): its header's line and its rows, undefined when what comes under the header is
 * no row of ss's.
 */
function stateTables(all: readonly string[]): Array<{ rows: string[] | undefined; headerAt: number }> {
  return all.flatMap((line, headerAt) => (STATE_HEADER.test(line) ? [{ rows: tableRows(all, headerAt), headerAt }] : []));
}

/**
 * The rows of an `ss -tan` table by state, or `listening` when the table lists only listening
 * sockets (`ss -ltn`, the check of an accept queue): such a table shows no connection, so it
 * says nothing of how many are in TIME-WAIT or CLOSE-WAIT, and counting none there would rule
 * out a CLOSE-WAIT pile-up on no evidence.
 */
function stateCounts(all: readonly string[], table: { rows: string[]; headerAt: number } | undefined): Map<string, number> | 'listening' | undefined {
  if (table === undefined) return undefined;
  const { rows, headerAt } = table;
  const counts = new Map<string, number>();
  for (const row of rows) {
    const state = cells(row)[0] ?? '';
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const listeningCommand = LISTENING_COMMAND.test(all[headerAt - 1] ?? '');
  if (listeningCommand || (rows.length > 0 && [...counts.keys()].every((state) => NOT_CONNECTED.has(state)))) return 'listening';
  return counts;
}

/**
 * The sockets whose accept queue stands: at least STANDING connections waiting at every look (one
 * snapshot, or a loop of them a second apart). An idle worker takes a connection at once (it waits
 * in accept()), so one or two waiting are those that just arrived at a busy acceptor (lab 208: a
 * thread-per-connection server at 1,000 connections a second read 0, 2, 1, 1, 2, 0 a second
 * apart); more, at every look, is a queue no worker drains (lab 202: two sync workers, Recv-Q 32
 * of 128; lab 203: 14 of 2048). Several looks tell a standing queue from a burst better than one.
 */
const STANDING = 3;
function standingQueues(snapshots: ReadonlyArray<ReadonlyArray<{ local: string; waiting: number }>>): Array<{ local: string; least: number }> {
  const least = new Map<string, number>();
  for (const { local, waiting } of snapshots[0] ?? []) least.set(local, waiting);
  for (const snapshot of snapshots.slice(1)) {
    const now = new Map(snapshot.map(({ local, waiting }) => [local, waiting]));
    for (const [local, count] of least) least.set(local, Math.min(count, now.get(local) ?? 0));
  }
  return [...least].filter(([, count]) => count >= STANDING).map(([local, count]) => ({ local, least: count }));
}

/**
 * The LISTEN rows' accept queues. On a listening socket ss shows the accept queue in the queue
 * columns (ss(8); Linux's tcp_diag: Recv-Q the connections waiting to be accepted, Send-Q the
 * backlog), and the kernel counts an overflow once the queue holds more than the backlog
 * (sk_acceptq_is_full: Recv-Q > Send-Q), so such a row is an overflow under way. A row with room
 * proves nothing: the queue may fill a moment later.
 */
function acceptQueues(rows: readonly string[]): Array<{ local: string; waiting: number; backlog: number }> {
  return rows.flatMap((row) => {
    const [state, recvQ, sendQ, local = ''] = cells(row);
    return state === 'LISTEN' ? [{ local, waiting: Number(recvQ), backlog: Number(sendQ) }] : [];
  });
}

export const ssSParser: ArtifactParser = {
  kind: 'ss-s',
  describe:
    'ss -s: kernel.time_wait_count ("timewait N"); ss -tan [FILTER]: the TIME-WAIT and CLOSE-WAIT rows shown, counted (no TIME-WAIT count under a command line of ss without -a, which lists none); ' +
    "ss -i's lines under the rows (ss -tani) are skipped; ss-i reads them; " +
    'ss -tan state close-wait: tcp.close_wait_count (rows), when a line before it names the command, e.g. "$ ss -tan state close-wait"; ' +
    "a count of sockets by state (ss -Htan | awk '{print $1}' | sort | uniq -c, or netstat -ant counted by awk): kernel.time_wait_count and tcp.close_wait_count, " +
    'a state it does not name counted 0 when it counts LISTEN too (every state listed) or, for CLOSE-WAIT, ESTAB; ' +
    'ss -ltn: kernel.listen_overflows true when a LISTEN row\'s Recv-Q (connections waiting to be accepted) is above its Send-Q ' +
    '(the backlog), the accept queue full now, with a warning naming the socket; else proc.workers_busy_pct 100 when one socket alone has 3 or more connections waiting ' +
    'at every look, one snapshot or a loop of them (`for i in 1 2 3; do ss -ltn; sleep 1; done`; a queue no worker drains), with a warning naming it ' +
    '(one or two waiting, those that just arrived at a busy acceptor, a queue that drains, several sockets waiting or none give no fact, but a warning)',
  parse(text, context) {
    const all = artifactLines(text);
    const tables = stateTables(all);
    // The counts of sockets by state are the first table's (ss -tan); a loop's later runs are looks at the same listeners.
    const [first] = tables;
    const table = stateCounts(all, first?.rows === undefined ? undefined : { rows: first.rows, headerAt: first.headerAt });
    const states = table === 'listening' ? undefined : table;
    const summaryTimeWait = numberAfter(all, /^TCP:\s+\d+\s+\(.*\btimewait (\d+)/);
    const facts: ParsedFacts = {};
    // A state with no row in an `ss -tan` table has none of the sockets shown.
    const rowCount = (state: string) => (states ? (states.get(state) ?? 0) : undefined);
    const timeWait = summaryTimeWait ?? (first !== undefined && hidesTimeWait(all[first.headerAt - 1] ?? '') ? undefined : rowCount('TIME-WAIT'));
    if (timeWait !== undefined) facts['kernel.time_wait_count'] = timeWait;
    const closeWait = closeWaitFromFilteredTable(all) ?? rowCount('CLOSE-WAIT');
    if (closeWait !== undefined) facts['tcp.close_wait_count'] = closeWait;
    // With no table, a count by state: a state it does not name has no socket, when the count is
    // of every socket. Only a listing of all states counts listening ones (ss and netstat list
    // TIME-WAIT with -a, which lists LISTEN too); connected ones (CLOSE-WAIT) any listing counts.
    const census = tables.length === 0 && summaryTimeWait === undefined ? stateCensus(all) : undefined;
    if (census) {
      const allStates = census.has('LISTEN');
      if (census.has('TIME-WAIT') || allStates) facts['kernel.time_wait_count'] = census.get('TIME-WAIT') ?? 0;
      if (census.has('CLOSE-WAIT') || allStates || census.has('ESTAB')) facts['tcp.close_wait_count'] = census.get('CLOSE-WAIT') ?? 0;
    }
    const snapshots = tables.map(({ rows }) => acceptQueues(rows ?? [])).filter((queues) => queues.length > 0);
    const queues = snapshots.flat();
    const full = queues.filter(({ waiting, backlog }) => waiting > backlog);
    // Where connections keep waiting to be accepted, no worker is free to accept them: a server
    // calls accept() whenever one is idle. One such socket is read as the service's pool in use to
    // the full; with several, which one serves the ticket is unknown.
    const standing = standingQueues(snapshots);
    const waiting = (snapshots.at(-1) ?? []).filter((queue) => queue.waiting > 0 && queue.waiting <= queue.backlog);
    const waitingShown = waiting.map(({ local, waiting: count }) => `${local} (${count})`).join(', ');
    if (full.length > 0) {
      facts['kernel.listen_overflows'] = true;
      const shown = [...new Map(full.map(({ local, waiting: count, backlog }) => [local, `${local} (Recv-Q ${count} above its backlog ${backlog})`])).values()].join(', ');
      // ss -ltn lists every listening socket: the one full may not be the service's.
      context?.warn?.({ field: 'kernel.listen_overflows', message: `the accept queue is full on ${shown}: check that it is the service's port` });
    } else if (standing.length === 1) {
      facts['proc.workers_busy_pct'] = 100;
      const [{ local, least } = { local: '', least: 0 }] = standing;
      context?.warn?.({
        field: 'proc.workers_busy_pct',
        message: `connections ${snapshots.length > 1 ? 'keep waiting' : 'wait'} to be accepted on ${local} (${snapshots.length > 1 ? `at least ${least} in each of ${snapshots.length} looks` : least}), read as every worker of the service busy: check that it is the service's port`,
      });
    }
    if (Object.keys(facts).length > 0) return facts;
    if (table !== 'listening') throw notRecognised('ss-s', EXPECTED);
    // A table of listening sockets none of which is full is read, not refused: it says no
    // overflow is under way now, which is no fact (the queue may fill a moment later).
    context?.warn?.({
      field: 'kernel.listen_overflows',
      message:
        standing.length > 1
          ? `no accept queue is full now; connections keep waiting to be accepted on ${standing.map(({ local }) => local).join(', ')}: the applications accept them slower than they come, their workers all busy or stalled (ss -ltn 'sport = :PORT' lists the service's socket alone)`
          : waiting.length > 0
            ? `no accept queue is full now; connections wait to be accepted on ${waitingShown}${snapshots.length < 2 ? ", too few to tell from connections that just arrived at a busy acceptor: run `for i in 1 2 3; do ss -ltn; sleep 1; done`, 3 or more at every look is no worker free" : ', but not 3 or more at every look: the workers drain it'}`
            : 'no accept queue is full now and none has a connection waiting: that says nothing of overflows a moment ago (nstat -az TcpExtListenOverflows twice, seconds apart, counts them)',
    });
    return facts;
  },
};
