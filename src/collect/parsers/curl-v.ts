import type { InputWarning } from '../../core/request.js';
import { readErrorLines } from './app-errors.js';
import { resetSeenByClient } from './error-text.js';
import { alertFromNumber, type TlsAlert } from './tls-alerts.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines } from './text.js';

/**
 * `curl -v`'s stderr (lib/curl_trace.c, vtls/openssl.c): "* " lines are curl's own info, "> "
 * the request it sent, "< " the response it read, "{ " and "} " data it read and sent. Without
 * -s a progress meter is drawn on the same stream, and its last redraw runs into the next line
 * ("  0  ...  --:--:--     0*   Trying 10.0.0.5:443..."), so such a lead is skipped, as is a
 * ticket's indentation. Every line is read once, with patterns anchored at its start.
 */

type Mark = '*' | '<' | '>';

/** A verbose line: its mark and the text after "MARK ". */
interface VerboseLine {
  mark: Mark;
  text: string;
}

const MARKS = '*<>';
/**
 * What may stand before the mark: the progress meter (digits, spaces, its separators, unit
 * letters, and the carriage return of each redraw), or the indentation of a paste quoted in a ticket.
 */
const LEAD = /^[\r\t\d .:kMGTP-]*$/;

/** LINE as a verbose line of curl's, after any lead; undefined for any other line (a body, the meter alone). Trailing blanks are a terminal's, not curl's. */
function verboseLine(line: string): VerboseLine | undefined {
  let at = 0;
  if (!MARKS.includes(line[0] ?? '')) {
    at = line.search(/[*<>]/);
    if (at <= 0 || !LEAD.test(line.slice(0, at))) return undefined;
  }
  const mark = line[at] as Mark;
  return line[at + 1] === ' ' ? { mark, text: line.slice(at + 2).trimEnd() } : undefined;
}

/** A connect that failed, in curl's words: the attempt's own line, the request's, or a local failure before any packet. */
const CONNECT_FAILED = /^(?:connect to \S+ port \d+ failed: |Failed to connect to \S+ port \d+|Immediate connect fail for )/;
/** "Connected to NAME (ADDRESS) port N": the address the connection was made to. */
const CONNECTED = /^Connected to \S+ \(([^()\s]*)/;
/**
 * One address tried, in the order getaddrinfo sorted them (RFC 6724): "Trying [2001:db8::1]:443..."
 * (curl 7.8x on), "Trying 2001:db8::1:443..." before, "Trying 192.0.2.10..." (7.29, no port).
 */
const TRYING = /^ {2}Trying (\S+?)\.\.\.$/;
/** An IPv6 address as curl prints it: in brackets, or with the two or more colons no IPv4 address (with its one port colon) has. */
const isIpv6 = (address: string) => address.startsWith('[') || (address.match(/:/g)?.length ?? 0) >= 2;
/** The lines only curl -v prints, whatever else the text holds: its signature, and what the parser needs before it reads any. */
const SIGNATURES: Readonly<Record<Mark, readonly RegExp[]>> = {
  // A lookup that failed, or outlasted --connect-timeout before any address was tried (curl's hostip.c: "Resolving timed out after N milliseconds").
  '*': [/^ {2}Trying \S/, CONNECTED, CONNECT_FAILED, /^Could not resolve host: /, /^Resolving timed out after \d+ milliseconds$/, /^(?:TLSv1(?:\.[0-3])?|SSLv3) \((?:IN|OUT)\), /],
  '<': [/^HTTP\/\d(?:\.\d)? \d{3}\b/],
  '>': [/^[A-Z]+ \S+ HTTP\/\d(?:\.\d)?$/],
};

const isSignature = ({ mark, text }: VerboseLine) => SIGNATURES[mark].some((pattern) => pattern.test(text));

/** Whether LINE is one only curl -v prints: what `rca parse auto` tells its output by. */
export function isCurlVerboseLine(line: string): boolean {
  const verbose = verboseLine(line);
  return verbose !== undefined && isSignature(verbose);
}

/** "< HTTP/1.1 503 Service Unavailable", "< HTTP/2 200 ": the status of one response. */
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})\b/;
/** The handshake completed: "* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384". */
const HANDSHAKE_DONE = 'SSL connection using ';
/**
 * OpenSSL failed the connection before the handshake completed, in words the error table may
 * not know ("* OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number", "* OpenSSL
 * SSL_connect: SSL_ERROR_SYSCALL in connection to HOST:443").
 */
