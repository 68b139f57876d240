import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT, InputError, KbError, locate, locatePosition, shownKbProblem, UsageError } from '../../core/errors.js';
import { kbCounts, pathShower, sealCommand, sealKnowledgeBase, type KnowledgeBase } from '../../core/kb.js';
import { LOCK_FILE } from '../../core/kb-lock.js';
import { DEFAULT_MIN_ANSWER_RATE, DEFAULT_MIN_CHALLENGE_RATE, DEFAULT_MIN_WORTH } from '../../core/interview.js';
import { defaultKbDir, packageRoot } from '../../core/paths.js';
import { scenarioName, type Scenario } from '../../core/scenarios.js';
import { DIFF_SECTIONS, diffKnowledgeBases, isEmptyDiff, type FieldChanges, type KbDiff, type SectionDiff } from '../../kbtools/diff.js';
import { evaluateCorpus, formatEval, pct, rankedWithin, type EvalEvidence, type EvalPart } from '../../kbtools/eval.js';
import { loadIncidents } from '../../kbtools/incidents.js';
import { incidentFirings, proposeCfChanges, SUGGEST_MIN_FIRED, suggestionPack } from '../../kbtools/suggest.js';
import { DEFAULT_REPLAY_QUESTIONS, evaluateInterviews, formatInterviewEval, interviewTranscript, type InterviewEvalPart } from '../../kbtools/interview-eval.js';
import { lintKnowledgeBase, type LintResult } from '../../kbtools/lint.js';
import { CHECKS } from '../../core/checks/registry.js';
import { atLocation, type SourceText } from '../../kbtools/entry-location.js';
import { testKnowledgeBase, type FiredRule, type HypothesisStanding, type TestReport, type Top1Miss } from '../../kbtools/tester.js';
import { cfText, formatRatio, percentText } from '../../core/render.js';
import { evalRunValidator, meantErrors } from '../../core/schemas.js';
import { schemaInputProblems } from '../../core/request.js';
import { visible } from '../../core/escape.js';
import { defineCommand } from '../command.js';
import { checkEmptyOutputDir, checkOutputDir, parseJson, readDocumentText, type CliIo } from '../io.js';
import { checkKbDir, checkLang, checkOutsideKb, cliReadOptions, givenKbDirs, kbDirs, kbLayers, kbOption, loadKb, minStatusOption, shippedScenariosDir, withPackHint, type KbArgs } from '../kb-option.js';
import { checkScenarioArgs, readScenarios, scenariosOption, shippedScenariosOption, type ScenarioArgs, type ScenarioSelection } from '../scenarios-option.js';
import { checkTenant, storeFrom, storeOptions, withCases, type StoreArgs } from '../store-option.js';
import { counted } from '../../core/counted.js';
import type { KbCheckList, KbLint } from '../../generated/kb-lint.js';
import type { KbSeal } from '../../generated/kb-seal.js';
import type { ShownCommand, ShownHypothesis } from '../../generated/kb-show.js';
import type { KbNoSuggestion, KbSuggestedPack } from '../../generated/kb-suggest.js';
import type { KbTestRun } from '../../generated/kb-test.js';
import type { KbInvalid, KbValid } from '../../generated/kb-validate.js';


const ACTIONS = ['validate', 'seal', 'lint', 'test', 'coverage', 'eval', 'doc', 'diff', 'show', 'suggest'] as const;
type Action = (typeof ACTIONS)[number];
/**
 * The actions that take operands after the action (`dirs`), each its own: the directory to seal,
 * the incidents to measure on, a hypothesis id, the two sides of a diff. The others read the
 * knowledge base --kb names, as every command that loads one does: a directory for validate or
 * lint would be a second way to name it, and unlike seal's DIR, which is sealed over --kb's packs.
 */
const TAKING_OPERANDS: readonly Action[] = ['seal', 'eval', 'suggest', 'show', 'diff'];
/** The actions that read scenarios (--scenarios, --shipped-scenarios): to run them, to measure a change on them, to list them under their hypotheses. */
const READING_SCENARIOS: readonly Action[] = ['test', 'coverage', 'diff', 'show', 'doc'];

interface KbCommandArgs extends KbArgs, StoreArgs, ScenarioArgs {
  action: Action;
  dirs?: string[];
  format: 'text' | 'json';
  coverage?: boolean;
  minCoverage?: number;
  maxWarnings?: number;
  list?: boolean;
  out?: string;
  corpus?: string;
  minFired?: number;
  tenant: string;
  lang: string;
  evidence: EvalEvidence;
  baseline?: string;
  minTop1?: number;
  minTop3?: number;
  mode: EvalMode;
  transcripts?: string;
  maxQuestions?: number;
  minWorth?: number;
  minAnswerRate?: number;
  minChallengeRate?: number;
  minTopChange?: number;
  oracle?: boolean;
}

const EVAL_MODES = ['diagnosis', 'interview'] as const;
type EvalMode = (typeof EVAL_MODES)[number];

/** Exit codes of `rca kb`: 0 clean, 1 findings, 2 usage error, 3 invalid knowledge base (as from every command). */
const CLEAN = EXIT.ok;
const FINDINGS = EXIT.findings;

/** A rule file's text, to find the line and column an entry or a field starts at (kb lint, show, test, coverage). */
const sourceText: SourceText = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the entry is then shown at its JSON path, without a line
  }
};

// Knowledge-base text, file names, ids and JSON pointers may come from any pack: control characters are shown, never sent.
// Each element is one line, so its line feeds are shown too: a pack's text or key holding one forged a line of lint or show.
const write = (io: CliIo, lines: string[]) => io.stdout.write(lines.length > 0 ? `${lines.map(visible).join('\n')}\n` : '');
const json = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function summary(kb: KnowledgeBase): string {
  return `${[kb.meta, ...kb.meta.layers].map((k) => `${k.name} ${k.version}`).join(' + ')} (${kb.meta.hash}): ${counted(kb.hypotheses.size, 'hypothesis', 'hypotheses')}, ${counted(kb.rules.length, 'rule')}, ${counted(kb.questions.size, 'question')}, ${counted(kb.conditions.size, 'shared condition')}, ${counted(kb.commands.size, 'named command')} from ${counted(kb.meta.sources.length, 'file')} in ${counted(kb.meta.packs, 'pack')}`;
}

