import type { Facts } from '../../generated/facts.js';

/**
 * TLS alerts as OpenSSL names them in its messages ("... tlsv1 alert protocol version ... SSL
 * alert number 70"), shared by the openssl and curl parsers and the TLS probe: the values of
 * the fact tls.alert (schemas/facts.schema.json).
 */
export type TlsAlert = NonNullable<Facts['tls.alert']>;

// RFC 8446 section 6 alert numbers.
const BY_NUMBER = new Map<number, TlsAlert>([
  [40, 'handshake_failure'],
  [42, 'bad_certificate'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [48, 'unknown_ca'],
  [70, 'protocol_version'],
  [80, 'internal_error'],
  [112, 'unrecognized_name'],
]);

/** The alerts the fact names (every value but `other`). */
export const TLS_ALERTS: readonly TlsAlert[] = [...BY_NUMBER.values()];

const BY_WORDS: ReadonlyArray<[RegExp, TlsAlert]> = TLS_ALERTS.map((alert) => [new RegExp(`alert[ _]${alert.replace('_', '[ _]')}`, 'i'), alert]);

/** The alert of an RFC 8446 AlertDescription number (one the fact does not name is `other`). */
export function alertFromNumber(description: number): TlsAlert {
  return BY_NUMBER.get(description) ?? 'other';
}

/** The alert a peer sent, from OpenSSL's error text; undefined when the text shows none. */
export function alertFromText(text: string): TlsAlert | undefined {
  const number = /SSL alert number (\d+)/.exec(text)?.[1];
  if (number !== undefined) return alertFromNumber(Number(number));
  for (const [pattern, alert] of BY_WORDS) if (pattern.test(text)) return alert;
  // Node spells them as codes: ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION, ERR_SSL_TLSV13_ALERT_...
  return /alert[ _]\w+/i.test(text) && /ssl|tls/i.test(text) ? 'other' : undefined;
}
