import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSchema } from '../../src/core/schemas.js';
import { cpuStopwatch } from '../cpu-time.js';

// The patterns of target.host (and backend.host) and target.url in schemas/facts.schema.json, built here from
// readable parts (RFC 3986's IPv6address ABNF, RFC 1123 labels): the schema must hold exactly
// these, so a change to one is a change to the other.
const h16 = '[0-9A-Fa-f]{1,4}';
const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const ipv4 = `(?:${octet}\\.){3}${octet}`;
const ls32 = `(?:${h16}:${h16}|${ipv4})`;
/** `[ *n( h16 ":" ) h16 ]` before "::" */
const before = (n: number) => (n === 0 ? `(?:${h16})?` : `(?:(?:${h16}:){0,${n}}${h16})?`);
const ipv6 = `(?:${[
  `(?:${h16}:){6}${ls32}`,
  `::(?:${h16}:){5}${ls32}`,
  `${before(0)}::(?:${h16}:){4}${ls32}`,
  `${before(1)}::(?:${h16}:){3}${ls32}`,
  `${before(2)}::(?:${h16}:){2}${ls32}`,
  `${before(3)}::${h16}:${ls32}`,
  `${before(4)}::${ls32}`,
  `${before(5)}::${h16}`,
  `${before(6)}::`,
].join('|')})`;
const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const hostname = `${label}(?:\\.${label})*\\.?`;
const zone = '(?:%[0-9A-Za-z_.-]{1,15})?';
// A host name has at most 253 characters (and a final dot), and its last label is not a number
// (decimal, or 0x hex): URL parsers (WHATWG) read such a name as an IPv4 address, and "10.0.0"
// is a mistyped one. In a URL it ends at the port, path, query or fragment.
const numericLastLabel = (end: string) => `(?:[^:/?#]*\\.)?(?:[0-9]+|0[Xx][0-9A-Fa-f]*)\\.?${end}`;
const host = `^(?:${ipv4}|${ipv6}${zone}|(?=.{1,253}\\.?$)(?!${numericLastLabel('$')})${hostname})$`;
const port = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const urlHost = `(?:${ipv4}|\\[${ipv6}\\]|(?!${numericLastLabel('(?:[:/?#]|$)')})(?=[^:/?#]{1,253}\\.?(?:[:/?#]|$))${hostname})`;
const url = `^[Hh][Tt][Tt][Pp][Ss]?://${urlHost}(?::${port})?(?:[/?#](?:[A-Za-z0-9._~!$&'()*+,;=:@/?#\\[\\]-]|%[0-9A-Fa-f]{2})*)?$`;

const properties = readSchema('facts.schema.json').properties as Record<string, { pattern?: string }>;
// ajv compiles patterns with the "u" flag.
const hostRe = new RegExp(properties['target.host']?.pattern ?? '', 'u');
const urlRe = new RegExp(properties['target.url']?.pattern ?? '', 'u');

/** An independent reading of RFC 1123 host names, for the property tests. */
function isHostName(s: string): boolean {
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  const labels = name.split('.');
  const last = labels[labels.length - 1] ?? '';
  return name.length >= 1 && name.length <= 253 && !/^(?:[0-9]+|0x[0-9a-f]*)$/i.test(last) && labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

describe('host and URL patterns', () => {
  it('are the patterns in schemas/facts.schema.json (a backend host is written as a target host is)', () => {
    expect(properties['target.host']?.pattern).toBe(host);
    expect(properties['backend.host']?.pattern).toBe(host);
    expect(properties['target.url']?.pattern).toBe(url);
  });

  it('accept every IPv4 and IPv6 address and every host name', () => {
    fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()), (address) => hostRe.test(address)), { numRuns: 2000 });
  });

  it('accept nothing but IP addresses and host names', () => {
    const candidate = fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.%-_[] '), maxLength: 45 }));
    fc.assert(
      fc.property(candidate, (s) => !hostRe.test(s) || isIP(s.replace(/%[^%]*$/, '')) !== 0 || isHostName(s)),
      { numRuns: 5000 },
    );
  });

  it('accept http(s) URLs of any host and refuse what a URL parser reads otherwise', () => {
    const urls = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true, authoritySettings: { withIPv4: true, withIPv6: true, withPort: true } });
    fc.assert(fc.property(urls.filter((u) => !/:0(?=[/?#]|$)/.test(u)), (u) => urlRe.test(u)), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }).map((s) => `http://${s}`), (u) => {
        if (!urlRe.test(u)) return true;
        const parsed = new URL(u);
        return parsed.username === '' && parsed.password === '' && parsed.href.startsWith('http://');
      }),
      { numRuns: 5000 },
    );
  });

  it('refuse a name whose last label is a number, which URL parsers read as an IPv4 address', () => {
    for (const name of ['A.0', 'db.10', '10.0.0', 'host.0x1F', 'x.0x', '1234']) {
      expect(hostRe.test(name), name).toBe(false);
      expect(urlRe.test(`http://${name}/`), name).toBe(false);
    }
    for (const name of ['a.b1', '10.0.0.1', 'db1', 'x.0x1g', '0x.example']) expect(hostRe.test(name), name).toBe(true);
    expect(urlRe.test('http://x.0x1g:8080/health')).toBe(true);
  });

  it('answer in linear time on 256 KB of hostile text', () => {
    const n = 256 * 1024;
    const shapes = ['a'.repeat(n), '1.'.repeat(n / 2), 'a-'.repeat(n / 2), 'a.'.repeat(n / 2), '1:'.repeat(n / 2), ':'.repeat(n), `${'a'.repeat(n)}!`, `${'0'.repeat(n)}`];
    const started = cpuStopwatch();
    for (const shape of shapes) {
      expect(hostRe.test(shape)).toBe(false);
      expect(urlRe.test(`http://${shape}`)).toBe(false);
      expect(urlRe.test(`http://a/${shape} `)).toBe(false);
      expect(urlRe.test(`http://a/${shape.replace(/[:.]/g, '%')}`)).toBe(!shape.includes(':') && !shape.includes('.'));
    }
    expect(urlRe.test(`http://a/${'%20'.repeat(n / 3)}`)).toBe(true);
    expect(started.ms()).toBeLessThan(10_000);
  });
});
