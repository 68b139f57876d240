import { readFileSync } from 'node:fs';

/** Whom the TLS and HTTP probes trust, as curl does: the system's CA bundle, or --ca FILE instead. */
export interface Trust {
  /** PEM certificates to trust: from --ca (a private CA, like curl --cacert), else the system's (trustedCa). */
  ca?: string;
  /** Send the HTTP request even when verification fails (curl -k); the TLS facts still say it failed. */
  insecure?: boolean;
}

// The system bundle where distributions keep it (the paths curl's configure looks for).
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/usr/share/ssl/certs/ca-bundle.crt', '/usr/local/share/certs/ca-root-nss.crt', '/etc/ssl/cert.pem'];

function systemBundle(): string | undefined {
  for (const path of SYSTEM_BUNDLES) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // not on this system: the next path
    }
  }
  return undefined;
}

/**
 * The `ca` for tls.connect: --ca, else the system bundle, else undefined (Node's own copy of
 * Mozilla's list, on systems that keep no bundle file, such as macOS).
 */
export function trustedCa(trust: Trust): string | undefined {
  return trust.ca ?? systemBundle();
}
