import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, formatKbProblem, KbError, locate, UsageError } from '../../core/errors.js';
import { loadKnowledgeBase, sealKnowledgeBase, type KnowledgeBase } from '../../core/kb.js';
import { LOCK_FILE } from '../../core/kb-lock.js';
import { defaultKbDir, packageRoot } from '../../core/paths.js';
import { loadScenarios, type Scenario } from '../../core/scenarios.js';
import { diffKnowledgeBases, isEmptyDiff, type KbDiff } from '../../kbtools/diff.js';
import { LINT_CHECKS, lintKnowledgeBase, type LintResult } from '../../kbtools/lint.js';
import { testKnowledgeBase, type TestReport } from '../../kbtools/tester.js';
import { defineCommand } from '../command.js';
import type { CliIo } from '../io.js';
import { kbOption, loadKb, minStatusOption, type KbArgs } from '../kb-option.js';

const ACTIONS = ['validate', 'seal', 'lint', 'test', 'coverage', 'doc', 'diff'] as const;
type Action = (typeof ACTIONS)[number];

interface KbCommandArgs extends KbArgs {
  action: Action;
  dirs?: string[];
  format: 'text' | 'json';
  coverage?: boolean;
  minCoverage?: number;
  maxWarnings?: number;
  scenarios?: string;
  out: string;
  lang: string;
}

/** Exit codes of `rca kb`: 0 clean, 1 findings, 2 usage error, 3 invalid knowledge base (as from every command). */
const CLEAN = EXIT.ok;
const FINDINGS = 1;

const write = (io: CliIo, lines: string[]) => io.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
const json = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function summary(kb: KnowledgeBase): string {
  return `${kb.meta.name} ${kb.meta.version} (${kb.meta.hash}): ${kb.hypotheses.size} hypotheses, ${kb.rules.length} rules, ${kb.questions.size} questions, ${kb.conditions.size} shared conditions from ${kb.meta.sources.length} files in ${kb.meta.packs} pack${kb.meta.packs === 1 ? '' : 's'}`;
}

function validate(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo): number {
  if (args.format === 'json') {
    json(io, { valid: true, kb: { ...kb.meta }, counts: { hypotheses: kb.hypotheses.size, rules: kb.rules.length, questions: kb.questions.size, conditions: kb.conditions.size }, changes: kb.meta.changes });
    return CLEAN;
  }
  write(io, [
    `valid: ${summary(kb)}`,
    ...kb.meta.changes.map((c) =>
      c.kind === 'override'
        ? `  override ${c.entry} ${c.id}: ${c.file} replaces ${c.previous}`
        : `  ${c.kind === 'disable' ? 'disabled' : 'not loaded'} ${c.entry} ${c.id} (${c.previous}): ${c.reason}`,
    ),
    ...kb.meta.unsealed.map((dir) => `  unsealed: ${dir} has no ${LOCK_FILE} (rca serve refuses it): run rca kb seal ${dir}`),
  ]);
  return CLEAN;
}

/** Seals one directory (layered over the --kb packs, if any) once it validates. */
function seal(args: KbCommandArgs, io: CliIo): number {
  if (args.dirs && args.dirs.length > 1) throw new UsageError(`kb seal: expected one directory, got ${args.dirs.length}: ${args.dirs.join(' ')}`);
  const dir = args.dirs?.[0] ?? defaultKbDir;
  const { file, lock } = sealKnowledgeBase(dir, args.kb ?? []);
  if (args.format === 'json') json(io, { sealed: true, file, lock });
  else {
    const c = lock.counts;
    write(io, [`sealed: wrote ${file} (${c.files} files, ${c.hypotheses} hypotheses, ${c.rules} rules, ${c.questions} questions, ${c.conditions} shared conditions, ${c.disable} disabled rules)`]);
  }
  return CLEAN;
}

