import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';

/**
 * docs/interview-transcripts/README.md sums up each generated transcript by hand, so nothing
 * regenerated it when the interview changed: five of its six rows had drifted (a stop after 19
 * questions where the transcript stops after 14, "confident after 3" for 2). The figure a reader
 * takes from a row first, how the interview ends, is held to the transcript's `Stopped:` line; the
 * rest of a row (earlier sessions' figures) is history.
 */
const DIR = join(packageRoot, 'docs', 'interview-transcripts');
const README = readFileSync(join(DIR, 'README.md'), 'utf8');
const ROW = /^\| \[([^\]]+)\]\(([^)]+\.md)\) \| (.*) \|$/;
/** The first "<stop> after N" of a row: the interview as the transcript shows it now. */
const STOP = /`?(confident|settled|no_questions|unknowable|limit)`? after (\d+)/;

const rows = README.split('\n').flatMap((line) => {
  const match = ROW.exec(line);
  return match ? [{ id: match[1] ?? '', file: match[2] ?? '', text: match[3] ?? '' }] : [];
});

describe('docs/interview-transcripts/README.md', () => {
  it('has a row for each transcript', () => {
    expect(rows.map((r) => r.id)).toHaveLength(6);
    expect(rows.every((r) => r.file === `${r.id}.md`)).toBe(true);
  });

  it.each(rows)('says how $id ends as its transcript does', ({ file, text }) => {
    const transcript = readFileSync(join(DIR, file), 'utf8');
    const stopped = /^Stopped: `(\w+)` after (\d+) questions?,/m.exec(transcript);
    expect(stopped, 'the transcript has its Stopped: line').not.toBeNull();
    const said = STOP.exec(text);
    expect(said ? `${said[1]} after ${said[2]}` : 'no "<stop> after N"').toBe(`${stopped?.[1]} after ${stopped?.[2]}`);
  });
});
