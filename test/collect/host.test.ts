import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { probeHost } from '../../src/collect/probes/host.js';
import {
  countTcpStates,
  cpuSharesBetween,
  readCpuTimes,
  readMemAvailablePct,
  readOpenFilesLimit,
  readProcessStat,
  readSnmpCounters,
  readSwappedPages,
} from '../../src/collect/probes/proc.js';
import { readArtifact } from './fixtures.js';

const proc = (name: string) => readArtifact('proc', name);

describe('/proc readers on snapshots of this machine', () => {
  it('reads CPU times and the CPU count from /proc/stat, and the shares between two samples', () => {
    const before = readCpuTimes(proc('stat-before.txt'));
    const after = readCpuTimes(proc('stat-after.txt'));
    expect(before).toEqual({ total: 644514, idle: 489671, iowait: 369, steal: 52, cpus: 2 });
    // One second with both CPUs busy running user code: no idle tick at all.
    expect(cpuSharesBetween(before!, after!)).toEqual({ idle: 0, iowait: 0, steal: 0 });
    expect(cpuSharesBetween(after!, before!)).toBeUndefined();
  });

  it('reads /proc/PID/stat, kernel threads included', () => {
    expect(readProcessStat(proc('pid-stat-node.txt'))).toEqual({ pid: 9515, comm: 'node', state: 'R', ppid: 1, kernelThread: false, cpuTicks: 143, startTicks: 324107 });
    expect(readProcessStat(proc('pid-stat-ksoftirqd.txt'))).toEqual({ pid: 14, comm: 'ksoftirqd/0', state: 'S', ppid: 2, kernelThread: true, cpuTicks: 16, startTicks: 21 });
    expect(readProcessStat('42 (a) b) (c) S 7 0 0 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 9')).toEqual({ pid: 42, comm: 'a) b) (c', state: 'S', ppid: 7, kernelThread: false, cpuTicks: 11, startTicks: 9 });
    // A line cut before starttime (field 22) still names the process, with no start time.
    expect(readProcessStat('42 (a) S 7 0 0 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0')).toEqual({ pid: 42, comm: 'a', state: 'S', ppid: 7, kernelThread: false, cpuTicks: 11, startTicks: undefined });
    expect(readProcessStat('garbage')).toBeUndefined();
  });

  it('reads memory, limits, swap and the SNMP counters under nstat names', () => {
    expect(readMemAvailablePct(proc('meminfo.txt'))).toBeCloseTo(97.1288, 3);
    expect(readOpenFilesLimit(proc('limits.txt'))).toBe(20000);
    expect(readOpenFilesLimit('Max open files            unlimited            unlimited            files')).toBeUndefined();
    expect(readSwappedPages(proc('vmstat-swap.txt'))).toBe(0);
    const counters = readSnmpCounters(`${proc('net-snmp.txt')}\n${proc('net-netstat.txt')}`);
    expect([counters.get('TcpOutSegs'), counters.get('TcpRetransSegs'), counters.get('TcpExtListenOverflows'), counters.get('TcpExtListenDrops'), counters.get('TcpMaxConn')]).toEqual([0, 0, 0, 0, -1]);
  });

  it('counts sockets per state in /proc/net/tcp', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21561 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:A2B4 0100007F:1F90 06 00000000:00000000 03:00001617 00000000     0        0 0 3 0000000000000000',
      '   2: 0100007F:1F91 0100007F:BC02 08 00000000:00000000 00:00000000 00000000     0        0 30112 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect(Object.fromEntries(countTcpStates(table))).toEqual({ '0A': 1, '06': 1, '08': 1 });
  });
});

/** A /proc tree in a temp dir: files written now, and rewritten for the second sample. */
function fakeProc(files: Record<string, string>, root = mkdtempSync(join(tmpdir(), 'rca-proc-'))): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const pidStat = (pid: number, comm: string, ppid: number, ticks: number, flags = 4194560) => `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 ${flags} 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 100\n`;
const KTHREAD_FLAGS = 0x00200040;

