import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { load as parseYaml, YAMLException } from 'js-yaml';
import { countValues } from './yaml.js';
import type { ErrorObject } from 'ajv';
import type { KbLock } from '../generated/kb-lock.js';
import type {
  Condition,
  Evidence,
  Hypothesis,
  KbFile,
  KbMeta,
  LeafCondition,
  Question,
  Rule,
} from '../generated/kb-file.js';
import { compiledCondition, directReferences, foldCondition, locatedFold, type ConditionFold, type EngineCondition } from './conditions.js';
import { OPERATORS } from './operators.js';
import { KbError, locate, TemplateError, type KbProblem } from './errors.js';
import { byName } from './files.js';
import { countsOf, LOCK_FILE, lockCountProblems, lockFileProblems, lockOf, sha256Of, type KbFileDigest } from './kb-lock.js';
import { defaultKbDir, kbSnapshotFile } from './paths.js';
import { expectedText, validator } from './schemas.js';
import { commandEnvironment } from './templates.js';
import { vocabulary, type FactSpec } from './vocabulary.js';

/** One parsed file of a knowledge base, before validation. */
export interface KbSource {
  /** Path shown in messages (relative to the working directory when possible). */
  file: string;
  text: string;
  data: unknown;
  /** Already schema- and template-checked (it came from a build-time snapshot of the same text). */
  validated?: boolean;
  /** Which --kb directory (pack) it came from: later packs may override or disable earlier ones. */
  pack?: number;
}

export type RuleStatus = NonNullable<Rule['status']>;
/** Maturity order for --min-status: deprecated < experimental < stable. */
export const STATUS_RANK: Record<RuleStatus, number> = { deprecated: 0, experimental: 1, stable: 2 };

export interface LoadOptions {
  /** Load only rules at least this mature (default: all). */
  minStatus?: RuleStatus;
  /** Refuse a directory without kb.lock.json (rca serve: only a sealed KB is served). */
  requireLock?: boolean;
}

/** What a later pack did to an earlier one, shown by `rca kb validate`. */
export interface PackChange {
  kind: 'override' | 'disable' | 'filtered';
  entry: 'rule' | 'hypothesis' | 'question';
  id: string;
  file: string;
  /** Where the replaced or disabled entry was defined. */
  previous: string;
  reason: string;
}

/** A build-time copy of a KB directory, parsed and validated, keyed by the hash of its files. */
export interface KbSnapshot {
  key: string;
  data: unknown[];
}

export interface Located<T> {
  value: T;
  file: string;
  path: string;
}

export interface CompiledRule {
  id: string;
  rule: Rule;
  file: string;
  path: string;
  /** Every fact the rule reads, through references too. */
  facts: readonly string[];
  /** A fact that must be known for the rule to fire; undefined when none is required. */
  keyFact: string | undefined;
  /** Named conditions the rule uses, transitively. */
  references: readonly string[];
  /** The condition as handed to json-rules-engine (with absence guards). */
  engineConditions: EngineCondition;
}

export interface KnowledgeBase {
  meta: {
    name: string;
    version: string;
    hash: string;
    sources: string[];
    loadedAt: string;
    packs: number;
    changes: PackChange[];
    /** Directories loaded without a kb.lock.json (rca serve refuses them). */
    unsealed: string[];
  };
  hypotheses: ReadonlyMap<string, Located<Hypothesis>>;
  rules: readonly CompiledRule[];
  conditions: ReadonlyMap<string, Condition>;
  conditionLocations: ReadonlyMap<string, { file: string; path: string }>;
  engineConditions: ReadonlyMap<string, EngineCondition>;
  questions: ReadonlyMap<string, Located<Question>>;
  /** Rules by the fact they need most; a diagnosis only visits buckets of known facts. */
  rulesByKeyFact: ReadonlyMap<string, readonly CompiledRule[]>;
  rulesWithoutKey: readonly CompiledRule[];
}

const KB_EXTENSIONS = /\.(ya?ml|json)$/i;

