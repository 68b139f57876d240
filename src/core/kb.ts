import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { load as parseYaml, YAMLException } from 'js-yaml';
import { countValues, duplicateKeyProblem } from './yaml.js';
import { fileLocator, type TextPosition } from './yaml-lines.js';
import type { KbLock } from '../generated/kb-lock.js';
import type { LoadedKb, PackChange } from '../generated/kb-validate.js';
import type { KbCounts } from '../generated/kb-info.js';
import type { Check, Command, Condition, Hypothesis, KbFile, KbMeta, Model, Question, Rule } from '../generated/kb-file.js';
import { compiledCondition, questionConditions, type EngineCondition } from './conditions.js';
import type { LoadCheck, MergedKb, Place, Report } from './checks/check.js';
import { addEntry, applyDisables, entryIds, extendHypothesis } from './checks/load/entry-ids.js';
import { kbSection, mergeKbSection } from './checks/load/kb-section.js';
import { mergeModelSection, modelSection } from './checks/load/model-section.js';
import { namedCommand, runCommands } from './checks/load/named-command.js';
import { schemaProblems } from './checks/load/schema.js';
import { LOAD_CHECKS } from './checks/registry.js';
import { KbError, locate, type KbProblem } from './errors.js';
import { shellQuote } from './shell.js';
import { byName, writeFileAtomic } from './files.js';
import { decodeUtf8 } from './utf8.js';
import type { Located, Packed } from './kb-place.js';
import { jsonProblem, stripByteOrderMark } from './json.js';
import { countsOf, LOCK_FILE, lockCountProblems, lockFileProblems, lockOf, sha256Of, type KbFileDigest } from './kb-lock.js';
import { KB_LIMITS } from './kb-limits.js';
import { validator } from './schemas.js';
import { layerVocabulary, type FactDeclarationSource, type Vocabulary } from './vocabulary.js';
import { factDeclarations } from './checks/load/fact-declarations.js';

/** One parsed file of a knowledge base, before validation. */
export interface KbSource {
  /** Path shown in messages (relative to the working directory when possible). */
  file: string;
  text: string;
  /** The file's bytes, when it was read from disk (its text is then decoded from them only when asked for). */
  bytes?: Buffer;
  data: unknown;
  /**
   * Already schema- and template-checked: it came from the build-time snapshot the caller
   * trusted (ReadOptions.trustedSnapshot), of the same text. Cross-references and the
   * vocabulary are checked all the same.
   */
  validated?: boolean;
  /** Which --kb directory (pack) it came from: later packs may override or disable earlier ones. */
  pack?: number;
}

export type RuleStatus = NonNullable<Rule['status']>;
/** Maturity order for --min-status: deprecated < experimental < stable. */
export const STATUS_RANK: Record<RuleStatus, number> = { deprecated: 0, experimental: 1, stable: 2 };

/** What only the caller knows when a directory is read: the core asks the process for neither. */
export interface ReadOptions {
  /**
   * Paths in messages are shown relative to this directory when they lie inside it (the
   * CLI's working directory); otherwise, and without it, as given.
   */
  cwd?: string;
  /**
   * A build-time snapshot file (scripts/snapshot-kb.mjs writes dist/kb-snapshot.json) the
   * caller trusts: a directory whose files hash to its key takes its parsed data, skipping
   * YAML parsing and the schema and template checks its build already ran. Without it,
   * every file is parsed and validated.
   */
  trustedSnapshot?: string;
}

export interface LoadOptions extends ReadOptions {
  /** Load only rules at least this mature (default: all). */
  minStatus?: RuleStatus;
  /** Refuse a directory without kb.lock.json (rca serve: only a sealed KB is served). */
  requireLock?: boolean;
}

/** What a later pack did to an earlier one, shown by `rca kb validate` (kb-validate.schema.json's PackChange). */
export type { PackChange };

/** A build-time copy of a KB directory, parsed and validated, keyed by the hash of its files. */
export interface KbSnapshot {
  key: string;
  data: unknown[];
}

export interface CompiledRule {
  id: string;
  rule: Rule;
  file: string;
  path: string;
  pack: number;
  /** Every fact the rule reads, through references too. */
  facts: readonly string[];
  /** A fact that must be known for the rule to fire; undefined when none is required. */
  keyFact: string | undefined;
  /** Named conditions the rule uses, transitively. */
  references: readonly string[];
  /** The condition as handed to json-rules-engine (with absence guards). */
  engineConditions: EngineCondition;
}

