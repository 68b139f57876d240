import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportFormat } from '../../src/core/render.js';
import type { Diagnosis } from '../../src/generated/diagnosis.js';
import { diagnoseFacts } from '../support.js';

/** Tickets that get each verdict (differential twice: with a known cause leading, and with "no known cause" ahead of each). */
const TICKETS = {
  confident: { 'ping.result': 'fail', 'tcp.connect': 'ok' },
  differential: { 'http.status': 503, 'lb.backend_health': 'all_unhealthy' },
  differentialOtherLeads: { 'symptom.kind': 'unreachable', 'symptom.scope': 'some_clients', 'target.protocol': 'dns' },
  noKnownCause: { 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'symptom.intermittent': false, 'symptom.other_services_affected': true },
  noEvidence: { 'target.protocol': 'https' },
} as const;

/** The verdict sentence of a report: the line after the ranking's heading (text, markdown), the verdict paragraph (HTML). */
function verdictLine(report: string, format: Exclude<ReportFormat, 'json'>): string {
  if (format === 'html') return /<p class="verdict verdict-[a-z_]+">([^<]*)<\/p>/.exec(report)?.[1] ?? '';
  const lines = report.split('\n');
  const heading = lines.findIndex((l) => /^(#### )?(Likely root causes|可能的根因)$/.test(l));
  return lines.slice(heading + 1).find((l) => l.trim() !== '') ?? '';
}

describe('the verdict in words', () => {
  // One word per verdict, in each language, whatever the format and whichever of the verdict's sentences is shown.
  const LABELS: Record<string, Record<keyof typeof TICKETS, string>> = {
    en: { confident: 'Confident', differential: 'Differential', differentialOtherLeads: 'Differential', noKnownCause: 'No known cause fits', noEvidence: 'No evidence yet' },
    'zh-CN': { confident: '结论较明确', differential: '鉴别诊断', differentialOtherLeads: '鉴别诊断', noKnownCause: '没有已知根因符合', noEvidence: '尚无证据' },
  };

  it('opens with the same label for a verdict in every format and both languages, a differential led by "no known cause" too', async () => {
    const shown: string[] = [];
    for (const [lang, labels] of Object.entries(LABELS)) {
      for (const ticket of Object.keys(labels) as Array<keyof typeof TICKETS>) {
        const diagnosis: Diagnosis = await diagnoseFacts(TICKETS[ticket], { lang });
        for (const format of ['text', 'markdown', 'html'] as const) {
          const line = verdictLine(renderReport(diagnosis, format), format);
          shown.push(`${lang} ${ticket} ${format}: ${line.split(/[:：]/, 1)[0]}`);
        }
      }
    }
    expect(shown).toEqual(Object.entries(LABELS).flatMap(([lang, labels]) => Object.entries(labels).flatMap(([ticket, label]) => ['text', 'markdown', 'html'].map((f) => `${lang} ${ticket} ${f}: ${label}`))));
  });

  it('uses the tickets it means to: each verdict, and a differential where "no known cause" is likelier than the leading cause', async () => {
    expect((await diagnoseFacts(TICKETS.confident)).verdict).toBe('confident');
    const differential = await diagnoseFacts(TICKETS.differential);
    expect([differential.verdict, (differential.hypotheses[0]?.confidence ?? 0) > differential.otherCause]).toEqual(['differential', true]);
    const otherLeads = await diagnoseFacts(TICKETS.differentialOtherLeads);
    expect([otherLeads.verdict, (otherLeads.hypotheses[0]?.confidence ?? 1) < otherLeads.otherCause]).toEqual(['differential', true]);
    expect((await diagnoseFacts(TICKETS.noKnownCause)).verdict).toBe('no_known_cause');
    expect((await diagnoseFacts(TICKETS.noEvidence)).verdict).toBe('no_evidence');
  });
});

describe('conditions in the language of the report', () => {
  // The busiest process is an agent: system.agent_is_top_cpu reads proc.top_role with `in`.
  const agent = { 'proc.top_role': 'apm_agent', 'proc.top_cpu_pct': 180 };

  it('shows an operator that is a word (in, not in, contains) in words of the language, a sign as it is', async () => {
    const zh = await diagnoseFacts(agent, { lang: 'zh-CN' });
    expect(renderReport(zh, 'text')).toContain('\n         proc.top_role 是以下之一 apm_agent, log_shipper, security_agent, backup_or_cron, child_of_app  [实际值：apm_agent]\n         proc.top_cpu_pct ≥ 50  [实际值：180]\n');
    expect(renderReport(zh, 'markdown')).toContain('`proc.top_role` 是以下之一 apm_agent, log_shipper, security_agent, backup_or_cron, child_of_app（实际值：apm_agent）<br>`proc.top_cpu_pct` ≥ 50（实际值：180）');
    expect(renderReport(zh, 'html')).toContain('<div><code>proc.top_role</code> 是以下之一 apm_agent, log_shipper, security_agent, backup_or_cron, child_of_app<span class="meta">（实际值：apm_agent）</span></div>');
    const en = await diagnoseFacts(agent);
    expect(renderReport(en, 'text')).toContain('\n         proc.top_role in apm_agent, log_shipper, security_agent, backup_or_cron, child_of_app  [actual: apm_agent]\n');
  });
});

describe('next checks', () => {
  it('say where each command runs in every format, as HTML always did (text and markdown left it out)', async () => {
    const facts = { 'proc.top_role': 'apm_agent', 'proc.top_cpu_pct': 180, 'proc.top_pid': 31337 };
    const en = await diagnoseFacts(facts);
    expect(en.hypotheses[0]?.checks.find((c) => c.command === 'ps -o pid,ppid,pcpu,etime,args -p 31337')?.where).toBe('server');
    expect(renderReport(en, 'text')).toContain('     $ ps -o pid,ppid,pcpu,etime,args -p 31337\n         run on: server\n         confirms if: ');
    expect(renderReport(en, 'markdown')).toContain('```sh\nps -o pid,ppid,pcpu,etime,args -p 31337\n```\n- run on: server\n- confirms if: ');
    expect(renderReport(en, 'html')).toContain('<div class="outcome">run on: server</div>');
    const zh = await diagnoseFacts(facts, { lang: 'zh-CN' });
    expect(renderReport(zh, 'text')).toContain('     $ ps -o pid,ppid,pcpu,etime,args -p 31337\n         执行位置：服务器\n         若结果如此则证实：');
    expect(renderReport(zh, 'markdown')).toContain('```sh\nps -o pid,ppid,pcpu,etime,args -p 31337\n```\n- 执行位置：服务器\n');
    expect(renderReport(zh, 'html')).toContain('<div class="outcome">执行位置：服务器</div>');
  });
});

describe('a check whose command still holds a placeholder', () => {
  // Run as shown, `getent ahosts '<target.host>'` prints nothing, which its check reads as "the name does not resolve".
  const ticket = { 'symptom.kind': 'errors', 'dns.result': 'nxdomain' } as const;
  const LINES: Record<string, Record<Exclude<ReportFormat, 'json'>, string>> = {
    en: { text: '         fill in before running: target.host', markdown: '- fill in before running: `target.host`', html: '    <div class="outcome fill-in">fill in before running: <code>target.host</code></div>' },
    'zh-CN': { text: '         运行前先填入：target.host', markdown: '- 运行前先填入：`target.host`', html: '    <div class="outcome fill-in">运行前先填入：<code>target.host</code></div>' },
  };

  it('names the facts to fill in, in the JSON and in every format and language, and says nothing once they are known', async () => {
    for (const lang of ['en', 'zh-CN']) {
      const unknownHost = await diagnoseFacts(ticket, { lang });
      const leader = unknownHost.hypotheses[0] as Diagnosis['hypotheses'][number];
      expect([leader.id, leader.checks[0]?.command, leader.checks[0]?.fillIn]).toEqual(['dns.resolution_failure', "dig +trace '<target.host>'", ['target.host']]);
      const known = await diagnoseFacts({ ...ticket, 'target.host': 'db.example' }, { lang });
      expect(known.hypotheses[0]?.checks.map((c) => c.fillIn)).toEqual(known.hypotheses[0]?.checks.map(() => undefined));
      for (const format of ['text', 'markdown', 'html'] as const) {
        const report = renderReport(unknownHost, format, { color: false });
        // As indented under a check (a missing fact's command says it at its own place: below).
        expect(report.split('\n').filter((l) => l.trimEnd() === LINES[lang]?.[format]).length, `${lang} ${format}`).toBe(leader.checks.filter((c) => c.fillIn).length);
        expect(renderReport(known, format, { color: false })).not.toContain(LINES[lang]?.[format].trim());
      }
    }
  });

  it("names them under a missing fact's command too, and not once they are known", async () => {
    const ticket = { 'symptom.kind': 'errors', 'dns.result': 'nxdomain' } as const;
    const unknownHost = await diagnoseFacts(ticket);
    const byFact = (fact: string) => unknownHost.missing.find((m) => m.fact === fact);
    expect(unknownHost.missing.map((m) => m.fact)).toEqual(['dns.temporary_failure', 'target.protocol', 'tcp.connect', 'symptom.intermittent', 'ping.result', 'symptom.scope', 'symptom.other_services_affected', 'path.via_lb']);
    expect([byFact('dns.temporary_failure')?.fillIn, byFact('tcp.connect')?.fillIn, byFact('path.via_lb')?.fillIn, byFact('target.protocol')?.fillIn]).toEqual([['target.host'], ['target.host', 'target.port'], ['target.url'], undefined]);
    expect(renderReport(unknownHost, 'text', { color: false })).toContain("  ? tcp.connect  Does a TCP connect to the service port succeed, get refused, time out, or get reset?\n      how: nc -vz -w 5 '<target.host>' '<target.port>'\n      fill in before running: target.host, target.port\n");
    expect(renderReport(unknownHost, 'markdown')).toContain("— `nc -vz -w 5 '<target.host>' '<target.port>'` (fill in before running: `target.host`, `target.port`)\n");
    expect(renderReport(unknownHost, 'html')).toContain('<div class="outcome fill-in">fill in before running: <code>target.host</code>, <code>target.port</code></div></li>');
    const known = await diagnoseFacts({ ...ticket, 'target.host': 'db.example', 'target.port': 5432, 'target.url': 'http://db.example:5432/' });
    expect(known.missing.map((m) => m.fillIn)).toEqual(known.missing.map(() => undefined));
  });
});

describe('Chinese typography (clreq, GB/T 15834)', () => {
  // Every verdict, a ruled-out cause, a missing fact asked with another, a check with a fact to fill in.
  const tickets = [...Object.values(TICKETS), { 'symptom.kind': 'errors', 'http.status': 502, 'symptom.intermittent': true }, { 'ping.result': 'ok', 'tcp.connect': 'ok', 'symptom.kind': 'slow', 'host.cpu_pct': 20 }];
  // An ASCII colon after a Chinese label (past closing markup: </strong>, **, a backtick), or after a fact's name before Chinese text ("`fact`: 问题").
  const ASCII_COLON = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef](?:<\/\w+>|\*\*|`)?:(?!\/\/)|(?:`|<\/code>): (?:<\w+>)?\p{Script=Han}/u;
  // A space, then an ASCII opening parenthesis, after a full-width mark ("。 ("): Chinese brackets the aside full-width, no space.
  const SPACED_ASIDE = /[\u3000-\u303f\uff00-\uffef](?:<\/\w+>)? (?:<span[^>]*>)?\(/;

  it('puts a full-width colon after a label and full-width parentheses around an aside in zh-CN, in every format; en keeps ": " and " ("', async () => {
    const found: string[] = [];
    let rendered = 0;
    for (const facts of tickets) {
      const zh = { ...(await diagnoseFacts(facts, { lang: 'zh-CN' })), summary: '结账接口变慢' };
      for (const format of ['text', 'markdown', 'html'] as const) {
        for (const line of renderReport(zh, format).split('\n')) {
          rendered += 1;
          const bad = ASCII_COLON.exec(line) ?? SPACED_ASIDE.exec(line);
          if (bad) found.push(`${format}: ${bad[0]} in ${line.trim().slice(0, 80)}`);
        }
      }
    }
    expect(rendered).toBeGreaterThan(500);
    expect(found).toEqual([]);

    const zh = { ...(await diagnoseFacts(TICKETS.confident, { lang: 'zh-CN' })), summary: '结账接口变慢' };
    const en = { ...(await diagnoseFacts(TICKETS.confident)), summary: 'Checkout is slow' };
    const text = renderReport(zh, 'text');
    expect(text).toContain('\n问题概述：结账接口变慢\n所用事实：ping.result = fail、tcp.connect = ok\n');
    expect(text).toContain('\n结论较明确：一个已知根因领先，先核实它。（知识库之外的原因：<1%）\n');
    expect(text).toContain('\n   支持证据：\n');
    expect(text).toContain('  ✗ network.packet_loss（信念值 -0.80）  链路丢包\n      原因：network.icmp_fails_tcp_works (-0.80) ');
    expect(renderReport(en, 'text')).toContain('\nSummary: Checkout is slow\nFacts used: ping.result = fail, tcp.connect = ok\n');
    expect(renderReport(en, 'text')).toContain('\nConfident: one known cause leads; check it first. (no known cause: <1%)\n');
    expect(renderReport(en, 'text')).toContain('\n   Evidence for:\n');
    expect(renderReport(en, 'text')).toContain('  ✗ network.packet_loss (belief -0.80)  ');

    // Markdown: the colon after the bold where no space follows it, as CommonMark closes no "**" between a full-width mark and text.
    const markdown = renderReport(zh, 'markdown');
    expect(markdown).toContain('\n**问题概述**：结账接口变慢\n');
    expect(markdown).toContain('\n1. **ping 不通只是因为 ICMP 被过滤，TCP 是通的**（`network.icmp_filtered`）：置信度 **\\>99%**\n');
    expect(markdown).toContain('`ping.result` = fail（实际值：fail）<br>');
    const html = new MarkdownIt().render(markdown);
    expect(html).toContain('<p><strong>问题概述</strong>：结账接口变慢</p>');
    expect(html).toContain('<strong>ping 不通只是因为 ICMP 被过滤，TCP 是通的</strong>（<code>network.icmp_filtered</code>）：置信度 <strong>&gt;99%</strong>');
    expect(new MarkdownIt().render(renderReport(en, 'markdown'))).toContain('<p><strong>Summary:</strong> Checkout is slow</p>');

    expect(renderReport(zh, 'html')).toContain('<p><strong>问题概述</strong>：结账接口变慢</p>');
    // A list's items are separated by the enumeration comma (顿号), as the interview separates them.
    expect(renderReport(zh, 'html')).toContain('<strong>所用事实</strong>：<code>ping.result</code> = <code>fail</code>、<code>tcp.connect</code> = <code>ok</code></p>');
    expect(markdown).toContain('**所用事实**：`ping.result` = `fail`、`tcp.connect` = `ok`\n');
    expect(renderReport(en, 'html')).toContain('<strong>Facts used:</strong> <code>ping.result</code> = <code>fail</code>, <code>tcp.connect</code> = <code>ok</code></p>');
    expect(renderReport(zh, 'html')).toContain('<code>ping.result</code> &#x3D; fail<span class="meta">（实际值：fail）</span>');
    expect(renderReport(en, 'html')).toContain('<p><strong>Summary:</strong> Checkout is slow</p>');
    expect(renderReport(en, 'html')).toContain('<code>ping.result</code> &#x3D; fail <span class="meta">(actual: fail)</span>');
  });
});
