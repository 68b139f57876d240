import { diagnose } from '../../core/diagnose.js';
import { EXIT, inInput, InputError, inputProblemOf, UsageError } from '../../core/errors.js';
import { DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_MARGIN, type InterviewState } from '../../core/interview.js';
import { renderReport, REPORT_FORMATS, uiText, type ReportFormat } from '../../core/render.js';
import { parseDiagnoseRequest, type InputWarning } from '../../core/request.js';
import { directReadings } from '../../core/paste.js';
import { parseDocument } from '../../core/document.js';
import { writeFileAtomic } from '../../core/files.js';
import { mergeRequests, type RequestSource } from '../../core/merge.js';
import { defineCommand } from '../command.js';
import { readsTarget, TARGET_FACTS, targetInput, targetOption, targetRequest } from '../target-option.js';
import { checkOutputFile, readDocumentText, STDIN_ARG } from '../io.js';
import { scriptedPrompter, ttyPrompter } from '../interview/prompters.js';
import type { PasteParser } from '../interview/answers.js';
import { runSession } from '../interview/session.js';
import { checkLang, kbOption, loadKb, minStatusOption, type KbArgs } from '../kb-option.js';
import { checkTenant, storeFrom, storeOptions, withCases, type StoreArgs } from '../store-option.js';
import { useColor } from './diagnose.js';
import { visible } from '../../core/escape.js';
import type { DiagnoseRequest } from '../../generated/diagnose-request.js';
import type { FactMap } from '../../core/vocabulary.js';

interface InterviewArgs extends KbArgs, StoreArgs {
  facts?: string;
  target?: string;
  case?: string;
  tenant: string;
  save?: string;
  format?: ReportFormat;
  maxQuestions: number;
  minConfidence: number;
  minMargin: number;
  lang?: string;
}

/** Exit code after Ctrl-C, as shells report a SIGINT death. */

/** What a --facts document says besides its facts, kept in what --save writes so that a resumed interview reads as it began. */
interface Envelope {
  summary: string | null;
  /** What the document's facts and artifacts disagree on, for the report as rca diagnose gives it (not saved: the facts kept are the values used). */
  warnings?: InputWarning[];
  lang?: string;
  format?: ReportFormat;
}

