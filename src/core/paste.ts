import type { KnowledgeBase } from './kb.js';
import { commandKey, questionCommand, type QuestionCommand } from './variants.js';
import type { FactMap, FactValue } from './vocabulary.js';

/**
 * The kinds of command output `rca parse` reads that carry a fact (kindsCarrying in
 * src/collect/parsers), passed in by the edges: the core never imports the parsers.
 */
export type PasteKinds = (fact: string) => readonly string[];

/** What pasting the output of a question's command fills: its parse kind, and the facts of the vocabulary its output carries. */
export interface Paste {
  kind: string;
  /**
   * The facts the command's output carries, the question's own among them, in the vocabulary's
   * order: those its `carries` names (of those the kind carries), else every fact the kind
   * carries (with `as`: the facts they stand for).
   */
  carries: readonly string[];
  /** The question's `pasteAs`: the output is another endpoint's, and fills these facts alone, each under the fact it stands for here. */
  as?: Readonly<Record<string, string>>;
}

/**
 * Per KB and PasteKinds, read once: the facts each kind carries, and each fact's paste (by the
 * fact and the variant of its command: commandKey). The choice asks for the pastes of its shortlist
 * on every step, and a kind's facts come from matching every parser's description
 * (kindsCarrying), so neither is recomputed.
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

/** The facts of the vocabulary a paste of KIND carries, in the vocabulary's order. */
export function kindFacts(kb: KnowledgeBase, pasteKinds: PasteKinds, kind: string): readonly string[] {
  return pastesOf(kb, pasteKinds).byKind.get(kind) ?? [];
}

/**
 * The paste a question's command gives, the command `facts` select (questionCommand: the
 * default while its fact is unknown): the kind its entry names (`paste`: the parse kind that
 * reads that command's output as written), when that kind carries `fact`, with the facts its
 * `carries` names (what the command prints), else every fact the kind carries; null when the
 * question names none (or one that does not carry the fact, which `rca kb lint` reports). One answer for the replay (which facts a finding's paste fills), the
 * CLI's "paste the output" hint and the choice of question (what a question's answer is worth).
 * Named, not guessed from the command's program: `curl -w '%{http_code}'` runs curl, yet prints
 * nothing the curl-w parser reads.
 */
export function pasteOf(kb: KnowledgeBase, fact: string, pasteKinds: PasteKinds, facts: FactMap = {}): Paste | null {
  const pastes = pastesOf(kb, pasteKinds);
  const question = kb.questions.get(fact)?.value;
  const command = question === undefined ? undefined : questionCommand(question, facts);
  const key = commandKey(fact, command?.variant);
  let paste = pastes.byFact.get(key);
  if (paste === undefined) pastes.byFact.set(key, (paste = readPaste(fact, command ?? {}, question?.pasteAs, pasteKinds, pastes.byKind)));
  return paste;
}

/**
 * The paste of the command's kind at the question of FACT, as pasteOf says: the facts its
 * `carries` names that the kind carries (`rca kb lint` reports any other), else all the kind
 * carries; read as its pasteAs (AS) says when it has one (loading refuses one beside howBy).
 */
function readPaste(fact: string, { paste: kind, carries }: QuestionCommand, as: Readonly<Record<string, string>> | undefined, pasteKinds: PasteKinds, byKind: ReadonlyMap<string, readonly string[]>): Paste | null {
  if (kind === undefined) return null;
  if (as === undefined) {
    if (!pasteKinds(fact).includes(kind)) return null;
    const all = byKind.get(kind) ?? [fact];
    return { kind, carries: carries === undefined ? all : all.filter((f) => carries.includes(f)) };
  }
  // Another endpoint's output: what the kind reads, renamed; `rca kb lint` reports a mapping it does not carry.
  const mapped = Object.entries(as).filter(([read]) => pasteKinds(read).includes(kind));
  return mapped.some(([, here]) => here === fact) ? { kind, carries: mapped.map(([, here]) => here), as: Object.fromEntries(mapped) } : null;
}

/** The facts of a paste of PASTE's kind, as they stand at its question: renamed and filtered by its `as`, else as read. */
export function asPasted(paste: Paste | null, kind: string, facts: FactMap): FactMap {
  if (paste?.as === undefined || paste.kind !== kind) return facts;
  return readAs(paste.as, facts).facts;
}

const directReadingsOf = new WeakMap<KnowledgeBase, Readonly<Record<string, string>>>();

/**
 * What the output of a request sent straight to one backend (bypassing the LB) stands for here:
 * the questions' `pasteAs` together, the one other endpoint a question's command reaches being a
 * backend (`{http.status: http.direct_status, ...}`). An artifact marked `direct` is read by it,
 * so that the knowledge base, not the code, says which facts a direct request has.
 */
export function directReadings(kb: KnowledgeBase): Readonly<Record<string, string>> {
  let readings = directReadingsOf.get(kb);
  if (!readings) {
    const found: Record<string, string> = {};
    for (const { value } of kb.questions.values()) Object.assign(found, value.pasteAs);
    directReadingsOf.set(kb, (readings = found));
  }
  return readings;
}

/**
 * FACTS read from another endpoint's output by READINGS (a question's pasteAs, directReadings):
 * each under the fact it stands for here, and the names of those it has no counterpart for (the
 * backend's, not the service's).
 */
export function readAs(readings: Readonly<Record<string, string>>, facts: FactMap): { facts: FactMap; setAside: string[] } {
  const direct: Record<string, FactValue> = {};
  const setAside: string[] = [];
  for (const [name, value] of Object.entries(facts)) {
    const here = Object.hasOwn(readings, name) ? readings[name] : undefined;
    if (here === undefined) setAside.push(name);
    else direct[here] = value;
  }
  return { facts: direct, setAside };
}
