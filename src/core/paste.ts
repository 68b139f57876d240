import type { KnowledgeBase } from './kb.js';

/**
 * The kinds of command output `rca parse` reads that carry a fact (kindsCarrying in
 * src/collect/parsers), passed in by the edges: the core never imports the parsers.
 */
export type PasteKinds = (fact: string) => readonly string[];

/** What pasting the output of a question's command fills: its parse kind, and every fact of the vocabulary that kind carries. */
export interface Paste {
  kind: string;
  /** The facts the kind's output carries, the question's own among them, in the vocabulary's order. */
  carries: readonly string[];
}

/**
 * Per KB and PasteKinds, read once: the facts each kind carries, and each fact's paste. The
 * choice asks for the pastes of its shortlist on every step, and a kind's facts come from
 * matching every parser's description (kindsCarrying), so neither is recomputed.
 */
interface Pastes {
  byKind: Map<string, string[]>;
  byFact: Map<string, Paste | null>;
}

const known = new WeakMap<KnowledgeBase, WeakMap<PasteKinds, Pastes>>();

function pastesOf(kb: KnowledgeBase, pasteKinds: PasteKinds): Pastes {
  let byKinds = known.get(kb);
  if (!byKinds) known.set(kb, (byKinds = new WeakMap()));
  let pastes = byKinds.get(pasteKinds);
  if (!pastes) {
    const byKind = new Map<string, string[]>();
    for (const fact of kb.vocabulary.names) {
      for (const kind of pasteKinds(fact)) {
        let facts = byKind.get(kind);
        if (!facts) byKind.set(kind, (facts = []));
        facts.push(fact);
      }
    }
    byKinds.set(pasteKinds, (pastes = { byKind, byFact: new Map() }));
  }
  return pastes;
}

/**
 * The paste a question's command gives: the kind its entry names (`paste`: the parse kind that
 * reads that command's output as written), when that kind carries `fact`, with every fact the
 * kind carries; null when the question names none (or one that does not carry the fact, which
 * `rca kb lint` reports). One answer for the replay (which facts a finding's paste fills), the
 * CLI's "paste the output" hint and the choice of question (what a question's answer is worth).
 * Named, not guessed from the command's program: `curl -w '%{http_code}'` runs curl, yet prints
 * nothing the curl-w parser reads.
 */
export function pasteOf(kb: KnowledgeBase, fact: string, pasteKinds: PasteKinds): Paste | null {
  const pastes = pastesOf(kb, pasteKinds);
  let paste = pastes.byFact.get(fact);
  if (paste === undefined) pastes.byFact.set(fact, (paste = readPaste(kb, fact, pasteKinds, pastes.byKind)));
  return paste;
}

function readPaste(kb: KnowledgeBase, fact: string, pasteKinds: PasteKinds, byKind: ReadonlyMap<string, readonly string[]>): Paste | null {
  const kind = kb.questions.get(fact)?.value.paste;
  if (kind === undefined || !pasteKinds(fact).includes(kind)) return null;
  return { kind, carries: byKind.get(kind) ?? [fact] };
}
