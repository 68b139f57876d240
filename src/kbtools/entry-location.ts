import { filePosition, locate, type KbPlace } from '../core/errors.js';
import { fileLocator } from '../core/yaml-lines.js';

/** Where an entry, or a field of one, sits: its file, its JSON path, and in a YAML or JSON file the line and column the path starts at (the loader's KbPlace). */
export type EntryLocation = KbPlace;

/** The text of a knowledge-base file by its name as the KB gives it (rule.file); undefined when it cannot be read. */
export type SourceText = (file: string) => string | undefined;

/** Locates a JSON path in its file; each file is read and scanned once, when first asked. */
export function entryLocator(sourceText: SourceText): (file: string, path: string) => EntryLocation {
  const position = fileLocator(sourceText);
  return (file, path) => ({ file, ...position(file, path), path });
}

/** An entry's place for a terminal: FILE:LINE:COLUMN, or FILE at /json/pointer without a line. */
export const atLocation = (l: EntryLocation) => (l.line === undefined ? locate(l.file, l.path) : filePosition(l));
