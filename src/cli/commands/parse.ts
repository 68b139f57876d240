import { artifactParsers, findParser, parseArtifact } from '../../collect/parsers/index.js';
import { UsageError } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { processNaming, redactOption } from '../redact-option.js';
import { readInputText, STDIN_ARG } from '../io.js';

interface ParseArgs {
  kind?: string;
  file?: string;
  list?: boolean;
  now?: string;
  redact: boolean;
}

/** Logs and captures run larger than fact documents; still bounded, and refused unread. */
const MAX_ARTIFACT_BYTES = 16 * 1024 * 1024;

function parseNow(raw: string | undefined): Date {
  if (raw === undefined) return new Date();
  const now = new Date(raw);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: expected an ISO date such as 2026-01-31T12:00:00Z, got "${raw}"`);
  return now;
}

export default defineCommand<ParseArgs>({
  builder: (y) =>
    y
      .positional('kind', { type: 'string', describe: 'What produced the text (see --list)' })
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
    findParser(args.kind);
    const now = parseNow(args.now);
    if ((args.file === undefined || args.file === STDIN_ARG) && io.stdin.isTTY) throw new UsageError(`no input: give a FILE with the ${args.kind} output or pipe it to stdin`);
    const { text } = await readInputText(args.file ?? STDIN_ARG, io, MAX_ARTIFACT_BYTES);
    io.stdout.write(`${JSON.stringify({ facts: parseArtifact(args.kind, text, { now, processNaming: processNaming(args.redact) }) }, null, 2)}\n`);
    return 0;
  },
});