function lint(result: LintResult, args: KbCommandArgs, io: CliIo): number {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const failed = errors > 0 || (args.maxWarnings !== undefined && warnings > args.maxWarnings);
  if (args.format === 'json') json(io, { errors, warnings, findings: result.findings, suppressed: result.suppressed, checks: LINT_CHECKS });
  else {
    write(io, [
      ...result.findings.map((f) => `${locate(f.file, f.path)}  ${f.severity}  ${f.check}  ${f.id}: ${f.message}`),
      `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (${result.suppressed.length} suppressed with a reason)`,
    ]);
  }
  return failed ? FINDINGS : CLEAN;
}

function testOutput(report: TestReport, args: KbCommandArgs & { withCoverage: boolean }, io: CliIo): number {
  const below = args.minCoverage !== undefined && report.coverage.percent < args.minCoverage;
  if (args.format === 'json') {
    json(io, { passed: report.passed && !below, rules: report.rules, scenarios: report.scenarios, ...(args.withCoverage && { coverage: report.coverage }) });
  } else {
    const width = Math.max(...report.rules.map((r) => r.rule.length), 4);
    const lines = [`${'rule'.padEnd(width)}  TP  FN  TN  FP`];
    for (const r of report.rules) {
      lines.push(`${r.rule.padEnd(width)}  ${[r.truePositives, r.falseNegatives, r.trueNegatives, r.falsePositives].map((n) => String(n).padStart(2)).join('  ')}${r.failures.length ? `  FAIL ${r.failures.join('; ')}` : ''}`);
    }
    lines.push('', 'scenario  top-1  top-3  expected  got');
    for (const s of report.scenarios) lines.push(`${s.file}  ${s.top1Ok ? 'ok' : 'FAIL'}  ${s.top3Ok ? 'ok' : 'FAIL'}  ${s.expected}  ${s.top3.join(', ') || '(none)'}`);
    const failedRules = report.rules.filter((r) => r.failures.length > 0).length;
    const top1 = report.scenarios.filter((s) => s.top1Ok).length;
    const top3 = report.scenarios.filter((s) => s.top3Ok).length;
    lines.push('', `rules: ${report.rules.length - failedRules}/${report.rules.length} pass their cases; scenarios: top-1 ${top1}/${report.scenarios.length}, top-3 ${top3}/${report.scenarios.length}`);
    if (args.withCoverage) {
      const c = report.coverage;
      lines.push(`coverage: rules fired and silent ${c.rules.firedAndSilent}/${c.rules.total}, leaf conditions true and false ${c.leaves.trueAndFalse}/${c.leaves.total} (${c.percent}%)`);
      if (below) lines.push(`coverage ${c.percent}% is under --min-coverage ${args.minCoverage}`);
    }
    write(io, lines);
  }
  return report.passed && !below ? CLEAN : FINDINGS;
}

function diffOutput(diff: KbDiff, args: KbCommandArgs, io: CliIo): number {
  if (args.format === 'json') json(io, diff);
  else {
    const section = (name: string, d: KbDiff['rules']) => [
      ...d.added.map((id) => `+ ${name} ${id}`),
      ...d.removed.map((id) => `- ${name} ${id}`),
      ...d.changed.map((c) => `~ ${name} ${c.id}: ${c.fields.join(', ')}`),
    ];
    write(io, [
      ...section('hypothesis', diff.hypotheses),
      ...section('rule', diff.rules),
      ...diff.impact.map((i) => `! ${i.file}: top-3 ${i.oldTop3.join(', ') || '(none)'} -> ${i.newTop3.join(', ') || '(none)'}${i.top1Changed ? ' (top-1 changed)' : ''}`),
      isEmptyDiff(diff) ? 'no differences' : `${diff.impact.length} scenario${diff.impact.length === 1 ? '' : 's'} ranked differently`,
    ]);
  }
  return isEmptyDiff(diff) ? CLEAN : FINDINGS;
}