const TLS_LIBRARY_FAILED = /^OpenSSL(?:\/\S+: error:| SSL_connect: )/;
/**
 * curl's trace of a TLS alert: "* TLSv1.3 (OUT), TLS alert, unknown CA (560):". The number is
 * the alert's two bytes, its level (2 fatal, 1 warning, as a close notify is) times 256 plus its
 * RFC 8446 description.
 */
const ALERT_LINE = /^(?:TLSv1(?:\.[0-3])?|SSLv3) \((IN|OUT)\), TLS alert, [^()]{1,80} \((\d{1,5})\):?$/;
const FATAL_LEVEL = 2;

/** The fatal alert a line traces, and who sent it (IN: the server); undefined for any other line. */
function fatalAlert(text: string): { from: 'server' | 'client'; alert: TlsAlert } | undefined {
  const match = ALERT_LINE.exec(text);
  const bytes = Number(match?.[2]);
  if (!match || Math.floor(bytes / 256) !== FATAL_LEVEL) return undefined;
  return { from: match[1] === 'IN' ? 'server' : 'client', alert: alertFromNumber(bytes % 256) };
}

/** curl's closing line for a failed transfer when -s does not hide it (-v alone, -sS): "curl: (60) SSL certificate problem: ...". */
const CURL_ERROR_LINE = /^curl: \(\d{1,3}\) /;

/** The last line index of each event that decides a fact, -1 when none. */
interface Events {
  connected: number;
  connectFailed: number;
  status: number;
}

const EXPECTED = 'the output of `curl -g -sv -o /dev/null URL` (its stderr: "*   Trying ...", "* Connected to ...", "< HTTP/1.1 200 OK" lines)';

