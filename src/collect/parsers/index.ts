import { appErrorsParser } from './app-errors.js';
import { InputError, UsageError } from '../../core/errors.js';
import { normalizeFacts } from '../../core/facts.js';
import { closeTo } from '../../core/suggest.js';
import { hasTooManyLines, MAX_ARTIFACT_LINES } from './text.js';
import type { InputWarning } from '../../core/request.js';
import { baseVocabulary, type FactMap } from '../../core/vocabulary.js';
import { cgroupMemoryParser } from './cgroup-memory.js';
import { conntrackSParser } from './conntrack-s.js';
import { cpuStatParser } from './cpu-stat.js';
import { curlIParser } from './curl-i.js';
import { curlVParser } from './curl-v.js';
import { curlWParser } from './curl-w.js';
import { detectKinds } from './detect.js';
import { dfParser } from './df.js';
import { digParser } from './dig.js';
import { dmesgParser } from './dmesg.js';
import { ephemeralPortsParser } from './ephemeral-ports.js';
import { ethtoolSParser } from './ethtool-s.js';
import { fdCountParser } from './fd-count.js';
import { freeParser } from './free.js';
import { gcLogParser } from './gc-log.js';
import { haproxyLogParser } from './haproxy-log.js';
import { haproxyStatParser } from './haproxy-stat.js';
import { iostatParser } from './iostat.js';
import { jstatParser } from './jstat.js';
import { kubectlDescribeParser } from './kubectl-describe.js';
import { mpstatParser } from './mpstat.js';
import { mtrParser } from './mtr.js';
import { netstatSParser } from './netstat-s.js';
import { nginxErrorParser } from './nginx-error.js';
import { nstatParser } from './nstat.js';
import { opensslParser } from './openssl.js';
import { pidstatParser } from './pidstat.js';
import { pingMtuParser } from './ping-mtu.js';
import { pingParser } from './ping.js';
import { psiParser } from './psi.js';
import { resolvConfParser } from './resolv-conf.js';
import { ssIParser } from './ss-i.js';
import { ssSParser } from './ss-s.js';
import { straceCParser } from './strace-c.js';
import { straceTParser } from './strace-t.js';
import { tcpConnectParser } from './tcp-connect.js';
import { tcpdumpParser } from './tcpdump.js';
import { threadDumpParser } from './thread-dump.js';
import { topParser } from './top.js';
import type { ArtifactParser, ParseContext } from './types.js';
import { vmstatParser } from './vmstat.js';

export type { ArtifactParser, ParseContext, ParsedFacts } from './types.js';

/** Every artifact parser, listed explicitly: no directory scanning. */
export const artifactParsers: readonly ArtifactParser[] = [
  pingParser,
  pingMtuParser,
  mtrParser,
  tcpConnectParser,
  tcpdumpParser,
  straceCParser,
  straceTParser,
  curlWParser,
  curlVParser,
  curlIParser,
  topParser,
  vmstatParser,
  iostatParser,
  mpstatParser,
  pidstatParser,
  cpuStatParser,
  cgroupMemoryParser,
  psiParser,
  freeParser,
  dfParser,
  fdCountParser,
  netstatSParser,
  nstatParser,
  ssSParser,
  ssIParser,
  ephemeralPortsParser,
  conntrackSParser,
  ethtoolSParser,
  digParser,
  resolvConfParser,
  opensslParser,
  dmesgParser,
  jstatParser,
  gcLogParser,
  threadDumpParser,
  nginxErrorParser,
  haproxyLogParser,
  haproxyStatParser,
  kubectlDescribeParser,
  appErrorsParser,
];

export const artifactKinds: readonly string[] = artifactParsers.map((p) => p.kind);

/**
 * The kinds whose output can carry `fact`: those whose description (the command and the facts
 * it yields, as `rca parse --list` shows) names it.
 */
export function kindsCarrying(fact: string): string[] {
  const named = new RegExp(`(^|[^\\w.])${fact.replace(/\./g, '\\.')}(?![\\w.])`);
  return artifactParsers.filter((p) => named.test(p.describe)).map((p) => p.kind);
}

