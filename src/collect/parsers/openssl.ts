import { X509Certificate } from 'node:crypto';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, firstMatch } from './text.js';
import { alertFromText } from './tls-alerts.js';
import { certDaysLeft, failedCertificate, leafIssuerNotFound, unknownLeafIssuer, verifyFailureFacts, type VerifyError } from './tls-verify.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EXPECTED = 'output of `openssl s_client -connect HOST:PORT -servername HOST [-verify_hostname HOST] </dev/null 2>&1` or `openssl x509 -noout -enddate [-checkhost HOST]`';

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

/**
 * "   v:NotBefore: Nov 23 18:07:15 2026 GMT; NotAfter: Dec 24 18:07:15 2026 GMT": both dates,
 * cut with indexOf (two greedy groups would backtrack on a hostile line).
 */
function validityDates(line: string): [string, string] | undefined {
  const prefix = /^\s+v:NotBefore: /.exec(line);
  const at = prefix ? line.indexOf(NOT_AFTER, prefix[0].length) : -1;
  if (!prefix || at < 0) return undefined;
  const date = line.slice(at + NOT_AFTER.length);
  const gmt = date.lastIndexOf(' GMT');
  return gmt > 0 ? [line.slice(prefix[0].length, at), date.slice(0, gmt + ' GMT'.length)] : undefined;
}

/**
 * The depth-0 entry of "Certificate chain": a " 0 s:" line, then indented "x:..." lines, one of
 * them "v:NotBefore: ...; NotAfter: ...".
 */