function sampleFiles(tick: 0 | 1): Record<string, string> {
  return {
    stat: tick === 0 ? 'cpu  1000 0 500 8000 100 0 0 50 0 0\ncpu0 500 0 250 4000 50 0 0 25 0 0\ncpu1 500 0 250 4000 50 0 0 25 0 0\n' : 'cpu  1300 0 600 8400 300 0 0 100 0 0\ncpu0 650 0 300 4200 150 0 0 50 0 0\ncpu1 650 0 300 4200 150 0 0 50 0 0\n',
    vmstat: `pswpin ${tick === 0 ? 0 : 5}\npswpout 0\n`,
    'net/snmp': `Tcp: ActiveOpens OutSegs RetransSegs\nTcp: 1 ${tick === 0 ? 1000 : 1190} ${tick === 0 ? 0 : 10}\n`,
    'net/netstat': 'TcpExt: ListenOverflows ListenDrops\nTcpExt: 3 3\n',
    // The app (100), its worker (101), rca itself (500, excluded from "busiest") and a kernel thread.
    '100/stat': pidStat(100, 'node', 1, tick === 0 ? 50 : 54),
    '101/stat': pidStat(101, 'node', 100, tick === 0 ? 1000 : 1036),
    '500/stat': pidStat(500, 'node', 1, tick === 0 ? 0 : 40),
    '14/stat': pidStat(14, 'ksoftirqd/0', 2, tick === 0 ? 10 : 12, KTHREAD_FLAGS),
  };
}

describe('host probe on a /proc tree', () => {
  it('computes every host fact over the sampling window', async () => {
    const root = fakeProc({
      ...sampleFiles(0),
      loadavg: '3.00 2.00 1.00 2/100 500\n',
      meminfo: readArtifact('proc', 'meminfo.txt'),
      'net/tcp': `header\n   0: 0100007F:A2B4 0100007F:1F90 06 x\n   1: 0100007F:A2B5 0100007F:1F90 06 x\n   2: 0100007F:1F91 0100007F:BC02 08 x\n`,
      'net/tcp6': 'header\n   0: 0 0 06 x\n',
      'sys/net/netfilter/nf_conntrack_count': '100\n',
      'sys/net/netfilter/nf_conntrack_max': '65536\n',
      '100/cmdline': 'node\0/srv/api/server.js\0',
      '101/cmdline': 'node\0/srv/api/worker.js\0--queue\0orders\0',
      '100/limits': 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n',
      ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`100/fd/${i}`, ''])),
    });
    const probe = probeHost({ appPid: 100, intervalMs: 400, procRoot: root, selfPid: 500 });
    await sleep(150);
    fakeProc(sampleFiles(1), root);
    expect(await probe).toEqual({
      facts: {
        'host.cpu_pct': 42.86,
        'host.iowait_pct': 19.05,
        'host.cpu_steal_pct': 4.76,
        'host.load_per_cpu': 1.5,
        'host.mem_available_pct': 97.13,
        'host.swapping': true,
        'proc.app_pid': 100,
        'proc.top_pid': 101,
        'proc.top_name': 'node',
        'proc.top_cpu_pct': 90,
        'proc.top_role': 'child_of_app',
        'proc.app_cpu_pct': 100,
        'tcp.retransmit_pct': 5,
        'kernel.listen_overflows': false,
        'kernel.time_wait_count': 3,
        'tcp.close_wait_count': 1,
        'kernel.conntrack_full': false,
        'proc.fd_used_pct': 0.98,
      },
      skipped: [],
    });
  });

  it('names the busiest process by its program unless asked for the whole command line', async () => {
    const secretCmdline = '/usr/bin/java\0-Dspring.datasource.password=hunter2\0-jar\0app.jar\0--db-url=postgres://app:s3cret@db:5432/shop\0';
    const tree = () => fakeProc({ ...sampleFiles(0), '101/cmdline': secretCmdline });
    const withNaming = async (processNaming?: 'program' | 'command_line') => {
      const root = tree();
      const probe = probeHost({ appPid: 100, intervalMs: 200, procRoot: root, selfPid: 500, ...(processNaming && { processNaming }) });
      await sleep(50);
      fakeProc({ ...sampleFiles(1), '101/cmdline': secretCmdline }, root);
      return (await probe).facts['proc.top_name'];
    };
    expect(await withNaming()).toBe('/usr/bin/java');
    expect(await withNaming('program')).toBe('/usr/bin/java');
    expect(await withNaming('command_line')).toBe('/usr/bin/java -Dspring.datasource.password=hunter2 -jar app.jar --db-url=postgres://app:s3cret@db:5432/shop');
  });

  it('says what it could not read instead of guessing', async () => {
    const root = fakeProc({ ...sampleFiles(0) });
    const outcome = await probeHost({ appPid: 4242, intervalMs: 50, procRoot: root, selfPid: 500 });
    expect(outcome.facts).not.toHaveProperty('proc.app_pid');
    expect(outcome.facts).not.toHaveProperty('kernel.conntrack_full');
    expect(outcome.skipped).toEqual([
      { probe: 'host', reason: '--pid 4242: no such process' },
      { probe: 'host', reason: 'tcp.retransmit_pct: only 0 TCP segments sent in the window' },
      { probe: 'host', reason: 'kernel.conntrack_full: no readable nf_conntrack_count / nf_conntrack_max (conntrack not loaded?)' },
    ]);
  });
});