/** The kind a mistyped or shortened one most likely means ("strace" for strace-c), if any is close. */
export function closeKind(kind: string): string | undefined {
  return closeTo(kind, artifactKinds);
}

/** The word that asks for the kind to be told from the text (`rca parse auto FILE`, `--artifact auto=FILE`). */
export const AUTO_KIND = 'auto';

/** What text of no supported tool, or of several, was found to hold. */
function detectedGot(kinds: readonly string[]): string {
  return kinds.length === 0 ? "no tool's signature" : `the signatures of ${kinds.join(' and ')}`;
}

/**
 * The kind of artifact TEXT read from SOURCE, told by its signature (see detect.ts). Text of no
 * supported tool, or with the signatures of several, is a usage error listing the kinds and
 * saying how to name one (USAGE: the command line that names it).
 */
export function detectKind(text: string, source: string, usage: string): string {
  const kinds = detectKinds(text);
  if (kinds.length === 1) return kinds[0] as string;
  throw new UsageError(`${source}: expected the output of one of ${artifactKinds.join(', ')}, got ${detectedGot(kinds)}; name the kind: ${usage}`);
}

/**
 * KIND, or for `auto` the kind told from TEXT's signature: where the text comes in data (an
 * API body's artifacts, a paste in the interview), so text of no one tool is an input error
 * about FIELD, not a usage error.
 */
export function resolveKind(kind: string, text: string, field: string): string {
  if (kind !== AUTO_KIND) return kind;
  const kinds = detectKinds(text);
  if (kinds.length === 1) return kinds[0] as string;
  throw new InputError([{ field, expected: `the output of one of ${artifactKinds.join(', ')} (or name its kind)`, got: detectedGot(kinds) }]);
}

/**
 * The parser of KIND; an unknown kind is an input error about FIELD, suggesting the close one.
 * Every place a person names a kind also takes `auto`, so the error lists it.
 */
export function findParser(kind: string, field = 'artifact kind'): ArtifactParser {
  const parser = artifactParsers.find((p) => p.kind === kind);
  if (!parser) {
    const suggestion = closeKind(kind);
    throw new InputError([{ field, expected: `one of ${[AUTO_KIND, ...artifactKinds].join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, got: `"${kind}"` }]);
  }
  return parser;
}

/**
 * Reads one command's saved output into validated facts ("now" is the clock's unless the context
 * says; its `warn` hears what the facts cannot hold); KIND `auto` reads it by its signature.
 * Throws InputError for an unknown kind or text the parser does not recognise. No facts is a
 * success only with a warning saying why (a failure the text does not tell apart, and what to
 * run to tell it), never a silent one.
 */
export function parseArtifact(kind: string, text: string, context: Partial<ParseContext> = {}): FactMap {
  const parser = findParser(resolveKind(kind, text, `artifact ${kind}`));
  const maxLines = MAX_ARTIFACT_LINES.toLocaleString('en-US');
  if (hasTooManyLines(text)) throw new InputError([{ field: `artifact ${parser.kind}`, expected: `at most ${maxLines} lines (no tool's output runs to more)`, got: `more than ${maxLines}` }]);
  let warned = false;
  const warn = (warning: InputWarning) => {
    warned = true;
    context.warn?.(warning);
  };
  const facts = parser.parse(text, { now: new Date(), ...context, warn });
  if (Object.keys(facts).length === 0 && !warned) throw new InputError([{ field: `artifact ${parser.kind}`, expected: parser.describe, got: 'no facts in the text' }]);
  // Parsers read facts of the shipped schema only, whatever the knowledge base in use declares.
  return normalizeFacts(facts, baseVocabulary(), `artifact ${parser.kind}`);
}

/** What parseArtifact reads only from several outputs of one kind together (ArtifactParser.readTogether in the core). */
parseArtifact.readTogether = (kind: string, text: string): { kind: string; facts: readonly string[] } | undefined => {
  const resolved = resolveKind(kind, text, `artifact ${kind}`);
  const parser = artifactParsers.find((p) => p.kind === resolved);
  return parser?.readTogether === undefined ? undefined : { kind: parser.kind, facts: parser.readTogether };
};