/** Each directory KB was loaded from that has no lock, with the command that seals it over the ones before it. */
function unsealedDirs(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo): Array<{ dir: string; seal: string }> {
  const { cwd } = cliReadOptions();
  const show = pathShower(cwd);
  return kbDirs(args.kb, io.env).flatMap((dir, i, dirs) => (kb.meta.unsealed.includes(show(dir)) ? [{ dir: show(dir), seal: sealCommand(dir, dirs.slice(0, i), cwd) }] : []));
}

function validate(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo): number {
  if (args.format === 'json') {
    json(io, { valid: true, kb: { ...kb.meta }, counts: kbCounts(kb), changes: kb.meta.changes } satisfies KbValid);
    return CLEAN;
  }
  write(io, [
    `valid: ${summary(kb)}`,
    ...kb.meta.changes.map((c) => {
      if (c.kind === 'override') {
        return c.entry === 'model'
          ? `  override model ${c.id}: ${c.file} over ${c.previous} (each field it gives; outcomes and background fact by fact)`
          : `  override ${c.entry} ${c.id}: ${c.file} replaces ${c.previous}`;
      }
      // A pack's reason is its author's text: its line feeds are shown, so it forges no line of the listing.
      if (c.kind === 'extend') return `  extend ${c.entry} ${c.id} (${c.previous}): ${c.file} adds ${(c.adds ?? []).join('; ')}: ${visible(c.reason)}`;
      return `  ${c.kind === 'disable' ? 'disabled' : 'not loaded'} ${c.entry} ${c.id} (${c.previous}): ${visible(c.reason)}`;
    }),
    ...unsealedDirs(kb, args, io).map(({ dir, seal }) => `  unsealed: ${dir} has no ${LOCK_FILE} (rca serve refuses it): run ${seal}`),
  ]);
  return CLEAN;
}

/**
 * Seals one directory once it validates, layered over the knowledge base --kb or RCA_KB names, as
 * every command reads it: over all its directories, or over those before DIR when DIR is one of
 * them (those after it sit on it). Without DIR it seals the shipped rules/, but only when neither
 * names a directory: when one does, nothing says which to seal.
 */
function seal(args: KbCommandArgs, io: CliIo): number {
  if (args.dirs && args.dirs.length > 1) throw new UsageError(`kb seal: expected one directory, got ${args.dirs.length}: ${args.dirs.join(' ')}`);
  const layers = givenKbDirs(args.kb, io.env);
  if (args.dirs?.[0] === undefined && layers.length > 0) {
    const named = args.kb?.length ? args.kb.map((dir) => `--kb ${dir}`).join(' ') : `RCA_KB=${io.env.RCA_KB ?? ''}`;
    const top = sealCommand(layers.at(-1) as string, layers.slice(0, -1), cliReadOptions().cwd);
    throw new UsageError(`kb seal: expected DIR, the directory to seal (${named} names the layers it sits on), got none: to seal the top layer, run ${top}`);
  }
  const dir = args.dirs?.[0] === undefined ? defaultKbDir : checkKbDir('kb seal DIR', args.dirs[0]);
  const at = layers.findIndex((layer) => resolve(layer) === resolve(dir));
  const bases = at < 0 ? layers : layers.slice(0, at);
  const { file, lock } = withPackHint([...bases, dir], () => sealKnowledgeBase(dir, bases, cliReadOptions()), (shipped, given) => `rca kb seal ${given.at(-1)} ${[shipped, ...given.slice(0, -1)].map((base) => `--kb ${base}`).join(' ')}`);
  if (args.format === 'json') json(io, { sealed: true, file, lock } satisfies KbSeal);
  else {
    const c = lock.counts;
    const counts = [counted(c.files, 'file'), counted(c.hypotheses, 'hypothesis', 'hypotheses'), counted(c.rules, 'rule'), counted(c.questions, 'question'), counted(c.conditions, 'shared condition'), counted(c.disable, 'disabled rule')];
    if (c.extend) counts.push(counted(c.extend, 'extended hypothesis', 'extended hypotheses'));
    if (c.commands) counts.push(counted(c.commands, 'named command'));
    write(io, [`sealed: wrote ${file} (${counts.join(', ')})`]);
  }
  return CLEAN;
}

function lint(result: LintResult, args: KbCommandArgs, io: CliIo): number {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const over = args.maxWarnings !== undefined && warnings > args.maxWarnings;
  const failed = errors > 0 || over;
  if (args.format === 'json') json(io, { errors, warnings, findings: result.findings, suppressed: result.suppressed, checks: [...CHECKS] } satisfies KbLint);
  else {
    write(io, [
      ...result.findings.map((f) => `${locatePosition(f)}  ${f.severity}  ${f.check}  ${f.id}: ${f.message}`),
      `${counted(errors, 'error')}, ${counted(warnings, 'warning')} (${result.suppressed.length} suppressed with a reason)`,
      // Warnings alone fail only through the limit: without this line exit 1 came with "0 errors" as its only word.
      ...(over ? [`warnings ${warnings} is over --max-warnings ${args.maxWarnings}`] : []),
    ]);
  }
  return failed ? FINDINGS : CLEAN;
}

/** Every check of the registry with its meta: what it finds, how severe, and why. */
function listChecks(args: KbCommandArgs, io: CliIo): number {
  if (args.format === 'json') json(io, { checks: [...CHECKS] } satisfies KbCheckList);
  else {
    const width = Math.max(...CHECKS.map((c) => c.id.length));
    write(io, CHECKS.flatMap((c) => [`${c.id.padEnd(width)}  ${c.severity.padEnd(7)}  ${c.docs.description}`, `${' '.repeat(width + 11)}why: ${c.docs.why}`]));
  }
  return CLEAN;
}

