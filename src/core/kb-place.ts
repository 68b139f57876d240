/**
 * Where an entry of a knowledge base is written, and where the parts later packs gave it are.
 * Its own module, apart from kb.ts: the loader (kb.ts) imports the check registry, and the
 * checks place their findings with placeOf; kept in kb.ts, it made an import cycle in which
 * a check imported before kb.ts was still undefined when the registry listed it.
 */

export interface Located<T> {
  value: T;
  file: string;
  path: string;
}

/**
 * A later pack's extension of an entry (or a named command an entry runs), where it is written,
 * and the fields it gave: each part's JSON pointer under the merged entry (`/checks/5`) and under
 * the extension (`/checks/0`) or the command (`/how`).
 */
export interface Extension {
  file: string;
  path: string;
  pack: number;
  parts: ReadonlyArray<{ pointer: string; own: string }>;
}

/**
 * An entry and the pack (--kb directory, in order) it comes from, with the extensions later packs
 * made to it, newest first: a finding in what one of them gave is placed where it was written.
 */
export type Packed<T> = Located<T> & {
  pack: number;
  extensions?: readonly Extension[];
  /** The parts taken from the named commands it runs (`run`): a question's how, paste and carries, a check's command. */
  fromCommands?: readonly Extension[];
};

/** Where the field at `pointer` under an entry was written: in the named command or the extension that gave it, or in the entry itself. */
export function placeOf(entry: Located<unknown> & Pick<Packed<unknown>, 'extensions' | 'fromCommands'>, pointer: string): { file: string; path: string } {
  for (const extension of [...(entry.fromCommands ?? []), ...(entry.extensions ?? [])]) {
    for (const { pointer: merged, own } of extension.parts) {
      if (pointer === merged || pointer.startsWith(`${merged}/`)) return { file: extension.file, path: extension.path + own + pointer.slice(merged.length) };
    }
  }
  return { file: entry.file, path: entry.path + pointer };
}
