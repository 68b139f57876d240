import { existsSync } from 'node:fs';
import { artifactParsers, AUTO_KIND, closeKind, detectKind, findParser, parseArtifact } from '../../collect/parsers/index.js';
import { InputError, UsageError } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { processNaming, redactOption } from '../redact-option.js';
import { MAX_ARTIFACT_BYTES, readInputText, STDIN_ARG } from '../io.js';
import { visible } from '../../core/escape.js';
import type { DiagnoseRequest } from '../../generated/diagnose-request.js';

interface ParseArgs {
  kind?: string;
  file?: string;
  list?: boolean;
  now?: string;
  redact: boolean;
}

function parseNow(raw: string | undefined): Date {
  if (raw === undefined) return new Date();
  const now = new Date(raw);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: expected an ISO date such as 2026-01-31T12:00:00Z, got "${raw}"`);
  return now;
}

/**
 * `rca parse WORD`, WORD no kind: the file to read (`-` is stdin), its kind told from the text.
 * When no file has that name either, the one line says both, since either may have been meant.
 */
function fileOrKind(word: string): string {
  if (word === STDIN_ARG || existsSync(word)) return word;
  const kind = closeKind(word);
  throw new InputError([{ field: word, expected: 'a readable file or a kind of output (rca parse --list shows them)', got: `neither (no such file${kind ? `; did you mean the kind "${kind}"?` : ''})` }]);
}

export default defineCommand<ParseArgs>({
  builder: (y) =>
    y
      .positional('kind', { type: 'string', describe: 'What produced the text (see --list); auto, or a FILE in its place, tells it from the text' })
      .positional('file', { type: 'string', describe: 'The saved output; - or none for stdin' })
      .option('list', { type: 'boolean', describe: 'List the kinds and the command each one reads' })
      .option('now', { type: 'string', describe: 'Date to count certificate days from (ISO 8601) [default: now]' })
      .option('redact', redactOption),
  async run(args, io) {
    if (args.list) {
      const width = Math.max(...artifactParsers.map((p) => p.kind.length));
      for (const p of artifactParsers) io.stdout.write(`${p.kind.padEnd(width)}  ${p.describe}\n`);
      return 0;
    }
    if (args.kind === undefined) throw new UsageError('give the KIND of output to parse (rca parse --list shows them)');
    const [kind, file] = args.file === undefined && args.kind !== AUTO_KIND && !artifactParsers.some((p) => p.kind === args.kind) ? [AUTO_KIND, fileOrKind(args.kind)] : [args.kind, args.file];
    if (kind !== AUTO_KIND) findParser(kind);
    const now = parseNow(args.now);
    if ((file === undefined || file === STDIN_ARG) && io.stdin.isTTY) throw new UsageError(`no input: give a FILE with the ${kind} output or pipe it to stdin`);
    const { text, source } = await readInputText(file ?? STDIN_ARG, io, MAX_ARTIFACT_BYTES);
    const parsedKind = kind === AUTO_KIND ? detectKind(text, source, 'rca parse KIND FILE') : kind;
    if (kind === AUTO_KIND) io.stderr.write(`rca: read ${visible(source)} as ${parsedKind} output\n`);
    const warnings: string[] = [];
    const facts = parseArtifact(parsedKind, text, { now, processNaming: processNaming(args.redact), warn: ({ field, message }) => warnings.push(`${field}: ${message}`) });
    // A warning may quote the paste (a df mount point, an haproxy backend's name): shown, never sent to the terminal.
    for (const warning of warnings) io.stderr.write(`rca: warning: ${visible(`${source}: ${warning}`)}\n`);
    io.stdout.write(`${JSON.stringify({ facts } satisfies DiagnoseRequest, null, 2)}\n`);
    return 0;
  },
});
