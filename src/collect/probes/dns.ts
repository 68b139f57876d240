import { Resolver } from 'node:dns/promises';
import { elapsedMs, errorCode, found, skip, withTimeout, type ProbeOutcome } from './outcome.js';

export interface DnsOptions {
  timeoutMs: number;
  /** Resolvers to ask ("127.0.0.1:5353"), like `dig @server`; default: the system's. */
  servers?: readonly string[];
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

export async function probeDns(name: string, { timeoutMs, servers }: DnsOptions): Promise<DnsOutcome> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  const startedAt = performance.now();
  try {
    const addresses = await withTimeout(lookupAddresses(resolver, name), timeoutMs, () => {
      resolver.cancel();
      throw TIMED_OUT;
    });
    return { ...found({ 'dns.result': 'ok', 'dns.resolve_ms': elapsedMs(startedAt) }), addresses };
  } catch (error) {
    const resolveMs = elapsedMs(startedAt);
    const code = errorCode(error);
    const result = RESULT_BY_CODE[code];
    if (result === undefined) {
      return { ...skip('dns', `${name}: ${code} from the resolver, which no dns.result value describes`), addresses: [] };
    }
    return { ...found(result === 'timeout' ? { 'dns.result': result } : { 'dns.result': result, 'dns.resolve_ms': resolveMs }), addresses: [] };
  }
}
