import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryLocator } from '../../src/kbtools/entry-location.js';
import { runCli } from './run.js';

/** Where the rule against dns.resolution_failure starts, read off its file: a case added above it moves it. */
const NAME_RESOLVES_LINE = readFileSync('rules/dns/resolution_failure.yaml', 'utf8').split('\n').indexOf('  - id: dns.name_resolves') + 1;

describe('rca kb show: one hypothesis in one place', () => {
  it('prints the header, the checks and each rule with its cf, file:line and readable condition', async () => {
    const run = await runCli(['kb', 'show', 'dns.resolution_failure']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'dns.resolution_failure (dns): The name does not resolve (NXDOMAIN / SERVFAIL / REFUSED)',
      '  rules/dns/resolution_failure.yaml:2:3',
      // Written 2, but the shipped model weighs no prior (priorWeight 0): every cause starts alike.
      '  prior: 2 (as written; before any fact the differential gives it 0.7%)',
      '  symptoms: errors, unreachable',
    ]);
    expect(lines).toContain('  [client] dig {{target.host}}');
    expect(lines).toContain('      confirms if: The header shows status: NXDOMAIN, SERVFAIL or REFUSED and the ANSWER section is empty.');
    const rule = lines.indexOf('  +0.80  dns.nxdomain_answer  rules/dns/resolution_failure.yaml:97:3');
    expect(rule).toBeGreaterThan(lines.indexOf('rules for (5):'));
    expect(lines[rule + 1]).toBe('         IF dns.result is nxdomain');
    const table = lines.indexOf('likelihoods (16), P(outcome | it) (~: not written, the rest of the row shared out) and × as likely as in incidents in general, then below it P(outcome | no known cause), the facts it tells apart most first (a fact a fired rule about it reads counts through the rule instead):');
    expect(table).toBeGreaterThan(0);
    // Under each fact, the same outcomes under "no known cause": its own row where the model's
    // otherCause names the fact (symptom.kind), else the background it follows.
    expect(lines.slice(table + 1, table + 5)).toEqual([
      '  dns.result: ok 0.04 ×0.05, nxdomain 0.45 ×11, servfail 0.35 ×8.8, timeout 0.08 ×1.6, refused 0.08 ×4.0',
      '      no known cause (as in incidents in general): ok 0.85, nxdomain 0.04, servfail 0.04, timeout 0.05, refused 0.02',
      '  symptom.kind: slow ~0.015 ×0.05, errors 0.5 ×1.7, timeout 0.07 ×0.47, unreachable 0.4 ×4.0, connection_reset ~0.015 ×0.10',
      '      no known cause: slow 0.1, errors 0.3, timeout 0.1, unreachable 0.4, connection_reset 0.1',
    ]);
    const others = lines.indexOf('  symptom.other_services_affected: true 0.4 ×2.7, false ~0.6 ×0.71');
    expect(lines[others + 1]).toBe('      no known cause: true 0.5, false 0.5');
    // The line is where the rule's entry starts in its file, and the hypothesis's too.
    const file = readFileSync('rules/dns/resolution_failure.yaml', 'utf8').split('\n');
    expect(file[97 - 1]).toBe('  - id: dns.nxdomain_answer');
    expect(file[2 - 1]).toBe('  - id: dns.resolution_failure');
    expect(lines).toContain('  dns.result: What does a DNS lookup of the name return on the affected client?');
    expect(lines).toContain('  top1       test/scenarios/dns/nxdomain-record-deleted-ping-ip-ok.yaml');
  });

  it("lists a check's variants under it, each with the fact's value that chooses it (commandBy)", async () => {
    const run = await runCli(['kb', 'show', 'system.lock_contention']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const jstack = lines.indexOf('  [server] jstack {{proc.app_pid}}');
    expect(lines.slice(jstack + 3, jstack + 6)).toEqual([
      '    when app.runtime = python: [server] py-spy dump --pid {{proc.app_pid}}',
      "        confirms if: Many threads stopped in the same lock's acquire (one with lock line of the application) while one thread holds it.",
      "        rules out if: Threads are in socket reads, sleeps or idle in their pool's queue, not in one acquire.",
    ]);
  });

  it('names the named command a check runs, with where it is written; a check with a command of its own names none', async () => {
    const run = await runCli(['kb', 'show', 'system.agent_cpu_overhead']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const commands = readFileSync('rules/commands.yaml', 'utf8').split('\n');
    const top = commands.indexOf('  top_snapshot:') + 1;
    expect(top).toBeGreaterThan(0);
    const check = lines.indexOf(`  [server] top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 '^top - '; echo "# nproc: $(nproc)"`);
    expect(lines[check + 1]).toBe(`      runs the named command: top_snapshot  rules/commands.yaml:${top}:3`);
    const ps = lines.indexOf('  [server] ps -o pid,ppid,pcpu,etime,args -p {{proc.top_pid}}');
    expect(lines[ps + 1]).toMatch(/^ {6}confirms if: /);
    const json = await runCli(['kb', 'show', 'system.agent_cpu_overhead', '-o', 'json']);
    const checks = (JSON.parse(json.stdout) as { checks: Array<{ run?: string; runAt?: { line?: number } }> }).checks;
    const strace = commands.indexOf('  strace_count_top:') + 1;
    expect(checks.map((c) => [c.run, c.runAt?.line])).toEqual([['top_snapshot', top], [undefined, undefined], ['strace_count_top', strace], [undefined, undefined]]);
  });

  it('lists the rules against a hypothesis apart from the rules for it', async () => {
    const run = await runCli(['kb', 'show', 'dns.resolution_failure']);
    const lines = run.stdout.split('\n');
    const against = lines.indexOf('rules against (1):');
    expect(against).toBeGreaterThan(lines.indexOf('rules for (5):'));
    expect(lines.slice(against + 1, against + 3)).toEqual([`  -0.80  dns.name_resolves  rules/dns/resolution_failure.yaml:${NAME_RESOLVES_LINE}:3`, '         IF dns.result is ok']);
  });

  it('gives the same as JSON (-o json), in the language asked for', async () => {
    const run = await runCli(['kb', 'show', 'dns.resolution_failure', '-o', 'json', '--lang', 'zh-CN']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout);
    expect(Object.keys(shown)).toEqual(['id', 'file', 'line', 'column', 'path', 'extendedBy', 'title', 'category', 'description', 'prior', 'symptoms', 'checks', 'rules', 'likelihoods', 'questions', 'scenarios']);
    expect(shown).toMatchObject({ id: 'dns.resolution_failure', file: 'rules/dns/resolution_failure.yaml', line: 2, column: 3, path: '/hypotheses/0', title: '域名解析失败（NXDOMAIN / SERVFAIL / REFUSED）', category: 'dns', symptoms: ['errors', 'unreachable'] });
    expect(shown.checks[0]).toEqual(expect.objectContaining({ command: 'dig {{target.host}}', where: 'client' }));
    // dig of the target is the lookup questions' named command (rules/commands.yaml, dig_target).
    expect(Object.keys(shown.checks[0])).toEqual(['command', 'where', 'confirms', 'rulesOut', 'run', 'runAt']);
    expect(shown.checks[0]).toMatchObject({ run: 'dig_target', runAt: { file: 'rules/commands.yaml', path: '/commands/dig_target' } });
    expect(shown.rules.for.map((r: { id: string }) => r.id)).toEqual(['dns.nxdomain_answer', 'dns.servfail_or_refused', 'dns.unresolvable_but_host_reachable', 'dns.lookup_fails_without_usable_answer', 'dns.search_walk_ends_in_nxdomain']);
    expect(shown.rules.against).toEqual([{ id: 'dns.name_resolves', cf: -0.8, file: 'rules/dns/resolution_failure.yaml', line: NAME_RESOLVES_LINE, column: 3, path: '/rules/3', condition: '如果 dns.result 是 ok' }]);
    // Its table, the facts that tell it apart most first: an answer of NXDOMAIN is 11 times as likely under it.
    expect(shown.likelihoods[0]).toEqual({
      fact: 'dns.result',
      outcomes: [
        { outcome: 'ok', probability: 0.04, ratio: 0.05, stated: true, otherCause: 0.85 },
        { outcome: 'nxdomain', probability: 0.45, ratio: 11.25, stated: true, otherCause: 0.04 },
        { outcome: 'servfail', probability: 0.35, ratio: 8.75, stated: true, otherCause: 0.04 },
        { outcome: 'timeout', probability: 0.08, ratio: 1.6, stated: true, otherCause: 0.05 },
        { outcome: 'refused', probability: 0.08, ratio: 4, stated: true, otherCause: 0.02 },
      ],
      otherCauseRow: 'background',
    });
    // A probability the row leaves unwritten is the rest of the row, shared out, and says so.
    expect(shown.likelihoods.find((l: { fact: string }) => l.fact === 'symptom.other_services_affected')).toEqual({
      fact: 'symptom.other_services_affected',
      outcomes: [
        { outcome: 'true', probability: 0.4, ratio: 2.67, stated: true, otherCause: 0.5 },
        { outcome: 'false', probability: 0.6, ratio: 0.71, stated: false, otherCause: 0.5 },
      ],
      otherCauseRow: 'own',
    });
    // The questions that feed it: its rules' facts and its table's.
    expect(shown.questions.map((q: { fact: string }) => q.fact)).toEqual([
      'dns.answer_mismatch', 'dns.result', 'dns.search_expansion', 'dns.temporary_failure', 'http.error_source', 'http.status', 'kernel.conntrack_insert_failed', 'ping.result', 'proxy.upstream_error',
      'symptom.intermittent', 'symptom.kind', 'symptom.other_services_affected', 'symptom.recent_change', 'symptom.scope', 'target.protocol', 'tcp.connect', 'tls.handshake',
    ]);
    expect(shown.scenarios).toContainEqual({ file: 'test/scenarios/dns/nxdomain-record-deleted-ping-ip-ok.yaml', role: 'top1' });
    expect(shown.scenarios).toContainEqual({ file: 'test/scenarios/network/k8s-dns-conntrack-race.yaml', role: 'ruledOut' });
  });

  it('heads every section in the language asked for, as the reports do (--lang zh-CN)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-zh-pack-'));
    const file = join(dir, 'pack.yaml');
    writeFileSync(
      file,
      [
        'kb: {name: zh-pack, version: 1.0.0}',
        'hypotheses:',
        '  - id: network.packet_loss',
        '    category: network',
        '    symptoms: [timeout]',
        '    title: {en: Packets are lost on the path, zh-CN: 路径上丢包}',
        '    description: {en: Some packets never arrive., zh-CN: 部分数据包没有到达。}',
        "    checks: [{command: 'mtr -rwc 50 {{target.host}}', where: lb, confirms: {en: loss at a hop, zh-CN: 某一跳开始丢包}, rulesOut: {en: no loss, zh-CN: 没有丢包}}]",
        '    likelihoods: {ping.result: {partial_loss: 0.6}}',
        'rules:',
        '  - id: network.ping_partial_loss',
        '    description: {en: Ping loses some packets, zh-CN: ping 丢失部分数据包}',
        '    conditions: {all: [{fact: ping.result, operator: equal, value: partial_loss}]}',
        '    evidence: [{hypothesis: network.packet_loss, cf: 0.6}]',
        'questions:',
        '  - {fact: ping.result, text: {en: Does ping get replies?, zh-CN: ping 有回应吗？}}',
        'model: {background: {ping.result: {ok: 0.8, partial_loss: 0.1}}, otherCause: {ping.result: {fail: 0.5}}}',
        '',
      ].join('\n'),
    );
    // A knowledge base of its own: the shipped scenarios, which test the shipped rules/, are not read.
    const run = await runCli(['kb', 'show', 'network.packet_loss', '--kb', dir, '--lang', 'zh-CN']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.split('\n')).toEqual([
      'network.packet_loss (network)：路径上丢包',
      `  ${file}:3:3`,
      '  先验：1（为所写的值；在没有任何事实时，鉴别诊断给它的概率为 90.0%）',
      '  症状：timeout',
      '',
      '  部分数据包没有到达。',
      '',
      '排查命令（1）：',
      '  [负载均衡] mtr -rwc 50 {{target.host}}',
      '      若结果如此则证实：某一跳开始丢包',
      '      若结果如此则排除：没有丢包',
      '',
      '支持规则（1）：',
      `  +0.60  network.ping_partial_loss  ${file}:11:3`,
      '         如果 ping.result 是 partial_loss',
      '',
      '反对规则（0）：',
      '',
      '似然表（2），P(结果 | 该根因)（~：未直接写出，由该行剩余的概率平分）和 ×：是一般故障中的多少倍，其下一行是 P(结果 | 知识库之外的原因)，最能区分它的事实排在前面（若某条关于它的规则已触发并读取了某个事实，该事实改由那条规则计入）：',
      '  symptom.kind：slow ~0.025 ×0.12、errors ~0.025 ×0.12、timeout ~0.9 ×4.5、unreachable ~0.025 ×0.12、connection_reset ~0.025 ×0.12',
      '      知识库之外的原因（与一般故障相同）：slow 0.2、errors 0.2、timeout 0.2、unreachable 0.2、connection_reset 0.2',
      '  ping.result：ok ~0.2 ×0.25、partial_loss 0.6 ×6.0、fail ~0.2 ×2.0',
      '      知识库之外的原因：ok 0.25、partial_loss 0.25、fail 0.5',
      '',
      '问题（1）：',
      '  ping.result：ping 有回应吗？',
      '',
      '场景（0）：',
      '',
    ]);
  });

  it('refuses an unknown id as a usage error naming the closest hypothesis', async () => {
    const run = await runCli(['kb', 'show', 'dns.resolution_falure']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rca: usage error: kb show: expected a hypothesis id or a named command, got unknown "dns.resolution_falure" (did you mean "dns.resolution_failure"?)\n');
    // A misspelt named command is offered the command.
    const command = await runCli(['kb', 'show', 'top_snapshto']);
    expect([command.code, command.stderr.split('\n')[0]]).toEqual([2, 'rca: usage error: kb show: expected a hypothesis id or a named command, got unknown "top_snapshto" (did you mean "top_snapshot"?)']);
  });

  it('shows a named command with where it is written, what its output gives, and every question and check that runs it', async () => {
    const run = await runCli(['kb', 'show', 'top_snapshot']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const line = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').indexOf(text) + 1;
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'top_snapshot (named command)',
      `  rules/commands.yaml:${line('rules/commands.yaml', '  top_snapshot:')}:3`,
      `  $ top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 '^top - '; echo "# nproc: $(nproc)"`,
      '  pasted as: top',
      '  its output gives: host.cpu_pct, host.iowait_pct, host.cpu_steal_pct, host.cpu_sys_pct, host.load_per_cpu, host.mem_available_pct, proc.top_pid, proc.top_name, proc.top_cpu_pct',
      '',
      'run by questions (8):',
    ]);
    // host.iowait_pct is among what top prints, but its question runs vmstat (with the blocked tasks).
    expect(lines.slice(7, 15).map((l) => l.split('  ')[1])).toEqual(['host.cpu_pct', 'host.load_per_cpu', 'host.cpu_steal_pct', 'host.cpu_sys_pct', 'host.mem_available_pct', 'proc.top_pid', 'proc.top_name', 'proc.top_cpu_pct']);
    expect(lines[7]).toBe(`  host.cpu_pct  rules/system/questions.yaml:${line('rules/system/questions.yaml', '  - fact: host.cpu_pct')}:3`);
    const checks = lines.indexOf('run by checks (4):');
    expect(lines.slice(checks + 1, checks + 5).map((l) => l.split('  ')[1])).toEqual(['app.connection_pool_exhausted #4', 'system.agent_cpu_overhead #1', 'system.cpu_saturation_app #1', 'system.worker_pool_exhausted #2']);
    const json = JSON.parse((await runCli(['kb', 'show', 'top_snapshot', '-o', 'json'])).stdout);
    expect(json).toMatchObject({ command: 'top_snapshot', file: 'rules/commands.yaml', path: '/commands/top_snapshot', paste: 'top' });
    expect(json.checks[1]).toMatchObject({ hypothesis: 'system.agent_cpu_overhead', check: 0, file: 'rules/system/agent_cpu_overhead.yaml', path: '/hypotheses/0/checks/0' });
    // A command nothing pastes: no paste or carries line.
    const upstreams = (await runCli(['kb', 'show', 'nginx_upstreams'])).stdout.split('\n');
    expect(upstreams[3]).toBe('');
  });

  it('says what a rule id is evidence for, rather than suggesting a hypothesis by spelling', async () => {
    const run = await runCli(['kb', 'show', 'dns.nxdomain_answer']);
    expect([run.code, run.stderr.split('\n')[0]]).toEqual([2, 'rca: usage error: kb show: expected a hypothesis id, got the rule "dns.nxdomain_answer" (evidence for "dns.resolution_failure"; against "dns.slow_resolver", "dns.stale_record": show one of those)']);
  });

  it('takes exactly one id', async () => {
    for (const [args, got] of [[[], '0'], [['a', 'b'], '2: a b']] as const) {
      const run = await runCli(['kb', 'show', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`rca: usage error: kb show: expected one hypothesis id or named command, got ${got}\n`);
    }
  });
});

