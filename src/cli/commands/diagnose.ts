import { diagnose } from '../../core/diagnose.js';
import { inInput, InputError, UsageError } from '../../core/errors.js';
import { customReport, renderReport, REPORT_FORMATS, type ReportFormat } from '../../core/render.js';
import { mergeRequests, type RequestSource } from '../../core/merge.js';
import { directReadings } from '../../core/paste.js';
import { jointReadings, parseDiagnoseRequest, readDirect, type SourcedArtifact } from '../../core/request.js';
import { parseDocument } from '../../core/document.js';
import { defineCommand, repeatedValue } from '../command.js';
import { targetInput, targetOption } from '../target-option.js';
import { MAX_ARTIFACT_BYTES, MAX_INPUT_BYTES, openFile, readDocumentText, readInputText, STDIN_ARG, type CliIo, type OpenFile } from '../io.js';
import { checkLang, kbOption, loadKb, minStatusOption, type KbArgs } from '../kb-option.js';
import { fileErrorText } from '../../core/files.js';

interface DiagnoseArgs extends KbArgs, ReportArgs {
  files?: string[];
  artifact?: string[];
  'direct-artifact'?: string[];
  target?: string;
  template?: string;
}

/**
 * Colour on a terminal unless NO_COLOR is set (and not empty); FORCE_COLOR forces it on (off
 * when "0" or "false"), on a pipe too and over NO_COLOR, as Node's own getColorDepth does.
 */
export function useColor(io: CliIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  const noColor = io.env.NO_COLOR;
  return io.stdout.isTTY === true && (noColor === undefined || noColor === '');
}

/** How the report is written: rca diagnose's options, which rca collect --diagnose takes too. */
export const reportOptions = {
  format: { alias: ['f', 'o'], choices: REPORT_FORMATS },
  top: { type: 'number', describe: 'Show only the N most likely root causes' },
  lang: { type: 'string' },
} as const;

export interface ReportArgs {
  format?: ReportFormat;
  top?: number;
  lang?: string;
}

/** Refuses a --top or --lang the report cannot take, before any work. */
export function checkReportArgs(args: ReportArgs): void {
  if (args.top !== undefined && (!Number.isInteger(args.top) || args.top < 1)) {
    throw new UsageError(`--top: expected a whole number >= 1, got ${String(args.top)}`);
  }
  checkLang(args.lang);
}

export default defineCommand<DiagnoseArgs>({
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'Facts in JSON or YAML (by the name, else the content), flat or nested, or {"summary", "facts"}; - for stdin. Several are merged: a fact two of them give differently is an error; a fact one states is kept over the value an --artifact output gives, and between two outputs the earlier is kept, each with a warning' })
      .option('artifact', { ...repeatedValue, describe: 'Also read KIND=FILE, the saved output of a tool (rca parse --list; auto=FILE tells the kind from the text); repeat for more' })
      .option('direct-artifact', { ...repeatedValue, describe: 'Also read KIND=FILE, the output of a request sent straight to one backend, bypassing the LB (curl against its address): its status and time are the direct request\'s (http.direct_status, http.direct_latency_ms), the rest is set aside; repeat for more' })
      .option('format', { ...reportOptions.format, describe: 'Report format [default: the input\'s "format", else text]' })
      .option('top', reportOptions.top)
      .option('template', { type: 'string', describe: 'Render with this handlebars template instead (not with --format: the template writes the whole report)' })
      .option('target', targetOption)
      .option('kb', kbOption)
      .option('min-status', minStatusOption)
      .option('lang', { ...reportOptions.lang, describe: 'Language of texts: en, zh-CN [default: the input\'s "lang", else en]' }),
  async run(args, io) {
    checkReportArgs(args);
    // The template is the whole report: a format beside it would be ignored in silence.
    if (args.template !== undefined && args.format !== undefined) throw new UsageError(`--format: expected none with --template (the template writes the whole report), got ${JSON.stringify(args.format)}`);
    const custom = args.template === undefined ? undefined : await readTemplate(args.template);
    const kb = loadKb(args, io.env);
    const artifacts = [...artifactArgs(args.artifact, '--artifact'), ...artifactArgs(args['direct-artifact'], '--direct-artifact')];
    const files = args.files ?? [];
    checkStdinOnce(files, artifacts);
    const target = targetInput(args.target, kb.vocabulary);
    // With only --artifact or --target, there is no document and stdin stays unread.
    const documents = await Promise.all((files.length > 0 ? files : artifacts.length > 0 || target ? [] : [undefined]).map(async (file) => {
      const { text, source } = await readDocumentText(file, io);
      return { source, document: parseDocument(text, source) };
    }));
    // The artifact parsers are loaded only for input with artifacts to parse.
    const withArtifacts = artifacts.length > 0 || documents.some(({ document }) => typeof document === 'object' && document !== null && 'artifacts' in document);
    const parsers = withArtifacts ? await import('../../collect/parsers/index.js') : undefined;
    const inputs: RequestSource[] = documents.map(({ source, document }) => ({ source, request: inInput(source, () => parseDiagnoseRequest(document, { vocabulary: kb.vocabulary, directReadings: directReadings(kb), ...(parsers && { parseArtifact: parsers.parseArtifact }) })) }));
    if (parsers) inputs.push(...(await readArtifacts(artifacts, parsers, io, directReadings(kb))));
    if (target) inputs.push(target);
    const request = mergeRequests(inputs);
    const top = args.top ?? request.top;
    const result = await diagnose(kb, request.facts, { lang: args.lang ?? request.lang ?? 'en', summary: request.summary, warnings: request.warnings, ...(top !== undefined && { top }) });
    const color = useColor(io);
    io.stdout.write(custom ? custom(result, { color }) : renderReport(result, args.format ?? request.format ?? 'text', { color }));
    return 0;
  },
});

