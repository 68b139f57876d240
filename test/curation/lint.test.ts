import { describe, expect, it } from 'vitest';
import { LINT_CHECKS } from '../../src/core/checks/registry.js';
import { lintKnowledgeBase } from '../../src/kbtools/lint.js';
import { hypothesis, kbOf } from '../fixtures.js';

const leaf = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
const rule = (id: string, conditions: unknown, evidence: unknown[] = [{ hypothesis: 'network.packet_loss', cf: 0.6 }], extra: Record<string, unknown> = {}) => ({
  id,
  description: id,
  conditions,
  evidence,
  ...extra,
});
/** Lints a KB holding the given rules plus a well-supported hypothesis, and names what fired. */
function findings(rules: unknown[], extra: Record<string, unknown> = {}) {
  const kb = kbOf({ hypotheses: [hypothesis('network.packet_loss'), ...((extra.hypotheses as unknown[]) ?? [])], rules, ...(extra.conditions ? { conditions: extra.conditions } : {}), ...(extra.questions ? { questions: extra.questions } : {}) });
  return lintKnowledgeBase(kb);
}
const only = (check: string, result: ReturnType<typeof findings>) => result.findings.filter((f) => f.check === check).map((f) => `${f.file} at ${f.path} ${f.id}: ${f.message}`);
const base = rule('base', { all: [leaf('ping.result', 'equal', 'partial_loss')] });