/**
 * Bounds on a knowledge-base directory, so that a hostile or runaway file is refused at
 * parse time, before it costs time or memory: a 462-byte YAML alias bomb expands to four
 * million values, and validating them took seconds (a few bytes more: minutes and out of memory).
 */
export const KB_LIMITS = {
  /** Rule files in one directory (the shipped KB has 8). */
  files: 200,
  /** Bytes of one rule file (the largest shipped one has 120 KB). */
  fileBytes: 1024 * 1024,
  /** Bytes of all rule files of one directory. */
  dirBytes: 8 * 1024 * 1024,
  /** YAML aliases (*name) in one file (the shipped KB uses none). */
  aliases: 100,
  /**
   * Values (scalars, objects, arrays) in one directory's files once aliases are expanded
   * (shipped: 11,970); also the bound on condition parts once named references are expanded.
   */
  values: 250_000,
  /** Nesting of objects and arrays (shipped files nest at most 10 deep). */
  depth: 64,
  /** A named condition referencing one that references another...: chain length (shipped: 2). */
  references: 32,
} as const;
/** kb.lock.json lists every file of a directory: it stays small. */
const MAX_LOCK_BYTES = 1024 * 1024;

/**
 * What a directory without kb.lock.json gets: 'check' loads it (a lock that is there must
 * match), 'require' refuses it (rca serve), 'ignore' skips the lock (rca kb seal rewrites it).
 */
export type LockPolicy = 'check' | 'require' | 'ignore';

/** One KB directory as read: its parsed files, their hashes, and whether a lock vouched for them. */
export interface KbDirectory {
  sources: KbSource[];
  files: KbFileDigest[];
  sealed: boolean;
}

function listFiles(dir: string, top = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, top, out);
    else if (entry.isFile() && KB_EXTENSIONS.test(entry.name) && !(dir === top && entry.name === LOCK_FILE)) {
      out.push(full);
      if (out.length > KB_LIMITS.files) throw new KbError([{ file: displayPath(top), path: '', message: `expected at most ${KB_LIMITS.files} rule files in a knowledge-base directory, got more` }]);
    }
  }
  return out;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Reads a whole file of at most `limit` bytes; for a larger one, reads no more than limit + 1 and returns only its size. */
function readAtMost(full: string, limit: number): { bytes?: Buffer; size: number } {
  const fd = openSync(full, 'r');
  try {
    const buffer = Buffer.allocUnsafe(limit + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return length > limit ? { size: Math.max(length, fstatSync(fd).size) } : { bytes: Buffer.from(buffer.subarray(0, length)), size: length };
  } finally {
    closeSync(fd);
  }
}

/** Reads a directory's rule files within the limits, with the hash of each. */
function readRuleFiles(dir: string): Array<KbFileDigest & { full: string; text: string }> {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new KbError([{ file: displayPath(dir), path: '', message: 'knowledge-base directory not found' }]);
  }
  if (!stat.isDirectory()) throw new KbError([{ file: displayPath(dir), path: '', message: 'expected a directory of rule files, got a file' }]);
  const files = listFiles(dir);
  if (files.length === 0) throw new KbError([{ file: displayPath(dir), path: '', message: 'expected .yaml, .yml or .json rule files, found none' }]);
  const problems: KbProblem[] = [];
  const read: Array<KbFileDigest & { full: string; text: string }> = [];
  let total = 0;
  for (const full of files) {
    const file = displayPath(full);
    const { bytes, size } = readAtMost(full, KB_LIMITS.fileBytes);
    total += size;
    if (total > KB_LIMITS.dirBytes) throw new KbError([{ file: displayPath(dir), path: '', message: `expected at most ${KB_LIMITS.dirBytes} bytes of rule files in a knowledge-base directory, got more` }]);
    if (!bytes) problems.push({ file, path: '', message: `expected at most ${KB_LIMITS.fileBytes} bytes, got ${size}` });
    else read.push({ full, file, relPath: relative(dir, full).split(sep).join('/'), text: bytes.toString('utf8'), sha256: sha256Of(bytes) });
  }
  if (problems.length > 0) throw new KbError(problems);
  return read;
}

