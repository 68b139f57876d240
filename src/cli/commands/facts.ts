import { visible } from '../../core/escape.js';
import { localize } from '../../core/localize.js';
import type { FactSpec } from '../../core/vocabulary.js';
import type { FactList } from '../../generated/fact-list.js';
import { defineCommand } from '../command.js';
import { kbOption, loadKb, type KbArgs } from '../kb-option.js';

function range(spec: FactSpec): string {
  if (spec.values) return spec.values.join(' | ');
  const bounds = [spec.minimum !== undefined ? `>= ${spec.minimum}` : '', spec.maximum !== undefined ? `<= ${spec.maximum}` : ''].filter(Boolean);
  return [spec.type, ...bounds].join(' ') + (spec.unit ? ` (${spec.unit})` : '');
}

export default defineCommand<KbArgs & { format: 'text' | 'json' }>({
  builder: (y) => y.option('format', { alias: ['f', 'o'], choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format: a table, or json (schemas/fact-list.schema.json)' }).option('kb', kbOption),
  async run(args, io) {
    // The vocabulary of the knowledge base in use: the shipped facts and those its packs declare.
    const facts = [...loadKb(args, io.env).vocabulary.facts.values()];
    if (args.format === 'json') {
      io.stdout.write(`${JSON.stringify(facts satisfies FactList, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...facts.map((f) => f.name.length));
    // A pack's values and descriptions are text from elsewhere: shown, never sent to the terminal as control sequences.
    for (const f of facts) io.stdout.write(`${f.name.padEnd(width)}  ${visible(range(f))}${f.description ? `  ${visible(localize(f.description, 'en'))}` : ''}\n`);
    return 0;
  },
});
