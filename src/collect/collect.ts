import { networkInterfaces } from 'node:os';
import { inputProblemOf } from '../core/errors.js';
import { normalizeFacts } from '../core/facts.js';
import { baseVocabulary, type FactMap } from '../core/vocabulary.js';
import type { ParsedFacts } from './parsers/types.js';
import { lookupSystem, probeDns, type DnsOutcome, type SystemAnswer, type SystemResolver } from './probes/dns.js';
import type { ProcessNaming } from './process-tree.js';
import { probeHost } from './probes/host.js';
import { probeHttp } from './probes/http.js';
import { skip, withTimeout, type ProbeNote, type ProbeOutcome, type SkippedProbe } from './probes/outcome.js';
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
  /**
   * The system's resolver and the DNS servers it asks: getaddrinfo and /etc/resolv.conf's by
   * default; tests give a hosts table and servers on 127.0.0.1.
   */
  systemResolver?: { lookup: SystemResolver; servers: readonly string[] };
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

/**
 * The outcome with each fact the schema refuses left out, and said why: its values come from the
 * server or the machine probed (a status line `HTTP/1.1 999`, a /proc counter that went back), and
 * one out of range must neither be reported nor cost the other probes' facts.
 */
function withinSchema(probe: string, outcome: ProbeOutcome): ProbeOutcome {
  const facts: ParsedFacts = {};
  const skipped = [...outcome.skipped];
  for (const [name, value] of Object.entries(outcome.facts)) {
    const problem = inputProblemOf(() => normalizeFacts({ [name]: value }, baseVocabulary()));
    if (problem === undefined) facts[name] = value;
    else skipped.push({ probe, reason: `left out what the facts' schema refuses: ${problem}` });
  }
  return { ...outcome, facts, skipped };
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

/** --dns-server's resolvers, when given: names are then resolved through them only, as `dig @server` does. */
function namedServers(options: CollectOptions): string[] | undefined {
  return options.dnsServers && options.dnsServers.length > 0 ? options.dnsServers : undefined;
}

/** The DNS probe's answers for the URL's name, when it ran: the system's (what clients get), or the named servers'. */
interface NameAnswers {
  dns?: Promise<DnsOutcome>;
  system?: Promise<SystemAnswer>;
}

/** Where to connect: an IP as given; else the named resolvers' answer; else the system's, as clients connect. */
async function resolveAddress(target: Target, answers: NameAnswers, options: CollectOptions): Promise<Address> {
  if (isIpAddress(target.host)) return { address: target.host };
  const sameName = target.host === target.serverName;
  const servers = namedServers(options);
  if (servers && dnsSkipReason(target.host) === undefined) {
    const answer = sameName && answers.dns ? await answers.dns : await probeDns(target.host, { timeoutMs: options.timeoutMs, servers });
    const address = answer.addresses[0];
    return address === undefined ? { reason: `${target.host} did not resolve (${String(answer.facts['dns.result'] ?? 'no answer')})` } : { address };
  }
  const answer = sameName && answers.system ? await answers.system : await lookupSystem(target.host, options.timeoutMs, options.systemResolver?.lookup);
  const address = 'addresses' in answer ? answer.addresses[0] : undefined;
  return address === undefined ? { reason: `${target.host} did not resolve (${'code' in answer ? answer.code : 'no address'})` } : { address };
}

/**
 * Probes one target and this machine: DNS, TCP, TLS, HTTP, ping, and /proc host facts. Each
 * probe is bounded by the timeout, and one failing never stops the others: what could not be
 * learned is listed in `skipped`, never guessed.
 */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  const target = resolveTarget(options);
  // Before any probe: a target the facts cannot hold (--host 127.1, a URL's port 0) is refused
  // at once, not once every probe has been sent to it.
  const targetChecked = normalizeFacts(targetFacts(target), baseVocabulary(), 'collected facts');
  const { timeoutMs } = options;
  const guarded: Guard = async (probe, work) => {
    let outcome: ProbeOutcome;
    try {
      outcome = withinSchema(probe, await withTimeout(work(), timeoutMs + GRACE_MS, () => skip(probe, `did not finish within ${timeoutMs + GRACE_MS} ms`)));
    } catch (error) {
      outcome = skip(probe, `failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    options.onProbe?.(probe, outcome);
    return outcome;
  };

  // The system's resolver answers the name once, for the facts and for where to connect;
  // the probes that connect go ahead while the DNS servers' reply is awaited.
  const dnsSkipped = dnsSkipReason(target.serverName);
  const servers = namedServers(options);
  const system = dnsSkipped === undefined && servers === undefined ? lookupSystem(target.serverName, timeoutMs, options.systemResolver?.lookup) : undefined;
  const dns = dnsSkipped === undefined ? probeDns(target.serverName, { timeoutMs, servers: servers ?? options.systemResolver?.servers, ...(system && { system }) }) : undefined;
  const dnsOutcome = dns ? guarded('dns', () => dns) : Promise.resolve(skip('dns', dnsSkipped ?? ''));
  const address = await resolveAddress(target, { ...(dns && { dns }), ...(system && { system }) }, options);
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
    port === undefined || target.protocol !== 'https' ? undefined : overTcp('tls', (to) => probeTls({ address: to, port, serverName, ...(ca !== undefined && { ca }), caGiven: options.ca !== undefined }, timeoutMs)),
    url === undefined || port === undefined ? skip('http', 'no --url given') : overTcp('http', (to) => probeHttp({ url, address: to, port }, timeoutMs, { ...(ca !== undefined && { ca }), insecure: options.insecure === true })),
  ]);
  const local = await Promise.all([
    reach('ping', (to) => probePing(to, { timeoutMs, path: options.path })),
    hostProbe(options, 'address' in address && isThisMachine(address.address), guarded),
  ]);
  const outcomes = [await dnsOutcome, tcp, ...application.filter((o) => o !== undefined), ...local];
  const facts: ParsedFacts = { ...targetChecked };
  for (const outcome of outcomes) Object.assign(facts, outcome.facts);
  const notes = [...(target.note === undefined ? [] : [{ probe: 'target', note: target.note }]), ...outcomes.flatMap((o) => o.notes ?? [])];
  return { facts: normalizeFacts(facts, baseVocabulary(), 'collected facts'), skipped: outcomes.flatMap((o) => o.skipped), notes };
}