/** Which scenario directories ran and how many from each ("test/scenarios 117, packs-scen 1"), or that none did. */
function scenarioCounts(report: TestReport, selection: ScenarioSelection): string {
  const n = report.scenarios.length;
  if (n === 0) return 'scenarios: none';
  const top1 = report.scenarios.filter((s) => s.top1Ok).length;
  const top3 = report.scenarios.filter((s) => s.top3Ok).length;
  return `scenarios: top-1 ${top1}/${n}, top-3 ${top3}/${n} (${selection.dirs.map((d) => `${d.dir} ${d.scenarios}`).join(', ')})`;
}

/**
 * What the diagnosis made of a scenario whose top-1 is wrong, under its failure: the top 3 with
 * their confidences, then the cause put first and the one expected, each with the rules that fired
 * for and against it and the facts its likelihood table weighs most.
 */
function top1MissLines(miss: Top1Miss): string[] {
  const fired = (rules: readonly FiredRule[]) => rules.map((r) => `${r.rule} ${cfText(r.cf)}`).join(', ') || 'none';
  const line = (role: string, h: HypothesisStanding) => {
    const place = h.rank !== null ? `ranked ${h.rank}, ${percentText(h.confidence ?? 0)}` : h.ruledOut ? 'ruled out' : 'not ranked: under 2% and no rule for it fired';
    const table = h.factors.length > 0 ? `; its table weighs ${h.factors.map((f) => `${f.fact} = ${String(f.value)} ${formatRatio(f.ratio)}`).join(', ')}` : '';
    return `      ${role} ${h.id} (${place}): rules for ${fired(h.rulesFor)}; against ${fired(h.rulesAgainst)}${table}`;
  };
  return [`      top 3: ${miss.top3.map((h) => `${h.id} ${percentText(h.confidence)}`).join(', ') || '(none)'}`, ...(miss.got ? [line('got', miss.got)] : []), line('expected', miss.expected)];
}

function testOutput(report: TestReport, selection: ScenarioSelection, args: KbCommandArgs & { withCoverage: boolean }, io: CliIo): number {
  const below = args.minCoverage !== undefined && report.coverage.percent < args.minCoverage;
  if (args.format === 'json') {
    json(io, { passed: report.passed && !below, rules: report.rules, scenarios: report.scenarios, scenarioDirs: selection.dirs, ...(args.withCoverage && { coverage: report.coverage }) } satisfies KbTestRun);
  } else {
    // Padded by code units: rule ids are ASCII (kb-file.schema.json), so string-width would count the same.
    const width = Math.max(...report.rules.map((r) => r.rule.length), 4);
    const lines = [`${'rule'.padEnd(width)}  TP  FN  TN  FP  near miss  absence`];
    for (const r of report.rules) {
      const counts = [r.truePositives, r.falseNegatives, r.trueNegatives, r.falsePositives].map((n) => String(n).padStart(2)).join('  ');
      const waived = r.waived.map((w) => `  waived ${w}`).join('');
      lines.push(`${r.rule.padEnd(width)}  ${counts}  ${String(r.nearMisses).padStart(9)}  ${String(r.absences).padStart(7)}${waived}${r.failures.length ? `  FAIL ${r.failures.map((f) => `${atLocation(f)}  ${f.message}`).join('; ')}` : ''}`);
    }
    lines.push('', 'scenario  top-1  top-3  expected  got');
    for (const s of report.scenarios) {
      // The top-1 failure is the row's columns already; the row adds the others (a cause it rules out still standing).
      const others = s.failures.slice(s.top1Ok ? 0 : 1);
      lines.push(`${s.file}  ${s.top1Ok ? 'ok' : 'FAIL'}  ${s.top3Ok ? 'ok' : 'FAIL'}  ${s.expected}  ${s.top3.join(', ') || '(none)'}${others.length > 0 ? `  FAIL ${others.join('; ')}` : ''}`);
    }
    const failedRules = report.rules.filter((r) => r.failures.length > 0).length;
    const sum = (count: (r: TestReport['rules'][number]) => number) => report.rules.reduce((n, r) => n + count(r), 0);
    lines.push(
      '',
      `rules: ${report.rules.length - failedRules}/${report.rules.length} pass their cases; ${scenarioCounts(report, selection)}`,
      ...(selection.shippedLeftOut ? [`the shipped scenarios (${scenarioName(shippedScenariosDir)}) are not read: the knowledge base is not built on the shipped rules/ (--shipped-scenarios reads them)`] : []),
      `silent cases: ${sum((r) => r.nearMisses)} near misses (facts known, rule false), ${sum((r) => r.absences)} absences (a fact missing, rule undecided)`,
    );
    if (args.withCoverage) {
      const c = report.coverage;
      // The percent is of both counts together (what --min-coverage holds), so it heads them: after the leaves alone it read as theirs.
      lines.push(`coverage ${c.percent}%: rules fired and silent ${c.rules.firedAndSilent}/${c.rules.total}, leaf conditions true and false ${c.leaves.trueAndFalse}/${c.leaves.total}`);
      if (below) lines.push(`coverage ${c.percent}% is under --min-coverage ${args.minCoverage}`);
    }
    // Every failure again, where to fix it: in a few hundred rows of the shipped KB, one FAIL is easy to miss.
    // A wrong top-1 is followed by why, indented under it: what a curator needs to mend the rules or the scenario.
    const failures = [
      ...report.rules.flatMap((r) => r.failures.map((f) => [`  ${atLocation(f)}  ${r.rule}  ${f.message}`])),
      ...report.scenarios.flatMap((s) => s.failures.map((f, i) => [`  ${s.file}  ${f}`, ...(i === 0 && s.top1Miss ? top1MissLines(s.top1Miss) : [])])),
    ];
    if (failures.length > 0) lines.push('', `failures (${failures.length}):`, ...failures.flat());
    write(io, lines);
  }
  return report.passed && !below ? CLEAN : FINDINGS;
}

