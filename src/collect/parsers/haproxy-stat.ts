import type { Facts } from '../../generated/facts.js';
import type { InputWarning } from '../../core/request.js';
import { skewedServer, type ServerLoad } from './haproxy-log.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, commonest, countBy, definedFacts } from './text.js';

type BackendHealth = NonNullable<Facts['lb.backend_health']>;

const EXPECTED = 'HAProxy\'s stats as CSV, echo "show stat" | socat stdio /run/haproxy/admin.sock (or the stats page\'s ;csv): its "# pxname,svname,..." header, then a row per frontend, server and backend';

/** The CSV's header line (HAProxy configuration manual and management guide, 9.1 "CSV format"). */
const HEADER = /^# pxname,svname,/;
/** The columns read, by the header's names: they have kept their place since HAProxy 1.x, but are found by name. */
const COLUMNS = ['pxname', 'svname', 'qcur', 'stot', 'econ', 'wretr', 'status', 'check_status', 'check_code'] as const;
type Column = (typeof COLUMNS)[number];

interface ServerRow {
  backend: string;
  server: string;
  /** Requests queued for it now: it is at its maxconn. */
  queued: number;
  /**
   * Sessions it served since HAProxy started: stot counts every attempt, the connects that failed
   * (econ) and those retried (wretr) among them, so a server refusing every connect still counts.
   */
  sessions: number;
  /** Connects to it that failed for good. */
  connectErrors: number;
  /** "UP", "DOWN", "UP 1/3" (going down), "DOWN 1/2" (going up), "MAINT", "DRAIN", "no check". */
  status: string;
  checkStatus: string;
  checkCode: string;
}

function readRows(all: readonly string[]): ServerRow[] | undefined {
  let columns: Map<Column, number> | undefined;
  const rows: ServerRow[] = [];
  for (const raw of all) {
    const line = raw.trim();
    if (HEADER.test(line)) {
      const names = line.slice(2).split(',');
      columns = new Map(COLUMNS.map((column) => [column, names.indexOf(column)]));
      continue;
    }
    if (!columns || line === '' || line.startsWith('#')) continue;
    const cells = line.split(',');
    const cell = (column: Column) => cells[columns?.get(column) ?? -1] ?? '';
    const server = cell('svname');
    // The frontends' and backends' own rows sum their servers': a server's row is what is read.
    if (server === '' || server === 'FRONTEND' || server === 'BACKEND') continue;
    rows.push({
      backend: cell('pxname'),
      server,
      queued: Number(cell('qcur')) || 0,
      sessions: Math.max(0, (Number(cell('stot')) || 0) - (Number(cell('econ')) || 0) - (Number(cell('wretr')) || 0)),
      connectErrors: Number(cell('econ')) || 0,
      status: cell('status'),
      checkStatus: cell('check_status'),
      checkCode: cell('check_code'),
    });
  }
  return columns ? rows : undefined;
}

/** A server out of service: down by its checks (or going up again, "DOWN 1/2"), or in maintenance. */
const isDown = (row: ServerRow) => /^(?:DOWN|MAINT|NOLB)\b/.test(row.status);
/** A server its checks judge (down ones and those in maintenance among them): not "no check". */
const isChecked = (row: ServerRow) => row.status !== '' && row.status !== 'no check';

function healthOf(rows: readonly ServerRow[]): BackendHealth | undefined {
  const checked = rows.filter(isChecked);
  if (checked.length === 0) return undefined;
  const down = checked.filter(isDown).length;
  return down === 0 ? 'all_healthy' : down === checked.length ? 'all_unhealthy' : 'some_unhealthy';
}

export const haproxyStatParser: ArtifactParser = {
  kind: 'haproxy-stat',
  describe:
    'echo "show stat" | socat stdio /run/haproxy/admin.sock (HAProxy\'s stats as CSV, also the stats page\'s ;csv), of the backend whose servers took the most sessions (a warning names it when there are several): ' +
    'lb.backend_health from its servers\' status (none DOWN all_healthy, some some_unhealthy, all all_unhealthy; "no check" servers say nothing), ' +
    'lb.health_check_status, the commonest check_code of its servers down on a wrong status (L7STS), ' +
    "lb.backend_load_skew from the sessions its servers served (stot less the failed and retried connects: two or more servers and 20 sessions or more, true when one served twice the others' mean), " +
    'a warning naming the servers whose connects failed (econ), ' +
    'proc.workers_busy_pct 100 when requests are queued for a server now (qcur: it is at its maxconn)',
  parse(text, context): ParsedFacts {
    const rows = readRows(artifactLines(text));
    if (rows === undefined) throw notRecognised('haproxy-stat', EXPECTED);
    if (rows.length === 0) throw notRecognised('haproxy-stat', EXPECTED, 'no server row');
    const warn = (warning: InputWarning) => context?.warn?.(warning);
    const sessions = new Map<string, number>();
    for (const row of rows) sessions.set(row.backend, (sessions.get(row.backend) ?? 0) + row.sessions);
    // The service the ticket is about is the one its clients use: the backend that took the most sessions.
    const backend = commonest(sessions) as string;
    const mine = rows.filter((row) => row.backend === backend);
    if (sessions.size > 1) {
      warn({ field: 'lb.backend_health', message: `read backend ${backend}, whose servers took the most sessions, of ${sessions.size}: for another, echo "show stat BACKEND -1 -1" shows its rows alone` });
    }
    const health = healthOf(mine);
    if (health === undefined) warn({ field: 'lb.backend_health', message: `backend ${backend} runs no health checks ("no check"): HAProxy sends to its servers whatever they answer` });
    const loads = new Map<string, ServerLoad>(mine.map((row) => [row.server, { requests: row.sessions, serverMs: 0 }]));
    const skew = skewedServer(loads);
    const wrongStatus = commonest(countBy(mine.filter((row) => isDown(row) && row.checkStatus.startsWith('L7STS')), (row) => Number(row.checkCode) || undefined));
    const failing = mine.filter((row) => row.connectErrors > 0);
    if (failing.length > 0) {
      warn({
        field: 'proxy.upstream_error',
        message: `connects failed to ${failing.map((row) => `${backend}/${row.server} (${row.connectErrors})`).join(', ')} (econ): a server refusing or not answering them, which the log's termination state tells (SC refused, sC timed out; rca parse haproxy-log)`,
      });
    }
    const queued = mine.filter((row) => row.queued > 0);
    if (queued.length > 0) {
      warn({ field: 'proc.workers_busy_pct', message: `requests are queued in HAProxy for ${queued.map((row) => `${backend}/${row.server} (${row.queued})`).join(', ')}: at its maxconn, read as the servers' workers all busy (100)` });
    }
    return definedFacts({
      'lb.backend_health': health,
      'lb.health_check_status': wrongStatus,
      'lb.backend_load_skew': skew === undefined ? undefined : skew.server !== undefined,
      'proc.workers_busy_pct': queued.length > 0 ? 100 : undefined,
    });
  },
};
