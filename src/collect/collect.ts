import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { normalizeFacts } from '../core/facts.js';
import { baseVocabulary, type FactMap } from '../core/vocabulary.js';
import type { ParsedFacts } from './parsers/types.js';
import { probeDns, type DnsOutcome } from './probes/dns.js';
import type { ProcessNaming } from './process-tree.js';
import { probeHost } from './probes/host.js';
import { probeHttp } from './probes/http.js';
import { errorCode, skip, withTimeout, type ProbeNote, type ProbeOutcome, type SkippedProbe } from './probes/outcome.js';
import { probePing } from './probes/ping.js';
import { probeTcp } from './probes/tcp.js';
import { probeTls } from './probes/tls.js';
import { trustedCa } from './probes/trust.js';
import { isIpAddress, resolveTarget, targetFacts, type Target, type TargetOptions } from './target.js';

export interface CollectOptions extends TargetOptions {
  /** The application's main pid: its role, CPU share and descriptors. */
  pid?: number;
  /** Bound of each probe. */
  timeoutMs: number;
  /** Resolvers to ask instead of the system's ("127.0.0.1:5353"); names are then resolved through them only. */
  dnsServers?: string[];
  /** Force /proc host facts on or off; by default they are read when the target is this machine or a pid is given. */
  hostFacts?: boolean;
  /** proc.top_name as the program (the default) or the whole command line (--no-redact). */
  processNaming?: ProcessNaming;
  /** PATH searched for ping. */
  path?: string;
  /** PEM certificates to verify TLS against instead of the system's bundle (--ca). */
  ca?: string;
  /** Request over HTTPS even when the certificate fails verification (--insecure). */
  insecure?: boolean;
  /** Told as each probe ends, for a progress display. */
  onProbe?: (probe: string, outcome: ProbeOutcome) => void;
}

export interface CollectResult {
  facts: FactMap;
  skipped: SkippedProbe[];
  notes: ProbeNote[];
}

/** Extra time after a probe's own bound before it is given up as broken (its own timers should fire first). */
const GRACE_MS = 2000;
/** The host probe samples twice, this far apart at most (and within half the timeout). */
const MAX_SAMPLE_INTERVAL_MS = 1000;

function dnsSkipReason(name: string): string | undefined {
  if (isIpAddress(name)) return `${name} is an IP address: nothing to resolve`;
  // RFC 6761: "localhost" never reaches DNS; /etc/hosts answers it.
  if (name === 'localhost' || name.endsWith('.localhost')) return `${name} is answered by /etc/hosts, not DNS`;
  return undefined;
}

function isThisMachine(address: string): boolean {
  if (address === '::1' || address.startsWith('127.')) return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((entry) => entry.address === address));
}

type Address = { address: string } | { reason: string };
type Guard = (probe: string, work: () => Promise<ProbeOutcome>) => Promise<ProbeOutcome>;

/** /proc facts describe the machine rca runs on, so by default only when the target is that machine. */
function hostProbe(options: CollectOptions, targetIsLocal: boolean, guarded: Guard): Promise<ProbeOutcome> {
  if (process.platform !== 'linux') return Promise.resolve(skip('host', 'host facts come from /proc, which only Linux has'));
  if (options.hostFacts === false) return Promise.resolve(skip('host', 'turned off (--no-host-facts)'));
  if (options.hostFacts === undefined && !targetIsLocal && options.pid === undefined) {
    return Promise.resolve(skip('host', 'the target is not this machine: run rca collect on the server, or give --pid or --host-facts'));
  }
  return guarded('host', () => probeHost({ appPid: options.pid, intervalMs: Math.min(MAX_SAMPLE_INTERVAL_MS, options.timeoutMs / 2), ...(options.processNaming && { processNaming: options.processNaming }) }));
}