function chainValidity(all: readonly string[]): [string, string] | undefined {
  for (let i = 0; i < all.length; i++) {
    if (!/^\s*0 s:/.test(all[i] ?? '')) continue;
    for (let j = i + 1; j < all.length; j++) {
      const line = all[j] ?? '';
      const dates = validityDates(line);
      if (dates !== undefined) return dates;
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

interface Validity {
  notBefore?: number;
  notAfter: number;
}

/** s_client's verify callback line "depth=N subject": the position in the path it speaks of. */
const DEPTH_LINE = /^depth=(\d{1,3}) /;

/**
 * The lines that speak of the leaf: the verify callback prints "notAfter=" (or "notBefore=")
 * under each "depth=N" once a validity error is set, each with that certificate's date, so only
 * those under depth 0 are the leaf's; `openssl x509 -noout -dates` prints them with no depth.
 */
function leafLines(all: readonly string[]): string[] {
  let depth: number | undefined;
  return all.filter((line) => {
    const at = DEPTH_LINE.exec(line);
    if (at) depth = Number(at[1]);
    return depth === undefined || depth === 0;
  });
}

/** The served (depth 0) certificate's validity: "v:NotBefore: ...; NotAfter: ...", "notBefore=" / "notAfter=" or its PEM. */
function leafValidity(all: readonly string[], text: string): Validity | undefined {
  const leaf = leafLines(all);
  const [notBefore, notAfter] = chainValidity(all) ?? [firstMatch(leaf, /^notBefore=(.+ GMT)\s*$/)?.[1], firstMatch(leaf, /^notAfter=(.+ GMT)\s*$/)?.[1]];
  if (notAfter !== undefined) {
    const after = parseOpenSslDate(notAfter);
    const before = notBefore === undefined ? undefined : parseOpenSslDate(notBefore);
    return after === undefined ? undefined : { notAfter: after, ...(before !== undefined && { notBefore: before }) };
  }
  const pem = firstPem(text);
  if (pem === undefined) return undefined;
  try {
    const certificate = new X509Certificate(pem);
    return { notBefore: Date.parse(certificate.validFrom), notAfter: Date.parse(certificate.validTo) };
  } catch {
    return undefined;
  }
}

function handshake(all: readonly string[], text: string): 'ok' | 'failed' | undefined {
  if (all.some((line) => /^New, [\w.]+, Cipher is (?!\(NONE\))/.test(line) || line === 'CONNECTION ESTABLISHED')) return 'ok';
  if (/Cipher is \(NONE\)|no peer certificate available|:SSL routines:|alert/i.test(text) && /CONNECTED\(/.test(text)) return 'failed';
  return undefined;
}

/**
 * Verify errors in the order printed: "depth=N ..." then "verify error:num=X:..." lines, and
 * the final "Verify return code: X (...)" (0 is success, and not an error).
 */
function verifyErrors(all: readonly string[]): VerifyError[] {
  const errors: VerifyError[] = [];
  const seen = new Set<number>();
  let depth: number | undefined;
  for (const line of all) {
    const at = DEPTH_LINE.exec(line);
    if (at) depth = Number(at[1]);
    const error = /^verify error:num=(\d+):/.exec(line);
    if (error) {
      errors.push({ error: Number(error[1]), ...(depth !== undefined && { depth }) });
      seen.add(Number(error[1]));
    }
    const final = /^\s*Verify return code: (\d+) /.exec(line);
    if (final && final[1] !== '0' && !seen.has(Number(final[1]))) {
      errors.push({ error: Number(final[1]) });
      seen.add(Number(final[1]));
    }
  }
  return errors;
}

/**
 * The verify error OpenSSL would report for a leaf out of its validity, when the text shows no
 * verify error at the leaf of its own about it: OpenSSL looks for the issuer (building the path)
 * before it checks the dates, so with -verify_return_error it stops at an unknown issuer (20 at
 * depth 0) and never prints the expiry; without the flag it goes on and prints 10 at depth 0.
 * Only a verification that failed is completed this way: one that passed says the dates were
 * fine when it ran (the paste may be older than the clock).
 */
function unprintedValidityError(errors: readonly VerifyError[], daysLeft: number | undefined, validity: Validity | undefined, now: number): VerifyError | undefined {
  if (errors.length === 0 || daysLeft === undefined || daysLeft >= 0 || validity === undefined) return undefined;
  if (errors.some((e) => e.depth === 0 && (e.error === 9 || e.error === 10))) return undefined;
  // X509_V_ERR_CERT_NOT_YET_VALID (9), X509_V_ERR_CERT_HAS_EXPIRED (10)
  return { error: validity.notBefore !== undefined && validity.notBefore > now ? 9 : 10, depth: 0 };
}

/** The leaf's issuer as "Certificate chain" lists it (" 0 s:SUBJECT" then "   i:ISSUER"). */
function leafIssuer(all: readonly string[]): string | undefined {
  const at = all.findIndex((line) => /^\s*0 s:/.test(line));
  const issuer = at < 0 ? null : ISSUER.exec(all[at + 1] ?? '');
  return issuer ? (all[at + 1] ?? '').slice(issuer[0].length).trim() : undefined;
}

/**
 * The warning for a leaf whose issuer was neither sent nor trusted: the text never says which
 * store -CAfile named, so not whether the server left out an intermediate.
 */
function unknownIssuerWarning(issuer: string | undefined): string {
  return unknownLeafIssuer(
    issuer === undefined ? undefined : `i:${issuer}`,
    'verify error 20/21 at depth 0',
    "the text does not say which. Rerun with -CAfile set to that CA's certificate (20 or 21 again: an intermediate is missing), " +
      'or check whether the issuer is a root (its own issuer; servers do not send roots)',
  );
}

const CHECKED_NAME = /^(?:Hostname|IP) (\S+) does (NOT )?match certificate$/;

/**
 * `openssl x509 -noout -checkhost HOST` (or -checkip): "Hostname HOST does [NOT ]match
 * certificate". s_client cannot say a name matched once another error failed the verification
 * ("Verified peername" needs a verification that passed, and -verify_hostname's output is the
 * same as without it when the name matches), x509 says it either way.
 */
function checkedName(all: readonly string[]): boolean | undefined {
  const match = firstMatch(all, CHECKED_NAME);
  return match ? match[2] === undefined : undefined;
}

const SERVED = /^\s*(\d{1,3}) s:/;
const ISSUER = /^\s+i:/;

/**
 * Whether the certificate at a depth ends the path, as the text shows it: one the server sent
 * ("Certificate chain": " N s:SUBJECT", then "   i:ISSUER") ends it when it is its own issuer;
 * one it did not send came from the client's store, and ends it when no verify line was printed
 * above it (OpenSSL verifies from the top of the path down, printing "depth=N" for each).
 */
function pathEnd(all: readonly string[]): (depth: number) => boolean {
  const selfIssued = new Map<number, boolean>();
  let deepest = 0;
  all.forEach((line, i) => {
    const at = DEPTH_LINE.exec(line);
    if (at) deepest = Math.max(deepest, Number(at[1]));
    const served = SERVED.exec(line);
    const next = all[i + 1] ?? '';
    const issuer = served ? ISSUER.exec(next) : null;
    if (served && issuer) selfIssued.set(Number(served[1]), line.slice(served[0].length).trim() === next.slice(issuer[0].length).trim());
  });
  return (depth) => selfIssued.get(depth) ?? depth >= deepest;
}

/**
 * Whether the server sends the intermediates, when no verify error settles it: a verified
 * chain, or more than the leaf in "Certificate chain", means it was sent. A lone leaf says nothing.
 */
function chainSent(all: readonly string[]): true | undefined {
  if (all.includes('Verify return code: 0 (ok)') || all.includes('Verification: OK')) return true;
  return all.filter((line) => /^\s*\d+ s:/.test(line)).length > 1 ? true : undefined;
}

export const opensslParser: ArtifactParser = {
  kind: 'openssl',
  describe:
    'openssl s_client -connect HOST:443 -servername HOST -verify_hostname HOST </dev/null 2>&1 (add -CAfile for a private CA; without ' +
    '-verify_return_error, which stops at the first error and hides the rest): ' +
    'tls.handshake (failed on any verify error), tls.alert (the alert, else the verify error: 2/18/19/20/21 unknown_ca, ' +
    '9/10 certificate_expired, which at the leaf outranks unknown_ca; so do the leaf\'s own dates when out of validity and verification failed), ' +
    'tls.cert_not_yet_valid (true on 9, not yet valid; false on 10 without 9), ' +
    'tls.chain_complete (true on 18, 19 or a "Certificate chain" deeper than the leaf; a leaf whose issuer was not found, 20/21 at depth 0, ' +
    'leaves it unknown with a warning: a missing intermediate or a private root), ' +
    'tls.cert_name_match (needs -verify_hostname: error 62 or "Verified peername"; or `openssl x509 -noout -checkhost HOST`: "does [NOT] match"), tls.failed_cert (the depth=N of the verify ' +
    'error nearest the leaf: 0 leaf; above it a self-signed certificate, or the top of the path, root; else intermediate), ' +
    'tls.cert_days_left (the leaf\'s NotBefore/NotAfter, ' +
    'notAfter= under depth=0 or from `openssl x509 -noout -dates`, or the PEM; negative when expired or not yet valid); connect failures give ' +
    'tcp.connect refused / timeout, and ok once CONNECTED( is printed',
  parse(text, context) {
    const now = (context?.now ?? new Date()).getTime();
    const all = artifactLines(text);
    // Whole-text patterns below are plain literals or start with one; they read the cut lines too.
    const bounded = all.join('\n');
    const facts: ParsedFacts = {};
    const connectErrno = firstMatch(all, /^connect:errno=(\d+)/)?.[1];
    if (connectErrno === '111') facts['tcp.connect'] = 'refused';
    if (connectErrno === '110') facts['tcp.connect'] = 'timeout';
    // s_client prints CONNECTED(fd) once the TCP connect succeeded, before any TLS byte.
    if (connectErrno === undefined && all.some((line) => line.startsWith('CONNECTED('))) facts['tcp.connect'] = 'ok';
    const state = handshake(all, bounded);
    if (state !== undefined) facts['tls.handshake'] = state;
    // s_client prints "New, ..., Cipher is ..." even after a failed verification: the
    // verify errors decide, as they do for curl and browsers (and -verify_return_error).
    const printed = verifyErrors(all);
    const validity = leafValidity(all, bounded);
    const daysLeft = validity === undefined ? undefined : certDaysLeft(validity, now);
    const unprinted = unprintedValidityError(printed, daysLeft, validity, now);
    const errors = unprinted === undefined ? printed : [...printed, unprinted];
    if (errors.length > 0) Object.assign(facts, verifyFailureFacts(errors));
    const failed = failedCertificate(errors, pathEnd(all));
    if (failed !== undefined) facts['tls.failed_cert'] = failed;
    // An alert the peer sent says more than the client's own verdict.
    const alert = alertFromText(bounded);
    if (alert !== undefined && state !== 'ok') facts['tls.alert'] = alert;
    if (daysLeft !== undefined) facts['tls.cert_days_left'] = daysLeft;
    if (state === 'ok' || errors.length > 0) {
      const sent = chainSent(all);
      if (sent !== undefined && facts['tls.chain_complete'] === undefined) facts['tls.chain_complete'] = sent;
      else if (facts['tls.chain_complete'] === undefined && leafIssuerNotFound(printed)) context?.warn?.({ field: 'tls.chain_complete', message: unknownIssuerWarning(leafIssuer(all)) });
      if (facts['tls.cert_name_match'] === undefined && all.some((line) => line.startsWith('Verified peername: '))) facts['tls.cert_name_match'] = true;
    }
    const nameChecked = checkedName(all);
    if (nameChecked !== undefined && facts['tls.cert_name_match'] === undefined) facts['tls.cert_name_match'] = nameChecked;
    if (Object.keys(facts).length === 0) throw notRecognised('openssl', EXPECTED);
    return facts;
  },
};