/**
 * A named condition as json-rules-engine takes it: its root must be all, any, not or a
 * reference, so a named leaf (`lossy: {fact: ping.result, operator: equal, value: fail}`, valid
 * in kb-file.schema.json) is handed over as the `all` of itself, which means the same. Handed over
 * as it was, every diagnosis failed with an internal error.
 */
function engineRoot(condition: EngineCondition): EngineCondition {
  return 'all' in condition || 'any' in condition || 'not' in condition || 'condition' in condition ? condition : ({ all: [condition] } as unknown as Condition);
}

/** A check as loaded: its command line as written, or the `how` of the named command it runs. */
export type LoadedCheck = Check & { command: string };
/** A hypothesis as loaded: each check with its command line (the named-command check refuses one without). */
export type LoadedHypothesis = Omit<Hypothesis, 'checks'> & { checks: LoadedCheck[] };

export interface KnowledgeBase {
  /** What `rca kb validate -f json` prints as `kb` (kb-validate.schema.json's LoadedKb). */
  meta: LoadedKb;

  hypotheses: ReadonlyMap<string, Packed<LoadedHypothesis>>;
  rules: readonly CompiledRule[];
  conditions: ReadonlyMap<string, Condition>;
  conditionLocations: ReadonlyMap<string, { file: string; path: string }>;
  engineConditions: ReadonlyMap<string, EngineCondition>;
  /** Each as asked: a question that runs a named command holds that command's how, paste and carries. */
  questions: ReadonlyMap<string, Located<Question>>;
  /** The named commands questions run (`run: NAME`), where each is defined. */
  commands: ReadonlyMap<string, Located<Command>>;
  /** The differential's section (src/core/differential.ts), merged over packs; undefined when no file has one. */
  model: Model | undefined;
  /** The facts this KB reads and takes as input: the shipped schema's and those its files declare. */
  vocabulary: Vocabulary;
  /** Rules by the fact they need most; a diagnosis only visits buckets of known facts. */
  rulesByKeyFact: ReadonlyMap<string, readonly CompiledRule[]>;
  rulesWithoutKey: readonly CompiledRule[];
}

const KB_EXTENSIONS = /\.(ya?ml|json)$/i;

export { KB_LIMITS };

/** kb.lock.json lists every file of a directory: it stays small. */
const MAX_LOCK_BYTES = 1024 * 1024;

/**
 * What a directory without kb.lock.json gets: 'check' loads it (a lock that is there must
 * match), 'require' refuses it (rca serve), 'ignore' skips the lock (rca kb seal rewrites it).
 */
export type LockPolicy = 'check' | 'require' | 'ignore';

/** One KB directory as read: its parsed files, their hashes, and whether a lock vouched for them. */
export interface KbDirectory {
  sources: Array<KbSource & { bytes: Buffer }>;
  files: KbFileDigest[];
  sealed: boolean;
  /** The hash of its kb.lock.json, when it has one and it was read. */
  lock?: string;
}

/**
 * The rule files below a KB directory, depth first, each directory's entries in byName order
 * (rules/dns/… before rules/kb.yaml, the same on every machine); entries starting with a dot
 * (.git, editor files) are skipped. Both counts are bounded, so a hostile tree is refused early.
 */
function listFiles(dir: string, show: ShowPath, top = dir, out: string[] = [], directories = { count: 0 }): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (++directories.count > KB_LIMITS.directories) throw new KbError([{ file: show(top), path: '', message: `expected at most ${KB_LIMITS.directories} subdirectories in a knowledge-base directory, got more` }]);
      listFiles(full, show, top, out, directories);
    } else if (entry.isFile() && KB_EXTENSIONS.test(entry.name) && !(dir === top && entry.name === LOCK_FILE)) {
      out.push(full);
      if (out.length > KB_LIMITS.files) throw new KbError([{ file: show(top), path: '', message: `expected at most ${KB_LIMITS.files} rule files in a knowledge-base directory, got more` }]);
    }
  }
  return out;
}

/** Shows a path in messages (see ReadOptions.cwd). */
type ShowPath = (path: string) => string;