/** Where to connect: an IP as given; else the DNS probe's answer when resolvers were named; else the system's lookup. */
async function resolveAddress(target: Target, dns: Promise<DnsOutcome> | undefined, options: CollectOptions): Promise<Address> {
  if (isIpAddress(target.host)) return { address: target.host };
  if (options.dnsServers && options.dnsServers.length > 0 && dnsSkipReason(target.host) === undefined) {
    const answer = target.host === target.serverName && dns ? await dns : await probeDns(target.host, { timeoutMs: options.timeoutMs, servers: options.dnsServers });
    const address = answer.addresses[0];
    return address === undefined ? { reason: `${target.host} did not resolve (${String(answer.facts['dns.result'] ?? 'no answer')})` } : { address };
  }
  try {
    const found = await withTimeout(lookup(target.host), options.timeoutMs, () => {
      throw Object.assign(new Error('timed out'), { code: 'ETIMEOUT' });
    });
    return { address: found.address };
  } catch (error) {
    return { reason: `${target.host} did not resolve (${errorCode(error)})` };
  }
}

/**
 * Probes one target and this machine: DNS, TCP, TLS, HTTP, ping, and /proc host facts. Each
 * probe is bounded by the timeout, and one failing never stops the others: what could not be
 * learned is listed in `skipped`, never guessed.
 */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  const target = resolveTarget(options);
  const { timeoutMs } = options;
  const guarded: Guard = async (probe, work) => {
    let outcome: ProbeOutcome;
    try {
      outcome = await withTimeout(work(), timeoutMs + GRACE_MS, () => skip(probe, `did not finish within ${timeoutMs + GRACE_MS} ms`));
    } catch (error) {
      outcome = skip(probe, `failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    options.onProbe?.(probe, outcome);
    return outcome;
  };

  const dnsSkipped = dnsSkipReason(target.serverName);
  const dns = dnsSkipped === undefined ? probeDns(target.serverName, { timeoutMs, servers: options.dnsServers }) : undefined;
  const dnsOutcome = dns ? guarded('dns', () => dns) : Promise.resolve(skip('dns', dnsSkipped ?? ''));
  const address = await resolveAddress(target, dns, options);
  const reach = async (probe: string, work: (address: string) => Promise<ProbeOutcome>): Promise<ProbeOutcome> =>
    'reason' in address ? skip(probe, address.reason) : guarded(probe, () => work(address.address));

  // One step at a time, as an engineer would: TLS and HTTP only once the port accepts
  // connections; ping and /proc sampling last, since spawning a process and reading hundreds
  // of files block the event loop and would be added to the measured timings.
  const { port, url, serverName } = target;
  const tcp = port === undefined ? skip('tcp', 'no --port or --url given') : await reach('tcp', (to) => probeTcp(to, port, timeoutMs));
  const tcpResult = tcp.facts['tcp.connect'];
  const overTcp = (probe: string, work: (address: string) => Promise<ProbeOutcome>) =>
    tcpResult !== undefined && tcpResult !== 'ok' ? Promise.resolve(skip(probe, `the TCP connect was ${String(tcpResult)}`)) : reach(probe, work);
  const ca = target.protocol === 'https' ? trustedCa(options) : undefined;
  const application = await Promise.all([
    port === undefined || target.protocol !== 'https' ? undefined : overTcp('tls', (to) => probeTls({ address: to, port, serverName, ...(ca !== undefined && { ca }) }, timeoutMs)),
    url === undefined || port === undefined ? skip('http', 'no --url given') : overTcp('http', (to) => probeHttp({ url, address: to, port }, timeoutMs, { ...(ca !== undefined && { ca }), insecure: options.insecure === true })),
  ]);
  const local = await Promise.all([
    reach('ping', (to) => probePing(to, { timeoutMs, path: options.path })),
    hostProbe(options, 'address' in address && isThisMachine(address.address), guarded),
  ]);
  const outcomes = [await dnsOutcome, tcp, ...application.filter((o) => o !== undefined), ...local];
  const facts: ParsedFacts = { ...targetFacts(target) };
  for (const outcome of outcomes) Object.assign(facts, outcome.facts);
  const notes = [...(target.note === undefined ? [] : [{ probe: 'target', note: target.note }]), ...outcomes.flatMap((o) => o.notes ?? [])];
  return { facts: normalizeFacts(facts, baseVocabulary(), 'collected facts'), skipped: outcomes.flatMap((o) => o.skipped), notes };
}
