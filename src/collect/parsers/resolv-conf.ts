import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, cells } from './text.js';

const EXPECTED = '/etc/resolv.conf (nameserver, search or domain, options lines), as `cat /etc/resolv.conf` prints it';

/** glibc caps ndots at 15 (resolv.conf(5)). */
const MAX_NDOTS = 15;

/**
 * From this many dots up a name counts as "fewer than ndots" for almost every service name
 * (api.example.com has two): each lookup walks the search list first. Below it, only names with
 * fewer dots than ndots do, and which name the service looks up is not in the file.
 */
const WALKS_FOR_SERVICE_NAMES = 3;

/** resolv.conf(5)'s keywords. */
const KEYWORDS: ReadonlySet<string> = new Set(['nameserver', 'search', 'domain', 'options', 'sortlist']);

interface Resolver {
  /** The last search or domain line's suffixes ("." is the root: no suffix); undefined with neither. */
  suffixes?: string[];
  ndots: number;
}

/**
 * The file's search list and ndots: the last search or domain line wins (resolv.conf(5): "the
 * last instance wins"), ndots defaults to 1; comments start with # or ;.
 */
function readResolver(all: readonly string[]): Resolver | undefined {
  const resolver: Resolver = { ndots: 1 };
  let recognised = false;
  for (const line of all) {
    const [keyword, ...values] = cells(line.replace(/[#;].*$/, ''));
    if (keyword === undefined || !KEYWORDS.has(keyword)) continue;
    recognised = true;
    if ((keyword === 'search' || keyword === 'domain') && values.length > 0) resolver.suffixes = values.filter((v) => v !== '.');
    if (keyword === 'options') {
      for (const option of values) {
        const ndots = /^ndots:(\d{1,3})$/.exec(option)?.[1];
        if (ndots !== undefined) resolver.ndots = Math.min(Number(ndots), MAX_NDOTS);
      }
    }
  }
  return recognised ? resolver : undefined;
}

export const resolvConfParser: ArtifactParser = {
  kind: 'resolv-conf',
  describe:
    'cat /etc/resolv.conf (in a pod: kubectl exec POD -- cat /etc/resolv.conf): dns.search_expansion true with two or more search ' +
    'suffixes and options ndots:3 or more (Kubernetes gives 5: every service name walks the list first), false with no suffix ' +
    '("search ."); none, with a warning, for a lower ndots (only names with fewer dots walk it) or with no search or domain line ' +
    '(the host\'s own domain is the list)',
  parse(text, context): ParsedFacts {
    const resolver = readResolver(artifactLines(text));
    if (resolver === undefined) throw notRecognised('resolv-conf', EXPECTED);
    const { suffixes, ndots } = resolver;
    if (suffixes === undefined) {
      context?.warn?.({ field: 'dns.search_expansion', message: "no search or domain line: glibc takes the host's own domain (hostname -d) as the search list" });
      return {};
    }
    if (suffixes.length === 0) return { 'dns.search_expansion': false };
    if (ndots >= WALKS_FOR_SERVICE_NAMES && suffixes.length >= 2) return { 'dns.search_expansion': true };
    context?.warn?.({
      field: 'dns.search_expansion',
      message: `ndots:${ndots} with ${suffixes.length} search suffix${suffixes.length === 1 ? '' : 'es'}: ${ndots === 1 ? 'a name with no dot' : `a name with fewer than ${ndots} dots`} tries ${suffixes.length === 1 ? 'the suffix' : 'each suffix'} first, one with more is looked up as given first; count the dots of the name the service looks up`,
    });
    return {};
  },
};
