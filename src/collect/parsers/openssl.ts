import { X509Certificate } from 'node:crypto';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { round } from './text.js';
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

/** The served (depth 0) certificate's expiry: "v:NotBefore: ...; NotAfter: ...", "notAfter=..." or its PEM. */
function leafNotAfter(text: string): number | undefined {
  const fromChain = /^\s*0 s:.*\n(?:\s+[a-z]:.*\n)*?\s+v:NotBefore: .*?; NotAfter: (.+ GMT)/m.exec(text)?.[1];
  const fromEnddate = /^notAfter=(.+ GMT)\s*$/m.exec(text)?.[1];
  const date = fromChain ?? fromEnddate;
  if (date !== undefined) return parseOpenSslDate(date);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  if (pem === undefined) return undefined;
  try {
    return Date.parse(new X509Certificate(pem).validTo);
  } catch {
    return undefined;
  }
}

function handshake(text: string): 'ok' | 'failed' | undefined {
  if (/^New, [\w.]+, Cipher is (?!\(NONE\))/m.test(text) || /^CONNECTION ESTABLISHED$/m.test(text)) return 'ok';
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
function chainComplete(text: string, errors: ReadonlySet<number>): boolean | undefined {
  if (errors.has(21)) return false;
  if (/Verify return code: 0 \(ok\)/.test(text) || /^Verification: OK$/m.test(text)) return true;
  const chainLength = text.match(/^\s*\d+ s:/gm)?.length ?? 0;
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
    const facts: ParsedFacts = {};
    const connectErrno = /^connect:errno=(\d+)/m.exec(text)?.[1];
    if (connectErrno === '111') facts['tcp.connect'] = 'refused';
    if (connectErrno === '110') facts['tcp.connect'] = 'timeout';
    const state = handshake(text);
    if (state !== undefined) facts['tls.handshake'] = state;
    const alert = alertFromText(text);
    if (alert !== undefined && state !== 'ok') facts['tls.alert'] = alert;
    const notAfter = leafNotAfter(text);
    if (notAfter !== undefined) facts['tls.cert_days_left'] = round((notAfter - now) / DAY_MS);
    if (state === 'ok') {
      const errors = verifyErrors(text);
      const complete = chainComplete(text, errors);
      if (complete !== undefined) facts['tls.chain_complete'] = complete;
      if (errors.has(62)) facts['tls.cert_name_match'] = false;
      else if (/^Verified peername: /m.test(text)) facts['tls.cert_name_match'] = true;
    }
    if (Object.keys(facts).length === 0) throw notRecognised('openssl', EXPECTED);
    return facts;
  },
};
