import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternAlternatives } from '../../scripts/pattern-alternatives.mjs';
import { readSchema } from '../../src/core/schemas.js';

/** What patternAlternatives gives for a pattern it splits: a RegExp-like tester with its alternatives, compiled or not yet. */
interface SplitPattern {
  test(text: string): boolean;
  variants: string[];
  compiled: Array<RegExp | undefined>;
}

const properties = readSchema('facts.schema.json').properties as Record<string, { pattern: string }>;
const HOST = properties['target.host']?.pattern ?? '';
const URL_PATTERN = properties['target.url']?.pattern ?? '';

// The validators test `pattern`s through patternAlternatives (scripts/build-validators.mjs):
// V8 compiled all of target.host's and target.url's 1.7-1.9 KB on their first test, 4-5 ms each.
describe('patterns tested as their alternatives', () => {
  it('a host name and an http URL of one compile neither pattern\'s IPv6 alternative', () => {
    for (const [pattern, text] of [
      [HOST, 'api.example.com'],
      [URL_PATTERN, 'https://api.example.com/checkout?x=1'],
    ] as const) {
      const split = patternAlternatives(pattern, 'u') as SplitPattern;
      expect(split.variants).toHaveLength(3);
      expect(split.test(text)).toBe(true);
      const compiled = split.variants.filter((_variant, k) => split.compiled[k] !== undefined);
      expect(compiled.length).toBeLessThan(3);
      expect(compiled.some((variant) => variant.includes('[0-9A-Fa-f]{1,4}:'))).toBe(false);
    }
  });

  it.each([
    ['^(?:a|b)+$', 'quantified group'],
    ['^(a|b)\\1$', 'backreference'],
    ['^x(?:ab)y$', 'no alternatives'],
  ])('%j (%s) is a plain RegExp', (pattern) => {
    expect(patternAlternatives(pattern, 'u')).toBeInstanceOf(RegExp);
  });
  it('a pattern with state (g, y) or nested classes (v) is a plain RegExp', () => {
    for (const flags of ['g', 'y', 'v']) expect(patternAlternatives('^(?:a|b)$', flags)).toBeInstanceOf(RegExp);
  });

  it('target.host and target.url answer as the whole patterns do, on addresses, URLs and hostile text', () => {
    const host = patternAlternatives(HOST, 'u');
    const url = patternAlternatives(URL_PATTERN, 'u');
    const hostRe = new RegExp(HOST, 'u');
    const urlRe = new RegExp(URL_PATTERN, 'u');
    const near = fc.string({ unit: fc.constantFrom(...'0123456789abcdefxX:.%-_[]/?#@ \n'), maxLength: 48 });
    const text = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain(), fc.webUrl({ authoritySettings: { withIPv4: true, withIPv6: true, withPort: true } }), near, fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(text, fc.constantFrom('', 'http://', 'https://', 'HTTPS://['), (s, scheme) => {
        expect(host.test(scheme + s)).toBe(hostRe.test(scheme + s));
        expect(url.test(scheme + s)).toBe(urlRe.test(scheme + s));
      }),
      { numRuns: 5000 },
    );
  });

  it('any pattern answers as the whole pattern does (generated patterns and text)', () => {
    const quantifier = fc.constantFrom('', '', '?', '*', '+', '{0,2}', '{2}', '??', '+?');
    const plain = fc.tuple(fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '[(|)]', '\\.', '\\|', '\\(', '(?:)'), quantifier).map(([atom, q]) => atom + q);
    const { pattern } = fc.letrec<{ pattern: string; alt: string; seq: string; term: string }>((tie) => ({
      // Half of them with a group of alternatives first, the case patternAlternatives splits.
      pattern: fc.tuple(
        fc.constantFrom('', '^'),
        fc.oneof(tie('alt'), fc.tuple(fc.array(plain, { maxLength: 2 }), tie('alt'), tie('alt'), quantifier, tie('alt')).map(([before, a, b, q, after]) => `${before.join('')}(?:${a}|${b})${q}${after}`)),
        fc.constantFrom('', '$'),
      ).map((parts) => parts.join('')),
      alt: fc.array(tie('seq'), { minLength: 1, maxLength: 2 }).map((seqs) => seqs.join('|')),
      seq: fc.array(tie('term'), { maxLength: 2 }).map((terms) => terms.join('')),
      term: fc.oneof(
        { depthSize: 'small', maxDepth: 2, depthIdentifier: 'group', withCrossShrink: true },
        plain,
        // A nested group takes only a bounded quantifier: unbounded ones nested in the quantified
        // group above let V8's own backtracking take minutes on a 6-character text (a generated
        // "^(?:){2}.*(?:|(?:(?:.)?([ab]??\\(|.??)+?|((?:){2}|)+?)+?(?:)+?|)+?b??..." took 43 s).
        fc.tuple(fc.constantFrom('(?:', '('), tie('alt'), fc.constantFrom('', '?', '??', '{0,2}', '{2}')).map(([open, inner, q]) => `${open}${inner})${q}`),
        // Lookarounds take no quantifier with the u flag.
        fc.tuple(fc.constantFrom('(?=', '(?!', '(?<=', '(?<!'), tie('alt')).map(([open, inner]) => `${open}${inner})`),
      ),
    }));
    fc.assert(
      fc.property(pattern, fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', '|', '('), maxLength: 6 }), { minLength: 1, maxLength: 5 }), (source, texts) => {
        const split = patternAlternatives(source, 'u');
        // A pattern it does not split is a plain RegExp (tested above): nothing to compare.
        if (split instanceof RegExp) return;
        const whole = new RegExp(source, 'u');
        for (const text of texts) expect(split.test(text)).toBe(whole.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});