/** The directory's kb.lock.json, or undefined when it has none. */
function readLock(dir: string): KbLock | undefined {
  const full = join(dir, LOCK_FILE);
  if (!existsSync(full)) return undefined;
  const file = displayPath(full);
  const { bytes, size } = readAtMost(full, MAX_LOCK_BYTES);
  if (!bytes) throw new KbError([{ file, path: '', message: `expected at most ${MAX_LOCK_BYTES} bytes, got ${size}` }]);
  let lock: unknown;
  try {
    lock = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new KbError([{ file, path: '', message: `does not parse: ${(error as Error).message} (rewrite it with \`rca kb seal ${displayPath(dir)}\`)` }]);
  }
  const validate = validator('kb-lock.schema.json');
  if (!validate(lock)) throw new KbError(schemaProblems(file, validate.errors ?? []));
  return lock as KbLock;
}

/** Says what a js-yaml limit refused, with where; undefined for any other parse error. */
function yamlLimitMessage(error: unknown): string | undefined {
  if (!(error instanceof YAMLException)) return undefined;
  const at = error.mark ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})` : '';
  if (error.reason.startsWith('aliases exceeded maxAliases')) return `expected at most ${KB_LIMITS.aliases} YAML aliases (*name) in a file, got more${at}`;
  if (error.reason.startsWith('nesting exceeded maxDepth')) return `expected values nested at most ${KB_LIMITS.depth} deep, got deeper${at}`;
  return undefined;
}

/** Counts a parsed rule file's values within the directory's budget, aliases expanded (see countValues), or says which limit it passed. */
function countKbValues(root: unknown, budget: number): number | string {
  const counted = countValues(root, budget, KB_LIMITS.depth);
  if (counted === 'depth') return `expected values nested at most ${KB_LIMITS.depth} deep, got deeper`;
  if (counted === 'values') return `expected at most ${KB_LIMITS.values} values in a knowledge-base directory once YAML aliases are expanded, got more`;
  return counted;
}

function parseRuleFile(file: string, text: string, json: boolean, budget: number): { data: unknown; values: number } | { problem: KbProblem } {
  let data: unknown;
  try {
    data = json ? JSON.parse(text) : parseYaml(text, { filename: file, maxAliases: KB_LIMITS.aliases, maxDepth: KB_LIMITS.depth });
  } catch (error) {
    return { problem: { file, path: '', message: yamlLimitMessage(error) ?? `does not parse: ${(error as Error).message.split('\n')[0]}` } };
  }
  const values = countKbValues(data, budget);
  return typeof values === 'string' ? { problem: { file, path: '', message: values } } : { data, values };
}

/**
 * Reads and parses every rule file under a directory (YAML or JSON), in name order, within
 * KB_LIMITS. A kb.lock.json there must match before anything is parsed, and what the parsed
 * files hold must match its counts.
 */
export function readKbDirectory(dir: string, policy: LockPolicy = 'check'): KbDirectory {
  const files = readRuleFiles(dir);
  const lock = policy === 'ignore' ? undefined : readLock(dir);
  const lockFile = displayPath(join(dir, LOCK_FILE));
  const reseal = `rca kb seal ${displayPath(dir)}`;
  if (lock) {
    const changed = lockFileProblems(lock, lockFile, files, reseal);
    if (changed.length > 0) throw new KbError(changed);
  } else if (policy === 'require') {
    throw new KbError([{ file: displayPath(dir), path: '', message: `expected a sealed knowledge base (${LOCK_FILE}), got none: validate it and run \`${reseal}\`` }]);
  }
  const digests = files.map(({ relPath, file, sha256 }) => ({ relPath, file, sha256 }));
  const snapshot = snapshotFor(dir, digests);
  const sources: KbSource[] = [];
  const problems: KbProblem[] = [];
  let budget: number = KB_LIMITS.values;
  files.forEach(({ full, file, text }, i) => {
    if (snapshot) return sources.push({ file, text, data: snapshot.data[i], validated: true });
    const parsed = parseRuleFile(file, text, full.toLowerCase().endsWith('.json'), budget);
    if ('data' in parsed) {
      sources.push({ file, text, data: parsed.data });
      budget -= parsed.values;
    } else problems.push(parsed.problem);
  });
  if (problems.length > 0) throw new KbError(problems);
  if (lock) {
    const miscounted = lockCountProblems(lock, lockFile, countsOf(sources.map((s) => s.data)));
    if (miscounted.length > 0) throw new KbError(miscounted);
  }
  return { sources, files: digests, sealed: lock !== undefined };
}