/** A changed value on one line, cut where it would run on (descriptions, check lists). */
function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * The directories of each side of `kb diff OLD NEW`, each side a layered knowledge base written
 * as RCA_KB is (`rules:packs/acme`). --kb is refused rather than layered under both sides: a pack
 * compared with what it sits on has that base on one side only, and a --kb under both would
 * read as the base of one of them.
 */
function diffSides(args: KbCommandArgs): string[][] {
  if (args.kb !== undefined) throw new UsageError(`kb diff: expected each side's directories in OLD and NEW, separated by ":" (rca kb diff rules rules:packs/acme), got --kb ${args.kb.join(' ')}`);
  if (args.dirs?.length !== 2) throw new UsageError(`kb diff: expected two knowledge bases OLD NEW (each DIR or DIR:DIR...), got ${args.dirs?.length ?? 0}`);
  return args.dirs.map((list, i) => {
    const where = `kb diff ${i === 0 ? 'OLD' : 'NEW'}`;
    const dirs = kbLayers(where, list);
    if (dirs.length === 0) throw new UsageError(`${where}: expected a knowledge-base directory, or several separated by ":", got ${JSON.stringify(list)}`);
    return dirs;
  });
}

function diffOutput(diff: KbDiff, args: KbCommandArgs, io: CliIo): number {
  if (args.format === 'json') json(io, diff satisfies KbDiff);
  else {
    const changes = (name: string, c: FieldChanges) => [`~ ${name}: ${c.fields.join(', ')}`, ...c.values.map((v) => `    ${v.field}: ${shown(v.before)} -> ${shown(v.after)}`)];
    const section = (name: string, d: SectionDiff) => [
      ...d.added.map((id) => `+ ${name} ${id}`),
      ...d.removed.map((id) => `- ${name} ${id}`),
      ...d.changed.flatMap((c) => changes(`${name} ${c.id}`, c)),
    ];
    write(io, [
      ...(diff.kb ? changes('kb', diff.kb) : []),
      ...(diff.model ? changes('model', diff.model) : []),
      ...DIFF_SECTIONS.flatMap(([name, key]) => section(name, diff[key])),
      ...diff.impact.map((i) => `! ${i.file}: top-3 ${i.oldTop3.join(', ') || '(none)'} -> ${i.newTop3.join(', ') || '(none)'}${i.top1Changed ? ' (top-1 changed)' : ''}`),
      isEmptyDiff(diff) ? 'no differences' : `${counted(diff.impact.length, 'scenario')} ranked differently`,
    ]);
  }
  return isEmptyDiff(diff) ? CLEAN : FINDINGS;
}

/** The shipped corpus, each part measured on its own: tune on one, never on the held-back one. */
const SHIPPED_CORPUS = ['tune', 'holdout'].map((part) => join(packageRoot, 'test', 'incidents', part));

function rangeOption(flag: string, value: number | undefined, min: number, max?: number, expected = max === undefined ? `a number >= ${min}` : `a number from ${min} to ${max}`): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value >= min && (max === undefined || value <= max))) throw new UsageError(`${flag}: expected ${expected}, got ${String(value)}`);
  return value;
}

function percentOption(flag: string, value: number | undefined): number | undefined {
  return rangeOption(flag, value, 0, 100, 'a percentage from 0 to 100');
}

/**
 * A saved run's size limit: a replay of a few hundred incidents, each question with its top 3,
 * takes a few MB (3.8 MB for 170), well past the 1 MB of a ticket's facts; parsing stays linear.
 */
const BASELINE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A saved `rca kb eval -f json` run to compare against: of the same mode, and in diagnosis mode
 * from the same evidence (a run from the findings is no baseline for one from the intake), and
 * of kb-eval.schema.json's shape for that mode, each figure in its range (a top-1 of 1e308
 * printed "(-Infinity)"); its results are paired by id, so none may be listed twice.
 */
async function readBaseline<Part extends EvalPart | InterviewEvalPart>(file: string, io: CliIo, args: KbCommandArgs): Promise<Part[]> {
  const field = `--baseline ${file}`;
  const mode = args.mode === 'interview' ? 'interview' : 'diagnosis';
  const saved: unknown = parseJson((await readDocumentText(file, io, BASELINE_MAX_BYTES)).text, file);
  const wanted = mode === 'interview' ? 'a --mode interview run' : `a --mode diagnosis run from --evidence ${args.evidence}`;
  const got = savedRunKind(saved);
  if (got === undefined) throw new InputError([{ field, expected: `the JSON output of rca kb eval${mode === 'interview' ? ' --mode interview' : ''} -f json`, got: 'another document' }]);
  if (got !== wanted) throw new InputError([{ field, expected: wanted, got }]);
  const validate = evalRunValidator(mode);
  if (!validate(saved)) throw new InputError(schemaInputProblems(meantErrors(validate.errors ?? [])).map((problem) => ({ ...problem, field: locate(field, problem.field === '/' ? '' : problem.field) })));
  const { parts } = saved as { parts: Part[] };
  parts.forEach(({ report }, i) => {
    const seen = new Set<string>();
    report.results.forEach(({ id }, at) => {
      if (seen.has(id)) throw new InputError([{ field: locate(field, `/parts/${i}/report/results/${at}/id`), expected: 'each incident once', got: `${JSON.stringify(id)} a second time` }]);
      seen.add(id);
    });
  });
  return parts;
}

/** What a saved document is a run of, as the refusal of a baseline of another mode names it; undefined for a document of no parts at all. */
function savedRunKind(saved: unknown): string | undefined {
  const { mode, parts } = (typeof saved === 'object' && saved !== null ? saved : {}) as { mode?: unknown; parts?: unknown };
  if (!Array.isArray(parts)) return undefined;
  if (mode === 'interview') return 'a --mode interview run';
  const evidence = new Set(parts.map((part: { report?: { evidence?: unknown } } | null) => part?.report?.evidence));
  const [only] = evidence;
  return evidence.size === 1 && (only === 'intake' || only === 'all') ? `a --mode diagnosis run from --evidence ${only}` : 'another document';
}

/** The directory (or file) a baseline's part measured: a shipped part's, else its path as given, from the working directory. */
const savedPartDir = (name: string) => SHIPPED_CORPUS.find((dir) => relative(packageRoot, dir) === name) ?? resolve(name);

