import { lookup, Resolver } from 'node:dns/promises';
import type { ParsedFacts } from '../parsers/types.js';
import { elapsedMs, errorCode, found, skip, withTimeout, type ProbeOutcome } from './outcome.js';

/**
 * The system's resolver as curl and most applications ask it: getaddrinfo (node:dns lookup),
 * which reads /etc/hosts and whatever else /etc/nsswitch.conf lists, not only DNS.
 */
export type SystemResolver = (name: string) => Promise<string[]>;

export const getaddrinfo: SystemResolver = async (name) => (await lookup(name, { all: true })).map((entry) => entry.address);

/** What the system's resolver said of a name: its addresses, or the error code; and how long it took. */
export type SystemAnswer = { addresses: string[]; ms: number } | { code: string; ms: number };

export interface DnsOptions {
  timeoutMs: number;
  /** The DNS servers to query ("127.0.0.1:5353"); default: /etc/resolv.conf's. */
  servers?: readonly string[];
  /**
   * The system resolver's answer for the name (lookupSystem): dns.result is then what clients
   * get, and the servers' reply only names a failure getaddrinfo leaves vague. Absent: the
   * servers' reply alone, as `dig @server` shows it (--dns-server).
   */
  system?: Promise<SystemAnswer>;
}

export interface DnsOutcome extends ProbeOutcome {
  /** The addresses the name resolved to, for the probes that connect. */
  addresses: string[];
}

// c-ares error codes (node:dns) to dns.result. ENODATA means the name exists without a record
// of that type: a NOERROR answer, so it is "ok" when neither A nor AAAA exists.
const RESULT_BY_CODE: Readonly<Record<string, string>> = {
  ENOTFOUND: 'nxdomain',
  ESERVFAIL: 'servfail',
  EREFUSED: 'refused',
  ETIMEOUT: 'timeout',
  ECANCELLED: 'timeout',
  // Nothing listens on the resolver's port: no server answers, which glibc reports as it does
  // a timeout (EAI_AGAIN) and dig as "no servers could be reached" (the dig parser agrees).
  ECONNREFUSED: 'timeout',
};

/**
 * getaddrinfo's codes as Node names them, read as the error-text parser reads them in a log:
 * ENOTFOUND (EAI_NONAME, EAI_NODATA) nxdomain; EAI_AGAIN, which glibc returns when no server
 * gave a usable answer (none replied, or each said SERVFAIL or REFUSED), timeout unless the
 * servers' own reply says which; ETIMEOUT is this probe's bound.
 */
const SYSTEM_RESULT_BY_CODE: Readonly<Record<string, string>> = {
  ENOTFOUND: 'nxdomain',
  EAI_AGAIN: 'timeout',
  ETIMEOUT: 'timeout',
};

const TIMED_OUT = Object.assign(new Error('timed out'), { code: 'ETIMEOUT' });

/** Asks the DNS servers (not /etc/hosts: that is what `dig` shows too) for A, then AAAA, records. */
async function lookupAddresses(resolver: Resolver, name: string): Promise<string[]> {
  try {
    return await resolver.resolve4(name);
  } catch (error) {
    if (errorCode(error) !== 'ENODATA') throw error;
  }
  try {
    return await resolver.resolve6(name);
  } catch (error) {
    if (errorCode(error) === 'ENODATA') return [];
    throw error;
  }
}

/** The name asked of the system's resolver, bounded by the timeout (getaddrinfo cannot be cancelled: its answer is then ignored). */
export async function lookupSystem(name: string, timeoutMs: number, resolve: SystemResolver = getaddrinfo): Promise<SystemAnswer> {
  const startedAt = performance.now();
  try {
    const addresses = await withTimeout(resolve(name), timeoutMs, () => {
      throw TIMED_OUT;
    });
    return { addresses, ms: elapsedMs(startedAt) };
  } catch (error) {
    return { code: errorCode(error), ms: elapsedMs(startedAt) };
  }
}