/** Identifies a directory's content: each file's path in it and hash. */
function snapshotKey(files: readonly KbFileDigest[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.relPath).update('\0').update(f.sha256).update('\0');
  return hash.digest('hex');
}

/**
 * The shipped KB is parsed and validated at build time (scripts/snapshot-kb.mjs): YAML
 * parsing and validation would otherwise be most of a CLI run. Used only while the files
 * hash to what was snapshotted (the same hashes the lock is checked with).
 */
function snapshotFor(dir: string, files: readonly KbFileDigest[]): KbSnapshot | undefined {
  if (resolve(dir) !== resolve(defaultKbDir) || !existsSync(kbSnapshotFile)) return undefined;
  try {
    const snapshot = JSON.parse(readFileSync(kbSnapshotFile, 'utf8')) as KbSnapshot;
    return snapshot.key === snapshotKey(files) && snapshot.data.length === files.length ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

/** Parses and validates a KB directory and returns its snapshot (the build writes it to disk). */
export function snapshotKnowledgeBase(dir: string): KbSnapshot {
  const { sources, files } = readKbDirectory(dir);
  buildKnowledgeBase(sources);
  return { key: snapshotKey(files), data: sources.map((s) => s.data) };
}

/** Layers directories as packs, each over the ones before it. */
const packSources = (dirs: readonly KbDirectory[]): KbSource[] => dirs.flatMap((d, pack) => d.sources.map((source) => ({ ...source, pack })));

/**
 * Loads, validates and compiles the knowledge bases in the given directories. Each
 * directory is a pack layered over the ones before it (a company pack over the shipped one).
 */
export function loadKnowledgeBase(dirs: readonly string[], options: LoadOptions = {}): KnowledgeBase {
  const read = dirs.map((dir) => readKbDirectory(dir, options.requireLock ? 'require' : 'check'));
  const kb = buildKnowledgeBase(packSources(read), options);
  return { ...kb, meta: { ...kb.meta, unsealed: dirs.filter((_, i) => !read[i]?.sealed).map(displayPath) } };
}

/**
 * Validates a directory, layered over `baseDirs` (which must load as they are), and writes
 * its kb.lock.json. The lock is written to a temporary file and renamed: a reader sees the
 * old lock or the new one, never half of one.
 */
export function sealKnowledgeBase(dir: string, baseDirs: readonly string[] = []): { file: string; lock: KbLock } {
  const target = readKbDirectory(dir, 'ignore');
  buildKnowledgeBase(packSources([...baseDirs.map((base) => readKbDirectory(base)), target]));
  const lock = lockOf(target.files, countsOf(target.sources.map((s) => s.data)));
  const full = join(dir, LOCK_FILE);
  const temporary = `${full}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(lock, null, 2)}\n`);
  renameSync(temporary, full);
  return { file: displayPath(full), lock };
}

/** Keeps the most specific schema errors: those deepest in the document, one line per path. */
function schemaProblems(file: string, errors: readonly ErrorObject[]): KbProblem[] {
  const concrete = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const deepest = Math.max(...concrete.map(depth));
  const byPath = new Map<string, { expected: Set<string>; got: unknown }>();
  for (const e of concrete.filter((x) => depth(x) === deepest)) {
    const path = e.instancePath || '/';
    const entry = byPath.get(path) ?? { expected: new Set<string>(), got: e.data };
    entry.expected.add(expectedText(e));
    byPath.set(path, entry);
  }
  return [...byPath].slice(0, 5).map(([path, { expected, got }]) => ({
    file,
    path,
    message: `expected ${[...expected].join(' or ')}, got ${describeKbValue(got)}`,
  }));
}

function describeKbValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function factTypeAllows(spec: FactSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
    case 'number':
      return typeof value === 'number';
    case 'enum':
      return typeof value === 'string' && (spec.values ?? []).includes(value);
    case 'string':
      return typeof value === 'string';
  }
}

