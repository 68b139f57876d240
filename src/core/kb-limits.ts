/**
 * Bounds on a knowledge-base directory, so that a hostile or runaway file is refused at
 * parse time, before it costs time or memory: a 462-byte YAML alias bomb expands to four
 * million values, and validating them took seconds (a few bytes more: minutes and out of memory).
 */
export const KB_LIMITS = {
  /** Rule files in one directory, its subdirectories included (the shipped KB has 78). */
  files: 200,
  /** Subdirectories of one KB directory, at any depth (the shipped KB has one per layer: 6). */
  directories: 50,
  /** Bytes of one rule file (the largest shipped one, rules/system/questions.yaml, has 38 KiB). */
  fileBytes: 1024 * 1024,
  /** Bytes of all rule files of one directory. */
  dirBytes: 8 * 1024 * 1024,
  /** YAML aliases (*name) in one file (the shipped KB uses none). */
  aliases: 100,
  /**
   * Values (scalars, objects, arrays) in one directory's files once aliases are expanded
   * (shipped: about 23,000); also the bound on condition parts once named references are expanded.
   */
  values: 250_000,
  /** Nesting of objects and arrays (shipped files nest at most 10 deep). */
  depth: 64,
  /** A named condition referencing one that references another...: chain length (shipped: 2). */
  references: 32,
} as const;