export function pathShower(cwd: string | undefined): ShowPath {
  if (cwd === undefined) return (file) => file;
  return (file) => {
    const rel = relative(cwd, file);
    return rel && !rel.startsWith('..') ? rel : file;
  };
}

/**
 * Reads a whole file of at most `limit` bytes; for a larger one, reads no more than limit + 1
 * and returns only its size. The buffer starts at the size the file says it has, plus the byte
 * that shows it grew, and doubles while it keeps growing (a pipe, /proc): a buffer of the
 * limit for every file was 66 MB allocated to read the shipped KB's 700 KB.
 */
function readAtMost(full: string, limit: number): { bytes?: Buffer; size: number } {
  // O_NOFOLLOW: a link put in place after the caller's lstat is refused, not followed.
  const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    let buffer = Buffer.allocUnsafe(Math.min(fstatSync(fd).size, limit) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= limit; length += n) {
      if (length === buffer.length) buffer = Buffer.concat([buffer], Math.min(2 * buffer.length, limit + 1));
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
    return length > limit ? { size: Math.max(length, fstatSync(fd).size) } : { bytes: buffer.subarray(0, length), size: length };
  } finally {
    closeSync(fd);
  }
}

/** Reads a directory's rule files within the limits, with the hash of each. */
function readRuleFiles(dir: string, show: ShowPath): Array<KbFileDigest & { full: string; bytes: Buffer }> {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new KbError([{ file: show(dir), path: '', message: 'knowledge-base directory not found' }]);
  }
  if (!stat.isDirectory()) throw new KbError([{ file: show(dir), path: '', message: 'expected a directory of rule files, got a file' }]);
  const files = listFiles(dir, show);
  if (files.length === 0) throw new KbError([{ file: show(dir), path: '', message: 'expected .yaml, .yml or .json rule files, found none' }]);
  const problems: KbProblem[] = [];
  const read: Array<KbFileDigest & { full: string; bytes: Buffer }> = [];
  let total = 0;
  for (const full of files) {
    const file = show(full);
    const { bytes, size } = readAtMost(full, KB_LIMITS.fileBytes);
    total += size;
    if (total > KB_LIMITS.dirBytes) throw new KbError([{ file: show(dir), path: '', message: `expected at most ${KB_LIMITS.dirBytes} bytes of rule files in a knowledge-base directory, got more` }]);
    if (!bytes) problems.push({ file, path: '', message: `expected at most ${KB_LIMITS.fileBytes} bytes, got ${size}` });
    else read.push({ full, file, relPath: relative(dir, full).split(sep).join('/'), bytes, sha256: sha256Of(bytes) });
  }
  if (problems.length > 0) throw new KbError(problems);
  return read;
}

/** A directory's kb.lock.json as read: where it is shown, its bytes and their hash. */
interface LockRead {
  file: string;
  bytes: Buffer;
  sha256: string;
}

/**
 * Whether a directory's kb.lock.json path holds a file. Anything but a regular file is refused:
 * a pack's lock that is a link would be read from (or sealed onto) a file outside it, and a FIFO
 * would block every load.
 */
function lockExists(full: string, show: ShowPath): boolean {
  let stat: Stats;
  try {
    stat = lstatSync(full);
  } catch {
    return false;
  }
  if (!stat.isFile()) throw new KbError([{ file: show(full), path: '', message: `expected a regular file, got ${stat.isSymbolicLink() ? 'a symbolic link' : stat.isDirectory() ? 'a directory' : 'a special file (a FIFO, socket or device)'}` }]);
  return true;
}

/** The directory's kb.lock.json, read but not yet parsed, or undefined when it has none. */
function readLockFile(dir: string, show: ShowPath): LockRead | undefined {
  const full = join(dir, LOCK_FILE);
  if (!lockExists(full, show)) return undefined;
  const file = show(full);
  const { bytes, size } = readAtMost(full, MAX_LOCK_BYTES);
  if (!bytes) throw new KbError([{ file, path: '', message: `expected at most ${MAX_LOCK_BYTES} bytes, got ${size}` }]);
  return { file, bytes, sha256: sha256Of(bytes) };
}

