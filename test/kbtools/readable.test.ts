import { describe, expect, it } from 'vitest';
import type { Condition } from '../../src/generated/kb-file.js';
import { factsOf } from '../../src/core/conditions.js';
import { readableCondition } from '../../src/kbtools/readable.js';
import { shippedKb } from '../support.js';

const named = new Map<string, Condition>([
  ['host_reachable', { any: [{ fact: 'ping.result', operator: 'equal', value: 'ok' }, { fact: 'tcp.connect', operator: 'equal', value: 'ok' }] }],
  ['lb_503', { all: [{ fact: 'http.status', operator: 'equal', value: 503 }] }],
]);
const en = (c: Condition, options = {}) => readableCondition(c, named, 'en', options);
const zh = (c: Condition) => readableCondition(c, named, 'zh-CN');

describe('readableCondition', () => {
  it('reads a conjunction of leaves as one IF sentence', () => {
    expect(
      en({
        all: [
          { fact: 'http.status', operator: 'equal', value: 503 },
          { fact: 'lb.backend_health', operator: 'equal', value: 'all_unhealthy' },
        ],
      }),
    ).toBe('IF http.status is 503 AND lb.backend_health is all_unhealthy');
  });

  it('puts every operator in words', () => {
    const leaf = (operator: string, value: unknown) => en({ all: [{ fact: 'x.y', operator, value } as Condition] }, { prefix: false });
    expect(leaf('notEqual', 'ok')).toBe('x.y is not ok');
    expect(leaf('lessThan', 1)).toBe('x.y < 1');
    expect(leaf('lessThanInclusive', 1.5)).toBe('x.y <= 1.5');
    expect(leaf('greaterThan', 0)).toBe('x.y > 0');
    expect(leaf('greaterThanInclusive', 500)).toBe('x.y >= 500');
    expect(leaf('equal', true)).toBe('x.y is true');
    expect(leaf('in', ['a', 'b'])).toBe('x.y is one of [a, b]');
    expect(leaf('notIn', ['futex'])).toBe('x.y is not one of [futex]');
    expect(leaf('contains', 'filebeat')).toBe('x.y contains filebeat');
    expect(leaf('doesNotContain', '://[::1]')).toBe('x.y does not contain "://[::1]"');
    expect(leaf('equal', 'two words')).toBe('x.y is "two words"');
  });

  it('compares a fact with another fact by name', () => {
    expect(en({ all: [{ fact: 'backend.keepalive_timeout_s', operator: 'lessThan', value: { fact: 'lb.idle_timeout_s' } }] })).toBe(
      'IF backend.keepalive_timeout_s < lb.idle_timeout_s',
    );
  });

  it('groups a nested any or all in parentheses, never the outermost one', () => {
    const c: Condition = {
      all: [
        { fact: 'http.status', operator: 'equal', value: 503 },
        { any: [{ fact: 'ping.result', operator: 'equal', value: 'ok' }, { all: [{ fact: 'a.b', operator: 'equal', value: 1 }, { fact: 'c.d', operator: 'equal', value: 2 }] }] },
      ],
    };
    expect(en(c)).toBe('IF http.status is 503 AND (ping.result is ok OR (a.b is 1 AND c.d is 2))');
    expect(en({ any: [{ fact: 'a.b', operator: 'equal', value: 1 }, { fact: 'c.d', operator: 'equal', value: 2 }] })).toBe('IF a.b is 1 OR c.d is 2');
  });

  it('writes a single-branch group as its branch alone', () => {
    expect(en({ any: [{ all: [{ fact: 'a.b', operator: 'equal', value: 1 }] }] })).toBe('IF a.b is 1');
  });

  it('negates with NOT (...)', () => {
    expect(en({ not: { all: [{ fact: 'a.b', operator: 'equal', value: 1 }, { fact: 'c.d', operator: 'equal', value: 2 }] } })).toBe('IF NOT (a.b is 1 AND c.d is 2)');
  });

  it('names a shared condition and shows what it stands for, or only its name', () => {
    const c: Condition = { all: [{ condition: 'host_reachable' }, { fact: 'dns.result', operator: 'equal', value: 'nxdomain' }] };
    expect(en(c)).toBe('IF host_reachable (ping.result is ok OR tcp.connect is ok) AND dns.result is nxdomain');
    expect(en(c, { expandNamed: false })).toBe('IF host_reachable AND dns.result is nxdomain');
    expect(en({ condition: 'lb_503' })).toBe('IF lb_503 (http.status is 503)');
  });

  it('stops at a reference cycle or an unknown name instead of recursing', () => {
    const loop = new Map<string, Condition>([['a', { all: [{ condition: 'a' }, { fact: 'x.y', operator: 'equal', value: 1 }] }]]);
    expect(readableCondition({ condition: 'a' }, loop, 'en')).toBe('IF a (a AND x.y is 1)');
    expect(en({ condition: 'nowhere' })).toBe('IF nowhere');
  });

  it('reads in Simplified Chinese', () => {
    const c: Condition = {
      all: [
        { condition: 'host_reachable' },
        { fact: 'http.status', operator: 'notEqual', value: 200 },
        { not: { fact: 'dns.result', operator: 'in', value: ['nxdomain', 'servfail'] } },
      ],
    };
    expect(zh(c)).toBe('如果 host_reachable (ping.result 是 ok 或者 tcp.connect 是 ok) 并且 http.status 不是 200 并且 并非 (dns.result 是以下之一 [nxdomain, servfail])');
    expect(readableCondition(c, named, 'zh')).toBe(zh(c));
  });

  it('reads every shipped rule, naming every fact it reads', () => {
    const kb = shippedKb();
    for (const rule of kb.rules) {
      for (const lang of ['en', 'zh-CN']) {
        const text = readableCondition(rule.rule.conditions, kb.conditions, lang);
        expect(text).toMatch(lang === 'en' ? /^IF / : /^如果 /);
        expect(text).not.toMatch(/undefined|\[object Object\]|\(\)/);
        for (const fact of factsOf(rule.rule.conditions, kb.conditions)) expect(text, rule.id).toContain(fact);
      }
    }
  });
});