function describeFactType(spec: FactSpec): string {
  if (spec.type === 'enum') return `one of ${(spec.values ?? []).join(', ')}`;
  return spec.type === 'integer' ? 'an integer' : `a ${spec.type}`;
}

/** Checks one leaf against the vocabulary: known facts, operators and values that fit their types. */
function leafProblems(leaf: LeafCondition): string[] {
  const facts = vocabulary().facts;
  const spec = facts.get(leaf.fact);
  if (!spec) return [`unknown fact "${leaf.fact}"`];
  const problems: string[] = [];
  const value = leaf.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const other = facts.get(value.fact);
    if (!other) problems.push(`value names unknown fact "${value.fact}"`);
    else if ((spec.type === 'enum' ? 'string' : spec.type) !== (other.type === 'enum' ? 'string' : other.type) && !(isNumeric(spec) && isNumeric(other))) {
      problems.push(`compares ${spec.name} (${spec.type}) with ${other.name} (${other.type})`);
    }
    return problems;
  }
  const { kind } = OPERATORS[leaf.operator];
  if (kind === 'numeric') {
    if (!isNumeric(spec)) problems.push(`${leaf.operator} needs a numeric fact, ${spec.name} is ${describeFactType(spec)}`);
    else if (typeof value !== 'number') problems.push(`${leaf.operator} needs a number, got ${JSON.stringify(value)}`);
  } else if (kind === 'list') {
    if (!Array.isArray(value)) problems.push(`${leaf.operator} needs a list of values, got ${JSON.stringify(value)}`);
    else for (const v of value) if (!factTypeAllows(spec, v)) problems.push(`${JSON.stringify(v)} is not ${describeFactType(spec)} (${spec.name})`);
  } else if (kind === 'text') {
    if (spec.type !== 'string') problems.push(`${leaf.operator} needs a string fact, ${spec.name} is ${describeFactType(spec)}`);
  } else if (Array.isArray(value) || !factTypeAllows(spec, value)) {
    problems.push(`${JSON.stringify(value)} is not ${describeFactType(spec)} (${spec.name})`);
  }
  return problems;
}

function isNumeric(spec: FactSpec): boolean {
  return spec.type === 'number' || spec.type === 'integer';
}

function checkTemplate(text: string, file: string, path: string, problems: KbProblem[], trusted: ReadonlySet<string>): void {
  if (trusted.has(file)) return;
  const known = vocabulary().facts;
  try {
    for (const p of commandEnvironment().templatePaths(text, locate(file, path))) {
      if (!known.has(p)) problems.push({ file, path, message: `template reads unknown fact "${p}"` });
    }
  } catch (error) {
    if (error instanceof TemplateError) problems.push({ file, path, message: error.message.slice(`${locate(file, path)}: `.length) });
    else throw error;
  }
}

/**
 * Follows the references among named conditions, without recursion: reports each cycle (a
 * cycle would recurse forever), and a chain of references deeper than KB_LIMITS.references
 * (a chain tens of thousands long overflowed the stack of every walk that follows references:
 * compiling, each diagnosis). Depths are memoized, so this is linear.
 */