function parseLock({ file, bytes }: LockRead, reseal: string): KbLock {
  // At its line and column, as a rule file's: JSON.parse's message quotes the text, line feeds and all.
  const text = bytes.toString('utf8');
  const problem = jsonProblem(text);
  if (problem) throw new KbError([{ file, path: '', line: problem.line, column: problem.column, message: `does not parse: expected ${problem.expected}, got ${problem.got} (rewrite it with \`${reseal}\`)` }]);
  const lock: unknown = JSON.parse(stripByteOrderMark(text));
  const validate = validator('kb-lock.schema.json');
  if (!validate(lock)) throw new KbError(schemaProblems(file, validate.errors ?? []));
  return lock as KbLock;
}

/**
 * A rule file that does not parse, at the line and column js-yaml names (file:line:column, as
 * every other load error), saying what a limit refused or what the parser read there.
 */
function parseProblem(file: string, text: string, error: unknown): KbProblem {
  if (!(error instanceof YAMLException)) return { file, path: '', message: `does not parse: ${(error as Error).message.split('\n')[0]}` };
  const at = error.mark ? { line: error.mark.line + 1, column: error.mark.column + 1 } : {};
  // A key given twice is said as in a facts document: which key, expected once.
  const duplicate = duplicateKeyProblem(error, text);
  if (duplicate) return { file, path: '', ...at, message: `expected ${duplicate.expected}, got ${duplicate.got}` };
  if (error.reason.startsWith('aliases exceeded maxAliases')) return { file, path: '', ...at, message: `expected at most ${KB_LIMITS.aliases} YAML aliases (*name) in a file, got more` };
  if (error.reason.startsWith('nesting exceeded maxDepth')) return { file, path: '', ...at, message: `expected values nested at most ${KB_LIMITS.depth} deep, got deeper` };
  return { file, path: '', ...at, message: `does not parse: ${error.reason}` };
}

/** Counts a parsed rule file's values within the directory's budget, aliases expanded (see countValues), or says which limit it passed. */
function countKbValues(root: unknown, budget: number): number | string {
  const counted = countValues(root, budget, KB_LIMITS.depth);
  if (counted === 'depth') return `expected values nested at most ${KB_LIMITS.depth} deep, got deeper`;
  if (counted === 'values') return `expected at most ${KB_LIMITS.values} values in a knowledge-base directory once YAML aliases are expanded, got more`;
  return counted;
}

/**
 * Parses a rule file: YAML, or JSON when its name ends in .json. A JSON file is held to JSON (RFC
 * 8259: no trailing comma, no comment, a key at most once, read by the one scanner the facts
 * documents use), so a file other JSON tools read is the file rca read; its problem is at its
 * line and column, as a YAML file's is, and yaml-lines places its entries alike.
 */
function parseRuleFile(file: string, text: string, json: boolean, budget: number): { data: unknown; values: number } | { problem: KbProblem } {
  let data: unknown;
  if (json) {
    // Its depth is checked in the same pass, so a file nested too deep is refused at the line and column where it goes too deep, as a YAML one is.
    const problem = jsonProblem(text, KB_LIMITS.depth);
    if (problem) return { problem: { file, path: '', line: problem.line, column: problem.column, message: `${problem.tooDeep ? '' : 'does not parse: '}expected ${problem.expected}, got ${problem.got}` } };
  }
  try {
    data = json ? (JSON.parse(stripByteOrderMark(text)) as unknown) : parseYaml(text, { filename: file, maxAliases: KB_LIMITS.aliases, maxDepth: KB_LIMITS.depth });
  } catch (error) {
    return { problem: parseProblem(file, text, error) };
  }
  const values = countKbValues(data, budget);
  return typeof values === 'string' ? { problem: { file, path: '', message: values } } : { data, values };
}

/**
 * Reads and parses every rule file under a directory (YAML or JSON), in name order, within
 * KB_LIMITS. A kb.lock.json there must match before anything is parsed, and what the parsed
 * files hold must match its counts.
 */