/** The DNS servers' reply: dns.result, its time, the addresses; or the c-ares code no dns.result value describes. */
type ServersReply = { result: string; ms: number; addresses: string[] } | { code: string };

async function queryServers(name: string, { timeoutMs, servers }: DnsOptions): Promise<ServersReply> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  const startedAt = performance.now();
  try {
    const addresses = await withTimeout(lookupAddresses(resolver, name), timeoutMs, () => {
      resolver.cancel();
      throw TIMED_OUT;
    });
    return { result: 'ok', ms: elapsedMs(startedAt), addresses };
  } catch (error) {
    const code = errorCode(error);
    const result = RESULT_BY_CODE[code];
    return result === undefined ? { code } : { result, ms: elapsedMs(startedAt), addresses: [] };
  }
}

/** dns.result with its time: none for a timeout, whose time is only the bound. */
function resultFacts(result: string, ms: number): ParsedFacts {
  return result === 'timeout' ? { 'dns.result': result } : { 'dns.result': result, 'dns.resolve_ms': ms };
}

/** The servers' reply as the facts, as `dig @server` shows it. */
function serversOutcome(name: string, reply: ServersReply): DnsOutcome {
  if ('code' in reply) return { ...skip('dns', `${name}: ${reply.code} from the resolver, which no dns.result value describes`), addresses: [] };
  return { ...found(resultFacts(reply.result, reply.ms)), addresses: reply.addresses };
}

/**
 * What clients get, from the system's resolver: its addresses are ok, in its time, whatever the
 * DNS servers say (a name in /etc/hosts never reaches them); its failure is read from its code,
 * and an EAI_AGAIN by the servers' reply (servfail, refused or timeout). Where the two disagree
 * on whether the name resolves, a note says so: the servers are not where clients get it.
 */
function systemOutcome(name: string, answer: SystemAnswer, reply: ServersReply): DnsOutcome {
  const serversSaid = 'code' in reply ? reply.code : reply.result;
  if ('addresses' in answer) {
    const outcome: DnsOutcome = { ...found(resultFacts('ok', answer.ms)), addresses: answer.addresses };
    if (serversSaid === 'ok') return outcome;
    const note =
      `${name} resolves through the system's resolver (getaddrinfo, as curl and most clients ask it) but the DNS servers gave ${serversSaid}: ` +
      'the name comes from /etc/hosts or another source /etc/nsswitch.conf lists, which no DNS query (dig) sees; dns.result is what clients get';
    return { ...outcome, notes: [{ probe: 'dns', note }] };
  }
  const serversFailure = 'result' in reply && reply.result !== 'ok' ? reply.result : undefined;
  // EAI_AGAIN, or a code no dns.result value describes: the servers' failure says which it was.
  const refinable = answer.code === 'EAI_AGAIN' || SYSTEM_RESULT_BY_CODE[answer.code] === undefined;
  const result = (refinable ? serversFailure : undefined) ?? SYSTEM_RESULT_BY_CODE[answer.code];
  if (result === undefined) return { ...skip('dns', `${name}: ${answer.code} from the system's resolver, which no dns.result value describes`), addresses: [] };
  const outcome: DnsOutcome = { ...found(resultFacts(result, answer.ms)), addresses: [] };
  if (serversSaid !== 'ok') return outcome;
  const note = `the DNS servers answer ${name}, but the system's resolver (getaddrinfo) did not (${answer.code}): see the hosts line of /etc/nsswitch.conf; dns.result is what clients get`;
  return { ...outcome, notes: [{ probe: 'dns', note }] };
}

/**
 * dns.result and dns.resolve_ms for a name. Given the system resolver's answer, what clients
 * get (curl, the application: getaddrinfo, /etc/hosts included); else what the DNS servers
 * reply, as `dig @server` shows it. Either way the servers are queried, each query bounded.
 */
export async function probeDns(name: string, options: DnsOptions): Promise<DnsOutcome> {
  const [reply, answer] = await Promise.all([queryServers(name, options), options.system]);
  return answer === undefined ? serversOutcome(name, reply) : systemOutcome(name, answer, reply);
}