async function doc(kb: KnowledgeBase, args: KbCommandArgs, io: CliIo, scenarios: Scenario[]): Promise<number> {
  const { renderDocSite, writeDocSite } = await import('../../kbtools/doc.js');
  const files = renderDocSite(kb, scenarios, { lang: args.lang });
  writeDocSite(files, args.out);
  write(io, [`wrote ${files.size} files to ${args.out} (open ${join(args.out, 'index.html')})`]);
  return CLEAN;
}

export default defineCommand<KbCommandArgs>({
  command: 'kb <action> [dirs..]',
  describe: 'Curate the knowledge base: validate, seal [DIR], lint, test, coverage, doc, diff OLD NEW',
  builder: (y) =>
    y
      .positional('action', { choices: ACTIONS, describe: 'What to do' })
      .positional('dirs', { type: 'string', array: true, describe: 'diff: the OLD and NEW knowledge-base directories; seal: the directory to seal [default: the shipped rules/]' })
      .option('kb', { ...kbOption, describe: `${kbOption.describe}; seal: the packs DIR is layered over` })
      .option('min-status', minStatusOption)
      .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const })
      .option('coverage', { type: 'boolean', describe: 'test: also report coverage (rules fired and silent, leaves true and false)' })
      .option('min-coverage', { type: 'number', describe: 'test: fail under this coverage percent' })
      .option('max-warnings', { type: 'number', describe: 'lint: fail above this many warnings (errors always fail)' })
      .option('scenarios', { type: 'string', describe: 'test, diff: scenario directory [default: the shipped test/scenarios]' })
      .option('out', { type: 'string', default: 'kb-doc', describe: 'doc: output directory' })
      .option('lang', { type: 'string', default: 'en', describe: 'doc: language (en, zh-CN)' })
      .epilogue(`seal validates DIR and writes ${LOCK_FILE} (each file's sha256 and what the files hold); every load checks it, and rca serve loads only sealed directories. Run it after every edit.\n\nExit codes: 0 clean, 1 findings (lint errors, failing cases or scenarios, coverage under the threshold, differences), 2 usage error, 3 invalid knowledge base (one that does not validate or does not match its ${LOCK_FILE}), as from every command.`),
  async run(args, io) {
    if (args.scenarios !== undefined && !existsSync(args.scenarios)) throw new UsageError(`--scenarios: expected a directory of scenario files, got ${args.scenarios} (not found)`);
    // An installed package ships no test/: then there are no scenarios, not an error.
    const scenariosDir = args.scenarios ?? join(packageRoot, 'test', 'scenarios');
    const scenarios = () => (existsSync(scenariosDir) ? loadScenarios(scenariosDir) : []);
    try {
      if (args.action === 'diff') {
        if (args.dirs?.length !== 2) throw new UsageError(`kb diff: expected two directories OLD NEW, got ${args.dirs?.length ?? 0}`);
        const [before, after] = args.dirs.map((dir) => loadKnowledgeBase([dir]));
        return diffOutput(await diffKnowledgeBases(before as KnowledgeBase, after as KnowledgeBase, scenarios()), args, io);
      }
      if (args.action === 'seal') return seal(args, io);
      if (args.dirs && args.dirs.length > 0) throw new UsageError(`kb ${args.action}: takes no directories (use --kb DIR), got ${args.dirs.join(' ')}`);
      const kb = loadKb(args);
      switch (args.action) {
        case 'validate':
          return validate(kb, args, io);
        case 'lint':
          return lint(lintKnowledgeBase(kb), args, io);
        case 'test':
        case 'coverage':
          return testOutput(await testKnowledgeBase(kb, scenarios()), { ...args, withCoverage: args.coverage === true || args.action === 'coverage' }, io);
        case 'doc':
          return doc(kb, args, io, scenarios());
      }
    } catch (error) {
      if (!(error instanceof KbError)) throw error;
      if (args.format === 'json') json(io, { valid: false, problems: error.problems });
      else write(io, [...error.problems.map(formatKbProblem), `invalid: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}`]);
      return EXIT.kb;
    }
  },
});
