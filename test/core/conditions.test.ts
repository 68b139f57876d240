import { describe, expect, it } from 'vitest';
import type { Condition } from '../../src/generated/kb-file.js';
import { directReferences, evaluate3, foldCondition, leavesOf, locatedFold, type ConditionFold } from '../../src/core/conditions.js';
import type { FactMap } from '../../src/core/vocabulary.js';

const leaf = (fact: string) => ({ fact, operator: 'equal', value: 1 }) as Condition;
/** Writes a condition back out, naming references as @name(target). */
const show: ConditionFold<string> = {
  all: (cs) => `all(${cs.join(',')})`,
  any: (cs) => `any(${cs.join(',')})`,
  not: (c) => `not(${c})`,
  leaf: (l) => l.fact,
  reference: (name, target) => `@${name}(${target ?? '?'})`,
};

describe('foldCondition, the one walk of the condition tree', () => {
  it('folds all, any, not, leaves and references bottom-up, following named conditions', () => {
    const named = new Map<string, Condition>([['up', { any: [leaf('a.b'), { not: leaf('c.d') }] }]]);
    expect(foldCondition({ all: [{ condition: 'up' }, leaf('e.f')] }, show, named)).toBe('all(@up(any(a.b,not(c.d))),e.f)');
    expect(foldCondition({ all: [{ condition: 'up' }, { condition: 'nowhere' }] }, show)).toBe('all(@up(?),@nowhere(?))');
  });

  it('folds each named condition once, however often it is named', () => {
    let folds = 0;
    const counting = { ...show, leaf: (l: { fact: string }) => (folds++, l.fact) };
    const named = new Map<string, Condition>([['x', leaf('a.b')], ['y', { all: [{ condition: 'x' }, { condition: 'x' }, { condition: 'x' }] }]]);
    expect(foldCondition({ any: [{ condition: 'y' }, { condition: 'y' }] }, counting as ConditionFold<string>, named)).toBe('any(@y(all(@x(a.b),@x(a.b),@x(a.b))),@y(all(@x(a.b),@x(a.b),@x(a.b))))');
    expect(folds).toBe(1);
  });

  it('cuts a reference cycle instead of recursing', () => {
    const named = new Map<string, Condition>([['a', { all: [{ condition: 'b' }, leaf('x.y')] }], ['b', { any: [{ condition: 'a' }] }]]);
    expect(foldCondition({ condition: 'a' }, show, named)).toBe('@a(all(@b(any(@a(?))),x.y))');
  });

  it('gives leaves and references their JSON pointers, and lists leaves and direct references', () => {
    const named = new Map<string, Condition>([['n', { all: [leaf('a.b')] }]]);
    const c: Condition = { all: [leaf('c.d'), { any: [{ not: leaf('e.f') }, { condition: 'n' }] }] };
    const paths = foldCondition(
      c,
      locatedFold<string[]>({ leaf: (l, p) => [`${p} ${l.fact}`], reference: (name, p, target) => [`${p} @${name}`, ...(target?.(`${p}/${name}`) ?? [])], combine: (r) => r.flat() }),
      named,
    )('/rules/0/conditions');
    expect(paths).toEqual(['/rules/0/conditions/all/0 c.d', '/rules/0/conditions/all/1/any/0/not e.f', '/rules/0/conditions/all/1/any/1 @n', '/rules/0/conditions/all/1/any/1/n/all/0 a.b']);
    expect(leavesOf(c, named).map((l) => l.fact)).toEqual(['c.d', 'e.f', 'a.b']);
    expect(directReferences({ all: [{ condition: 'n' }, { not: { condition: 'm' } }] })).toEqual(['n', 'm']);
  });
});

describe('a negation is decided only on known facts', () => {
  const negation = { not: leaf('a') } as Condition;
  it('is unknown while its fact is absent, or present with no value (as the value of information writes an answer back out)', () => {
    expect(evaluate3(negation, new Map(), {})).toBe('unknown');
    expect(evaluate3(negation, new Map(), { a: undefined } as unknown as FactMap)).toBe('unknown');
  });
  it('is decided once its fact is known', () => {
    expect(evaluate3(negation, new Map(), { a: 1 })).toBe('false');
    expect(evaluate3(negation, new Map(), { a: 2 })).toBe('true');
  });
});
