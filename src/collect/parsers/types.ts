import { InputError } from '../../core/errors.js';
import type { InputWarning } from '../../core/request.js';
import type { FactValue } from '../../core/vocabulary.js';
import type { ProcessNaming } from '../process-tree.js';

/** Facts read from one artifact, by dotted name; only what the text supports. */
export type ParsedFacts = Record<string, FactValue>;

export interface ParseContext {
  /** "Now" for facts that depend on the clock (days until a certificate expires). */
  now: Date;
  /** Process names as their program (the default) or their whole command line. */
  processNaming?: ProcessNaming;
  /** Told of what the text shows but the facts cannot hold (lines that disagree), for the caller's warnings. */
  warn?: (warning: InputWarning) => void;
  /**
   * The command the text is likely the output of (the one the interview's question printed),
   * when the caller knows it: a parser may read from it what its output leaves out (strace -c's
   * duration from `timeout N`), and only after checking the command is its own tool's.
   */
  command?: string;
}

/** Reads the saved output of one command (an "artifact") into facts. */
export interface ArtifactParser {
  /** Stable name used on the command line: `rca parse KIND`. */
  readonly kind: string;
  /** The command that produces the text, and the conventions the parser accepts. */
  readonly describe: string;
  /**
   * Returns only the facts the text supports; throws InputError for text it does not recognise.
   * Text it reads that supports no fact (a failure it cannot tell apart) returns none only after
   * a warning naming what to run instead.
   */
  parse(text: string, context?: ParseContext): ParsedFacts;
  /**
   * Facts that only several outputs of this kind give, read as one text: dig's answers on a
   * failing and on a healthy client, saved as two files, compare only together. Several artifacts
   * of this kind in one request are read together for these facts too (jointReadings).
   */
  readonly readTogether?: readonly string[];
}

/** The error every parser throws for text that is not what it reads: names what was expected. */
export function notRecognised(kind: string, expected: string, got = 'unrecognised text'): InputError {
  return new InputError([{ field: `artifact ${kind}`, expected, got }]);
}
