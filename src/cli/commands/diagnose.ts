import { open, type FileHandle } from 'node:fs/promises';
import { diagnose } from '../../core/diagnose.js';
import { InputError, UsageError } from '../../core/errors.js';
import { customReport, renderReport, REPORT_FORMATS, type ReportFormat } from '../../core/render.js';
import { parseDiagnoseRequest } from '../../core/request.js';
import { parseDocument } from '../../core/document.js';
import { defineCommand } from '../command.js';
import { MAX_INPUT_BYTES, readInputText, type CliIo } from '../io.js';
import { checkLang, kbOption, loadKb, minStatusOption, type KbArgs } from '../kb-option.js';

interface DiagnoseArgs extends KbArgs {
  file?: string;
  format?: ReportFormat;
  top?: number;
  template?: string;
  lang?: string;
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

export default defineCommand<DiagnoseArgs>({
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'Facts in JSON or YAML (by the name, else the content), flat or nested, or {"summary", "facts"}; - for stdin' })
      .option('format', { alias: ['f', 'o'], choices: REPORT_FORMATS, describe: 'Report format [default: the input\'s "format", else text]' })
      .option('top', { type: 'number', describe: 'Show only the N most likely root causes' })
      .option('template', { type: 'string', describe: 'Render with this handlebars template instead' })
      .option('kb', kbOption)
      .option('min-status', minStatusOption)
      .option('lang', { type: 'string', describe: 'Language of texts: en, zh-CN [default: the input\'s "lang", else en]' }),
  async run(args, io) {
    if (args.top !== undefined && (!Number.isInteger(args.top) || args.top < 1)) {
      throw new UsageError(`--top: expected a whole number >= 1, got ${String(args.top)}`);
    }
    checkLang(args.lang);
    const custom = args.template === undefined ? undefined : await readTemplate(args.template);
    const kb = loadKb(args, io.env);
    const { text, source } = await readInputText(args.file, io);
    const document = parseDocument(text, source);
    // The artifact parsers are loaded only for a document that has artifacts to parse.
    const withParsers = typeof document === 'object' && document !== null && 'artifacts' in document ? { parseArtifact: (await import('../../collect/parsers/index.js')).parseArtifact } : {};
    const request = parseDiagnoseRequest(document, withParsers);
    const top = args.top ?? request.top;
    const result = await diagnose(kb, request.facts, { lang: args.lang ?? request.lang ?? 'en', summary: request.summary, warnings: request.warnings, ...(top !== undefined && { top }) });
    const color = useColor(io);
    io.stdout.write(custom ? custom(result, { color }) : renderReport(result, args.format ?? request.format ?? 'text', { color }));
    return 0;
  },
});

/**
 * Reads a --template file within the size limit of input documents. The size is taken from
 * the opened file itself, and a directory or device (/dev/zero has no end) is refused unread.
 */
async function readTemplate(file: string) {
  const refuse = (got: string) => new InputError([{ field: '--template', expected: 'a readable handlebars file', got: `${file}: ${got}` }]);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuse('a directory or special file');
    if (info.size > MAX_INPUT_BYTES) throw new InputError([{ field: '--template', expected: `at most ${MAX_INPUT_BYTES} bytes`, got: `${info.size} bytes` }]);
    return customReport(await handle.readFile('utf8'), file);
  } finally {
    await handle.close();
  }
}