/**
 * The baseline's parts paired with this run's by the directory they measured, not by spelling
 * (`corp`, `corp/` and its absolute path are one part: compared by string, a run of `corp/` was
 * silently compared with nothing), each under the run's name for it; and a line for each part of
 * the run that the baseline did not measure. A baseline that measured none of them is refused.
 */
function pairBaseline<Part extends EvalPart | InterviewEvalPart>(file: string, saved: readonly Part[], paths: readonly string[]): { baseline: Part[]; unpaired: string[] } {
  const baseline: Part[] = [];
  const unpaired: string[] = [];
  const savedNames = saved.map((p) => p.path).join(', ');
  for (const path of paths) {
    const before = saved.find((p) => savedPartDir(p.path) === resolve(path));
    if (before) baseline.push({ ...before, path: partName(path) });
    else unpaired.push(`${partName(path)}: not compared, the baseline measured no such part (it has ${savedNames})`);
  }
  if (baseline.length === 0) throw new InputError([{ field: `--baseline ${file}`, expected: `a run of ${paths.map(partName).join(', ')}`, got: `a run of ${savedNames}` }]);
  return { baseline, unpaired };
}

/** The corpus parts to measure: the given paths, else the shipped ones that exist. */
function corpusPaths(args: KbCommandArgs): string[] {
  const paths = args.dirs && args.dirs.length > 0 ? args.dirs : SHIPPED_CORPUS.filter((dir) => existsSync(dir));
  if (paths.length === 0) throw new UsageError('kb eval: expected incident files or directories, got none (and no shipped test/incidents)');
  return paths;
}

// Shipped parts are named from the package root, given ones as given, so a baseline matches.
const partName = (path: string) => (SHIPPED_CORPUS.includes(path) ? relative(packageRoot, path) : path);

interface Thresholds {
  minTop1?: number;
  minTop3?: number;
}

/** --min-top1 and --min-top3, checked before any incident is read. */
function thresholds(args: KbCommandArgs): Thresholds {
  return { minTop1: percentOption('--min-top1', args.minTop1), minTop3: percentOption('--min-top3', args.minTop3) };
}

/**
 * Figures of a part under --min-top1 / --min-top3, one line each. Held to the counts, not to the
 * report's share rounded to 3 places: 2 of 3 (66.666...%) passed --min-top1 66.7 as 0.667. The
 * counts are multiplied out, so 57 of 100 is not under 57 by a float's error.
 */
function underThresholds(parts: ReadonlyArray<{ path: string; report: { results: ReadonlyArray<{ cause: string[]; rank: number | null }> } }>, { minTop1, minTop3 }: Thresholds): string[] {
  return parts.flatMap(({ path, report }) => {
    const known = report.results.filter((r) => r.cause.length > 0);
    const under = (name: string, flag: string, min: number | undefined, within: number) => {
      const n = rankedWithin(known, within);
      // No incident with a known cause measures 0%, as its report says.
      const isUnder = min !== undefined && (known.length === 0 ? min > 0 : n * 100 < min * known.length);
      return isUnder ? [`${path}: ${name} ${pct(known.length === 0 ? 0 : n / known.length)} (${n}/${known.length}) is under ${flag} ${min}`] : [];
    };
    return [...under('top-1', '--min-top1', minTop1, 1), ...under('top-3', '--min-top3', minTop3, 3)];
  });
}

/** `rca kb eval`'s figures of the KB on each corpus part. */
async function measureParts(kb: KnowledgeBase, paths: readonly string[], evidence: EvalEvidence): Promise<EvalPart[]> {
  const parts: EvalPart[] = [];
  for (const path of paths) parts.push({ path: partName(path), report: await evaluateCorpus(kb, loadIncidents([path], kb), { evidence }) });
  return parts;
}

/** Measures the KB on real incidents; exit 1 when a part is under --min-top1 or --min-top3. */
async function evalCorpus(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo): Promise<number> {
  if (args.mode === 'interview') return evalInterviews(kb, args, io);
  for (const [flag, given] of [['--transcripts', args.transcripts !== undefined], ['--max-questions', args.maxQuestions !== undefined], ['--min-worth', args.minWorth !== undefined], ['--min-answer-rate', args.minAnswerRate !== undefined], ['--min-challenge-rate', args.minChallengeRate !== undefined], ['--min-top-change', args.minTopChange !== undefined], ['--oracle', args.oracle === true]] as const) {
    if (given) throw new UsageError(`${flag}: only with --mode interview, got --mode ${args.mode}`);
  }
  const limits = thresholds(args);
  const paths = corpusPaths(args);
  const { baseline, unpaired } = args.baseline === undefined ? { baseline: undefined, unpaired: [] } : pairBaseline(args.baseline, await readBaseline<EvalPart>(args.baseline, io, args), paths);
  const parts = await measureParts(kb, paths, args.evidence);
  const under = underThresholds(parts, limits);
  if (args.format === 'json') json(io, { kb: { name: kb.meta.name, version: kb.meta.version, hash: kb.meta.hash }, parts, passed: under.length === 0 });
  else write(io, [...formatEval(parts, baseline), ...unpaired, ...under]);
  return under.length === 0 ? CLEAN : FINDINGS;
}

/**
 * Replays the corpus as interviews (`--mode interview`): figures per part, and with
 * --transcripts DIR each interview as DIR/<part>/<id>.md.
 */
