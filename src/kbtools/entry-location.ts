import { locate } from '../core/errors.js';

/** Where an entry sits: its file and, for YAML, the line its `- id:` starts on (JSON files give the entry's JSON path instead). */
export interface EntryLocation {
  file: string;
  line?: number;
  path: string;
}

/** The text of a knowledge-base file by its name as the KB gives it (rule.file); undefined when it cannot be read. */
export type SourceText = (file: string) => string | undefined;

/**
 * The line each `- id: X` entry starts on, per top-level section (`rules`, `hypotheses`), in one
 * pass over the file's lines: a hypothesis and a rule may share an id, the section tells them apart.
 */
export function entryLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let section = '';
  text.split('\n').forEach((line, index) => {
    const top = /^([A-Za-z_]\w*):/.exec(line);
    if (top?.[1]) section = top[1];
    const entry = /^\s*-\s+id:\s*["']?([^"'\s#]+)/.exec(line);
    const key = entry?.[1] && `${section}/${entry[1]}`;
    if (key && !lines.has(key)) lines.set(key, index + 1);
  });
  return lines;
}

/** Locates entries by file, section and id; each file is read and scanned once, when first asked. */
export function entryLocator(sourceText: SourceText): (file: string, path: string, section: string, id: string) => EntryLocation {
  const linesOf = new Map<string, Map<string, number>>();
  return (file, path, section, id) => {
    let lines = linesOf.get(file);
    if (!lines) linesOf.set(file, (lines = entryLines(sourceText(file) ?? '')));
    const line = lines.get(`${section}/${id}`);
    return line === undefined ? { file, path } : { file, line, path };
  };
}

/** An entry's place for a terminal: FILE:LINE, or FILE at /json/pointer without a line. */
export const atLocation = (l: EntryLocation) => (l.line === undefined ? locate(l.file, l.path) : `${l.file}:${l.line}`);
