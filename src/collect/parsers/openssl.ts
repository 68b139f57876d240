import { X509Certificate } from 'node:crypto';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, firstMatch, round } from './text.js';
import { alertFromText } from './tls-alerts.js';

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EXPECTED = 'output of `openssl s_client -connect HOST:PORT -servername HOST [-verify_hostname HOST] </dev/null 2>&1` or `openssl x509 -noout -enddate`';

/** OpenSSL's "Dec 24 18:07:15 2026 GMT", parsed without relying on Date's lenient parser. */
export function parseOpenSslDate(text: string): number | undefined {
  const match = /^(\w{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})\s+GMT$/.exec(text.trim());
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[1] ?? '');
  if (month < 0) return undefined;
  const [day, hours, minutes, seconds, year] = match.slice(2).map(Number) as [number, number, number, number, number];
  return Date.UTC(year, month, day, hours, minutes, seconds);
}

const NOT_AFTER = '; NotAfter: ';

/** "   v:NotBefore: Nov 23 18:07:15 2026 GMT; NotAfter: Dec 24 18:07:15 2026 GMT": the NotAfter date. */
function validityNotAfter(line: string): string | undefined {
  const prefix = /^\s+v:NotBefore: /.exec(line);
  const at = prefix ? line.indexOf(NOT_AFTER, prefix[0].length) : -1;
  if (at < 0) return undefined;
  const date = line.slice(at + NOT_AFTER.length);
  const gmt = date.lastIndexOf(' GMT');
  return gmt > 0 ? date.slice(0, gmt + ' GMT'.length) : undefined;
}

/**
 * The depth-0 entry of "Certificate chain": a " 0 s:" line, then indented "x:..." lines, one of
 * them "v:NotBefore: ...; NotAfter: ...".
 */
function chainNotAfter(all: readonly string[]): string | undefined {
  for (let i = 0; i < all.length; i++) {
    if (!/^\s*0 s:/.test(all[i] ?? '')) continue;
    for (let j = i + 1; j < all.length; j++) {
      const line = all[j] ?? '';
      const date = validityNotAfter(line);
      if (date !== undefined) return date;
      if (line.trim() !== '' && !/^\s+[a-z]:/.test(line)) break;
    }
  }
  return undefined;
}

const BEGIN_PEM = '-----BEGIN CERTIFICATE-----';
const END_PEM = '-----END CERTIFICATE-----';

/** The first PEM certificate in the text, found with indexOf (a lazy pattern rescans after every BEGIN). */
function firstPem(text: string): string | undefined {
  const begin = text.indexOf(BEGIN_PEM);
  const end = begin < 0 ? -1 : text.indexOf(END_PEM, begin + BEGIN_PEM.length + 1);
  return end < 0 ? undefined : text.slice(begin, end + END_PEM.length);
}

/** The served (depth 0) certificate's expiry: "v:NotBefore: ...; NotAfter: ...", "notAfter=..." or its PEM. */
function leafNotAfter(all: readonly string[], text: string): number | undefined {
  const date = chainNotAfter(all) ?? firstMatch(all, /^notAfter=(.+ GMT)\s*$/)?.[1];
  if (date !== undefined) return parseOpenSslDate(date);
  const pem = firstPem(text);
  if (pem === undefined) return undefined;
  try {
    return Date.parse(new X509Certificate(pem).validTo);
  } catch {
    return undefined;
  }
}

function handshake(all: readonly string[], text: string): 'ok' | 'failed' | undefined {
  if (all.some((line) => /^New, [\w.]+, Cipher is (?!\(NONE\))/.test(line) || line === 'CONNECTION ESTABLISHED')) return 'ok';
  if (/Cipher is \(NONE\)|no peer certificate available|:SSL routines:|alert/i.test(text) && /CONNECTED\(/.test(text)) return 'failed';
  return undefined;
}

/** Verify error numbers: from "verify error:num=21:..." lines and "Verify return code: 62 (...)". */
function verifyErrors(text: string): Set<number> {
  const numbers = [...text.matchAll(/verify error:num=(\d+)/g), ...text.matchAll(/Verify return code: (\d+)/g)].map((m) => Number(m[1]));
  return new Set(numbers.filter((n) => n !== 0));
}

/**
 * Whether the server sends the intermediates: error 21 ("unable to verify the first
 * certificate") means the leaf's issuer was neither sent nor trusted; a verified chain, or more
 * than the leaf in "Certificate chain", means it was sent. A lone self-signed leaf says nothing.
 */
function chainComplete(all: readonly string[], text: string, errors: ReadonlySet<number>): boolean | undefined {
  if (errors.has(21)) return false;
  if (text.includes('Verify return code: 0 (ok)') || all.includes('Verification: OK')) return true;
  const chainLength = all.filter((line) => /^\s*\d+ s:/.test(line)).length;
  return chainLength > 1 || errors.has(19) ? true : undefined;
}

export const opensslParser: ArtifactParser = {
  kind: 'openssl',
  describe:
    'openssl s_client -connect HOST:443 -servername HOST -verify_hostname HOST </dev/null 2>&1 (add -CAfile for a private CA): ' +
    'tls.handshake, tls.alert, tls.chain_complete (verify error 21 / the "Certificate chain" depth), tls.cert_name_match ' +
    '(needs -verify_hostname: error 62 or "Verified peername"), tls.cert_days_left (NotAfter, notAfter= from ' +
    '`openssl x509 -noout -enddate`, or the PEM); connect failures give tcp.connect refused / timeout',
  parse(text, context) {
    const now = (context?.now ?? new Date()).getTime();
    const all = artifactLines(text);
    // Whole-text patterns below are plain literals or start with one; they read the cut lines too.
    const bounded = all.join('\n');
    const facts: ParsedFacts = {};
    const connectErrno = firstMatch(all, /^connect:errno=(\d+)/)?.[1];
    if (connectErrno === '111') facts['tcp.connect'] = 'refused';
    if (connectErrno === '110') facts['tcp.connect'] = 'timeout';
    const state = handshake(all, bounded);
    if (state !== undefined) facts['tls.handshake'] = state;
    const alert = alertFromText(bounded);
    if (alert !== undefined && state !== 'ok') facts['tls.alert'] = alert;
    const notAfter = leafNotAfter(all, bounded);
    if (notAfter !== undefined) facts['tls.cert_days_left'] = round((notAfter - now) / DAY_MS);
    if (state === 'ok') {
      const errors = verifyErrors(bounded);
      const complete = chainComplete(all, bounded, errors);
      if (complete !== undefined) facts['tls.chain_complete'] = complete;
      if (errors.has(62)) facts['tls.cert_name_match'] = false;
      else if (all.some((line) => line.startsWith('Verified peername: '))) facts['tls.cert_name_match'] = true;
    }
    if (Object.keys(facts).length === 0) throw notRecognised('openssl', EXPECTED);
    return facts;
  },
};