function referenceProblems(named: ReadonlyMap<string, Located<Condition>>): KbProblem[] {
  const problems: KbProblem[] = [];
  const directRefs = (entry: Located<Condition>) => [...new Set(directReferences(entry.value))].filter((ref) => named.has(ref));
  const visiting = new Set<string>();
  const depths = new Map<string, number>();
  for (const [root, rootEntry] of named) {
    if (depths.has(root)) continue;
    const path = [{ name: root, entry: rootEntry, refs: directRefs(rootEntry), next: 0 }];
    visiting.add(root);
    while (path.length > 0) {
      const top = path[path.length - 1] as (typeof path)[number];
      const ref = top.refs[top.next++];
      if (ref === undefined) {
        const depth = 1 + Math.max(0, ...top.refs.map((r) => depths.get(r) ?? 0));
        if (depth > KB_LIMITS.references) {
          return [...problems, { file: top.entry.file, path: top.entry.path, message: `expected named conditions to reference each other at most ${KB_LIMITS.references} deep, got deeper` }];
        }
        depths.set(top.name, depth);
        visiting.delete(top.name);
        path.pop();
        continue;
      }
      const entry = named.get(ref) as Located<Condition>;
      if (visiting.has(ref)) problems.push({ file: entry.file, path: entry.path, message: `condition reference cycle: ${[...path.map((p) => p.name), ref].join(' -> ')}` });
      else if (!depths.has(ref)) {
        visiting.add(ref);
        path.push({ name: ref, entry, refs: directRefs(entry), next: 0 });
      }
    }
  }
  return problems;
}

/**
 * Refuses conditions that grow past KB_LIMITS.values once their references are expanded, alone
 * or all rules and questions together (shipped: 970): a named condition naming the one before
 * it four times, ten levels deep, is a kilobyte that every walk of a rule (compiling, each
 * diagnosis) would expand a million-fold. Sizes of named conditions are memoized, so the check
 * itself is linear. Needs a KB without reference cycles or over-deep chains. Names only the first condition on
 * each chain that grows too big.
 */
/** Parts of a condition with its references expanded. */
const SIZE: ConditionFold<number> = {
  all: (children) => children.reduce((n, x) => n + x, 1),
  any: (children) => children.reduce((n, x) => n + x, 1),
  not: (child) => 1 + child,
  leaf: () => 1,
  reference: (_, target) => 1 + (target ?? 0),
};

function expansionProblems(named: ReadonlyMap<string, Located<Condition>>, others: ReadonlyArray<Located<Condition>>): KbProblem[] {
  const plain = new Map([...named].map(([name, entry]) => [name, entry.value]));
  const sizes = new Map<string, number>();
  const sizeOf = (c: Condition) => foldCondition(c, SIZE, plain, sizes);
  const namedSize = (name: string) => sizeOf({ condition: name }) - 1;
  const tooBig = (c: Condition) => sizeOf(c) > KB_LIMITS.values && !directReferences(c).some((ref) => namedSize(ref) > KB_LIMITS.values);
  const oversized = [...[...named.values()], ...others]
    .filter((c) => tooBig(c.value))
    .map((c) => ({ file: c.file, path: c.path, message: `expected a condition of at most ${KB_LIMITS.values} parts once its references are expanded, got more` }));
  if (oversized.length > 0) return oversized;
  // Diagnoses walk the rules' and questions' conditions: their total is bounded too.
  let total = 0;
  const overBudget = others.find((c) => (total += sizeOf(c.value)) > KB_LIMITS.values);
  return overBudget ? [{ file: overBudget.file, path: overBudget.path, message: `expected the rules and questions to total at most ${KB_LIMITS.values} condition parts once references are expanded, got more` }] : [];
}

/**
 * Validates parsed sources against the schema and each other, then compiles them.
 * Every problem is collected and reported together, each with file and path.
 */