export function readKbDirectory(dir: string, policy: LockPolicy = 'check', options: ReadOptions = {}, baseDirs: readonly string[] = []): KbDirectory {
  const show = pathShower(options.cwd);
  const files = readRuleFiles(dir, show);
  const lockRead = policy === 'ignore' ? undefined : readLockFile(dir, show);
  const reseal = sealCommand(dir, baseDirs, options.cwd);
  if (!lockRead && policy === 'require') {
    throw new KbError([{ file: show(dir), path: '', message: `expected a sealed knowledge base (${LOCK_FILE}), got none: validate it and run \`${reseal}\`` }]);
  }
  const digests = files.map(({ relPath, file, sha256 }) => ({ relPath, file, sha256 }));
  const snapshot = options.trustedSnapshot === undefined ? undefined : snapshotIn(options.trustedSnapshot, digests, lockRead?.sha256);
  // A snapshot is keyed by the lock too: the build that wrote it checked this very lock against
  // these files and what they hold, so only a lock without one is parsed and checked here.
  const lock = lockRead && !snapshot ? parseLock(lockRead, reseal) : undefined;
  const lockFile = show(join(dir, LOCK_FILE));
  if (lock) {
    const changed = lockFileProblems(lock, lockFile, files, reseal);
    if (changed.length > 0) throw new KbError(changed);
  }
  const sources: KbDirectory['sources'] = [];
  const problems: KbProblem[] = [];
  let budget: number = KB_LIMITS.values;
  files.forEach(({ full, file, bytes }, i) => {
    if (snapshot) return sources.push(fileSource({ file, bytes, data: snapshot.data[i], validated: true }));
    // Refused, as a facts document is, rather than read with U+FFFD in its texts.
    const decoded = decodeUtf8(bytes);
    if ('invalid' in decoded) return problems.push({ file, path: '', message: `expected UTF-8 text, got ${decoded.invalid}` });
    const parsed = parseRuleFile(file, decoded.text, full.toLowerCase().endsWith('.json'), budget);
    if ('data' in parsed) {
      sources.push(fileSource({ file, bytes, data: parsed.data }));
      budget -= parsed.values;
    } else problems.push(parsed.problem);
  });
  if (problems.length > 0) throw new KbError(problems);
  if (lock) {
    const miscounted = lockCountProblems(lock, lockFile, countsOf(sources.map((s) => s.data)));
    if (miscounted.length > 0) throw new KbError(miscounted);
  }
  return { sources, files: digests, sealed: lockRead !== undefined, ...(lockRead && { lock: lockRead.sha256 }) };
}

/**
 * A rule file read from disk, its text decoded from its bytes when first asked for: a file
 * the snapshot holds is never parsed, and the KB's hash reads its bytes (kbHash), so a CLI
 * run decodes none of the shipped KB's 700 KB.
 */
function fileSource(fields: Omit<KbSource, 'text'> & { bytes: Buffer }): KbSource & { bytes: Buffer } {
  let text: string | undefined;
  return Object.defineProperty({ ...fields, text: '' }, 'text', { enumerable: true, get: () => (text ??= fields.bytes.toString('utf8')) });
}

/** Identifies a directory's content: each file's path in it and hash, and its lock's hash (none without one). */
function snapshotKey(files: readonly KbFileDigest[], lock: string | undefined): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.relPath).update('\0').update(f.sha256).update('\0');
  hash.update(LOCK_FILE).update('\0').update(lock ?? 'none');
  return hash.digest('hex');
}

/**
 * The shipped KB is parsed and validated at build time (scripts/snapshot-kb.mjs): YAML
 * parsing and validation would otherwise be most of a CLI run. The snapshot in `file` is
 * used only while the files and kb.lock.json hash to what was snapshotted (the files by the
 * same hashes the lock is checked with), and only when the caller handed it over
 * (ReadOptions.trustedSnapshot).
 */