describe('entryLocator', () => {
  it('places an entry by its JSON path, so a rule and a hypothesis may share an id; in a JSON file too', () => {
    const text = ['hypotheses:', '  - id: a.b', '    title: x', 'rules:', '', '  - id: "a.b"', '  - id: c # note'].join('\n');
    const where = entryLocator((file) => (file.endsWith('.yaml') ? text : file.endsWith('.json') ? JSON.stringify({ rules: [{ id: 'c' }] }) : 'rules: [{id: c}]'));
    expect([where('f.yaml', '/hypotheses/0'), where('f.yaml', '/rules/0'), where('f.yaml', '/rules/1/description'), where('f.json', '/rules/0'), where('f.txt', '/rules/0')]).toEqual([
      { file: 'f.yaml', line: 2, column: 3, path: '/hypotheses/0' },
      { file: 'f.yaml', line: 6, column: 3, path: '/rules/0' },
      // A field the text does not show: the entry's place.
      { file: 'f.yaml', line: 7, column: 3, path: '/rules/1/description' },
      { file: 'f.json', line: 1, column: 11, path: '/rules/0' },
      // Neither YAML nor JSON: no line.
      { file: 'f.txt', path: '/rules/0' },
    ]);
  });
});

describe('rca kb text output from a pack', () => {
  it('shows control characters in knowledge-base text, never sends them to the terminal', async () => {
    const { cpSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'rca-show-pack-'));
    cpSync(join('test', 'fixtures', 'interview-kb'), dir, { recursive: true });
    rmSync(join(dir, 'kb.lock.json'));
    const file = join(dir, 'kb.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: {en: ICMP is filtered,', 'title: {en: "ICMP is \\e]52;c;cHduZWQ=\\a filtered",'));
    const run = await runCli(['kb', 'show', 'network.icmp_filtered', '--kb', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('network.icmp_filtered (network): ICMP is \\x1b]52;c;cHduZWQ=\\x07 filtered');
    expect([...run.stdout].some((c) => c === "\u001b" || c === "\u0007")).toBe(false);
  });
});