export function buildKnowledgeBase(sources: readonly KbSource[], options: LoadOptions = {}): KnowledgeBase {
  const problems: KbProblem[] = [];
  const validate = validator('kb-file.schema.json');
  const trusted = new Set(sources.filter((s) => s.validated).map((s) => s.file));
  let meta: Located<KbMeta> | undefined;
  const hypotheses = new Map<string, Located<Hypothesis> & { pack: number }>();
  const rules = new Map<string, Located<Rule> & { pack: number }>();
  const named = new Map<string, Located<Condition> & { pack: number }>();
  const questions = new Map<string, Located<Question> & { pack: number }>();
  const changes: PackChange[] = [];
  const disables: Array<{ rule: string; reason: string; file: string; path: string }> = [];

  /** A new id is added; the same id again is an error unless a later pack overrides it. */
  const add = <T>(map: Map<string, Located<T> & { pack: number }>, id: string, entry: Located<T> & { pack: number }, kind: PackChange['entry'] | 'condition', override: boolean | undefined): void => {
    const previous = map.get(id);
    if (!previous) {
      if (override) problems.push({ file: entry.file, path: `${entry.path}/override`, message: `${kind} "${id}" overrides nothing: no earlier pack defines it` });
      map.set(id, entry);
    } else if (override && previous.pack < entry.pack && kind !== 'condition') {
      changes.push({ kind: 'override', entry: kind, id, file: entry.file, previous: locate(previous.file, previous.path), reason: 'override: true' });
      map.set(id, entry);
    } else {
      const hint = previous.pack < entry.pack && kind !== 'condition' ? '; set override: true to replace it' : '';
      problems.push({ file: entry.file, path: entry.path, message: `duplicate ${kind} "${id}" (first defined in ${locate(previous.file, previous.path)}${hint})` });
    }
  };

  for (const { file, data, validated, pack = 0 } of sources) {
    if (!validated && !validate(data)) {
      problems.push(...schemaProblems(file, validate.errors ?? []));
      continue;
    }
    const doc = data as KbFile;
    // kb.yaml is where a KB names itself: without the section (empty, or cut short) it would load as "unnamed 0.0.0".
    if (basename(file) === 'kb.yaml' && !doc.kb) problems.push({ file, path: '/kb', message: 'expected the kb section naming the knowledge base (kb: {name, version}), got none' });
    if (doc.kb && (!meta || pack === 0)) {
      if (meta) problems.push({ file, path: '/kb', message: `second kb section (first in ${meta.file})` });
      else meta = { value: doc.kb, file, path: '/kb' };
    }
    doc.hypotheses?.forEach((h, i) => add(hypotheses, h.id, { value: h, file, path: `/hypotheses/${i}`, pack }, 'hypothesis', h.override));
    doc.rules?.forEach((r, i) => add(rules, r.id, { value: r, file, path: `/rules/${i}`, pack }, 'rule', r.override));
    for (const [name, c] of Object.entries(doc.conditions ?? {})) add(named, name, { value: c, file, path: `/conditions/${name}`, pack }, 'condition', false);
    doc.questions?.forEach((q, i) => add(questions, q.fact, { value: q, file, path: `/questions/${i}`, pack }, 'question', q.override));
    doc.disable?.forEach((d, i) => disables.push({ ...d, file, path: `/disable/${i}` }));
  }
  for (const d of disables) {
    const target = rules.get(d.rule);
    if (!target) problems.push({ file: d.file, path: `${d.path}/rule`, message: `disables unknown rule "${d.rule}"` });
    else {
      rules.delete(d.rule);
      changes.push({ kind: 'disable', entry: 'rule', id: d.rule, file: d.file, previous: locate(target.file, target.path), reason: d.reason });
    }
  }
  if (options.minStatus) {
    const floor = STATUS_RANK[options.minStatus];
    for (const [id, r] of rules) {
      const status = r.value.status ?? 'stable';
      if (STATUS_RANK[status] < floor) {
        rules.delete(id);
        changes.push({ kind: 'filtered', entry: 'rule', id, file: r.file, previous: locate(r.file, r.path), reason: `status ${status} below --min-status ${options.minStatus}` });
      }
    }
  }
  if (problems.length > 0) throw new KbError(problems);

  const checkCondition = (condition: Condition, file: string, path: string): void =>
    foldCondition(
      condition,
      locatedFold<void>({
        leaf: (leaf, at) => leafProblems(leaf).forEach((message) => problems.push({ file, path: at, message })),
        reference: (ref, at) => {
          if (!named.has(ref)) problems.push({ file, path: `${at}/condition`, message: `unknown condition "${ref}"` });
        },
        combine: () => undefined,
      }),
    )(path);
  for (const [, c] of named) checkCondition(c.value, c.file, c.path);
  const references = referenceProblems(named);
  problems.push(...references);
  if (references.length === 0) {
    const ruleConditions = [...rules.values()].map((r) => ({ value: r.value.conditions, file: r.file, path: `${r.path}/conditions` }));
    const askIfs = [...questions.values()].flatMap((q) => (q.value.askIf ? [{ value: q.value.askIf, file: q.file, path: `${q.path}/askIf` }] : []));
    problems.push(...expansionProblems(named, [...ruleConditions, ...askIfs]));
  }
  for (const [, r] of rules) {
    checkCondition(r.value.conditions, r.file, `${r.path}/conditions`);
    r.value.evidence.forEach((e: Evidence, i) => {
      if (!hypotheses.has(e.hypothesis)) problems.push({ file: r.file, path: `${r.path}/evidence/${i}/hypothesis`, message: `unknown hypothesis "${e.hypothesis}"` });
    });
    if (r.value.status === 'deprecated' && !r.value.replacedBy) {
      problems.push({ file: r.file, path: `${r.path}/status`, message: 'a deprecated rule names its replacement: add replacedBy' });
    }
    if (r.value.replacedBy && !rules.has(r.value.replacedBy) && !changes.some((c) => c.id === r.value.replacedBy)) {
      problems.push({ file: r.file, path: `${r.path}/replacedBy`, message: `unknown rule "${r.value.replacedBy}"` });
    }
  }
  for (const [, h] of hypotheses) {
    h.value.checks.forEach((c, i) => checkTemplate(c.command, h.file, `${h.path}/checks/${i}/command`, problems, trusted));
  }
  for (const [fact, q] of questions) {
    if (!vocabulary().facts.has(fact)) problems.push({ file: q.file, path: `${q.path}/fact`, message: `unknown fact "${fact}"` });
    if (q.value.how) checkTemplate(q.value.how, q.file, `${q.path}/how`, problems, trusted);
    if (q.value.askIf) checkCondition(q.value.askIf, q.file, `${q.path}/askIf`);
  }
  if (problems.length > 0) throw new KbError(problems);

  const conditions = new Map([...named].map(([k, v]) => [k, v.value]));
  const compiled = [...rules.values()].map(({ value: rule, file, path }) => compileRule(rule, file, path, conditions));
  const byKey = new Map<string, CompiledRule[]>();
  const withoutKey: CompiledRule[] = [];
  for (const rule of compiled) {
    if (rule.keyFact === undefined) withoutKey.push(rule);
    else {
      const bucket = byKey.get(rule.keyFact);
      if (bucket) bucket.push(rule);
      else byKey.set(rule.keyFact, [rule]);
    }
  }
  const hash = createHash('sha256');
  for (const s of sources) hash.update(basename(s.file)).update('\0').update(s.text).update('\0');
  return {
    meta: {
      name: meta?.value.name ?? 'unnamed',
      version: meta?.value.version ?? '0.0.0',
      hash: `sha256:${hash.digest('hex')}`,
      sources: sources.map((s) => s.file),
      loadedAt: new Date().toISOString(),
      packs: new Set(sources.map((s) => s.pack ?? 0)).size,
      changes,
      unsealed: [],
    },
    hypotheses,
    rules: compiled,
    conditions,
    conditionLocations: new Map([...named].map(([k, v]) => [k, { file: v.file, path: v.path }])),
    engineConditions: new Map([...conditions].map(([k, v]) => [k, compiledCondition(v, conditions).engine])),
    questions,
    rulesByKeyFact: byKey,
    rulesWithoutKey: withoutKey,
  };
}

function compileRule(rule: Rule, file: string, path: string, named: ReadonlyMap<string, Condition>): CompiledRule {
  const compiled = compiledCondition(rule.conditions, named);
  return {
    id: rule.id,
    rule,
    file,
    path,
    facts: [...compiled.facts].sort(),
    keyFact: [...compiled.required].sort()[0],
    references: [...compiled.references],
    engineConditions: compiled.engine,
  };
}
