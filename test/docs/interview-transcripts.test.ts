import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';

/**
 * docs/interview-transcripts/README.md sums each transcript up in a row of its table; the
 * transcripts are regenerated (npm run docs:transcripts) and the rows are not, so they told of
 * interviews the pages no longer show. Each row names the transcript's first question and how it
 * stops, as its page says them.
 */
const DIR = join(packageRoot, 'docs', 'interview-transcripts');
const index = readFileSync(join(DIR, 'README.md'), 'utf8');
const rows = [...index.matchAll(/^\| \[([\w-]+)\]\(\1\.md\) \|(.*)\|$/gm)].map(([, id, text]) => ({ id: id as string, text: text as string }));
const pages = readdirSync(DIR).filter((name) => name !== 'README.md' && name.endsWith('.md')).map((name) => name.slice(0, -'.md'.length)).sort();

describe('docs/interview-transcripts/README.md', () => {
  it('has one row per transcript', () => {
    expect(rows.map((row) => row.id).sort()).toEqual(pages);
  });

  it.each(rows)('$id: the row names the first question and the stop its page shows', ({ id, text }) => {
    const page = readFileSync(join(DIR, `${id}.md`), 'utf8');
    const first = /^### Q1 `([\w.]+)`/m.exec(page)?.[1];
    const [, reason, asked] = /^Stopped: `(\w+)` after (\d+) questions?,/m.exec(page) ?? [];
    expect({ first: text.includes(`first \`${first}\``), stop: text.includes(`stops \`${reason}\` after ${asked} question${asked === '1' ? '' : 's'}`) }).toEqual({ first: true, stop: true });
  });
});
