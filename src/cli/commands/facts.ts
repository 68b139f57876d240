import { vocabulary, type FactSpec } from '../../core/vocabulary.js';
import { defineCommand } from '../command.js';

function range(spec: FactSpec): string {
  if (spec.values) return spec.values.join(' | ');
  const bounds = [spec.minimum !== undefined ? `>= ${spec.minimum}` : '', spec.maximum !== undefined ? `<= ${spec.maximum}` : ''].filter(Boolean);
  return [spec.type, ...bounds].join(' ') + (spec.unit ? ` (${spec.unit})` : '');
}

export default defineCommand<{ format: 'text' | 'json' }>({
  builder: (y) => y.option('format', { alias: ['f', 'o'], choices: ['text', 'json'] as const, default: 'text' as const }),
  async run(args, io) {
    const facts = [...vocabulary().facts.values()];
    if (args.format === 'json') {
      io.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...facts.map((f) => f.name.length));
    for (const f of facts) io.stdout.write(`${f.name.padEnd(width)}  ${range(f)}${f.description ? `  ${f.description}` : ''}\n`);
    return 0;
  },
});