function snapshotIn(file: string, files: readonly KbFileDigest[], lock: string | undefined): KbSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  try {
    // Written in ASCII (snapshotJson): read as latin1 into a one-byte string, which parses in half the time.
    const bytes = readFileSync(file);
    const snapshot = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')) as KbSnapshot;
    return snapshot.key === snapshotKey(files, lock) && snapshot.data.length === files.length ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A snapshot as its file holds it: JSON in ASCII only, every other character escaped (\\uXXXX,
 * which JSON.parse reads back as it was), so that snapshotIn parses a one-byte string.
 */
export function snapshotJson(snapshot: KbSnapshot): string {
  return JSON.stringify(snapshot).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Parses and validates a KB directory and returns its snapshot (the build writes it to disk, as snapshotJson). */
export function snapshotKnowledgeBase(dir: string): KbSnapshot {
  const { sources, files, lock } = readKbDirectory(dir);
  buildKnowledgeBase(sources);
  return { key: snapshotKey(files, lock), data: sources.map((s) => s.data) };
}

/**
 * Layers directories as packs, each over the ones before it. Each source is copied by its
 * property descriptors, so its lazy `text` stays a getter (with what it already decoded) and
 * every field comes along, and then given its pack.
 */
const packSources = (dirs: readonly KbDirectory[]): KbSource[] =>
  dirs.flatMap((d, pack) => d.sources.map((source) => Object.assign(Object.defineProperties({}, Object.getOwnPropertyDescriptors(source)) as KbSource, { pack })));

/**
 * The command that seals DIR, loaded over BASEDIRS: a pack may override or disable what they
 * define, so it validates, and is sealed, only over them (`rca kb seal DIR --kb BASE...`).
 * Each path is shown as messages show it (relative to CWD), as one shell word; one starting
 * with "-" gets "./", or rca would read it as an option.
 */
export function sealCommand(dir: string, baseDirs: readonly string[], cwd: string | undefined): string {
  const show = pathShower(cwd);
  const word = (path: string) => shellQuote(show(path).startsWith('-') ? `./${show(path)}` : show(path));
  return ['rca kb seal', word(dir), ...baseDirs.map((base) => `--kb ${word(base)}`)].join(' ');
}

/** How many entries the knowledge base holds (kb-info.schema.json's KbCounts): GET /v1/kb and `rca kb validate -f json` say them. */
export function kbCounts(kb: KnowledgeBase): KbCounts {
  return { hypotheses: kb.hypotheses.size, rules: kb.rules.length, questions: kb.questions.size, conditions: kb.conditions.size, commands: kb.commands.size };
}

/**
 * Loads, validates and compiles the knowledge bases in the given directories. Each
 * directory is a pack layered over the ones before it (a company pack over the shipped one).
 */
export function loadKnowledgeBase(dirs: readonly string[], options: LoadOptions = {}): KnowledgeBase {
  const read = dirs.map((dir, i) => readKbDirectory(dir, options.requireLock ? 'require' : 'check', options, dirs.slice(0, i)));
  const kb = buildKnowledgeBase(packSources(read), options);
  return { ...kb, meta: { ...kb.meta, unsealed: dirs.filter((_, i) => !read[i]?.sealed).map(pathShower(options.cwd)) } };
}

/**
 * Validates a directory, layered over `baseDirs` (which must load as they are), and writes
 * its kb.lock.json. The lock is written to a temporary file and renamed: a reader sees the
 * old lock or the new one, never half of one.
 */
export function sealKnowledgeBase(dir: string, baseDirs: readonly string[] = [], options: ReadOptions = {}): { file: string; lock: KbLock } {
  const target = readKbDirectory(dir, 'ignore', { cwd: options.cwd });
  buildKnowledgeBase(packSources([...baseDirs.map((base, i) => readKbDirectory(base, 'check', options, baseDirs.slice(0, i))), target]));
  const lock = lockOf(target.files, countsOf(target.sources.map((s) => s.data)));
  const full = join(dir, LOCK_FILE);
  const show = pathShower(options.cwd);
  lockExists(full, show);
  // A link the pack ships under a temporary's name must not turn the seal into a write outside it.
  writeFileAtomic(full, `${JSON.stringify(lock, null, 2)}\n`);
  return { file: show(full), lock };
}

/**
 * Runs the load checks' visitors over the merged entries, like ESLint over a tree: the named
 * conditions, then the whole KB, then each rule (its conditions, then the rule), hypothesis
 * and question (then its askIf), each entry by every check in registry order.
 */
function runLoadChecks(kb: MergedKb, reportOf: (check: LoadCheck) => Report): void {
  const each = (visit: (check: LoadCheck, report: Report) => void) => LOAD_CHECKS.forEach((check) => visit(check, reportOf(check)));
  for (const c of kb.named.values()) each((check, report) => check.condition?.(c.value, c.file, c.path, kb, report));
  each((check, report) => check.knowledgeBase?.(kb, report));
  for (const r of kb.rules.values()) {
    each((check, report) => check.condition?.(r.value.conditions, r.file, `${r.path}/conditions`, kb, report));
    each((check, report) => check.rule?.(r, kb, report));
  }
  for (const h of kb.hypotheses.values()) each((check, report) => check.hypothesis?.(h, kb, report));
  for (const q of kb.questions.values()) {
    each((check, report) => check.question?.(q, kb, report));
    for (const { key, condition } of questionConditions(q.value)) each((check, report) => check.condition?.(condition, q.file, `${q.path}/${key}`, kb, report));
  }
}

/**
 * What the KB's hash reads of a source: its text, as UTF-8. That is the file's bytes when they
 * are valid UTF-8 (a BOM included: decoding keeps it), which spares decoding them; other bytes
 * decode with replacement characters, so those are hashed as decoded.
 */
const hashedContent = (source: KbSource): Uint8Array | string => (source.bytes && isUtf8(source.bytes) ? source.bytes : source.text);

/**
 * Places a pointer in the sources: at the line and column it starts at in a YAML or JSON source, for an
 * editor to jump to. The sources are read only when a place is asked for (there is a problem).
 */
function sourcePlace(sources: readonly KbSource[]): Place {
  let locate: ((file: string, pointer: string) => TextPosition | undefined) | undefined;
  return (file, path) => {
    if (!path) return { file, path };
    if (!locate) {
      const texts = new Map(sources.map((s) => [s.file, s]));
      locate = fileLocator((name) => texts.get(name)?.text);
    }
    return { file, path, ...locate(file, path) };
  };
}

/**
 * Validates parsed sources against the schema and each other, then compiles them.
 * Every problem is collected and reported together, each with file and path.
 */
export function buildKnowledgeBase(sources: readonly KbSource[], options: LoadOptions = {}): KnowledgeBase {
  const problems: KbProblem[] = [];
  const reporters = new Map(
    LOAD_CHECKS.map((check): [LoadCheck, Report] => [check, (file, path, message, firstDefined) => problems.push({ file, path, message, check: check.meta.id, ...(firstDefined && { firstDefined }) })]),
  );
  const reportOf = (check: LoadCheck) => reporters.get(check) as Report;
  const place = sourcePlace(sources);
  const fatal = () => {
    if (problems.length > 0) throw new KbError(problems.map((p) => ({ ...p, ...place(p.file, p.path) })));
  };
  const report = {
    kbSection: reportOf(kbSection),
    entryIds: reportOf(entryIds),
    factDeclarations: reportOf(factDeclarations),
    modelSection: reportOf(modelSection),
    namedCommand: reportOf(namedCommand),
  };
  const kbSections = new Map<number, Located<KbMeta>>();
  let model: Packed<Model> | undefined;
  const hypotheses = new Map<string, Packed<Hypothesis>>();
  const rules = new Map<string, Packed<Rule>>();
  const named = new Map<string, Packed<Condition>>();
  const questions = new Map<string, Packed<Question>>();
  const commands = new Map<string, Packed<Command>>();
  const changes: PackChange[] = [];
  const disables: Array<{ rule: string; reason: string; file: string; path: string }> = [];
  const declarations: FactDeclarationSource[] = [];

  for (const source of sources) {
    // The file checks in registry order (the schema before anything reads a field); a file with a finding is not merged.
    const before = problems.length;
    for (const check of LOAD_CHECKS) if (problems.length === before) check.file?.(source, reportOf(check));
    if (problems.length > before) continue;
    const { file, pack = 0 } = source;
    const doc = source.data as KbFile;
    mergeKbSection(kbSections, source, report.kbSection);
    doc.hypotheses?.forEach((h, i) => addEntry(hypotheses, h.id, { value: h, file, path: `/hypotheses/${i}`, pack }, 'hypothesis', h.override, changes, report.entryIds, place));
    doc.extend?.forEach((e, i) => extendHypothesis(hypotheses, { value: e, file, path: `/extend/${i}`, pack }, changes, report.entryIds, place));
    doc.rules?.forEach((r, i) => addEntry(rules, r.id, { value: r, file, path: `/rules/${i}`, pack }, 'rule', r.override, changes, report.entryIds, place));
    for (const [name, c] of Object.entries(doc.conditions ?? {})) addEntry(named, name, { value: c, file, path: `/conditions/${name}`, pack }, 'condition', false, changes, report.entryIds, place);
    doc.questions?.forEach((q, i) => addEntry(questions, q.fact, { value: q, file, path: `/questions/${i}`, pack }, 'question', q.override, changes, report.entryIds, place));
    for (const [name, c] of Object.entries(doc.commands ?? {})) addEntry(commands, name, { value: c, file, path: `/commands/${name}`, pack }, 'command', false, changes, report.entryIds, place);
    doc.disable?.forEach((d, i) => disables.push({ ...d, file, path: `/disable/${i}` }));
    const earlierModel = model;
    model = mergeModelSection(model, source, report.modelSection);
    // A pack's model overrides every diagnosis (a prior of "no known cause" near 1 makes it the
    // answer to everything): listed like an overridden hypothesis, field by field.
    if (earlierModel && model && model !== earlierModel && doc.model) {
      const fields = Object.keys(doc.model).filter((field) => field !== 'override');
      changes.push({ kind: 'override', entry: 'model', id: fields.join(', '), file, previous: locate(earlierModel.file, earlierModel.path), reason: 'override: true' });
    }
    for (const [name, declaration] of Object.entries(doc.facts ?? {})) declarations.push({ name, declaration, file, path: `/facts/${name}` });
  }
  const vocabulary = layerVocabulary(declarations, report.factDeclarations);
  // Before the checks: they see each question with the command it runs.
  runCommands(questions, hypotheses, commands, report.namedCommand);
  applyDisables(rules, disables, changes, report.entryIds);
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
  fatal();
  // Every file from one build-time snapshot, as one pack and unfiltered: the very KB the build
  // loaded, with these checks, when it wrote the snapshot (snapshotKnowledgeBase). Running them
  // again was a tenth of a CLI run.
  const checkedAtBuild = !options.minStatus && sources.length > 0 && sources.every((s) => s.validated && (s.pack ?? 0) === 0);
  if (!checkedAtBuild) {
    runLoadChecks(
      {
        hypotheses,
        rules,
        named,
        questions,
        commands,
        model,
        removedRules: new Set(changes.filter((c) => c.kind === 'disable' || c.kind === 'filtered').map((c) => c.id)),
        trusted: new Set(sources.filter((s) => s.validated).map((s) => s.file)),
        vocabulary,
      },
      reportOf,
    );
  }
  fatal();

  const conditions = new Map([...named].map(([k, v]) => [k, v.value]));
  const compiled = [...rules.values()].map(({ value: rule, file, path, pack }) => compileRule(rule, file, path, pack, conditions));
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
  for (const s of sources) hash.update(basename(s.file)).update('\0').update(hashedContent(s)).update('\0');
  const meta = kbSections.get(0);
  return {
    meta: {
      name: meta?.value.name ?? 'unnamed',
      version: meta?.value.version ?? '0.0.0',
      layers: [...kbSections].filter(([pack]) => pack > 0).sort(([a], [b]) => a - b).map(([, section]) => ({ name: section.value.name, version: section.value.version })),
      hash: `sha256:${hash.digest('hex')}`,
      sources: sources.map((s) => s.file),
      packs: new Set(sources.map((s) => s.pack ?? 0)).size,
      changes,
      unsealed: [],
    },
    // Loaded: every check has its command line (runCommands, and fatal() above on any without).
    hypotheses: hypotheses as Map<string, Packed<LoadedHypothesis>>,
    rules: compiled,
    conditions,
    conditionLocations: new Map([...named].map(([k, v]) => [k, { file: v.file, path: v.path }])),
    engineConditions: new Map([...conditions].map(([k, v]) => [k, engineRoot(compiledCondition(v, conditions).engine)])),
    questions,
    commands,
    model: model && (({ override: _, ...fields }) => fields)(model.value),
    vocabulary,
    rulesByKeyFact: byKey,
    rulesWithoutKey: withoutKey,
  };
}

function compileRule(rule: Rule, file: string, path: string, pack: number, named: ReadonlyMap<string, Condition>): CompiledRule {
  const compiled = compiledCondition(rule.conditions, named);
  return {
    id: rule.id,
    rule,
    file,
    path,
    pack,
    facts: [...compiled.facts].sort(),
    keyFact: [...compiled.required].sort()[0],
    references: [...compiled.references],
    engineConditions: compiled.engine,
  };
}
