import { isIP } from 'node:net';
import { UsageError } from '../core/errors.js';
import { SCHEME_PORTS } from '../core/facts.js';
import type { ParsedFacts } from './parsers/types.js';

export interface TargetOptions {
  host?: string;
  port?: number;
  url?: string;
}

/** What `rca collect` probes: where to connect, and the name a client would use. */
export interface Target {
  /** --host, else the URL's host: where connections go. */
  host: string;
  port?: number;
  url?: URL;
  protocol: 'http' | 'https' | 'tcp';
  /** The URL's host name (else --host): asked of DNS, sent as SNI and Host, checked against the certificate. */
  serverName: string;
  /** Said when --port sends the connections elsewhere than the URL's port, which target.url alone would hide. */
  note?: string;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url: expected an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url: expected an http:// or https:// URL, got "${raw}"`);
  // Refused before any probe, and not shown: the probes would send the password, the error print it.
  if (url.username !== '' || url.password !== '') throw new UsageError('--url: expected a URL without user:password@ (probes would send it and the facts keep it), got one with credentials');
  return url;
}

export function resolveTarget({ host, port, url: rawUrl }: TargetOptions): Target {
  const url = rawUrl === undefined ? undefined : parseUrl(rawUrl);
  const urlHost = url?.hostname.replace(/^\[|\]$/g, '');
  const targetHost = host ?? urlHost;
  if (targetHost === undefined || targetHost === '') throw new UsageError('give --host HOST (or --url URL)');
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError(`--port: expected a whole number from 1 to 65535, got ${String(port)}`);
  const urlPort = url ? (url.port === '' ? SCHEME_PORTS[url.protocol] : Number(url.port)) : undefined;
  const targetPort = port ?? urlPort;
  // Without a URL the port is the only hint of the protocol.
  const protocol = url ? (url.protocol === 'https:' ? 'https' : 'http') : targetPort === 443 ? 'https' : targetPort === 80 ? 'http' : 'tcp';
  const elsewhere = port !== undefined && urlPort !== undefined && port !== urlPort;
  return {
    host: targetHost,
    ...(targetPort !== undefined && { port: targetPort }),
    ...(url && { url }),
    protocol,
    serverName: urlHost ?? targetHost,
    ...(elsewhere && { note: `connecting to port ${port} (--port), not the --url's port ${urlPort}: the facts are those of port ${port}` }),
  };
}

export function targetFacts(target: Target): ParsedFacts {
  return {
    'target.host': target.host,
    ...(target.port !== undefined && { 'target.port': target.port }),
    ...(target.url && { 'target.url': target.url.href }),
    'target.protocol': target.protocol,
  };
}

export function isIpAddress(host: string): boolean {
  return isIP(host) !== 0;
}