function save(file: string, state: InterviewState, { summary, lang, format }: Envelope): void {
  try {
    writeFileAtomic(file, `${JSON.stringify({ ...(summary && { summary }), ...(lang && { lang }), ...(format && { format }), facts: state.facts, unknown: [...state.unknown] } satisfies DiagnoseRequest, null, 2)}\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    // The system's words without the temporary file's name ("EACCES: permission denied, open '...tmp'").
    throw new InputError([{ field: '--save', expected: 'a file rca may write', got: `${file} (${(error as Error).message.replace(/, \w+ '[^]*$/, '')})` }]);
  }
}

export default defineCommand<InterviewArgs>({
  builder: (y) =>
    y
      .option('facts', { type: 'string', describe: 'Start from these facts (JSON or YAML, as for diagnose; a saved interview resumes)' })
      .option('case', { type: 'string', describe: 'Start from a case\'s facts (rca cases list) and save the answers into it, diagnosing it again' })
      .option('tenant', { type: 'string', default: 'default', describe: 'The tenant whose case --case names' })
      .options(storeOptions)
      .option('save', { type: 'string', describe: 'Write the facts gathered so far to FILE after every answer and on Ctrl-C' })
      .option('format', { alias: ['f', 'o'], choices: REPORT_FORMATS, describe: 'Format of the final report [default: the --facts document\'s "format", else text]' })
      .option('max-questions', { type: 'number', default: 20, describe: 'Ask at most N questions' })
      .option('min-confidence', { type: 'number', default: DEFAULT_MIN_CONFIDENCE, describe: 'Stop once the leading cause reaches this confidence (0-1) ...' })
      .option('min-margin', { type: 'number', default: DEFAULT_MIN_MARGIN, describe: '... and leads the runner-up by at least this much (0-1)' })
      .option('target', targetOption)
      .option('kb', kbOption)
      .option('min-status', minStatusOption)
      .option('lang', { type: 'string', describe: 'Language: en, zh-CN [default: the --facts document\'s "lang", else en]' })
      .epilogue('Answer a question, or: ? (unknown), why, how, back, done, or paste a command\'s output: a line "paste KIND" (rca parse --list; "paste auto" tells it from the output), the output, and a line "end"; it fills every fact the output carries. At a typed question (and in a script) a line FACT=VALUE (tcp.connect=ok) tells what you know of any fact, asked or not. Without a terminal, questions go to stderr and answers are read one per line from stdin.'),
  async run(args, io) {
    if (!Number.isInteger(args.maxQuestions) || args.maxQuestions < 0) throw new UsageError(`--max-questions: expected a whole number >= 0, got ${String(args.maxQuestions)}`);
    for (const [flag, value] of [['--min-confidence', args.minConfidence], ['--min-margin', args.minMargin]] as const) {
      if (!Number.isFinite(value) || value < 0 || value > 1) throw new UsageError(`${flag}: expected a number from 0 to 1, got ${String(value)}`);
    }
    checkLang(args.lang);
    if (args.save !== undefined) checkOutputFile('--save', args.save);
    const kb = loadKb(args, io.env);
    let start: InterviewState = { facts: {}, unknown: [] };
    let envelope: Envelope = { summary: null };
    /** The facts a case's diagnosis reads, which the interview starts from (--case): what differs from them is what it learned. */
    let caseFacts: FactMap = {};
    let caseRevision = 0;
    if (args.case !== undefined && args.facts !== undefined) throw new UsageError('--case: expected either --case or --facts, got both');
    const caseStore = args.case === undefined ? undefined : storeFrom(args, io.env);
    // The parsers are the registry of what a paste carries: the choice of question weighs it from the first question.
    const { AUTO_KIND, findParser, parseArtifact, kindsCarrying, resolveKind } = await import('../../collect/parsers/index.js');
    if (caseStore) {
      checkTenant(args.tenant);
      const found = await withCases(caseStore, (cases) => cases.get(args.tenant, args.case as string), { readOnly: true });
      if (!found) throw new UsageError(`--case: expected a case id of tenant ${JSON.stringify(args.tenant)}, got ${JSON.stringify(args.case)} (no such case)`);
      // What the case's diagnosis reads: its facts and those of its artifacts. Not its diagnosis's
      // facts, which hold what they imply too (path.via_lb from an error page the LB wrote): taken
      // as facts of their own, they counted twice, and saved into the case they outlived the facts
      // that implied them.
      const { caseRequest } = await import('../../cases/service.js');
      const request = inInput(`case ${found.id}`, () => caseRequest(kb, parseArtifact, found));
      caseFacts = request.facts;
      caseRevision = found.revision;
      start = { facts: caseFacts, unknown: [] };
      envelope = { summary: found.summary, warnings: request.warnings };
    }
    if (args.facts !== undefined) {
      if (args.facts === STDIN_ARG) throw new InputError([{ field: '--facts', expected: 'a file (stdin carries the answers)', got: '-' }]);
      const { text, source } = await readDocumentText(args.facts, io);
      const document = parseDocument(text, source);
      // Read as rca diagnose reads it: a ticket's artifacts (tool output) fill the facts they carry.
      const request = inInput(source, () => parseDiagnoseRequest(document, { vocabulary: kb.vocabulary, parseArtifact, directReadings: directReadings(kb) }));
      start = { facts: request.facts, unknown: request.unknown };
      envelope = { summary: request.summary, warnings: request.warnings, ...(request.lang !== undefined && { lang: request.lang }), ...(request.format !== undefined && { format: request.format }) };
    }
    // --target names the service as a document's target.* facts would; one that says another is an error, as between two documents.
    const startSource = args.facts ?? (args.case !== undefined ? '--case' : 'the start');
    const withTarget = (state: InterviewState, target: RequestSource): InterviewState => ({ ...state, facts: mergeRequests([{ source: startSource, request: { facts: state.facts, measured: new Set(), summary: null, unknown: [], warnings: [] } }, target]).facts });
    const target = targetInput(args.target, kb.vocabulary);
    if (target) start = withTarget(start, target);
    // As rca diagnose: a flag given on the line wins over the document's setting.
    const lang = args.lang ?? envelope.lang ?? 'en';
    const format = args.format ?? envelope.format ?? 'text';
    const parse: PasteParser = async (kind, text, warn, command) => {
      const read = resolveKind(kind, text, `paste ${kind}`);
      return { kind: read, facts: parseArtifact(read, text, { warn, ...(command !== undefined && { command }) }) };
    };
    const kindProblem = (kind: string) => (kind === AUTO_KIND ? undefined : inputProblemOf(() => findParser(kind)));
    // Written once before the first question: a directory rca may not write in is said now, not
    // after the first answer, which it failed as an internal error.
    if (args.save) save(args.save, start, envelope);
    const prompter = io.stdin.isTTY ? await ttyPrompter(io, lang, parse, kb.vocabulary, kindProblem) : scriptedPrompter(io, lang, parse, kb.vocabulary);
    let state = start;
    let interrupted = false;
    const onInterrupt = () => {
      interrupted = true;
      prompter.close();
    };
    io.signals.once('SIGINT', onInterrupt);
    let reportNow = false;
    // A line that ends the run (it fits no question) keeps the answers given before it, in the
    // case as in --save's file: the error is said once they are saved.
    let failed: { error: unknown } | undefined;
    try {
      // On a terminal, the service comes first, as on an incident form: every command the
      // interview suggests names it instead of '<target.host>'. It is what --target gives (a
      // URL's scheme weighs as target.protocol, as a ticket's would), not a question the
      // interview chooses or counts; a script gives it with --target. `back` at the first
      // question asks it again, as it would the answer before. Not asked when no command of
      // the knowledge base reads the service (readsTarget): the answer would change nothing.
      const beforeService = start;
      const serviceAsked = prompter.askService !== undefined && readsTarget(kb) && !TARGET_FACTS.some((fact) => fact in beforeService.facts);
      for (;;) {
        if (prompter.askService && serviceAsked) {
          const fromPrompt = (line: string): InterviewState => withTarget(beforeService, { source: 'the answer', request: targetRequest(line, kb.vocabulary) });
          const reply = await prompter.askService((line) => inputProblemOf(() => fromPrompt(line)));
          state = start = reply.kind === 'answer' ? fromPrompt(reply.text) : beforeService;
          if (reply.kind === 'eof') interrupted = true;
          // Ctrl-D: done, report now, as at any question.
          else if (reply.kind === 'done') reportNow = true;
        }
        if (interrupted || reportNow) break;
        const outcome = await runSession(kb, start, prompter, {
          lang,
          maxQuestions: args.maxQuestions,
          minConfidence: args.minConfidence,
          minMargin: args.minMargin,
          pasteKinds: kindsCarrying,
          backBeforeFirst: serviceAsked,
          onChange: (next) => {
            state = next;
            if (args.save) save(args.save, next, envelope);
          },
        });
        state = outcome.state;
        if (outcome.stop === 'eof' && io.stdin.isTTY) interrupted = true;
        if (outcome.stop !== 'back') break;
      }
    } catch (error) {
      failed = { error };
    } finally {
      // Stop reading stdin: a terminal or a pipe left open would otherwise keep the process alive after the report.
      prompter.close();
      io.signals.removeListener('SIGINT', onInterrupt);
      if (args.save) {
        save(args.save, state, envelope);
        io.stderr.write(`${uiText('iv_saved', lang)} ${visible(args.save)}\n`);
      }
    }
    if (caseStore) {
      // What the interview learned (the service, the answers), not the artifacts' facts it read at
      // the start: those stay the artifacts', which a newer artifact may correct.
      const answers = Object.fromEntries(Object.entries(state.facts).filter(([fact, value]) => !Object.is(caseFacts[fact], value)));
      const updated = await withCases(caseStore, (cases) => cases.update(args.tenant, args.case as string, { facts: { set: answers, remove: [] }, artifacts: [] }, kb));
      if (!updated) throw new UsageError(`--case: expected a case id of tenant ${JSON.stringify(args.tenant)}, got ${JSON.stringify(args.case)} (no such case)`);
      // Nothing learned under the knowledge base of its last diagnosis changes nothing: no new revision, and none is claimed.
      io.stderr.write(updated.revision === caseRevision ? `rca: case ${updated.id} is as it was: no answer to add (revision ${updated.revision})\n` : `rca: the answers are in case ${updated.id}, diagnosed again (revision ${updated.revision})\n`);
    }
    if (failed) throw failed.error;
    if (interrupted) return EXIT.interrupted;
    // The document's disagreements, about the facts the answers left as it gave them (FACT=VALUE may have replaced one).
    const warnings = (envelope.warnings ?? []).filter(({ field }) => Object.is(state.facts[field], start.facts[field]));
    const result = await diagnose(kb, state.facts, { lang, summary: envelope.summary, warnings });
    io.stdout.write(renderReport(result, format, { color: useColor(io) }));
    return 0;
  },
});