describe('rca kb lint and show: a line feed in a pack text or key', () => {
  // Each value stays on its line with its line feed shown: raw, the pack wrote lines of the report
  // (an "ok" line under show's header, a "0 errors" line in lint from a key in a pointer).
  const pack = [
    'hypotheses:',
    '  - id: lf.cause',
    '    category: app',
    '    symptoms: [errors]',
    '    title: {en: "t\\n  /tmp/x.yaml:1:1  ok  nothing to see", zh-CN: "标题\\n伪造", "zz\\n0 errors, 0 warnings": z}',
    '    description: {en: d, zh-CN: 描述}',
    '    checks:',
    '      - {command: uptime, where: server, confirms: {en: "a\\nforged", zh-CN: "甲\\n伪造"}, rulesOut: {en: b, zh-CN: 乙}}',
    'rules:',
    '  - id: lf.r',
    '    description: {en: x, zh-CN: 规则}',
    '    conditions: {all: [{fact: http.status, operator: equal, value: 597}]}',
    '    evidence: [{hypothesis: lf.cause, cf: 0.5}]',
    '    cases: {fires: [{http.status: 597}], silent: [{http.status: 596}]}',
    '',
  ].join('\n');
  const packDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-lf-pack-'));
    writeFileSync(join(dir, 'a.yaml'), pack);
    return dir;
  };

  it('lint shows the pointer\'s line feed on the finding\'s line', async () => {
    const dir = packDir();
    const run = await runCli(['kb', 'lint', '--kb', 'rules', '--kb', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((line) => line.includes('unknown-language') || line.startsWith('0 errors'))).toEqual([
      `${join(dir, 'a.yaml')}:5:78 at /hypotheses/0/title/zz\\n0 errors, 0 warnings  error  unknown-language  lf.cause: expected en or zh-CN, got "zz\\n0 errors, 0 warnings": a text under any other key is never shown`,
    ]);
  });

  it('show shows the line feeds of a title and a check, in English and in Chinese', async () => {
    const dir = packDir();
    const en = await runCli(['kb', 'show', 'lf.cause', '--kb', 'rules', '--kb', dir]);
    expect(en.code).toBe(0);
    expect(en.stdout.split('\n').slice(0, 2)).toEqual(['lf.cause (app): t\\n  /tmp/x.yaml:1:1  ok  nothing to see', `  ${join(dir, 'a.yaml')}:2:3`]);
    expect(en.stdout.split('\n')).toContain('      confirms if: a\\nforged');
    const zh = await runCli(['kb', 'show', 'lf.cause', '--kb', 'rules', '--kb', dir, '--lang', 'zh-CN']);
    expect(zh.code).toBe(0);
    expect(zh.stdout.split('\n')[0]).toBe('lf.cause (app)：标题\\n伪造');
    expect(zh.stdout.split('\n')).toContain('      若结果如此则证实：甲\\n伪造');
  });
});