/** One --artifact or --direct-artifact KIND=FILE, as typed (for errors), with FILE as main() passes it on. */
interface ArtifactArg {
  /** --direct-artifact: the output of a request straight to one backend. */
  option: '--artifact' | '--direct-artifact';
  /** The option and its value, as typed. */
  given: string;
  kind: string;
  file: string;
}

/** Splits each value of OPTION at its first "="; anything else, an empty value among it, is a usage error. */
function artifactArgs(values: readonly string[] | undefined, option: '--artifact' | '--direct-artifact'): ArtifactArg[] {
  return (values ?? []).map((value) => {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new UsageError(`${option}: expected KIND=FILE (rca parse --list shows the kinds), got ${value === '' ? 'nothing' : JSON.stringify(value)}`);
    const file = value.slice(at + 1);
    return { option, given: `${option} ${value}`, kind: value.slice(0, at), file: file === '-' ? STDIN_ARG : file };
  });
}

/** Stdin can be read once: by one document or one artifact. */
function checkStdinOnce(files: readonly string[], artifacts: readonly ArtifactArg[]): void {
  const readers = [...files.filter((file) => file === STDIN_ARG).map(() => '-'), ...artifacts.filter((a) => a.file === STDIN_ARG).map((a) => a.given)];
  if (readers.length > 1) throw new UsageError(`stdin: expected at most one input read from stdin, got ${readers.length} (${readers.join(' and ')})`);
}

/** Reads and parses each --artifact into an input of its own, every kind checked before any file is read. */
async function readArtifacts(artifacts: readonly ArtifactArg[], parsers: typeof import('../../collect/parsers/index.js'), io: CliIo, readings: Readonly<Record<string, string>>): Promise<RequestSource[]> {
  for (const { kind, option } of artifacts) if (kind !== parsers.AUTO_KIND) parsers.findParser(kind, option);
  const inputs: RequestSource[] = [];
  const plain: SourcedArtifact[] = [];
  for (const { option, given: source, kind, file } of artifacts) {
    const { text } = await readInputText(file, io, MAX_ARTIFACT_BYTES);
    const parsedKind = kind === parsers.AUTO_KIND ? parsers.detectKind(text, source, `${option} KIND=FILE`) : kind;
    const warnings: RequestSource['request']['warnings'] = [];
    const read = inInput(source, () => parsers.parseArtifact(parsedKind, text, { warn: ({ field, message }) => warnings.push({ field, message: `${source}: ${message}` }) }), `artifact ${parsedKind}`);
    const facts = option === '--direct-artifact' ? readDirect(read, readings, source, warnings) : read;
    if (option === '--artifact') plain.push({ kind: parsedKind, text, source });
    inputs.push({ source, request: { facts, measured: new Set(Object.keys(facts)), summary: null, unknown: [], warnings } });
  }
  for (const { source, facts, warnings } of jointReadings(plain, parsers.parseArtifact)) {
    inputs.push({ source, request: { facts, measured: new Set(Object.keys(facts)), summary: null, unknown: [], warnings } });
  }
  return inputs;
}

/**
 * Reads a --template file within the size limit of input documents. The size is taken from
 * the opened file itself, and a directory or device (/dev/zero has no end) is refused unread.
 */
async function readTemplate(file: string) {
  const refuse = (got: string) => new InputError([{ field: '--template', expected: 'a readable handlebars file', got: `${file}: ${got}` }]);
  let handle: OpenFile;
  try {
    handle = await openFile(file);
  } catch (error) {
    throw refuse(fileErrorText(error));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuse('a directory or special file');
    if (info.size > MAX_INPUT_BYTES) throw new InputError([{ field: '--template', expected: `at most ${MAX_INPUT_BYTES} bytes`, got: `${info.size} bytes` }]);
    return customReport(await handle.readText(), file);
  } finally {
    await handle.close();
  }
}