async function evalInterviews(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo): Promise<number> {
  const maxQuestions = args.maxQuestions ?? DEFAULT_REPLAY_QUESTIONS;
  if (!Number.isInteger(maxQuestions) || maxQuestions < 0) throw new UsageError(`--max-questions: expected a whole number >= 0, got ${String(maxQuestions)}`);
  if (args.evidence !== 'intake') throw new UsageError(`--evidence: an interview starts from the intake, got --evidence ${args.evidence}`);
  const stops = { minWorth: rangeOption('--min-worth', args.minWorth, 0), minAnswerRate: rangeOption('--min-answer-rate', args.minAnswerRate, 0, 1), minChallengeRate: rangeOption('--min-challenge-rate', args.minChallengeRate, 0, 1), minTopChange: rangeOption('--min-top-change', args.minTopChange, 0, 1) };
  if (args.transcripts !== undefined) checkOutputDir('--transcripts', args.transcripts);
  const limits = thresholds(args);
  const paths = corpusPaths(args);
  const { baseline, unpaired } = args.baseline === undefined ? { baseline: undefined, unpaired: [] } : pairBaseline(args.baseline, await readBaseline<InterviewEvalPart>(args.baseline, io, args), paths);
  const parts: InterviewEvalPart[] = [];
  // The engineer pastes a command's output when rca parses it, as the interview's prompt offers.
  const { kindsCarrying } = await import('../../collect/parsers/index.js');
  for (const path of paths) parts.push({ path: partName(path), report: await evaluateInterviews(kb, loadIncidents([path], kb), { maxQuestions, stops, pasteKinds: kindsCarrying, oracle: args.oracle === true }) });
  if (args.transcripts !== undefined) {
    for (const { report } of parts) {
      for (const result of report.results) {
        // An incident's file is "<part>/<id>.yaml" (the id is the file's name, checked on load).
        const dir = join(args.transcripts, result.file.split(/[\\/]/).slice(0, -1).join('/'));
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${result.id}.md`), interviewTranscript(result));
      }
    }
  }
  const under = underThresholds(parts, limits);
  if (args.format === 'json') json(io, { kb: { name: kb.meta.name, version: kb.meta.version, hash: kb.meta.hash }, mode: 'interview', parts, passed: under.length === 0 });
  else write(io, [...formatInterviewEval(parts, baseline), ...unpaired, ...(args.transcripts !== undefined ? [`wrote ${parts.reduce((n, p) => n + p.report.results.length, 0)} transcripts to ${args.transcripts}`] : []), ...under]);
  return under.length === 0 ? CLEAN : FINDINGS;
}

const DEFAULT_DOC_DIR = 'kb-doc';
/** What `kb suggest` measures its pack on without incident paths: the tuning part, never the held-back one. */
const SUGGEST_EVAL_CORPUS = join(packageRoot, 'test', 'incidents', 'tune');

/** suggest's options, checked before any case or incident is read. */
function checkSuggestArgs(args: KbCommandArgs, env: NodeJS.ProcessEnv): void {
  if (args.out === undefined) throw new UsageError('kb suggest: expected --out DIR for the rule pack, got nothing');
  checkEmptyOutputDir('--out', args.out);
  checkOutsideKb('--out', args.out, kbDirs(args.kb, env));
  if (args.minFired !== undefined && !(Number.isInteger(args.minFired) && args.minFired >= 1)) throw new UsageError(`--min-fired: expected a whole number >= 1, got ${String(args.minFired)}`);
  if (args.corpus !== undefined && !existsSync(args.corpus)) throw new UsageError(`--corpus: expected a directory of incident files, got ${args.corpus} (not found)`);
}

/**
 * Proposes cf changes from resolved cases (the store's, unless --corpus is given without
 * --data-dir or --database-url; and the --corpus incidents) as a rule pack in --out, never
 * applied, and prints the eval figures on the corpus without and with the pack.
 */
async function suggest(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo): Promise<number> {
  const out = args.out as string;
  const evalPaths = args.dirs && args.dirs.length > 0 ? args.dirs : [SUGGEST_EVAL_CORPUS];
  const fromStore = args.corpus === undefined || args.dataDir !== undefined || args.databaseUrl !== undefined;
  if (fromStore) checkTenant(args.tenant);
  // It only reads the store: one not there yet, or of an older schema, is refused, not made or migrated.
  const stored = fromStore ? await withCases(storeFrom(args, io.env), (cases) => cases.resolvedDiagnoses(args.tenant), { readOnly: true }) : [];
  const cases = [...stored.map((c) => ({ causes: [c.cause], diagnosis: c.diagnosis })), ...(args.corpus === undefined ? [] : await incidentFirings(kb, loadIncidents([args.corpus], kb)))];
  const proposals = proposeCfChanges(kb, cases, args.minFired);
  if (proposals.length === 0) {
    if (args.format === 'json') json(io, { cases: cases.length, proposals, pack: null } satisfies KbNoSuggestion);
    else write(io, [`no cf changes proposed from ${cases.length} resolved cases`]);
    return CLEAN;
  }
  mkdirSync(out, { recursive: true });
  const file = join(out, 'suggested.yaml');
  writeFileSync(file, suggestionPack(kb, proposals));
  const packDirs = [...kbDirs(args.kb, io.env), out];
  const before = await measureParts(kb, evalPaths, args.evidence);
  const after = await measureParts(loadKb({ ...args, kb: packDirs }, io.env), evalPaths, args.evidence);
  if (args.format === 'json') {
    json(io, { cases: cases.length, proposals, pack: file, eval: { before, after } } satisfies KbSuggestedPack);
    return CLEAN;
  }
  const width = Math.max(...proposals.map((p) => `${p.rule} ${p.hypothesis}`.length), 'rule hypothesis'.length);
  write(io, [
    `${'rule hypothesis'.padEnd(width)}  fired  precision     cf  proposed`,
    ...proposals.map((p) => `${`${p.rule} ${p.hypothesis}`.padEnd(width)}  ${String(p.fired).padStart(5)}  ${`${(p.precision * 100).toFixed(1)}%`.padStart(9)}  ${p.cf.toFixed(2).padStart(5)}  ${p.proposed.toFixed(2).padStart(8)}`),
    `${counted(proposals.length, 'cf change')} proposed from ${cases.length} resolved cases: wrote ${file} (not applied; try it with --kb ${packDirs.join(' --kb ')})`,
    '',
    'rca kb eval without the pack:',
    ...formatEval(before),
    '',
    'rca kb eval with the pack:',
    ...formatEval(after, before),
  ]);
  return CLEAN;
}

async function doc(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo, scenarios: Scenario[]): Promise<number> {
  const { renderDocSite, writeDocSite } = await import('../../kbtools/doc.js');
  const out = args.out ?? DEFAULT_DOC_DIR;
  const files = renderDocSite(kb, scenarios, { lang: args.lang });
  const { written, removed } = writeDocSite(files, out);
  const stale = removed.length > 0 ? `, removed ${counted(removed.length, 'stale file')} of the last run` : '';
  write(io, [`wrote ${written.length} files to ${out}${stale} (open ${join(out, 'index.html')})`]);
  return CLEAN;
}

/** kb test's output, and for kb coverage in text the leaves not seen both ways, each where it is. */
async function testAndCoverage(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo, selection: ScenarioSelection): Promise<number> {
  const report = await testKnowledgeBase(kb, selection.scenarios, sourceText);
  // --min-coverage shows the coverage it holds to: without it, a run under it failed with nothing said why.
  if (args.action !== 'coverage') return testOutput(report, selection, { ...args, withCoverage: args.coverage === true || args.minCoverage !== undefined }, io);
  const { formatUncovered, locateUncovered } = await import('../../kbtools/coverage.js');
  const located = locateUncovered(kb, report.coverage, sourceText);
  if (args.format === 'json') {
    // Each leaf where the text output places it, for an editor or a CI annotation to jump to.
    const uncovered = located.map(({ key, never, file, line, column }) => ({ key, never, file, line, column }));
    return testOutput({ ...report, coverage: { ...report.coverage, leaves: { ...report.coverage.leaves, uncovered } } }, selection, { ...args, withCoverage: true }, io);
  }
  const code = testOutput(report, selection, { ...args, withCoverage: true }, io);
  write(io, formatUncovered(located));
  return code;
}

/** One hypothesis with its checks, rules for and against (file:line), questions and scenarios; or one named command with the questions and checks that run it. */
async function show(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo, scenarios: Scenario[]): Promise<number> {
  const { formatShown, formatShownCommand, showCommand, showHypothesis, showWords } = await import('../../kbtools/show.js');
  const id = args.dirs?.[0] ?? '';
  const command = kb.hypotheses.has(id) ? undefined : showCommand(kb, id, sourceText);
  if (command) {
    if (args.format === 'json') json(io, command satisfies ShownCommand);
    else write(io, formatShownCommand(command, showWords(args.lang)));
    return CLEAN;
  }
  const shown = showHypothesis(kb, scenarios, id, args.lang, sourceText);
  if (args.format === 'json') json(io, shown satisfies ShownHypothesis);
  else write(io, formatShown(shown, showWords(args.lang)));
  return CLEAN;
}

export default defineCommand<KbCommandArgs>({
  builder: (y) =>
    y
      .positional('action', { choices: ACTIONS, describe: 'What to do' })
      .positional('dirs', { type: 'string', array: true, describe: 'Only for seal, eval, suggest, show and diff (the others read the knowledge base --kb names). diff: the OLD and NEW knowledge bases, each a directory or directories layered as RCA_KB, separated by ":" (rules rules:packs/acme compares a pack with what it sits on; diff takes no --kb); seal: the directory to seal, over the --kb (or RCA_KB) directories, or those before it when it is one of them [default: the shipped rules/, when neither names a directory]; eval: incident files or directories, each measured on its own [default: test/incidents/tune and holdout]; suggest: the incidents the pack is measured on [default: test/incidents/tune]; show: the hypothesis id, or a named command' })
      .option('kb', { ...kbOption, describe: `${kbOption.describe}; seal: the packs DIR is sealed over` })
      .option('min-status', minStatusOption)
      .option('format', { alias: ['f', 'o'], choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format: text for a curator, json for tools (schemas/kb-*.schema.json describe it)' })
      .option('coverage', { type: 'boolean', describe: 'test: also report coverage (rules fired and silent, leaves true and false)' })
      .option('min-coverage', { type: 'number', describe: 'test: fail under this coverage percent (rules seen fired and silent plus leaf conditions seen true and false by their own rule\'s cases, of all rules and leaves)' })
      .option('max-warnings', { type: 'number', describe: 'lint: fail above this many warnings (errors always fail)' })
      .option('list', { type: 'boolean', describe: 'lint: print every check (fatal load checks, lint checks, then those kb test runs) with its severity and why, without loading a knowledge base' })
      .option('scenarios', scenariosOption)
      .option('shipped-scenarios', shippedScenariosOption)
      .option('out', { type: 'string', describe: `doc: output directory, new, empty or one kb doc wrote (its site is replaced), outside the knowledge-base directories [default: ${DEFAULT_DOC_DIR}]; suggest: the rule pack's directory, new or empty, outside the knowledge-base directories (required)` })
      .option('corpus', { type: 'string', describe: 'suggest: learn from the incidents under DIR (facts: intake and findings; confirmed cause: cause) instead of the case database; with --data-dir or --database-url, from both' })
      .option('min-fired', { type: 'number', describe: `suggest: question a rule's cf only once it fired on this many resolved cases [default: ${SUGGEST_MIN_FIRED}]` })
      .options(storeOptions)
      .option('tenant', { type: 'string', default: 'default', describe: 'suggest: whose resolved cases' })
      .option('lang', { type: 'string', default: 'en', describe: 'doc, show: language (en, zh-CN)' })
      .option('evidence', { choices: ['intake', 'all'] as const, default: 'intake' as const, describe: 'eval, and the eval suggest prints: diagnose from the intake only (what a ticket opens with) or from intake and findings' })
      .option('baseline', { type: 'string', describe: 'eval: a saved `rca kb eval -f json` run of the same mode and evidence to show the change against: the figures, the incidents that changed their pass and whether that is beyond chance (sign test)' })
      .option('min-top1', { type: 'number', describe: 'eval: fail when a corpus part\'s top-1 percentage is under this' })
      .option('min-top3', { type: 'number', describe: 'eval: fail when a corpus part\'s top-3 percentage is under this' })
      .option('mode', { choices: EVAL_MODES, default: 'diagnosis' as const, describe: 'eval: diagnose each incident once, or replay it as an interview (a finding answers a question, as a paste of its command\'s output when rca parses it, filling every finding that output carries; anything else is "don\'t know")' })
      .option('transcripts', { type: 'string', describe: 'eval --mode interview: write each interview as markdown to DIR/<part>/<id>.md' })
      .option('max-questions', { type: 'number', describe: `eval --mode interview: ask at most N questions per incident [default: ${DEFAULT_REPLAY_QUESTIONS}]` })
      .option('min-worth', { type: 'number', describe: `eval --mode interview: stop when no question's worth (bits x chance of an answer / effort) reaches this [default: ${DEFAULT_MIN_WORTH}]` })
      .option('min-answer-rate', { type: 'number', describe: `eval --mode interview: stop when the engineer's answer rate falls below this (0-1) [default: ${DEFAULT_MIN_ANSWER_RATE}]` })
      .option('min-challenge-rate', { type: 'number', describe: `eval --mode interview: ask on against a confident leader (a question could still put another cause first) only while the engineer's answer rate is at least this (0-1) [default: ${DEFAULT_MIN_CHALLENGE_RATE}]` })
      .option('min-top-change', { type: 'number', describe: "eval --mode interview: stop as well when no question's chance of an answer that puts another cause first reaches this (0-1) and none is worth --min-worth [default: not used]" })
      .option('oracle', { type: 'boolean', describe: 'eval --mode interview: tell the interview which questions each incident\'s findings answer, so it asks only those: an incident that passes so and fails the plain replay is lost to the order of the questions, one that fails both to what the knowledge base makes of its findings' })
      .epilogue(`seal validates DIR and writes ${LOCK_FILE} (each file's sha256 and what the files hold); every load checks it, and rca serve loads only sealed directories. Run it after every edit.\n\nExit codes: 0 clean, 1 findings (lint errors, failing cases or scenarios, a silent case that shares no fact with its rule, a duplicate case, a rule without a near miss, coverage or a real-incident figure under its threshold, differences), 2 usage error, 3 invalid knowledge base (one that does not validate or does not match its ${LOCK_FILE}), as from every command.`),
  async run(args, io) {
    if (args.action === 'doc') {
      checkLang(args.lang);
      // Never into a directory of other files (`--out rules` wrote the site into the KB), nor under a KB directory: only a new, empty or earlier kb doc one elsewhere.
      const { previousDocSite } = await import('../../kbtools/doc.js');
      checkEmptyOutputDir('--out', args.out ?? DEFAULT_DOC_DIR, { by: 'rca kb doc', wrote: (dir) => previousDocSite(dir) !== undefined });
      checkOutsideKb('--out', args.out ?? DEFAULT_DOC_DIR, kbDirs(args.kb, io.env));
    }
    if (args.action === 'suggest') checkSuggestArgs(args, io.env);
    if (args.action === 'show') {
      checkLang(args.lang);
      if (args.dirs?.length !== 1) throw new UsageError(`kb show: expected one hypothesis id or named command, got ${args.dirs?.length ?? 0}${args.dirs?.length ? `: ${args.dirs.join(' ')}` : ''}`);
    }
    if (args.maxWarnings !== undefined && !(Number.isInteger(args.maxWarnings) && args.maxWarnings >= 0)) throw new UsageError(`--max-warnings: expected a whole number >= 0, got ${String(args.maxWarnings)}`);
    percentOption('--min-coverage', args.minCoverage);
    if (args.list !== undefined && args.action !== 'lint') throw new UsageError(`--list: only for kb lint, got kb ${args.action}`);
    if (args.list) return listChecks(args, io);
    // Refused rather than ignored, as --list is: `kb validate --scenarios DIR` checks no scenario.
    const scenarioFlag = args.scenarios !== undefined ? '--scenarios' : args.shippedScenarios === undefined ? undefined : `--${args.shippedScenarios ? '' : 'no-'}shipped-scenarios`;
    if (scenarioFlag !== undefined && !READING_SCENARIOS.includes(args.action)) throw new UsageError(`${scenarioFlag}: only for kb ${READING_SCENARIOS.join(', ')}, got kb ${args.action}`);
    checkScenarioArgs(args);
    try {
      if (args.action === 'diff') {
        const sides = diffSides(args);
        const [before, after] = sides.map((dirs) => loadKb(args, io.env, dirs));
        return diffOutput(await diffKnowledgeBases(before as KnowledgeBase, after as KnowledgeBase, readScenarios(args, sides.flat()).scenarios), args, io);
      }
      if (args.action === 'seal') return seal(args, io);
      if (args.dirs && args.dirs.length > 0 && !TAKING_OPERANDS.includes(args.action)) {
        throw new UsageError(`kb ${args.action}: expected no directories (it reads the knowledge base --kb DIR names; only ${TAKING_OPERANDS.join(', ')} take operands), got ${args.dirs.join(' ')}`);
      }
      const kb = loadKb(args, io.env);
      const scenarios = () => readScenarios(args, kbDirs(args.kb, io.env));
      switch (args.action) {
        case 'validate':
          return validate(kb, args, io);
        case 'lint':
          return lint(lintKnowledgeBase(kb, sourceText), args, io);
        case 'test':
        case 'coverage':
          return testAndCoverage(kb, args, io, scenarios());
        case 'eval':
          return evalCorpus(kb, args, io);
        case 'doc':
          return doc(kb, args, io, scenarios().scenarios);
        case 'show':
          return show(kb, args, io, scenarios().scenarios);
        case 'suggest':
          return suggest(kb, args, io);
      }
    } catch (error) {
      if (!(error instanceof KbError)) throw error;
      if (args.format === 'json') json(io, { valid: false, problems: error.problems, ...(error.hint && { hint: error.hint }) } satisfies KbInvalid);
      else write(io, [...error.problems.map(shownKbProblem), `invalid: ${counted(error.problems.length, 'problem')}`, ...(error.hint ? [`hint: ${visible(error.hint)}`] : [])]);
      return EXIT.kb;
    }
  },
});
