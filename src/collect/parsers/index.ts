import { closest, distance } from 'fastest-levenshtein';
import { InputError } from '../../core/errors.js';
import { normalizeFacts } from '../../core/facts.js';
import { baseVocabulary, type FactMap } from '../../core/vocabulary.js';
import { conntrackSParser } from './conntrack-s.js';
import { curlWParser } from './curl-w.js';
import { digParser } from './dig.js';
import { dmesgParser } from './dmesg.js';
import { mpstatParser } from './mpstat.js';
import { netstatSParser } from './netstat-s.js';
import { nginxErrorParser } from './nginx-error.js';
import { nstatParser } from './nstat.js';
import { opensslParser } from './openssl.js';
import { pingMtuParser } from './ping-mtu.js';
import { pingParser } from './ping.js';
import { ssSParser } from './ss-s.js';
import { straceCParser } from './strace-c.js';
import { straceTParser } from './strace-t.js';
import { topParser } from './top.js';
import type { ArtifactParser, ParseContext } from './types.js';
import { vmstatParser } from './vmstat.js';

export type { ArtifactParser, ParseContext, ParsedFacts } from './types.js';

/** Every artifact parser, listed explicitly: no directory scanning. */
export const artifactParsers: readonly ArtifactParser[] = [
  pingParser,
  pingMtuParser,
  straceCParser,
  straceTParser,
  curlWParser,
  topParser,
  vmstatParser,
  mpstatParser,
  netstatSParser,
  nstatParser,
  ssSParser,
  conntrackSParser,
  digParser,
  opensslParser,
  dmesgParser,
  nginxErrorParser,
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
function closeKind(kind: string): string | undefined {
  // Only names of a plausible length: an edit distance costs the product of the lengths.
  if (kind.length > 32) return undefined;
  const best = closest(kind, artifactKinds as string[]);
  return distance(kind, best) <= Math.max(2, Math.floor(kind.length / 4)) ? best : undefined;
}

export function findParser(kind: string): ArtifactParser {
  const parser = artifactParsers.find((p) => p.kind === kind);
  if (!parser) {
    const suggestion = closeKind(kind);
    throw new InputError([{ field: 'artifact kind', expected: `one of ${artifactKinds.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, got: `"${kind}"` }]);
  }
  return parser;
}

/**
 * Reads one command's saved output into validated facts. Throws InputError for an unknown
 * kind or text the parser does not recognise, never returns an empty success.
 */
export function parseArtifact(kind: string, text: string, context: ParseContext = { now: new Date() }): FactMap {
  const parser = findParser(kind);
  const facts = parser.parse(text, context);
  if (Object.keys(facts).length === 0) throw new InputError([{ field: `artifact ${kind}`, expected: parser.describe, got: 'no facts in the text' }]);
  // Parsers read facts of the shipped schema only, whatever the knowledge base in use declares.
  return normalizeFacts(facts, baseVocabulary(), `artifact ${kind}`);
}