describe('kb lint checks', () => {
  it('curl-write-out: a named command once, where it is written, though two questions and a check run it', () => {
    const kb = kbOf({
      commands: { curl_status: { how: "curl -sS -o /dev/null -w '%{http_code}\\n' {{target.url}}", paste: 'curl-w', carries: ['http.status', 'http.latency_ms'] } },
      hypotheses: [hypothesis('network.packet_loss', { checks: [{ run: 'curl_status', confirms: 'a', rulesOut: 'b' }] })],
      rules: [base],
      questions: [
        { fact: 'http.status', text: 'Status?', run: 'curl_status' },
        { fact: 'http.latency_ms', text: 'Time?', run: 'curl_status' },
      ],
    });
    expect(lintKnowledgeBase(kb).findings.filter((f) => f.check === 'curl-write-out').map((f) => `${f.file} at ${f.path} ${f.id}`)).toEqual(['file0.yaml at /commands/curl_status/how curl_status']);
  });

  it('contradictory-conditions: one fact equal to two values in one all', () => {
    const r = findings([base, rule('r1', { all: [leaf('ping.result', 'equal', 'ok'), leaf('ping.result', 'equal', 'fail')] })]);
    expect(only('contradictory-conditions', r)).toEqual(['file0.yaml at /rules/1/conditions/all/1 r1: can never fire: ping.result must equal "ok" and "fail"']);
    expect(r.findings.find((f) => f.check === 'contradictory-conditions')?.severity).toBe('error');
  });

  it('contradictory-conditions: an empty numeric range, through a named condition', () => {
    const r = findings([base, rule('r2', { all: [{ condition: 'lossy' }, leaf('ping.loss_pct', 'lessThan', 5)] })], { conditions: { lossy: { all: [leaf('ping.loss_pct', 'greaterThan', 10)] } } });
    expect(only('contradictory-conditions', r)).toEqual(['file0.yaml at /rules/1/conditions/all/1 r2: can never fire: ping.loss_pct must be > 10 and < 5']);
  });

  it('contradictory-conditions: at the leaf that, with those before it, can no longer hold; one a named condition brings in is at its reference', () => {
    const r = findings(
      [
        base,
        rule('r5', { all: [leaf('ping.loss_pct', 'greaterThan', 10), leaf('ping.loss_pct', 'lessThan', 50), leaf('ping.loss_pct', 'lessThan', 5), leaf('ping.loss_pct', 'lessThan', 2)] }),
        rule('r6', { any: [leaf('ping.result', 'equal', 'fail'), { all: [leaf('ping.loss_pct', 'lessThan', 5), { condition: 'lossy' }] }] }),
      ],
      { conditions: { lossy: { all: [leaf('ping.loss_pct', 'greaterThan', 10)] } } },
    );
    expect(only('contradictory-conditions', r)).toEqual([
      'file0.yaml at /rules/1/conditions/all/2 r5: can never fire: ping.loss_pct must be > 10 and < 2',
      // r6 fires through its first branch: its second is dead.
      'file0.yaml at /rules/2/conditions/any/1/all/1 r6: this branch of an any can never hold: ping.loss_pct must be > 10 and < 5',
    ]);
  });

  it('fires-on-absence: notEqual, notIn and not', () => {
    const r = findings([base, rule('r3', { all: [leaf('ping.result', 'notEqual', 'ok')] }), rule('r4', { not: leaf('tcp.connect', 'equal', 'ok') })]);
    expect(only('fires-on-absence', r)).toEqual([
      'file0.yaml at /rules/1/conditions/all/0 r3: uses ping.result notEqual: state what was seen (equal / in) so the rule does not read as firing on a missing fact',
      'file0.yaml at /rules/2/conditions r4: uses not: state what was seen (equal / in) so the rule does not read as firing on a missing fact',
    ]);
  });

  it('fires-on-absence: one finding per negation, each at its own place; those a named condition brings in at its reference', () => {
    const r = findings([base, rule('r7', { all: [leaf('ping.result', 'equal', 'fail'), { condition: 'not_refused' }, { not: leaf('tcp.connect', 'equal', 'ok') }] })], {
      conditions: { not_refused: { all: [leaf('tcp.connect', 'notIn', ['refused']), leaf('tls.handshake', 'notEqual', 'ok')] } },
    });
    expect(only('fires-on-absence', r)).toEqual([
      'file0.yaml at /rules/1/conditions/all/1 r7: uses tcp.connect notIn, tls.handshake notEqual: state what was seen (equal / in) so the rule does not read as firing on a missing fact',
      'file0.yaml at /rules/1/conditions/all/2 r7: uses not: state what was seen (equal / in) so the rule does not read as firing on a missing fact',
    ]);
  });

  it('fires-on-absence: two negations in a YAML rule are two findings, each at its own line and column', () => {
    const text = ['rules:', '  - id: r8', '    conditions:', '      all:', '        - {fact: ping.result, operator: notEqual, value: ok}', '        - {fact: tcp.connect, operator: equal, value: ok}', '        - {fact: tls.handshake, operator: notIn, value: [ok]}', ''].join('\n');
    const kb = kbOf({ hypotheses: [hypothesis('network.packet_loss')], rules: [rule('r8', { all: [leaf('ping.result', 'notEqual', 'ok'), leaf('tcp.connect', 'equal', 'ok'), leaf('tls.handshake', 'notIn', ['ok'])] })] });
    const placed = lintKnowledgeBase(kb, (file) => (file === 'file0.yaml' ? text : undefined)).findings.filter((f) => f.check === 'fires-on-absence');
    expect(placed.map(({ line, column, path, message }) => ({ line, column, path, message }))).toEqual([
      { line: 5, column: 9, path: '/rules/0/conditions/all/0', message: 'uses ping.result notEqual: state what was seen (equal / in) so the rule does not read as firing on a missing fact' },
      { line: 7, column: 9, path: '/rules/0/conditions/all/2', message: 'uses tls.handshake notIn: state what was seen (equal / in) so the rule does not read as firing on a missing fact' },
    ]);
  });

  it('duplicate-rule and subsumed-rule', () => {
    const r = findings([base, rule('twin', { all: [leaf('ping.result', 'equal', 'partial_loss')] }), rule('narrow', { all: [leaf('ping.result', 'equal', 'partial_loss'), leaf('ping.loss_pct', 'greaterThan', 5)] })]);
    expect(only('duplicate-rule', r)).toEqual(['file0.yaml at /rules/1/conditions twin: has the same conditions as base (file0.yaml at /rules/0): merge their evidence into one rule']);
    expect(only('subsumed-rule', r)).toContain(
      'file0.yaml at /rules/2/conditions narrow: includes every condition of base: whenever it fires base fires too, counting evidence for network.packet_loss twice',
    );
  });

  it('duplicate-rule: the twin in another file is named at its file:line:column, in the message and as firstDefined', () => {
    const kb = kbOf({ hypotheses: [hypothesis('network.packet_loss')], rules: [base] }, { rules: [rule('twin', { all: [leaf('ping.result', 'equal', 'partial_loss')] })] });
    const texts: Record<string, string> = { 'file0.yaml': 'hypotheses: []\nrules:\n  - id: base\n', 'file1.yaml': 'rules:\n  - id: twin\n    conditions: {}\n' };
    const [finding] = lintKnowledgeBase(kb, (file) => texts[file]).findings.filter((f) => f.check === 'duplicate-rule');
    expect(finding).toEqual({
      check: 'duplicate-rule',
      severity: 'error',
      file: 'file1.yaml',
      line: 3,
      column: 5,
      path: '/rules/0/conditions',
      id: 'twin',
      message: 'has the same conditions as base (file0.yaml:3:3 at /rules/0): merge their evidence into one rule',
      firstDefined: { file: 'file0.yaml', line: 3, column: 3, path: '/rules/0' },
    });
  });

  it('unsupported-hypothesis and weak-hypothesis', () => {
    const r = findings([base, rule('weak', { all: [leaf('tcp.connect', 'equal', 'timeout')] }, [{ hypothesis: 'network.firewall_drop', cf: 0.2 }])], {
      hypotheses: [hypothesis('network.firewall_drop'), hypothesis('network.port_closed')],
    });
    expect(only('unsupported-hypothesis', r)).toEqual(['file0.yaml at /hypotheses/2 network.port_closed: no rule supports it (no positive cf), so it can never be ranked']);
    expect(only('weak-hypothesis', r)).toEqual(['file0.yaml at /hypotheses/1 network.firewall_drop: all its supporting rules together reach only 0.20 (< 0.5)']);
  });

  it('surface-evidence: a rule on the ticket\'s surface alone giving a cause more than 0.5; at 0.5, with a finding, or ignored with a reason it is silent', () => {
    const r = findings([
      base,
      rule('proxy_says', { all: [leaf('proxy.upstream_error', 'equal', 'read_timeout'), leaf('symptom.kind', 'equal', 'timeout')] }, [{ hypothesis: 'network.packet_loss', cf: 0.6 }, { hypothesis: 'network.firewall_drop', cf: -0.9 }]),
      rule('at_bound', { all: [leaf('http.status', 'equal', 504), leaf('http.error_source', 'equal', 'lb')] }, [{ hypothesis: 'network.packet_loss', cf: 0.5 }]),
      rule('with_finding', { all: [leaf('proxy.upstream_error', 'equal', 'read_timeout'), leaf('tcp.retransmit_pct', 'greaterThan', 5)] }, [{ hypothesis: 'network.packet_loss', cf: 0.9 }]),
      rule('ignored', { all: [leaf('proxy.upstream_error', 'equal', 'header_too_big')] }, [{ hypothesis: 'network.packet_loss', cf: 0.85 }], { lintIgnore: [{ check: 'surface-evidence', reason: 'names the cause itself' }] }),
    ], { hypotheses: [hypothesis('network.firewall_drop')] });
    expect(only('surface-evidence', r)).toEqual([
      "file0.yaml at /rules/1/evidence/0/cf proxy_says: reads only the ticket's surface (proxy.upstream_error, symptom.kind) and gives network.packet_loss 0.6: expected at most 0.5, or a lintIgnore saying why this surface is the cause itself",
    ]);
    expect(r.suppressed.filter((f) => f.check === 'surface-evidence').map((f) => f.id)).toEqual(['ignored']);
  });

  describe('indistinct-evidence', () => {
    // As the shipped model weighs them: a rule's log weight 6 x atanh(cf), a table's ln of its
    // ratio, so a DNS timeout at 0.35 against 0.05 in general is worth cf 0.31 (tanh(ln 7 / 6)).
    const model = { ruleWeight: 6, background: { 'dns.result': { ok: 0.85, timeout: 0.05 }, 'dns.resolve_ms': { fast: 0.8, slow: 0.2 } }, outcomes: { 'dns.resolve_ms': { fast: [0, 999.99], slow: [999.99, 100000] } } };
    const timesOut = leaf('dns.result', 'equal', 'timeout');
    const lint = (rules: unknown[], lossTimeout = 0.35) =>
      lintKnowledgeBase(
        kbOf({
          hypotheses: [
            hypothesis('network.packet_loss', { likelihoods: { 'dns.result': { timeout: lossTimeout } } }),
            hypothesis('network.firewall_drop', { likelihoods: { 'dns.result': { timeout: 0.35 }, 'dns.resolve_ms': { slow: 0.9 } } }),
            hypothesis('network.port_closed'),
          ],
          rules: [base, ...rules],
          model,
        }),
      );

    it('fires on a rule reading one fact that another cause\'s table makes as likely, above what its cause\'s own table gives', () => {
      const r = lint([rule('times_out', { all: [timesOut] }, [{ hypothesis: 'network.packet_loss', cf: 0.6 }, { hypothesis: 'network.port_closed', cf: -0.5 }])]);
      expect(only('indistinct-evidence', r)).toEqual([
        "file0.yaml at /rules/1/evidence/0/cf times_out: reads only dns.result and gives network.packet_loss 0.6, but the likelihood tables make its condition as likely under network.firewall_drop (0.35) as under network.packet_loss (0.35): expected at most 0.31 (what network.packet_loss's own table gives it), another table for network.firewall_drop, or a lintIgnore saying why the fact is network.packet_loss's own mark",
      ]);
      expect(r.findings.find((f) => f.check === 'indistinct-evidence')?.severity).toBe('warning');
    });

    it('near misses: a cf within what the table gives, and a fact its cause makes likelier than any other does', () => {
      expect(only('indistinct-evidence', lint([rule('times_out', { all: [timesOut] }, [{ hypothesis: 'network.packet_loss', cf: 0.35 }])]))).toEqual([]);
      expect(only('indistinct-evidence', lint([rule('times_out', { all: [timesOut] }, [{ hypothesis: 'network.packet_loss', cf: 0.6 }])], 0.5))).toEqual([]);
    });

    it('silent where the tables cannot judge: two facts, a threshold inside a bin, a cause without a table for the fact; and ignored with a reason', () => {
      const r = lint([
        rule('two_facts', { all: [timesOut, leaf('symptom.scope', 'equal', 'all_clients')] }, [{ hypothesis: 'network.packet_loss', cf: 0.9 }]),
        rule('inside_a_bin', { all: [leaf('dns.resolve_ms', 'greaterThan', 500)] }, [{ hypothesis: 'network.firewall_drop', cf: 0.9 }]),
        rule('no_table', { all: [timesOut] }, [{ hypothesis: 'network.port_closed', cf: 0.9 }]),
        rule('ignored', { any: [timesOut] }, [{ hypothesis: 'network.packet_loss', cf: 0.9 }], { lintIgnore: [{ check: 'indistinct-evidence', reason: 'its own mark' }] }),
      ]);
      expect(only('indistinct-evidence', r)).toEqual([]);
      expect(r.suppressed.filter((f) => f.check === 'indistinct-evidence').map((f) => f.id)).toEqual(['ignored']);
    });
  });

  it('unread-fact, orphan-question and unused-condition', () => {
    const r = findings([base], { questions: [{ fact: 'dns.result', text: 'Does it resolve?' }], conditions: { never_used: { all: [leaf('tcp.connect', 'equal', 'ok')] } } });
    expect(only('orphan-question', r)).toEqual(['file0.yaml at /questions/0 dns.result: asks for dns.result, which no rule or likelihood reads']);
    expect(only('unread-fact', r)).toContain('schemas/facts.schema.json at /properties/http.status http.status: no rule or likelihood reads this fact');
    expect(only('unused-condition', r)).toEqual(['file0.yaml at /conditions/never_used never_used: no rule or question references it']);
  });

  it("places a finding in the KB's files, JSON as YAML, and none in the shipped facts, whatever a file of that name says", () => {
    const kb = kbOf({ hypotheses: [hypothesis('network.packet_loss')], rules: [base] }, { conditions: { never_used: { all: [leaf('tcp.connect', 'equal', 'ok')] } } });
    const texts: Record<string, string> = { 'file1.yaml': '{"conditions": {\n  "never_used": {"all": []}}}', 'schemas/facts.schema.json': '{"properties": {"http.status": {}}}' };
    const placed = lintKnowledgeBase(kb, (file) => texts[file]).findings.filter((f) => f.check === 'unused-condition' || f.id === 'http.status');
    expect(placed.map(({ file, line, column, path }) => ({ file, line, column, path }))).toEqual([
      { file: 'schemas/facts.schema.json', line: undefined, column: undefined, path: '/properties/http.status' },
      { file: 'file1.yaml', line: 2, column: 3, path: '/conditions/never_used' },
    ]);
  });

  it('unread-fact and orphan-question: a fact only a likelihood table weighs is read', () => {
    // No rule reads dns.result or tcp.connect; the loss hypothesis's table weighs dns.result,
    // the model's "no known cause" row tcp.connect.
    const kb = kbOf({
      hypotheses: [hypothesis('network.packet_loss', { likelihoods: { 'dns.result': { ok: 0.9 } } })],
      rules: [base],
      questions: [{ fact: 'dns.result', text: 'Does it resolve?' }],
      model: { background: { 'dns.result': { ok: 0.85 }, 'tcp.connect': { ok: 0.8 } }, otherCause: { 'tcp.connect': { refused: 0.5 } } },
    });
    const r = lintKnowledgeBase(kb);
    expect(only('orphan-question', r)).toEqual([]);
    const unread = only('unread-fact', r);
    expect(unread.filter((f) => / (dns\.result|tcp\.connect): /.test(f))).toEqual([]);
    expect(unread).toContain('schemas/facts.schema.json at /properties/http.status http.status: no rule or likelihood reads this fact');
  });

  it('cjk-spacing: a space beside full-width punctuation (a line fold after "，" or "。" before Latin text), not beside ASCII punctuation', () => {
    const zh = (text: string) => ({ en: 'Loss on the path', 'zh-CN': text });
    const r = lintKnowledgeBase(
      kbOf({
        hypotheses: [hypothesis('network.packet_loss', { title: zh('ping 不通， TCP 是通的'), description: zh('链路丢包。 mtr 里只有中间跳丢包（ICMP 限速），不算。') })],
        rules: [base],
        questions: [{ fact: 'ping.result', text: zh('ping 的结果（ok, fail）是什么？TCP 呢？ping, mtr 都可以。') }],
      }),
    );
    expect(only('cjk-spacing', r)).toEqual([
      'file0.yaml at /hypotheses/0/title/zh-CN network.packet_loss: a space beside full-width punctuation: "， T"',
      'file0.yaml at /hypotheses/0/description/zh-CN network.packet_loss: a space beside full-width punctuation: "。 m"',
    ]);
    const closing = lintKnowledgeBase(kbOf({ hypotheses: [hypothesis('network.packet_loss', { title: zh('只丢 ICMP ，不算') })], rules: [base] }));
    expect(only('cjk-spacing', closing)).toEqual(['file0.yaml at /hypotheses/0/title/zh-CN network.packet_loss: a space beside full-width punctuation: " ，"']);
  });

  it('cjk-spacing: a space between Chinese characters (a YAML line fold), not beside Latin text', () => {
    const zh = (text: string) => ({ en: 'Loss on the path', 'zh-CN': text });
    const r = lintKnowledgeBase(
      kbOf({
        hypotheses: [hypothesis('network.packet_loss', { title: zh('路径上 丢包'), description: zh('用 mtr 看 5 分钟，丢包在 第一跳。') })],
        rules: [base],
        questions: [{ fact: 'ping.result', text: zh('ping 的结果是什么？') }],
      }),
    );
    expect(only('cjk-spacing', r)).toEqual([
      'file0.yaml at /hypotheses/0/title/zh-CN network.packet_loss: a space between Chinese characters: "上 丢"',
      'file0.yaml at /hypotheses/0/description/zh-CN network.packet_loss: a space between Chinese characters: "在 第"',
    ]);
    expect(r.findings.find((f) => f.check === 'cjk-spacing')?.severity).toBe('error');
  });

  it('check-outcome: confirms and rulesOut say the same', () => {
    const r = findings([base], { hypotheses: [] });
    expect(only('check-outcome', r)).toEqual([]);
    const bad = lintKnowledgeBase(
      kbOf({ hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'loss' }] })], rules: [base] }),
    );
    expect(only('check-outcome', bad)).toEqual(['file0.yaml at /hypotheses/0/checks/0 network.packet_loss: confirms and rulesOut say the same: say what each outcome looks like']);
  });

  it('lintIgnore switches a check off for one rule, with its reason', () => {
    const r = findings([base, rule('r3', { all: [leaf('ping.result', 'notEqual', 'ok')] }, undefined, { lintIgnore: [{ check: 'fires-on-absence', reason: 'intended complement' }] })]);
    expect(only('fires-on-absence', r)).toEqual([]);
    expect(r.suppressed.map((s) => [s.check, s.id, s.reason])).toEqual([['fires-on-absence', 'r3', 'intended complement']]);
  });

  it('a lintIgnore naming no check switches nothing off: the finding stays, and the entry is an error of its own', () => {
    const r = findings([base, rule('r3', { all: [leaf('ping.result', 'notEqual', 'ok')] }, undefined, { lintIgnore: [{ check: 'fires-on-absense', reason: 'intended complement' }] })]);
    expect(r.suppressed).toEqual([]);
    expect(only('fires-on-absence', r)).toEqual(['file0.yaml at /rules/1/conditions/all/0 r3: uses ping.result notEqual: state what was seen (equal / in) so the rule does not read as firing on a missing fact']);
    expect(r.findings.filter((f) => f.check === 'lint-ignore').map((f) => [f.severity, f.path])).toEqual([['error', '/rules/1/lintIgnore/0/check']]);
  });

  it('documents a severity, a description and why for every check', () => {
    for (const { meta } of LINT_CHECKS) {
      expect(['error', 'warning'], meta.id).toContain(meta.severity);
      expect(meta.docs.description.length, meta.id).toBeGreaterThan(10);
      expect(meta.docs.why.length, meta.id).toBeGreaterThan(10);
    }
  });
});