export const curlVParser: ArtifactParser = {
  kind: 'curl-v',
  describe:
    'curl -g -sv -o /dev/null URL 2>&1 (curl -v\'s stderr: "* " info, "> " request and "< " response lines; a progress meter drawn before them is skipped): ' +
    'tcp.connect (ok when "Connected to" is the last connect outcome; refused or timeout only in curl\'s own words, "connect to ... failed: Connection refused": ' +
    'from 7.88 on "Couldn\'t connect to server" alone says neither, and gives a warning naming `nc -vz HOST PORT`), ' +
    'tls.handshake (ok on "SSL connection using"; failed on a fatal TLS alert, a certificate problem, or an OpenSSL error before the handshake completed), ' +
    'tls.alert (the fatal alert the server sent, "TLS alert, protocol version (582)"; else the certificate problem read as the openssl parser reads its verify error, ' +
    '"unable to get local issuer certificate" unknown_ca, "certificate has expired" certificate_expired; else the fatal alert curl sent, "TLS alert, unknown CA (560)"), ' +
    'tls.cert_not_yet_valid (true on "certificate is not yet valid", false on "certificate has expired"), ' +
    'tls.cert_name_match (false on "no alternative certificate subject name matches"), tls.chain_complete (true on a self-signed certificate), ' +
    'tcp.ipv6_fallback (true when the last connect tried an IPv6 address first, "Trying [2001:db8::1]:443...", and was made over IPv4; false when it was made over IPv6, or over IPv4 with no IPv6 address tried first; none without the "Trying" lines), ' +
    'http.status (the last "< HTTP/x NNN" status line, after redirects and 100 Continue, unless a connect came after it); ' +
    'the "* " lines\' other error text as app-errors reads it: tcp.rst_seen (with tcp.rst_from server: curl is the client, so a reset it reports claims the server\'s side), proc.eaddrnotavail_errors, dns.result ' +
    '(timeout on "Resolving timed out after N milliseconds"; "Could not resolve host" gives none, but a warning naming `dig NAME`)',
  parse(text, context) {
    const events: Events = { connected: -1, connectFailed: -1, status: -1 };
    const errorLines: string[] = [];
    const alerts: { server?: TlsAlert; client?: TlsAlert } = {};
    let status: number | undefined;
    let handshakeDone = false;
    let tlsLibraryFailed = false;
    let curlLines = 0;
    // The addresses tried since the last connect, and the connect they led to: the first tried and the one connected say whether IPv6 was given up for IPv4.
    let firstTried: string | undefined;
    let lastConnect: { firstTried: string | undefined; address: string } | undefined;
    artifactLines(text).forEach((line, i) => {
      const verbose = verboseLine(line);
      if (verbose === undefined) {
        if (CURL_ERROR_LINE.test(line)) errorLines.push(line);
        return;
      }
      if (isSignature(verbose)) curlLines++;
      if (verbose.mark === '<') {
        const code = STATUS_LINE.exec(verbose.text)?.[1];
        if (code !== undefined) [status, events.status] = [Number(code), i];
      }
      if (verbose.mark !== '*') return;
      // The server's header values ("< X-Error: ...") and the request are not curl's words: only its own lines are read as error text.
      errorLines.push(verbose.text);
      const connected = CONNECTED.exec(verbose.text);
      if (connected) {
        events.connected = i;
        lastConnect = { firstTried, address: connected[1] as string };
        firstTried = undefined;
      }
      firstTried ??= TRYING.exec(verbose.text)?.[1];
      if (CONNECT_FAILED.test(verbose.text)) events.connectFailed = i;
      if (verbose.text.startsWith(HANDSHAKE_DONE)) handshakeDone = true;
      if (!handshakeDone && TLS_LIBRARY_FAILED.test(verbose.text)) tlsLibraryFailed = true;
      const alert = fatalAlert(verbose.text);
      if (alert !== undefined) alerts[alert.from] ??= alert.alert;
    });
    if (curlLines === 0) throw notRecognised('curl-v', EXPECTED);

    // Held until the facts are final: a connect doubt (a refusal at ::1) is moot once the last connect succeeded.
    const warnings: InputWarning[] = [];
    const warn = (warning: InputWarning) => warnings.push(warning);
    const facts: ParsedFacts = { ...readErrorLines(errorLines, { now: new Date(), ...context, warn }) };
    // The last connect decides: an address that refused before the next one took it (IPv6, then IPv4) is no failure of the request.
    if (events.connected > events.connectFailed) facts['tcp.connect'] = 'ok';
    // A status answers the request only when no connect came after it (a redirect to a port that refused).
    if (status !== undefined && events.status > Math.max(events.connected, events.connectFailed)) facts['http.status'] = status;
    // A fatal alert ends the handshake (RFC 8446 section 6.2); the server's says more than curl's own verdict, which the certificate problem's words say in full.
    const alert = alerts.server ?? (facts['tls.alert'] as TlsAlert | undefined) ?? alerts.client;
    if (alert !== undefined) facts['tls.alert'] = alert;
    if (alert !== undefined || tlsLibraryFailed) facts['tls.handshake'] = 'failed';
    else if (handshakeDone) facts['tls.handshake'] ??= 'ok';
    if (Object.keys(facts).length === 0 && warnings.length === 0) {
      warn({
        field: 'tcp.connect',
        message: 'the curl -v output shows no connect outcome, TLS handshake result or HTTP status line (cut short, or a connect that never ended): paste all of `curl -g -sv -o /dev/null --connect-timeout 10 --max-time 30 URL` 2>&1',
      });
    }
    // RFC 8305: an IPv6 address tried first and the connection made over IPv4 is the fallback
    // itself. A paste without its "Trying" lines does not say what was tried first.
    if (lastConnect?.firstTried !== undefined && lastConnect.address !== '' && events.connected > events.connectFailed) {
      facts['tcp.ipv6_fallback'] = isIpv6(lastConnect.firstTried) && !isIpv6(lastConnect.address);
    }
    resetSeenByClient(facts);
    for (const warning of warnings) if (!(warning.field === 'tcp.connect' && facts['tcp.connect'] === 'ok')) context?.warn?.(warning);
    return facts;
  },
};
