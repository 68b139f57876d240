import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

const FIXTURE = ['--kb', join('test', 'fixtures', 'interview-kb')];
const PAIRS = [...FIXTURE, '--kb', join('test', 'fixtures', 'interview-kb-pairs')];
const tmp = mkdtempSync(join(tmpdir(), 'rca-interview-paste-'));
const PING = readFileSync(join('test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8').trimEnd();
const questions = (stderr: string) => [...stderr.matchAll(/^Q\d+ \[([a-z_.]+)\]/gm)].map((m) => m[1]);
const interview = (kb: string[], lines: string[], args: string[] = []) => runCli(['interview', ...kb, ...args], { input: lines.map((l) => `${l}\n`).join('') });

function factsFile(name: string, document: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

describe('rca interview: pasting a command\'s output (scripted)', () => {
  it('fills every fact one paste carries, and asks none of them', async () => {
    const run = await interview(FIXTURE, ['paste ping', PING, 'end', 'done'], ['-f', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Filled from the pasted ping output: ping.result="partial_loss", ping.loss_pct=30, ping.rtt_avg_ms=0.038, ping.rtt_max_ms=0.044\ntop now: 1. network.packet_loss 62%  2. lb.health_check_misconfigured 11%  3. lb.no_healthy_backend 11%\n');
    expect(questions(run.stderr)).toEqual(['ping.result']);
    expect((JSON.parse(run.stdout) as { facts: unknown }).facts).toEqual({ 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 });
  });

  it('keeps an answer already given over the paste, and says so', async () => {
    const start = factsFile('answered.json', { facts: { 'ping.result': 'fail' } });
    const run = await interview(FIXTURE, ['paste ping', PING, 'end', 'done'], ['--facts', start, '-f', 'json']);
    expect(run.stderr).toContain('Filled from the pasted ping output: ping.loss_pct=30, ping.rtt_avg_ms=0.038, ping.rtt_max_ms=0.044\n! ping.result: the pasted ping output says "partial_loss", the answer given says "fail": kept "fail"\n');
    expect((JSON.parse(run.stdout) as { facts: Record<string, unknown> }).facts['ping.result']).toBe('fail');
  });

  it("says where a paste's own lines disagree, and which value it kept", async () => {
    const go = readFileSync(join('test', 'fixtures', 'artifacts', 'app-errors', 'go-refused-and-timeout.txt'), 'utf8').trimEnd();
    const run = await interview(FIXTURE, ['paste app-errors', go, 'end', 'done'], ['-f', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Filled from the pasted app-errors output: tcp.connect="refused"\n! tcp.connect: the pasted app-errors output: the lines disagree: "refused" on 3 lines, "timeout" on 1 line; kept "refused", the commonest\n');
  });

  it('says so when a paste holds nothing not already known, rather than listing "-", and takes it as this question\'s "don\'t know" rather than asking it again at once', async () => {
    const known = factsFile('sockets-known.json', { facts: { 'kernel.time_wait_count': 6, 'tcp.close_wait_count': 5 } });
    const ss = readFileSync(join('test', 'fixtures', 'artifacts', 'ss-s', 'summary-and-close-wait.txt'), 'utf8').trimEnd();
    const run = await interview(FIXTURE, ['paste ss-s', ...ss.split('\n'), 'end', 'done'], ['--facts', known]);
    // Lab 209 case 01: the output of the question's own command, of a kind that cannot carry its
    // fact, filled nothing, and the same question came back at once.
    expect(run.stderr).toContain("> \nThe pasted ss-s output holds nothing not already known\nThe pasted ss-s output does not say ping.result: taken as don't know (give it later as ping.result=VALUE)\n");
    expect(questions(run.stderr)).toEqual(['ping.result', 'http.status']);
  });

  it("counts a paste of a kind that carries the fact asked but leaves it unanswered as don't know for it, says so, and does not ask it again", async () => {
    const timedOut = 'http_code=000 scheme= time_namelookup=0.000010 time_connect=0.000000 time_appconnect=0.000000 time_starttransfer=0.000000 time_total=10.001 exitcode=28 errormsg=Operation timed out after 10001 milliseconds with 0 bytes received';
    const run = await interview(FIXTURE, ['?', 'paste curl-w', timedOut, 'end', 'done']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("The pasted curl-w output does not say http.status: taken as don't know (give it later as http.status=VALUE)\n");
    expect(questions(run.stderr)).toEqual(['ping.result', 'http.status', 'lb.backend_health']);
    // Near misses: a paste that answers the question, and one of a kind that does not carry it
    // (the command shown after an earlier "don't know"), say nothing of the kind.
    const answered = await interview(FIXTURE, ['paste ping', PING, 'end', 'done']);
    expect(answered.stderr).not.toContain('does not say');
    const ss = readFileSync(join('test', 'fixtures', 'artifacts', 'ss-s', 'summary-and-close-wait.txt'), 'utf8').trimEnd();
    const other = await interview(FIXTURE, ['paste ss-s', ...ss.split('\n'), 'end', 'done']);
    expect(other.stderr).not.toContain('does not say');
    expect(questions(other.stderr)).toEqual(['ping.result', 'ping.result']);
  });

  it("reads a paste with the command its question printed: strace -c's rate from the question's `timeout 10` (the table itself says no duration)", async () => {
    const busyApp = factsFile('busy-app.json', { facts: { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'proc.top_cpu_pct': 97, 'proc.top_pid': 4242, 'proc.app_pid': 4242, 'proc.app_cpu_pct': 97, 'host.cpu_sys_pct': 40, 'host.cpu_pct': 50 } });
    const strace = readFileSync(join('test', 'fixtures', 'artifacts', 'strace-c', 'attached-statx-storm.txt'), 'utf8').trimEnd();
    const run = await runCli(['interview', '--facts', busyApp], { input: ['?', 'paste strace-c', ...strace.split('\n'), 'end', 'done'].map((l) => `${l}\n`).join('') });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Q2 [strace.syscalls_per_s] How many syscalls per second does the process make (total calls / seconds traced)?");
    expect(run.stderr).toContain('   $ timeout 10 strace -c -f -p 4242\n');
    expect(run.stderr).toContain('Filled from the pasted strace-c output: strace.top_syscall="statx", strace.top_syscall_pct=99.87, strace.error_pct=99.87, strace.syscalls_per_s=28932.2, strace.syscall_time_pct=7.17\n');
  });

  it("fills the facts a question's command stands for when it is another endpoint's: a curl straight to a backend gives the direct status and time, not the service's", async () => {
    const behindLb = factsFile('behind-lb.json', {
      facts: { 'symptom.kind': 'errors', 'http.status': 502, 'path.via_lb': true, 'http.error_source': 'lb', 'backend.host': '10.0.0.7', 'backend.port': 8080 },
      unknown: ['proxy.upstream_error', 'tcp.connect', 'http.response_header_bytes', 'lb.backend_health'],
    });
    const direct = readFileSync(join('test', 'fixtures', 'artifacts', 'curl-w', 'named-subset-direct-200.txt'), 'utf8').trimEnd();
    const run = await runCli(['interview', '--facts', behindLb, '-f', 'json'], { input: ['paste curl-w', direct, 'end', 'done'].map((l) => `${l}\n`).join('') });
    expect(run.code).toBe(0);
    expect(questions(run.stderr)[0]).toBe('http.direct_status');
    expect(run.stderr).toContain('Filled from the pasted curl-w output: http.direct_status=200, http.direct_latency_ms=2.145\n');
    // The service's own status stays the ticket's 502; nothing of the backend's connection is the service's.
    expect((JSON.parse(run.stdout) as { facts: Record<string, unknown> }).facts).toEqual({
      'symptom.kind': 'errors', 'http.status': 502, 'path.via_lb': true, 'http.error_source': 'lb', 'backend.host': '10.0.0.7', 'backend.port': 8080, 'http.direct_status': 200, 'http.direct_latency_ms': 2.145,
    });
  });

  it("asks a client cut off right after a move which address it gets, and reads the two digs pasted together as a stale answer (lab 206, case 06b)", async () => {
    // The ticket: the service moved yesterday, some clients cannot connect, the others are fine.
    const intake = factsFile('moved.json', {
      facts: { 'target.url': 'https://cart.l206.test/', 'symptom.kind': 'unreachable', 'symptom.scope': 'some_clients', 'symptom.recent_change': true, 'symptom.intermittent': false },
    });
    const artifact = (kind: string, name: string) => readFileSync(join('test', 'fixtures', 'artifacts', kind, name), 'utf8').trimEnd().split('\n');
    const run = await runCli(['interview', '--facts', intake], {
      input: [
        ...['paste openssl', ...artifact('openssl', 'lab206-old-address-refused-after-move.txt'), 'end'],
        // The failing client's resolver, then the healthy one's: the old address with a day's TTL, and the new one.
        ...['paste dig', ...artifact('dig', 'lab206-two-resolvers-old-and-new-address.txt'), 'end'],
        'done',
      ].map((l) => `${l}\n`).join(''),
    });
    expect(run.code).toBe(0);
    expect(questions(run.stderr)).toEqual(['tls.handshake', 'dns.answer_mismatch']);
    expect(run.stderr).toContain('Run the command on a failing and on a healthy client and paste both outputs together.');
    expect(run.stderr).toContain('   $ dig cart.l206.test\n');
    expect(run.stdout).toMatch(/\n1\. \S+ >99% {2}dns\.stale_record\n/);
  });

  it("asks the address once a failing client's certificate names another site while the others get through, and reads the two digs as a stale answer (lab 206, case 06)", async () => {
    // The ticket: the service moved yesterday; the workers of one rack fail TLS calling it, the other rack is fine.
    const intake = factsFile('moved-tls.json', {
      facts: { 'target.url': 'https://cart.l206.test/', 'symptom.kind': 'errors', 'symptom.scope': 'some_clients', 'symptom.recent_change': true, 'symptom.intermittent': false },
    });
    const artifact = (kind: string, name: string) => readFileSync(join('test', 'fixtures', 'artifacts', kind, name), 'utf8').trimEnd().split('\n');
    const run = await runCli(['interview', '--facts', intake], {
      input: [
        // The failing client's curl -v: the old address now serves wiki.l206.test's certificate.
        ...['paste curl-v', ...artifact('curl-v', 'lab206-stale-address-other-site-cert.txt'), 'end'],
        ...['paste openssl', ...artifact('openssl', 'lab206-stale-address-other-site-chain.txt'), 'end'],
        'yes',
        ...['paste dig', ...artifact('dig', 'lab206-two-resolvers-old-and-new-address.txt'), 'end'],
        'done',
      ].map((l) => `${l}\n`).join(''),
    });
    expect(run.code).toBe(0);
    // Whether other clients get through is not asked: the ticket's scope says so of a failed handshake.
    expect(questions(run.stderr)).toEqual(['tls.handshake', 'tls.alert', 'tls.sni_sent', 'dns.answer_mismatch']);
    expect(run.stdout).toMatch(/\n1\. \S+ >99% {2}dns\.stale_record\n/);
  });

  it('asks the question again after a paste its parser cannot read, saying what was expected, and goes on (labs 207, 208: an app log with no error rca knows); a kind rca does not know ends with exit 2', async () => {
    const save = join(tmp, 'unread.json');
    const run = await interview(FIXTURE, ['paste ping', 'no ping here', 'end', 'fail', 'done'], ['-f', 'json', '--save', save]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("> \n! The pasted ping output could not be read (artifact ping: expected output of `ping -c N HOST` (Linux iputils, BSD/macOS, busybox or Windows) with its statistics summary, got unrecognised text): ping.result is still open; answer it as the question says, or paste the output of its command\nQ1 [ping.result] ");
    expect(run.stderr).not.toContain('--help');
    // The line after the paste answers the question asked again, not the next one; nothing is taken as "don't know".
    expect(questions(run.stderr)).toEqual(['ping.result', 'ping.result', 'tcp.connect']);
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: { 'ping.result': 'fail' }, unknown: [] });
    // The QA's case: ping's output carries no symptom.kind, and could not be read either.
    const shipped = await runCli(['interview'], { input: 'paste ping\ngarbage\nend\nerrors\ndone\n' });
    expect(shipped.code, shipped.stderr).toBe(0);
    expect(shipped.stderr).toContain('symptom.kind is still open');
    expect(questions(shipped.stderr).slice(0, 3)).toEqual(['symptom.kind', 'symptom.kind', 'http.status']);
    const unknownKind = await interview(FIXTURE, ['paste pingg', 'x', 'end']);
    expect([unknownKind.code, unknownKind.stdout]).toEqual([2, '']);
    expect(unknownKind.stderr).toContain('artifact kind: expected one of auto, ping, ping-mtu, mtr, tcp-connect, tcpdump, strace-c, strace-t, curl-w, curl-v, curl-i, top, vmstat, iostat, mpstat, pidstat, cpu-stat, cgroup-memory, psi, free, df, fd-count, netstat-s, nstat, ss-s, ss-i, ephemeral-ports, conntrack-s, ethtool-s, dig, resolv-conf, openssl, dmesg, jstat, gc-log, thread-dump, nginx-error, haproxy-log, haproxy-stat, kubectl-describe, app-errors (did you mean "ping"?), got "pingg"');
  });

  it('reads a paste of kind auto (in any case, as every kind) by its signature, and says which command it took it for', async () => {
    const run = await interview(FIXTURE, ['paste AUTO', PING, 'end', 'done'], ['-f', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Filled from the pasted ping output: ping.result="partial_loss", ping.loss_pct=30, ping.rtt_avg_ms=0.038, ping.rtt_max_ms=0.044\n');
    const unknown = await interview(FIXTURE, ['paste auto', 'no tool here', 'end', 'done']);
    expect(unknown.code).toBe(0);
    expect(unknown.stderr).toContain("! The pasted auto output could not be read (paste auto: expected the output of one of ping, ping-mtu, mtr, tcp-connect, tcpdump, strace-c, strace-t, curl-w, curl-v, curl-i, top, vmstat, iostat, mpstat, pidstat, cpu-stat, cgroup-memory, psi, free, df, fd-count, netstat-s, nstat, ss-s, ss-i, ephemeral-ports, conntrack-s, ethtool-s, dig, resolv-conf, openssl, dmesg, jstat, gc-log, thread-dump, nginx-error, haproxy-log, haproxy-stat, kubectl-describe, app-errors (or name its kind), got no tool's signature): ping.result is still open");
  });

  it('takes an empty paste (a search that found nothing) as "don\'t know" and goes on', async () => {
    const run = await interview(FIXTURE, ['paste ping', '', '   ', 'end', 'done'], ['-f', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("The pasted ping output is empty: taken as don't know (where the command searches for lines and found none, answer ping.result as the question says)\n");
    expect((JSON.parse(run.stdout) as { facts: unknown }).facts).not.toHaveProperty('ping.result');
  });

  it("never stops on real output rca itself asks for (lab 205): nc's EADDRNOTAVAIL is the spent source ports; nstat's reset counters, curl's exit 28 and a broken pipe are warnings, and the interview goes on", async () => {
    const lab = (kind: string, file: string) => readFileSync(join('test', 'fixtures', 'artifacts', kind, file), 'utf8').trimEnd().split('\n');
    const client = factsFile('lab205-03.json', { facts: { 'symptom.kind': 'errors', 'symptom.scope': 'single_client', 'symptom.intermittent': true, 'path.via_lb': false, 'target.url': 'http://10.205.0.2:9203/v1/events' } });
    const nc = await runCli(['interview', '--facts', client, '-f', 'json'], { input: ['paste tcp-connect', ...lab('tcp-connect', 'lab205-openbsd-eaddrnotavail.txt'), 'end', 'done'].map((l) => `${l}\n`).join('') });
    expect(nc.code, nc.stderr).toBe(0);
    expect(nc.stderr).toContain('Filled from the pasted tcp-connect output: proc.eaddrnotavail_errors=true\ntop now: 1. network.ephemeral_port_exhaustion >99%');
    expect((JSON.parse(nc.stdout) as { facts: Record<string, unknown> }).facts).not.toHaveProperty('tcp.connect');
    const pastes = [
      ['nstat', 'lab205-reset-counters-only.txt', '! tcp.rst_seen: the pasted nstat output: nstat lists TcpEstabResets, TcpExtTCPAbortOnData, which gives no fact'],
      ['app-errors', 'lab205-curl-28-max-time-3s.txt', '! http.latency_ms: the pasted app-errors output: the client gave up at its own time limit after 3001 ms with 0 bytes received'],
      ['app-errors', 'lab205-python-broken-pipe.txt', '! tcp.rst_seen: the pasted app-errors output: a write failed with "Broken pipe" (EPIPE)'],
    ];
    const run = await interview(FIXTURE, [...pastes.flatMap(([kind, file]) => [`paste ${kind}`, ...lab(kind as string, file as string), 'end']), 'done']);
    expect(run.code, run.stderr).toBe(0);
    for (const [kind, , warning] of pastes) expect(run.stderr).toContain(`The pasted ${kind} output holds nothing not already known\n${warning}`);
    // Each filled nothing: the question it was pasted at counts as "don't know", and the next one is asked.
    expect(questions(run.stderr)).toEqual(['ping.result', 'http.status', 'lb.backend_health', 'http.direct_status']);
  });

  it("reads mtr's report, which rca's own checks suggest: the destination's row is ping's, and loss at intermediate hops only argues against packet loss", async () => {
    const facts = factsFile('slow.json', { facts: { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'target.host': 'orders.internal.example' } });
    const mtr = readFileSync(join('test', 'fixtures', 'artifacts', 'mtr', 'intermediate-ratelimit-rwbz.txt'), 'utf8').trimEnd();
    const run = await runCli(['interview', '--facts', facts, '-f', 'json'], { input: `paste mtr\n${mtr}\nend\ndone\n` });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Filled from the pasted mtr output: ping.result="ok", ping.loss_pct=0, ping.rtt_avg_ms=0.1, ping.rtt_max_ms=0.3, ping.intermediate_loss_only=true\n');
    const diagnosis = JSON.parse(run.stdout) as { ruledOut: Array<{ id: string; against: Array<{ rule: string; cf: number }> }> };
    expect(diagnosis.ruledOut.find((h) => h.id === 'network.packet_loss')?.against).toMatchObject([{ rule: 'network.mtr_loss_only_at_intermediate_hops', cf: -0.5 }]);
  });

  it('after "don\'t know", shows the command that finds out and the kind to paste', async () => {
    const run = await interview(FIXTURE, ['?', 'done']);
    // The question's command still holds a placeholder: it says which fact to fill in, under the question and after "don't know".
    expect(run.stderr).toContain("   $ ping -c 20 '<target.host>'\n   fill in before running: target.host\n> ");
    expect(run.stderr).toContain('> \n   To find out, run: $ ping -c 20 \'<target.host>\'\n   fill in before running: target.host\n   then paste its output here: a line "paste ping|mtr", the output, and a line "end"; pasted as ping, it answers ping.loss_pct too\nQ2 ');
  });

  it('after "don\'t know" to the port check, offers to paste what nc (or telnet) printed: tcp-connect reads it', async () => {
    const facts = join(tmp, 'unreachable.json');
    writeFileSync(facts, JSON.stringify({ facts: { 'symptom.kind': 'unreachable', 'symptom.scope': 'all_clients', 'target.host': 'db1.internal', 'target.port': 5432 } }));
    const run = await runCli(['interview', '--facts', facts], { input: '?\ndone\n' });
    expect(run.stderr).toContain('   To find out, run: $ nc -vz -w 5 db1.internal 5432\n   then paste its output here: a line "paste tcp-connect|tcpdump|curl-w|curl-v|openssl|app-errors", the output, and a line "end"; pasted as tcp-connect, it answers dns.result, dns.temporary_failure, proc.eaddrnotavail_errors too\n');
    const pasted = await runCli(['interview', '--facts', facts, '-f', 'json'], { input: 'paste tcp-connect\nnc: connect to db1.internal port 5432 (tcp) failed: Connection refused\nend\ndone\n' });
    expect(pasted.code).toBe(0);
    expect(JSON.parse(pasted.stdout).facts['tcp.connect']).toBe('refused');
  });

  it('after "don\'t know" to the TLS alert, offers to paste what curl -v printed: curl-v reads it (lab 201, case 07: that paste ended the interview)', async () => {
    const facts = join(tmp, 'tls-failed.json');
    writeFileSync(facts, JSON.stringify({ facts: { 'symptom.kind': 'errors', 'target.url': 'https://shop.example/cart', 'tls.handshake': 'failed' } }));
    const run = await runCli(['interview', '--facts', facts], { input: '?\ndone\n' });
    expect(run.stderr).toContain('   To find out, run: $ curl -g -sv -o /dev/null --connect-timeout 10 --max-time 30 https://shop.example/cart\n   then paste its output here: a line "paste curl-v|openssl|app-errors", the output, and a line "end"; pasted as curl-v, it answers tcp.connect, tcp.rst_seen, tcp.rst_from, tcp.ipv6_fallback, dns.result, tls.cert_name_match, tls.chain_complete, tls.cert_not_yet_valid, http.status, proc.eaddrnotavail_errors too\n');
    const curlV = readFileSync(join('test', 'fixtures', 'artifacts', 'curl-v', 'lab-leaf-only-unknown-ca.txt'), 'utf8').trimEnd();
    const pasted = await runCli(['interview', '--facts', facts, '-f', 'json'], { input: `paste auto\n${curlV}\nend\ndone\n` });
    expect(pasted.code).toBe(0);
    expect(pasted.stderr).toContain('Filled from the pasted curl-v output: tls.alert="unknown_ca", tcp.connect="ok", tcp.ipv6_fallback=false\n');
  });

  it('after "don\'t know" to a question whose command rca does not read (ps sorted by CPU), offers the kinds that carry the fact as another command\'s output, not as this one\'s', async () => {
    const facts = join(tmp, 'busy.json');
    writeFileSync(facts, JSON.stringify({ facts: { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'host.cpu_pct': 95 } }));
    const run = await runCli(['interview', '--facts', facts], { input: '?\n?\ndone\n' });
    expect(questions(run.stderr).slice(0, 2)).toEqual(['host.cpu_sys_pct', 'proc.top_role']);
    expect(run.stderr).toContain(
      `   To find out, run: $ ps -eo pid,ppid,user,pcpu,etime,args --sort=-pcpu | head -n 10\n   rca does not read this command's output: answer from it, or paste what another command says about it (a line "paste top", that output, and a line "end")\n`,
    );
  });

});

describe('rca interview: "don\'t know" (scripted)', () => {
  it('asks the other questions of a source the engineer cannot see later, and stops when none left is worth asking', async () => {
    const order = async (unknown: string[]) => questions((await interview(PAIRS, ['?', '?', '?', '?', '?'], ['--facts', factsFile(`source-${unknown.length}.json`, { facts: { 'path.via_lb': true }, unknown })])).stderr);
    // The keep-alive comparison is pursued as a pair: its first side comes second.
    expect(await order([])).toEqual(['http.status', 'backend.keepalive_timeout_s', 'ping.result', 'lb.backend_health', 'http.direct_status']);
    // Who could not read the LB's idle timeout from its API will not read its backends' health there either.
    expect(await order(['lb.idle_timeout_s'])).toEqual(['http.status', 'ping.result', 'http.direct_status', 'lb.backend_health']);
  });
});

describe('rca interview: comparisons and the stop when the rest is unknowable (scripted)', () => {
  it('asks the other side of a comparison right after one side is known', async () => {
    const start = factsFile('one-side.json', { facts: { 'path.via_lb': true, 'lb.idle_timeout_s': 60 } });
    const run = await interview(PAIRS, ['30'], ['--facts', start]);
    expect(questions(run.stderr)).toEqual(['backend.keepalive_timeout_s']);
    expect(run.stderr).toContain('top now: 1. lb.keepalive_race 66%  2. lb.health_check_misconfigured 7%  3. lb.no_healthy_backend 7%\nThe leading cause is clearly ahead. lb.keepalive_race leads; run curl -sv --keepalive-time 70 \'<target.url>\' to confirm it.\n');
  });

  it('names the leader alone, with the check that confirms it, when no other cause holds a tenth of its probability, in en and zh-CN', async () => {
    const unknown = ['proc.top_cpu_pct', 'host.cpu_pct', 'symptom.scope', 'ping.result', 'http.status', 'target.protocol', 'app.slow_dependency', 'dns.resolve_ms', 'symptom.recent_change', 'tcp.connect_ms', 'symptom.intermittent', 'tcp.reordering', 'strace.top_syscall_pct', 'tcp.connect', 'symptom.large_transfers'];
    const start = factsFile('agent.json', { facts: { 'symptom.kind': 'slow', 'app.apm_agent': true, 'proc.top_role': 'apm_agent' }, unknown });
    const run = await interview([], [], ['--facts', start]);
    expect(questions(run.stderr)).toEqual([]);
    expect(run.stderr).toContain('The leading cause is clearly ahead. system.agent_cpu_overhead leads; run top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 \'^top - \'; echo "# nproc: $(nproc)" to confirm it.\n');
    expect(run.code).toBe(0);
    const zh = await interview([], [], ['--facts', start, '--lang', 'zh-CN']);
    expect(zh.stderr).toContain('system.agent_cpu_overhead 领先：运行 top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 \'^top - \'; echo "# nproc: $(nproc)" 来确认。\n');
  });

  it('stops with "A or B; run X to tell them apart" when nothing left is worth asking, in en and zh-CN', async () => {
    const start = factsFile('unseen.json', { facts: { 'path.via_lb': true, 'http.status': 503 }, unknown: ['ping.result', 'tcp.connect', 'http.direct_status', 'lb.idle_timeout_s'] });
    const run = await interview(PAIRS, ['?'], ['--facts', start]);
    expect(questions(run.stderr)).toEqual(['lb.backend_health']);
    expect(run.stderr).toContain(
      // "Don't know" to the LB's view of its backends, which tells the two apart: its command is the one to run.
      'lb.health_check_misconfigured or lb.no_healthy_backend; run aws elbv2 describe-target-health --target-group-arn ARN to tell them apart (no question left is worth your time: unlikely to be answered, or to separate them).\n',
    );
    expect(run.code).toBe(0);
    const zh = await interview(PAIRS, ['?'], ['--facts', start, '--lang', 'zh-CN']);
    expect(zh.stderr).toContain('lb.health_check_misconfigured 或 lb.no_healthy_backend：运行 aws elbv2 describe-target-health --target-group-arn ARN 来区分它们（剩下的问题不值得再问：多半答不上来，或无法区分它们）。\n');
  });
});
